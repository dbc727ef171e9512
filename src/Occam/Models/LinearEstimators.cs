using System.Globalization;
using Occam.Data;
using Occam.Linear;

namespace Occam;

/// <summary>The penalty of a <see cref="LogisticRegression"/>: lasso (ρ = 1), ridge (ρ = 0) or elastic net (ρ = <c>L1Ratio</c>).</summary>
public enum LinearPenalty
{
    /// <summary>L1: α·‖w‖₁ (exact zeros).</summary>
    Lasso,
    /// <summary>L2: (α/2)·‖w‖².</summary>
    Ridge,
    /// <summary>α·(ρ‖w‖₁ + (1−ρ)/2·‖w‖²) with ρ = <c>L1Ratio</c>.</summary>
    ElasticNet,
}

/// <summary>
/// What <see cref="Lasso"/>, <see cref="Ridge"/>, <see cref="ElasticNet"/> and <see cref="LogisticRegression"/> share:
/// scikit-learn's objective (1/(2n))·‖y − Xw − b‖² + α·(ρ‖w‖₁ + (1−ρ)/2‖w‖²) (mean log-loss for binary targets),
/// coordinate descent with a duality-gap stop, optional polynomial columns. Immutable; <c>Fit</c> returns a
/// <see cref="LinearModel"/> with coefficients in original units, <c>Path</c> a warm-started path and
/// <c>CrossValidate</c> K-fold cross-validation with the refit at α_min. See docs/algorithms/coordinate-descent.md.
/// </summary>
public abstract record LinearEstimator
{
    /// <summary>Penalty strength α ≥ 0 (default 1, scikit-learn's; logistic regression needs α &gt; 0).</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary>Scale columns to unit population sd while fitting (default true); coefficients are reported in original units.</summary>
    public bool Standardize { get; init; } = true;

    /// <summary>Duality-gap tolerance (default 1e-4, scikit-learn's rule; see <see cref="LinearOptions.Tolerance"/>).</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Maximum coordinate sweeps per α (default 1000).</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>Append powers 2..Degree of <see cref="PolynomialColumns"/> (default 1: none). Stored in the model and applied at prediction.</summary>
    public int Degree { get; init; } = 1;

    /// <summary>Columns expanded when <see cref="Degree"/> ≥ 2 (null = every feature).</summary>
    public IReadOnlyList<string>? PolynomialColumns { get; init; }

    /// <summary>The penalty's name as model files write it: lasso, ridge or elasticnet.</summary>
    private protected abstract string PenaltyName { get; }

    /// <summary>ρ of the objective.</summary>
    private protected abstract double Rho { get; }

    /// <summary>The task this estimator fits.</summary>
    private protected abstract TaskKind FittedTask(Dataset data);

    /// <summary>Fits at <see cref="Alpha"/>.</summary>
    public LinearModel Fit(Dataset data)
    {
        var (x, pipeline, o) = Prepare(data);
        if (FittedTask(data) == TaskKind.Multiclass)
        {
            var mf = Solve(() => MultinomialRegression.Fit(x.X, x.Rows, x.Features, x.Y, Alpha, o with { Grouped = GroupedPenalty }, x.FeatureNames));
            return new LinearModel(pipeline, mf.Model.Coef, mf.Model.Intercepts, PenaltyName, mf.Model.Alpha, Rho, GroupedPenalty, Standardize, data.Classes!,
                data.TargetName, new LinearReport(mf.Iterations, mf.DualGap, mf.GapTolerance, mf.Converged, mf.DevianceExplained, mf.Warnings, mf.Seconds));
        }
        var fit = Solve(() => SolveOne(x, o));
        return ToModel(data, pipeline, fit, fit.Seconds);
    }

    /// <summary>A warm-started path from α_max down to eps·α_max (or over <see cref="PathOptions.Alphas"/>); <see cref="Alpha"/> is not used.</summary>
    public LinearPath Path(Dataset data, PathOptions? path = null)
    {
        var (x, _, o) = Prepare(data);
        RefuseMulticlass(data, "Path", "MultinomialRegression.Path");
        return Solve(() => FittedTask(data) == TaskKind.Binary
            ? BinaryLogisticRegression.Path(x.X, x.Rows, x.Features, x.Y, o, path, x.FeatureNames)
            : ElasticNetRegression.Path(x.X, x.Rows, x.Features, x.Y, o, path, x.FeatureNames));
    }

    /// <summary>K-fold cross-validation over the α grid (<see cref="CrossValidation"/>) and the model refitted on all rows at α_min; <see cref="Alpha"/> is not used.</summary>
    public LinearCrossValidation CrossValidate(Dataset data, CvOptions? cv = null)
    {
        var (x, pipeline, o) = Prepare(data);
        RefuseMulticlass(data, "CrossValidate", "MultinomialRegression.Path over your own folds");
        var result = Solve(() => FittedTask(data) == TaskKind.Binary
            ? CrossValidation.Logistic(x.X, x.Rows, x.Features, x.Y, o, cv, x.FeatureNames)
            : CrossValidation.ElasticNet(x.X, x.Rows, x.Features, x.Y, o, cv, x.FeatureNames));
        return new LinearCrossValidation(result, ToModel(data, pipeline, result.Refit, null));
    }

