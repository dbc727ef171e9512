using Occam.Numerics.Random;

namespace Occam.Tests;

/// <summary>Seeded vectors, bitwise comparison and finite differences shared by the numerical tests.</summary>
internal static class TestVectors
{
    /// <summary>Every length from 0 to 257.</summary>
    public static IEnumerable<int> Lengths => Enumerable.Range(0, 258);

    /// <summary>
    /// A mixed vector: normals of scale <paramref name="scale"/>, +0, −0, ±<paramref name="special"/> exactly and one
    /// ulp either side, magnitudes up to 10^<paramref name="maxExponent"/>, subnormals.
    /// </summary>
    public static float[] Mixed(Rng rng, int n, float special = 0.5f, double scale = 1.0, int maxExponent = 15)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            float sign = (rng.NextUInt64() & 1) == 0 ? 1f : -1f;
            x[i] = rng.NextInt(10) switch
            {
                0 => 0f,
                1 => -0f,
                2 => sign * special,
                3 => sign * ((rng.NextUInt64() & 1) == 0 ? MathF.BitIncrement(special) : MathF.BitDecrement(special)),
                4 => sign * (float)Math.Pow(10, 3 + (maxExponent - 3) * rng.NextDouble()),
                5 => sign * float.Epsilon * (1 + rng.NextInt(1000)),
                _ => (float)(rng.NextNormal() * scale),
            };
        }
        return x;
    }

    public static float[] Normal(Rng rng, int n, double scale = 1.0)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextNormal() * scale);
        return x;
    }

    /// <summary>Asserts bit-for-bit equality (+0 ≠ −0).</summary>
    public static void AssertBitwise(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: index {i} of {expected.Length}: expected {Show(expected[i])}, got {Show(actual[i])}");
    }

    public static string Show(float f) => $"{f:R} (0x{BitConverter.SingleToInt32Bits(f):X8})";

    public static bool IsPositiveZero(float f) => BitConverter.SingleToInt32Bits(f) == 0;

    /// <summary>
    /// Central difference (f(x₊) − f(x₋))/(x₊ − x₋) in coordinate <paramref name="i"/>, where x± = float(x[i] ± h) are
    /// the values actually evaluated. x[i] is restored afterwards.
    /// </summary>
    public static double CentralDifference(float[] x, int i, double h, Func<double> f)
    {
        float saved = x[i];
        float plus = (float)(saved + h), minus = (float)(saved - h);
        x[i] = plus;
        double fPlus = f();
        x[i] = minus;
        double fMinus = f();
        x[i] = saved;
        return (fPlus - fMinus) / ((double)plus - minus);
    }
}
