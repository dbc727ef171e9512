using Occam.Data;
using Occam.Linear;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Reports;

namespace Occam.Experiments;

/// <summary>
/// Claim (notes 000, 004): biases are not penalized, so a huge λ leaves a constant model. Which constant, and what does
/// penalizing the bias change?
/// </summary>
/// <remarks>
/// Protocol. Regression data: <see cref="PolynomialExperiment.Draw"/> (n = 20, y = 2 + 3x + 4x² + N(0, 1), columns
/// x..x⁵). Binary data (one <see cref="Rng"/> per data set, seed + 500 000 + d): n rows x ~ N(0, I₃),
/// y = 1 when x₁ + N(0, 1) &gt; 0.8 (prior P(y = 1) = 1 − Φ(0.8/√2) ≈ 0.286); draws per row x₁, x₂, x₃, noise.
/// Linear models (float64): lasso/logistic lasso at 10·α_max (every weight exactly zero) and ridge at α = 10⁸, with the
/// intercept unpenalized (the library's only mode); "bias penalized" = a column of ones with no separate intercept and no
/// standardization, so the penalty treats it as a weight (the linear solvers have no option to penalize b).
/// Networks (float32 engine): one hidden layer of 8 ReLU units, Adam (lr 0.05), full batch, 300 epochs, L1 prox with λ = 100
/// (far above every gradient, so every weight is exactly zero), with biases free or <c>.IncludingBias()</c>; the regressor
/// trains on the raw target (<c>StandardizeTarget = false</c>: with a standardized target a zero output maps back to ȳ).
/// Expected constants: ȳ for squared error and log(p̂/(1 − p̂)) (p̂ the training share of class 1) for the logistic
/// loss when b is free; 0 (prediction 0, probability ½) when b is penalized.
/// </remarks>
public sealed class BiasExperiment : Experiment
{
    /// <inheritdoc/>
    public override string Name => "biases-unpenalized";

    /// <inheritdoc/>
    public override string Title => "Biases unpenalized: what a huge λ leaves, and what penalizing the bias does";

    /// <inheritdoc/>
    public override string Note => "000";

    /// <inheritdoc/>
    public override IReadOnlyList<Claim> Claims { get; } =
    [
        new("constant-model", "004",
            "如果设置为无穷大，我们得到的可能是所有权重都被设置为零……它是一条平坦的线",
            "If λ is set to infinity, we may get all weights set to zero … the model is a flat line."),
        new("bias-adjusts", "000",
            "此外，偏差可以随着权重的变化而调整，从而减少了对单独偏差惩罚的需求。",
            "Moreover, the biases can adjust as the weights change, which reduces the need to penalize them separately."),
        new("no-bias-penalty", "000",
            "相比之下，偏差对模型复杂性的影响相对较小，因此通常不需要对其施加惩罚。",
            "Biases have relatively little influence on model complexity, so they usually need no penalty."),
    ];

    /// <inheritdoc/>
    public override (int Quick, int Full) DefaultSeeds => (40, 200);

