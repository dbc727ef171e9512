using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Reports;

namespace Occam.Experiments;

/// <summary>
/// Dropout, two questions.
/// <list type="number">
/// <item><b>How many units does p = 0.5 switch off?</b> The inverted-dropout masks the engine draws in training
/// (<c>DropoutMask.Fill</c>: unit off with probability p, kept ones scaled by 1/(1 − p)) for a hidden layer of 256 units,
/// 32 rows per step, counted per mask entry (the fraction off, with a Wilson interval) and per row (the fraction of one
/// example's 256 units that are off).</item>
/// <item><b>Do dropout, L2 and L1 each reduce overfitting?</b> A large net (64-256-256-10 ReLU, 85 002 parameters; the quick
/// profile uses 64-128-128-10, 26 122 parameters, to stay fast) on a
/// small training set (200 digits rows, stratified; the other 1 597 rows are the test set), Adam lr 1e-3, batch 32,
/// a fixed number of epochs, no early stopping, float32. Per seed (a new split and initialization, shared by every
/// configuration): train and test error of no regularization, dropout p ∈ {0.2, 0.5, 0.8} after each hidden layer,
/// L2 λ ∈ {1e-4, 1e-3, 1e-2} and L1 (prox) λ ∈ {1e-5, 1e-4, 1e-3} on every weight matrix. Overfitting = test error −
/// train error (the generalization gap); the paired differences against no regularization are taken per seed.</item>
/// </list>
/// </summary>
public sealed class DropoutStudy : Experiment
{
    /// <inheritdoc/>
    public override string Name => "dropout";

    /// <inheritdoc/>
    public override string Title => "Dropout, L2 and L1 against overfitting";

    /// <inheritdoc/>
    public override string Note => "001";

    /// <inheritdoc/>
    public override IReadOnlyList<Claim> Claims { get; } =
    [
        new("half-off", "001", "假设一个随机神经元在训练过程中被关闭的概率为 P=0.5 …… 您可以观察到大约一半的神经元是不活跃的",
            "Suppose a random neuron is switched off during training with probability P = 0.5 … you can see that about half of the neurons are inactive."),
        new("dropout-less-overfitting", "001", "在退出期间，一些神经元以随机概率 P →神经网络变得不那么复杂→更少的过拟合",
            "With dropout, some neurons are dropped with random probability P → the network becomes less complex → less overfitting."),
        new("l2-less-overfitting", "001", "通过使用 L1 和 L2 正则化以及丢弃，可以降低神经网络的复杂度 …… →较少过拟合",
            "The complexity of a neural network can be reduced with L1 and L2 regularization and dropout … → less overfitting (here: L2)."),
        new("l1-less-overfitting", "001", "通过使用 L1 和 L2 正则化以及丢弃，可以降低神经网络的复杂度 …… →较少过拟合",
            "The complexity of a neural network can be reduced with L1 and L2 regularization and dropout … → less overfitting (here: L1)."),
    ];

    /// <inheritdoc/>
    public override (int Quick, int Full) DefaultSeeds => (2, 20);

    /// <summary>Width of both hidden layers in the quick and the full profile.</summary>
    public static (int Quick, int Full) Width => (128, 256);

    /// <summary>Epochs of the overfitting study in the quick and the full profile.</summary>
    public static (int Quick, int Full) Epochs => (10, 150);

    /// <summary>The dropout probabilities whose masks are counted.</summary>
    private static readonly double[] MaskProbabilities = [0.2, 0.5, 0.8];

    /// <summary>Dropout masks counted per seed (steps of 32 rows × 256 units).</summary>
    public const int MaskSteps = 100;

