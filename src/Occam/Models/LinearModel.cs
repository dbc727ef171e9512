using Occam.Data;
using Occam.Linear;
using Occam.Serialization;
using Occam.Training;

namespace Occam;

/// <summary>Exact zeros of a linear model.</summary>
/// <param name="Coefficients">Coefficients (one per model column, after polynomial expansion).</param>
/// <param name="NonZero">Coefficients that are not exactly 0.</param>
/// <param name="Inputs">Raw input columns the model reads.</param>
/// <param name="InputsKept">Inputs with at least one non-zero coefficient (on the column or one of its powers).</param>
/// <param name="CutFeatures">Inputs whose every coefficient is 0: the model ignores them.</param>
public sealed record LinearSparsity(int Coefficients, int NonZero, int Inputs, int InputsKept, IReadOnlyList<string> CutFeatures)
{
    /// <summary>Fraction of coefficients that are exactly 0.</summary>
    public double ZeroFraction => Coefficients == 0 ? 0 : 1 - (double)NonZero / Coefficients;
}

/// <summary>
/// A fitted linear model (what <see cref="Lasso"/>, <see cref="Ridge"/>, <see cref="ElasticNet"/> and
/// <see cref="LogisticRegression"/> return, and what <see cref="Load"/> reads from an <c>occam-linear/1</c> file):
/// η = b + Σⱼ wⱼ·x̃ⱼ over the columns x̃ that its <see cref="Pipeline"/> builds from the raw inputs, with coefficients
/// in original units. Regression predicts η; binary classification predicts class index 1 when η &gt; 0, with
/// P(class 1) = 1/(1 + e^(−η)). It carries the solver's report (<see cref="Iterations"/>, <see cref="DualGap"/>,
/// <see cref="Converged"/>, <see cref="Warnings"/>): check <see cref="Converged"/>.
/// </summary>
public sealed class LinearModel : IModel
{
    private readonly double[] _coef;
    private readonly double[][]? _classCoef;
    private readonly double[]? _classIntercepts;

    /// <summary>A multiclass (multinomial) model: one coefficient row and one intercept per class.</summary>
    internal LinearModel(PolynomialPipeline pipeline, double[][] coef, double[] intercepts, string penalty, double alpha, double l1Ratio, bool grouped,
        bool standardize, IReadOnlyList<string> classes, string targetName, LinearReport report)
        : this(TaskKind.Regression, pipeline, coef[0], intercepts[0], penalty, alpha, l1Ratio, standardize, null, targetName, report)
    {
        if (coef.Length != classes.Count || intercepts.Length != classes.Count || classes.Count < 2)
            throw new ArgumentException($"{coef.Length} coefficient rows and {intercepts.Length} intercepts for {classes.Count} classes.", nameof(coef));
        foreach (var row in coef)
            if (row.Length != pipeline.Features.Count)
                throw new ArgumentException($"{row.Length} coefficients for {pipeline.Features.Count} features.", nameof(coef));
        Task = TaskKind.Multiclass;
        Classes = classes.ToArray();
        Grouped = grouped;
        _classCoef = coef;
        _classIntercepts = intercepts;
    }

    internal LinearModel(TaskKind task, PolynomialPipeline pipeline, double[] coef, double intercept, string penalty, double alpha, double l1Ratio,
        bool standardize, IReadOnlyList<string>? classes, string targetName, LinearReport report)
    {
        if (coef.Length != pipeline.Features.Count)
            throw new ArgumentException($"{coef.Length} coefficients for {pipeline.Features.Count} features.", nameof(coef));
        if (task == TaskKind.Multiclass)
            throw new ArgumentException("a multiclass model needs one coefficient row per class.", nameof(task));
        if (task == TaskKind.Binary && classes is not { Count: 2 })
            throw new ArgumentException("a binary model needs exactly 2 class labels.", nameof(classes));
        Task = task;
        Pipeline = pipeline;
        _coef = coef;
        _intercept = intercept;
        Penalty = penalty;
        Alpha = alpha;
        L1Ratio = l1Ratio;
        Standardize = standardize;
        Classes = task == TaskKind.Regression ? null : classes!.ToArray();
        TargetName = targetName;
        Report = report;
    }

