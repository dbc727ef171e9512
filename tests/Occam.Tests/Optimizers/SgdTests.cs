using Occam.Nn;
using Occam.Numerics.Prox;
using Occam.Numerics.Random;
using Occam.Optimizers;

namespace Occam.Tests.Optimizers;

public class SgdTests
{
    public static TheoryData<double, double, bool, double, double> Options()
    {
        var data = new TheoryData<double, double, bool, double, double>();
        foreach (var (momentum, dampening, nesterov) in new[] { (0.0, 0.0, false), (0.9, 0.0, false), (0.9, 0.25, false), (0.9, 0.0, true) })
            foreach (double weightDecay in new[] { 0.0, 0.05 })
                foreach (double prox in new[] { 0.0, 0.1 })
                    data.Add(momentum, dampening, nesterov, weightDecay, prox);
        return data;
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void UpdateEqualsScalarBitwiseForEveryLength(double momentum, double dampening, bool nesterov, double weightDecay, double prox)
    {
        const double lr = 0.1;
        var rng = new Rng(1001UL);
        float threshold = (float)(lr * prox);
        foreach (int n in TestVectors.Lengths)
        {
            var p = TestVectors.Mixed(rng, n, special: threshold == 0f ? 0.5f : threshold);
            var pScalar = (float[])p.Clone();
            var buffer = new float[n];
            var bufferScalar = new float[n];
            for (int step = 1; step <= 3; step++)
            {
                var g = TestVectors.Mixed(rng, n, special: 1f);
                Sgd.Update(p, g, buffer, step == 1, lr, momentum, dampening, nesterov, weightDecay, prox);
                Sgd.UpdateScalar(pScalar, g, bufferScalar, step == 1, lr, momentum, dampening, nesterov, weightDecay, prox);
                TestVectors.AssertBitwise(pScalar, p, $"param n={n} step={step}");
                TestVectors.AssertBitwise(bufferScalar, buffer, $"momentum buffer n={n} step={step}");
            }
        }
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.9, false)]
    [InlineData(0.9, true)]
    public void DecoupledWeightDecayWithZeroGradientShrinksByExactlyOneMinusLrLambda(double momentum, bool nesterov)
    {
        const double lr = 0.1, lambda = 0.3;
        float factor = (float)(1 - lr * lambda);
        var sgd = new Sgd(lr, momentum, nesterov: nesterov);
        var p = TestVectors.Normal(new Rng(1002UL), 37);
        var p0 = (float[])p.Clone();
        var zero = new float[p.Length];
        var w = OptimizerTesting.Weight(p);
        sgd.Initialize([w]);
        for (int t = 1; t <= 20; t++)
        {
            var before = (float[])p.Clone();
            sgd.BeginStep();
            sgd.Step(w, zero, lambda, 0);
            for (int i = 0; i < p.Length; i++) Assert.Equal(before[i] * factor, p[i]); // one float multiply per step, nothing else
        }
        for (int i = 0; i < p.Length; i++) Assert.Equal(p0[i] * Math.Pow(1 - lr * lambda, 20), p[i], 1e-5 * Math.Abs(p0[i]));
    }

    [Fact]
    public void ProxL1WithZeroGradientSoftThresholdsByLrLambdaPerStepAndReachesExactZero()
    {
        // lr·λ = 0.25·0.5 = 0.125 exactly; dyadic starting points make every step exact.
        const double lr = 0.25, lambda = 0.5;
        const float t = 0.125f;
        float[] p = [1f, -0.75f, 0.5625f, 0.125f, -0.0625f, 0f, -0f];
        int[] stepsToZero = [8, 6, 5, 1, 1, 0, 0];
        var sgd = new Sgd(lr);
        var w = OptimizerTesting.Weight(p);
        sgd.Initialize([w]);
        var zero = new float[p.Length];
        for (int step = 1; step <= 12; step++)
        {
            var before = (float[])p.Clone();
            sgd.BeginStep();
            sgd.Step(w, zero, 0, lambda);
            for (int i = 0; i < p.Length; i++)
            {
                if (step >= stepsToZero[i])
                {
                    Assert.True(TestVectors.IsPositiveZero(p[i]), $"coordinate {i} after step {step}: {TestVectors.Show(p[i])}, expected +0");
                }
                else
                {
                    Assert.Equal(MathF.Abs(before[i]) - t, MathF.Abs(p[i]));
                    Assert.Equal(MathF.Sign(before[i]), MathF.Sign(p[i]));
                }
            }
        }
        Assert.Equal(0f, SoftThreshold.Scalar(1f - 7 * t, t)); // the 8th step of 1.0 lands exactly on the threshold
    }

