using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Training;

namespace Occam.Tests.Optimizers;

/// <summary>Optimizer state is keyed by <see cref="Parameter"/>, and the folded L1 prox equals the penalty's own prox.</summary>
public class OptimizerStateTests
{
    public static TheoryData<OptimizerKind> Kinds() => [OptimizerKind.Sgd, OptimizerKind.Momentum, OptimizerKind.Nesterov, OptimizerKind.Adam, OptimizerKind.AdamW];

    private static Optimizer Create(OptimizerKind kind) => new OptimizerOptions { Kind = kind, LearningRate = 0.05 }.Create();

    [Theory]
    [MemberData(nameof(Kinds))]
    public void StateFollowsTheParameterNotTheOrderOfRegistrationOrOfSteps(OptimizerKind kind)
    {
        // Two parameters with different gradient streams: registered and stepped in either order, each one's
        // trajectory is the same as with an optimizer of its own.
        var rng = new Rng(2001UL);
        var a0 = TestVectors.Normal(rng, 19);
        var b0 = TestVectors.Normal(rng, 7);
        var ga = Enumerable.Range(0, 6).Select(_ => TestVectors.Normal(rng, 19)).ToArray();
        var gb = Enumerable.Range(0, 6).Select(_ => TestVectors.Normal(rng, 7)).ToArray();

        float[] Alone(float[] start, float[][] grads)
        {
            var p = OptimizerTesting.Weight((float[])start.Clone());
            var o = Create(kind);
            o.Initialize([p]);
            foreach (var g in grads)
            {
                o.BeginStep();
                o.Step(p, g, 0.01, 0.02);
            }
            return p.Value;
        }

        var a = OptimizerTesting.Weight((float[])a0.Clone(), "a");
        var b = new Parameter("b", ParameterKind.Bias, (float[])b0.Clone());
        var opt = Create(kind);
        opt.Initialize([b, a]);
        Assert.Equal([b, a], opt.Parameters);
        for (int t = 0; t < ga.Length; t++)
        {
            opt.BeginStep();
            if (t % 2 == 0)
            {
                opt.Step(a, ga[t], 0.01, 0.02);
                opt.Step(b, gb[t], 0.01, 0.02);
            }
            else
            {
                opt.Step(b, gb[t], 0.01, 0.02);
                opt.Step(a, ga[t], 0.01, 0.02);
            }
        }
        TestVectors.AssertBitwise(Alone(a0, ga), a.Value, $"{kind}: a");
        TestVectors.AssertBitwise(Alone(b0, gb), b.Value, $"{kind}: b");
    }

