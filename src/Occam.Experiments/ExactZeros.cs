using Occam.Data;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Reports;

namespace Occam.Experiments;

/// <summary>
/// Counts the weights that are exactly zero (<c>w == 0</c>) after training with L1 and with L2, each way a user trains:
/// <list type="bullet">
/// <item>linear regression (a sparse problem: 20 standard-normal features, 5 relevant, 200 rows, noise sd 1) solved by
/// coordinate descent in float64 — <c>Lasso { Alpha = α }</c> vs <c>Ridge { Alpha = α }</c>, scikit-learn's objective — and
/// the same linear model trained by SGD/Adam in float32 (<c>MlpRegressor { Hidden = [] }</c>) with L1 as a prox step, L1 as
/// the subgradient PyTorch users get from <c>loss + λ·Σ|w|</c>, and L2;</item>
/// <item>a 64-32-10 ReLU network on digits (8×8 pixels, 1 197 training rows, the rest for testing) trained by Adam and by SGD
/// with momentum, with the same three penalties and none.</item>
/// </list>
/// Each seed draws a new data set (linear) or split and initialization (digits). Zeros are counted with <c>== 0</c>.
/// </summary>
public sealed class ExactZeros : Experiment
{
    /// <inheritdoc/>
    public override string Name => "exact-zeros";

    /// <inheritdoc/>
    public override string Title => "Exact zeros: does L1 set weights to exactly 0, and does L2 never?";

    /// <inheritdoc/>
    public override string Note => "001";

    /// <inheritdoc/>
    public override IReadOnlyList<Claim> Claims { get; } =
    [
        new("l1-exact-zeros", "001", "L1 正则化迫使权重参数变为零", "L1 regularization forces weight parameters to become zero."),
        new("l2-never-zero", "001", "L2 正则化迫使权重参数趋向于零(但从不精确为零)", "L2 regularization pushes weight parameters towards zero (but never exactly to zero)."),
    ];

    /// <inheritdoc/>
    public override (int Quick, int Full) DefaultSeeds => (3, 20);

    /// <summary>Epochs of the digits networks in the quick and the full profile.</summary>
    public static (int Quick, int Full) Epochs => (5, 30);

    /// <summary>A method "gives exact zeros" when at least this fraction of its weights is exactly 0 (mean over seeds).</summary>
    public const double ZeroFractionThreshold = 0.01;

