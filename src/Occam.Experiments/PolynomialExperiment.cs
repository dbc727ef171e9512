using Occam.Data;
using Occam.Linear;
using Occam.Numerics.Random;
using Occam.Reports;

namespace Occam.Experiments;

/// <summary>
/// Claim (notes 004): data from y = 2 + 3x + 4x² + noise fitted with a degree-5 polynomial overfits; L1 and L2 cure it;
/// L1 removes the "abnormal" terms x³..x⁵; as λ → ∞ the fit becomes "y = 2".
/// </summary>
/// <remarks>
/// Protocol (float64, the linear solvers of <see cref="Occam.Linear"/>). Each of <see cref="PolynomialProtocol.Datasets"/>
/// data sets draws n rows xᵢ ~ U[−1, 1], yᵢ = f(xᵢ) + σ·εᵢ, f(x) = 2 + 3x + 4x², ε ~ N(0, 1) (one <see cref="Rng"/> per
/// data set, seed + d). Columns x, x², …, x⁵ (<see cref="PolynomialFeatures"/>), standardized inside every fit, unpenalized
/// intercept, scikit-learn's objective (1/(2n))‖y − Xw − b‖² + α(ρ‖w‖₁ + (1−ρ)/2‖w‖²). Fits: least squares of degree 2
/// (the true form) and degree 5; lasso (ρ = 1) and ridge (ρ = 0) of degree 5 at α_min and α_1se of K-fold
/// cross-validation (contiguous folds: the rows are already in random order) over a log grid from α_max
/// (<see cref="LinearSolverSettings.RidgeGrid"/> for ridge), solver settings <see cref="LinearSolverSettings"/>.
/// Test error is exact, not sampled: E[(y − f̂(x))²] = σ² + ∫₋₁¹ (f̂ − f)² dx/2, a quadratic form in the coefficient
/// errors with the moments of U[−1, 1] (<see cref="ExcessRisk"/>). λ → ∞: lasso at 10·α_max (every coefficient exactly
/// zero) and ridge at α = 10⁸; the intercept is then ȳ, whose expectation is E f(x) = 2 + 4/3 = 10/3, not 2. The notes'
/// formula penalizes only 5, 6, 7 (the x³..x⁵ weights): that variant (penalty factors 0 on x, x²) is fitted too.
/// </remarks>
public sealed class PolynomialExperiment : Experiment
{
    /// <inheritdoc/>
    public override string Name => "polynomial";

    /// <inheritdoc/>
    public override string Title => "Polynomial: a degree-5 fit of y = 2 + 3x + 4x², with and without L1/L2";

    /// <inheritdoc/>
    public override string Note => "004";

    /// <inheritdoc/>
    public override IReadOnlyList<Claim> Claims { get; } =
    [
        new("overfits", "004",
            "绿色线函数可以更好地对潜在的未知分布点进行泛化，而蓝色线似乎对每个单独的点过于敏感，从而导致过拟合。",
            "The low-order (green) function generalizes better to unseen points, while the high-order (blue) one is too sensitive to each point: it overfits."),
        new("penalty-cures", "004",
            "通过 L1 或 L2 正则化，我们可以在提升模型表达能力的同时，有效控制模型复杂度，增强泛化能力，避免因模型过于复杂而导致过拟合。",
            "With L1 or L2 regularization we keep the model's expressive power while controlling its complexity, generalize better and avoid overfitting."),
        new("l1-removes-high-order", "004",
            "在蓝色线的函数中，5、6、7 是我们想要消除的“异常”权重……对于 L1，一些特征/权重将被设置为零",
            "In the blue function, 5, 6, 7 (the x³, x⁴, x⁵ weights) are the 'abnormal' weights we want to remove … with L1 some features/weights are set to zero."),
        new("infinite-lambda-y-equals-2", "004",
            "如果设置为无穷大，我们得到的可能是所有权重都被设置为零……就像上面的函数，它将变为：y = 2",
            "If λ is set to infinity, all weights may be set to zero … the function above becomes y = 2."),
    ];

    /// <inheritdoc/>
    public override (int Quick, int Full) DefaultSeeds => (60, 200);