    /// <summary>Multiclass only: the grouped penalty ‖βⱼ‖₂ across classes.</summary>
    private protected virtual bool GroupedPenalty => false;

    private void RefuseMulticlass(Dataset data, string method, string instead)
    {
        if (FittedTask(data) == TaskKind.Multiclass)
            throw new OccamException($"{GetType().Name}.{method} of a multiclass target is not available on the estimator yet; use Occam.Linear.{instead}.");
    }

    /// <summary>The solver call at one α on the expanded data.</summary>
    private protected abstract LinearFit SolveOne(Dataset x, LinearOptions options);

    /// <summary>Checks the settings (an <see cref="OccamException"/> naming the property) and builds the solver options.</summary>
    private protected virtual LinearOptions Options()
    {
        string name = GetType().Name;
        if (!(Alpha >= 0) || double.IsInfinity(Alpha)) throw OccamException.Usage($"{name}.Alpha must be a finite number >= 0 (got {Text(Alpha)}).");
        if (!(Tolerance > 0) || double.IsInfinity(Tolerance)) throw OccamException.Usage($"{name}.Tolerance must be a finite number > 0 (got {Text(Tolerance)}).");
        if (MaxIterations < 1) throw OccamException.Usage($"{name}.MaxIterations must be at least 1 (got {MaxIterations}).");
        if (Degree < 1) throw OccamException.Usage($"{name}.Degree must be at least 1 (got {Degree}); use 1 for no polynomial columns.");
        return new LinearOptions { L1Ratio = Rho, Standardize = Standardize, Tolerance = Tolerance, MaxIterations = MaxIterations };
    }

    private (Dataset X, PolynomialPipeline Pipeline, LinearOptions Options) Prepare(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var o = Options();
        FittedTask(data);
        if (data.Rows == 0) throw new OccamException("the data has no rows; nothing to fit.");
        var pipeline = PolynomialPipeline.Create(data.FeatureNames, Degree, PolynomialColumns);
        return (pipeline.Apply(data), pipeline, o);
    }

    private LinearModel ToModel(Dataset data, PolynomialPipeline pipeline, LinearFit fit, double? seconds) =>
        new(FittedTask(data), pipeline, fit.Model.Coef, fit.Model.Intercept, PenaltyName, fit.Model.Alpha, Rho, Standardize, data.Classes, data.TargetName,
            LinearReport.Of(fit, seconds));

    /// <summary>Runs a solver call, turning its argument errors (user input) into <see cref="OccamException"/>s.</summary>
    private static T Solve<T>(Func<T> solve)
    {
        try
        {
            return solve();
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            string message = e.ParamName is { } p ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message;
            throw new OccamException(message);
        }
    }

    private protected static string Text(double v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Cross-validation of a linear estimator: the per-α errors and the model refitted on all rows at α_min.</summary>
/// <param name="Result">Mean and standard error per α, α_min, α_1se and the solver-level refit.</param>
/// <param name="Model">The model refitted on all rows at <see cref="CvResult.AlphaMin"/>.</param>
public sealed record LinearCrossValidation(CvResult Result, LinearModel Model);

/// <summary>What <see cref="Lasso"/>, <see cref="Ridge"/> and <see cref="ElasticNet"/> share: a regression target, coordinate descent at one α.</summary>
public abstract record LinearRegressionEstimator : LinearEstimator
{
    private protected override TaskKind FittedTask(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Task != TaskKind.Regression)
            throw new OccamException($"{GetType().Name} fits a regression target, but '{data.TargetName}' was read as {data.ClassCount} classes; load it with task: TaskKind.Regression, or use LogisticRegression for class labels.");
        return TaskKind.Regression;
    }

    private protected override LinearFit SolveOne(Dataset x, LinearOptions options) =>
        ElasticNetRegression.Fit(x.X, x.Rows, x.Features, x.Y, Alpha, options, x.FeatureNames);

    /// <summary>Fits a rows × features array and one target per row (features named x1..xN).</summary>
    public LinearModel Fit(double[,] x, double[] y) => Fit(Dataset.ForRegression(x, y));
}

/// <summary>
/// Lasso regression, α·‖w‖₁ (scikit-learn's <c>Lasso(alpha)</c>):
/// <code>var model = new Lasso { Alpha = 0.1 }.Fit(data);   // model.Coef, model.Sparsity, model.Predict(data)</code>
/// </summary>
public sealed record Lasso : LinearRegressionEstimator
{
    private protected override string PenaltyName => "lasso";
    private protected override double Rho => 1;
}

/// <summary>
/// Ridge regression, (α/2)·‖w‖², by a direct Cholesky solve (scikit-learn's <c>Ridge(alpha = n·α)</c>); its
/// <c>Path</c> and <c>CrossValidate</c> use coordinate descent at ρ = 0.
/// </summary>
public sealed record Ridge : LinearRegressionEstimator
{
    private protected override string PenaltyName => "ridge";
    private protected override double Rho => 0;
    private protected override LinearFit SolveOne(Dataset x, LinearOptions options) =>
        RidgeRegression.Fit(x.X, x.Rows, x.Features, x.Y, Alpha, options, x.FeatureNames);
}

/// <summary>Elastic-net regression, α·(ρ‖w‖₁ + (1−ρ)/2‖w‖²) with ρ = <see cref="L1Ratio"/> (scikit-learn's <c>ElasticNet(alpha, l1_ratio)</c>).</summary>
public sealed record ElasticNet : LinearRegressionEstimator
{
    /// <summary>ρ in [0, 1] (default 0.5): 1 is the lasso, 0 ridge.</summary>
    public double L1Ratio { get; init; } = 0.5;

