using System.Globalization;
using Occam.Numerics;
using Occam.Numerics.Random;

namespace Occam.Data;

/// <summary>
/// Small synthetic datasets for tests, demos and the playground. Every draw comes from the
/// <see cref="Rng"/> passed in, so a seed reproduces the set exactly on every machine. Rows are
/// shuffled (with the same generator) so that any prefix holds every class.
/// </summary>
/// <remarks>
/// Features are named <c>x1, x2, …</c> (<c>x</c> for <see cref="Polynomial"/>), the target <c>y</c>;
/// classes are "0", "1", … . Two-class sets are <see cref="TaskKind.Binary"/>, more classes
/// <see cref="TaskKind.Multiclass"/>.
/// </remarks>
public static class Synthetic
{
    /// <summary>
    /// XOR: points uniform in [−1, 1]²; the label is 1 when the two coordinates have the same
    /// sign, 0 otherwise. Noise (TensorFlow-playground style): the label is computed at the point
    /// moved by N(0, noise²) in each coordinate while the stored point stays unmoved, so features
    /// stay in [−1, 1] and labels near the axes flip.
    /// </summary>
    /// <param name="n">Number of points, ≥ 2.</param>
    /// <param name="noise">Standard deviation of the label noise, ≥ 0 (0 = clean).</param>
    /// <param name="rng">Source of randomness.</param>
    public static Dataset Xor(int n, double noise, Rng rng)
    {
        CheckCount(n, 2, 2, "xor");
        Preconditions.CheckNonNegative(noise);
        ArgumentNullException.ThrowIfNull(rng);
        var x = new double[2 * n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double a = 2 * rng.NextDouble() - 1;
            double b = 2 * rng.NextDouble() - 1;
            double na = a + noise * rng.NextNormal();
            double nb = b + noise * rng.NextNormal();
            x[2 * i] = a;
            x[2 * i + 1] = b;
            y[i] = na * nb > 0 ? 1 : 0;
        }
        return Make(x, y, n, 2, Names(2), 2);
    }

    /// <summary>
    /// Two concentric circles (like scikit-learn's <c>make_circles</c>): ⌈n/2⌉ points on the outer
    /// circle of radius 1 (class 0) and the rest on the inner circle of radius
    /// <paramref name="factor"/> (class 1), at uniform random angles, each coordinate plus
    /// N(0, noise²).
    /// </summary>
    /// <param name="n">Number of points, ≥ 2.</param>
    /// <param name="noise">Standard deviation of the Gaussian noise, ≥ 0.</param>
    /// <param name="factor">Inner radius relative to the outer one, in (0, 1).</param>
    /// <param name="rng">Source of randomness.</param>
    public static Dataset Circles(int n, double noise, double factor, Rng rng)
    {
        CheckCount(n, 2, 2, "circles");
        Preconditions.CheckNonNegative(noise);
        if (!(factor > 0 && factor < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"factor must be in (0, 1) (got {factor}).");
        ArgumentNullException.ThrowIfNull(rng);
        int outer = (n + 1) / 2;
        var x = new double[2 * n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            bool inner = i >= outer;
            double radius = inner ? factor : 1.0;
            double t = 2 * Math.PI * rng.NextDouble();
            x[2 * i] = radius * Math.Cos(t) + noise * rng.NextNormal();
            x[2 * i + 1] = radius * Math.Sin(t) + noise * rng.NextNormal();
            y[i] = inner ? 1 : 0;
        }
        return Make(x, y, n, 2, Names(2), 2, rng);
    }

    /// <summary>
    /// Interleaved spirals (the CS231n spiral): class k gets about n/K points; point i of a class
    /// has radius r = i / (m − 1) (m points in the class) and angle
    /// t = 2πk/K + 4r + noise·N(0, 1) radians, at (r·sin t, r·cos t).
    /// </summary>
    /// <param name="n">Number of points, ≥ 2 per class.</param>
    /// <param name="classes">Number of arms K ≥ 2 (2 gives a binary set).</param>
    /// <param name="noise">Standard deviation of the angle noise in radians, ≥ 0 (CS231n uses 0.2).</param>
    /// <param name="rng">Source of randomness.</param>
    public static Dataset Spiral(int n, int classes, double noise, Rng rng)
    {
        if (classes < 2)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"classes must be >= 2 (got {classes}).");
        CheckCount(n, 2 * classes, 2, $"a spiral of {classes} classes");
        Preconditions.CheckNonNegative(noise);
        ArgumentNullException.ThrowIfNull(rng);
        var x = new double[2 * n];
        var y = new double[n];
        int row = 0;
        for (int k = 0; k < classes; k++)
        {
            int m = n / classes + (k < n % classes ? 1 : 0);
            for (int i = 0; i < m; i++, row++)
            {
                double r = (double)i / (m - 1);
                double t = 2 * Math.PI * k / classes + 4 * r + noise * rng.NextNormal();
                x[2 * row] = r * Math.Sin(t);
                x[2 * row + 1] = r * Math.Cos(t);
                y[row] = k;
            }
        }
        return Make(x, y, n, 2, Names(2), classes, rng);
    }

