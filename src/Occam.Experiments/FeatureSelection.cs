using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Reports;
using Occam.Training;

namespace Occam.Experiments;

/// <summary>
/// Feature selection on the first layer of a digits MLP (8×8 pixels, data/digits.csv): a 64-32-10 ReLU network trained
/// by plain SGD (lr 0.1, batch 32, standardized inputs; no momentum, so each step is an exact proximal-gradient step) with a
/// penalty on the first layer only, in float32:
/// <list type="bullet">
/// <item><b>L1</b>: λ·Σ|W₁| with the prox (soft-threshold lr·λ after each step; <c>Penalty.PerLayer(Penalty.L1(λ), Penalty.None)</c>);</item>
/// <item><b>group lasso on inputs</b>: λ·Σ_j √32·‖W₁[:, j]‖₂, one group per pixel (its 32 outgoing weights), prox
/// <see cref="GroupLasso.ProxColumns"/> with step lr after each step.</item>
/// </list>
/// A pixel is kept when a chain of non-zero weights still leads from it to an output (<see cref="SparsityReport"/>);
/// accuracy is measured on the rows not trained on. Each seed draws a new stratified split (1 197 train rows) and
/// initialization; the same seed gives the same split and initialization for every method and λ.
/// </summary>
public sealed class FeatureSelection : Experiment
{
    /// <inheritdoc/>
    public override string Name => "feature-selection";

    /// <inheritdoc/>
    public override string Title => "Feature selection: L1 and group lasso on the first layer of a digits MLP";

    /// <inheritdoc/>
    public override string Note => "002";

    /// <inheritdoc/>
    public override IReadOnlyList<Claim> Claims { get; } =
    [
        new("l1-selects-features", "002", "L1正则化 (regularization)通过将不重要特征的权重 (weight)推向精确的零来实现隐式特征选择。如果连接输入特征到网络的权重变为零,那么该特征在该连接路径上实际上对输出没有影响。",
            "L1 regularization performs implicit feature selection by pushing the weights of unimportant features to exactly zero. If the weights connecting an input feature to the network become zero, that feature has no effect on the output."),
    ];

    /// <inheritdoc/>
    public override (int Quick, int Full) DefaultSeeds => (1, 10);

    /// <summary>Epochs in the quick and the full profile.</summary>
    public static (int Quick, int Full) Epochs => (6, 30);

    /// <summary>The heatmaps and the claim use the largest λ whose mean test accuracy is within this of the unpenalized net's.</summary>
    public const double AccuracyBudget = 0.05;