    /// <inheritdoc/>
    protected override ReportSection Execute(ExperimentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var masks = MaskProbabilities.Select(p => CountMasks(p, context.Seeds, context.SeedBase, MaskSteps)).ToArray();
        var half = masks[1];
        var halfRate = Stats.Wilson(ToInt(half.Off), ToInt(half.Total));
        var rowsNearHalf = Stats.Wilson(half.RowFractions.Select(f => f >= 0.4 && f <= 0.6));
        var halfOff = new ClaimTest("half-off")
            .Check("p = 0.5: units off, all masks", halfRate, Expectation.Between(0.45, 0.55, "in [45 %, 55 %] (about half)"))
            .Check("p = 0.5: examples with 40–60 % of their 256 units off", rowsNearHalf, Expectation.AtLeast(0.95, "≥ 95 %"))
            .Verdict();

        var digits = ShippedData.Load("data/digits.csv", "digit", TaskKind.Multiclass);
        int epochs = context.Quick ? Epochs.Quick : Epochs.Full, width = context.Quick ? Width.Quick : Width.Full;
        var runs = Overfitting(digits, context.Seeds, context.SeedBase, epochs, width, cancellationToken: context.CancellationToken);
        string net = $"64-{width}-{width}-10 ReLU ({64 * width + width + width * width + width + width * 10 + 10} parameters)";
        var none = runs.Where(r => r.Configuration.Kind == "none").ToArray();
        double[] TestOf(Regularizer c) => [.. runs.Where(r => r.Configuration == c).Select(r => r.TestError)];
        double[] GapOf(Regularizer c) => [.. runs.Where(r => r.Configuration == c).Select(r => r.Gap)];
        var noneTest = none.Select(r => r.TestError).ToArray();
        var noneGap = none.Select(r => r.Gap).ToArray();
        var tests = new Dictionary<string, ClaimTest>
        {
            ["dropout"] = new("dropout-less-overfitting"), ["l2"] = new("l2-less-overfitting"), ["l1"] = new("l1-less-overfitting"),
        };
        var rows = new List<IReadOnlyList<Cell>>();
        foreach (var c in Configurations)
        {
            var train = Stats.Mean([.. runs.Where(r => r.Configuration == c).Select(r => r.TrainError)]);
            var test = Stats.Mean(TestOf(c));
            var gap = Stats.Mean(GapOf(c));
            bool baseline = c.Kind == "none";
            var dTest = baseline ? null : Stats.PairedDifference(TestOf(c), noneTest);
            var dGap = baseline ? null : Stats.PairedDifference(GapOf(c), noneGap);
            if (dTest is not null) tests[c.Kind].Check(c.Label, dTest, Expectation.AtMost(0, "< 0 (lower test error than no regularization)"));
            rows.Add([Cell.Of(c.Label), train.ToCell(), test.ToCell(), gap.ToCell(), dTest?.ToCell() ?? Cell.Of("–"), dGap?.ToCell() ?? Cell.Of("–")]);
        }
        Figure ErrorFigure(string kind, string name, string title, string xLabel, bool logX)
        {
            var configs = Configurations.Where(c => c.Kind == kind).ToArray();
            var x = configs.Select(c => c.Strength).ToArray();
            var trainMeans = configs.Select(c => Stats.Mean([.. runs.Where(r => r.Configuration == c).Select(r => r.TrainError)])).ToArray();
            var testMeans = configs.Select(c => Stats.Mean(TestOf(c))).ToArray();
            var noneMean = Stats.Mean(noneTest).Mean;
            return new Figure
            {
                Name = name,
                Title = title,
                XLabel = xLabel,
                YLabel = "error (1 − accuracy)",
                LogX = logX,
                Series =
                [
                    Series.Errors("test error (mean ± SE)", x, [.. testMeans.Select(m => m.Mean)], [.. testMeans.Select(Se)]),
                    Series.Errors("train error (mean ± SE)", x, [.. trainMeans.Select(m => m.Mean)], [.. trainMeans.Select(Se)]),
                    Series.Line("test error without regularization", [x[0], x[^1]], [noneMean, noneMean]),
                ],
                Caption = $"{TrainRows} training rows, {net}, Adam, {epochs} epochs; {context.Seeds} seeds.",
            };
        }
        return new ReportSection
        {
            Name = Name,
            Title = Title,
            Claims = Claims,
            Protocol =
            [
                new("masks", $"the engine's inverted-dropout masks (unit off with probability p, kept units × 1/(1 − p)) for a layer of {MaskUnits} units, 32 rows per step, {MaskSteps} steps per seed, p ∈ {{0.2, 0.5, 0.8}}"),
                new("data", $"digits (data/digits.csv): {TrainRows} training rows (stratified, new split per seed), the other {digits.Rows - TrainRows} rows are the test set"),
                new("network", $"{net}, standardized inputs, Occam's initialization (He-uniform); the full profile uses 64-256-256-10, the quick one 64-128-128-10"),
                new("training", $"Adam lr 1e-3, batch 32, {epochs} epochs, no early stopping, no validation split"),
                new("regularizers", "none; dropout p ∈ {0.2, 0.5, 0.8} after each hidden layer; L2 λ ∈ {1e-4, 1e-3, 1e-2} (λ/2·Σw²); L1 prox λ ∈ {1e-5, 1e-4, 1e-3} (λ·Σ|w|); every weight matrix, biases unpenalized; strengths fixed before running"),
                new("statistics", "units off: Wilson 95 % over all mask entries; errors: mean ± SE over seeds; each regularizer against none: paired difference per seed (same split and initialization), mean ± SE and t interval"),
                new("criterion", "\"reduces overfitting\": the paired test-error difference is below 0 (95 % interval inside (−∞, 0]); each strength is one condition, so a claim is supported only if every strength tried helps"),
                new("precision", "float32 (the engine)"),
                new("seeds", $"{context.Seeds} (seed base {context.SeedBase})"),
            ],
            Tables =
            [
                new Table("Units switched off by dropout", ["p", "units off (all masks)", "examples with 40–60 % off", "mean fraction off per example"],
                    [.. masks.Select(m => (IReadOnlyList<Cell>)[Cell.Number(m.P), Stats.Wilson(ToInt(m.Off), ToInt(m.Total)).ToCell(),
                        Stats.Wilson(m.RowFractions.Select(f => f >= 0.4 && f <= 0.6)).ToCell(), Stats.Mean(m.RowFractions).ToCell()])]),
                new Table("Train and test error after training (200 training rows)", ["regularizer", "train error", "test error", "gap (test − train)",
                    "test error − none (paired)", "gap − none (paired)"], rows),
            ],
            Figures =
            [
                ErrorFigure("dropout", "dropout-errors", "Train and test error vs dropout p", "dropout probability p", logX: false),
                ErrorFigure("l2", "l2-errors", "Train and test error vs L2 λ", "λ (L2)", logX: true),
                ErrorFigure("l1", "l1-errors", "Train and test error vs L1 λ", "λ (L1, prox)", logX: true),
            ],
            Findings =
            [
                $"At p = 0.5 the engine switches off {halfRate.ToCell().Display()} of the units; with {MaskUnits} units per layer, {rowsNearHalf.ToCell().Display()} of the examples have 40–60 % of them off (the count per example is Binomial({MaskUnits}, p)). In a small layer the fraction per example varies much more.",
                $"Without regularization the net fits its {TrainRows} training rows (train error {Stats.Mean([.. none.Select(r => r.TrainError)]).ToCell().Display()}) and misclassifies {Stats.Mean(noneTest).ToCell().Display()} of the test rows: that gap is the overfitting each regularizer is judged on. The table gives every strength; a claim is supported only if all strengths tried lower the test error.",
            ],
            Verdicts = [halfOff, tests["dropout"].Verdict(), tests["l2"].Verdict(), tests["l1"].Verdict()],
        };
    }

