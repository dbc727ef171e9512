using Occam.Linear;
using Occam.Numerics.Random;
using Occam.Reports;

namespace Occam.Experiments;

/// <summary>
/// Claims (notes 003, 004): L2 suits highly correlated features (e.g. house area and number of rooms) and gives more stable
/// coefficients; lasso keeps one of a correlated pair; "elastic net helps with correlated features".
/// </summary>
/// <remarks>
/// Protocol (float64). For each correlation r in <see cref="MulticollinearityProtocol.Correlations"/> and each of
/// <see cref="MulticollinearityProtocol.Resamples"/> fresh data sets (one <see cref="Rng"/> per data set,
/// seed + 1000·(correlation index) + d), n houses with z ~ N(0, I₄):
/// area = 100 + 30·z₁ m², rooms = 4 + (r·z₁ + √(1 − r²)·z₂), age = 30 + 15·z₃ years, lot = 500 + 100·z₄ m² (irrelevant),
/// so corr(area, rooms) = r; price = 2·area + 40·rooms − 2·age + 0·lot + 50·ε, ε ~ N(0, 1) (standardized effects 60, 40,
/// −30, 0; draws per row z₁, z₂, z₃, z₄, ε).
/// Fits (intercept, standardized columns, scikit-learn's objective): least squares, ridge (ρ = 0), lasso (ρ = 1) and
/// elastic net (ρ = 0.5), each at the α_min of K-fold cross-validation (contiguous folds) on its own α grid (ridge:
/// <see cref="LinearSolverSettings.RidgeGrid"/>; solver settings <see cref="LinearSolverSettings"/>).
/// Coefficients are reported as standardized effects (coefficient × population sd of the feature: 30, 1, 15, 100).
/// Test error is exact: σ² + (Δb + Δwᵀμ)² + ΔwᵀΣΔw with Δ = fitted − true and μ, Σ the features' mean and covariance.
/// Condition number: λ_max/λ_min of the sample correlation matrix of the four columns (Jacobi eigenvalues).
/// </remarks>
public sealed class MulticollinearityExperiment : Experiment
{
    /// <inheritdoc/>
    public override string Name => "multicollinearity";

    /// <inheritdoc/>
    public override string Title => "Multicollinearity: house area and rooms under least squares, ridge, lasso and elastic net";

    /// <inheritdoc/>
    public override string Note => "003";

    /// <inheritdoc/>
    public override IReadOnlyList<Claim> Claims { get; } =
    [
        new("l2-multicollinearity", "004",
            "L2 正则化更适用于处理多重共线性问题（即多个特征之间高度相关，导致模型难以区分它们的独立影响，例如房价预测中“房屋面积”和“房间数量”可能高度相关，L2 正则化可以帮助缓解这种情况）",
            "L2 is better suited to multicollinearity (highly correlated features whose separate effects the model cannot tell apart, e.g. house area and number of rooms in price prediction); L2 helps with it."),
        new("l2-more-stable", "003",
            "如果目标是减少特征之间的多重共线性并获得更稳定的模型参数,L2正则化更为合适。",
            "If the goal is to reduce multicollinearity and get more stable parameters, L2 is more suitable (than L1)."),
        new("elastic-net-combines", "003",
            "在实践中,有时候也会结合使用L1和L2正则化,形成Elastic Net正则化,以结合两者的优点。",
            "In practice L1 and L2 are sometimes combined as the elastic net, to get the advantages of both."),
    ];

    /// <inheritdoc/>
    public override (int Quick, int Full) DefaultSeeds => (40, 200);

    /// <summary>Feature names, in column order.</summary>
    public static readonly string[] Features = ["area", "rooms", "age", "lot"];

    /// <summary>Population standard deviations of the features (their standardized effect is coefficient × sd).</summary>
    public static readonly double[] FeatureSd = [30, 1, 15, 100];

    /// <summary>True coefficients in original units.</summary>
    public static readonly double[] TrueCoef = [2, 40, -2, 0];

    /// <summary>True intercept.</summary>
    public const double TrueIntercept = 0;

    /// <summary>Noise standard deviation σ.</summary>
    public const double Noise = 50;

    private static readonly double[] Mean = [100, 4, 30, 500];

    /// <summary>Columns per house: area, rooms, age, lot.</summary>
    public const int Columns = 4;