    /// <inheritdoc/>
    protected override ReportSection Execute(ExperimentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var digits = ShippedData.Load("data/digits.csv", "digit", TaskKind.Multiclass);
        var lambdas = context.Quick ? Lambdas.Where((_, i) => i % 2 == 0).ToArray() : [.. Lambdas];
        int epochs = context.Quick ? Epochs.Quick : Epochs.Full;
        var result = Run(digits, context.Seeds, context.SeedBase, epochs, lambdas, context.CancellationToken);
        var baseline = result.Fits.Where(f => f.Method == "none").ToArray();
        var baselineAccuracy = Stats.Mean([.. baseline.Select(f => f.TestAccuracy)]);
        SelectionFit[] Of(string method, double lambda) => [.. result.Fits.Where(f => f.Method == method && f.Lambda == lambda)];
        MeanEstimate Removed(string method, double lambda) => Stats.Mean([.. Of(method, lambda).Select(f => (double)(f.Pixels - f.PixelsKept))]);
        MeanEstimate Accuracy(string method, double lambda) => Stats.Mean([.. Of(method, lambda).Select(f => f.TestAccuracy)]);
        // λ* per method: the largest λ whose mean accuracy stays within the budget (fixed rule, computed, not picked).
        double? Chosen(string method) => lambdas.Where(l => Accuracy(method, l).Mean >= baselineAccuracy.Mean - AccuracyBudget).Cast<double?>().LastOrDefault();

        var rows = new List<IReadOnlyList<Cell>> { new[] { Cell.Of("none"), Cell.Of("–"), Stats.Mean([.. baseline.Select(f => (double)f.PixelsKept)]).ToCell(),
            baselineAccuracy.ToCell(), Cell.Of("–"), Stats.Mean([.. baseline.Select(f => f.ZeroFraction)]).ToCell() } };
        foreach (string method in Methods)
            foreach (double lambda in lambdas)
            {
                var fits = Of(method, lambda);
                var diff = Stats.PairedDifference([.. fits.Select(f => f.TestAccuracy)], [.. baseline.Select(f => f.TestAccuracy)]);
                rows.Add([Cell.Of(MethodLabel(method)), Cell.Number(lambda), Stats.Mean([.. fits.Select(f => (double)f.PixelsKept)]).ToCell(),
                    Accuracy(method, lambda).ToCell(), diff.ToCell(), Stats.Mean([.. fits.Select(f => f.ZeroFraction)]).ToCell()]);
            }

        var claim = new ClaimTest("l1-selects-features");
        double? l1Lambda = Chosen("l1");
        if (l1Lambda is double l)
            claim.Check($"L1, λ* = {Numbers.Significant(l, 2)} (largest λ within {AccuracyBudget:P0} of the unpenalized accuracy)", Removed("l1", l),
                Expectation.AtLeast(1, "≥ 1 of 64 pixels cut off"));
        else
            claim.Check("L1: no λ keeps the accuracy within the budget", new Estimate(double.NaN, double.NaN, double.NaN), "no λ*", Expectation.AtLeast(1, "≥ 1 pixel cut off"));

        var figures = new List<Figure>
        {
            new()
            {
                Name = "accuracy-vs-pixels",
                Title = "Test accuracy vs pixels kept",
                XLabel = "pixels kept (of 64)",
                YLabel = "test accuracy",
                Series = [.. Methods.Select(m => Series.Points(MethodLabel(m), [.. lambdas.Select(l => Stats.Mean([.. Of(m, l).Select(f => (double)f.PixelsKept)]).Mean)],
                    [.. lambdas.Select(l => Accuracy(m, l).Mean)])), Series.Points("no penalty", [64], [baselineAccuracy.Mean])],
                Caption = "One point per λ (mean over seeds). Group lasso cuts whole pixels; L1 zeros single weights and keeps most pixels until the network collapses.",
            },
            new()
            {
                Name = "pixels-vs-lambda",
                Title = "Pixels kept vs λ",
                XLabel = "λ",
                YLabel = "pixels kept (of 64)",
                LogX = true,
                Series = [.. Methods.Select(m =>
                {
                    var kept = lambdas.Select(l => Stats.Mean([.. Of(m, l).Select(f => (double)f.PixelsKept)])).ToArray();
                    return Series.Errors(MethodLabel(m), lambdas, [.. kept.Select(k => k.Mean)], [.. kept.Select(k => double.IsNaN(k.StandardError) ? 0 : k.StandardError)]);
                })],
                Caption = "Mean ± SE over seeds.",
            },
        };
        var findings = new List<string>();
        foreach (string method in Methods)
        {
            if (Chosen(method) is not double lambda) continue;
            var fraction = result.KeptFraction(method, lambda);
            figures.Add(new Figure
            {
                Name = $"pixels-kept-{method}",
                Title = $"{MethodLabel(method)}, λ = {Numbers.Significant(lambda, 2)}: fraction of seeds keeping each pixel",
                XLabel = "pixel column",
                YLabel = "pixel row (row 0 at the top)",
                Series = [Series.Grid("kept", [.. Enumerable.Range(0, 8).Select(r => (IReadOnlyList<double>)[.. fraction.Skip(8 * r).Take(8)])])],
                Caption = $"8×8 digits image; 1 = kept on every seed, 0 = cut off on every seed. λ is the largest on the grid whose accuracy stays within {AccuracyBudget:P0} of the unpenalized net.",
            });
            findings.Add($"{MethodLabel(method)} at λ = {Numbers.Significant(lambda, 2)}: {Removed(method, lambda).ToCell().Display()} pixels cut off, test accuracy {Accuracy(method, lambda).ToCell().Display()} (no penalty: {baselineAccuracy.ToCell().Display()}), {Stats.Mean([.. Of(method, lambda).Select(f => f.ZeroFraction)]).ToCell().Display()} of all weights exactly 0.");
        }
        findings.Add($"A pixel is only cut off when all {Hidden} of its weights are 0: L1 zeros weights one at a time, so it can zero most of the first layer and still keep most pixels; group lasso zeros a pixel's {Hidden} weights together. The heatmaps show which pixels go first.");
        return new ReportSection
        {
            Name = Name,
            Title = Title,
            Claims = Claims,
            Protocol =
            [
                new("data", "digits (data/digits.csv, 1 797 rows, 8×8 pixels 0–16), 1 197 training rows (stratified, new split per seed), the other 600 for testing; inputs standardized on the training rows"),
                new("network", $"64-{Hidden}-10 ReLU, Occam's initialization; softmax cross-entropy"),
                new("training", $"plain SGD lr {LearningRate}, batch 32, {epochs} epochs (each step an exact proximal-gradient step)"),
                new("penalties", $"first layer only: L1 λ·Σ|W₁| (prox: soft-threshold lr·λ) or group lasso on inputs λ·Σ_j √{Hidden}·‖W₁[:, j]‖₂ (prox: block soft-threshold lr·λ·√{Hidden} per pixel column); λ ∈ {{{string.Join(", ", lambdas.Select(x => Numbers.Significant(x, 2)))}}}"),
                new("pixels kept", "inputs with a chain of non-zero weights to an output (SparsityReport)"),
                new("criterion", $"at λ*, the largest λ whose mean test accuracy is within {AccuracyBudget:P0} of the unpenalized net's, L1 cuts off at least one pixel (95 % interval of the mean count ≥ 1)"),
                new("precision", "float32 (the engine)"),
                new("seeds", $"{context.Seeds} (seed base {context.SeedBase})"),
            ],
            Tables = [new Table("Pixels kept and test accuracy", ["method", "λ", "pixels kept", "test accuracy", "accuracy − no penalty (paired)", "weights exactly 0"], rows)],
            Figures = figures,
            Findings = findings,
            Verdicts = [claim.Verdict()],
        };
    }