    private static int ToInt(long value) => checked((int)value);

    private static double Se(MeanEstimate m) => double.IsNaN(m.StandardError) ? 0 : m.StandardError;

    /// <summary>Training rows of the overfitting study.</summary>
    public const int TrainRows = 200;

    /// <summary>Units of the layer whose masks are counted.</summary>
    public const int MaskUnits = 256;

    /// <summary>The configurations, in report order: "none", then dropout, L2 and L1 at three strengths each.</summary>
    public static IReadOnlyList<Regularizer> Configurations { get; } =
    [
        new("none", "none", 0),
        new("dropout", "dropout p = 0.2", 0.2), new("dropout", "dropout p = 0.5", 0.5), new("dropout", "dropout p = 0.8", 0.8),
        new("l2", "L2 λ = 1e-4", 1e-4), new("l2", "L2 λ = 1e-3", 1e-3), new("l2", "L2 λ = 1e-2", 1e-2),
        new("l1", "L1 λ = 1e-5", 1e-5), new("l1", "L1 λ = 1e-4", 1e-4), new("l1", "L1 λ = 1e-3", 1e-3),
    ];

    /// <summary>
    /// Counts the units <see cref="DropoutMask"/> switches off at probability <paramref name="p"/> over
    /// <paramref name="steps"/> masks of 32 rows × <see cref="MaskUnits"/> units per seed.
    /// </summary>
    public static MaskCount CountMasks(double p, int seeds, ulong seedBase, int steps)
    {
        const int rows = 32;
        long off = 0, total = 0;
        var perRow = new List<double>();
        var mask = new float[rows * MaskUnits];
        for (int s = 0; s < seeds; s++)
        {
            var rng = new Rng(seedBase + (ulong)s);
            for (int t = 0; t < steps; t++)
            {
                DropoutMask.Fill(mask, p, rng);
                for (int r = 0; r < rows; r++)
                {
                    int rowOff = mask.AsSpan(r * MaskUnits, MaskUnits).Count(0f);
                    off += rowOff;
                    perRow.Add((double)rowOff / MaskUnits);
                }
                total += mask.Length;
            }
        }
        return new MaskCount(p, off, total, perRow);
    }

