using System.Globalization;
using Occam.Numerics.Activations;
using Occam.Regularization;
using Occam.Reports;

namespace Occam.Experiments;

/// <summary>
/// Note 004: on the four XOR points, with the same hyper-parameters for every width, 2 hidden units succeed about 1 try in
/// 10, 4 units converge every time with output weights of equal magnitude, 8 units leave 3 redundant units, and L1 zeroes
/// 3 of the 8 while the other 5 still solve XOR.
/// Protocol: 2-h-1 binary nets (h = 2, 4, 8; sigmoid, tanh, relu hidden units; logit output with the logistic loss) on the
/// raw 0/1 inputs, Occam's initialization (Glorot/He uniform, zero biases) from seed i, full-batch gradient descent
/// (SGD, lr 0.5, no momentum) for 2000 steps, float32 engine. Success: all four points on the right side of p = 0.5
/// after training (the note's "99 % accuracy" on four points). Measurements on the trained weights in float64.
/// </summary>
public sealed class XorWidth : Experiment
{
    /// <summary>Widths compared.</summary>
    internal static readonly int[] Widths = [2, 4, 8];

    /// <summary>Hidden activations compared.</summary>
    internal static readonly ActivationKind[] Activations = [ActivationKind.Sigmoid, ActivationKind.Tanh, ActivationKind.Relu];

    /// <summary>The L1 strengths at width 8 (each one a condition of the L1 claims; fixed before any run).</summary>
    internal static readonly double[] Lambdas = [1e-3, 3e-3, 1e-2, 3e-2];

    /// <summary>"Equal absolute value" read as max|v|/min|v| ≤ this (the note's own 4-unit example has 4.9/3.4 = 1.44).</summary>
    internal const double EqualRatio = 1.5;

    /// <summary>"Near-zero" output weight: below this fraction of the largest |v| (reported next to the ablation count).</summary>
    internal const double NearZero = 0.1;

    /// <inheritdoc/>
    public override string Name => "xor-width";

    /// <inheritdoc/>
    public override string Title => "XOR: 2, 4 or 8 hidden units, with and without L1";

    /// <inheritdoc/>
    public override string Note => "004";

    /// <inheritdoc/>
    public override IReadOnlyList<Claim> Claims { get; } =
    [
        new("w2-one-in-ten", "004", "包含 2 个隐藏节点的网络可以完成分类任务，尽管效率较低，大约每 10 次尝试中有 1 次成功。",
            "A network with 2 hidden nodes can do the classification, though inefficiently: about 1 try in 10 succeeds."),
        new("w4-always", "004", "对于 4 个隐藏节点的网络，它似乎能够很好地执行 XOR 问题，因为每次都能收敛到目标准确率",
            "The network with 4 hidden nodes handles XOR well: it converges to the target accuracy every time."),
        new("w4-equal-weights", "004", "并以某种方式以相等的权重（绝对值）结束，这意味着所有 4 个节点都发挥了重要的代表作用。",
            "… and somehow ends with output weights of equal absolute value, meaning all 4 nodes play an important role."),
        new("w8-three-redundant", "004", "当隐藏节点数量达到 8 时，与隐藏节点数量为 4 的结构相比，有 3 个节点（绝对权重接近零）。这意味着这 3 个节点在某种程度上是冗余的。",
            "With 8 hidden nodes, 3 nodes have near-zero absolute weights: these 3 nodes are to some extent redundant."),
        new("l1-three-zero", "004", "在 L1 正则化项下，有 3 个节点（灰色）权重被设置为零，这意味着它们在网络中处于非激活状态",
            "Under the L1 penalty, 3 nodes have their weights set to zero: they are inactive in the network."),
        new("l1-five-still-xor", "004", "对于剩下的 5 个节点，网络能够很好地执行 XOR 任务。",
            "With the remaining 5 nodes the network still performs XOR well."),
    ];

    /// <inheritdoc/>
    public override (int Quick, int Full) DefaultSeeds => (24, 500);

