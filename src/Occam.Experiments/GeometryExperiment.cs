using Occam.Linear;
using Occam.Numerics.Random;

namespace Occam.Experiments;

/// <summary>
/// Claim (notes 001, 002): the L1 diamond's constrained optimum "usually" lies on an axis (one weight exactly zero), the L2
/// circle's does not; in high dimension many weights are zero at once.
/// </summary>
/// <remarks>
/// Protocol (float64). Problem d (one <see cref="Rng"/> per problem, seed + d): n rows of two features
/// x₁ = z₁, x₂ = r·z₁ + √(1 − r²)·z₂ with z ~ N(0, 1) and correlation r ~ U(−0.9, 0.9), true weights w ~ N(0, I₂),
/// y = Xw + N(0, 1) noise; the draws are r, w₁, w₂, then per row z₁, z₂, ε. The loss is least squares without intercept,
/// L(w) = (1/(2n))‖y − Xw‖² = ½(w − w*)ᵀH(w − w*) + const with H = XᵀX/n and w* = H⁻¹Xᵀy/n (the unconstrained optimum).
/// For each budget t = s·‖w*‖ (s in <see cref="GeometryProtocol.Budgets"/>, the norm of the ball) the constrained optimum is
/// computed exactly, never drawn: L1 (<see cref="L1BallOptimum"/>): the minimum of the convex quadratic over each edge
/// of the diamond is a one-dimensional quadratic clamped to the edge; the optimum is on an axis exactly when that clamp
/// lands on a vertex. L2 (<see cref="L2BallOptimum"/>): w(μ) = (H + μI)⁻¹Hw* with μ ≥ 0 the root of ‖w(μ)‖₂ = t
/// (bisection to the last bit); it is on an axis when a weight is below 10⁻⁹·t in magnitude.
/// High dimension: <see cref="GeometryProtocol.HighDimProblems"/> problems of n = 100 rows × p = 50 independent N(0, 1)
/// features, dense weights N(0, 1), noise N(0, 1); lasso and ridge paths (intercept, standardized columns) on one grid of
/// α/α_max; exact zeros counted per α.
/// </remarks>
public static class GeometryExperiment
{
    /// <summary>Draws problem <paramref name="index"/>: H (row-major 2×2) and w*.</summary>
    public static TwoWeightProblem Draw(GeometryProtocol protocol, int index)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var rng = new Rng(protocol.Seed + (ulong)index);
        double r = 0.9 * (2 * rng.NextDouble() - 1);
        double w1 = rng.NextNormal(), w2 = rng.NextNormal();
        double s = Math.Sqrt(1 - r * r);
        int n = protocol.Rows;
        double h11 = 0, h12 = 0, h22 = 0, b1 = 0, b2 = 0;
        for (int i = 0; i < n; i++)
        {
            double z1 = rng.NextNormal(), z2 = rng.NextNormal();
            double x1 = z1, x2 = r * z1 + s * z2;
            double y = w1 * x1 + w2 * x2 + rng.NextNormal();
            h11 += x1 * x1; h12 += x1 * x2; h22 += x2 * x2;
            b1 += x1 * y; b2 += x2 * y;
        }
        h11 /= n; h12 /= n; h22 /= n; b1 /= n; b2 /= n;
        double det = h11 * h22 - h12 * h12;
        var optimum = new[] { (h22 * b1 - h12 * b2) / det, (h11 * b2 - h12 * b1) / det };
        return new TwoWeightProblem([h11, h12, h12, h22], optimum);
    }

    /// <summary>
    /// The exact minimizer of ½(w − w*)ᵀH(w − w*) over ‖w‖₁ ≤ t. Inside: w*. Otherwise the best of the four edges
    /// A + τ(B − A), each minimized at τ = clamp(−(B − A)ᵀH(A − w*) / (B − A)ᵀH(B − A), 0, 1).
    /// </summary>
    public static double[] L1BallOptimum(TwoWeightProblem problem, double t)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var w = problem.Optimum;
        if (Math.Abs(w[0]) + Math.Abs(w[1]) <= t) return [w[0], w[1]];
        double[][] vertices = [[t, 0], [0, t], [-t, 0], [0, -t]];
        double[]? best = null;
        double bestLoss = double.PositiveInfinity;
        for (int e = 0; e < 4; e++)
        {
            var a = vertices[e];
            var b = vertices[(e + 1) % 4];
            double[] dir = [b[0] - a[0], b[1] - a[1]];
            double[] off = [a[0] - w[0], a[1] - w[1]];
            double tau = Math.Clamp(-problem.Bilinear(dir, off) / problem.Bilinear(dir, dir), 0, 1);
            double[] candidate = tau == 0 ? a : tau == 1 ? b : [a[0] + tau * dir[0], a[1] + tau * dir[1]];
            double loss = problem.Loss(candidate);
            if (loss < bestLoss) { bestLoss = loss; best = candidate; }
        }
        return [best![0], best[1]];
    }

    /// <summary>
    /// The exact minimizer of ½(w − w*)ᵀH(w − w*) over ‖w‖₂ ≤ t: w* inside, otherwise w(μ) = (H + μI)⁻¹Hw* with
    /// ‖w(μ)‖₂ = t, μ found by bisection (‖w(μ)‖ decreases in μ) until the bracket stops shrinking.
    /// </summary>
    public static double[] L2BallOptimum(TwoWeightProblem problem, double t)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var w = problem.Optimum;
        if (Math.Sqrt(w[0] * w[0] + w[1] * w[1]) <= t) return [w[0], w[1]];
        double lo = 0, hi = 1;
        while (Norm(Ridge(problem, hi)) > t) hi *= 2;
        while (true)
        {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break;
            if (Norm(Ridge(problem, mid)) > t) lo = mid; else hi = mid;
        }
        return Ridge(problem, hi);
    }

    private static double[] Ridge(TwoWeightProblem p, double mu)
    {
        var h = p.Hessian;
        double a = h[0] + mu, b = h[1], d = h[3] + mu;
        double g0 = h[0] * p.Optimum[0] + h[1] * p.Optimum[1], g1 = h[2] * p.Optimum[0] + h[3] * p.Optimum[1];
        double det = a * d - b * b;
        return [(d * g0 - b * g1) / det, (a * g1 - b * g0) / det];
    }

    private static double Norm(double[] v) => Math.Sqrt(v[0] * v[0] + v[1] * v[1]);

    /// <summary>Whether the L2 optimum counts as on an axis: a weight below 10⁻⁹·t in magnitude.</summary>
    public static bool OnAxisL2(double[] w, double t) => Math.Min(Math.Abs(w[0]), Math.Abs(w[1])) <= 1e-9 * t;

    /// <summary>Runs the protocol.</summary>
    public static GeometryResult Run(GeometryProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        protocol.Validate();
        int m = protocol.Problems, k = protocol.Budgets.Length;
        var l1Axis = new int[k];
        var l2Axis = new int[k];
        var l1 = new double[m][][];
        var l2 = new double[m][][];
        var problems = new TwoWeightProblem[m];
        for (int d = 0; d < m; d++)
        {
            var p = problems[d] = Draw(protocol, d);
            l1[d] = new double[k][];
            l2[d] = new double[k][];
            var w = p.Optimum;
            for (int b = 0; b < k; b++)
            {
                double t1 = protocol.Budgets[b] * (Math.Abs(w[0]) + Math.Abs(w[1]));
                double t2 = protocol.Budgets[b] * Norm(w);
                l1[d][b] = L1BallOptimum(p, t1);
                l2[d][b] = L2BallOptimum(p, t2);
                if (l1[d][b][0] == 0 || l1[d][b][1] == 0) l1Axis[b]++;
                if (OnAxisL2(l2[d][b], t2)) l2Axis[b]++;
            }
        }
        return new GeometryResult(protocol, problems, l1, l2, l1Axis, l2Axis, HighDimension(protocol));
    }

    /// <summary>Exact zeros along lasso and ridge paths of dense random problems (n = 100, p = 50).</summary>
    private static HighDimensionResult HighDimension(GeometryProtocol protocol)
    {
        const int n = 100, p = 50;
        int m = protocol.HighDimProblems;
        var fractions = ElasticNetRegression.AlphaGrid(1, protocol.HighDimAlphas, 1e-3);
        var lassoZeros = new double[m][];
        var ridgeZeros = new double[m][];
        for (int d = 0; d < m; d++)
        {
            var rng = new Rng(protocol.Seed + 1_000_000UL + (ulong)d);
            var w = new double[p];
            for (int j = 0; j < p; j++) w[j] = rng.NextNormal();
            var x = new double[n * p];
            var y = new double[n];
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < p; j++) { x[i * p + j] = rng.NextNormal(); s += w[j] * x[i * p + j]; }
                y[i] = s + rng.NextNormal();
            }
            var lasso = LinearSolverSettings.Options(1);
            var ridge = LinearSolverSettings.Options(0);
            double aLasso = ElasticNetRegression.AlphaMax(x, n, p, y, lasso);
            double aRidge = ElasticNetRegression.AlphaMax(x, n, p, y, ridge);
            lassoZeros[d] = Zeros(ElasticNetRegression.Path(x, n, p, y, lasso, new PathOptions { Alphas = fractions.Select(f => f * aLasso).ToArray() }), p);
            ridgeZeros[d] = Zeros(ElasticNetRegression.Path(x, n, p, y, ridge, new PathOptions { Alphas = fractions.Select(f => f * aRidge).ToArray() }), p);
        }
        return new HighDimensionResult(n, p, fractions, lassoZeros, ridgeZeros);
    }

    private static double[] Zeros(LinearPath path, int p) => path.NonZero.Select(nz => (double)(p - nz)).ToArray();
}

