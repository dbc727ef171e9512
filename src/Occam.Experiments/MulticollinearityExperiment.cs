using Occam.Linear;
using Occam.Numerics.Random;

namespace Occam.Experiments;

/// <summary>
/// Claims (notes 003, 004): L2 suits highly correlated features (e.g. house area and number of rooms) and gives more stable
/// coefficients; lasso keeps one of a correlated pair; "elastic net helps with correlated features".
/// </summary>
/// <remarks>
/// Protocol (float64). For each correlation r in <see cref="MulticollinearityProtocol.Correlations"/> and each of
/// <see cref="MulticollinearityProtocol.Resamples"/> fresh data sets (one <see cref="Rng"/> per data set,
/// seed + 1000·(correlation index) + d), n houses with z ~ N(0, I₃):
/// area = 100 + 30·z₁ m², rooms = 4 + (r·z₁ + √(1 − r²)·z₂), age = 30 + 15·z₃ years, so corr(area, rooms) = r;
/// price = 2·area + 40·rooms − 2·age + 50·ε, ε ~ N(0, 1) (standardized effects 60, 40, −30; draws per row z₁, z₂, z₃, ε).
/// Fits (intercept, standardized columns, scikit-learn's objective): least squares, ridge (ρ = 0), lasso (ρ = 1) and
/// elastic net (ρ = 0.5), each at the α_min of K-fold cross-validation (contiguous folds) on its own α grid (ridge:
/// <see cref="LinearSolverSettings.RidgeGrid"/>; solver settings <see cref="LinearSolverSettings"/>).
/// Coefficients are reported as standardized effects (coefficient × population sd of the feature: 30, 1, 15).
/// Test error is exact: σ² + (Δb + Δwᵀμ)² + ΔwᵀΣΔw with Δ = fitted − true and μ, Σ the features' mean and covariance.
/// Condition number: λ_max/λ_min of the sample correlation matrix of the three columns (Jacobi eigenvalues).
/// </remarks>
public static class MulticollinearityExperiment
{
    /// <summary>Feature names, in column order.</summary>
    public static readonly string[] Features = ["area", "rooms", "age"];

    /// <summary>Population standard deviations of the features (their standardized effect is coefficient × sd).</summary>
    public static readonly double[] FeatureSd = [30, 1, 15];

    /// <summary>True coefficients in original units.</summary>
    public static readonly double[] TrueCoef = [2, 40, -2];

    /// <summary>True intercept.</summary>
    public const double TrueIntercept = 0;

    /// <summary>Noise standard deviation σ.</summary>
    public const double Noise = 50;

    private static readonly double[] Mean = [100, 4, 30];