    /// <inheritdoc/>
    public TaskKind Task { get; }
    /// <summary>The raw input columns and their polynomial expansion, applied before the coefficients.</summary>
    public PolynomialPipeline Pipeline { get; }
    /// <inheritdoc/>
    public IReadOnlyList<string> FeatureNames => Pipeline.Inputs;
    /// <summary>Names of the model's columns after expansion, one per coefficient.</summary>
    public IReadOnlyList<string> Features => Pipeline.Features;
    /// <inheritdoc/>
    public IReadOnlyList<string>? Classes { get; }
    /// <summary>The target column the model was fitted on.</summary>
    public string TargetName { get; }
    /// <summary>Coefficients wⱼ in the units of the (expanded) columns, one per <see cref="Features"/> entry.</summary>
    public IReadOnlyList<double> Coef => _classCoef is null ? _coef
        : throw new OccamException("a multiclass model has one coefficient row per class; use ClassCoef and ClassIntercepts.");
    /// <summary>Intercept b (unpenalized).</summary>
    public double Intercept => _classCoef is null ? _intercept
        : throw new OccamException("a multiclass model has one intercept per class; use ClassIntercepts.");
    private readonly double _intercept;
    /// <summary>Multiclass: coefficients [class][feature] in original units, η_k = b_k + Σⱼ coef[k][j]·x̃ⱼ, P = softmax(η); null otherwise.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? ClassCoef => _classCoef;
    /// <summary>Multiclass: one intercept per class; null otherwise.</summary>
    public IReadOnlyList<double>? ClassIntercepts => _classIntercepts;
    /// <summary>Multiclass: fitted with the grouped penalty (a feature in or out for all classes at once).</summary>
    public bool Grouped { get; }
    /// <summary>"lasso", "ridge" or "elasticnet", as requested.</summary>
    public string Penalty { get; }
    /// <summary>Penalty strength α.</summary>
    public double Alpha { get; }
    /// <summary>ρ: 1 = lasso, 0 = ridge.</summary>
    public double L1Ratio { get; }
    /// <summary>Whether columns were scaled to unit population sd while fitting (the penalty then acts on the scaled coefficients).</summary>
    public bool Standardize { get; }

    internal LinearReport Report { get; }
    /// <summary>Coordinate sweeps at α (0 for the direct ridge solve).</summary>
    public int Iterations => Report.Iterations;
    /// <summary>Final duality gap of the (standardized) problem.</summary>
    public double DualGap => Report.DualGap;
    /// <summary>The gap the solver had to reach (tol·‖y − ȳ‖²/n, or tol·null log-loss).</summary>
    public double GapTolerance => Report.GapTolerance;
    /// <summary>True when <see cref="DualGap"/> ≤ <see cref="GapTolerance"/>.</summary>
    public bool Converged => Report.Converged;
    /// <summary>1 − deviance/null deviance on the training data (R² for regression).</summary>
    public double DevianceExplained => Report.DevianceExplained;
    /// <summary>Non-convergence, constant columns and similar notes.</summary>
    public IReadOnlyList<string> Warnings => Report.Warnings;
    /// <summary>Solver wall-clock seconds, when known (null for a refit inside cross-validation).</summary>
    public double? Seconds => Report.Seconds;

    /// <summary>Non-zero coefficients and the inputs they keep.</summary>
    public LinearSparsity Sparsity
    {
        get
        {
            var kept = new HashSet<string>(StringComparer.Ordinal);
            int inputs = Pipeline.Inputs.Count;
            var rows = _classCoef ?? [_coef];
            int nonZero = 0;
            for (int j = 0; j < _coef.Length; j++)
            {
                int nz = rows.Count(r => r[j] != 0);
                nonZero += nz;
                if (nz == 0) continue;
                kept.Add(j < inputs ? Pipeline.Inputs[j] : Pipeline.Columns[(j - inputs) / (Pipeline.Degree - 1)]);
            }
            var cut = Pipeline.Inputs.Where(n => !kept.Contains(n)).ToArray();
            return new LinearSparsity(_coef.Length * rows.Length, nonZero, inputs, inputs - cut.Length, cut);
        }
    }

