using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;
using Occam.Regularization;
using Occam.Reports;

namespace Occam.Experiments;

/// <summary>
/// Note 000, "scale symmetry": doubling the first layer's weights and biases and halving the second layer's leaves the
/// output of a ReLU net unchanged, not of a sigmoid or tanh net.
/// Protocol: per seed and activation, a 2-8-8-1 network (Occam's initialization: He-uniform for ReLU, Glorot-uniform
/// otherwise) with biases drawn from U(−1, 1), evaluated by the float32 engine on 256 inputs drawn from N(0, 1). The
/// transformation multiplies dense layer 1's weights and biases by 2 and layer 2's weights by ½, either keeping layer 2's
/// biases (the exact symmetry of a positively homogeneous activation) or also halving them (the note's literal wording).
/// Scaling by powers of two is exact in float32, so for ReLU the symmetry must hold bit for bit.
/// Statistic: the relative output change max|y′ − y| / max|y| per seed.
/// </summary>
public sealed class ReluScaleSymmetry : Experiment
{
    private const int Inputs = 2, Width = 8, Rows = 256;

    private static readonly ActivationKind[] Activations = [ActivationKind.Relu, ActivationKind.Tanh, ActivationKind.Sigmoid];

    /// <inheritdoc/>
    public override string Name => "relu-scale-symmetry";

    /// <inheritdoc/>
    public override string Title => "ReLU scale symmetry: double one layer, halve the next";

    /// <inheritdoc/>
    public override string Note => "000";

    /// <inheritdoc/>
    public override IReadOnlyList<Claim> Claims { get; } =
    [
        new("relu-invariant", "000",
            "如果你在第一层中将权重和偏置加倍，然后在第二层中将它们减半，最终输出保持不变。",
            "If you double the weights and biases in the first layer and then halve them in the second layer, the final output stays the same."),
        new("not-sigmoid-tanh", "000",
            "请注意，这种灵活性主要适用于具有某些线性特征的激活函数，如ReLU，而不适用于sigmoid或tanh等其他函数",
            "This flexibility applies mainly to activations with some linear character, such as ReLU, and not to others such as sigmoid or tanh."),
        new("l2-balances", "000", "为什么我们更倾向于使用小系数而不是大系数？",
            "Follow-up (issue 6; the note asks why small coefficients are preferred): among the rescalings that leave a ReLU net unchanged, the L2 penalty (λ/2)·Σw² prefers exactly one, balanced norms ‖w_j‖ = |v_j| per hidden unit, and training with L2 ends there."),
    ];

    /// <summary>λ of the L2 part (fixed before any run).</summary>
    internal const double L2Lambda = 1e-2;

    /// <summary>"Balanced": mean over live units of |log2(‖w_j‖/|v_j|)| at most this (3.5 %).</summary>
    internal const double BalanceTolerance = 0.05;

    /// <inheritdoc/>
    public override (int Quick, int Full) DefaultSeeds => (12, 200);