    /// <inheritdoc/>
    protected override ReportSection Execute(ExperimentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var digits = ShippedData.Load("data/digits.csv", "digit", TaskKind.Multiclass);
        int epochs = context.Quick ? Epochs.Quick : Epochs.Full;
        var result = Run(digits, context.Seeds, context.SeedBase, epochs, context.CancellationToken);
        var all = result.Linear.Select(m => (Part: "linear", Counts: m)).Concat(result.Network.Select(m => (Part: "digits net", Counts: m))).ToArray();
        var fraction = all.ToDictionary(x => x, x => Stats.Mean([.. x.Counts.Fits.Select(f => (double)f.ExactZeros / f.Weights)]));

        var l1 = new ClaimTest("l1-exact-zeros");
        var l2 = new ClaimTest("l2-never-zero");
        foreach (var x in all)
        {
            string condition = $"{x.Part}, {x.Counts.Method.How} ({x.Counts.Method.Precision})";
            if (x.Counts.Method.Penalty == "L1") l1.Check(condition, fraction[x], Expectation.AtLeast(ZeroFractionThreshold, "≥ 1 % of the weights exactly 0"));
            if (x.Counts.Method.Penalty == "L2") l2.Check(condition, fraction[x], Expectation.AtMost(0, "= 0 exact zeros"));
        }

        IReadOnlyList<Cell> Row((string Part, MethodCounts Counts) x) =>
        [
            Cell.Of(x.Part), Cell.Of(x.Counts.Method.How), Cell.Of(x.Counts.Method.Penalty), Cell.Of(x.Counts.Method.Precision),
            fraction[x].ToCell(), Stats.Wilson(x.Counts.Fits.Select(f => f.ExactZeros > 0)).ToCell(),
            Stats.Mean([.. x.Counts.Fits.Select(f => (double)f.NearZero / f.Weights)]).ToCell(), Stats.Mean([.. x.Counts.Fits.Select(f => f.Score)]).ToCell(),
        ];
        Figure Bars(string name, string title, IReadOnlyList<MethodCounts> methods, string part) => new()
        {
            Name = name,
            Title = title,
            XLabel = "method",
            YLabel = "fraction of weights exactly 0",
            Series = [Series.Bars("exact zeros (mean ± SE over seeds)", [.. methods.Select((_, i) => (double)i)],
                [.. methods.Select(m => fraction[(part, m)].Mean)], [.. methods.Select(m => Se(fraction[(part, m)]))])],
            XTicks = [.. methods.Select((m, i) => new Tick(i, m.Method.Tick))],
            Caption = "CD = coordinate descent, S = SGD, A = Adam, subgr = L1 subgradient (loss + λΣ|w|), prox = L1 prox. A bar at 0 with no error bar is exactly 0 on every seed.",
        };

        var lasso = result.Linear[0];
        var subgradient = result.Network.Single(m => m.Method.Id == "adam-l1-subgradient");
        var prox = result.Network.Single(m => m.Method.Id == "adam-l1-prox");
        return new ReportSection
        {
            Name = Name,
            Title = Title,
            Claims = Claims,
            Protocol =
            [
                new("linear problem", "200 rows × 20 standard-normal features, y = Σ_{j<5} βⱼxⱼ + N(0, 1), βⱼ = ±U(1, 3): 5 relevant features, 15 pure noise; a new data set per seed"),
                new("linear fits", $"coordinate descent (float64): Lasso and Ridge, α = {LinearAlpha} on (1/(2n))‖y − Xw − b‖² + α·R(w), standardized columns, tolerance 1e-8; the same linear model trained as a float32 network without hidden layer (MlpRegressor, Hidden = [], MSE, λ = 2α = {2 * LinearAlpha}): SGD lr 0.01 or Adam lr 0.01, batch 20, 100 epochs"),
                new("network", $"digits (data/digits.csv, 8×8 pixels), 1 197 training rows (stratified, new split per seed), the rest for testing; 64-32-10 ReLU, Adam lr 1e-3 or SGD lr 0.01 momentum 0.9, batch 32, {epochs} epochs, λ = {NetworkLambda} on every weight matrix (L1: λΣ|w|; L2: λ/2·Σw²)"),
                new("L1 modes", "prox: soft-threshold after each step (threshold = step size × λ, per coordinate for Adam); subgradient: λ·sign(w) added to the gradient, what autograd gives for loss + λ·Σ|w| in PyTorch"),
                new("statistic", $"fraction of weights exactly 0 (== 0) per fit, mean ± SE over seeds; fits with at least one exact 0 (Wilson 95 %); fraction with |w| < {NearZero}"),
                new("criterion", $"L1 claim: ≥ {ZeroFractionThreshold:P0} of the weights exactly 0 (95 % interval inside); L2 claim: no exact 0 at all"),
                new("precision", "float64 for coordinate descent, float32 (the engine) for SGD/Adam"),
                new("seeds", $"{context.Seeds} (seed base {context.SeedBase})"),
            ],
            Tables =
            [
                new Table("Exact zeros per method", ["problem", "method", "penalty", "precision", "weights exactly 0 (mean ± SE)", "fits with an exact 0", $"|w| < {NearZero}", "score (R² train / test accuracy)"],
                    [.. all.Select(Row)]),
            ],
            Figures =
            [
                Bars("linear-zeros", "Linear regression: fraction of coefficients exactly 0", result.Linear, "linear"),
                Bars("network-zeros", "Digits 64-32-10: fraction of weights exactly 0", result.Network, "digits net"),
            ],
            Findings =
            [
                $"Coordinate descent sets {fraction[("linear", lasso)].ToCell().Display()} of the lasso coefficients to exactly 0 (the 15 noise features are 75 %), ridge none; prox training in float32 gives exact zeros too.",
                $"The subgradient — what PyTorch users get from loss + λ·Σ|w| — leaves no weight exactly 0 ({subgradient.ExactZeros} of {subgradient.Weights} in the network with Adam) although many are small: the update w − η·λ·sign(w) jumps over 0 instead of stopping there. The prox gives {prox.ExactZeros} exact zeros under the same λ.",
                $"L2 runs gave {all.Where(x => x.Counts.Method.Penalty == "L2").Sum(x => x.Counts.ExactZeros)} exact zeros in {all.Where(x => x.Counts.Method.Penalty == "L2").Sum(x => x.Counts.Weights)} weights: its update multiplies w by a factor (1 − ηλ) next to the data gradient, which shrinks w without landing on 0.",
            ],
            Verdicts = [l1.Verdict(), l2.Verdict()],
        };
    }