    /// <summary>One trained net: success, and the measurements on its weights.</summary>
    internal sealed record Outcome(bool Success, bool Diverged, double Loss, double EqualityRatio, int Redundant, int NearZeroUnits, int DeadUnits, int ZeroWeights);

    /// <summary>Trains one 2-h-1 XOR net with the shared protocol and measures it (a divergence counts as a failure).</summary>
    internal static Outcome Train(int width, ActivationKind activation, Penalty penalty, ulong seed)
    {
        var model = XorNets.Train(width, activation, penalty, seed);
        if (model is null) return new Outcome(false, true, double.NaN, double.NaN, 0, 0, 0, 0);
        var net = XorNets.Net.Of(model.Network, activation);
        var absV = net.V.Select(Math.Abs).ToArray();
        double maxV = absV.Max();
        double ratio = absV.Min() > 0 ? maxV / absV.Min() : double.PositiveInfinity;
        var sparsity = model.Sparsity;
        return new Outcome(net.SolvesXor(), false, net.Loss(), ratio, net.RedundantUnits(),
            absV.Count(a => a < NearZero * maxV), sparsity.DeadUnits, sparsity.ZeroWeights);
    }

    /// <inheritdoc/>
    protected override ReportSection Execute(ExperimentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int n = context.Seeds;
        var plain = new Dictionary<(int, ActivationKind), Outcome[]>();
        foreach (int w in Widths)
            foreach (var a in Activations)
                plain[(w, a)] = RunAll(context, $"width {w}, {XorNets.Name(a)}", seed => Train(w, a, Penalty.None, seed));
        var prox = new Dictionary<(double, ActivationKind), Outcome[]>();
        foreach (double lambda in Lambdas)
            foreach (var a in Activations)
                prox[(lambda, a)] = RunAll(context, $"width 8, {XorNets.Name(a)}, L1 prox λ={Show(lambda)}", seed => Train(8, a, Penalty.L1(lambda, L1Mode.Prox), seed));
        var subgradient = new Dictionary<(double, ActivationKind), Outcome[]>();
        foreach (double lambda in Lambdas)
            foreach (var a in Activations)
                subgradient[(lambda, a)] = RunAll(context, $"width 8, {XorNets.Name(a)}, L1 subgradient λ={Show(lambda)}", seed => Train(8, a, Penalty.L1(lambda, L1Mode.Subgradient), seed));

        // Tables.
        var successRows = new List<IReadOnlyList<Cell>>();
        foreach (int w in Widths)
            foreach (var a in Activations)
            {
                var runs = plain[(w, a)];
                var ok = runs.Where(r => r.Success).ToArray();
                successRows.Add([Cell.Count(w), Cell.Of(XorNets.Name(a)), Stats.Wilson(runs.Select(r => r.Success)).ToCell(),
                    Cell.Count(runs.Count(r => r.Diverged)), Stats.Mean(runs.Where(r => !r.Diverged).Select(r => r.Loss).DefaultIfEmpty(double.NaN).ToArray()).ToCell()]);
            }
        var structureRows = new List<IReadOnlyList<Cell>>();
        foreach (var a in Activations)
        {
            var ok4 = plain[(4, a)].Where(r => r.Success).ToArray();
            var ok8 = plain[(8, a)].Where(r => r.Success).ToArray();
            structureRows.Add([Cell.Of(XorNets.Name(a)),
                ok4.Length == 0 ? Cell.Of("no success") : Stats.Wilson(ok4.Select(r => r.EqualityRatio <= EqualRatio)).ToCell(),
                ok4.Length == 0 ? Cell.Of("—") : Cell.Number(Median(ok4.Select(r => r.EqualityRatio)), 3),
                MeanOrDash(ok4.Select(r => (double)r.Redundant)),
                MeanOrDash(ok8.Select(r => (double)r.Redundant)),
                MeanOrDash(ok8.Select(r => (double)r.NearZeroUnits))]);
        }
        var l1Rows = new List<IReadOnlyList<Cell>>();
        foreach (var a in Activations)
        {
            foreach (double lambda in Lambdas)
                l1Rows.Add(L1Row(a, $"prox λ={Show(lambda)}", prox[(lambda, a)]));
            foreach (double lambda in Lambdas)
                l1Rows.Add(L1Row(a, $"subgradient λ={Show(lambda)}", subgradient[(lambda, a)]));
        }

        // Verdicts.
        var w2 = new ClaimTest("w2-one-in-ten");
        var w4 = new ClaimTest("w4-always");
        var equal = new ClaimTest("w4-equal-weights");
        var redundant = new ClaimTest("w8-three-redundant");
        var zero = new ClaimTest("l1-three-zero");
        var still = new ClaimTest("l1-five-still-xor");
        foreach (var a in Activations)
        {
            string name = XorNets.Name(a);
            w2.Check(name, Stats.Wilson(plain[(2, a)].Select(r => r.Success)), Expectation.Between(0.05, 0.2, "in [5 %, 20 %] (about 1 in 10)"));
            w4.Check(name, Stats.Wilson(plain[(4, a)].Select(r => r.Success)), Expectation.AtLeast(0.95, "≥ 95 % (every time)"));
            var ok4 = plain[(4, a)].Where(r => r.Success).ToArray();
            if (ok4.Length > 0)
                equal.Check(name, Stats.Wilson(ok4.Select(r => r.EqualityRatio <= EqualRatio)), Expectation.AtLeast(0.9, $"≥ 90 % of successful nets with max|v|/min|v| ≤ {Show(EqualRatio)}"));
            else
                equal.Check(name, new Estimate(double.NaN, double.NaN, double.NaN), "no successful net", Expectation.AtLeast(0.9));
            redundant.Check(name, MeanOf(plain[(8, a)].Where(r => r.Success).Select(r => (double)r.Redundant)),
                Expectation.Between(2.5, 3.5, "mean redundant units in [2.5, 3.5] (3)"));
            foreach (var (mode, runs) in new[] { ("prox", prox), ("subgradient", subgradient) })
                foreach (double lambda in Lambdas)
                {
                    zero.Check($"{name}, {mode}, λ={Show(lambda)}", Stats.Mean(runs[(lambda, a)].Select(r => (double)r.DeadUnits).ToArray()),
                        Expectation.Between(2.5, 3.5, "[2.5, 3.5]"));
                    still.Check($"{name}, {mode}, λ={Show(lambda)}", Stats.Wilson(runs[(lambda, a)].Select(r => r.Success)), Expectation.AtLeast(0.9, "≥ 90 %"));
                }
        }

        // Figures.
        var widthsX = Widths.Select(w => (double)w).ToArray();
        var successSeries = Activations.Select(a =>
        {
            var p = Widths.Select(w => Stats.Wilson(plain[(w, a)].Select(r => r.Success))).ToArray();
            return Series.Intervals(XorNets.Name(a), widthsX, p.Select(x => x.Rate).ToArray(), p.Select(x => x.Low).ToArray(), p.Select(x => x.High).ToArray());
        }).ToArray();
        var counts = Enumerable.Range(0, 8).Select(c => (double)c).ToArray();
        var redundantSeries = Activations.Select(a =>
        {
            var ok = plain[(8, a)].Where(r => r.Success).ToArray();
            return Series.Bars(XorNets.Name(a), counts,
                counts.Select(c => ok.Length == 0 ? 0 : (double)ok.Count(r => r.Redundant == (int)c) / ok.Length).ToArray());
        }).ToArray();
        var deadSeries = new[] { ("prox", prox), ("subgradient", subgradient) }.SelectMany(mode => Activations.Select(a =>
        {
            var m = Lambdas.Select(l => Stats.Mean(mode.Item2[(l, a)].Select(r => (double)r.DeadUnits).ToArray())).ToArray();
            return Series.Errors($"{XorNets.Name(a)} ({mode.Item1})", Lambdas, m.Select(x => x.Mean).ToArray(), m.Select(x => double.IsNaN(x.StandardError) ? 0 : x.StandardError).ToArray());
        })).ToArray();
        var l1SuccessSeries = Activations.Select(a =>
        {
            var p = Lambdas.Select(l => Stats.Wilson(prox[(l, a)].Select(r => r.Success))).ToArray();
            return Series.Intervals(XorNets.Name(a) + " (prox)", Lambdas, p.Select(x => x.Rate).ToArray(), p.Select(x => x.Low).ToArray(), p.Select(x => x.High).ToArray());
        }).ToArray();

        return new ReportSection
        {
            Name = Name,
            Title = Title,
            Claims = Claims,
            Protocol =
            [
                new("data", "the four XOR points (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0, raw 0/1 inputs (no standardization)"),
                new("network", "2-h-1, h = 2, 4, 8; hidden activation sigmoid, tanh or relu; one logit out"),
                new("init", "Occam's: He-uniform U(±√(6/2)) before relu, Glorot-uniform U(±√(6/(2+h))) otherwise, output Glorot-uniform; biases 0"),
                new("loss", "mean logistic loss over the four points"),
                new("optimizer", $"full-batch gradient descent (SGD, lr {Show(XorNets.LearningRate)}, no momentum), {XorNets.Steps} steps; identical for every width"),
                new("penalty", $"none; for the L1 claims width 8 with L1 λ·Σ|w| on both weight matrices (biases not penalized), as prox (soft-thresholding after each step: exact zeros) and as subgradient (λ·sign(w) added to the gradient, PyTorch-style), λ ∈ {{{string.Join(", ", Lambdas.Select(Show))}}}; each (activation, mode, λ) is one condition of the L1 claims"),
                new("seeds", $"{n} per width × activation (and per L1 setting), seeds {context.SeedBase}..{context.Seed(n - 1)}"),
                new("success criterion", "after training all four points are on the right side of p = 0.5 (the note's 99 % training accuracy on four points); a diverged run (non-finite loss) is a failure"),
                new("equal weights (w = 4)", $"max|v|/min|v| ≤ {Show(EqualRatio)} over the 4 output weights, among successful nets"),
                new("redundant units (w = 8)", "units removed in order of increasing contribution |v_j|·(max − min of the unit's activation over the four points) while the rest still solve XOR; near-zero: |v_j| < 0.1·max|v|"),
                new("zeroed units (L1)", "hidden units whose incoming or outgoing weights are all exactly 0 (SparsityReport.DeadUnits)"),
                new("precision", "training in the float32 engine; measurements (success, ablation, loss) in float64 on the trained weights"),
            ],
            Tables =
            [
                new Table("Success rate per width and activation (Wilson 95 %)", ["hidden units", "activation", "success", "diverged", "final loss (mean ± SE)"], successRows),
                new Table("Structure of the successful nets", ["activation", "w=4: max|v|/min|v| ≤ 1.5", "w=4: median max|v|/min|v|", "w=4: redundant units (mean ± SE)", "w=8: redundant units (mean ± SE)", "w=8: near-zero |v| (mean ± SE)"], structureRows),
                new Table("Width 8 with L1: zeroed units and success", ["activation", "L1", "zeroed units (mean ± SE)", "exact-zero weights (mean ± SE)", "success"], l1Rows),
            ],
            Figures =
            [
                new Figure { Name = "success-rate", Title = "XOR success rate vs hidden units", XLabel = "hidden units", YLabel = "success rate", Series = successSeries,
                    XTicks = Widths.Select(w => new Tick(w, w.ToString(CultureInfo.InvariantCulture))).ToArray(), Caption = "Wilson 95 % intervals; the same optimizer, lr and steps for every width." },
                new Figure { Name = "redundant-units", Title = "Width 8: redundant units per successful net", XLabel = "redundant units", YLabel = "fraction of nets", Series = redundantSeries,
                    XTicks = counts.Select(c => new Tick(c, c.ToString(CultureInfo.InvariantCulture))).ToArray(), Caption = "Units that can be removed (smallest contribution first) with XOR still solved." },
                new Figure { Name = "l1-zeroed-units", Title = "Width 8, L1: zeroed units vs λ", XLabel = "λ", YLabel = "zeroed units (mean ± SE)", LogX = true, Series = deadSeries,
                    Caption = "Units whose incoming or outgoing weights are all exactly zero; the subgradient never produces one." },
                new Figure { Name = "l1-success", Title = "Width 8, L1 prox: success rate vs λ", XLabel = "λ", YLabel = "success rate", LogX = true, Series = l1SuccessSeries,
                    Caption = "Wilson 95 % intervals." },
            ],
            Findings = Findings(plain, prox, subgradient),
            Verdicts = [w2.Verdict(), w4.Verdict(), equal.Verdict(), redundant.Verdict(), zero.Verdict(), still.Verdict()],
        };
    }

