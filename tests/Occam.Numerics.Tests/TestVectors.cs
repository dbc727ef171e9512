using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

/// <summary>
/// Seeded test vectors for SIMD == scalar checks, and bitwise / ulp comparisons. Every vector mixes ordinary
/// values with the cases that break vector kernels: +0, −0, values exactly at a threshold and one ulp either
/// side of it, large magnitudes (up to 1e38) and subnormals.
/// </summary>
internal static class TestVectors
{
    /// <summary>Every length from 0 to 257: covers empty, shorter than one vector, every tail length of 8- and 16-wide loops.</summary>
    public static IEnumerable<int> Lengths => Enumerable.Range(0, 258);

    /// <summary>A mixed vector of length <paramref name="n"/>; <paramref name="threshold"/> is planted exactly and ±1 ulp.</summary>
    public static float[] Mixed(Rng rng, int n, float threshold = 0.5f, double scale = 2.0, bool large = true)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            float sign = (rng.NextUInt64() & 1) == 0 ? 1f : -1f;
            x[i] = rng.NextInt(10) switch
            {
                0 => 0f,
                1 => -0f,
                2 => sign * threshold,
                3 => sign * ((rng.NextUInt64() & 1) == 0 ? MathF.BitIncrement(threshold) : MathF.BitDecrement(threshold)),
                4 when large => sign * (float)Math.Pow(10, 3 + 35 * rng.NextDouble()),
                5 => sign * float.Epsilon * (1 + rng.NextInt(1000)),
                _ => (float)(rng.NextNormal() * scale),
            };
        }
        return x;
    }

    /// <summary>Uniform values in [lo, hi) with exact 0, −0 and both ends planted.</summary>
    public static float[] Uniform(Rng rng, int n, float lo, float hi)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = rng.NextInt(8) switch
            {
                0 => 0f,
                1 => -0f,
                2 => lo,
                3 => hi,
                _ => lo + (hi - lo) * rng.NextSingle(),
            };
        }
        return x;
    }

    /// <summary>Asserts the two spans are equal bit for bit (so +0 ≠ −0 and NaN payloads count).</summary>
    public static void AssertBitwise(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: index {i} of {expected.Length}: expected {Show(expected[i])}, got {Show(actual[i])}");
        }
    }

    /// <summary>Asserts the two spans are equal bit for bit (float64: +0 ≠ −0 and NaN payloads count).</summary>
    public static void AssertBitwise(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
                Assert.Fail($"{what}: index {i} of {expected.Length}: expected {expected[i]:R} (0x{BitConverter.DoubleToInt64Bits(expected[i]):X16}), got {actual[i]:R} (0x{BitConverter.DoubleToInt64Bits(actual[i]):X16})");
        }
    }

    /// <summary>Distance in units in the last place between two finite floats (0 for +0 vs −0).</summary>
    public static long Ulps(float a, float b)
    {
        if (a == b) return 0;
        return Math.Abs(Ordered(a) - Ordered(b));
    }

    private static long Ordered(float f)
    {
        int i = BitConverter.SingleToInt32Bits(f);
        return i < 0 ? (long)int.MinValue - i : i;
    }

    /// <summary>Value with its bit pattern, so −0 and +0 are told apart in messages.</summary>
    public static string Show(float f) => $"{f:R} (0x{BitConverter.SingleToInt32Bits(f):X8})";

    /// <summary>True when f is +0 exactly (not −0).</summary>
    public static bool IsPositiveZero(float f) => BitConverter.SingleToInt32Bits(f) == 0;
}