    /// <summary>Draws data set <paramref name="index"/> at correlation index <paramref name="correlation"/>: x (rows × 3, row-major) and y.</summary>
    public static (double[] X, double[] Y) Draw(MulticollinearityProtocol protocol, int correlation, int index)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        double r = protocol.Correlations[correlation], s = Math.Sqrt(1 - r * r);
        var rng = new Rng(protocol.Seed + 1000UL * (ulong)correlation + (ulong)index);
        int n = protocol.Rows;
        var x = new double[n * 3];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double z1 = rng.NextNormal(), z2 = rng.NextNormal(), z3 = rng.NextNormal(), e = rng.NextNormal();
            x[3 * i] = Mean[0] + FeatureSd[0] * z1;
            x[3 * i + 1] = Mean[1] + FeatureSd[1] * (r * z1 + s * z2);
            x[3 * i + 2] = Mean[2] + FeatureSd[2] * z3;
            y[i] = TrueIntercept + TrueCoef[0] * x[3 * i] + TrueCoef[1] * x[3 * i + 1] + TrueCoef[2] * x[3 * i + 2] + Noise * e;
        }
        return (x, y);
    }

    /// <summary>E[(ŷ − f(x))²] + σ² for a fit (b̂, ŵ) under the generating distribution at correlation r.</summary>
    public static double TestError(double intercept, ReadOnlySpan<double> coef, double r)
    {
        var d = new double[3];
        double shift = intercept - TrueIntercept;
        for (int j = 0; j < 3; j++) { d[j] = coef[j] - TrueCoef[j]; shift += d[j] * Mean[j]; }
        // Σ: var(area) = 30², var(rooms) = 1, cov(area, rooms) = 30·r, var(age) = 15².
        double quad = d[0] * d[0] * 900 + d[1] * d[1] + 2 * d[0] * d[1] * 30 * r + d[2] * d[2] * 225;
        return Noise * Noise + shift * shift + quad;
    }

    /// <summary>λ_max/λ_min of the sample correlation matrix of the columns of x (rows × p, row-major).</summary>
    public static double ConditionNumber(double[] x, int rows, int p)
    {
        ArgumentNullException.ThrowIfNull(x);
        var mean = new double[p];
        var sd = new double[p];
        for (int j = 0; j < p; j++)
        {
            for (int i = 0; i < rows; i++) mean[j] += x[i * p + j];
            mean[j] /= rows;
            for (int i = 0; i < rows; i++) sd[j] += (x[i * p + j] - mean[j]) * (x[i * p + j] - mean[j]);
            sd[j] = Math.Sqrt(sd[j] / rows);
        }
        var c = new double[p * p];
        for (int a = 0; a < p; a++)
            for (int b = 0; b < p; b++)
            {
                double s = 0;
                for (int i = 0; i < rows; i++) s += (x[i * p + a] - mean[a]) * (x[i * p + b] - mean[b]);
                c[a * p + b] = s / rows / (sd[a] * sd[b]);
            }
        var eig = SymmetricEigenvalues(c, p);
        return eig.Max() / eig.Min();
    }

    /// <summary>Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations (Golub and Van Loan, §8.5), to rounding level.</summary>
    internal static double[] SymmetricEigenvalues(double[] matrix, int p)
    {
        var a = (double[])matrix.Clone();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int i = 0; i < p; i++)
                for (int j = i + 1; j < p; j++) off += a[i * p + j] * a[i * p + j];
            if (off < 1e-30) break;
            for (int k = 0; k < p; k++)
                for (int l = k + 1; l < p; l++)
                {
                    double akl = a[k * p + l];
                    if (akl == 0) continue;
                    double theta = (a[l * p + l] - a[k * p + k]) / (2 * akl);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double cs = 1 / Math.Sqrt(t * t + 1), sn = t * cs;
                    for (int i = 0; i < p; i++)
                    {
                        double aik = a[i * p + k], ail = a[i * p + l];
                        a[i * p + k] = cs * aik - sn * ail;
                        a[i * p + l] = sn * aik + cs * ail;
                    }
                    for (int i = 0; i < p; i++)
                    {
                        double aki = a[k * p + i], ali = a[l * p + i];
                        a[k * p + i] = cs * aki - sn * ali;
                        a[l * p + i] = sn * aki + cs * ali;
                    }
                }
        }
        return Enumerable.Range(0, p).Select(i => a[i * p + i]).ToArray();
    }

    /// <summary>Runs the protocol.</summary>
    public static MulticollinearityResult Run(MulticollinearityProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        protocol.Validate();
        int m = protocol.Resamples, n = protocol.Rows;
        var cv = new CvOptions { Folds = protocol.Folds, Path = new PathOptions { Count = protocol.Alphas } };
        var levels = new MulticollinearityLevel[protocol.Correlations.Length];
        for (int c = 0; c < levels.Length; c++)
        {
            double r = protocol.Correlations[c];
            var effects = Enum.GetValues<CollinearFit>().ToDictionary(f => f, _ => new double[m][]);
            var test = Enum.GetValues<CollinearFit>().ToDictionary(f => f, _ => new double[m]);
            var kappa = new double[m];
            for (int d = 0; d < m; d++)
            {
                var (x, y) = Draw(protocol, c, d);
                kappa[d] = ConditionNumber(x, n, 3);
                foreach (var fit in Enum.GetValues<CollinearFit>())
                {
                    var model = fit switch
                    {
                        CollinearFit.LeastSquares => RidgeRegression.Fit(x, n, 3, y, 0, LinearSolverSettings.Options(0)).Model,
                        CollinearFit.Ridge => RidgeRegression.Fit(x, n, 3, y, CrossValidation.ElasticNet(x, n, 3, y, LinearSolverSettings.Options(0), LinearSolverSettings.RidgeGrid(cv)).AlphaMin).Model,
                        _ => CrossValidation.ElasticNet(x, n, 3, y, LinearSolverSettings.Options(fit == CollinearFit.Lasso ? 1 : protocol.ElasticNetL1Ratio), cv).Refit.EnsureConverged().Model,
                    };
                    effects[fit][d] = model.Coef.Select((v, j) => v * FeatureSd[j]).ToArray();
                    test[fit][d] = TestError(model.Intercept, model.Coef, r);
                }
            }
            levels[c] = new MulticollinearityLevel(r, effects, test, kappa);
        }
        return new MulticollinearityResult(protocol, levels);
    }
}

