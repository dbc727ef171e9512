using Occam.Data;
using Occam.Linear;
using Occam.Numerics.Random;

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
public static class PolynomialExperiment
{
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

    /// <summary>Runs the protocol.</summary>
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
        return new PolynomialResult(protocol, testMse, coefs, intercepts, meanY, example!);
    }

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

/// <summary>Per data set: exact test MSE, coefficients (x..x⁵) and intercept of each fit, and ȳ.</summary>
public sealed record PolynomialResult(
    PolynomialProtocol Protocol,
    IReadOnlyDictionary<PolynomialFit, double[]> TestMse,
    IReadOnlyDictionary<PolynomialFit, double[][]> Coefficients,
    IReadOnlyDictionary<PolynomialFit, double[]> Intercepts,
    double[] MeanY,
    PolynomialExample Example)
{
    /// <summary>How many data sets have coefficient k (0 = x, …, 4 = x⁵) exactly zero under <paramref name="fit"/>.</summary>
    public int ZeroCount(PolynomialFit fit, int k) => Coefficients[fit].Count(c => c[k] == 0);
}

/// <summary>Data set 0, for the figures.</summary>
public sealed record PolynomialExample(
    double[] X, double[] Y, double[] Grid, double[] Truth, IReadOnlyDictionary<PolynomialFit, double[]> Curves,
    double[] Alphas, double[] TrainError, double[] CvError, double[] CvStandardError, int IndexMin, int Index1se, int[] NonZero);