    /// <summary>The true coefficients c₀, c₁, c₂ of f(x) = 2 + 3x + 4x².</summary>
    public static readonly double[] Truth = [2, 3, 4];

    /// <summary>E f(x) for x ~ U[−1, 1]: 2 + 4·E x² = 10/3, the constant a fully penalized fit tends to (on average).</summary>
    public const double MeanOfF = 2 + 4.0 / 3;

    /// <summary>Draws data set <paramref name="index"/>: x (n) and y (n).</summary>
    public static (double[] X, double[] Y) Draw(PolynomialProtocol protocol, int index)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var rng = new Rng(protocol.Seed + (ulong)index);
        var x = new double[protocol.Rows];
        var y = new double[protocol.Rows];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = 2 * rng.NextDouble() - 1;
            y[i] = Truth[0] + Truth[1] * x[i] + Truth[2] * x[i] * x[i] + protocol.Noise * rng.NextNormal();
        }
        return (x, y);
    }

    /// <summary>Columns x, x², …, x^degree, row-major.</summary>
    public static double[] Expand(double[] x, int degree) => PolynomialFeatures.Expand(x, x.Length, 1, degree, [0]);

    /// <summary>
    /// ∫₋₁¹ (f̂(x) − f(x))² dx/2 for f̂(x) = b + Σₖ wₖxᵏ: with dₖ the coefficient errors (d₀ = b − 2, d₁ = w₁ − 3,
    /// d₂ = w₂ − 4, dₖ = wₖ for k ≥ 3) it is Σⱼₖ dⱼdₖ·mⱼ₊ₖ with the moments m_s = 1/(s + 1) for even s, 0 for odd s.
    /// </summary>
    public static double ExcessRisk(double intercept, ReadOnlySpan<double> coef)
    {
        var d = new double[Math.Max(coef.Length + 1, Truth.Length)];
        d[0] = intercept;
        for (int k = 0; k < coef.Length; k++) d[k + 1] = coef[k];
        for (int k = 0; k < Truth.Length; k++) d[k] -= Truth[k];
        double sum = 0;
        for (int j = 0; j < d.Length; j++)
            for (int k = 0; k < d.Length; k++)
                if ((j + k) % 2 == 0) sum += d[j] * d[k] / (j + k + 1);
        return sum;
    }

    /// <summary>Runs the protocol (the computation behind <see cref="Execute"/>).</summary>
    public static PolynomialResult Run(PolynomialProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        protocol.Validate();
        int m = protocol.Datasets, deg = protocol.Degree, n = protocol.Rows;
        double noiseVar = protocol.Noise * protocol.Noise;
        var fits = Enum.GetValues<PolynomialFit>();
        var testMse = fits.ToDictionary(f => f, _ => new double[m]);
        var coefs = fits.ToDictionary(f => f, _ => new double[m][]);
        var intercepts = fits.ToDictionary(f => f, _ => new double[m]);
        var meanY = new double[m];
        var lassoAlpha = new double[m];
        var ridgeAlpha = new double[m];
        var cvOptions = new CvOptions { Folds = protocol.Folds, Path = new PathOptions { Count = protocol.Alphas, Eps = protocol.Eps } };
        var lasso = LinearSolverSettings.Options(1);
        var onlyHigh = lasso with { PenaltyFactors = Enumerable.Range(1, deg).Select(k => k > 2 ? 1.0 : 0.0).ToArray() };
        PolynomialExample? example = null;
        for (int d = 0; d < m; d++)
        {
            var (x, y) = Draw(protocol, d);
            meanY[d] = y.Average();
            var x2 = Expand(x, 2);
            var x5 = Expand(x, deg);
            var lassoCv = CrossValidation.ElasticNet(x5, n, deg, y, lasso, cvOptions);
            var ridgeCv = CrossValidation.ElasticNet(x5, n, deg, y, lasso with { L1Ratio = 0 }, LinearSolverSettings.RidgeGrid(cvOptions));
            double alphaMax = ElasticNetRegression.AlphaMax(x5, n, deg, y, lasso);
            lassoAlpha[d] = lassoCv.AlphaMin;
            ridgeAlpha[d] = ridgeCv.AlphaMin;
            var models = new Dictionary<PolynomialFit, LinearCoefficients>
            {
                [PolynomialFit.LeastSquaresDegree2] = RidgeRegression.Fit(x2, n, 2, y, 0, lasso).Model,
                [PolynomialFit.LeastSquares] = RidgeRegression.Fit(x5, n, deg, y, 0, lasso).Model,
                [PolynomialFit.LassoMin] = Converged(ElasticNetRegression.Fit(x5, n, deg, y, lassoCv.AlphaMin, lasso)),
                [PolynomialFit.Lasso1se] = Converged(ElasticNetRegression.Fit(x5, n, deg, y, lassoCv.Alpha1se, lasso)),
                [PolynomialFit.RidgeMin] = RidgeRegression.Fit(x5, n, deg, y, ridgeCv.AlphaMin, lasso).Model,
                [PolynomialFit.Ridge1se] = RidgeRegression.Fit(x5, n, deg, y, ridgeCv.Alpha1se, lasso).Model,
                [PolynomialFit.LassoInfinity] = Converged(ElasticNetRegression.Fit(x5, n, deg, y, 10 * alphaMax, lasso)),
                [PolynomialFit.RidgeInfinity] = RidgeRegression.Fit(x5, n, deg, y, protocol.RidgeInfinity, lasso).Model,
                [PolynomialFit.LassoInfinityHighOrderOnly] = Converged(ElasticNetRegression.Fit(x5, n, deg, y, 10 * ElasticNetRegression.AlphaMax(x5, n, deg, y, onlyHigh), onlyHigh)),
            };
            foreach (var (fit, model) in models)
            {
                var c = new double[deg];
                model.Coef.CopyTo(c, 0);
                coefs[fit][d] = c;
                intercepts[fit][d] = model.Intercept;
                testMse[fit][d] = noiseVar + ExcessRisk(model.Intercept, model.Coef);
            }
            if (d == 0) example = Example(x, y, x5, deg, lassoCv, models, lasso);
        }
        return new PolynomialResult(protocol, testMse, coefs, intercepts, meanY, lassoAlpha, ridgeAlpha, example!);
    }

    /// <inheritdoc/>
    protected override ReportSection Execute(ExperimentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Report(Run(new PolynomialProtocol { Datasets = context.Seeds, Seed = context.SeedBase }));
    }

    /// <summary>The report section of a finished run: tables, figures, findings and verdicts from <paramref name="r"/>.</summary>
    internal ReportSection Report(PolynomialResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var protocol = r.Protocol;
        int m = protocol.Datasets;
        var ols = r.TestMse[PolynomialFit.LeastSquares];
        var shown = new[] { PolynomialFit.LeastSquaresDegree2, PolynomialFit.LeastSquares, PolynomialFit.LassoMin, PolynomialFit.Lasso1se, PolynomialFit.RidgeMin, PolynomialFit.Ridge1se, PolynomialFit.LassoInfinity };
        var errorRows = shown.Select(f => (IReadOnlyList<Cell>)[Cell.Of(Label(f)), Stats.Mean(r.TestMse[f]).ToCell(),
            f == PolynomialFit.LeastSquares ? Cell.Of("—") : Stats.PairedDifference(ols, r.TestMse[f]).ToCell(),
            f == PolynomialFit.LeastSquares ? Cell.Of("—") : Stats.Wilson(r.TestMse[f].Select((v, d) => v < ols[d])).ToCell()]).ToArray();
        var zeroRows = Enumerable.Range(0, protocol.Degree).Select(k => (IReadOnlyList<Cell>)[Cell.Of(Power(k + 1)),
            Stats.Wilson(r.ZeroCount(PolynomialFit.LassoMin, k), m).ToCell(), Stats.Wilson(r.ZeroCount(PolynomialFit.Lasso1se, k), m).ToCell(),
            Stats.Wilson(r.ZeroCount(PolynomialFit.RidgeMin, k), m).ToCell()]).ToArray();
        var allHighZero = Stats.Wilson(r.Coefficients[PolynomialFit.LassoMin].Select(c => c[2..].All(v => v == 0)));
        var infinity = new[] { PolynomialFit.LassoInfinity, PolynomialFit.RidgeInfinity, PolynomialFit.LassoInfinityHighOrderOnly };
        var intercept = infinity.ToDictionary(f => f, f => Stats.Mean(r.Intercepts[f]));
        var infinityRows = infinity.Select(f => (IReadOnlyList<Cell>)[Cell.Of(Label(f)), intercept[f].ToCell(4),
            Cell.Number(r.Coefficients[f].Max(c => c.Max(Math.Abs))), Cell.Number(r.Intercepts[f].Select((b, d) => Math.Abs(b - r.MeanY[d])).Max())]).ToArray();

        var overfits = new ClaimTest("overfits")
            .Check("test MSE, degree 5 − degree 2 (paired)", Stats.PairedDifference(ols, r.TestMse[PolynomialFit.LeastSquaresDegree2]), Expectation.AtLeast(0, "> 0 (degree 5 generalizes worse)"))
            .Verdict();
        var cures = new ClaimTest("penalty-cures")
            .Check("L1 at α_min: test MSE, least squares − lasso (paired)", Stats.PairedDifference(ols, r.TestMse[PolynomialFit.LassoMin]), Expectation.AtLeast(0, "> 0 (the penalty lowers the test error)"))
            .Check("L2 at α_min: test MSE, least squares − ridge (paired)", Stats.PairedDifference(ols, r.TestMse[PolynomialFit.RidgeMin]), Expectation.AtLeast(0, "> 0 (the penalty lowers the test error)"))
            .Verdict();
        var removes = new ClaimTest("l1-removes-high-order");
        for (int k = 2; k < protocol.Degree; k++)
            removes.Check($"{Power(k + 1)} exactly 0 under lasso at α_min", Stats.Wilson(r.ZeroCount(PolynomialFit.LassoMin, k), m), Expectation.AtLeast(0.5, "≥ 50 % of data sets (removed as a rule)"));
        var yEquals2 = new ClaimTest("infinite-lambda-y-equals-2")
            .Check("lasso at 10·α_max: the constant", intercept[PolynomialFit.LassoInfinity], Expectation.Between(1.9, 2.1, "in [1.9, 2.1] (y = 2)"))
            .Check("ridge at α = 1e8: the constant", intercept[PolynomialFit.RidgeInfinity], Expectation.Between(1.9, 2.1, "in [1.9, 2.1] (y = 2)"))
            .Verdict();

        var ex = r.Example;
        var chosen = new[] { PolynomialFit.LeastSquares, PolynomialFit.LassoMin, PolynomialFit.RidgeMin, PolynomialFit.LassoInfinity };
        var powers = Enumerable.Range(1, protocol.Degree).Select(k => (double)k).ToArray();
        return new ReportSection
        {
            Name = Name,
            Title = Title,
            Claims = Claims,
            Protocol =
            [
                new("data", $"{m} data sets (seed {protocol.Seed} + d), each n = {protocol.Rows} points x ~ U[−1, 1], y = 2 + 3x + 4x² + σ·N(0, 1), σ = {protocol.Noise}"),
                new("model", $"linear in x, x², …, x^{protocol.Degree} with an unpenalized intercept; columns standardized inside every fit (coefficients reported in original units)"),
                new("objective", "(1/(2n))‖y − Xw − b‖² + α(ρ‖w‖₁ + (1−ρ)/2‖w‖²): least squares α = 0; lasso ρ = 1; ridge ρ = 0 (scikit-learn's convention)"),
                new("solver", $"Occam.Linear coordinate descent (lasso) and direct solve (least squares, ridge), float64, duality gap ≤ {LinearSolverSettings.Tolerance:G2}·‖y − ȳ‖²/n"),
                new("α choice", $"{protocol.Folds}-fold cross-validation (contiguous folds; the rows are in random order), {protocol.Alphas} α log-spaced from α_max to {protocol.Eps:G2}·α_max (ridge: down to {protocol.Eps * 1e-3:G2}·α_max because its α_max is computed with ρ' = 10⁻³); α_min and the 1-SE rule"),
                new("test error", "exact, not sampled: E(y − f̂(x))² = σ² + ∫₋₁¹ (f̂ − f)² dx/2 (moments of U[−1, 1])"),
                new("λ → ∞", $"lasso at 10·α_max (every weight exactly 0), ridge at α = {protocol.RidgeInfinity:G2}; also the notes' formula, which penalizes only the x³..x⁵ weights (penalty factors 0 on x, x²)"),
                new("statistics", "mean ± SE over data sets; paired differences on the same data set; Wilson 95 % intervals for rates"),
                new("precision", "float64 (the linear solvers)"),
            ],
            Tables =
            [
                new Table("Test error (exact) per fit", ["fit", "test MSE (mean ± SE)", "least squares (degree 5) − fit, paired", "data sets where the fit beats degree-5 least squares"], errorRows),
                new Table("How often each coefficient is exactly zero", ["term", "lasso at α_min", "lasso at α_1se", "ridge at α_min"], zeroRows),
                new Table("λ → ∞: the constant the fit tends to", ["fit", "intercept (mean ± SE)", "largest |w| over data sets", "largest |b − ȳ|"], infinityRows),
            ],
            Figures =
            [
                new Figure
                {
                    Name = "fits",
                    Title = "Data set 1: the data and the fitted curves",
                    XLabel = "x",
                    YLabel = "y",
                    Series = [Series.Points("data", ex.X, ex.Y), Series.Line("truth 2 + 3x + 4x²", ex.Grid, ex.Truth),
                        .. chosen.Select(f => Series.Line(Label(f), ex.Grid, ex.Curves[f]))],
                    Caption = "The first data set of the run (not a chosen one), the true curve and four fits of degree 5; the flat line is the λ → ∞ lasso.",
                },
                new Figure
                {
                    Name = "cv-curve",
                    Title = "Data set 1: lasso training and cross-validated error across α",
                    XLabel = "α",
                    YLabel = "mean squared error",
                    LogX = true,
                    Series = [Series.Line("training error (all rows)", ex.Alphas, ex.TrainError), Series.Errors("CV error ± SE", ex.Alphas, ex.CvError, ex.CvStandardError)],
                    Markers = [new Marker(ex.Alphas[ex.IndexMin], "α_min"), new Marker(ex.Alphas[ex.Index1se], "α_1se")],
                    Caption = "Training error on all rows and the mean held-out error over folds (± SE); α_min minimizes the CV error, α_1se is the largest α within one SE of it.",
                },
                new Figure
                {
                    Name = "zero-rate",
                    Title = "Share of data sets with the coefficient exactly 0 (lasso)",
                    XLabel = "power of x",
                    YLabel = "share of data sets",
                    Series = [Series.Line("lasso, α_min", powers, Enumerable.Range(0, protocol.Degree).Select(k => (double)r.ZeroCount(PolynomialFit.LassoMin, k) / m).ToArray()),
                        Series.Line("lasso, α_1se", powers, Enumerable.Range(0, protocol.Degree).Select(k => (double)r.ZeroCount(PolynomialFit.Lasso1se, k) / m).ToArray())],
                    XTicks = powers.Select(p => new Tick(p, Power((int)p))).ToArray(),
                    Caption = "Share of data sets in which the lasso coefficient of each power is exactly 0, at α_min and α_1se.",
                },
            ],
            Findings =
            [
                $"Degree-5 least squares overfits: its exact test MSE is {Stats.Mean(ols).ToCell().Display()} against {Stats.Mean(r.TestMse[PolynomialFit.LeastSquaresDegree2]).ToCell().Display()} for the true degree 2 (σ² = {protocol.Noise * protocol.Noise:G3} is the floor).",
                $"At the cross-validated α_min: lasso {Stats.Mean(r.TestMse[PolynomialFit.LassoMin]).ToCell().Display()}, ridge {Stats.Mean(r.TestMse[PolynomialFit.RidgeMin]).ToCell().Display()} (paired gains over degree-5 least squares {Stats.PairedDifference(ols, r.TestMse[PolynomialFit.LassoMin]).ToCell().Display()} and {Stats.PairedDifference(ols, r.TestMse[PolynomialFit.RidgeMin]).ToCell().Display()}).",
                $"Lasso at α_min sets x³, x⁴, x⁵ exactly to zero in {Pct(r.ZeroCount(PolynomialFit.LassoMin, 2), m)}, {Pct(r.ZeroCount(PolynomialFit.LassoMin, 3), m)} and {Pct(r.ZeroCount(PolynomialFit.LassoMin, 4), m)} of the data sets, all three at once in {allHighZero.ToCell().Display()}; x and x² are zeroed in {Pct(r.ZeroCount(PolynomialFit.LassoMin, 0), m)} and {Pct(r.ZeroCount(PolynomialFit.LassoMin, 1), m)}. At α_1se: x³ {Pct(r.ZeroCount(PolynomialFit.Lasso1se, 2), m)}, x⁴ {Pct(r.ZeroCount(PolynomialFit.Lasso1se, 3), m)}, x⁵ {Pct(r.ZeroCount(PolynomialFit.Lasso1se, 4), m)}.",
                $"As λ → ∞ every weight goes to 0 (exactly for lasso) but the unpenalized intercept stays at ȳ: the constant is {intercept[PolynomialFit.LassoInfinity].ToCell(4).Display()}, i.e. E f(x) = 2 + 4·E x² = 10/3 ≈ {MeanOfF:F3}, not 2. The fit y = 2 would need the intercept to equal c₀, which no penalty does. With the notes' own formula (only the x³..x⁵ weights penalized) λ → ∞ gives degree-2 least squares, intercept {intercept[PolynomialFit.LassoInfinityHighOrderOnly].ToCell(4).Display()}: the green curve y ≈ 2 + 3x + 4x², not a flat line.",
            ],
            Verdicts = [overfits, cures, removes.Verdict(), yEquals2],
        };
    }

    private static string Pct(int k, int n) => $"{Numbers.Percent((double)k / n)} %";

    private static string Power(int k) => k == 1 ? "x" : "x^" + k.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Label(PolynomialFit fit) => fit switch
    {
        PolynomialFit.LeastSquaresDegree2 => "least squares, degree 2",
        PolynomialFit.LeastSquares => "least squares, degree 5",
        PolynomialFit.LassoMin => "lasso, α_min",
        PolynomialFit.Lasso1se => "lasso, α_1se",
        PolynomialFit.RidgeMin => "ridge, α_min",
        PolynomialFit.Ridge1se => "ridge, α_1se",
        PolynomialFit.LassoInfinity => "lasso, α = 10·α_max",
        PolynomialFit.RidgeInfinity => "ridge, α = 1e8",
        PolynomialFit.LassoInfinityHighOrderOnly => "lasso, α = 10·α_max, only x³..x⁵ penalized",
        _ => fit.ToString(),
    };

    private static LinearCoefficients Converged(LinearFit fit) => fit.EnsureConverged().Model;

    /// <summary>Data set 0 for the figures: its points, the fitted curves on a grid, the lasso's CV and training error per α.</summary>
    private static PolynomialExample Example(double[] x, double[] y, double[] x5, int deg, CvResult cv, Dictionary<PolynomialFit, LinearCoefficients> models, LinearOptions lasso)
    {
        const int points = 201;
        var grid = Enumerable.Range(0, points).Select(i => -1 + 2.0 * i / (points - 1)).ToArray();
        var gridX = Expand(grid, deg);
        var curves = new Dictionary<PolynomialFit, double[]>();
        foreach (var fit in new[] { PolynomialFit.LeastSquares, PolynomialFit.LassoMin, PolynomialFit.RidgeMin, PolynomialFit.LassoInfinity })
            curves[fit] = models[fit].Predict(gridX, points);
        var truth = grid.Select(t => Truth[0] + Truth[1] * t + Truth[2] * t * t).ToArray();
        var path = ElasticNetRegression.Path(x5, x.Length, deg, y, lasso, new PathOptions { Alphas = cv.Alphas });
        var train = new double[cv.Alphas.Length];
        for (int a = 0; a < train.Length; a++)
        {
            var p = path.ModelAt(a).Predict(x5, x.Length);
            train[a] = p.Select((v, i) => (v - y[i]) * (v - y[i])).Average();
        }
        return new PolynomialExample(x, y, grid, truth, curves, cv.Alphas, train, cv.MeanError, cv.StandardError, cv.IndexMin, cv.Index1se, path.NonZero);
    }
}

