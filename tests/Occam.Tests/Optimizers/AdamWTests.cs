using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Occam.Numerics.Random;
using Occam.Optimizers;

namespace Occam.Tests.Optimizers;

public class AdamWTests
{
    public static TheoryData<double, double, double, double, bool> Options()
    {
        var data = new TheoryData<double, double, double, double, bool>();
        foreach (var (beta1, beta2) in new[] { (0.9, 0.999), (0.5, 0.9) })
            foreach (double weightDecay in new[] { 0.0, 0.01 })
                foreach (double prox in new[] { 0.0, 0.05 })
                    foreach (bool markstein in new[] { false, true })
                        data.Add(beta1, beta2, weightDecay, prox, markstein);
        return data;
    }

    /// <summary>
    /// Runs <paramref name="body"/> with <c>AdamW.DividesByMarkstein</c> set to <paramref name="markstein"/> (its default
    /// depends on the processor's vendor, so each test asks for both ways explicitly). Both ways give the same bits, so a
    /// test of another class updating at the same time gets its numbers either way.
    /// </summary>
    internal static void WithDivision(bool markstein, Action body)
    {
        bool saved = AdamW.DividesByMarkstein;
        AdamW.DividesByMarkstein = markstein;
        try
        {
            body();
        }
        finally
        {
            AdamW.DividesByMarkstein = saved;
        }
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void UpdateEqualsScalarBitwiseForEveryLength(double beta1, double beta2, double weightDecay, double prox, bool markstein) =>
        WithDivision(markstein, () => UpdateEqualsScalar(beta1, beta2, weightDecay, prox));

    private static void UpdateEqualsScalar(double beta1, double beta2, double weightDecay, double prox)
    {
        const double lr = 0.01, eps = 1e-8;
        var rng = new Rng(1101UL);
        foreach (int n in TestVectors.Lengths)
        {
            var p = TestVectors.Mixed(rng, n);
            var pScalar = (float[])p.Clone();
            float[] m = new float[n], v = new float[n], mScalar = new float[n], vScalar = new float[n];
            foreach (long step in new long[] { 1, 2, 3, 1000, 100000 })   // t = 100 000: √(1 − β₂ᵗ) == 1f, the vector paths skip ÷1
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
    public void BiasCorrectionOfTheSecondMomentRoundsToOneForLateSteps()
    {
        // The vector paths skip the division by √(1 − β₂ᵗ) when it is 1f (exact: x / 1 == x); the equality test above
        // runs such a step only if this holds.
        Assert.Equal(1f, AdamW.StepConstants.For(100000, 1e-3, 0.9, 0.999).Bc2Sqrt);
        Assert.Equal(1f, AdamW.StepConstants.For(100000, 1e-3, 0.5, 0.9).Bc2Sqrt);
        Assert.NotEqual(1f, AdamW.StepConstants.For(1000, 1e-3, 0.9, 0.999).Bc2Sqrt);
        foreach (float x in new[] { 0f, -0f, float.Epsilon, 1e-30f, 3.5f, float.MaxValue, float.PositiveInfinity, float.NaN })
            Assert.Equal(BitConverter.SingleToInt32Bits(x), BitConverter.SingleToInt32Bits(x / 1f));
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

    /// <summary>
    /// <c>AdamW.DivideByMarkstein</c> (x/b from RN(1/b) and two fused corrections) is the division bit for bit: every one of
    /// the 2²³ mantissas of x in two binades for divisors b with an all-ones mantissa (1 − 2⁻²⁴ and 2⁻¹(2 − 2⁻²³), the
    /// case the literature singles out for Newton reciprocals), a power of two and √(1 − 0.999), then random x (all bits:
    /// zeros, ∞, NaN included) and boundary-hugging x for b of 60 steps and β₂. (Only where AVX-512 is supported.)
    /// </summary>
    [Fact]
    public void DivideByMarksteinEqualsTheDivisionBitwise()
    {
        if (!Avx512F.IsSupported) return;
        var rng = new Rng(1108UL);
        var x = new float[16];
        int mismatches = 0;
        string first = "";
        void Check(float b)
        {
            var q = AdamW.DivideByMarkstein(Vector512.Create(x), Vector512.Create(b), Vector512.Create(1f / b), Vector512.Create(b * MathF.ScaleB(1f, -60)),
                Vector512.Create(b * MathF.ScaleB(1f, 126)));
            for (int i = 0; i < 16; i++)
                if (BitConverter.SingleToInt32Bits(x[i] / b) != BitConverter.SingleToInt32Bits(q[i]) && mismatches++ == 0)
                    first = $"{x[i]:R} / {b:R} = {x[i] / b:R}, got {q[i]:R}";
        }
        foreach (int bBits in new[] { 0x3F7FFFFF, 0x3EFFFFFF, 0x3E800000, BitConverter.SingleToInt32Bits((float)Math.Sqrt(1 - 0.999)) })
        {
            float b = BitConverter.Int32BitsToSingle(bBits);
            foreach (int exponent in new[] { 127, 127 - 40, 127 - 62 })
                for (int mantissa = 0; mantissa < 1 << 23; mantissa += 16)
                {
                    for (int i = 0; i < 16; i++) x[i] = BitConverter.Int32BitsToSingle((exponent << 23) | (mantissa + i));
                    Check(b);
                }
        }
        for (int k = 0; k < 60; k++)
        {
            double beta2 = k < 30 ? 0.999 : 1 - Math.Pow(10, -4 * rng.NextDouble());
            float b = (float)Math.Sqrt(1 - Math.Pow(beta2, 1 + rng.NextInt(k < 30 ? 20000 : 300)));
            if (!(b > 0)) continue;
            for (int r = 0; r < 1 << 11; r++)
            {
                for (int i = 0; i < 16; i++)
                {
                    if (r % 2 == 0) x[i] = BitConverter.Int32BitsToSingle((int)(rng.NextUInt64() & 0x7FFFFFFF));
                    else
                    {
                        double m = (2.0 * ((1 << 23) + rng.NextInt(1 << 23)) + 1) * Math.Pow(2, -25 + rng.NextInt(60) - 30);
                        x[i] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits((float)(m * b)) + rng.NextInt(5) - 2);
                    }
                }
                if (r == 0) { x[0] = 0f; x[1] = float.PositiveInfinity; x[2] = BitConverter.Int32BitsToSingle(0x7FC12345); x[3] = float.MaxValue; }
                Check(b);
            }
        }
        Assert.True(mismatches == 0, $"{mismatches} quotients differ; first: {first}");
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

    /// <summary>
    /// The rule as it was before session 12 (no flush): scalar float, the same operations in the same order as
    /// <c>AdamW.UpdateScalar</c>. The reference the flushed rule is compared with.
    /// </summary>
    private static void UnflushedUpdate(float[] param, float[] grad, float[] m, float[] v, long step, double lr, double beta1, double beta2, double eps, double proxL1)
    {
        var c = AdamW.StepConstants.For(step, lr, beta1, beta2);
        float b1 = (float)beta1, b2 = (float)beta2, c1 = (float)(1 - beta1), c2 = (float)(1 - beta2), e = (float)eps, prox = (float)(lr * proxL1);
        for (int i = 0; i < param.Length; i++)
        {
            float g = grad[i];
            m[i] = MathF.FusedMultiplyAdd(c1, g, m[i] * b1);
            v[i] = MathF.FusedMultiplyAdd(c2 * g, g, v[i] * b2);
            float d = MathF.Sqrt(v[i]) / c.Bc2Sqrt + e;
            float p = param[i] + -c.StepSize * m[i] / d;
            if (prox != 0f) p = Occam.Numerics.Prox.SoftThreshold.Scalar(p, prox / d);
            param[i] = p;
        }
    }

    [Theory]
    [InlineData(0.999, 0.0)]
    [InlineData(0.999, 1e-4)]
    [InlineData(0.95, 0.0)]
    [InlineData(0.95, 1e-4)]
    public void ZeroGradientFlushesTheMomentsToZeroAndMovesNoWeightAwayFromTheUnflushedRule(double beta2, double prox)
    {
        // 20 steps with gradients, then 3000 with g = 0 (a dead unit): unflushed, m (and with β₂ = 0.95 also v) decays
        // into the subnormal range and stays there (β × one subnormal ulp rounds back to it); flushed it reaches exactly
        // 0, and every weight is bit for bit the unflushed rule's at every step. (With β₂ = 0.999, v needs ≈ 75 000 zero
        // steps to get there: it stays normal in this run.)
        const double lr = 1e-3, beta1 = 0.9, eps = 1e-8;
        const int n = 45;   // 2 AVX-512 vectors and a tail
        var rng = new Rng(1104UL);
        var p = TestVectors.Normal(rng, n);
        var pRef = (float[])p.Clone();
        float[] m = new float[n], v = new float[n], mRef = new float[n], vRef = new float[n];
        var zero = new float[n];
        int mSubnormalSteps = 0, vSubnormalSteps = 0;
        for (long step = 1; step <= 3020; step++)
        {
            var g = step <= 20 ? TestVectors.Normal(rng, n, scale: 0.1) : zero;
            AdamW.Update(p, g, m, v, step, lr, beta1, beta2, eps, 0, prox);
            UnflushedUpdate(pRef, g, mRef, vRef, step, lr, beta1, beta2, eps, prox);
            TestVectors.AssertBitwise(pRef, p, $"weights at step {step}");
            Assert.True(!m.Any(float.IsSubnormal) && !v.Any(float.IsSubnormal), $"a subnormal moment at step {step}");
            if (mRef.Any(float.IsSubnormal)) mSubnormalSteps++;
            if (vRef.Any(float.IsSubnormal)) vSubnormalSteps++;
        }
        Assert.True(mSubnormalSteps > 2000, $"the unflushed rule had subnormal m in {mSubnormalSteps} steps only: the test does not exercise the flush");
        Assert.All(m, x => Assert.Equal(0f, x));
        Assert.All(mRef, x => Assert.True(float.IsSubnormal(x), $"unflushed m = {TestVectors.Show(x)}: expected stuck at a subnormal"));
        if (beta2 == 0.95)
        {
            Assert.True(vSubnormalSteps > 1000, $"the unflushed rule had subnormal v in {vSubnormalSteps} steps only");
            Assert.All(v, x => Assert.Equal(0f, x));
        }
        else
        {
            Assert.Equal(0, vSubnormalSteps);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void VectorEqualsScalarWithSubnormalAndNanState(bool markstein) => WithDivision(markstein, VectorEqualsScalarWithSubnormalAndNan);

    private static void VectorEqualsScalarWithSubnormalAndNan()
    {
        // Moments that start subnormal (and NaN, ±0, normal) through every length and both flush settings.
        const double lr = 0.01;
        var rng = new Rng(1105UL);
        foreach (double eps in new[] { 1e-8, 1e-30 })
            foreach (int n in TestVectors.Lengths)
            {
                var p = TestVectors.Mixed(rng, n);
                var pScalar = (float[])p.Clone();
                var m = TestVectors.Mixed(rng, n, special: float.Epsilon * 3);
                var v = TestVectors.Mixed(rng, n, special: float.Epsilon * 7).Select(MathF.Abs).ToArray();
                if (n > 5) { m[n / 2] = float.NaN; v[n / 3] = float.NaN; }
                float[] mScalar = (float[])m.Clone(), vScalar = (float[])v.Clone();
                var g = TestVectors.Mixed(rng, n, special: 1e-30f);
                for (int i = 0; i < n; i += 3) g[i] = 0f;
                foreach (long step in new long[] { 1, 7 })
                {
                    AdamW.Update(p, g, m, v, step, lr, 0.9, 0.999, eps, 0, 0.01);
                    AdamW.UpdateScalar(pScalar, g, mScalar, vScalar, step, lr, 0.9, 0.999, eps, 0, 0.01);
                    TestVectors.AssertBitwise(pScalar, p, $"param n={n} step={step} eps={eps}");
                    TestVectors.AssertBitwise(mScalar, m, $"first moment n={n} step={step} eps={eps}");
                    TestVectors.AssertBitwise(vScalar, v, $"second moment n={n} step={step} eps={eps}");
                }
                if (n > 5) Assert.True(float.IsNaN(m[n / 2]) && float.IsNaN(v[n / 3]), "NaN state is not flushed");
                if (eps == 1e-8) Assert.True(!m.Any(float.IsSubnormal) && !v.Any(float.IsSubnormal), $"n={n}: a subnormal moment left");
                else if (n >= 100) Assert.Contains(m, float.IsSubnormal);   // ε = 1e-30: the flush is off
            }
    }

    [Fact]
    public void FlushOnlyWhenNoSubnormalSecondMomentCanChangeTheDenominator()
    {
        float largestSubnormal = BitConverter.Int32BitsToSingle(Occam.Numerics.Subnormals.MinNormalBits - 1);
        foreach (double beta2 in new[] { 0.0, 0.9, 0.999, 0.99999, 1 - Math.Pow(2, -24) })
            foreach (long step in new long[] { 1, 2, 10, 1000, 1000000 })
            {
                float bc2 = AdamW.StepConstants.For(step, 1e-3, 0.9, beta2).Bc2Sqrt;
                Assert.Equal(Occam.Numerics.Subnormals.MinNormalBits, AdamW.FlushBelow(bc2, 1e-8f));
                Assert.Equal(1e-8f, MathF.Sqrt(largestSubnormal) / bc2 + 1e-8f);
            }
        Assert.Equal(0, AdamW.FlushBelow(1f, 1e-30f));                     // √(2⁻¹²⁶) ≈ 1.1e-19 ≫ ε: d would change
        Assert.Equal(0, AdamW.FlushBelow(1f, MathF.ScaleB(1f, -40)));
        Assert.Equal(Occam.Numerics.Subnormals.MinNormalBits, AdamW.FlushBelow(1f, MathF.ScaleB(1f, -37)));
    }
}
