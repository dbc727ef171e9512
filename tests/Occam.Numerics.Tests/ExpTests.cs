using Occam.Numerics.Functions;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

public class ExpTests
{
    [Fact]
    public void VectorEqualsScalarBitwiseForEveryLengthAndInPlace()
    {
        var rng = new Rng(1501UL);
        foreach (int n in TestVectors.Lengths)
        {
            var x = Inputs(rng, n);
            var scalar = new float[n];
            var vector = new float[n];
            Exp.ApplyScalar(x, scalar);
            Exp.Apply(x, vector);
            TestVectors.AssertBitwise(scalar, vector, $"Exp.Apply, n = {n}");
            var inPlace = (float[])x.Clone();
            Exp.Apply(inPlace, inPlace);
            TestVectors.AssertBitwise(scalar, inPlace, $"Exp.Apply in place, n = {n}");
        }
    }

    [Fact]
    public void WithinOneUlpOfTheCorrectlyRoundedExponentialAndRarelyOff()
    {
        // (float)Math.Exp(x): the double result is within ~1 ulp of double, so its rounding to float is the correctly
        // rounded e^x but for values within 2⁻⁵² of a float midpoint (none among these draws in practice).
        var rng = new Rng(1502UL);
        const int n = 1 << 20;
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = -104f + 193f * rng.NextSingle();
        var y = new float[n];
        Exp.Apply(x, y);
        int off = 0;
        for (int i = 0; i < n; i++)
        {
            float expected = (float)Math.Exp(x[i]);
            if (BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(y[i])) continue;
            off++;
            Assert.True(TestVectors.Ulps(expected, y[i]) <= 1,
                $"e^{TestVectors.Show(x[i])}: {TestVectors.Show(y[i])} vs correctly rounded {TestVectors.Show(expected)}");
        }
        // The polynomial's error (< 7·10⁻¹² relative) moves the rounding only within that distance of a midpoint.
        Assert.True(off <= n / 10_000, $"{off} of {n} results not correctly rounded");
    }

    [Fact]
    public void SpecialValuesAndRangeEnds()
    {
        Assert.Equal(1f, Exp.Of(0f));
        Assert.Equal(1f, Exp.Of(-0f));
        Assert.Equal(MathF.E, Exp.Of(1f));
        Assert.Equal(float.PositiveInfinity, Exp.Of(float.PositiveInfinity));
        Assert.True(TestVectors.IsPositiveZero(Exp.Of(float.NegativeInfinity)));
        Assert.True(float.IsNaN(Exp.Of(float.NaN)));
        Assert.Equal(float.PositiveInfinity, Exp.Of(89f));
        Assert.Equal(float.PositiveInfinity, Exp.Of(1e30f));
        Assert.True(TestVectors.IsPositiveZero(Exp.Of(-1e30f)));
        Assert.True(TestVectors.IsPositiveZero(Exp.Of(-105f)));
        // The largest finite result and the subnormal range, against the correctly rounded value.
        foreach (float v in new[] { 88.72283f, 88.7f, -87.3f, -90f, -100f, -103.27893f, -103.97f, 1e-8f, -1e-8f })
            Assert.Equal((float)Math.Exp(v), Exp.Of(v));
        // NaN lanes give the input back in the vector path too, and their neighbours are unaffected.
        var x = new float[40];
        for (int i = 0; i < x.Length; i++) x[i] = i % 3 == 0 ? float.NaN : i * 0.25f - 5f;
        var y = new float[40];
        Exp.Apply(x, y);
        for (int i = 0; i < x.Length; i++)
            if (i % 3 == 0) Assert.True(float.IsNaN(y[i]));
            else Assert.Equal(Exp.Of(x[i]), y[i]);
    }

    [Fact]
    public void RejectsMismatchedLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => Exp.Apply(new float[3], new float[2]));
        Assert.Contains("length", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Values across the whole range and beyond its ends, with zeros, infinities, NaN and tiny magnitudes.</summary>
    private static float[] Inputs(Rng rng, int n)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = rng.NextInt(12) switch
            {
                0 => 0f,
                1 => -0f,
                2 => float.NaN,
                3 => rng.NextInt(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity,
                4 => (rng.NextInt(2) == 0 ? 1f : -1f) * float.Epsilon * (1 + rng.NextInt(100)),
                5 => -110f + 20f * rng.NextSingle(),          // around the underflow end
                6 => 80f + 15f * rng.NextSingle(),             // around the overflow end
                _ => -110f + 205f * rng.NextSingle(),
            };
        }
        return x;
    }
}
