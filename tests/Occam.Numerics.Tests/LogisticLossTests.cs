using Occam.Numerics.Losses;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

public class LogisticLossTests
{
    [Fact]
    public void KnownValues()
    {
        // ℓ(0, y) = ln 2 for either label; gradient (σ(0) − y)/N = (½ − y)/2.
        var g = new float[2];
        float loss = LogisticLoss.Compute([0f, 0f], [0f, 1f], g);
        Assert.Equal(Math.Log(2), loss, 1e-7);
        Assert.Equal([0.25f, -0.25f], g);
        // ℓ(z, 1) = log(1 + e^{−z}); ℓ(z, 0) = log(1 + e^{z}).
        Assert.Equal(Math.Log(1 + Math.Exp(-2.0)), LogisticLoss.Pointwise(2f, 1f), 1e-15);
        Assert.Equal(Math.Log(1 + Math.Exp(2.0)), LogisticLoss.Pointwise(2f, 0f), 1e-14);
        Assert.Equal(0f, LogisticLoss.Compute([], [], []));
    }

    [Fact]
    public void GradientMatchesCentralDifferences()
    {
        // Value is computed in double; the central difference with h = 1e-3 has truncation error h²/6·|ℓ'''|/N
        // ≤ 1e-7/N (|ℓ'''| = |σ''| ≤ 0.1) and rounding error ~1e-16/h. The float gradient (σ(z) − y)/N has an absolute
        // error ≤ ~4 roundings of values ≤ 1, i.e. ≤ 3e-7/N. Tolerance: 1e-6/N absolute.
        var rng = new Rng(801UL);
        foreach (int n in new[] { 1, 3, 50 })
        {
            var z = new float[n];
            var y = new float[n];
            for (int i = 0; i < n; i++) { z[i] = (float)(rng.NextNormal() * 4); y[i] = rng.NextInt(2); }
            if (n == 50) y[7] = 0.3f; // soft target
            var g = new float[n];
            float loss = LogisticLoss.Compute(z, y, g);
            Assert.Equal(LogisticLoss.Value(z, y), loss, 1e-6 * loss);
            for (int i = 0; i < n; i++)
            {
                double fd = FiniteDifferences.Central(z, i, 1e-3, x => LogisticLoss.Value(x, y));
                Assert.True(Math.Abs(g[i] - fd) <= 1e-6 / n, $"n={n} i={i}: analytic {g[i]:R}, fd {fd:R}");
            }
        }
    }

    [Fact]
    public void StableAtHugeLogits()
    {
        float[] z = [1000f, -1000f, 1000f, -1000f];
        float[] y = [1f, 0f, 0f, 1f];
        var g = new float[4];
        float loss = LogisticLoss.Compute(z, y, g);
        Assert.True(float.IsFinite(loss));
        // Right with confidence: loss 0, gradient 0; wrong: loss 1000 each, gradient ±1/N. Mean = 2000/4.
        Assert.Equal(500.0, loss, 1e-3);
        Assert.Equal(500.0, LogisticLoss.Value(z, y), 1e-9);
        Assert.Equal([0f, 0f, 0.25f, -0.25f], g);
        // The loss is linear out there: a central difference with h = 1 gives the same slopes.
        for (int i = 0; i < 4; i++)
            Assert.Equal(g[i], FiniteDifferences.Central(z, i, 1.0, x => LogisticLoss.Value(x, y)), 1e-9);
    }
}