    /// <summary>Reads an <c>occam-linear/1</c> file; any problem is an <see cref="OccamException"/> naming the file.</summary>
    public static LinearModel Load(string path) => LinearJson.Parse(ModelFile.ReadText(path), path);

    /// <inheritdoc/>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>The <c>occam-linear/1</c> document (docs/formats.md), as <see cref="Save"/> writes it.</summary>
    public string ToJson() => LinearJson.Write(this);

    /// <summary>Linear predictor η = b + xᵀw of each row (after the pipeline); multiclass: K values per row, row-major.</summary>
    public double[] Decision(Dataset data)
    {
        var x = Pipeline.Apply(Inputs(data));
        return Decision(x.X, x.Rows);
    }

    /// <summary><see cref="Decision(Dataset)"/> on a rows × inputs array whose columns are <see cref="FeatureNames"/>, in order.</summary>
    public double[] Decision(double[,] x)
    {
        var flat = Flatten(x);
        return Decision(Pipeline.Apply(flat, x.GetLength(0)), x.GetLength(0));
    }

    /// <inheritdoc/>
    public double[] Predict(Dataset data) => FromDecision(Decision(data));

    /// <summary><see cref="Predict(Dataset)"/> on a rows × inputs array whose columns are <see cref="FeatureNames"/>, in order.</summary>
    public double[] Predict(double[,] x) => FromDecision(Decision(x));

    /// <inheritdoc/>
    public double[] PredictProba(Dataset data) => Proba(Decision(data));

    /// <summary><see cref="PredictProba(Dataset)"/> on a rows × inputs array whose columns are <see cref="FeatureNames"/>, in order.</summary>
    public double[] PredictProba(double[,] x) => Proba(Decision(x));

    /// <inheritdoc/>
    public string[] PredictLabels(Dataset data) => Labels(Predict(data));

    /// <summary><see cref="PredictLabels(Dataset)"/> on a rows × inputs array whose columns are <see cref="FeatureNames"/>, in order.</summary>
    public string[] PredictLabels(double[,] x) => Labels(Predict(x));

    /// <inheritdoc/>
    public double Score(Dataset data)
    {
        var e = Evaluate(data);
        return e.Accuracy ?? e.RSquared ?? double.NaN;
    }

