using Occam.Numerics.Losses;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

public class MeanSquaredErrorTests
{
    [Fact]
    public void KnownValue()
    {
        float[] p = [1f, 2f, 3f, 4f];
        float[] t = [0f, 0f, 3f, 6f];
        var g = new float[4];
        // (1 + 4 + 0 + 4)/4 = 2.25; gradient 2(p − t)/4.
        Assert.Equal(2.25f, MeanSquaredError.Compute(p, t, g));
        Assert.Equal(2.25, MeanSquaredError.Value(p, t));
        Assert.Equal([0.5f, 1f, 0f, -1f], g);
        Assert.Equal(0f, MeanSquaredError.Compute([], [], []));
    }

    [Fact]
    public void GradientMatchesCentralDifferences()
    {
        // Value is computed in double from float inputs and is quadratic in each p[i], so the central difference is
        // exact up to double rounding (~1e-16·L/h); the float gradient 2(p − t)/N carries ≤ 2 roundings (~1.2e-7
        // relative). Tolerance: 1e-6 relative + 1e-9.
        var rng = new Rng(701UL);
        foreach (int n in new[] { 1, 2, 7, 64 })
        {
            var p = new float[n];
            var t = new float[n];
            for (int i = 0; i < n; i++) { p[i] = (float)(rng.NextNormal() * 3); t[i] = (float)rng.NextNormal(); }
            var g = new float[n];
            float loss = MeanSquaredError.Compute(p, t, g);
            Assert.Equal(MeanSquaredError.Value(p, t), loss, 1e-6 * loss);
            for (int i = 0; i < n; i++)
            {
                double fd = FiniteDifferences.Central(p, i, 1e-3, x => MeanSquaredError.Value(x, t));
                Assert.True(Math.Abs(g[i] - fd) <= 1e-6 * Math.Abs(fd) + 1e-9, $"n={n} i={i}: analytic {g[i]:R}, fd {fd:R}");
            }
        }
    }
}