/// <summary>The settings of <see cref="PolynomialExperiment"/>.</summary>
public sealed record PolynomialProtocol
{
    /// <summary>Independent data sets (default 200).</summary>
    public int Datasets { get; init; } = 200;
    /// <summary>Rows per data set (default 20).</summary>
    public int Rows { get; init; } = 20;
    /// <summary>Noise standard deviation σ (default 1).</summary>
    public double Noise { get; init; } = 1;
    /// <summary>Degree of the fitted polynomial (default 5).</summary>
    public int Degree { get; init; } = 5;
    /// <summary>Cross-validation folds (default 5).</summary>
    public int Folds { get; init; } = 5;
    /// <summary>α values on the CV grid (default 30).</summary>
    public int Alphas { get; init; } = 30;
    /// <summary>Smallest α of the grid as a fraction of α_max (default 1e-3, scikit-learn's).</summary>
    public double Eps { get; init; } = 1e-3;
    /// <summary>The ridge α standing for λ → ∞ (default 1e8).</summary>
    public double RidgeInfinity { get; init; } = 1e8;
    /// <summary>Seed of data set 0; data set d uses seed + d.</summary>
    public ulong Seed { get; init; } = 1;

    internal void Validate()
    {
        if (Datasets < 1) throw OccamException.Usage($"the polynomial experiment needs at least 1 data set (got {Datasets}).");
        if (Rows < 2 * Folds || Rows <= Degree + 1) throw OccamException.Usage($"the polynomial experiment needs more rows ({Rows}) than 2 × folds and degree + 1.");
        if (Degree < 3) throw OccamException.Usage($"the polynomial experiment fits degree ≥ 3 (got {Degree}).");
    }
}