    private static double Se(MeanEstimate m) => double.IsNaN(m.StandardError) ? 0 : m.StandardError;

    /// <summary>Linear-model penalty: α for CD (scikit-learn's (1/(2n))‖r‖² + α‖w‖₁); the float32 runs use λ = 2α on the mean squared error, the same objective.</summary>
    public const double LinearAlpha = 0.1;

    /// <summary>Network penalty λ (λ·Σ|w| or λ/2·Σw² on every weight matrix).</summary>
    public const double NetworkLambda = 1e-3;

    /// <summary>A weight counts as "near zero" below this magnitude (to show how close the subgradient gets without reaching 0).</summary>
    public const double NearZero = 1e-3;

    /// <summary>The methods of the linear problem, in report order.</summary>
    public static IReadOnlyList<ZeroMethod> LinearMethods { get; } =
    [
        new("cd-lasso", "L1", "coordinate descent (Lasso)", "float64", "CD lasso"),
        new("cd-ridge", "L2", "coordinate descent (Ridge)", "float64", "CD ridge"),
        new("sgd-l1-prox", "L1", "SGD, prox", "float32", "S prox"),
        new("sgd-l1-subgradient", "L1", "SGD, subgradient (loss + λΣ|w|)", "float32", "S subgr"),
        new("adam-l1-subgradient", "L1", "Adam, subgradient (loss + λΣ|w|)", "float32", "A subgr"),
        new("sgd-l2", "L2", "SGD, L2 in the loss", "float32", "S L2"),
        new("adam-l2", "L2", "Adam, L2 in the loss", "float32", "A L2"),
    ];

    /// <summary>The methods of the digits network, in report order.</summary>
    public static IReadOnlyList<ZeroMethod> NetworkMethods { get; } =
    [
        new("adam-none", "none", "Adam, no penalty", "float32", "A none"),
        new("adam-l1-prox", "L1", "Adam, prox", "float32", "A prox"),
        new("adam-l1-subgradient", "L1", "Adam, subgradient (loss + λΣ|w|)", "float32", "A subgr"),
        new("adam-l2", "L2", "Adam, L2 in the loss", "float32", "A L2"),
        new("sgd-l1-prox", "L1", "SGD momentum, prox", "float32", "S prox"),
        new("sgd-l1-subgradient", "L1", "SGD momentum, subgradient (loss + λΣ|w|)", "float32", "S subgr"),
        new("sgd-l2", "L2", "SGD momentum, L2 in the loss", "float32", "S L2"),
    ];

    /// <summary>
    /// Runs both problems over seeds <paramref name="seedBase"/> … <paramref name="seedBase"/> + <paramref name="seeds"/> − 1;
    /// the networks train <paramref name="epochs"/> epochs on <paramref name="digits"/>.
    /// </summary>
    public static ExactZerosResult Run(Dataset digits, int seeds, ulong seedBase, int epochs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        var linear = LinearMethods.Select(m => new List<FitCount>()).ToArray();
        var network = NetworkMethods.Select(m => new List<FitCount>()).ToArray();
        for (int s = 0; s < seeds; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ulong seed = seedBase + (ulong)s;
            var data = ExperimentData.SparseRegression(200, 20, 5, 1.0, new Rng(seed));
            for (int m = 0; m < LinearMethods.Count; m++) linear[m].Add(FitLinear(LinearMethods[m].Id, data, seed));
            var (train, test) = ExperimentData.StratifiedSplit(digits, 1197, seed);
            for (int m = 0; m < NetworkMethods.Count; m++) network[m].Add(FitNetwork(NetworkMethods[m].Id, train, test, seed, epochs));
        }
        return new ExactZerosResult(
            [.. LinearMethods.Select((m, i) => new MethodCounts(m, linear[i]))],
            [.. NetworkMethods.Select((m, i) => new MethodCounts(m, network[i]))]);
    }

