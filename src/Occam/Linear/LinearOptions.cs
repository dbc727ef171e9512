using Occam.Numerics;

namespace Occam.Linear;

/// <summary>How coordinate descent keeps its gradient up to date.</summary>
public enum CdUpdate
{
    /// <summary>Covariance (Gram) update when n &gt; p and p ≤ 4096, residual update otherwise.</summary>
    Auto,
    /// <summary>Precompute <c>G = XᵀX/n</c> and keep the gradient <c>Xᵀr/n</c> current with one axpy of length p per coefficient change (Friedman et al. 2010 "covariance updates").</summary>
    Gram,
    /// <summary>Keep the residual <c>r = y − Xw</c> current with one axpy of length n per change ("naive updates").</summary>
    Residual,
}

/// <summary>Which features are left out of coordinate sweeps before they are proven inactive.</summary>
public enum Screening
{
    /// <summary>No screening: every sweep visits every feature (the active set still speeds things up).</summary>
    None,
    /// <summary>Sequential strong rules (Tibshirani et al. 2012), always followed by a KKT check on the discarded features, so the result is exact.</summary>
    StrongRules,
}

/// <summary>
/// Options shared by the elastic-net and logistic solvers. The penalty is
/// <c>α·Σⱼ vⱼ·(ρ·|wⱼ| + (1−ρ)/2·wⱼ²)</c> with ρ = <see cref="L1Ratio"/> and vⱼ = <see cref="PenaltyFactors"/> (default 1).
/// </summary>
public sealed record LinearOptions
{
    /// <summary>ρ in [0, 1]: 1 = lasso, 0 = ridge, in between = elastic net (scikit-learn's <c>l1_ratio</c>, glmnet's <c>alpha</c>).</summary>
    public double L1Ratio { get; init; } = 1.0;

    /// <summary>Fit an unpenalized intercept (default true).</summary>
    public bool FitIntercept { get; init; } = true;

    /// <summary>
    /// Scale each column by its population standard deviation before fitting (default true, as glmnet).
    /// The penalty then applies to the standardized coefficients; results are always reported in original units.
    /// </summary>
    public bool Standardize { get; init; } = true;

    /// <summary>
    /// Stopping tolerance (default 1e-4, scikit-learn's default). Gaussian: stop when the duality gap ≤ tol·‖y − ȳ‖²/n
    /// (scikit-learn's rule divided by n, because our objective carries 1/(2n)). Logistic: gap ≤ tol·(null mean log-loss).
    /// </summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>
    /// Maximum coordinate sweeps per α (default 1000, scikit-learn's <c>max_iter</c>). Logistic: total over all Newton
    /// steps of that α. A single-α fit approaches α along a short warm-start path whose sweeps are not counted
    /// against this budget (each of its steps has its own budget of <see cref="WarmStartSweeps"/>).
    /// </summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>Sweep budget of each intermediate α of the hidden warm-start path of a single-α fit.</summary>
    public const int WarmStartSweeps = 1000;

    /// <summary>Per-feature penalty factors vⱼ ≥ 0 (0 = unpenalized), used as given (glmnet rescales them to sum to p; we do not).</summary>
    public double[]? PenaltyFactors { get; init; }

    /// <summary>Gradient bookkeeping for the Gaussian solver.</summary>
    public CdUpdate Update { get; init; } = CdUpdate.Auto;

    /// <summary>
    /// Support Newton steps (default true): when coordinate descent has spent as many sweeps on one α as an exact solve
    /// restricted to the current non-zero coefficients would cost, and the support did not change in the last sweep, solve
    /// for that support (signs fixed) directly. Removes the long tails of coordinate descent on correlated columns; the
    /// stopping rule is unchanged. See docs/algorithms/coordinate-descent.md.
    /// </summary>
    public bool SupportNewton { get; init; } = true;

    /// <summary>Screening rule (default strong rules).</summary>
    public Screening Screening { get; init; } = Screening.StrongRules;

    /// <summary>
    /// Multinomial only: penalize each feature's K class coefficients as one group, ‖βⱼ‖₂ instead of Σₖ|βⱼₖ| (glmnet's
    /// <c>type.multinomial = "grouped"</c>), so that a feature is selected for all classes or none. Default false.
    /// </summary>
    public bool Grouped { get; init; }

    internal void Validate(int features)
    {
        Preconditions.CheckInRange(L1Ratio, 0, 1, nameof(L1Ratio));
        Preconditions.CheckPositive(Tolerance, nameof(Tolerance));
        Preconditions.CheckPositive(MaxIterations, nameof(MaxIterations));
        if (PenaltyFactors is { } v)
        {
            Preconditions.Check(v.Length == features, $"PenaltyFactors has {v.Length} values; give one per feature ({features}).", nameof(PenaltyFactors));
            foreach (double f in v) Preconditions.CheckNonNegative(f, nameof(PenaltyFactors));
        }
    }
}

/// <summary>Options for a regularization path.</summary>
public sealed record PathOptions
{
    /// <summary>Number of α values (default 100).</summary>
    public int Count { get; init; } = 100;

    /// <summary>Smallest α as a fraction of α_max (default 1e-3).</summary>
    public double Eps { get; init; } = 1e-3;

    /// <summary>Explicit α values (any order; fitted from largest to smallest). Overrides <see cref="Count"/> and <see cref="Eps"/>.</summary>
    public double[]? Alphas { get; init; }

    internal void Validate()
    {
        if (Alphas is { } a)
        {
            Preconditions.Check(a.Length > 0, "Alphas is empty; give at least one α or leave it null for the automatic grid.", nameof(Alphas));
            foreach (double v in a) Preconditions.CheckNonNegative(v, nameof(Alphas));
        }
        else
        {
            Preconditions.CheckPositive(Count, nameof(Count));
            Preconditions.CheckPositive(Eps, nameof(Eps));
            Preconditions.Check(Eps < 1 || Count == 1, $"Eps must be < 1 (got {Eps}).", nameof(Eps));
        }
    }
}

/// <summary>Options for k-fold cross-validation over a path.</summary>
public sealed record CvOptions
{
    /// <summary>Number of folds K ≥ 2 (default 5); folds come from <see cref="Occam.Selection.KFold"/>.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Shuffle rows before splitting (default false: contiguous folds, as scikit-learn's <c>KFold</c> in <c>LassoCV</c>).</summary>
    public bool Shuffle { get; init; }

    /// <summary>Seed for the shuffle (<see cref="Occam.Numerics.Random.Rng"/>).</summary>
    public ulong Seed { get; init; }

    /// <summary>Stratified folds (logistic regression only): each fold keeps the class proportions (<see cref="Occam.Selection.KFold.Stratified"/>).</summary>
    public bool Stratify { get; init; }

    /// <summary>The α grid.</summary>
    public PathOptions Path { get; init; } = new();
}