    private static string MethodLabel(string method) => method switch { "l1" => "L1", "group-inputs" => "group lasso on inputs", _ => method };

    /// <summary>Hidden units of the network.</summary>
    public const int Hidden = 32;

    /// <summary>SGD learning rate (also the prox step).</summary>
    public const double LearningRate = 0.1;

    /// <summary>The λ grid of both methods: 10^(−3 + k/4), k = 0..10 (1e-3 to 0.32), the quick profile every other one.</summary>
    public static IReadOnlyList<double> Lambdas { get; } = [.. Enumerable.Range(0, 11).Select(k => Math.Pow(10, -3 + k / 4.0))];

    /// <summary>The methods: "l1" and "group-inputs".</summary>
    public static IReadOnlyList<string> Methods { get; } = ["l1", "group-inputs"];

    /// <summary>Trains every method × λ (and an unpenalized baseline) on <paramref name="seeds"/> splits of <paramref name="digits"/>.</summary>
    public static FeatureSelectionResult Run(Dataset digits, int seeds, ulong seedBase, int epochs, IReadOnlyList<double>? lambdas = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        lambdas ??= Lambdas;
        var fits = new List<SelectionFit>();
        for (int s = 0; s < seeds; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ulong seed = seedBase + (ulong)s;
            var (train, test) = ExperimentData.StratifiedSplit(digits, 1197, seed);
            fits.Add(Fit(train, test, "none", 0, seed, epochs));
            foreach (string method in Methods)
                foreach (double lambda in lambdas) fits.Add(Fit(train, test, method, lambda, seed, epochs));
        }
        return new FeatureSelectionResult(digits.FeatureNames, fits);
    }