    /// <inheritdoc/>
    /// <remarks>Loss: mean squared error (regression) or mean log-loss (binary, multiclass), in double precision.</remarks>
    public ModelEvaluation Evaluate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Task != Task)
            throw new OccamException($"the model is a {TaskKinds.Name(Task)} model but the data's target is {TaskKinds.Name(data.Task)}; load the data with the model's task.");
        var eta = Decision(data);
        int n = data.Rows;
        if (Task == TaskKind.Regression)
        {
            double sse = 0;
            for (int i = 0; i < n; i++) sse += (eta[i] - data.Y[i]) * (eta[i] - data.Y[i]);
            return new ModelEvaluation(n, n == 0 ? 0 : sse / n, null, Metrics.RSquared(sse, Metrics.TotalSumOfSquares(data.Y)), null, null);
        }
        var map = LabelMap.ClassMap(Classes!, data.Classes!);
        if (Task == TaskKind.Multiclass)
        {
            int k = Classes!.Count;
            var proba = Proba(eta);
            var conf = Enumerable.Range(0, k).Select(_ => new int[k]).ToArray();
            double ll = 0;
            int hits = 0;
            for (int i = 0; i < n; i++)
            {
                int truth = map[(int)data.Y[i]], best = 0;
                for (int c = 1; c < k; c++) if (eta[i * k + c] > eta[i * k + best]) best = c;
                conf[truth][best]++;
                if (truth == best) hits++;
                ll -= Math.Log(Math.Max(proba[i * k + truth], double.Epsilon));
            }
            return new ModelEvaluation(n, n == 0 ? 0 : ll / n, n == 0 ? 0 : (double)hits / n, null, conf, Classes);
        }
        var confusion = new[] { new int[2], new int[2] };
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++)
        {
            int truth = map[(int)data.Y[i]];
            int predicted = eta[i] > 0 ? 1 : 0;
            confusion[truth][predicted]++;
            if (truth == predicted) correct++;
            // log(1 + e^η) − y·η, computed without overflow.
            loss += Math.Max(eta[i], 0) + Math.Log(1 + Math.Exp(-Math.Abs(eta[i]))) - truth * eta[i];
        }
        return new ModelEvaluation(n, n == 0 ? 0 : loss / n, n == 0 ? 0 : (double)correct / n, null, confusion, Classes);
    }

    private double[] Decision(double[] x, int rows)
    {
        int p = _coef.Length;
        var rowsCoef = _classCoef ?? [_coef];
        var intercepts = _classIntercepts ?? [_intercept];
        int k = rowsCoef.Length;
        var eta = new double[rows * k];
        for (int i = 0; i < rows; i++)
        {
            var row = x.AsSpan(i * p, p);
            for (int c = 0; c < k; c++)
            {
                double s = intercepts[c];
                var w = rowsCoef[c];
                for (int j = 0; j < p; j++) s += w[j] * row[j];
                if (!double.IsFinite(s))
                    throw new OccamException($"row {i + 1}: the model's output is {s} (a value too large for the model{(Pipeline.Degree > 1 ? " or its powers" : "")}); check that row's values, which must be of the scale the model was fitted on.");
                eta[i * k + c] = s;
            }
        }
        return eta;
    }

    private double[] FromDecision(double[] eta)
    {
        if (Task == TaskKind.Regression) return eta;
        if (Task == TaskKind.Multiclass)
        {
            int k = Classes!.Count;
            var best = new double[eta.Length / k];
            for (int i = 0; i < best.Length; i++)
            {
                int b = 0;
                for (int c = 1; c < k; c++) if (eta[i * k + c] > eta[i * k + b]) b = c;
                best[i] = b;
            }
            return best;
        }
        var classes = new double[eta.Length];
        for (int i = 0; i < eta.Length; i++) classes[i] = eta[i] > 0 ? 1 : 0;
        return classes;
    }

    private double[] Proba(double[] eta)
    {
        if (Task == TaskKind.Regression)
            throw new OccamException("PredictProba is for classification models; this one is a regression model: use Predict.");
        if (Task == TaskKind.Multiclass)
        {
            // Softmax of each row, with the row maximum subtracted.
            int k = Classes!.Count;
            var p = new double[eta.Length];
            for (int i = 0; i < eta.Length / k; i++)
            {
                double m = double.NegativeInfinity, s = 0;
                for (int c = 0; c < k; c++) m = Math.Max(m, eta[i * k + c]);
                for (int c = 0; c < k; c++) { p[i * k + c] = Math.Exp(eta[i * k + c] - m); s += p[i * k + c]; }
                for (int c = 0; c < k; c++) p[i * k + c] /= s;
            }
            return p;
        }
        var proba = new double[2 * eta.Length];
        for (int i = 0; i < eta.Length; i++)
        {
            double p1 = 1 / (1 + Math.Exp(-eta[i]));
            proba[2 * i] = 1 - p1;
            proba[2 * i + 1] = p1;
        }
        return proba;
    }

    private string[] Labels(double[] predicted)
    {
        var labels = new string[predicted.Length];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = Task == TaskKind.Regression
                ? PredictionText.Format(predicted[i])
                : Classes![(int)predicted[i]];
        return labels;
    }

    private Dataset Inputs(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.SelectFeatures(Pipeline.Inputs);
    }

    private double[] Flatten(double[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.GetLength(1) != Pipeline.Inputs.Count)
            throw new OccamException($"x has {Counted.Of(x.GetLength(1), "column")} but the model reads {Pipeline.Inputs.Count} ({string.Join(", ", Pipeline.Inputs.Take(8))}{(Pipeline.Inputs.Count > 8 ? ", ..." : "")}); give one column per input, in that order.");
        return Dataset.Flatten(x);
    }
}

/// <summary>The solver's report stored with a linear model.</summary>
internal sealed record LinearReport(int Iterations, double DualGap, double GapTolerance, bool Converged, double DevianceExplained, IReadOnlyList<string> Warnings, double? Seconds)
{
    public static LinearReport Of(LinearFit fit, double? seconds) =>
        new(fit.Iterations, fit.DualGap, fit.GapTolerance, fit.Converged, fit.DevianceExplained, fit.Warnings, seconds);
}