    [Fact]
    public void AnUnregisteredOrRepeatedParameterIsRefused()
    {
        var opt = new AdamW(1e-3);
        var a = OptimizerTesting.Weight([1f, 2f], "0.weight");
        var other = OptimizerTesting.Weight([1f, 2f], "0.weight");   // same name and values, another parameter
        opt.Initialize([a]);
        Assert.Throws<InvalidOperationException>(() => opt.StepSizes(a, new float[2]));   // no step yet: no step sizes
        Assert.Throws<InvalidOperationException>(() => opt.GroupStepSize(a, 0, 2));
        opt.BeginStep();
        var e = Assert.Throws<ArgumentException>(() => opt.Step(other));
        Assert.Contains("0.weight was not registered", e.Message);
        Assert.Throws<ArgumentException>(() => opt.GroupStepSize(other, 0, 1));
        Assert.Throws<ArgumentException>(() => opt.StepSizes(other, new float[2]));
        Assert.Contains("listed twice", Assert.Throws<ArgumentException>(() => new Sgd(0.1).Initialize([a, a])).Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void FoldedProxEqualsStepThenThePenaltysProxBitwise(OptimizerKind kind)
    {
        var rng = new Rng(2002UL);
        var penalty = new ElasticNetPenalty(3, 0);
        int zeros = 0;
        foreach (int n in new[] { 1, 7, 8, 33, 257 })
        {
            var start = TestVectors.Mixed(rng, n, special: 0.01f);
            var fused = OptimizerTesting.Weight((float[])start.Clone());
            var split = OptimizerTesting.Weight((float[])start.Clone());
            var o1 = Create(kind);
            var o2 = Create(kind);
            o1.Initialize([fused]);
            o2.Initialize([split]);
            var scratch = new float[n];
            for (int t = 0; t < 8; t++)
            {
                var g = TestVectors.Normal(rng, n);
                o1.BeginStep();
                o1.Step(fused, g, 0.01, penalty.ProxL1);
                o2.BeginStep();
                o2.Step(split, g, 0.01, 0);
                penalty.Prox(split, o2, scratch);
                TestVectors.AssertBitwise(fused.Value, split.Value, $"{kind} n={n} step {t + 1}");
            }
            zeros += fused.Value.Count(v => v == 0f);
        }
        Assert.True(zeros > 20, $"{kind}: the prox made only {zeros} exact zeros, the comparison is nearly vacuous");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void StepSizesAreTheProxThresholdsOverLambda(OptimizerKind kind)
    {
        // λ·ηᵢ from StepSizes(scale: λ) is what soft-thresholding subtracts: a coordinate far from zero moves by exactly it.
        var w = OptimizerTesting.Weight([100f, -100f, 50f]);
        var opt = Create(kind);
        opt.Initialize([w]);
        opt.BeginStep();
        opt.Step(w, [1f, -2f, 0.5f], 0, 0);
        var steps = new float[3];
        opt.StepSizes(w, steps);
        var thresholds = new float[3];
        opt.StepSizes(w, thresholds, 0.5);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(steps[i] > 0f);
            if (kind is OptimizerKind.Sgd or OptimizerKind.Momentum or OptimizerKind.Nesterov) Assert.Equal(0.05f, steps[i]);
            else Assert.Equal(0.05 / (Math.Abs(new[] { 1f, -2f, 0.5f }[i]) + 1e-8), steps[i], 1e-7);   // t = 1: √v̂ = |g|
            Assert.Equal(steps[i] * 0.5, thresholds[i], 1e-7);
        }
        var before = (float[])w.Value.Clone();
        new ElasticNetPenalty(0.5, 0).Prox(w, opt, new float[3]);
        for (int i = 0; i < 3; i++) Assert.Equal(MathF.Abs(before[i]) - thresholds[i], MathF.Abs(w.Value[i]));
    }

    [Fact]
    public void GroupStepSizesGivesOneStepPerRow()
    {
        var w = OptimizerTesting.Weight(new float[6]);
        var adam = new AdamW(0.01);
        adam.Initialize([w]);
        adam.BeginStep();
        adam.Step(w, [1f, 1f, 1f, 4f, 4f, 4f], 0, 0);
        var steps = new float[2];
        adam.GroupStepSizes(w, 3, steps);
        Assert.Equal(adam.GroupStepSize(w, 0, 3), steps[0]);
        Assert.Equal(adam.GroupStepSize(w, 3, 3), steps[1]);
        Assert.Equal(0.01 / 4, steps[1], 1e-7);
        Assert.Throws<ArgumentException>(() => adam.GroupStepSizes(w, 4, steps));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.GroupStepSize(w, 4, 3));
    }

    [Fact]
    public void AHandWrittenLoopOverNamedParametersEqualsTheTrainer()
    {
        // The README's lower level, public API only: a trainer's step equals its gradients (left in each
        // Parameter.Gradient) followed by a hand-written update over model.Parameters() with the same optimizer,
        // penalty and folded prox.
        var rng = new Rng(2003UL);
        var model = Mlp.Create(new MlpSpec(3, [5], 1, TaskKind.Regression), rng);
        var x = TestVectors.Normal(rng, 8 * 3);
        var y = TestVectors.Normal(rng, 8);
        var penalty = new ElasticNetPenalty(0.05, 0.01);
        var reg = NetworkRegularization.Uniform(new LayerRegularization(penalty), 2);
        var options = new TrainingOptions { Optimizer = new OptimizerOptions { Kind = OptimizerKind.Adam, LearningRate = 0.1 } };

        var byTrainer = model.Clone();
        var trainer = new Trainer(byTrainer, options, reg, 8);
        trainer.Step(x, y, 8, new Rng(1UL), out _);

        // The gradients: a penalty-free trainer step leaves them in the parameters; put the values back, then update by hand.
        var byHand = model.Clone();
        var probe = new Trainer(byHand, options, null, 8);
        var before = byHand.Parameters().Select(p => (float[])p.Value.Clone()).ToArray();
        probe.Step(x, y, 8, new Rng(1UL), out _);   // leaves ∂loss/∂p in every p.Gradient
        for (int i = 0; i < before.Length; i++) before[i].CopyTo(byHand.Parameters()[i].Value, 0);

        var adam = options.Optimizer.Create();
        adam.Initialize(byHand.Parameters());
        adam.BeginStep();
        foreach (var p in byHand.Parameters())
        {
            if (p.Kind == ParameterKind.Weight) penalty.AddGradient(p.Value, p.Gradient);
            adam.Step(p, 0, p.Kind == ParameterKind.Weight ? penalty.ProxL1 : 0);
        }
        for (int i = 0; i < before.Length; i++)
            TestVectors.AssertBitwise(byTrainer.Parameters()[i].Value, byHand.Parameters()[i].Value, byHand.Parameters()[i].Name);
        Assert.Contains(0f, byTrainer.Parameters()[0].Value);   // lr·λ₁/d = 0.005/|ĝ|: some first-step zeros
    }
}
