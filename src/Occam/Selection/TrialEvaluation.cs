using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Occam.Data;
using Occam.Losses;
using Occam.Nn;
using Occam.Numerics.Random;
using Occam.Training;

namespace Occam.Selection;

/// <summary>What a sweep minimizes (its <see cref="TrialResult.Objective"/>), as a mean of per-row errors e_i on held-out rows.</summary>
public enum SweepMetric
{
    /// <summary>Validation loss (default): e_i = the row's data loss (squared error, log-loss or cross-entropy).</summary>
    Loss,
    /// <summary>Classification error 1 − accuracy: e_i = 1 when the row's predicted class is wrong, else 0.</summary>
    Accuracy,
    /// <summary>1 − R²: e_i = (ŷ_i − y_i)² / (SST/n) with SST = Σ(y_i − ȳ)² over the held-out rows, so mean e_i = 1 − R².</summary>
    R2,
}

/// <summary>
/// How trials are evaluated: k-fold cross-validation (<see cref="Folds"/> ≥ 2; <see cref="KFold"/>) or a holdout split
/// (<see cref="Folds"/> = 0, <see cref="ValidationSplit"/> &gt; 0; <see cref="Holdout"/>). Folds are shuffled with
/// <see cref="Seed"/> (or contiguous when <see cref="Shuffle"/> is false) and stratified by class for classification
/// targets when <see cref="Stratify"/> is on. The same data and settings always give the same folds, in every worker and
/// every rerun.
/// </summary>
public sealed record Evaluation
{
    /// <summary>Number of folds (≥ 2), or 0 for a holdout split. Default 5.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Holdout fraction in (0, 1) when <see cref="Folds"/> is 0.</summary>
    public double ValidationSplit { get; init; }

    /// <summary>Shuffle rows (seeded) before dealing folds or splitting. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Keep class proportions in every fold (classification only; ignored for regression). Default true.</summary>
    public bool Stratify { get; init; } = true;

    /// <summary>Seed of the shuffle.</summary>
    public ulong Seed { get; init; }

    /// <summary>The train/held-out row splits for <paramref name="data"/> (one for a holdout); errors name the option to fix.</summary>
    public IReadOnlyList<Fold> Splits(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        bool stratify = Stratify && data.Task != TaskKind.Regression;
        if (Folds == 0)
        {
            if (!(ValidationSplit > 0 && ValidationSplit < 1))
                throw OccamException.Usage($"--val-split must be in (0, 1) for a holdout evaluation (got {ValidationSplit}); or use --folds K.");
            var split = stratify
                ? Holdout.Stratified(KFold.ClassIndices(data), ValidationSplit, new Rng(Seed))
                : Holdout.Split(data.Rows, ValidationSplit, Shuffle, new Rng(Seed));
            return [new Fold(0, split.Train, split.Validation)];
        }
        if (Folds < 2) throw OccamException.Usage($"--folds must be >= 2 (got {Folds}); or use --val-split for a holdout.");
        if (Folds > data.Rows) throw OccamException.Usage($"--folds {Folds} is more than the {Counted.Of(data.Rows, "row")} of the data; use at most {Counted.Of(data.Rows, "fold")}.");
        return stratify
            ? KFold.Stratified(KFold.ClassIndices(data), Folds, Shuffle, Seed)
            : KFold.Split(data.Rows, Folds, Shuffle ? FoldOrder.Shuffled : FoldOrder.Contiguous, Seed);
    }

