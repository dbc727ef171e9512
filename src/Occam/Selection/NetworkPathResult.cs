using Occam.Data;
using Occam.Serialization;

namespace Occam.Selection;

/// <summary>
/// One λ of a network path: how the network fitted at <see cref="Lambda"/> does and how sparse it is.
/// </summary>
/// <param name="Lambda">λ.</param>
/// <param name="TrainLoss">Mean data loss on the training rows (inference mode).</param>
/// <param name="TrainScore">Accuracy (classification) or R² (regression) on the training rows.</param>
/// <param name="ValidationLoss">Mean data loss on the validation rows (null without a validation split).</param>
/// <param name="ValidationScore">Accuracy or R² on the validation rows (null without a validation split).</param>
/// <param name="SelectionLoss">What λ is chosen on: the mean K-fold held-out loss, or the validation loss.</param>
/// <param name="SelectionSe">Its standard error: over folds (sd/√K), or over validation rows (sd of the row losses/√n).</param>
/// <param name="ZeroWeights">Weights that are exactly 0, all layers.</param>
/// <param name="Weights">Weights, all layers.</param>
/// <param name="FirstLayerZeros">Exact zeros of the first layer.</param>
/// <param name="FirstLayerWeights">Weights of the first layer.</param>
/// <param name="DeadUnits">Dead hidden units.</param>
/// <param name="HiddenUnits">Hidden units.</param>
/// <param name="InputsKept">Inputs still connected to an output.</param>
/// <param name="Inputs">Inputs.</param>
/// <param name="ParametersAfterPruning">Parameters left once dead units and cut inputs are removed.</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="Seconds">Training time of this λ.</param>
public sealed record NetworkPathPoint(double Lambda, double TrainLoss, double? TrainScore, double? ValidationLoss, double? ValidationScore,
    double SelectionLoss, double SelectionSe, int ZeroWeights, int Weights, int FirstLayerZeros, int FirstLayerWeights,
    int DeadUnits, int HiddenUnits, int InputsKept, int Inputs, int ParametersAfterPruning, int Epochs, double Seconds)
{
    /// <summary>Fraction of weights that are exactly 0.</summary>
    public double ZeroFraction => Weights == 0 ? 0 : (double)ZeroWeights / Weights;
}

/// <summary>
/// A fitted network λ path (<see cref="NetworkPath.Fit"/>): every λ's metrics and network, and the choice
/// (<see cref="IndexMin"/>: lowest selection loss; <see cref="Index1se"/>: the largest λ within one standard error of
/// it). Saved as <c>occam-path/1</c> (docs/formats.md) so that any point can be written out as a model later.
/// </summary>
public sealed class NetworkPathResult
{
    private readonly MlpModel[] _models;

