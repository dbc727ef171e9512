using Occam.Data;
using Occam.Numerics;
using Occam.Numerics.Reductions;

namespace Occam.Linear;

/// <summary>
/// A fitted linear model in original units: <c>η = b + Σⱼ wⱼ·xⱼ</c>. Regression predicts η; binary
/// classification predicts P(y = 1) = σ(η).
/// </summary>
public sealed class LinearCoefficients
{
    public LinearCoefficients(TaskKind task, double[] coef, double intercept, double alpha, double l1Ratio)
    {
        ArgumentNullException.ThrowIfNull(coef);
        Task = task;
        Coef = coef;
        Intercept = intercept;
        Alpha = alpha;
        L1Ratio = l1Ratio;
    }

    public TaskKind Task { get; }
    /// <summary>Coefficients wⱼ, one per feature, in the units of the original columns.</summary>
    public double[] Coef { get; }
    public double Intercept { get; }
    public double Alpha { get; }
    public double L1Ratio { get; }

    /// <summary>Number of non-zero coefficients.</summary>
    public int NonZero => Coef.Count(c => c != 0);

    /// <summary>Linear predictor η = b + xᵀw for one row.</summary>
    public double Decision(ReadOnlySpan<double> row)
    {
        Preconditions.Check(row.Length == Coef.Length, $"row has {row.Length} values; the model has {Coef.Length} features.", nameof(row));
        double s = Intercept;
        for (int j = 0; j < Coef.Length; j++) s += Coef[j] * row[j];
        return s;
    }

    /// <summary>Regression: η. Binary: P(y = 1) = 1/(1 + e^(−η)).</summary>
    public double Predict(ReadOnlySpan<double> row)
    {
        double eta = Decision(row);
        return Task == TaskKind.Binary ? 1 / (1 + Math.Exp(-eta)) : eta;
    }

    /// <summary>Predictions for every row of a row-major matrix.</summary>
    public double[] Predict(double[] x, int rows)
    {
        ArgumentNullException.ThrowIfNull(x);
        Preconditions.Check(x.Length == rows * Coef.Length, $"x has {x.Length} values; rows × features = {rows * Coef.Length}.", nameof(x));
        var result = new double[rows];
        for (int i = 0; i < rows; i++) result[i] = Predict(x.AsSpan(i * Coef.Length, Coef.Length));
        return result;
    }
}

/// <summary>
/// One fit at one α: the model plus the solver's report. <b>Check <see cref="Converged"/></b>: a fit that hit
/// <see cref="LinearOptions.MaxIterations"/> before the duality gap fell below the tolerance still returns its
/// last iterate, with <see cref="Converged"/> false and a message in <see cref="Warnings"/>; call
/// <c>EnsureConverged</c> to turn that into an exception. Shared by <see cref="LinearFit"/> and <see cref="MultinomialFit"/>.
/// </summary>
/// <typeparam name="TModel">The fitted coefficients (<see cref="LinearCoefficients"/> or <see cref="MultinomialModel"/>).</typeparam>
public abstract class SolverFit<TModel>
{
    private protected SolverFit(TModel model, int iterations, double dualGap, double gapTolerance, bool converged, double devianceExplained, IReadOnlyList<string> warnings, double seconds)
    {
        Model = model;
        Iterations = iterations;
        DualGap = dualGap;
        GapTolerance = gapTolerance;
        Converged = converged;
        DevianceExplained = devianceExplained;
        Warnings = warnings;
        Seconds = seconds;
    }

    public TModel Model { get; }
    /// <summary>Coordinate sweeps used at this α (over the strong or active set; each Newton step's sweeps count for logistic). A single-α fit's hidden warm-start path is not counted.</summary>
    public int Iterations { get; }
    /// <summary>Final duality gap of the (standardized) problem, in the units of the objective.</summary>
    public double DualGap { get; }
    /// <summary>The gap the solver had to reach: tol·‖y − ȳ‖²/n (Gaussian) or tol·null log-loss (logistic, multinomial).</summary>
    public double GapTolerance { get; }
    /// <summary>True when <see cref="DualGap"/> ≤ <see cref="GapTolerance"/>.</summary>
    public bool Converged { get; }
    /// <summary>1 − deviance/null deviance (R² on the training data for regression; glmnet's <c>dev.ratio</c>).</summary>
    public double DevianceExplained { get; }
    /// <summary>Non-convergence, constant columns and similar notes; the CLI prints them to standard error.</summary>
    public IReadOnlyList<string> Warnings { get; }
    /// <summary>Solver wall-clock seconds (preprocessing included, I/O excluded).</summary>
    public double Seconds { get; }