    /// <summary>Draws binary data set <paramref name="index"/>.</summary>
    public static Dataset DrawBinary(BiasProtocol protocol, int index)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var rng = new Rng(protocol.Seed + 500_000UL + (ulong)index);
        int n = protocol.BinaryRows;
        var x = new double[n * 3];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 3; j++) x[3 * i + j] = rng.NextNormal();
            y[i] = x[3 * i] + rng.NextNormal() > 0.8 ? 1 : 0;
        }
        return new Dataset(x, y, n, 3, ["x1", "x2", "x3"], "y", TaskKind.Binary, ["0", "1"]);
    }

    /// <summary>Appends a column of ones (the bias as a penalized weight).</summary>
    public static double[] WithOnes(double[] x, int rows, int features)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new double[rows * (features + 1)];
        for (int i = 0; i < rows; i++)
        {
            x.AsSpan(i * features, features).CopyTo(result.AsSpan(i * (features + 1)));
            result[i * (features + 1) + features] = 1;
        }
        return result;
    }

    /// <summary>Runs the protocol (the computation behind <see cref="Execute"/>).</summary>
    public static BiasResult Run(BiasProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        protocol.Validate();
        var poly = new PolynomialProtocol { Seed = protocol.Seed };
        int m = protocol.Datasets, deg = poly.Degree, n = poly.Rows;
        var regression = new List<ConstantFit>();
        var binary = new List<ConstantFit>();
        var free = LinearSolverSettings.Options(1);
        var penalizedBias = LinearSolverSettings.Options(1) with { FitIntercept = false, Standardize = false };
        for (int d = 0; d < m; d++)
        {
            var (x0, y) = PolynomialExperiment.Draw(poly, d);
            var x = PolynomialExperiment.Expand(x0, deg);
            double ybar = y.Average();
            double amax = ElasticNetRegression.AlphaMax(x, n, deg, y, free);
            regression.Add(Constant(BiasModel.LassoFreeBias, ybar, ElasticNetRegression.Fit(x, n, deg, y, 10 * amax, free).EnsureConverged().Model, x, y));
            regression.Add(Constant(BiasModel.RidgeFreeBias, ybar, RidgeRegression.Fit(x, n, deg, y, protocol.RidgeInfinity, free).Model, x, y));
            var x1 = WithOnes(x, n, deg);
            double amax1 = ElasticNetRegression.AlphaMax(x1, n, deg + 1, y, penalizedBias);
            regression.Add(Constant(BiasModel.LassoPenalizedBias, ybar, Bias(ElasticNetRegression.Fit(x1, n, deg + 1, y, 10 * amax1, penalizedBias).EnsureConverged().Model), x, y));
            regression.Add(Constant(BiasModel.RidgePenalizedBias, ybar, Bias(RidgeRegression.Fit(x1, n, deg + 1, y, protocol.RidgeInfinity, penalizedBias).Model), x, y));

            var data = DrawBinary(protocol, d);
            double prior = data.Y.Average(), logOdds = Math.Log(prior / (1 - prior));
            var lo = free;
            double bmax = BinaryLogisticRegression.Path(data.X, data.Rows, 3, data.Y, lo, new PathOptions { Count = 1 }).Alphas[0];
            binary.Add(Constant(BiasModel.LassoFreeBias, logOdds, BinaryLogisticRegression.Fit(data.X, data.Rows, 3, data.Y, 10 * bmax, lo).EnsureConverged().Model, data.X, data.Y));
            var xb = WithOnes(data.X, data.Rows, 3);
            var pb = lo with { FitIntercept = false, Standardize = false };
            double bmax1 = BinaryLogisticRegression.Path(xb, data.Rows, 4, data.Y, pb, new PathOptions { Count = 1 }).Alphas[0];
            binary.Add(Constant(BiasModel.LassoPenalizedBias, logOdds, Bias(BinaryLogisticRegression.Fit(xb, data.Rows, 4, data.Y, 10 * bmax1, pb).EnsureConverged().Model), data.X, data.Y));
        }
        var networks = new List<NetworkConstant>();
        for (int s = 0; s < protocol.NetworkSeeds; s++)
        {
            var (x0, y) = PolynomialExperiment.Draw(poly with { Rows = protocol.BinaryRows }, s);
            var reg = Dataset.ForRegression(ToMatrix(x0, x0.Length, 1), y);
            var cls = DrawBinary(protocol, s);
            foreach (bool includeBias in new[] { false, true })
            {
                var penalty = includeBias ? Penalty.L1(protocol.NetworkLambda).IncludingBias() : Penalty.L1(protocol.NetworkLambda);
                var r = new MlpRegressor { Hidden = [8], Penalty = penalty, Optimizer = Optim.Adam(0.05), Epochs = 300, BatchSize = 0, StandardizeTarget = false, Seed = (ulong)s }.Fit(reg);
                networks.Add(NetworkConstant.Of(includeBias, TaskKind.Regression, y.Average(), r, r.Predict(reg), y));
                var c = new MlpClassifier { Hidden = [8], Penalty = penalty, Optimizer = Optim.Adam(0.05), Epochs = 300, BatchSize = 0, Seed = (ulong)s }.Fit(cls);
                double prior = cls.Y.Average();
                var proba = c.PredictProba(cls);
                networks.Add(NetworkConstant.Of(includeBias, TaskKind.Binary, prior, c, Enumerable.Range(0, cls.Rows).Select(i => proba[2 * i + 1]).ToArray(), cls.Y));
            }
        }
        return new BiasResult(protocol, regression, binary, networks, InterceptPath(poly));
    }

    /// <inheritdoc/>
    protected override ReportSection Execute(ExperimentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Report(Run(new BiasProtocol { Datasets = context.Seeds, NetworkSeeds = context.Seeds, Seed = context.SeedBase }));
    }

    /// <summary>The report section of a finished run: tables, figures, findings and verdicts from <paramref name="r"/>.</summary>
    internal ReportSection Report(BiasResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var protocol = r.Protocol;
        ConstantFit[] Linear(IEnumerable<ConstantFit> fits, BiasModel model) => fits.Where(f => f.Model == model).ToArray();
        NetworkConstant[] Nets(TaskKind task, bool penalized) => r.Networks.Where(n => n.Task == task && n.BiasPenalized == penalized).ToArray();
        var regFree = Linear(r.Regression, BiasModel.LassoFreeBias);
        var regPen = Linear(r.Regression, BiasModel.LassoPenalizedBias);
        var binFree = Linear(r.Binary, BiasModel.LassoFreeBias);
        var binPen = Linear(r.Binary, BiasModel.LassoPenalizedBias);
        var cases = new (string Name, ConstantFit[] Free, ConstantFit[] Penalized)[]
        {
            ("linear regression, lasso at 10·α_max", regFree, regPen),
            ("logistic regression, lasso at 10·α_max", binFree, binPen),
        };
        var netCases = new (string Name, TaskKind Task)[] { ("MLP regressor, L1 prox λ = 100", TaskKind.Regression), ("MLP classifier, L1 prox λ = 100", TaskKind.Binary) };
        var constant = new ClaimTest("constant-model");
        var adjusts = new ClaimTest("bias-adjusts");
        var noPenalty = new ClaimTest("no-bias-penalty");
        var better = Expectation.AtLeast(0, "> 0 (penalizing the bias fits worse)");
        foreach (var (name, free, penalized) in cases)
        {
            constant.Check(name, Stats.Wilson(free.Select(f => f.MaxAbsWeight == 0)), Expectation.AtLeast(0.9, "≥ 90 % of fits constant"));
            double gap = free.Max(f => Math.Abs(f.Intercept - f.FreeBiasConstant));
            adjusts.Check(name + ": largest |b − best constant|", Estimate.Exact(gap), Numbers.Significant(gap, 3), Expectation.AtMost(1e-8, "≤ 1e-8 (float64 rounding)"));
            noPenalty.Check(name + ": training loss, bias penalized − free", Stats.PairedDifference(penalized.Select(f => f.TrainLoss).ToArray(), free.Select(f => f.TrainLoss).ToArray()), better);
        }
        foreach (var (name, task) in netCases)
        {
            var free = Nets(task, false);
            var penalized = Nets(task, true);
            constant.Check(name, Stats.Wilson(free.Select(n => n.AllWeightsZero && n.PredictionSpread == 0)), Expectation.AtLeast(0.9, "≥ 90 % of fits constant"));
            adjusts.Check(name + ": |prediction − best constant|", Stats.Mean(free.Select(n => Math.Abs(n.MeanPrediction - n.FreeBiasConstant)).ToArray()), Expectation.AtMost(1e-3, "≤ 1e-3 (float32 training)"));
            noPenalty.Check(name + ": training loss, bias penalized − free", Stats.PairedDifference(penalized.Select(n => n.TrainLoss).ToArray(), free.Select(n => n.TrainLoss).ToArray()), better);
        }

        var linearRows = new List<IReadOnlyList<Cell>>();
        foreach (var (title, fits, models) in new[] { ("regression", r.Regression, new[] { BiasModel.LassoFreeBias, BiasModel.RidgeFreeBias, BiasModel.LassoPenalizedBias, BiasModel.RidgePenalizedBias }),
                                                     ("binary", r.Binary, new[] { BiasModel.LassoFreeBias, BiasModel.LassoPenalizedBias }) })
            foreach (var model in models)
            {
                var f = Linear(fits, model);
                linearRows.Add([Cell.Of(title), Cell.Of(Label(model)), Stats.Wilson(f.Select(v => v.MaxAbsWeight == 0)).ToCell(), Cell.Number(f.Max(v => v.MaxAbsWeight)),
                    Stats.Mean(f.Select(v => v.Intercept).ToArray()).ToCell(4), Stats.Mean(f.Select(v => v.FreeBiasConstant).ToArray()).ToCell(4), Stats.Mean(f.Select(v => v.TrainLoss).ToArray()).ToCell()]);
            }
        var netRows = new List<IReadOnlyList<Cell>>();
        foreach (var (name, task) in netCases)
            foreach (bool penalized in new[] { false, true })
            {
                var n = Nets(task, penalized);
                netRows.Add([Cell.Of(name), Cell.Of(penalized ? "penalized (.IncludingBias())" : "free"), Stats.Wilson(n.Select(v => v.AllWeightsZero)).ToCell(), Stats.Wilson(n.Select(v => v.AllBiasesZero)).ToCell(),
                    Stats.Mean(n.Select(v => v.MeanPrediction).ToArray()).ToCell(4), Stats.Mean(n.Select(v => v.FreeBiasConstant).ToArray()).ToCell(4), Stats.Mean(n.Select(v => v.TrainLoss).ToArray()).ToCell()]);
            }
        var path = r.Path;
        return new ReportSection
        {
            Name = Name,
            Title = Title,
            Claims = Claims,
            Protocol =
            [
                new("regression data", $"{protocol.Datasets} data sets of the polynomial experiment (seed {protocol.Seed} + d): n = 20, y = 2 + 3x + 4x² + N(0, 1), columns x..x⁵"),
                new("binary data", $"{protocol.Datasets} data sets (seed {protocol.Seed} + 500000 + d): n = {protocol.BinaryRows}, x ~ N(0, I₃), y = 1 when x₁ + N(0, 1) > 0.8 (P(y = 1) ≈ 0.286)"),
                new("linear models", $"float64 coordinate descent (duality gap ≤ {LinearSolverSettings.Tolerance:G2}); lasso / logistic lasso at 10·α_max, ridge at α = {protocol.RidgeInfinity:G2}; the intercept is never penalized by the library, so 'bias penalized' = a column of ones, no separate intercept, no standardization"),
                new("networks", $"{protocol.NetworkSeeds} seeds; one hidden layer of 8 ReLU units, float32 engine, Adam lr 0.05, full batch, 300 epochs, L1 prox λ = {protocol.NetworkLambda:G3} on the weights (far above every gradient: each weight ends exactly 0), biases free or penalized with Penalty.L1(λ).IncludingBias(); regressor on the raw target (StandardizeTarget = false)"),
                new("best constants", "squared error: ȳ; logistic loss: log(p̂/(1 − p̂)), p̂ the share of class 1 (the classifier's probability p̂)"),
                new("statistics", "Wilson 95 % intervals for rates; mean ± SE; paired differences per data set / seed; exact maxima"),
                new("precision", "float64 for the linear models, the float32 engine for the networks"),
            ],
            Tables =
            [
                new Table("Linear models at a huge α", ["task", "fit", "all weights exactly 0", "largest |w|", "intercept (mean ± SE)", "best constant (mean ± SE)", "training loss (mean ± SE)"], linearRows),
                new Table("Networks at a huge L1 λ", ["network", "biases", "all weights exactly 0", "all biases exactly 0", "prediction (mean ± SE)", "best constant (mean ± SE)", "training loss (mean ± SE)"], netRows),
            ],
            Figures =
            [
                new Figure
                {
                    Name = "intercept-path",
                    Title = "Data set 1: the lasso's constant term across α",
                    XLabel = "α / α_max",
                    YLabel = "intercept b",
                    LogX = true,
                    Series = [Series.Line("bias free (the library's intercept)", path.AlphaFractions, path.FreeIntercept),
                        Series.Line("bias penalized (column of ones)", path.AlphaFractions, path.PenalizedIntercept),
                        Series.Line("ȳ", [path.AlphaFractions[^1], path.AlphaFractions[0]], [path.MeanY, path.MeanY])],
                    Markers = [new Marker(1, "α_max")],
                    Caption = "The intercept of the lasso path of the first data set, bias free and bias penalized; the flat line is ȳ.",
                },
            ],
            Findings =
            [
                $"With the bias free, a huge λ leaves every weight exactly 0 in {regFree.Count(f => f.MaxAbsWeight == 0)} + {binFree.Count(f => f.MaxAbsWeight == 0)} of {regFree.Length} + {binFree.Length} linear fits and {r.Networks.Count(n => !n.BiasPenalized && n.AllWeightsZero)} of {r.Networks.Count(n => !n.BiasPenalized)} networks; the constant left is ȳ for squared error (largest |b − ȳ| {Numbers.Significant(regFree.Max(f => Math.Abs(f.Intercept - f.FreeBiasConstant)), 3)}) and the log-odds of the class share for the logistic loss (largest gap {Numbers.Significant(binFree.Max(f => Math.Abs(f.Intercept - f.FreeBiasConstant)), 3)}).",
                $"Penalizing the bias makes the huge-λ model the constant 0 (probability ½ for the classifier): the same complexity (no weights) with a higher training loss, e.g. {Stats.Mean(regPen.Select(f => f.TrainLoss).ToArray()).ToCell().Display()} against {Stats.Mean(regFree.Select(f => f.TrainLoss).ToArray()).ToCell().Display()} for linear regression (the difference is ȳ²).",
                "MlpRegressor standardizes its target by default: then a penalized output bias still predicts ȳ after the mapping back, which hides the effect; the experiment trains on the raw target.",
            ],
            Verdicts = [constant.Verdict(), adjusts.Verdict(), noPenalty.Verdict()],
        };
    }

    private static string Label(BiasModel model) => model switch
    {
        BiasModel.LassoFreeBias => "lasso, 10·α_max, bias free",
        BiasModel.RidgeFreeBias => "ridge, α = 1e8, bias free",
        BiasModel.LassoPenalizedBias => "lasso, 10·α_max, bias penalized",
        BiasModel.RidgePenalizedBias => "ridge, α = 1e8, bias penalized",
        _ => model.ToString(),
    };

    /// <summary>The intercept of lasso fits of data set 0 across α/α_max ∈ [10⁻³, 10], bias free and bias penalized.</summary>
    private static BiasInterceptPath InterceptPath(PolynomialProtocol poly)
    {
        var (x0, y) = PolynomialExperiment.Draw(poly, 0);
        int n = x0.Length, deg = poly.Degree;
        var x = PolynomialExperiment.Expand(x0, deg);
        var x1 = WithOnes(x, n, deg);
        var fractions = ElasticNetRegression.AlphaGrid(10, 41, 1e-4);
        var free = LinearSolverSettings.Options(1);
        var penalized = LinearSolverSettings.Options(1) with { FitIntercept = false, Standardize = false };
        double a = ElasticNetRegression.AlphaMax(x, n, deg, y, free), a1 = ElasticNetRegression.AlphaMax(x1, n, deg + 1, y, penalized);
        var pf = ElasticNetRegression.Path(x, n, deg, y, free, new PathOptions { Alphas = fractions.Select(f => f * a).ToArray() });
        var pp = ElasticNetRegression.Path(x1, n, deg + 1, y, penalized, new PathOptions { Alphas = fractions.Select(f => f * a1).ToArray() });
        return new BiasInterceptPath(fractions, pf.Intercepts, pp.Coefs.Select(c => c[deg]).ToArray(), y.Average());
    }

    private static double[,] ToMatrix(double[] x, int rows, int cols)
    {
        var m = new double[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) m[i, j] = x[i * cols + j];
        return m;
    }

    /// <summary>The model with its last coefficient (the ones column) moved into the intercept.</summary>
    private static LinearCoefficients Bias(LinearCoefficients m) =>
        new(m.Task, m.Coef[..^1], m.Intercept + m.Coef[^1], m.Alpha, m.L1Ratio);

    private static ConstantFit Constant(BiasModel model, double expected, LinearCoefficients fit, double[] x, double[] y) =>
        new(model, fit.Intercept, expected, fit.Coef.Max(Math.Abs), TrainingLoss(fit.Task, fit.Predict(x, y.Length), y));

    /// <summary>Mean squared error (regression) or mean log-loss −(1/n)Σ[y log p + (1 − y) log(1 − p)] (binary).</summary>
    public static double TrainingLoss(TaskKind task, double[] predictions, double[] y)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(y);
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
            sum += task == TaskKind.Binary
                ? -(y[i] * Math.Log(predictions[i]) + (1 - y[i]) * Math.Log(1 - predictions[i]))
                : (y[i] - predictions[i]) * (y[i] - predictions[i]);
        return sum / y.Length;
    }
}