    /// <summary>Draws data set <paramref name="index"/> at correlation index <paramref name="correlation"/>: x (rows × 4, row-major) and y.</summary>
    public static (double[] X, double[] Y) Draw(MulticollinearityProtocol protocol, int correlation, int index)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        double r = protocol.Correlations[correlation], s = Math.Sqrt(1 - r * r);
        var rng = new Rng(protocol.Seed + 1000UL * (ulong)correlation + (ulong)index);
        int n = protocol.Rows;
        var x = new double[n * Columns];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double z1 = rng.NextNormal(), z2 = rng.NextNormal(), z3 = rng.NextNormal(), z4 = rng.NextNormal(), e = rng.NextNormal();
            var row = x.AsSpan(Columns * i, Columns);
            row[0] = Mean[0] + FeatureSd[0] * z1;
            row[1] = Mean[1] + FeatureSd[1] * (r * z1 + s * z2);
            row[2] = Mean[2] + FeatureSd[2] * z3;
            row[3] = Mean[3] + FeatureSd[3] * z4;
            double price = TrueIntercept;
            for (int j = 0; j < Columns; j++) price += TrueCoef[j] * row[j];
            y[i] = price + Noise * e;
        }
        return (x, y);
    }

    /// <summary>E[(ŷ − f(x))²] + σ² for a fit (b̂, ŵ) under the generating distribution at correlation r.</summary>
    public static double TestError(double intercept, ReadOnlySpan<double> coef, double r)
    {
        var d = new double[Columns];
        double shift = intercept - TrueIntercept;
        for (int j = 0; j < Columns; j++) { d[j] = coef[j] - TrueCoef[j]; shift += d[j] * Mean[j]; }
        // Σ: var(area) = 30², var(rooms) = 1, cov(area, rooms) = 30·r, var(age) = 15², var(lot) = 100².
        double quad = d[0] * d[0] * 900 + d[1] * d[1] + 2 * d[0] * d[1] * 30 * r + d[2] * d[2] * 225 + d[3] * d[3] * 10_000;
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

    /// <summary>Squared error of the standardized effects of the correlated pair: (â − 60)² + (r̂ − 40)².</summary>
    public static double PairError(double[] effects)
    {
        ArgumentNullException.ThrowIfNull(effects);
        double da = effects[0] - TrueCoef[0] * FeatureSd[0], dr = effects[1] - TrueCoef[1] * FeatureSd[1];
        return da * da + dr * dr;
    }

    /// <inheritdoc/>
    protected override ReportSection Execute(ExperimentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Report(Run(new MulticollinearityProtocol { Resamples = context.Seeds, Seed = context.SeedBase }));
    }

    /// <summary>The report section of a finished run: tables, figures, findings and verdicts from <paramref name="r"/>.</summary>
    internal ReportSection Report(MulticollinearityResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var protocol = r.Protocol;
        var fits = Enum.GetValues<CollinearFit>();
        var error = r.Levels.Select(l => fits.ToDictionary(f => f, f => l.Effects[f].Select(PairError).ToArray())).ToArray();
        var l2 = new ClaimTest("l2-multicollinearity");
        var stable = new ClaimTest("l2-more-stable");
        var combines = new ClaimTest("elastic-net-combines");
        var coefRows = new List<IReadOnlyList<Cell>>();
        var keptRows = new List<IReadOnlyList<Cell>>();
        var conditionRows = new List<IReadOnlyList<Cell>>();
        for (int c = 0; c < r.Levels.Length; c++)
        {
            var level = r.Levels[c];
            string rho = $"r = {level.Correlation:G3}";
            if (level.Correlation >= 0.5)
            {
                var better = Expectation.AtLeast(0, "> 0 (the second fit's coefficients are closer to the truth)");
                l2.Check($"{rho}: error least squares − ridge", Stats.PairedDifference(error[c][CollinearFit.LeastSquares], error[c][CollinearFit.Ridge]), better);
                stable.Check($"{rho}: error lasso − ridge", Stats.PairedDifference(error[c][CollinearFit.Lasso], error[c][CollinearFit.Ridge]), better);
                combines.Check($"{rho}: error lasso − elastic net (L2's stability)", Stats.PairedDifference(error[c][CollinearFit.Lasso], error[c][CollinearFit.ElasticNet]), better);
                combines.Check($"{rho}: elastic net sets the irrelevant lot exactly to 0 (L1's selection)", Stats.Wilson(level.LotZeroed(CollinearFit.ElasticNet), protocol.Resamples),
                    Expectation.AtLeast(0.5, "≥ 50 % of data sets (selects as a rule)"));
            }
            foreach (var f in fits)
            {
                var e = level.Effects[f];
                coefRows.Add([Cell.Of(rho), Cell.Of(Label(f)), Cell.Number(e.Average(v => v[0])), Cell.Number(Sd(e.Select(v => v[0]))),
                    Cell.Number(e.Average(v => v[1])), Cell.Number(Sd(e.Select(v => v[1]))), Stats.Mean(error[c][f]).ToCell(), Stats.Mean(level.TestError[f]).ToCell(5)]);
            }
            foreach (var f in new[] { CollinearFit.Lasso, CollinearFit.ElasticNet })
            {
                var (area, rooms, both, neither) = level.Kept(f);
                int m = protocol.Resamples;
                keptRows.Add([Cell.Of(rho), Cell.Of(Label(f)), Stats.Wilson(area, m).ToCell(), Stats.Wilson(rooms, m).ToCell(), Stats.Wilson(both, m).ToCell(), Stats.Wilson(neither, m).ToCell(),
                    Stats.Wilson(level.LotZeroed(f), m).ToCell()]);
            }
            var kappa = level.ConditionNumbers.Order().ToArray();
            conditionRows.Add([Cell.Of(rho), Cell.Number((1 + Math.Abs(level.Correlation)) / (1 - Math.Abs(level.Correlation))), Cell.Number(kappa[kappa.Length / 2]), Stats.Mean(level.ConditionNumbers).ToCell()]);
        }
        var top = r.Levels[^1];
        int[] levelsShown = Enumerable.Range(0, r.Levels.Length).ToArray();
        return new ReportSection
        {
            Name = Name,
            Title = Title,
            Claims = Claims,
            Protocol =
            [
                new("data", $"{protocol.Resamples} fresh data sets per correlation (seed {protocol.Seed} + 1000·c + d), n = {protocol.Rows} houses: area = 100 + 30·z₁ m², rooms = 4 + r·z₁ + √(1 − r²)·z₂, age = 30 + 15·z₃ years, lot = 500 + 100·z₄ m², z ~ N(0, I₄); corr(area, rooms) = r ∈ {{{string.Join(", ", protocol.Correlations.Select(v => v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)))}}} (r = 0 is the control)"),
                new("truth", "price = 2·area + 40·rooms − 2·age + 0·lot + 50·ε, ε ~ N(0, 1): standardized effects 60 (area), 40 (rooms), −30 (age), 0 (lot: irrelevant, so that L1's selection can show)"),
                new("fits", $"least squares; ridge (ρ = 0), lasso (ρ = 1), elastic net (ρ = {protocol.ElasticNetL1Ratio:G2}) at the α_min of {protocol.Folds}-fold CV (contiguous folds, {protocol.Alphas} α down to 10⁻³·α_max; ridge 10⁻⁶); intercept, standardized columns, scikit-learn's objective; float64, duality gap ≤ {LinearSolverSettings.Tolerance:G2}"),
                new("statistics", "standardized effect = coefficient × feature sd; coefficient error (â − 60)² + (r̂ − 40)² per data set, paired differences (mean ± SE); spread = sd over data sets; Wilson 95 % intervals for which feature lasso keeps; exact test MSE σ² + (Δb + Δwᵀμ)² + ΔwᵀΣΔw"),
                new("precision", "float64 (the linear solvers)"),
                new("condition number", "λ_max/λ_min of the sample correlation matrix of (area, rooms, age, lot); population value (1 + |r|)/(1 − |r|)"),
            ],
            Tables =
            [
                new Table("Condition number of the standardized design", ["correlation", "population", "median over data sets", "mean ± SE"], conditionRows),
                new Table("Standardized effects over data sets (truth: area 60, rooms 40)", ["correlation", "fit", "area mean", "area sd", "rooms mean", "rooms sd", "coefficient error (mean ± SE)", "test MSE (mean ± SE)"], coefRows),
                new Table("Which of the correlated pair is kept (exact zeros), and how often the irrelevant lot is dropped", ["correlation", "fit", "area only", "rooms only", "both", "neither", "lot exactly 0"], keptRows),
            ],
            Figures =
            [
                new Figure
                {
                    Name = "effects-scatter",
                    Title = $"Fitted effects of area and rooms, r = {top.Correlation:G3}, one point per data set",
                    XLabel = "area effect (truth 60)",
                    YLabel = "rooms effect (truth 40)",
                    Series = fits.Select(f => Series.Points(Label(f), top.Effects[f].Select(e => e[0]).ToArray(), top.Effects[f].Select(e => e[1]).ToArray())).ToArray(),
                    Caption = "Each point is one data set's fitted (area, rooms) standardized effects; the truth is (60, 40).",
                },
                new Figure
                {
                    Name = "effect-spread",
                    Title = "Spread (sd over data sets) of the area effect",
                    XLabel = "correlation",
                    YLabel = "sd of the area effect",
                    Series = fits.Select(f => Series.Line(Label(f), levelsShown.Select(c => (double)c).ToArray(), levelsShown.Select(c => Sd(r.Levels[c].Effects[f].Select(e => e[0]))).ToArray())).ToArray(),
                    XTicks = levelsShown.Select(c => new Tick(c, $"r = {r.Levels[c].Correlation:G3}")).ToArray(),
                    Caption = "Standard deviation over data sets of the fitted area effect, per correlation and fit.",
                },
            ],
            Findings = Findings(r, error),
            Verdicts = [l2.Verdict(), stable.Verdict(), combines.Verdict()],
        };
    }

    private static List<string> Findings(MulticollinearityResult r, Dictionary<CollinearFit, double[]>[] error)
    {
        var findings = new List<string>();
        int c = r.Levels.Length - 1;
        var top = r.Levels[c];
        var (area, rooms, both, _) = top.Kept(CollinearFit.Lasso);
        findings.Add($"At r = {top.Correlation:G3} (median condition number {top.ConditionNumbers.Order().ElementAt(top.ConditionNumbers.Length / 2):G3}) the least-squares area effect has sd {Sd(top.Effects[CollinearFit.LeastSquares].Select(e => e[0])):G3} over data sets, ridge {Sd(top.Effects[CollinearFit.Ridge].Select(e => e[0])):G3}, lasso {Sd(top.Effects[CollinearFit.Lasso].Select(e => e[0])):G3}, elastic net {Sd(top.Effects[CollinearFit.ElasticNet].Select(e => e[0])):G3}.");
        findings.Add($"Lasso keeps only area in {area}, only rooms in {rooms} and both in {both} of {top.Effects[CollinearFit.Lasso].Length} data sets at r = {top.Correlation:G3} (both true effects are non-zero).");
        int m = top.Effects[CollinearFit.Lasso].Length;
        findings.Add($"The irrelevant lot is exactly 0 at r = {top.Correlation:G3} in {top.LotZeroed(CollinearFit.Lasso)} of {m} lasso fits, {top.LotZeroed(CollinearFit.ElasticNet)} elastic-net fits and {top.LotZeroed(CollinearFit.Ridge)} ridge fits.");
        findings.Add($"Coefficient error at r = {top.Correlation:G3}: least squares {Stats.Mean(error[c][CollinearFit.LeastSquares]).ToCell().Display()}, ridge {Stats.Mean(error[c][CollinearFit.Ridge]).ToCell().Display()}, lasso {Stats.Mean(error[c][CollinearFit.Lasso]).ToCell().Display()}, elastic net {Stats.Mean(error[c][CollinearFit.ElasticNet]).ToCell().Display()}; test MSE {Stats.Mean(top.TestError[CollinearFit.LeastSquares]).ToCell(5).Display()}, {Stats.Mean(top.TestError[CollinearFit.Ridge]).ToCell(5).Display()}, {Stats.Mean(top.TestError[CollinearFit.Lasso]).ToCell(5).Display()}, {Stats.Mean(top.TestError[CollinearFit.ElasticNet]).ToCell(5).Display()} (σ² = 2500 is the floor): predictions depend mostly on the well-determined sum of the two effects.");
        var zero = r.Levels[0];
        findings.Add($"Control r = {zero.Correlation:G3}: coefficient error least squares {Stats.Mean(error[0][CollinearFit.LeastSquares]).ToCell().Display()}, ridge {Stats.Mean(error[0][CollinearFit.Ridge]).ToCell().Display()}, lasso {Stats.Mean(error[0][CollinearFit.Lasso]).ToCell().Display()}, elastic net {Stats.Mean(error[0][CollinearFit.ElasticNet]).ToCell().Display()}.");
        return findings;
    }

    /// <summary>Sample standard deviation (n − 1), from <see cref="Stats.Mean"/>: SE·√n.</summary>
    private static double Sd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        return Stats.Mean(v).StandardError * Math.Sqrt(v.Length);
    }

    private static string Label(CollinearFit fit) => fit switch
    {
        CollinearFit.LeastSquares => "least squares",
        CollinearFit.Ridge => "ridge",
        CollinearFit.Lasso => "lasso",
        CollinearFit.ElasticNet => "elastic net",
        _ => fit.ToString(),
    };

    /// <summary>Runs the protocol (the computation behind <see cref="Execute"/>).</summary>
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
                kappa[d] = ConditionNumber(x, n, Columns);
                foreach (var fit in Enum.GetValues<CollinearFit>())
                {
                    var model = fit switch
                    {
                        CollinearFit.LeastSquares => RidgeRegression.Fit(x, n, Columns, y, 0, LinearSolverSettings.Options(0)).Model,
                        CollinearFit.Ridge => RidgeRegression.Fit(x, n, Columns, y, CrossValidation.ElasticNet(x, n, Columns, y, LinearSolverSettings.Options(0), LinearSolverSettings.RidgeGrid(cv)).AlphaMin).Model,
                        _ => CrossValidation.ElasticNet(x, n, Columns, y, LinearSolverSettings.Options(fit == CollinearFit.Lasso ? 1 : protocol.ElasticNetL1Ratio), cv).Refit.EnsureConverged().Model,
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
    /// <summary>Resamples in which the fit sets the irrelevant feature (lot) exactly to 0.</summary>
    public int LotZeroed(CollinearFit fit) => Effects[fit].Count(e => e[3] == 0);

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