    [Fact]
    public void GroupStepSizeIsTheLearningRate()
    {
        foreach (var sgd in new[] { new Sgd(0.3), new Sgd(0.3, 0.9), new Sgd(0.3, 0.9, nesterov: true) })
        {
            var w = OptimizerTesting.Weight(new float[10]);
            var b = new Parameter("b", ParameterKind.Bias, new float[4]);
            sgd.Initialize([w, b]);
            sgd.BeginStep();
            sgd.Step(w, TestVectors.Normal(new Rng(1003UL), 10), 0, 0);
            Assert.Equal(0.3f, sgd.GroupStepSize(w, 0, 10));
            Assert.Equal(0.3f, sgd.GroupStepSize(w, 5, 5));
            Assert.Equal(0.3f, sgd.GroupStepSize(b, 0, 4));
        }
    }

    [Fact]
    public void FirstStepIsPlainGradientDescentThenHeavyBall()
    {
        // b₁ = g₁; b₂ = μb₁ + g₂; θ₂ = θ₁ − lr·b₂.
        var sgd = new Sgd(0.5, 0.5);
        float[] p = [1f];
        var w = OptimizerTesting.Weight(p);
        sgd.Initialize([w]);
        sgd.BeginStep();
        sgd.Step(w, [2f], 0, 0);
        Assert.Equal(0f, p[0]);      // 1 − 0.5·2
        sgd.BeginStep();
        sgd.Step(w, [1f], 0, 0);
        Assert.Equal(-1f, p[0]);     // 0 − 0.5·(0.5·2 + 1)
    }

    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(true, 0.0)]
    [InlineData(false, 0.01)]
    public void ZeroGradientFlushesTheMomentumBufferToZeroAndMovesNoWeightAwayFromTheUnflushedRule(bool nesterov, double prox)
    {
        // Gradients for 10 steps, then 2000 of g = 0: unflushed, b = 0.9·b decays into the subnormal range and stays
        // (0.9 × one subnormal ulp rounds back to it); flushed it reaches exactly 0, and the weights equal the unflushed
        // rule's (scalar float, as before session 12) at every step.
        const double lr = 0.01, momentum = 0.9;
        const int n = 45;
        var rng = new Rng(1004UL);
        var p = TestVectors.Normal(rng, n);
        p[2] = 0f;
        var pRef = (float[])p.Clone();
        float[] b = new float[n], bRef = new float[n], zero = new float[n];
        float negLr = (float)-lr, mu = (float)momentum, threshold = (float)(lr * prox);
        int unflushedSubnormalSteps = 0;
        for (int step = 1; step <= 2010; step++)
        {
            var g = step <= 10 ? TestVectors.Normal(rng, n) : zero;
            Sgd.Update(p, g, b, step == 1, lr, momentum, 0, nesterov, 0, prox);
            for (int i = 0; i < n; i++)
            {
                bRef[i] = step == 1 ? g[i] : MathF.FusedMultiplyAdd(1f, g[i], bRef[i] * mu);
                float gi = nesterov ? MathF.FusedMultiplyAdd(mu, bRef[i], g[i]) : bRef[i];
                pRef[i] = MathF.FusedMultiplyAdd(negLr, gi, pRef[i]);
                if (threshold != 0f) pRef[i] = SoftThreshold.Scalar(pRef[i], threshold);
            }
            TestVectors.AssertBitwise(pRef, p, $"weights at step {step}");
            Assert.DoesNotContain(b, float.IsSubnormal);
            if (bRef.Any(float.IsSubnormal)) unflushedSubnormalSteps++;
        }
        Assert.True(unflushedSubnormalSteps > 1000, $"the unflushed buffer was subnormal in {unflushedSubnormalSteps} steps only: the test does not exercise the flush");
        Assert.All(b, x => Assert.Equal(0f, x));
    }
}