/// <summary>The settings of <see cref="BiasExperiment"/>.</summary>
public sealed record BiasProtocol
{
    /// <summary>Data sets for the linear models (default 200).</summary>
    public int Datasets { get; init; } = 200;
    /// <summary>Rows of each binary data set and of the network's regression data (default 200).</summary>
    public int BinaryRows { get; init; } = 200;
    /// <summary>The ridge α standing for λ → ∞ (default 1e8).</summary>
    public double RidgeInfinity { get; init; } = 1e8;
    /// <summary>Seeds (data set and initialization) for the networks (default 10).</summary>
    public int NetworkSeeds { get; init; } = 10;
    /// <summary>The networks' L1 λ (default 100).</summary>
    public double NetworkLambda { get; init; } = 100;
    /// <summary>Seed.</summary>
    public ulong Seed { get; init; } = 1;

    internal void Validate()
    {
        if (Datasets < 1 || NetworkSeeds < 1) throw OccamException.Usage("the bias experiment needs at least 1 data set and 1 network seed.");
        if (BinaryRows < 10) throw OccamException.Usage($"the bias experiment needs at least 10 binary rows (got {BinaryRows}).");
    }
}

/// <summary>A linear fit at a huge α.</summary>
public enum BiasModel
{
    /// <summary>Lasso (or logistic lasso) at 10·α_max, intercept free.</summary>
    LassoFreeBias,
    /// <summary>Ridge at a huge α, intercept free.</summary>
    RidgeFreeBias,
    /// <summary>Lasso at 10·α_max with the bias as a penalized column of ones.</summary>
    LassoPenalizedBias,
    /// <summary>Ridge at a huge α with the bias as a penalized column of ones.</summary>
    RidgePenalizedBias,
}

