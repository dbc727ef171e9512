using Occam.Linear;
using Occam.Numerics.Random;
using Occam.Reports;

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
/// α/α_max, and the lasso at the α_min of 5-fold CV (30 α down to 10⁻³α_max); exact zeros counted.
/// </remarks>
public sealed class GeometryExperiment : Experiment
{
    /// <inheritdoc/>
    public override string Name => "geometry";

    /// <inheritdoc/>
    public override string Title => "Geometry: where the L1 diamond and the L2 circle meet the loss contours";

    /// <inheritdoc/>
    public override string Note => "001";

    /// <inheritdoc/>
    public override IReadOnlyList<Claim> Claims { get; } =
    [
        new("l1-on-axis", "001",
            "在 L1 的例子中，约束区域是带角的菱形。因此损失函数的轮廓通常会在轴上与约束区域相交。那么这种情况发生时，估计值之一(W1 或 W2)将为零。",
            "With L1 the constraint region is a diamond with corners, so the loss contours usually meet it on an axis; then one of the estimates (W1 or W2) is zero."),
        new("l2-off-axis", "001",
            "由于 L2 正则化具有圆形约束区域，所以相交通常不会出现在轴上，并且这对于 W1 和 W2 的估计将完全是非零的。",
            "Because the L2 constraint region is a circle, the intersection usually does not lie on an axis, and both estimates W1 and W2 are non-zero."),
        new("high-dim-zeros", "001",
            "在高维空间中，许多权重参数将同时等于零。",
            "In high dimension, many weights are zero at the same time."),
    ];

    /// <inheritdoc/>
    public override (int Quick, int Full) DefaultSeeds => (500, 2000);

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

    /// <summary>Runs the protocol (the computation behind <see cref="Execute"/>).</summary>
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

    /// <inheritdoc/>
    protected override ReportSection Execute(ExperimentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Report(Run(new GeometryProtocol { Problems = context.Seeds, HighDimProblems = Math.Min(context.Seeds, context.Quick ? 10 : 40), Seed = context.SeedBase }));
    }