    private static List<string> Findings(Dictionary<(int, ActivationKind), Outcome[]> plain, Dictionary<(double, ActivationKind), Outcome[]> prox, Dictionary<(double, ActivationKind), Outcome[]> subgradient)
    {
        var findings = new List<string>();
        foreach (var a in Activations)
        {
            string rates = string.Join(", ", Widths.Select(w => $"{w} units {Stats.Wilson(plain[(w, a)].Select(r => r.Success)).ToCell().Display()}"));
            findings.Add($"{XorNets.Name(a)}: success {rates}.");
        }
        string lambdas = string.Join(" / ", Lambdas.Select(Show));
        foreach (var a in Activations)
            foreach (var (mode, runs) in new[] { ("prox", prox), ("subgradient", subgradient) })
            {
                string Join(Func<Outcome[], string> f) => string.Join(" / ", Lambdas.Select(l => f(runs[(l, a)])));
                findings.Add($"{XorNets.Name(a)}, width 8, L1 {mode} at λ = {lambdas}: zeroed units {Join(r => Stats.Mean(r.Select(o => (double)o.DeadUnits).ToArray()).ToCell().Display())}; " +
                    $"exact-zero weights (of 24) {Join(r => Stats.Mean(r.Select(o => (double)o.ZeroWeights).ToArray()).ToCell().Display())}; solved {Join(r => Stats.Wilson(r.Select(o => o.Success)).ToCell().Display())}.");
            }
        return findings;
    }