/// <summary>A two-weight least-squares problem ½(w − w*)ᵀH(w − w*).</summary>
/// <param name="Hessian">H = XᵀX/n, row-major 2×2.</param>
/// <param name="Optimum">w*, the unconstrained minimizer.</param>
public sealed record TwoWeightProblem(double[] Hessian, double[] Optimum)
{
    /// <summary>uᵀHv.</summary>
    public double Bilinear(double[] u, double[] v)
    {
        ArgumentNullException.ThrowIfNull(u);
        ArgumentNullException.ThrowIfNull(v);
        return u[0] * (Hessian[0] * v[0] + Hessian[1] * v[1]) + u[1] * (Hessian[2] * v[0] + Hessian[3] * v[1]);
    }

    /// <summary>½(w − w*)ᵀH(w − w*).</summary>
    public double Loss(double[] w)
    {
        ArgumentNullException.ThrowIfNull(w);
        double[] d = [w[0] - Optimum[0], w[1] - Optimum[1]];
        return 0.5 * Bilinear(d, d);
    }

    /// <summary>The gradient H(w − w*).</summary>
    public double[] Gradient(double[] w)
    {
        ArgumentNullException.ThrowIfNull(w);
        double d0 = w[0] - Optimum[0], d1 = w[1] - Optimum[1];
        return [Hessian[0] * d0 + Hessian[1] * d1, Hessian[2] * d0 + Hessian[3] * d1];
    }
}