/// <summary>The fits compared by <see cref="PolynomialExperiment"/>.</summary>
public enum PolynomialFit
{
    /// <summary>Least squares on x, x² (the true form, for reference).</summary>
    LeastSquaresDegree2,
    /// <summary>Least squares on x..x⁵ (no penalty).</summary>
    LeastSquares,
    /// <summary>Lasso at the CV α_min.</summary>
    LassoMin,
    /// <summary>Lasso at the CV α_1se.</summary>
    Lasso1se,
    /// <summary>Ridge at the CV α_min.</summary>
    RidgeMin,
    /// <summary>Ridge at the CV α_1se.</summary>
    Ridge1se,
    /// <summary>Lasso at 10·α_max (every coefficient zero).</summary>
    LassoInfinity,
    /// <summary>Ridge at a huge α.</summary>
    RidgeInfinity,
    /// <summary>Lasso at 10·α_max with only x³..x⁵ penalized (the notes' formula).</summary>
    LassoInfinityHighOrderOnly,
}

/// <summary>Per data set: exact test MSE, coefficients (x..x⁵) and intercept of each fit, ȳ, and the lasso's and ridge's CV α_min.</summary>
public sealed record PolynomialResult(
    PolynomialProtocol Protocol,
    IReadOnlyDictionary<PolynomialFit, double[]> TestMse,
    IReadOnlyDictionary<PolynomialFit, double[][]> Coefficients,
    IReadOnlyDictionary<PolynomialFit, double[]> Intercepts,
    double[] MeanY,
    double[] LassoAlphaMin,
    double[] RidgeAlphaMin,
    PolynomialExample Example)
{
    /// <summary>How many data sets have coefficient k (0 = x, …, 4 = x⁵) exactly zero under <paramref name="fit"/>.</summary>
    public int ZeroCount(PolynomialFit fit, int k) => Coefficients[fit].Count(c => c[k] == 0);
}

/// <summary>Data set 0, for the figures.</summary>
public sealed record PolynomialExample(
    double[] X, double[] Y, double[] Grid, double[] Truth, IReadOnlyDictionary<PolynomialFit, double[]> Curves,
    double[] Alphas, double[] TrainError, double[] CvError, double[] CvStandardError, int IndexMin, int Index1se, int[] NonZero);
