using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;
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
    ];

    /// <inheritdoc/>
    public override (int Quick, int Full) DefaultSeeds => (20, 200);

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
            ],
            Tables =
            [
                new Table("Output change after the rescaling", ["activation", "layer-2 biases", "bit-identical outputs", "relative change (mean ± SE)", "largest"], rows),
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
            ],
            Findings =
            [
                $"ReLU: {identical[0, 0].Successes} of {context.Seeds} networks give bit-identical outputs when layer 2's biases are kept; relu(2z) = 2·relu(z), so (½W₂)·relu(2z) + b₂ = W₂·relu(z) + b₂.",
                $"Halving layer 2's biases as well (the literal wording) changes the output by b₂/2 through the next layer: mean relative change {mean[0, 1].ToCell().Display()} for ReLU. The symmetry needs the second layer's biases unchanged.",
                $"tanh and sigmoid are not positively homogeneous: mean relative change {mean[1, 0].ToCell().Display()} (tanh) and {mean[2, 0].ToCell().Display()} (sigmoid).",
            ],
            Verdicts = [invariant, notOthers],
        };
    }

    private static string VariantName(int variant) => variant == 0 ? "kept" : "halved";

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