    private protected override string PenaltyName => "elasticnet";
    private protected override double Rho => L1Ratio;

    private protected override LinearOptions Options()
    {
        if (!(L1Ratio >= 0 && L1Ratio <= 1)) throw new OccamException($"ElasticNet.L1Ratio must be in [0, 1] (got {Text(L1Ratio)}).");
        return base.Options();
    }
}

/// <summary>
/// Penalized logistic regression: mean log-loss + α·(ρ‖w‖₁ + (1−ρ)/2‖w‖²) (glmnet's binomial family with
/// λ = α; scikit-learn's <c>LogisticRegression(C)</c> is α = 1/(n·C)); three or more classes are fitted by multinomial
/// (softmax) regression, glmnet's multinomial family (see <see cref="Grouped"/>). Predicts class labels, probabilities and scores:
/// <code>var model = new LogisticRegression { Penalty = LinearPenalty.Lasso, Alpha = 0.01 }.Fit(data);</code>
/// See docs/algorithms/logistic-regression.md.
/// </summary>
public sealed record LogisticRegression : LinearEstimator
{
    /// <summary>Lasso (default), ridge or elastic net.</summary>
    public LinearPenalty Penalty { get; init; } = LinearPenalty.Lasso;

    /// <summary>ρ for <see cref="LinearPenalty.ElasticNet"/> (default 0.5); lasso is 1 and ridge 0 whatever this says.</summary>
    public double L1Ratio { get; init; } = 0.5;

    /// <summary>
    /// Multiclass targets (multinomial regression, docs/algorithms/multinomial-regression.md): penalize each feature's K
    /// class coefficients as one group, ‖βⱼ‖₂ (glmnet's <c>type.multinomial = "grouped"</c>). Default false.
    /// </summary>
    public bool Grouped { get; init; }

    private protected override bool GroupedPenalty => Grouped;

    private protected override string PenaltyName => Penalty switch
    {
        LinearPenalty.Lasso => "lasso",
        LinearPenalty.Ridge => "ridge",
        _ => "elasticnet",
    };

    private protected override double Rho => Penalty switch
    {
        LinearPenalty.Lasso => 1,
        LinearPenalty.Ridge => 0,
        _ => L1Ratio,
    };

    private protected override TaskKind FittedTask(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Task switch
        {
            TaskKind.Binary => TaskKind.Binary,
            TaskKind.Multiclass => TaskKind.Multiclass,
            _ => throw new OccamException($"LogisticRegression needs class labels, but '{data.TargetName}' was read as a regression target; load it with task: TaskKind.Binary or TaskKind.Multiclass, or use Lasso/Ridge/ElasticNet."),
        };
    }

    private protected override LinearOptions Options()
    {
        if (!Enum.IsDefined(Penalty)) throw new OccamException($"LogisticRegression.Penalty is {(int)Penalty}; use LinearPenalty.Lasso, Ridge or ElasticNet.");
        if (!(L1Ratio >= 0 && L1Ratio <= 1)) throw new OccamException($"LogisticRegression.L1Ratio must be in [0, 1] (got {Text(L1Ratio)}).");
        return base.Options();
    }

    private protected override LinearFit SolveOne(Dataset x, LinearOptions options)
    {
        if (Alpha == 0)
            throw OccamException.Usage("alpha (LogisticRegression.Alpha, --alpha) must be > 0 for logistic regression: an unpenalized fit diverges on separable data; use a small value such as 1e-6.");
        return BinaryLogisticRegression.Fit(x.X, x.Rows, x.Features, x.Y, Alpha, options, x.FeatureNames);
    }

    /// <summary>Fits a rows × features array and one label per row (two distinct labels).</summary>
    public LinearModel Fit(double[,] x, string[] y) => Fit(Dataset.ForClassification(x, y));

    /// <summary>Fits a rows × features array and one integer label per row (two distinct labels).</summary>
    public LinearModel Fit(double[,] x, int[] y) => Fit(Dataset.ForClassification(x, y));

    /// <summary>Fits a rows × features array and one numeric label per row (e.g. 0.0 and 1.0).</summary>
    public LinearModel Fit(double[,] x, double[] y)
    {
        ArgumentNullException.ThrowIfNull(y);
        return Fit(Dataset.ForClassification(x, y.Select(PredictionText.Format).ToArray()));
    }
}
