using Occam.Numerics.Prox;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

public class BlockSoftThresholdTests
{
    /// <summary>
    /// The vector kernel accumulates ‖w‖² in float (TensorPrimitives.Norm), the reference in double: for n ≤ 257 terms
    /// the norm differs by at most ~n·ε·‖w‖ (ε = 2⁻²⁴), so with t ≤ ‖w‖/2 the shrink factor 1 − t/‖w‖ ≥ ½ differs by
    /// ≤ 2·257·6e-8 ≈ 3e-5 relative in the worst case; 1e-5 relative holds with the actual (pairwise-ish) sums.
    /// </summary>
    private const double RelativeTolerance = 1e-5;

    [Fact]
    public void EqualsScalarReferenceWithinToleranceForEveryLength()
    {
        var rng = new Rng(501UL);
        foreach (int n in TestVectors.Lengths)
        {
            foreach (double fraction in new[] { 0.0, 0.25, 0.5, 2.0 })
            {
                var w = new float[n];
                for (int i = 0; i < n; i++)
                {
                    w[i] = rng.NextInt(6) switch
                    {
                        0 => 0f,
                        1 => -0f,
                        _ => (float)(rng.NextNormal() * Math.Pow(10, rng.NextInt(7) - 3)),
                    };
                }
                double norm = Math.Sqrt(w.Sum(v => (double)v * v));
                float t = (float)(fraction * norm);
                var expected = (float[])w.Clone();
                var actual = (float[])w.Clone();
                bool zeroExpected = BlockSoftThreshold.ApplyScalar(expected, t);
                bool zeroActual = BlockSoftThreshold.Apply(actual, t);
                Assert.Equal(zeroExpected, zeroActual);
                for (int i = 0; i < n; i++)
                {
                    double tol = RelativeTolerance * Math.Abs(expected[i]);
                    Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"n={n} t={t} i={i}: {expected[i]:R} vs {actual[i]:R}");
                }
                if (fraction == 0.0 && n > 0 && norm > 0)
                    TestVectors.AssertBitwise(w, actual, "t = 0 keeps the group bit for bit"); // scale is exactly 1
                if (zeroActual)
                    foreach (float v in actual) Assert.True(TestVectors.IsPositiveZero(v), $"zeroed group holds {TestVectors.Show(v)}");
            }
        }
    }

    [Fact]
    public void GroupIsZeroedExactlyWhenNormIsAtMostThreshold()
    {
        // ‖(3, 4)‖ = 5 exactly in float and in double.
        foreach (float t in new[] { 5f, 5.5f, 100f })
        {
            float[] w = [3f, -4f];
            float[] r = [3f, -4f];
            Assert.True(BlockSoftThreshold.Apply(w, t));
            Assert.True(BlockSoftThreshold.ApplyScalar(r, t));
            TestVectors.AssertBitwise([0f, 0f], w, $"t={t}");
            TestVectors.AssertBitwise([0f, 0f], r, $"scalar t={t}");
        }
        float[] justAbove = [3f, -4f];
        Assert.False(BlockSoftThreshold.Apply(justAbove, MathF.BitDecrement(5f)));
        Assert.True(justAbove[0] > 0f && justAbove[1] < 0f);
        // The all-zero group (−0 included) stays +0 and counts as zeroed, even with t = 0.
        float[] zeros = [-0f, 0f, -0f];
        Assert.True(BlockSoftThreshold.Apply(zeros, 0f));
        TestVectors.AssertBitwise([0f, 0f, 0f], zeros, "zero group");
    }

    [Fact]
    public void ShrinksByTheClosedFormFactor()
    {
        // (3, 4) with t = 2.5: factor 1 − 2.5/5 = ½, exactly representable.
        float[] w = [3f, -4f, 0f];
        Assert.False(BlockSoftThreshold.Apply(w, 2.5f));
        TestVectors.AssertBitwise([1.5f, -2f, 0f], w, "(3, −4, 0) shrunk by t = 2.5");

        var rng = new Rng(502UL);
        for (int k = 0; k < 100; k++)
        {
            int n = 1 + rng.NextInt(40);
            var v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float)rng.NextNormal();
            double norm = Math.Sqrt(v.Sum(x => (double)x * x));
            float t = (float)(rng.NextDouble() * 0.9 * norm);
            var shrunk = (float[])v.Clone();
            Assert.False(BlockSoftThreshold.Apply(shrunk, t));
            double factor = 1 - t / norm;
            for (int i = 0; i < n; i++) Assert.Equal(factor * v[i], shrunk[i], 1e-5 * Math.Abs(v[i]) / factor + 1e-7);
            // The direction is kept and the norm drops by exactly t (up to rounding).
            double newNorm = Math.Sqrt(shrunk.Sum(x => (double)x * x));
            Assert.Equal(norm - t, newNorm, 1e-5 * norm);
        }
    }

    [Fact]
    public void HugeGroupsWhoseSquaredNormOverflowsFloatAreStillShrunk()
    {
        // ‖(3e20, 4e20)‖ = 5e20 is a float, but 3e20² is not: the float sum of squares overflows.
        float[] w = [3e20f, -4e20f];
        Assert.False(BlockSoftThreshold.Apply(w, 2.5e20f));
        Assert.Equal(1.5e20f, w[0], 1e14f);
        Assert.Equal(-2e20f, w[1], 1e14f);
        float[] z = [3e20f, -4e20f];
        Assert.True(BlockSoftThreshold.Apply(z, 5e20f));
        TestVectors.AssertBitwise([0f, 0f], z, "huge group at its threshold");
    }
}
