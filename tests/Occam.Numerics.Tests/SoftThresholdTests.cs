using Occam.Numerics.Prox;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

public class SoftThresholdTests
{
    private static readonly float[] Thresholds = [0f, 0.5f, 1e-3f, 3f];

    [Fact]
    public void ScalarThresholdEqualsScalarReferenceBitwiseForEveryLength()
    {
        var rng = new Rng(401UL);
        foreach (float t in Thresholds)
        {
            foreach (int n in TestVectors.Lengths)
            {
                int offset = n % 3;
                var w = TestVectors.Mixed(rng, n + offset, threshold: t == 0f ? 0.5f : t);
                var expected = w[offset..];
                SoftThreshold.ApplyScalar(expected, t);
                var actual = w.AsSpan(offset);
                SoftThreshold.Apply(actual, t);
                TestVectors.AssertBitwise(expected, actual, $"soft threshold t={t} n={n}");
                AssertZerosArePositive(actual);
            }
        }
    }

    [Fact]
    public void PerCoordinateThresholdsEqualScalarReferenceBitwiseForEveryLength()
    {
        var rng = new Rng(402UL);
        foreach (int n in TestVectors.Lengths)
        {
            var w = TestVectors.Mixed(rng, n, threshold: 0.5f);
            var t = new float[n];
            for (int i = 0; i < n; i++)
            {
                t[i] = rng.NextInt(4) switch
                {
                    0 => 0f,
                    1 => MathF.Abs(w[i]), // exactly at the threshold: must give +0
                    2 => 0.5f,
                    _ => (float)Math.Abs(rng.NextNormal()),
                };
            }
            var expected = new float[n];
            for (int i = 0; i < n; i++) expected[i] = SoftThreshold.Scalar(w[i], t[i]);
            SoftThreshold.Apply(w, t);
            TestVectors.AssertBitwise(expected, w, $"per-coordinate soft threshold n={n}");
            AssertZerosArePositive(w);
        }
    }