    /// <summary>Train and test error of every configuration on <paramref name="seeds"/> splits of <paramref name="digits"/>.</summary>
    public static IReadOnlyList<OverfitRun> Overfitting(Dataset digits, int seeds, ulong seedBase, int epochs, int width = 256, IReadOnlyList<Regularizer>? configurations = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var runs = new List<OverfitRun>();
        for (int s = 0; s < seeds; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ulong seed = seedBase + (ulong)s;
            var (train, test) = ExperimentData.StratifiedSplit(digits, TrainRows, seed);
            foreach (var c in configurations ?? Configurations)
            {
                var model = new MlpClassifier
                {
                    Hidden = [width, width],
                    Dropout = c.Kind == "dropout" ? c.Strength : 0,
                    Penalty = c.Kind switch { "l2" => Penalty.L2(c.Strength), "l1" => Penalty.L1(c.Strength), _ => Penalty.None },
                    Optimizer = Optim.Adam(lr: 1e-3),
                    Epochs = epochs,
                    BatchSize = 32,
                    Seed = seed,
                }.Fit(train, cancellationToken: cancellationToken);
                runs.Add(new OverfitRun(c, seed, 1 - model.Score(train), 1 - model.Score(test)));
            }
        }
        return runs;
    }
}

/// <summary>A regularizer of the overfitting study: kind (none, dropout, l2, l1), label and strength (p or λ).</summary>
public sealed record Regularizer(string Kind, string Label, double Strength);

/// <summary>Mask entries switched off out of the total, and the fraction off in each row (one example's layer).</summary>
public sealed record MaskCount(double P, long Off, long Total, IReadOnlyList<double> RowFractions);

/// <summary>One trained network: its configuration, seed, and train and test error (1 − accuracy).</summary>
public sealed record OverfitRun(Regularizer Configuration, ulong Seed, double TrainError, double TestError)
{
    /// <summary>Test error − train error.</summary>
    public double Gap => TestError - TrainError;
}