    /// <inheritdoc/>
    protected override ReportSection Execute(ExperimentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // change[activation][variant][seed]; variant 0 keeps layer 2's biases, variant 1 halves them too.
        var change = Activations.Select(_ => new[] { new double[context.Seeds], new double[context.Seeds] }).ToArray();
        for (int s = 0; s < context.Seeds; s++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            for (int a = 0; a < Activations.Length; a++)
            {
                var rng = new Rng(context.Seed(s));
                var net = RandomNet(Activations[a], rng);
                var x = new double[Rows * Inputs];
                for (int i = 0; i < x.Length; i++) x[i] = rng.NextNormal();
                float[] y = net.PredictScores(x, Rows);
                change[a][0][s] = RelativeChange(y, Rescale(net, halveSecondBias: false).PredictScores(x, Rows));
                change[a][1][s] = RelativeChange(y, Rescale(net, halveSecondBias: true).PredictScores(x, Rows));
            }
        }

        var rows = new List<IReadOnlyList<Cell>>();
        var identical = new Proportion[Activations.Length, 2];
        var mean = new MeanEstimate[Activations.Length, 2];
        for (int a = 0; a < Activations.Length; a++)
            for (int v = 0; v < 2; v++)
            {
                identical[a, v] = Stats.Wilson(change[a][v].Select(c => c == 0));
                mean[a, v] = Stats.Mean(change[a][v]);
                rows.Add([Cell.Of(Activations[a].ToString().ToLowerInvariant()), Cell.Of(VariantName(v)),
                    identical[a, v].ToCell(), mean[a, v].ToCell(), Cell.Number(change[a][v].Max())]);
            }

        var invariant = new ClaimTest("relu-invariant")
            .Check("relu, layer-2 biases kept", Estimate.Exact(change[0][0].Max()), $"largest relative change {Numbers.Significant(change[0][0].Max(), 3)}",
                Expectation.AtMost(0, "= 0 (bit-identical)"))
            .Check("relu, layer-2 biases halved too (literal)", mean[0, 1], Expectation.AtMost(1e-6, "≤ 1e-6 (float32 noise)"))
            .Verdict();
        var notOthers = new ClaimTest("not-sigmoid-tanh")
            .Check("tanh", mean[1, 0], Expectation.AtLeast(1e-3, "≥ 1e-3 (a visible change)"))
            .Check("sigmoid", mean[2, 0], Expectation.AtLeast(1e-3, "≥ 1e-3 (a visible change)"))
            .Verdict();

        // Part 2: which rescaling L2 prefers, and whether training with L2 gets there (ReLU 2-8-1 XOR nets).
        var balance = new[] { (Lambda: 0.0, Label: "no penalty"), (Lambda: L2Lambda, Label: $"L2 λ = {Numbers.Significant(L2Lambda, 2)}") }
            .Select(setting =>
            {
                var nets = new Balance?[context.Seeds];
                Parallel.For(0, context.Seeds, new ParallelOptions { CancellationToken = context.CancellationToken },
                    i => nets[i] = MeasureBalance(setting.Lambda, context.Seed(i)));
                return (setting.Label, Nets: nets.Where(b => b is not null).Select(b => b!).ToArray());
            }).ToArray();
        var balanceRows = new List<IReadOnlyList<Cell>>();
        foreach (var (label, nets) in balance)
        {
            balanceRows.Add(nets.Length == 0
                ? [Cell.Of(label), Cell.Count(0), Cell.Of("—"), Cell.Of("—"), Cell.Of("—"), Cell.Of("—")]
                : [Cell.Of(label), Cell.Count(nets.Length), Stats.Mean(nets.Select(b => b.MeanAbsLog2).ToArray()).ToCell(),
                    Stats.Mean(nets.Select(b => b.MeanAbsLog2AllUnits).ToArray()).ToCell(),
                    Stats.Mean(nets.Select(b => b.PenaltyRatio).ToArray()).ToCell(), Cell.Number(nets.Max(b => b.OutputChange))]);
        }
        var withL2 = balance[1].Nets;
        double worstChange = balance.SelectMany(b => b.Nets).Select(b => b.OutputChange).DefaultIfEmpty(double.NaN).Max();
        var l2Verdict = new ClaimTest("l2-balances")
            .Check("closed form: rescaling every unit to ‖w_j‖ = |v_j| (float64)", Estimate.Exact(worstChange),
                $"largest relative output change {Numbers.Significant(worstChange, 2)}", Expectation.AtMost(1e-9, "≤ 1e-9 (unchanged up to float64 rounding)"))
            .Check($"trained with L2 λ = {Numbers.Significant(L2Lambda, 2)}: penalty saved by balancing every unit",
                withL2.Length == 0 ? new Estimate(double.NaN, double.NaN, double.NaN) : Stats.Mean(withL2.Select(b => 1 - b.PenaltyRatio).ToArray()).Interval,
                withL2.Length == 0 ? "no net" : "1 − after/before " + Stats.Mean(withL2.Select(b => 1 - b.PenaltyRatio).ToArray()).ToCell().Display(),
                Expectation.AtMost(1e-3, "≤ 0.1 % (at the scale L2 prefers)"))
            .Check($"trained with L2 λ = {Numbers.Significant(L2Lambda, 2)}: every active unit balanced",
                withL2.Length == 0 ? new Estimate(double.NaN, double.NaN, double.NaN) : Stats.Mean(withL2.Select(b => b.MeanAbsLog2).ToArray()).Interval,
                withL2.Length == 0 ? "no net" : "mean |log2(‖w_j‖/|v_j|)| " + Stats.Mean(withL2.Select(b => b.MeanAbsLog2).ToArray()).ToCell().Display(),
                Expectation.AtMost(BalanceTolerance, $"≤ {Numbers.Significant(BalanceTolerance, 2)} (balanced within 3.5 %)"))
            .Verdict();
        var unitSeries = balance.Select(b => Series.Points(b.Label,
            b.Nets.SelectMany(n => n.Units.Select(u => Math.Log2(u.V))).ToArray(), b.Nets.SelectMany(n => n.Units.Select(u => Math.Log2(u.W))).ToArray()))
            .Where(s => s.X.Count > 0).ToList();
        var all = unitSeries.SelectMany(s => s.X.Concat(s.Y)).DefaultIfEmpty(0).ToArray();
        unitSeries.Add(Series.Line("balanced ‖w‖ = |v|", [all.Min(), all.Max()], [all.Min(), all.Max()]));

        var seeds = Enumerable.Range(1, context.Seeds).Select(i => (double)i).ToArray();
        return new ReportSection
        {
            Name = Name,
            Title = Title,
            Claims = Claims,
            Protocol =
            [
                new("network", $"{Inputs}-{Width}-{Width}-1, one activation for both hidden layers: relu, tanh, sigmoid"),
                new("weights", "Occam's initialization (He-uniform for relu, Glorot-uniform otherwise); every bias drawn from U(−1, 1)"),
                new("inputs", $"{Rows} points, each coordinate from N(0, 1)"),
                new("transformation", "dense layer 1: weights and biases × 2; dense layer 2: weights × ½, biases kept (exact symmetry) or × ½ (the note's literal wording)"),
                new("statistic", "relative output change max|y′ − y| / max|y| per network; rate of bit-identical outputs (Wilson 95 %), mean ± SE"),
                new("precision", "float32 engine (Mlp.PredictScores); × 2 and × ½ are exact in float32, so the symmetry, if true, holds bit for bit"),
                new("seeds", $"{context.Seeds} (seed base {context.SeedBase}), one network per seed and activation"),
                new("L2 part: scale L2 prefers", "unit j's rescaling (w_j, b_j) → α(w_j, b_j), v_j → v_j/α leaves a ReLU net unchanged; the penalty (λ/2)(α²‖w_j‖² + v_j²/α²) (biases not penalized) is smallest at α² = |v_j|/‖w_j‖, i.e. ‖αw_j‖ = |v_j/α| (balanced), where it is λ‖w_j‖|v_j|"),
                new("L2 part: training", $"ReLU 2-8-1 XOR nets, {XorNets.Protocol}; without penalty and with L2 λ = {Numbers.Significant(L2Lambda, 2)} on both weight matrices; per net the mean over active units (‖w_j‖ > 0, v_j ≠ 0, firing on at least one of the four points) of |log2(‖w_j‖/|v_j|)| (and over all non-zero units), and the penalty after balancing / before (float64)"),
            ],
            Tables =
            [
                new Table("Output change after the rescaling", ["activation", "layer-2 biases", "bit-identical outputs", "relative change (mean ± SE)", "largest"], rows),
                new Table("Which scale L2 prefers: balance of trained ReLU units", ["training", "nets", "active units: |log2(‖w_j‖/|v_j|)| (mean ± SE)", "all non-zero units: |log2(‖w_j‖/|v_j|)|", "penalty after balancing / before (mean ± SE)", "largest output change from balancing"], balanceRows),
            ],
            Figures =
            [
                new Figure
                {
                    Name = "relative-change",
                    Title = "Relative output change per network (layer-2 biases kept)",
                    XLabel = "network (seed)",
                    YLabel = "max|y′ − y| / max|y|",
                    Series = Activations.Select((act, a) => Series.Points(act.ToString().ToLowerInvariant(), seeds, change[a][0])).ToArray(),
                    Caption = "ReLU sits at exactly 0; tanh and sigmoid change because they are not positively homogeneous.",
                },
                new Figure
                {
                    Name = "unit-balance",
                    Title = "Trained ReLU units: incoming vs outgoing weight norm",
                    XLabel = "log2 |v_j| (outgoing)",
                    YLabel = "log2 ‖w_j‖ (incoming)",
                    Series = unitSeries,
                    Caption = "On the diagonal the L2 penalty cannot be lowered by rescaling the unit.",
                },
            ],
            Findings =
            [
                $"ReLU: {identical[0, 0].Successes} of {context.Seeds} networks give bit-identical outputs when layer 2's biases are kept; relu(2z) = 2·relu(z), so (½W₂)·relu(2z) + b₂ = W₂·relu(z) + b₂.",
                $"Halving layer 2's biases as well (the literal wording) changes the output by b₂/2 through the next layer: mean relative change {mean[0, 1].ToCell().Display()} for ReLU. The symmetry needs the second layer's biases unchanged.",
                $"tanh and sigmoid are not positively homogeneous: mean relative change {mean[1, 0].ToCell().Display()} (tanh) and {mean[2, 0].ToCell().Display()} (sigmoid).",
                .. balance.Where(b => b.Nets.Length > 0).Select(b =>
                    $"ReLU XOR nets, {b.Label}: mean |log2(‖w_j‖/|v_j|)| {Stats.Mean(b.Nets.Select(n => n.MeanAbsLog2).ToArray()).ToCell().Display()} over active units, {Stats.Mean(b.Nets.Select(n => n.MeanAbsLog2AllUnits).ToArray()).ToCell().Display()} over all non-zero units (a unit that never fires gets only the penalty's gradient, which shrinks w_j and v_j by the same factor and keeps their ratio); balancing every unit would multiply the L2 penalty by {Stats.Mean(b.Nets.Select(n => n.PenaltyRatio).ToArray()).ToCell().Display()}."),
            ],
            Verdicts = [invariant, notOthers, l2Verdict],
        };
    }