/// <summary>One linear fit at a huge α: its intercept, the best constant (ȳ or the log-odds), max |wⱼ| and the training loss.</summary>
public sealed record ConstantFit(BiasModel Model, double Intercept, double FreeBiasConstant, double MaxAbsWeight, double TrainLoss);

/// <summary>One network at a huge L1 λ: its task, whether the bias was penalized, the free-bias constant, and what it predicts.</summary>
/// <remarks>For the classifier the constant and the predictions are P(y = 1), the constant being the training share p̂.</remarks>
public sealed record NetworkConstant(bool BiasPenalized, TaskKind Task, double FreeBiasConstant, bool AllWeightsZero, bool AllBiasesZero, double MeanPrediction, double PredictionSpread, double TrainLoss)
{
    internal static NetworkConstant Of(bool biasPenalized, TaskKind task, double constant, MlpModel model, double[] predictions, double[] y) =>
        new(biasPenalized, task, constant,
            model.Network.DenseLayers.All(l => l.Weight.All(w => w == 0)),
            model.Network.DenseLayers.All(l => l.Bias.All(b => b == 0)),
            predictions.Average(), predictions.Max() - predictions.Min(), BiasExperiment.TrainingLoss(task, predictions, y));
}

/// <summary>Lasso intercepts of data set 0 over α/α_max, bias free (the solver's intercept) and penalized (the ones column).</summary>
public sealed record BiasInterceptPath(double[] AlphaFractions, double[] FreeIntercept, double[] PenalizedIntercept, double MeanY);

/// <summary>Everything <see cref="BiasExperiment"/> measured.</summary>
public sealed record BiasResult(BiasProtocol Protocol, IReadOnlyList<ConstantFit> Regression, IReadOnlyList<ConstantFit> Binary, IReadOnlyList<NetworkConstant> Networks, BiasInterceptPath Path);
