using System.Globalization;

namespace Occam.Selection;

/// <summary>
/// The penalty whose strength λ a network path walks (docs/algorithms/network-path.md). It applies to the first dense
/// layer only (the input weights; group lasso: the first hidden layer's units): with every layer penalized, the warm
/// start from λ_max would sit at the all-zero network, a stationary point that no smaller λ leaves.
/// </summary>
public enum NetworkPathPenalty
{
    /// <summary><c>λ·Σ|w|</c>, prox mode (exact zeros).</summary>
    L1,
    /// <summary><c>λ·Σ_g √|g|·‖w_g‖₂</c> over each hidden unit's incoming weights (whole units reach zero).</summary>
    GroupLasso,
    /// <summary><c>(λ/2)·Σw²</c>, coupled: shrinks, never gives exact zeros.</summary>
    L2,
    /// <summary><c>λ·(ρ‖w‖₁ + (1−ρ)/2‖w‖²)</c>, scikit-learn's convention, ρ = <see cref="NetworkPathOptions.L1Ratio"/>.</summary>
    ElasticNet,
}

/// <summary>The names of <see cref="NetworkPathPenalty"/> on the command line and in files: l1, group-lasso, l2, elastic-net.</summary>
public static class NetworkPathPenalties
{
    /// <summary>l1, group-lasso, l2 or elastic-net.</summary>
    public static string Name(NetworkPathPenalty penalty) => penalty switch
    {
        NetworkPathPenalty.L1 => "l1",
        NetworkPathPenalty.GroupLasso => "group-lasso",
        NetworkPathPenalty.L2 => "l2",
        NetworkPathPenalty.ElasticNet => "elastic-net",
        _ => throw new ArgumentOutOfRangeException(nameof(penalty), penalty, "unknown path penalty"),
    };

    /// <summary>Parses l1 | group-lasso | l2 | elastic-net; null for anything else.</summary>
    public static NetworkPathPenalty? TryParse(string? text) => text switch
    {
        "l1" => NetworkPathPenalty.L1,
        "group-lasso" => NetworkPathPenalty.GroupLasso,
        "l2" => NetworkPathPenalty.L2,
        "elastic-net" => NetworkPathPenalty.ElasticNet,
        _ => null,
    };
}

/// <summary>
/// How <see cref="NetworkPath.Fit"/> walks λ: the penalty, the grid (<see cref="Count"/> values log-spaced from λ_max
/// down to <see cref="LambdaMinRatio"/>·λ_max, or an explicit <see cref="Lambdas"/> list) and how λ is chosen
/// (held-out rows of the estimator's <c>ValidationSplit</c>, or <see cref="Folds"/>-fold cross-validation).
/// </summary>
public sealed record NetworkPathOptions
{
    /// <summary>The penalty. Default <see cref="NetworkPathPenalty.L1"/>.</summary>
    public NetworkPathPenalty Penalty { get; init; } = NetworkPathPenalty.L1;

    /// <summary>ρ for <see cref="NetworkPathPenalty.ElasticNet"/>, in (0, 1]. Default 0.5.</summary>
    public double L1Ratio { get; init; } = 0.5;

    /// <summary>Number of λ values on the default grid (≥ 1). Default 30.</summary>
    public int Count { get; init; } = 30;

    /// <summary>The most λ values one path may walk (as many as a sweep's trials, <see cref="Sampler.MaxTrials"/>): each is a fit whose network the path keeps.</summary>
    public const int MaxCount = Sampler.MaxTrials;

    /// <summary>The smallest λ of the default grid as a fraction of λ_max, in (0, 1). Default 1e-4.</summary>
    public double LambdaMinRatio { get; init; } = 1e-4;

    /// <summary>An explicit grid instead of the default one (every value &gt; 0; walked in descending order).</summary>
    public IReadOnlyList<double>? Lambdas { get; init; }

    /// <summary>K ≥ 2: choose λ by K-fold cross-validation (held-out loss, mean ± SE over folds); 0 (default): by the estimator's validation rows.</summary>
    public int Folds { get; init; }

    /// <summary>Folds are dealt from a seeded permutation (default) or in row order.</summary>
    public FoldOrder FoldOrder { get; init; } = FoldOrder.Shuffled;

    /// <summary>Seed of the fold permutation. Default 0.</summary>
    public ulong FoldSeed { get; init; }

    /// <summary>Checks every option; a bad value is an <see cref="OccamException"/> naming the property.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Penalty)) throw OccamException.Usage($"NetworkPathOptions.Penalty {Penalty} is not known; use l1, group-lasso, l2 or elastic-net.");
        if (Penalty == NetworkPathPenalty.ElasticNet && !(L1Ratio > 0 && L1Ratio <= 1))
            throw OccamException.Usage($"NetworkPathOptions.L1Ratio must be in (0, 1] for the elastic-net path (got {Text(L1Ratio)}); 1 is the l1 path, and ρ = 0 is the l2 path (--penalty l2).");
        if (Count < 1) throw OccamException.Usage($"NetworkPathOptions.Count (--n-lambdas) must be >= 1 (got {Count}).");
        if (Count > MaxCount)
            throw OccamException.Usage($"NetworkPathOptions.Count (--n-lambdas) {Count} is more than {MaxCount}: every λ is a training run and the path keeps each λ's network; use fewer (the default is 30).");
        if (!(LambdaMinRatio > 0 && LambdaMinRatio < 1))
            throw OccamException.Usage($"NetworkPathOptions.LambdaMinRatio (--lambda-min-ratio) must be in (0, 1) (got {Text(LambdaMinRatio)}), e.g. 1e-3.");
        if (Lambdas is { } given)
        {
            if (given.Count == 0) throw OccamException.Usage("NetworkPathOptions.Lambdas is empty; give at least one λ > 0 or leave it null for the default grid.");
            foreach (double v in given)
                if (!(v > 0 && double.IsFinite(v))) throw OccamException.Usage($"NetworkPathOptions.Lambdas holds {Text(v)}; every λ on a path must be a finite number > 0.");
        }
        if (Folds is 1 or < 0) throw OccamException.Usage($"NetworkPathOptions.Folds (--folds) must be 0 (choose on the validation split) or >= 2 (got {Folds}).");
    }

    private static string Text(double v) => v.ToString(CultureInfo.InvariantCulture);
}
