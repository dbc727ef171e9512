using Occam.Numerics.Activations;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

public class TanhTests
{
    /// <summary>
    /// Bound on |Tanh.Forward − MathF.Tanh| in ulps, for every float. The vector path evaluates an odd Taylor
    /// polynomial for |x| &lt; ½ (≤ 2 ulps) and (1 − e^{−2|x|})/(1 + e^{−2|x|}) above (≤ 5 ulps measured near |x| = ½,
    /// over 12·2²⁰ random inputs per range); MathF.Tanh itself is within 1 ulp of the correctly rounded value.
    /// </summary>
    private const long MaxUlps = 6;

    [Fact]
    public void ForwardWithinFewUlpsOfMathFTanhForEveryLength()
    {
        var rng = new Rng(201UL);
        foreach (int n in TestVectors.Lengths)
        {
            var x = TestVectors.Mixed(rng, n, threshold: 0.625f, scale: 3.0);
            var fast = new float[n];
            var scalar = new float[n];
            Tanh.Forward(x, fast);
            Tanh.ForwardScalar(x, scalar);
            for (int i = 0; i < n; i++)
            {
                long ulps = TestVectors.Ulps(scalar[i], fast[i]);
                Assert.True(ulps <= MaxUlps, $"tanh({TestVectors.Show(x[i])}): MathF {TestVectors.Show(scalar[i])}, vector {TestVectors.Show(fast[i])}: {ulps} ulps > {MaxUlps}");
                Assert.InRange(fast[i], -1f, 1f);
                // Odd function: a non-zero result has the sign of x.
                if (fast[i] != 0f) Assert.Equal(MathF.Sign(x[i]), MathF.Sign(fast[i]));
            }
        }
    }

    [Fact]
    public void ForwardWithinBoundOnADenseSweep()
    {
        // 2²⁰ evenly spaced points over [−12, 12] (every regime: polynomial, exp form, saturation), plus every float
        // in a window around the switch at |x| = ½.
        const int n = 1 << 20;
        var x = new float[n + 2 * 4096];
        for (int i = 0; i < n; i++) x[i] = -12f + 24f * i / n;
        float f = 0.5f;
        for (int i = 0; i < 2048; i++) f = MathF.BitDecrement(f);
        for (int i = 0; i < 4096; i++, f = MathF.BitIncrement(f)) { x[n + 2 * i] = f; x[n + 2 * i + 1] = -f; }
        var y = new float[x.Length];
        Tanh.Forward(x, y);
        long worst = 0;
        for (int i = 0; i < x.Length; i++) worst = Math.Max(worst, TestVectors.Ulps(MathF.Tanh(x[i]), y[i]));
        Assert.True(worst <= MaxUlps, $"worst {worst} ulps");
    }

    [Fact]
    public void ForwardSaturatesAndIsExactAtZero()
    {
        // 8 values so the vector path (not only the scalar tail) sees them.
        float[] x = [0f, -0f, 20f, -20f, 1e30f, -1e30f, float.PositiveInfinity, float.NegativeInfinity];
        var y = new float[x.Length];
        Tanh.Forward(x, y);
        TestVectors.AssertBitwise([0f, -0f, 1f, -1f, 1f, -1f, 1f, -1f], y, "tanh at 0 and far out");
        float[] nan = [float.NaN, 1f, 1f, 1f, 1f, 1f, 1f, 1f];
        Tanh.Forward(nan, nan);
        Assert.True(float.IsNaN(nan[0]));
    }

    [Fact]
    public void ForwardKeepsRelativeAccuracyNearZero()
    {
        // tanh x = x − x³/3 + …: for tiny x the result is x itself (the regression: a vector kernel computing
        // (1 − e^{−2x})/(1 + e^{−2x}) returns tanh(0) = −2⁻²⁴ and is 0.5 % off at 1e-5).
        var x = new float[64];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 2 == 0 ? 1f : -1f) * MathF.Pow(10f, -1f - 40f * i / x.Length);
        var y = new float[x.Length];
        Tanh.Forward(x, y);
        for (int i = 0; i < x.Length; i++)
            Assert.True(TestVectors.Ulps(MathF.Tanh(x[i]), y[i]) <= 2, $"tanh({x[i]:R}) = {y[i]:R}, MathF {MathF.Tanh(x[i]):R}");
    }

    [Fact]
    public void ForwardInPlaceEqualsOutOfPlace()
    {
        var rng = new Rng(203UL);
        foreach (int n in TestVectors.Lengths)
        {
            var x = TestVectors.Mixed(rng, n, threshold: 0.5f, scale: 3.0);
            var expected = new float[n];
            Tanh.Forward(x, expected);
            Tanh.Forward(x, x);
            TestVectors.AssertBitwise(expected, x, $"tanh in place n={n}");
        }
    }

    [Fact]
    public void BackwardEqualsScalarBitwiseForEveryLength()
    {
        var rng = new Rng(202UL);
        foreach (int n in TestVectors.Lengths)
        {
            var y = TestVectors.Uniform(rng, n, -1f, 1f);
            var dy = TestVectors.Mixed(rng, n, threshold: 1f, large: false);
            var fast = new float[n];
            var scalar = new float[n];
            Tanh.Backward(y, dy, fast);
            Tanh.BackwardScalar(y, dy, scalar);
            TestVectors.AssertBitwise(scalar, fast, $"tanh backward n={n}");
        }
    }

    [Fact]
    public void BackwardIsOneMinusYSquared()
    {
        float[] y = [0f, 0.5f, -0.5f, 1f, -1f];
        float[] dy = [2f, 2f, 2f, 2f, 2f];
        var dx = new float[y.Length];
        Tanh.Backward(y, dy, dx);
        Assert.Equal([2f, 1.5f, 1.5f, 0f, 0f], dx);
    }
}
