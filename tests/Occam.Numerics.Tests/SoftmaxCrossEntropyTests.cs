using Occam.Numerics.Losses;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

public class SoftmaxCrossEntropyTests
{
    [Fact]
    public void UniformLogitsGiveLogK()
    {
        const int rows = 2, k = 4;
        var logits = new float[rows * k]; // all equal: softmax = 1/K
        float[] labels = [1f, 3f];
        var g = new float[rows * k];
        float loss = SoftmaxCrossEntropy.Compute(logits, rows, k, labels, g);
        Assert.Equal(Math.Log(k), loss, 1e-6);
        Assert.Equal(Math.Log(k), SoftmaxCrossEntropy.Value(logits, rows, k, labels), 1e-12);
        // (1/K − [j = c])/R
        Assert.Equal([0.125f, -0.375f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, -0.375f], g);
    }

    [Fact]
    public void GradientMatchesCentralDifferences()
    {
        // Same error budget as the logistic loss: Value in double, h = 1e-3 (truncation ≤ h²/6·|∂³ℓ| ≤ 1e-7/R),
        // float gradient (softmax − onehot)/R with ≤ K + 3 roundings of values ≤ 1 (≤ 1e-6/R for K ≤ 10).
        var rng = new Rng(901UL);
        foreach (var (rows, k) in new[] { (1, 2), (3, 3), (8, 10) })
        {
            var z = new float[rows * k];
            for (int i = 0; i < z.Length; i++) z[i] = (float)(rng.NextNormal() * 3);
            var labels = new float[rows];
            for (int r = 0; r < rows; r++) labels[r] = rng.NextInt(k);
            var g = new float[z.Length];
            float loss = SoftmaxCrossEntropy.Compute(z, rows, k, labels, g);
            // Compute sums K float exponentials per row: |error| ≤ ~K·2⁻²⁴ per row, ≤ 1e-6 for K ≤ 10.
            Assert.Equal(SoftmaxCrossEntropy.Value(z, rows, k, labels), loss, 1e-6);
            for (int i = 0; i < z.Length; i++)
            {
                double fd = FiniteDifferences.Central(z, i, 1e-3, x => SoftmaxCrossEntropy.Value(x, rows, k, labels));
                Assert.True(Math.Abs(g[i] - fd) <= 1e-6 / rows, $"rows={rows} K={k} i={i}: analytic {g[i]:R}, fd {fd:R}");
            }
            // Each row of the gradient sums to 0 (softmax sums to 1).
            for (int r = 0; r < rows; r++) Assert.Equal(0.0, g.Skip(r * k).Take(k).Sum(v => (double)v), 1e-6);
        }
    }

    [Fact]
    public void StableAtHugeLogits()
    {
        const int rows = 3, k = 3;
        float[] z =
        [
            1000f, -1000f, 0f,    // label 0: confident and right
            1000f, -1000f, 0f,    // label 1: confident and wrong by 2000
            1000f, 1000f, 1000f,  // label 2: all equal, huge
        ];
        float[] labels = [0f, 1f, 2f];
        var g = new float[z.Length];
        float loss = SoftmaxCrossEntropy.Compute(z, rows, k, labels, g);
        Assert.True(float.IsFinite(loss));
        Assert.All(g, v => Assert.True(float.IsFinite(v)));
        double expected = (0 + 2000 + Math.Log(3)) / 3;
        Assert.Equal(expected, loss, 1e-3);
        Assert.Equal(expected, SoftmaxCrossEntropy.Value(z, rows, k, labels), 1e-9);
        float third = 1f / 3;
        Assert.Equal([0f, 0f, 0f, third, -third, 0f], g[..6]);
        for (int j = 0; j < 3; j++) Assert.Equal((1.0 / 3 - (j == 2 ? 1 : 0)) / 3, g[6 + j], 1e-7);
        // Row 2 is linear in z[4] out there (the loss grows by 1 per unit decrease): a wide central difference agrees.
        Assert.Equal(g[4], FiniteDifferences.Central(z, 4, 1.0, x => SoftmaxCrossEntropy.Value(x, rows, k, labels)), 1e-7); // g is float(1/3)
    }
    [Fact]
    public void VectorPathEqualsTheRowByRowDefinitionBitwise()
    {
        // Every class count around the 16-lane vector (1..20: the masked path up to 16, the row path past it; the AVX2 path for 8..16), row counts
        // around the 64-row block, logits from tiny to large (ties and zero maxima included), every label.
        var rng = new Rng(902UL);
        foreach (int k in Enumerable.Range(1, 20))
            foreach (int rows in new[] { 1, 2, 5, 63, 64, 65, 128, 130 })
            {
                var z = TestVectors.Mixed(rng, rows * k, large: false);
                for (int i = 0; i < z.Length; i++) if (rng.NextInt(7) == 0) z[i] = 0f;   // ties, zero maxima
                if (rows > 3) z[3 * k] = -0f;
                var labels = new float[rows];
                for (int r = 0; r < rows; r++) labels[r] = rng.NextInt(k);
                var fast = new float[rows * k];
                var reference = new float[rows * k];
                float lossFast = SoftmaxCrossEntropy.Compute(z, rows, k, labels, fast);
                float lossRef = SoftmaxCrossEntropy.ComputeScalar(z, rows, k, labels, reference);
                Assert.Equal(BitConverter.SingleToInt32Bits(lossRef), BitConverter.SingleToInt32Bits(lossFast));
                TestVectors.AssertBitwise(reference, fast, $"K={k} rows={rows}");
                if (k >= 8 && k <= 16 && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
                {
                    // The AVX2 path (two overlapping 8-wide vectors per row), whatever this machine's widest vectors.
                    var narrow = new float[rows * k];
                    float lossNarrow = SoftmaxCrossEntropy.ComputeNarrow256(z, rows, k, labels, narrow);
                    Assert.Equal(BitConverter.SingleToInt32Bits(lossRef), BitConverter.SingleToInt32Bits(lossNarrow));
                    TestVectors.AssertBitwise(reference, narrow, $"Vector256 K={k} rows={rows}");
                }
            }
    }
}