    /// <summary>SHA-256 (hex) of the held-out rows of every split, stored in the study so a worker proves it uses the same folds.</summary>
    public static string Assignment(IReadOnlyList<Fold> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        var text = new StringBuilder();
        foreach (var f in folds) text.Append(string.Join(',', f.Test)).Append(';');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>
/// Every number recorded for one trial (<see cref="TrialResult.MetricsJson"/>): objective and its standard error,
/// validation and training loss, accuracy or R² (validation: mean and SE over folds; training: mean), and what the
/// penalty did, averaged over folds (exact zeros, dead units, inputs kept, parameters before and after pruning, counted
/// by <see cref="SparsityReport"/>). SEs over folds are sd/√K (<see cref="OneStandardError.MeanAndSe"/>); with a holdout
/// the objective's SE is over held-out rows and the other SEs are null.
/// </summary>
public sealed record TrialMetrics
{
    public required string Metric { get; init; }
    public required int Folds { get; init; }
    public required int Epochs { get; init; }
    public required double Objective { get; init; }
    public required double ObjectiveSe { get; init; }
    public required double[] FoldObjectives { get; init; }
    public required double ValLoss { get; init; }
    public double? ValLossSe { get; init; }
    public required double TrainLoss { get; init; }
    public double? ValAccuracy { get; init; }
    public double? ValAccuracySe { get; init; }
    public double? TrainAccuracy { get; init; }
    public double? ValR2 { get; init; }
    public double? ValR2Se { get; init; }
    public double? TrainR2 { get; init; }
    public required double ZeroFraction { get; init; }
    public required double ZeroWeights { get; init; }
    public required double DeadUnits { get; init; }
    public required double InputsKept { get; init; }
    public required double Parameters { get; init; }
    public required double ParametersAfterPruning { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        AllowDuplicateProperties = false,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads <see cref="ToJson"/>'s output; a malformed one is an <see cref="OccamException"/> (Kind Data).</summary>
    public static TrialMetrics FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<TrialMetrics>(json, Json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new OccamException($"a trial's metrics in the study are not valid ({e.Message}); the study was written by another version or damaged.");
        }
    }
}

/// <summary>
/// Runs one trial: for every split, fits the recipe on the training rows (<see cref="MlpFitter"/>, one thread of the
/// caller) and scores the held-out rows. The fold objective is the mean per-row error of <see cref="SweepMetric"/>;
/// the trial's objective is the mean over folds with SE sd/√K (for a holdout: over rows). The result depends only on
/// the data, the folds and the recipe (its seed included), never on which thread or worker runs it.
/// </summary>
public static class TrialEvaluator
{
    public static TrialResult Evaluate(Dataset data, IReadOnlyList<Fold> folds, TrainingRecipe recipe, SweepMetric metric, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(recipe);
        if (metric == SweepMetric.Accuracy && data.Task == TaskKind.Regression)
            throw OccamException.Usage("--metric accuracy needs class labels, but the target is a regression target; use --metric loss or r2.");
        if (metric == SweepMetric.R2 && data.Task != TaskKind.Regression)
            throw OccamException.Usage("--metric r2 is for regression targets, but the target holds class labels; use --metric loss or accuracy.");
        var clock = Stopwatch.StartNew();
        var fit = recipe.ToFitSettings();
        int k = folds.Count;
        var objective = new double[k];
        var valLoss = new double[k];
        var trainLoss = new double[k];
        var valScore = new double[k];
        var trainScore = new double[k];
        var sparsity = new SparsityReport[k];
        double[] rowErrors = [];
        for (int f = 0; f < k; f++)
        {
            var trainSet = data.Subset(folds[f].Train);
            var testSet = data.Subset(folds[f].Test);
            var model = MlpFitter.Fit(trainSet, fit, null, cancellationToken).Model;
            rowErrors = RowErrors(model, testSet, metric);
            objective[f] = rowErrors.Average();
            var val = ModelEvaluation.Of(model, testSet);
            var train = ModelEvaluation.Of(model, trainSet);
            valLoss[f] = val.Loss;
            trainLoss[f] = train.Loss;
            valScore[f] = val.Accuracy ?? val.RSquared ?? double.NaN;
            trainScore[f] = train.Accuracy ?? train.RSquared ?? double.NaN;
            sparsity[f] = SparsityReport.Of(model);
        }
        bool holdout = k == 1;
        var (mean, se) = holdout ? OneStandardError.MeanAndSe(rowErrors) : OneStandardError.MeanAndSe(objective);
        var (vl, vlSe) = OneStandardError.MeanAndSe(valLoss);
        var (vs, vsSe) = OneStandardError.MeanAndSe(valScore);
        bool classes = data.Task != TaskKind.Regression;
        var metrics = new TrialMetrics
        {
            Metric = Name(metric),
            Folds = holdout ? 0 : k,
            Epochs = recipe.Epochs,
            Objective = mean,
            ObjectiveSe = se,
            FoldObjectives = objective,
            ValLoss = vl,
            ValLossSe = holdout ? null : vlSe,
            TrainLoss = trainLoss.Average(),
            ValAccuracy = classes ? vs : null,
            ValAccuracySe = classes && !holdout ? vsSe : null,
            TrainAccuracy = classes ? trainScore.Average() : null,
            ValR2 = classes ? null : vs,
            ValR2Se = classes || holdout ? null : vsSe,
            TrainR2 = classes ? null : trainScore.Average(),
            ZeroFraction = sparsity.Average(s => s.ZeroFraction),
            ZeroWeights = sparsity.Average(s => (double)s.ZeroWeights),
            DeadUnits = sparsity.Average(s => (double)s.DeadUnits),
            InputsKept = sparsity.Average(s => (double)s.InputsKept),
            Parameters = sparsity.Average(s => (double)s.Parameters),
            ParametersAfterPruning = sparsity.Average(s => (double)s.ParametersAfterPruning),
        };
        return new TrialResult(mean, se, metrics.ToJson(), clock.Elapsed.TotalSeconds);
    }

    /// <summary>The metric's name in studies and on the command line (loss, accuracy, r2).</summary>
    public static string Name(SweepMetric metric) => metric switch
    {
        SweepMetric.Accuracy => "accuracy",
        SweepMetric.R2 => "r2",
        _ => "loss",
    };

    /// <summary>Parses loss|accuracy|r2.</summary>
    public static bool TryParse(string text, out SweepMetric metric)
    {
        foreach (var m in Enum.GetValues<SweepMetric>())
            if (Name(m) == text) { metric = m; return true; }
        metric = default;
        return false;
    }

    /// <summary>The per-row errors e_i of <see cref="SweepMetric"/> on <paramref name="test"/> (inference mode).</summary>
    internal static double[] RowErrors(Mlp model, Dataset test, SweepMetric metric)
    {
        int n = test.Rows;
        var e = new double[n];
        if (model.Task == TaskKind.Regression)
        {
            var predicted = model.PredictValues(test.X, n);
            double scale = metric == SweepMetric.R2 ? Metrics.TotalSumOfSquares(test.Y) / n : 1;
            for (int r = 0; r < n; r++)
            {
                double d = predicted[r] - test.Y[r];
                e[r] = scale > 0 ? d * d / scale : d == 0 ? 0 : 1;
            }
            return e;
        }
        int k = model.Outputs;
        var scores = model.PredictScores(test.X, n);
        var targets = LabelMap.Targets(model, test);
        for (int r = 0; r < n; r++)
        {
            var rowScores = scores.AsSpan(r * k, k);
            e[r] = metric == SweepMetric.Accuracy
                ? (Metrics.PredictClass(model.Task, rowScores) == (int)targets[r] ? 0 : 1)
                : TaskLoss.Value(model.Task, rowScores, targets.AsSpan(r, 1), 1, k);
        }
        return e;
    }
}
