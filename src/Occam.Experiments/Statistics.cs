using Occam.Reports;
using Occam.Selection;

namespace Occam.Experiments;

/// <summary>An estimate with its two-sided 95 % interval [<paramref name="Low"/>, <paramref name="High"/>].</summary>
public readonly record struct Estimate(double Value, double Low, double High)
{
    /// <summary>An exactly known value (a deterministic measurement: interval of width 0).</summary>
    public static Estimate Exact(double value) => new(value, value, value);
}

/// <summary>A statistic that the verdict rule can judge: its 95 % interval and its table cell.</summary>
public interface IStatistic
{
    /// <summary>The estimate and its 95 % interval.</summary>
    Estimate Interval { get; }

    /// <summary>The statistic as a report table cell.</summary>
    Cell ToCell();
}

/// <summary>
/// A rate k/n with its Wilson score 95 % interval (see <see cref="Stats.Wilson(int, int)"/>).
/// </summary>
public sealed record Proportion(int Successes, int Trials, double Low, double High) : IStatistic
{
    /// <summary>k/n.</summary>
    public double Rate => (double)Successes / Trials;

    /// <inheritdoc/>
    public Estimate Interval => new(Rate, Low, High);

    /// <inheritdoc/>
    public Cell ToCell() => Cell.Rate(Rate, Low, High);
}

/// <summary>
/// A sample mean with its standard error and 95 % interval mean ± t(0.975, n−1)·SE (see <see cref="Stats.Mean"/>).
/// </summary>
public sealed record MeanEstimate(double Mean, double StandardError, int Count, double Low, double High) : IStatistic
{
    /// <inheritdoc/>
    public Estimate Interval => new(Mean, Low, High);

    /// <inheritdoc/>
    public Cell ToCell() => Cell.Mean(Mean, StandardError);

    /// <summary>The same estimate shown with <paramref name="digits"/> significant digits.</summary>
    public Cell ToCell(int digits) => Cell.Mean(Mean, StandardError, digits);
}

/// <summary>
/// The statistics every experiment uses (formulas in docs/experiments.md). All intervals are two-sided 95 %.
/// </summary>
public static class Stats
{
    /// <summary>z = Φ⁻¹(0.975), the normal quantile of a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The Wilson score interval of k successes in n trials (Wilson 1927; recommended by Brown, Cai &amp; DasGupta 2001,
    /// "Interval estimation for a binomial proportion", Statist. Sci. 16:101–133): with p̂ = k/n and z = 1.96,
    /// centre = (p̂ + z²/(2n)) / (1 + z²/n), half-width = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/(4n²)).
    /// Unlike p̂ ± z·√(p̂(1−p̂)/n) it stays inside [0, 1] and is not empty at k = 0 or k = n.
    /// </summary>
    public static Proportion Wilson(int successes, int trials)
    {
        if (trials <= 0) throw new ArgumentOutOfRangeException(nameof(trials), trials, "a rate needs at least one trial.");
        if (successes < 0 || successes > trials)
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"successes must be in [0, {trials}].");
        double n = trials, p = successes / n, z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = Z95 / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // The exact ends at k = 0 and k = n (the formula gives them up to rounding).
        double low = successes == 0 ? 0 : Math.Max(0, centre - half);
        double high = successes == trials ? 1 : Math.Min(1, centre + half);
        return new Proportion(successes, trials, low, high);
    }

    /// <summary>The Wilson interval of the number of <c>true</c> values in <paramref name="outcomes"/>.</summary>
    public static Proportion Wilson(IEnumerable<bool> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        int k = 0, n = 0;
        foreach (bool o in outcomes) { n++; if (o) k++; }
        return Wilson(k, n);
    }

    /// <summary>
    /// Mean ± standard error of a sample x₁..xₙ: x̄ = Σxᵢ/n, s² = Σ(xᵢ − x̄)²/(n − 1), SE = s/√n, and the 95 % interval
    /// x̄ ± t(0.975, n − 1)·SE (Student's t; exact for normal data, approximately right for means of many draws).
    /// With n = 1 the SE is undefined: SE = NaN and the interval is (−∞, ∞), which the verdict rule reads as "cannot decide".
    /// </summary>
    public static MeanEstimate Mean(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = values.Count;
        if (n == 0) throw new ArgumentException("a mean needs at least one value.", nameof(values));
        // One home for mean and SE: the same definition the 1-SE rule uses for fold errors.
        var (mean, se) = OneStandardError.MeanAndSe(values as double[] ?? values.ToArray());
        if (n == 1) return new MeanEstimate(mean, double.NaN, 1, double.NegativeInfinity, double.PositiveInfinity);
        double t = StudentT975(n - 1);
        return new MeanEstimate(mean, se, n, mean - t * se, mean + t * se);
    }

    /// <summary>
    /// The paired difference a − b: the <see cref="Mean"/> of dᵢ = aᵢ − bᵢ (same seed / data set i for both). Pairing
    /// removes the between-seed variance that both share, so the interval is narrower than for two independent means.
    /// </summary>
    public static MeanEstimate PairedDifference(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"paired samples need equal lengths (got {a.Count} and {b.Count}).", nameof(b));
        var d = new double[a.Count];
        for (int i = 0; i < d.Length; i++) d[i] = a[i] - b[i];
        return Mean(d);
    }

    /// <summary>
    /// t(0.975, ν), the 97.5 % quantile of Student's t with ν degrees of freedom: the t with A(t | ν) = P(|T| ≤ t) = 0.95,
    /// found by bisection on the exact finite series for integer ν (Abramowitz &amp; Stegun 26.7.3, θ = atan(t/√ν)):
    /// ν odd: A = (2/π)·(θ + sinθ·cosθ·(1 + (2/3)cos²θ + … + (2·4⋯(ν−3))/(1·3⋯(ν−2))·cos^(ν−3)θ)) (just 2θ/π for ν = 1);
    /// ν even: A = sinθ·(1 + (1/2)cos²θ + … + (1·3⋯(ν−3))/(2·4⋯(ν−2))·cos^(ν−2)θ). Beyond ν = 10⁴ the normal z is used.
    /// </summary>
    public static double StudentT975(int degreesOfFreedom)
    {
        if (degreesOfFreedom < 1) throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "needs ν ≥ 1.");
        if (degreesOfFreedom > 10_000) return Z95;
        double lo = 0, hi = 100;  // t(0.975, 1) = 12.71
        for (int i = 0; i < 200 && hi - lo > 1e-13; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (TwoSidedT(mid, degreesOfFreedom) < 0.95) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>A(t | ν) = P(|T| ≤ t) for integer ν (A&amp;S 26.7.3).</summary>
    private static double TwoSidedT(double t, int nu)
    {
        double theta = Math.Atan(t / Math.Sqrt(nu));
        double s = Math.Sin(theta), c2 = Math.Cos(theta) * Math.Cos(theta);
        double term = 1, sum = 1;
        if (nu % 2 == 1)
        {
            if (nu == 1) return 2 * theta / Math.PI;
            for (int k = 2; k <= nu - 3; k += 2) { term *= c2 * k / (k + 1); sum += term; }
            return 2 / Math.PI * (theta + s * Math.Cos(theta) * sum);
        }
        for (int k = 1; k <= nu - 3; k += 2) { term *= c2 * k / (k + 1); sum += term; }
        return s * sum;
    }
}