    [Fact]
    public void VectorOverloadEqualsScalarLaneByLane()
    {
        // The SIMD definition the optimizers fold into their loops: every lane equals Scalar, zeros are +0 and == 0f,
        // for thresholds 0, equal to |w|, one ulp either side, huge, and for ±0, ±∞, NaN and subnormal inputs.
        var rng = new Rng(406UL);
        int lanes = System.Numerics.Vector<float>.Count;
        float[] specials = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon, -float.Epsilon, 1e38f, -3f];
        for (int round = 0; round < 2000; round++)
        {
            var w = TestVectors.Mixed(rng, lanes, threshold: 0.5f);
            var t = new float[lanes];
            for (int i = 0; i < lanes; i++)
            {
                if (rng.NextInt(8) == 0) w[i] = specials[rng.NextInt(specials.Length)];
                float a = MathF.Abs(w[i]);
                t[i] = rng.NextInt(6) switch
                {
                    0 => 0f,
                    1 => a,
                    2 => MathF.BitIncrement(a),
                    3 => float.IsFinite(a) && a > 0 ? MathF.BitDecrement(a) : 0f,
                    4 => 1e30f,
                    _ => (float)Math.Abs(rng.NextNormal()),
                };
                if (float.IsNaN(t[i])) t[i] = 0.5f;
            }
            var actual = new float[lanes];
            SoftThreshold.Apply(new System.Numerics.Vector<float>(w), new System.Numerics.Vector<float>(t)).CopyTo(actual);
            var expected = new float[lanes];
            for (int i = 0; i < lanes; i++) expected[i] = SoftThreshold.Scalar(w[i], t[i]);
            TestVectors.AssertBitwise(expected, actual, $"vector soft threshold, round {round}");
            for (int i = 0; i < lanes; i++)
                if (MathF.Abs(w[i]) <= t[i]) Assert.True(actual[i] == 0f && TestVectors.IsPositiveZero(actual[i]), $"|{w[i]:R}| ≤ {t[i]:R} gave {actual[i]:R}");
        }
    }

    [Fact]
    public void DoubleOverloadIsTheSameDefinition()
    {
        // sign(z)·max(|z| − t, 0) in double, +0 at and below the threshold; equals the float one on float inputs
        // whenever the double result is representable (it is for these dyadic values).
        Assert.Equal(2.5, SoftThreshold.Scalar(3.0, 0.5));
        Assert.Equal(-2.5, SoftThreshold.Scalar(-3.0, 0.5));
        Assert.Equal(-7.0, SoftThreshold.Scalar(-7.0, 0.0));
        foreach (double z in new[] { 0.5, -0.5, 0.25, 0.0, -0.0, double.NaN })
        {
            double r = SoftThreshold.Scalar(z, 0.5);
            Assert.True(r == 0 && BitConverter.DoubleToInt64Bits(r) == 0, $"soft({z}, 0.5) = {r}: expected +0");
        }
        var rng = new Rng(407UL);
        for (int k = 0; k < 1000; k++)
        {
            float w = (float)(rng.NextNormal() * 4), t = (float)rng.NextDouble();
            double z = w, td = t;
            // |w| − t of two floats is exact in double; the float result is its rounding.
            Assert.Equal(SoftThreshold.Scalar(w, t), (float)SoftThreshold.Scalar(z, td));
        }
    }

    [Fact]
    public void KnownValues()
    {
        float[] w = [3f, -3f, 0.5f, -0.5f, 0.25f, -0f, 0f, 1e30f, -2.5f];
        SoftThreshold.Apply(w, 0.5f);
        TestVectors.AssertBitwise([2.5f, -2.5f, 0f, 0f, 0f, 0f, 0f, 1e30f, -2f], w, "soft(w, 0.5)");
    }

    [Fact]
    public void ZeroThresholdIsIdentityExceptNegativeZero()
    {
        var rng = new Rng(403UL);
        var w = TestVectors.Mixed(rng, 257);
        var original = (float[])w.Clone();
        SoftThreshold.Apply(w, 0f);
        for (int i = 0; i < w.Length; i++)
        {
            if (original[i] == 0f) Assert.True(TestVectors.IsPositiveZero(w[i]));
            else Assert.Equal(BitConverter.SingleToInt32Bits(original[i]), BitConverter.SingleToInt32Bits(w[i]));
        }
    }

    [Fact]
    public void ProxGivesExactZerosAtAndBelowTheThreshold()
    {
        var rng = new Rng(404UL);
        const float t = 0.3f;
        var w = new float[1000];
        for (int i = 0; i < w.Length; i++) w[i] = (float)((2 * rng.NextDouble() - 1) * 0.6);
        w[0] = t;
        w[1] = -t;
        w[2] = MathF.BitDecrement(t);
        w[3] = MathF.BitIncrement(t);
        var original = (float[])w.Clone();
        SoftThreshold.Apply(w, t);
        for (int i = 0; i < w.Length; i++)
        {
            if (MathF.Abs(original[i]) <= t)
            {
                Assert.True(w[i] == 0f, $"|{original[i]:R}| ≤ {t} must give exactly 0, got {w[i]:R}");
                Assert.True(TestVectors.IsPositiveZero(w[i]));
            }
            else
            {
                // Exactly one float subtraction of the magnitude, sign kept.
                Assert.Equal(MathF.CopySign(MathF.Abs(original[i]) - t, original[i]), w[i]);
                Assert.NotEqual(0f, w[i]);
            }
        }
        Assert.True(w[3] > 0f);
    }

    [Fact]
    public void IsTheProximalOperatorOfTheL1Norm()
    {
        // prox(v) = argmin_w ½(w − v)² + t|w|: no w on a fine grid around the result does better.
        var rng = new Rng(405UL);
        for (int k = 0; k < 200; k++)
        {
            float v = (float)(rng.NextNormal() * 2), t = (float)rng.NextDouble();
            float p = SoftThreshold.Scalar(v, t);
            double Objective(double w) => 0.5 * (w - v) * (w - v) + t * Math.Abs(w);
            double best = Objective(p);
            for (int j = -100; j <= 100; j++)
                Assert.True(Objective(p + j * 1e-3) >= best - 1e-7, $"v={v}, t={t}: w={p + j * 1e-3} beats {p}");
        }
    }

    private static void AssertZerosArePositive(ReadOnlySpan<float> w)
    {
        foreach (float v in w)
            if (v == 0f) Assert.True(TestVectors.IsPositiveZero(v), $"soft threshold produced {TestVectors.Show(v)}; zeros must be +0");
    }
}