    /// <summary>Throws <see cref="OccamException"/> if the fit did not converge.</summary>
    private protected void ThrowIfNotConverged()
    {
        if (!Converged)
            throw new OccamException($"the solver did not converge in {Counted.Of(Iterations, "sweep")} (duality gap {DualGap:G3} > {GapTolerance:G3}); raise the iteration limit or the tolerance.");
    }
}

/// <summary>One single-output fit (regression or binary logistic) at one α; see <see cref="SolverFit{TModel}"/>.</summary>
public sealed class LinearFit : SolverFit<LinearCoefficients>
{
    internal LinearFit(LinearCoefficients model, int iterations, double dualGap, double gapTolerance, bool converged, double devianceExplained, IReadOnlyList<string> warnings, double seconds)
        : base(model, iterations, dualGap, gapTolerance, converged, devianceExplained, warnings, seconds) { }

    /// <summary>Throws <see cref="OccamException"/> if the fit did not converge; returns this fit otherwise.</summary>
    public LinearFit EnsureConverged()
    {
        ThrowIfNotConverged();
        return this;
    }
}

/// <summary>
/// What every regularization path reports per α, largest α first: the grid, the solver's sweeps, final duality gap,
/// the gap it had to reach, convergence and deviance explained. Shared by <see cref="LinearPath"/> and
/// <see cref="MultinomialPath"/>.
/// </summary>
public abstract class PathReport
{
    private protected PathReport(double l1Ratio, double[] alphas, int[] iterations, double[] gaps, double[] gapTolerances, bool[] converged, double[] devianceExplained, IReadOnlyList<string> warnings, double seconds)
    {
        L1Ratio = l1Ratio;
        Alphas = alphas;
        Iterations = iterations;
        DualGaps = gaps;
        GapTolerances = gapTolerances;
        ConvergedAt = converged;
        DevianceExplained = devianceExplained;
        Warnings = warnings;
        Seconds = seconds;
    }

    public double L1Ratio { get; }
    public double[] Alphas { get; }
    public int[] Iterations { get; }
    public double[] DualGaps { get; }
    public double[] GapTolerances { get; }
    /// <summary>Per-α convergence flags.</summary>
    public bool[] ConvergedAt { get; }
    /// <summary>True when every α converged.</summary>
    public bool Converged => ConvergedAt.All(c => c);
    public double[] DevianceExplained { get; }
    public IReadOnlyList<string> Warnings { get; }
    /// <summary>Solver wall-clock seconds for the whole path (preprocessing included, I/O excluded).</summary>
    public double Seconds { get; private set; }

    private protected void SetSeconds(double seconds) => Seconds = seconds;
}

/// <summary>A regularization path: one entry per α, from the largest α to the smallest.</summary>
public sealed class LinearPath : PathReport
{
    internal LinearPath(TaskKind task, double l1Ratio, double[] alphas, double[][] coefs, double[] intercepts, int[] iterations, double[] gaps, double[] gapTolerances, bool[] converged, double[] devianceExplained, IReadOnlyList<string> warnings, double seconds)
        : base(l1Ratio, alphas, iterations, gaps, gapTolerances, converged, devianceExplained, warnings, seconds)
    {
        Task = task;
        Coefs = coefs;
        Intercepts = intercepts;
        NonZero = new int[coefs.Length];
        for (int k = 0; k < coefs.Length; k++) NonZero[k] = CountNonZero(coefs[k]);
    }

    /// <summary>How many values are not zero (<c>v != 0</c>: NaN counts, −0 does not), by the vectorized <see cref="CountZeros"/>.</summary>
    internal static int CountNonZero(ReadOnlySpan<double> values) => values.Length - CountZeros.Count(values);

    public TaskKind Task { get; }
    /// <summary>Names of the columns the coefficients belong to (when the caller gave them).</summary>
    public IReadOnlyList<string>? FeatureNames { get; internal init; }
    /// <summary>Coefficients in original units, one array per α.</summary>
    public double[][] Coefs { get; }
    public double[] Intercepts { get; }
    /// <summary>Non-zero coefficients per α.</summary>
    public int[] NonZero { get; }

    internal LinearPath WithSeconds(double seconds)
    {
        SetSeconds(seconds);
        return this;
    }

    /// <summary>The model at path index <paramref name="index"/>.</summary>
    public LinearCoefficients ModelAt(int index) => new(Task, (double[])Coefs[index].Clone(), Intercepts[index], Alphas[index], L1Ratio);
}