    /// <summary>The report section of a finished run: tables, figures, findings and verdicts from <paramref name="r"/>.</summary>
    internal ReportSection Report(GeometryResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var protocol = r.Protocol;
        int m = protocol.Problems;
        var budgets = protocol.Budgets;
        var l1 = r.L1OnAxis.Select(k => Stats.Wilson(k, m)).ToArray();
        var l2 = r.L2OnAxis.Select(k => Stats.Wilson(k, m)).ToArray();
        var onAxis = new ClaimTest("l1-on-axis");
        var offAxis = new ClaimTest("l2-off-axis");
        for (int b = 0; b < budgets.Length; b++)
        {
            onAxis.Check($"t = {budgets[b]:G3}·‖w*‖₁", l1[b], Expectation.AtLeast(0.5, "≥ 50 % (usually)"));
            offAxis.Check($"t = {budgets[b]:G3}·‖w*‖₂", l2[b], Expectation.AtMost(0.01, "≤ 1 % (both weights non-zero)"));
        }
        var hd = r.HighDimension;
        var cvZeros = Stats.Mean(hd.CvLassoZeros);
        var lassoMean = hd.AlphaFractions.Select((_, a) => Stats.Mean(hd.LassoZeros.Select(z => z[a]).ToArray())).ToArray();
        var many = Expectation.AtLeast(0.1 * hd.Features, $"≥ {0.1 * hd.Features:G3} of {hd.Features} (many = at least 10 %)");
        var manyZerosTest = new ClaimTest("high-dim-zeros");
        foreach (double decade in new[] { 1e-1, 1e-2 })
        {
            int a = Array.FindIndex(hd.AlphaFractions, f => Math.Abs(f / decade - 1) < 1e-9);
            manyZerosTest.Check($"lasso at α = {decade:G2}·α_max, p = {hd.Features}", lassoMean[a], many);
        }
        var manyZeros = manyZerosTest.Check($"lasso at the CV α_min, p = {hd.Features}", cvZeros, many).Verdict();
        var axisRows = budgets.Select((s, b) => (IReadOnlyList<Cell>)[Cell.Number(s), l1[b].ToCell(), l2[b].ToCell()]).ToArray();
        var ridgeMean = hd.AlphaFractions.Select((_, a) => Stats.Mean(hd.RidgeZeros.Select(z => z[a]).ToArray())).ToArray();
        var pathRows = hd.AlphaFractions.Select((f, a) => (IReadOnlyList<Cell>)[Cell.Number(f), lassoMean[a].ToCell(), ridgeMean[a].ToCell()])
            .Append([Cell.Of("lasso at CV α_min"), cvZeros.ToCell(), Cell.Of("—")]).ToArray();

        const int shownBudget = 2;
        var problem = r.Problems[0];
        return new ReportSection
        {
            Name = Name,
            Title = Title,
            Claims = Claims,
            Protocol =
            [
                new("problems", $"{m} random two-weight least-squares problems (seed {protocol.Seed} + d): n = {protocol.Rows} rows, x₁ = z₁, x₂ = r·z₁ + √(1 − r²)·z₂, r ~ U(−0.9, 0.9), true w ~ N(0, I₂), y = Xw + N(0, 1)"),
                new("loss", "L(w) = (1/(2n))‖y − Xw‖² = ½(w − w*)ᵀH(w − w*) + const, H = XᵀX/n, w* the least-squares optimum (no intercept)"),
                new("budgets", $"t = s·‖w*‖ with s ∈ {{{string.Join(", ", budgets.Select(b => b.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)))}}} (‖·‖₁ for the diamond, ‖·‖₂ for the circle): the optimum always lies on the boundary"),
                new("L1 optimum", "exact: the convex quadratic minimized along each of the diamond's four edges (a 1-D quadratic clamped to the edge); on an axis exactly when the clamp lands on a corner"),
                new("L2 optimum", "exact: w(μ) = (H + μI)⁻¹Hw* with ‖w(μ)‖₂ = t, μ by bisection to the last bit; 'on an axis' = a weight below 10⁻⁹·t"),
                new("high dimension", $"{protocol.HighDimProblems} problems, n = {hd.Rows}, p = {hd.Features} independent N(0, 1) features, dense w ~ N(0, I), noise N(0, 1); lasso and ridge paths on α/α_max from 1 to 10⁻³, and the lasso at its 5-fold CV α_min (intercept, standardized columns, float64, duality gap ≤ {LinearSolverSettings.Tolerance:G2})"),
                new("statistics", "Wilson 95 % intervals for on-axis rates; mean ± SE of zero counts"),
                new("precision", "float64"),
            ],
            Tables =
            [
                new Table("Constrained optimum on an axis (one weight exactly 0)", ["budget s", "L1 diamond", "L2 circle"], axisRows),
                new Table($"Exactly zero weights out of {hd.Features} (high dimension)", ["α / α_max", "lasso (mean ± SE)", "ridge (mean ± SE)"], pathRows),
            ],
            Figures =
            [
                ContourFigure("contours-l1", "Problem 1: loss contours and the L1 diamond", problem, budgets[shownBudget], l1Ball: true),
                ContourFigure("contours-l2", "Problem 1: loss contours and the L2 circle", problem, budgets[shownBudget], l1Ball: false),
                new Figure
                {
                    Name = "on-axis-rate",
                    Title = "Share of problems whose constrained optimum lies on an axis",
                    XLabel = "budget s (t = s·‖w*‖)",
                    YLabel = "share on an axis",
                    Series = [Series.Line("L1 diamond", budgets, l1.Select(p => p.Rate).ToArray()), Series.Line("L2 circle", budgets, l2.Select(p => p.Rate).ToArray())],
                    Caption = "Share of the problems whose exact constrained optimum has a weight at 0, per budget (intervals in the table).",
                },
                new Figure
                {
                    Name = "high-dim-zeros",
                    Title = $"Exact zeros among {hd.Features} weights along the path",
                    XLabel = "α / α_max",
                    YLabel = "weights exactly 0 (mean ± SE)",
                    LogX = true,
                    Series = [Series.Errors("lasso", hd.AlphaFractions, lassoMean.Select(e => e.Mean).ToArray(), lassoMean.Select(e => e.StandardError).ToArray()),
                        Series.Errors("ridge", hd.AlphaFractions, ridgeMean.Select(e => e.Mean).ToArray(), ridgeMean.Select(e => e.StandardError).ToArray())],
                    Caption = "Exact zeros along the lasso and ridge paths (every true weight is non-zero).",
                },
            ],
            Findings =
            [
                $"Across {m} random problems the L1 optimum lies on an axis in {l1[0].ToCell().Display()} of the problems at s = {budgets[0]:G3} and in {l1[^1].ToCell().Display()} at s = {budgets[^1]:G3}; the whole interval is above 50 % at s ∈ {{{string.Join(", ", budgets.Where((_, b) => l1[b].Low >= 0.5).Select(s => s.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)))}}}. As t grows towards ‖w*‖₁ the diamond's edges, not its corners, meet the contours.",
                $"The L2 optimum lies on an axis in {string.Join(", ", r.L2OnAxis)} of {m} problems per budget: (H + μI)⁻¹Hw* has a zero component only on a set of measure zero.",
                $"High dimension (p = {hd.Features}, all true weights non-zero): lasso at its CV α_min zeroes {cvZeros.ToCell().Display()} weights, at α = 0.1·α_max {lassoMean[Array.FindIndex(hd.AlphaFractions, f => f <= 0.1 + 1e-12)].ToCell().Display()}; the most zeros ridge has anywhere on its path: {hd.RidgeZeros.Max(z => z.Max()):G3}.",
            ],
            Verdicts = [onAxis.Verdict(), offAxis.Verdict(), manyZeros],
        };
    }