    private static IReadOnlyList<Cell> L1Row(ActivationKind a, string setting, Outcome[] runs) =>
    [
        Cell.Of(XorNets.Name(a)), Cell.Of(setting),
        Stats.Mean(runs.Select(r => (double)r.DeadUnits).ToArray()).ToCell(),
        Stats.Mean(runs.Select(r => (double)r.ZeroWeights).ToArray()).ToCell(),
        Stats.Wilson(runs.Select(r => r.Success)).ToCell(),
    ];

    private static Outcome[] RunAll(ExperimentContext context, string label, Func<ulong, Outcome> train)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var runs = new Outcome[context.Seeds];
        Parallel.For(0, context.Seeds, new ParallelOptions { CancellationToken = context.CancellationToken }, i => runs[i] = train(context.Seed(i)));
        context.Progress?.Report($"xor-width: {label}: {runs.Count(r => r.Success)}/{runs.Length} solved");
        return runs;
    }

    private static MeanEstimate MeanOf(IEnumerable<double> values)
    {
        var v = values.ToArray();
        return v.Length == 0 ? new MeanEstimate(double.NaN, double.NaN, 0, double.NaN, double.NaN) : Stats.Mean(v);
    }

    private static Cell MeanOrDash(IEnumerable<double> values)
    {
        var v = values.ToArray();
        return v.Length == 0 ? Cell.Of("—") : Stats.Mean(v).ToCell();
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }

    private static string Show(double x) => x.ToString("g4", CultureInfo.InvariantCulture);
}