/// <summary>
/// K-fold cross-validation over an α grid. <see cref="MeanError"/>[k] is the mean over folds of the held-out error
/// (mean squared error for regression, mean log-loss for binary), <see cref="StandardError"/>[k] = sd/√K with the
/// sample standard deviation over folds.
/// </summary>
public sealed class CvResult
{
    private readonly LinearFit? _refit;

    internal CvResult(double[] alphas, double[] mean, double[] se, double[][] foldErrors, int indexMin, int index1se, LinearFit? refit, MultinomialFit? multinomialRefit, string measure, double seconds, IReadOnlyList<string> warnings,
        IReadOnlyList<Selection.Fold> folds)
    {
        Folds = folds;
        _refit = refit;
        MultinomialRefit = multinomialRefit;
        Alphas = alphas;
        MeanError = mean;
        StandardError = se;
        FoldErrors = foldErrors;
        IndexMin = indexMin;
        Index1se = index1se;
        Measure = measure;
        Seconds = seconds;
        Warnings = warnings;
    }

    public double[] Alphas { get; }
    public double[] MeanError { get; }
    public double[] StandardError { get; }
    /// <summary>The folds used (<see cref="Selection.KFold"/>), in the order of <see cref="FoldErrors"/>.</summary>
    public IReadOnlyList<Selection.Fold> Folds { get; }
    /// <summary>[fold][α] held-out errors.</summary>
    public double[][] FoldErrors { get; }
    public int IndexMin { get; }
    public int Index1se { get; }
    /// <summary>α with the smallest mean error (the largest such α on ties).</summary>
    public double AlphaMin => Alphas[IndexMin];
    /// <summary>Largest α whose mean error is within one standard error of the minimum.</summary>
    public double Alpha1se => Alphas[Index1se];
    /// <summary>The model refitted on all rows at <see cref="AlphaMin"/> (regression and binary; multiclass: <see cref="MultinomialRefit"/>).</summary>
    public LinearFit Refit => _refit
        ?? throw new InvalidOperationException("a multiclass cross-validation refits a multinomial model; read CvResult.MultinomialRefit.");
    /// <summary>Multiclass: the multinomial model refitted on all rows at <see cref="AlphaMin"/>; null otherwise.</summary>
    public MultinomialFit? MultinomialRefit { get; }
    /// <summary>Whether the refit at <see cref="AlphaMin"/> converged (whichever kind of model it is).</summary>
    public bool RefitConverged => _refit?.Converged ?? MultinomialRefit!.Converged;
    /// <summary>"mse" or "logloss".</summary>
    public string Measure { get; }
    public double Seconds { get; }
    public IReadOnlyList<string> Warnings { get; }
}

/// <summary>Collects one path entry per α (coefficients in original units and the solver's report) and builds the <see cref="LinearPath"/>.</summary>
internal sealed class PathBuilder
{
    private readonly double[] _alphas;
    private readonly double[][] _coefs;
    private readonly double[] _intercepts, _gaps, _tols, _dev;
    private readonly int[] _iters;
    private readonly bool[] _conv;
    private readonly List<string> _warnings;

    public PathBuilder(double[] alphas, IEnumerable<string> warnings)
    {
        int m = alphas.Length;
        _alphas = (double[])alphas.Clone();
        _coefs = new double[m][];
        _intercepts = new double[m];
        _gaps = new double[m];
        _tols = new double[m];
        _dev = new double[m];
        _iters = new int[m];
        _conv = new bool[m];
        _warnings = warnings.ToList();
    }

    /// <summary>Records α index <paramref name="k"/>; a non-converged fit adds a warning unless <paramref name="warn"/> is false.</summary>
    public void Add(int k, double[] coef, double intercept, SolveReport r, bool warn = true)
    {
        _coefs[k] = coef;
        _intercepts[k] = intercept;
        _iters[k] = r.Iterations;
        _gaps[k] = r.Gap;
        _tols[k] = r.GapTolerance;
        _conv[k] = r.Converged;
        _dev[k] = r.DevianceExplained;
        if (!r.Converged && warn) _warnings.Add(ElasticNetRegression.NotConverged(_alphas[k], r));
    }

    public LinearPath Build(TaskKind task, double l1Ratio, string[]? names) =>
        new(task, l1Ratio, _alphas, _coefs, _intercepts, _iters, _gaps, _tols, _conv, _dev, _warnings, 0) { FeatureNames = names };
}