    /// <summary>One fit of the linear problem by <paramref name="method"/>; counts its exact zeros among the 20 coefficients.</summary>
    public static FitCount FitLinear(string method, Dataset data, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (method is "cd-lasso" or "cd-ridge")
        {
            var model = method == "cd-lasso" ? new Lasso { Alpha = LinearAlpha, Tolerance = 1e-8 }.Fit(data) : new Ridge { Alpha = LinearAlpha }.Fit(data);
            var coef = model.Coef;
            return new FitCount(coef.Count, coef.Count(c => c == 0), coef.Count(c => Math.Abs(c) < NearZero), model.Score(data));
        }
        double lambda = 2 * LinearAlpha;
        var (optimizer, penalty) = method switch
        {
            "sgd-l1-prox" => (Optim.Sgd(lr: 0.01), Penalty.L1(lambda)),
            "sgd-l1-subgradient" => (Optim.Sgd(lr: 0.01), Penalty.L1(lambda, L1Mode.Subgradient)),
            "adam-l1-subgradient" => (Optim.Adam(lr: 0.01), Penalty.L1(lambda, L1Mode.Subgradient)),
            "sgd-l2" => (Optim.Sgd(lr: 0.01), Penalty.L2(lambda)),
            "adam-l2" => (Optim.Adam(lr: 0.01), Penalty.L2(lambda)),
            _ => throw new ArgumentException($"unknown linear method '{method}'.", nameof(method)),
        };
        var fit = new MlpRegressor
        {
            Hidden = [], Penalty = penalty, Optimizer = optimizer, Epochs = 100, BatchSize = 20, StandardizeTarget = false, Seed = seed,
        }.Fit(data);
        var w = fit.Network.DenseLayers[0].Weight;
        return new FitCount(w.Length, w.Count(v => v == 0f), w.Count(v => Math.Abs(v) < NearZero), fit.Score(data));
    }

    /// <summary>One fit of the digits network by <paramref name="method"/>; counts exact zeros over all weight matrices.</summary>
    public static FitCount FitNetwork(string method, Dataset train, Dataset test, ulong seed, int epochs)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        string[] parts = method.Split('-', 2);
        var optimizer = parts[0] == "adam" ? Optim.Adam(lr: 1e-3) : Optim.Sgd(lr: 0.01, momentum: 0.9);
        var penalty = parts[1] switch
        {
            "none" => Penalty.None,
            "l1-prox" => Penalty.L1(NetworkLambda),
            "l1-subgradient" => Penalty.L1(NetworkLambda, L1Mode.Subgradient),
            "l2" => Penalty.L2(NetworkLambda),
            _ => throw new ArgumentException($"unknown network method '{method}'.", nameof(method)),
        };
        var model = new MlpClassifier
        {
            Hidden = [32], Activation = ActivationKind.Relu, Penalty = penalty, Optimizer = optimizer, Epochs = epochs, BatchSize = 32, Seed = seed,
        }.Fit(train);
        int weights = 0, zeros = 0, near = 0;
        foreach (var layer in model.Network.DenseLayers)
        {
            weights += layer.Weight.Length;
            zeros += layer.Weight.Count(v => v == 0f);
            near += layer.Weight.Count(v => Math.Abs(v) < NearZero);
        }
        return new FitCount(weights, zeros, near, model.Score(test));
    }
}

/// <summary>A way of training: id, penalty family (L1, L2, none), optimizer/solver and how, the precision it computes in, and its short label in the figures.</summary>
public sealed record ZeroMethod(string Id, string Penalty, string How, string Precision, string Tick);

/// <summary>One fit: its weights, how many are exactly zero, how many are below <see cref="ExactZeros.NearZero"/> in magnitude, and its score (R² on the training data for the linear problem, test accuracy for digits).</summary>
public sealed record FitCount(int Weights, int ExactZeros, int NearZero, double Score);

/// <summary>The fits of one method, one per seed.</summary>
public sealed record MethodCounts(ZeroMethod Method, IReadOnlyList<FitCount> Fits)
{
    /// <summary>Weights over all fits.</summary>
    public long Weights => Fits.Sum(f => (long)f.Weights);

    /// <summary>Exact zeros over all fits.</summary>
    public long ExactZeros => Fits.Sum(f => (long)f.ExactZeros);

    /// <summary>Fits with at least one exact zero.</summary>
    public int FitsWithZeros => Fits.Count(f => f.ExactZeros > 0);
}

/// <summary>Everything <see cref="ExactZeros.Run"/> counted.</summary>
public sealed record ExactZerosResult(IReadOnlyList<MethodCounts> Linear, IReadOnlyList<MethodCounts> Network);