/// <summary>The settings of <see cref="MulticollinearityExperiment"/>.</summary>
public sealed record MulticollinearityProtocol
{
    /// <summary>Correlations between area and rooms (default 0, 0.9, 0.99).</summary>
    public double[] Correlations { get; init; } = [0, 0.9, 0.99];
    /// <summary>Fresh data sets per correlation (default 200).</summary>
    public int Resamples { get; init; } = 200;
    /// <summary>Houses per data set (default 50).</summary>
    public int Rows { get; init; } = 50;
    /// <summary>Cross-validation folds (default 5).</summary>
    public int Folds { get; init; } = 5;
    /// <summary>α values per CV grid (default 30, down to 10⁻³α_max).</summary>
    public int Alphas { get; init; } = 30;
    /// <summary>ρ of the elastic net (default 0.5).</summary>
    public double ElasticNetL1Ratio { get; init; } = 0.5;
    /// <summary>Seed; data set d at correlation index c uses seed + 1000·c + d.</summary>
    public ulong Seed { get; init; } = 1;

    internal void Validate()
    {
        if (Resamples < 2) throw OccamException.Usage($"the multicollinearity experiment needs at least 2 resamples (got {Resamples}).");
        if (Resamples > 1000) throw OccamException.Usage($"the multicollinearity experiment allows at most 1000 resamples per correlation (got {Resamples}): their seeds would overlap.");
        if (Rows < 2 * Folds) throw OccamException.Usage($"the multicollinearity experiment needs at least 2 × folds rows (got {Rows}).");
        if (Correlations.Length == 0 || Correlations.Any(r => !(r > -1 && r < 1))) throw OccamException.Usage("the correlations must lie in (−1, 1).");
    }
}

/// <summary>The fits compared by <see cref="MulticollinearityExperiment"/>.</summary>
public enum CollinearFit
{
    /// <summary>Ordinary least squares.</summary>
    LeastSquares,
    /// <summary>Ridge at the CV α_min.</summary>
    Ridge,
    /// <summary>Lasso at the CV α_min.</summary>
    Lasso,
    /// <summary>Elastic net (ρ = 0.5) at the CV α_min.</summary>
    ElasticNet,
}

/// <summary>One correlation level: standardized effects [resample][feature] and exact test error per fit, condition numbers.</summary>
public sealed record MulticollinearityLevel(
    double Correlation, IReadOnlyDictionary<CollinearFit, double[][]> Effects, IReadOnlyDictionary<CollinearFit, double[]> TestError, double[] ConditionNumbers)
{
    /// <summary>Resamples in which the fit keeps area only, rooms only, both, neither (exact zeros).</summary>
    public (int AreaOnly, int RoomsOnly, int Both, int Neither) Kept(CollinearFit fit)
    {
        int a = 0, r = 0, b = 0, none = 0;
        foreach (var e in Effects[fit])
        {
            bool ka = e[0] != 0, kr = e[1] != 0;
            if (ka && kr) b++; else if (ka) a++; else if (kr) r++; else none++;
        }
        return (a, r, b, none);
    }
}

/// <summary>Every correlation level of <see cref="MulticollinearityExperiment"/>.</summary>
public sealed record MulticollinearityResult(MulticollinearityProtocol Protocol, MulticollinearityLevel[] Levels);