    /// <summary>
    /// Gaussian blobs (like scikit-learn's <c>make_blobs</c>): <paramref name="centers"/> centres
    /// drawn uniformly from [−10, 10]^features, then about n/centers points per centre, each
    /// coordinate N(centre, std²). Class k is the k-th centre; binary when there are 2 centres.
    /// </summary>
    /// <param name="n">Number of points, ≥ 1 per centre.</param>
    /// <param name="centers">Number of centres (classes), ≥ 2.</param>
    /// <param name="features">Dimension, ≥ 1.</param>
    /// <param name="std">Standard deviation around each centre, ≥ 0.</param>
    /// <param name="rng">Source of randomness.</param>
    public static Dataset Blobs(int n, int centers, int features, double std, Rng rng)
    {
        if (centers < 2)
            throw new ArgumentOutOfRangeException(nameof(centers), centers, $"centers must be >= 2 (got {centers}).");
        Preconditions.CheckPositive(features);
        CheckCount(n, centers, features, $"{centers} blobs");
        Preconditions.CheckNonNegative(std);
        ArgumentNullException.ThrowIfNull(rng);
        var centre = new double[centers * features];
        for (int i = 0; i < centre.Length; i++)
            centre[i] = 20 * rng.NextDouble() - 10;
        var x = new double[n * features];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            int k = i % centers;
            for (int j = 0; j < features; j++)
                x[i * features + j] = centre[k * features + j] + std * rng.NextNormal();
            y[i] = k;
        }
        return Make(x, y, n, features, Names(features), centers, rng);
    }

    /// <summary>
    /// Noisy polynomial regression: coefficients c_0..c_degree are drawn first, each N(0, 1); then
    /// x is uniform in [−1, 1] and y = Σ_k c_k x^k + noise·N(0, 1). One feature named "x".
    /// </summary>
    /// <param name="n">Number of points, ≥ 1.</param>
    /// <param name="degree">Polynomial degree, ≥ 0.</param>
    /// <param name="noise">Standard deviation of the additive noise, ≥ 0.</param>
    /// <param name="rng">Source of randomness.</param>
    public static Dataset Polynomial(int n, int degree, double noise, Rng rng)
    {
        CheckCount(n, 1, 1, "polynomial");
        Preconditions.CheckNonNegative(degree);
        Preconditions.CheckNonNegative(noise);
        ArgumentNullException.ThrowIfNull(rng);
        var c = new double[degree + 1];
        for (int k = 0; k <= degree; k++)
            c[k] = rng.NextNormal();
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double t = 2 * rng.NextDouble() - 1;
            double value = 0;
            for (int k = degree; k >= 0; k--)
                value = value * t + c[k]; // Horner
            x[i] = t;
            y[i] = value + noise * rng.NextNormal();
        }
        return new Dataset(x, y, n, 1, ["x"], "y", TaskKind.Regression);
    }

    /// <summary>
    /// Regression on a plane (TensorFlow playground's "regress plane"): points uniform in [−1, 1]², target
    /// y = (x₁ + x₂)/2 + noise·N(0, 1). Features x1, x2.
    /// </summary>
    /// <param name="n">Number of points, ≥ 1.</param>
    /// <param name="noise">Standard deviation of the additive noise, ≥ 0.</param>
    /// <param name="rng">Source of randomness.</param>
    public static Dataset Plane(int n, double noise, Rng rng) => Surface(n, noise, rng, "plane", (a, b) => (a + b) / 2);

    /// <summary>
    /// Regression on four Gaussian bumps (after TensorFlow playground's "regress gaussian"): points uniform in
    /// [−1, 1]², target y = Σₖ sₖ·exp(−‖x − cₖ‖² / (2·0.3²)) + noise·N(0, 1) with centres cₖ = (±0.5, ±0.5) and signs
    /// sₖ = +1 where both coordinates of cₖ have the same sign, −1 otherwise. Features x1, x2.
    /// </summary>
    /// <param name="n">Number of points, ≥ 1.</param>
    /// <param name="noise">Standard deviation of the additive noise, ≥ 0.</param>
    /// <param name="rng">Source of randomness.</param>
    public static Dataset GaussianBumps(int n, double noise, Rng rng) => Surface(n, noise, rng, "gaussian bumps", (a, b) =>
    {
        const double width = 0.3;
        double value = 0;
        foreach (double ca in (ReadOnlySpan<double>)[-0.5, 0.5])
            foreach (double cb in (ReadOnlySpan<double>)[-0.5, 0.5])
                value += Math.Sign(ca * cb) * Math.Exp(-((a - ca) * (a - ca) + (b - cb) * (b - cb)) / (2 * width * width));
        return value;
    });

    /// <summary>Points uniform in [−1, 1]² (x₁ then x₂ drawn, then the noise), target f(x₁, x₂) + noise·N(0, 1).</summary>
    private static Dataset Surface(int n, double noise, Rng rng, string what, Func<double, double, double> f)
    {
        CheckCount(n, 1, 2, what);
        Preconditions.CheckNonNegative(noise);
        ArgumentNullException.ThrowIfNull(rng);
        var x = new double[2 * n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double a = 2 * rng.NextDouble() - 1;
            double b = 2 * rng.NextDouble() - 1;
            x[2 * i] = a;
            x[2 * i + 1] = b;
            y[i] = f(a, b) + noise * rng.NextNormal();
        }
        return new Dataset(x, y, n, 2, Names(2), "y", TaskKind.Regression);
    }

    /// <summary>At least <paramref name="min"/> rows, and n × (features + 1) values that fit in memory; <see cref="OccamException"/> otherwise.</summary>
    private static void CheckCount(int n, int min, int features, string what)
    {
        if (n < min)
            throw OccamException.Usage($"{what} needs at least {min} rows (got {n}); ask for more rows.");
        SizeLimits.CheckArray(n, features, $"{Counted.Of(n, "row")} × {Counted.Of(features, "feature")}", "ask for fewer rows or features");
        SizeLimits.CheckMemory(8.0 * n * (features + 1), $"a dataset of {Counted.Of(n, "row")} × {Counted.Of(features, "feature")}", "ask for fewer rows or features");
    }

    private static string[] Names(int features) => Dataset.DefaultFeatureNames(features);

    private static Dataset Make(double[] x, double[] y, int n, int features, string[] names, int classes, Rng? shuffle = null)
    {
        var data = new Dataset(x, y, n, features, names, "y", classes == 2 ? TaskKind.Binary : TaskKind.Multiclass,
            Enumerable.Range(0, classes).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray());
        if (shuffle is null)
            return data;
        var order = new int[n];
        for (int i = 0; i < n; i++)
            order[i] = i;
        shuffle.Shuffle<int>(order);
        return data.Subset(order);
    }
}