    private static string VariantName(int variant) => variant == 0 ? "kept" : "halved";

    /// <summary>One trained ReLU net's balance: live units' (‖w_j‖, |v_j|), mean |log2 ratio|, penalty ratio after balancing, output change.</summary>
    private sealed record Balance(IReadOnlyList<(double W, double V)> Units, double MeanAbsLog2, double MeanAbsLog2AllUnits, double PenaltyRatio, double OutputChange);

    /// <summary>
    /// Trains a ReLU 2-8-1 XOR net (L2 λ, or none) and measures its units in float64; null if training diverged or no unit is live.
    /// Balancing rescales unit j by α_j = √(|v_j|/‖w_j‖): (w_j, b_j) → α_j(w_j, b_j), v_j → v_j/α_j.
    /// </summary>
    private static Balance? MeasureBalance(double lambda, ulong seed)
    {
        var model = XorNets.Train(8, ActivationKind.Relu, lambda > 0 ? Penalty.L2(lambda) : Penalty.None, seed);
        if (model is null) return null;
        var net = XorNets.Net.Of(model.Network, ActivationKind.Relu);
        var units = new List<(double W, double V)>();
        var all = new List<(double W, double V)>();
        var w = (double[])net.W.Clone();
        var b = (double[])net.B.Clone();
        var v = (double[])net.V.Clone();
        double before = 0, after = 0;
        for (int j = 0; j < net.Width; j++)
        {
            double wn = Math.Sqrt(net.W[2 * j] * net.W[2 * j] + net.W[2 * j + 1] * net.W[2 * j + 1]), vn = Math.Abs(net.V[j]);
            before += wn * wn + vn * vn;
            if (wn == 0 || vn == 0) { after += wn * wn + vn * vn; continue; }
            all.Add((wn, vn));
            // Active: the unit fires on at least one of the four points (a unit that never fires gets no data gradient).
            if (Enumerable.Range(0, 4).Any(p => net.Hidden(j, p) > 0)) units.Add((wn, vn));
            double alpha = Math.Sqrt(vn / wn);
            w[2 * j] *= alpha; w[2 * j + 1] *= alpha; b[j] *= alpha; v[j] /= alpha;
            after += 2 * wn * vn;
        }
        if (units.Count == 0) return null;
        static double MeanAbsLog2(List<(double W, double V)> u) => u.Average(x => Math.Abs(Math.Log2(x.W / x.V)));
        var balanced = net with { W = w, B = b, V = v };
        double change = 0, size = 0;
        for (int p = 0; p < 4; p++)
        {
            change = Math.Max(change, Math.Abs(balanced.Logit(p) - net.Logit(p)));
            size = Math.Max(size, Math.Abs(net.Logit(p)));
        }
        return new Balance(units, MeanAbsLog2(units), MeanAbsLog2(all), after / before, change / size);
    }