    public NetworkPathResult(TaskKind task, NetworkPathPenalty penalty, double? l1Ratio, double lambdaMax, int folds,
        IReadOnlyList<NetworkPathPoint> points, IReadOnlyList<MlpModel> models, int indexMin, int index1se)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(models);
        if (points.Count == 0 || points.Count != models.Count)
            throw new ArgumentException($"a path needs one model per point ({points.Count} points, {models.Count} models).", nameof(models));
        if ((uint)indexMin >= (uint)points.Count || (uint)index1se > (uint)indexMin)
            throw new ArgumentException($"the chosen indices ({indexMin}, {index1se}) must satisfy 0 ≤ 1se ≤ min < {points.Count}.", nameof(index1se));
        Task = task;
        Penalty = penalty;
        L1Ratio = l1Ratio;
        LambdaMax = lambdaMax;
        Folds = folds;
        Points = points.ToArray();
        _models = models.ToArray();
        IndexMin = indexMin;
        Index1se = index1se;
    }

    public TaskKind Task { get; }
    public NetworkPathPenalty Penalty { get; }

    /// <summary>ρ of the elastic-net path; null for the other penalties.</summary>
    public double? L1Ratio { get; }

    /// <summary>λ_max of the data and estimator (the grid's first value unless an explicit grid was given).</summary>
    public double LambdaMax { get; }

    /// <summary>K of K-fold selection; 0 when λ was chosen on the validation rows.</summary>
    public int Folds { get; }

    /// <summary>The points, λ descending.</summary>
    public IReadOnlyList<NetworkPathPoint> Points { get; }

    /// <summary>The λ values, descending.</summary>
    public IReadOnlyList<double> Lambdas => Points.Select(p => p.Lambda).ToArray();

    /// <summary>Index of λ_min (lowest selection loss).</summary>
    public int IndexMin { get; }

    /// <summary>Index of λ_1se (largest λ within one SE of the lowest loss); always ≤ <see cref="IndexMin"/>, so λ_1se ≥ λ_min.</summary>
    public int Index1se { get; }

    public double LambdaMin => Points[IndexMin].Lambda;
    public double Lambda1se => Points[Index1se].Lambda;

    /// <summary>"kfold" or "validation".</summary>
    public string Selection => Folds >= 2 ? "kfold" : "validation";

    /// <summary>
    /// What looks wrong with the path, read off its points: the first layer still all zero at the smallest λ (the
    /// grid never reached the λ where inputs come back), or every hidden unit dead there (ReLU units whose incoming
    /// weights are all zero and whose bias is ≤ 0 get no gradient, so a path that starts from λ_max's all-zero first
    /// layer can stay dead; tanh units recover). Empty when neither happened.
    /// </summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            var last = Points[^1];
            var warnings = new List<string>();
            if (last.InputsKept == 0)
                warnings.Add($"at the smallest λ ({last.Lambda:G3}) the first layer is still all zero: the path never left λ_max's network; lower the grid's end (LambdaMinRatio, --lambda-min-ratio) or use tanh units (relu units that start at zero can stay dead).");
            else if (last.HiddenUnits > 0 && last.DeadUnits == last.HiddenUnits)
                warnings.Add($"at the smallest λ ({last.Lambda:G3}) every hidden unit is dead; relu units that start the path with zero incoming weights and a bias ≤ 0 get no gradient: use tanh units.");
            return warnings;
        }
    }

    /// <summary>The network fitted at point <paramref name="index"/>.</summary>
    public MlpModel ModelAt(int index)
    {
        if ((uint)index >= (uint)_models.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the path has {_models.Length} points (0..{_models.Length - 1}).");
        return _models[index];
    }

    /// <summary>
    /// The point whose λ is nearest to <paramref name="lambda"/> on a log scale (|log λₖ − log λ| smallest; the larger
    /// λ on a tie). A λ outside the path's range is refused: it names the range.
    /// </summary>
    public int NearestIndex(double lambda)
    {
        if (!(lambda > 0) || !double.IsFinite(lambda))
            throw OccamException.Usage($"--take {lambda}: λ must be a finite number > 0 (or min / 1se).");
        double hi = Points[0].Lambda, lo = Points[^1].Lambda;
        // Half a grid step of slack at either end, on the log scale.
        double slack = Points.Count > 1 ? Math.Log(hi / lo) / (Points.Count - 1) / 2 : 1e-9;
        if (Math.Log(lambda) > Math.Log(hi) + slack || Math.Log(lambda) < Math.Log(lo) - slack)
            throw OccamException.Usage($"--take {lambda:G4} is outside the path, which runs from λ = {hi:G4} down to {lo:G4}; take a λ in that range, or min / 1se.");
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int k = 0; k < Points.Count; k++)
        {
            double d = Math.Abs(Math.Log(Points[k].Lambda) - Math.Log(lambda));
            if (d < bestDistance) { best = k; bestDistance = d; }
        }
        return best;
    }

    /// <summary>Writes the path (every point's metrics and network) as <c>occam-path/1</c>, atomically.</summary>
    public void Save(string path) => NetworkPathJson.Save(this, path);

    /// <summary>Writes the <c>occam-path/1</c> JSON to <paramref name="stream"/> (for writing it with other files in one atomic step).</summary>
    public void Write(Stream stream) => NetworkPathJson.Write(this, stream);

    /// <summary>
    /// Writes the path's fields into an open JSON object: everything of <c>occam-path/1</c>, or without
    /// <paramref name="includeModels"/> everything but the <c>format</c> tag and the networks (a summary).
    /// </summary>
    public void WriteFields(System.Text.Json.Utf8JsonWriter writer, bool includeModels) => NetworkPathJson.WriteFields(writer, this, includeModels);

    /// <summary>Reads an <c>occam-path/1</c> file; a damaged file is an <see cref="OccamException"/> naming the JSON path of the problem.</summary>
    public static NetworkPathResult Load(string path) => NetworkPathJson.Load(path);
}