    /// <summary>One training run; returns the pixels kept (a mask over the inputs) and the test accuracy.</summary>
    public static SelectionFit Fit(Dataset train, Dataset test, string method, double lambda, ulong seed, int epochs)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var penalty = method switch
        {
            "none" or "group-inputs" => Penalty.None,
            "l1" => Penalty.PerLayer(Penalty.L1(lambda), Penalty.None),
            _ => throw new ArgumentException($"unknown method '{method}'.", nameof(method)),
        };
        var groups = method == "group-inputs" ? new GroupLasso(lambda) : null;
        var rng = new Rng(seed);
        var model = Mlp.Create(new MlpSpec(train.Features, [Hidden], train.ClassCount, train.Task, ActivationKind.Relu), rng.Fork(),
            Standardizer.Fit(train), train.Classes, train.FeatureNames, train.TargetName);
        const int batch = 32;
        var options = new TrainingOptions { Optimizer = Optim.Sgd(lr: LearningRate), BatchSize = batch, Epochs = epochs };
        var trainer = new Trainer(model, options, penalty.ForNetwork(2), batch);
        var x = new float[train.Rows * train.Features];
        model.PrepareInputs(train.X, x);
        var xb = new float[batch * train.Features];
        var yb = new float[batch];
        var order = Enumerable.Range(0, train.Rows).ToArray();
        var first = model.DenseLayers[0];
        var scratch = new float[first.Outputs];
        var shuffle = rng.Fork();
        var dropout = rng.Fork();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            shuffle.Shuffle(order.AsSpan());
            for (int start = 0; start < train.Rows; start += batch)
            {
                int rows = Math.Min(batch, train.Rows - start);
                for (int r = 0; r < rows; r++)
                {
                    int i = order[start + r];
                    x.AsSpan(i * train.Features, train.Features).CopyTo(xb.AsSpan(r * train.Features));
                    yb[r] = (float)train.Y[i];
                }
                trainer.Step(xb, yb, rows, dropout, out _);
                groups?.ProxColumns(first.Weight, first.Outputs, first.Inputs, (float)LearningRate, scratch);
            }
        }
        var sparsity = SparsityReport.Of(model);
        var cut = sparsity.CutFeatures.ToHashSet(StringComparer.Ordinal);
        bool[] kept = [.. train.FeatureNames.Select(n => !cut.Contains(n))];
        return new SelectionFit(method, lambda, seed, kept, new MlpModel(model).Score(test), sparsity.ZeroFraction);
    }
}

/// <summary>One run: method, λ, seed, which inputs are kept, test accuracy and the fraction of all weights that are exactly zero.</summary>
public sealed record SelectionFit(string Method, double Lambda, ulong Seed, IReadOnlyList<bool> Kept, double TestAccuracy, double ZeroFraction)
{
    /// <summary>Inputs kept.</summary>
    public int PixelsKept => Kept.Count(k => k);

    /// <summary>Inputs.</summary>
    public int Pixels => Kept.Count;
}

/// <summary>Everything <see cref="FeatureSelection.Run"/> measured.</summary>
public sealed record FeatureSelectionResult(IReadOnlyList<string> Pixels, IReadOnlyList<SelectionFit> Fits)
{
    /// <summary>For <paramref name="method"/> at <paramref name="lambda"/>: the fraction of seeds keeping each input.</summary>
    public double[] KeptFraction(string method, double lambda)
    {
        var runs = Fits.Where(f => f.Method == method && f.Lambda == lambda).ToArray();
        var fraction = new double[Pixels.Count];
        foreach (var f in runs)
            for (int j = 0; j < fraction.Length; j++)
                if (f.Kept[j]) fraction[j] += 1.0 / runs.Length;
        return fraction;
    }
}