    /// <summary>A 2-8-8-1 regression network with random biases in U(−1, 1).</summary>
    private static Mlp RandomNet(ActivationKind activation, Rng rng)
    {
        var net = Mlp.Create(new MlpSpec(Inputs, [Width, Width], 1, TaskKind.Regression, activation), rng);
        foreach (var dense in net.DenseLayers)
            for (int i = 0; i < dense.Bias.Length; i++) dense.Bias[i] = (float)(2 * rng.NextDouble() - 1);
        return net;
    }

    /// <summary>Dense layer 1: W, b × 2; dense layer 2: W × ½ and, if asked, b × ½.</summary>
    private static Mlp Rescale(Mlp net, bool halveSecondBias)
    {
        var copy = net.Clone();
        var first = copy.DenseLayers[0];
        var second = copy.DenseLayers[1];
        for (int i = 0; i < first.Weight.Length; i++) first.Weight[i] *= 2;
        for (int i = 0; i < first.Bias.Length; i++) first.Bias[i] *= 2;
        for (int i = 0; i < second.Weight.Length; i++) second.Weight[i] *= 0.5f;
        if (halveSecondBias)
            for (int i = 0; i < second.Bias.Length; i++) second.Bias[i] *= 0.5f;
        return copy;
    }

    private static double RelativeChange(float[] y, float[] scaled)
    {
        double diff = 0, size = 0;
        for (int i = 0; i < y.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs((double)scaled[i] - y[i]));
            size = Math.Max(size, Math.Abs((double)y[i]));
        }
        return diff / size;
    }
}