    /// <summary>
    /// The loss contours ½(w − w*)ᵀH(w − w*) = c through the constrained optimum and at 2c, 4c (ellipses
    /// w = w* + √(2c)·L⁻ᵀ(cos θ, sin θ) with H = LLᵀ), the ball of radius t, the optimum and w*.
    /// </summary>
    private static Figure ContourFigure(string name, string title, TwoWeightProblem p, double s, bool l1Ball)
    {
        var w = p.Optimum;
        double t = s * (l1Ball ? Math.Abs(w[0]) + Math.Abs(w[1]) : Norm(w));
        var opt = l1Ball ? L1BallOptimum(p, t) : L2BallOptimum(p, t);
        double level = p.Loss(opt);
        double a = Math.Sqrt(p.Hessian[0]), b = p.Hessian[1] / a, d = Math.Sqrt(p.Hessian[3] - b * b);
        var angles = Enumerable.Range(0, 121).Select(i => 2 * Math.PI * i / 120).ToArray();
        var series = new List<Series>();
        foreach (double factor in new[] { 1.0, 2, 4 })
        {
            double radius = Math.Sqrt(2 * level * factor);
            var v = angles.Select(th => (radius * Math.Cos(th), radius * Math.Sin(th))).ToArray();
            series.Add(Series.Line(factor == 1 ? "loss contour through the optimum" : "", v.Select(q => w[0] + q.Item1 / a - b * q.Item2 / (a * d)).ToArray(), v.Select(q => w[1] + q.Item2 / d).ToArray()));
        }
        var ball = l1Ball
            ? (X: new[] { t, 0, -t, 0, t }, Y: new[] { 0, t, 0, -t, 0 })
            : (X: angles.Select(th => t * Math.Cos(th)).ToArray(), Y: angles.Select(th => t * Math.Sin(th)).ToArray());
        series.Add(Series.Line(l1Ball ? "‖w‖₁ = t" : "‖w‖₂ = t", ball.X, ball.Y));
        series.Add(Series.Points("constrained optimum", [opt[0]], [opt[1]]));
        series.Add(Series.Points("w* (unconstrained)", [w[0]], [w[1]]));
        bool axis = l1Ball ? opt[0] == 0 || opt[1] == 0 : OnAxisL2(opt, t);
        return new Figure
        {
            Name = name,
            Title = title,
            XLabel = "w₁",
            YLabel = "w₂",
            Series = series,
            Caption = $"Budget t = {s:G3}·‖w*‖; the exact constrained optimum ({opt[0]:G4}, {opt[1]:G4}) is {(axis ? "on an axis" : "off the axes")}. The first problem of the run, not a chosen one.",
        };
    }

    /// <summary>Exact zeros along lasso and ridge paths of dense random problems (n = 100, p = 50).</summary>
    private static HighDimensionResult HighDimension(GeometryProtocol protocol)
    {
        const int n = 100, p = 50;
        int m = protocol.HighDimProblems;
        var fractions = ElasticNetRegression.AlphaGrid(1, protocol.HighDimAlphas, 1e-3);
        var lassoZeros = new double[m][];
        var ridgeZeros = new double[m][];
        var cvZeros = new double[m];
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
            cvZeros[d] = p - CrossValidation.ElasticNet(x, n, p, y, lasso, new CvOptions { Folds = 5 }).Refit.EnsureConverged().Model.NonZero;
        }
        return new HighDimensionResult(n, p, fractions, lassoZeros, ridgeZeros, cvZeros);
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
        if (HighDimAlphas < 4 || (HighDimAlphas - 1) % 3 != 0)
            throw OccamException.Usage($"the geometry experiment's high-dimensional grid needs 3k + 1 α values (k ≥ 1) so that it holds every decade from α_max to 10⁻³α_max (got {HighDimAlphas}).");
    }
}

/// <summary>
/// Per problem and budget: the exact L1 and L2 constrained optima; per budget: how many problems have their optimum on
/// an axis.
/// </summary>
public sealed record GeometryResult(
    GeometryProtocol Protocol, TwoWeightProblem[] Problems, double[][][] L1Optima, double[][][] L2Optima,
    int[] L1OnAxis, int[] L2OnAxis, HighDimensionResult HighDimension);

/// <summary>Exact zero counts [problem][α] along lasso and ridge paths at α = fraction·α_max, and of the lasso at its 5-fold CV α_min.</summary>
public sealed record HighDimensionResult(int Rows, int Features, double[] AlphaFractions, double[][] LassoZeros, double[][] RidgeZeros, double[] CvLassoZeros);