/// <summary>The settings of <see cref="GeometryExperiment"/>.</summary>
public sealed record GeometryProtocol
{
    /// <summary>Random two-weight problems (default 2000).</summary>
    public int Problems { get; init; } = 2000;
    /// <summary>Rows per problem (default 20).</summary>
    public int Rows { get; init; } = 20;
    /// <summary>Budgets as fractions s of the unconstrained optimum's norm: t = s·‖w*‖ (default 0.1, 0.25, 0.5, 0.75, 0.9).</summary>
    public double[] Budgets { get; init; } = [0.1, 0.25, 0.5, 0.75, 0.9];
    /// <summary>High-dimensional problems (default 20).</summary>
    public int HighDimProblems { get; init; } = 20;
    /// <summary>α values on the high-dimensional paths, log-spaced from α_max to 10⁻³α_max (default 13).</summary>
    public int HighDimAlphas { get; init; } = 13;
    /// <summary>Seed of problem 0; problem d uses seed + d (high-dimensional problem d: seed + 10⁶ + d).</summary>
    public ulong Seed { get; init; } = 1;

    internal void Validate()
    {
        if (Problems < 1 || HighDimProblems < 1) throw OccamException.Usage("the geometry experiment needs at least 1 problem of each kind.");
        if (Rows < 3) throw OccamException.Usage($"the geometry experiment needs at least 3 rows per problem (got {Rows}).");
        if (Budgets.Length == 0 || Budgets.Any(b => !(b > 0 && b < 1))) throw OccamException.Usage("the geometry budgets must be fractions in (0, 1).");
        if (HighDimAlphas < 2) throw OccamException.Usage($"the geometry experiment needs at least 2 α values (got {HighDimAlphas}).");
    }
}

/// <summary>
/// Per problem and budget: the exact L1 and L2 constrained optima; per budget: how many problems have their optimum on
/// an axis.
/// </summary>
public sealed record GeometryResult(
    GeometryProtocol Protocol, TwoWeightProblem[] Problems, double[][][] L1Optima, double[][][] L2Optima,
    int[] L1OnAxis, int[] L2OnAxis, HighDimensionResult HighDimension);

/// <summary>Exact zero counts [problem][α] along lasso and ridge paths at α = fraction·α_max.</summary>
public sealed record HighDimensionResult(int Rows, int Features, double[] AlphaFractions, double[][] LassoZeros, double[][] RidgeZeros);
