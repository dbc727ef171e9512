using Occam.Numerics.Random;
using Occam.Optimizers;

namespace Occam.Tests.Optimizers;

public class AdamWTests
{
    public static TheoryData<double, double, double, double> Options()
    {
        var data = new TheoryData<double, double, double, double>();
        foreach (var (beta1, beta2) in new[] { (0.9, 0.999), (0.5, 0.9) })
            foreach (double weightDecay in new[] { 0.0, 0.01 })
                foreach (double prox in new[] { 0.0, 0.05 })
                    data.Add(beta1, beta2, weightDecay, prox);
        return data;
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void UpdateEqualsScalarBitwiseForEveryLength(double beta1, double beta2, double weightDecay, double prox)
    {
        const double lr = 0.01, eps = 1e-8;
        var rng = new Rng(1101UL);
        foreach (int n in TestVectors.Lengths)
        {
            var p = TestVectors.Mixed(rng, n);
            var pScalar = (float[])p.Clone();
            float[] m = new float[n], v = new float[n], mScalar = new float[n], vScalar = new float[n];
            foreach (long step in new long[] { 1, 2, 3, 1000 })
            {
                var g = TestVectors.Mixed(rng, n, special: 1f);
                AdamW.Update(p, g, m, v, step, lr, beta1, beta2, eps, weightDecay, prox);
                AdamW.UpdateScalar(pScalar, g, mScalar, vScalar, step, lr, beta1, beta2, eps, weightDecay, prox);
                TestVectors.AssertBitwise(pScalar, p, $"param n={n} step={step}");
                TestVectors.AssertBitwise(mScalar, m, $"first moment n={n} step={step}");
                TestVectors.AssertBitwise(vScalar, v, $"second moment n={n} step={step}");
            }
        }
    }

    [Fact]
    public void DecoupledWeightDecayWithZeroGradientShrinksByExactlyOneMinusLrLambda()
    {
        const double lr = 0.01, lambda = 0.5;
        float factor = (float)(1 - lr * lambda);
        var adamw = new AdamW(lr);
        var p = TestVectors.Normal(new Rng(1102UL), 37);
        var zero = new float[p.Length];
        var w = OptimizerTesting.Weight(p);
        adamw.Initialize([w]);
        for (int t = 1; t <= 20; t++)
        {
            var before = (float[])p.Clone();
            adamw.BeginStep();
            adamw.Step(w, zero, lambda, 0);
            // m = v = 0, so the Adam part adds exactly −0: only the decay multiply remains.
            for (int i = 0; i < p.Length; i++) Assert.Equal(before[i] * factor, p[i]);
        }
    }

    [Fact]
    public void FirstStepMovesEachCoordinateByLrTimesSignOfGradient()
    {
        // t = 1: m̂ = g, v̂ = g², so θ₁ = θ₀ − lr·g/(|g| + ε) ≈ θ₀ − lr·sign(g).
        const double lr = 0.01;
        var rng = new Rng(1103UL);
        var p = TestVectors.Normal(rng, 33);
        var g = TestVectors.Normal(rng, 33, scale: 3);
        var p0 = (float[])p.Clone();
        var adam = new AdamW(lr);
        var w = OptimizerTesting.Weight(p);
        adam.Initialize([w]);
        adam.BeginStep();
        adam.Step(w, g, 0, 0);
        for (int i = 0; i < p.Length; i++) Assert.Equal(p0[i] - lr * g[i] / (Math.Abs(g[i]) + 1e-8), p[i], 1e-6);
        Assert.Equal((float)lr, adam.GroupStepSize(w, 0, 0)); // an empty group falls back to lr
    }

    [Fact]
    public void ProxThresholdIsPerCoordinateStepTimesLambda()
    {
        // First step with prox λ₁: θ ← soft(θ₀ − lr·g/d, lr·λ₁/d), d = |g| + ε.
        const double lr = 0.1, lambda = 2;
        float[] p = [0.05f, 0.5f, -0.5f, 1f];
        float[] g = [1f, 0.5f, -4f, 2f];
        var adamw = new AdamW(lr);
        var w = OptimizerTesting.Weight(p);
        adamw.Initialize([w]);
        adamw.BeginStep();
        var expected = new double[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            double d = Math.Abs(g[i]) + 1e-8;
            double moved = p[i] - lr * g[i] / d;
            double t = lr * lambda / d;
            expected[i] = Math.Sign(moved) * Math.Max(Math.Abs(moved) - t, 0);
        }
        adamw.Step(w, g, 0, lambda);
        for (int i = 0; i < p.Length; i++) Assert.Equal(expected[i], p[i], 1e-6);
        Assert.True(TestVectors.IsPositiveZero(p[0]), "0.05 − 0.1 = −0.05, threshold 0.2: exactly +0");
        Assert.Equal(-0.35, p[2], 1e-6); // −0.5 + 0.1, threshold 0.2/4
        Assert.Equal(0.8, p[3], 1e-6);   // 1 − 0.1, threshold 0.2/2
    }

    [Fact]
    public void GroupStepUsesTheGroupsMeanDenominator()
    {
        // After one step v = (1 − β₂)·g², v̂ = g², so √v̂ = |g| and η = lr / (mean|g| + ε), finite even when some g = 0.
        var adam = new Occam.Optimizers.AdamW(0.01, epsilon: 1e-8);
        var w = OptimizerTesting.Weight(new float[4]);
        adam.Initialize([w]);
        adam.BeginStep();
        adam.Step(w, [0f, 2f, 0f, 6f], 0, 0);
        Assert.Equal(0.01 / (2.0 + 1e-8), adam.GroupStepSize(w, 0, 4), 1e-6);
        Assert.Equal(0.01 / 1e-8, adam.GroupStepSize(w, 0, 1), 1e-2 * (0.01 / 1e-8));   // a never-updated group: huge step (it is dead anyway)
    }
}
