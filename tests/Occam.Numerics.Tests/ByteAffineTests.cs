using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Occam.Numerics.Conversion;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

/// <summary>
/// <see cref="ByteAffine"/>: bytes standardized by a subtraction and a multiplication. The vector versions equal the
/// scalar one bit for bit at every length 0..257; the factors <see cref="ByteAffine.TryCreate"/> accepts give the floats of
/// <see cref="StandardizeToSingle"/> (the division) for every byte value of every column; a column whose multiplication
/// rounds differently from the division, or whose values overflow float32, is refused.
/// </summary>
public unsafe class ByteAffineTests
{
    private static byte[] Bytes(Rng rng, int n)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte)(i % 5 == 0 ? (i % 2 == 0 ? 0 : 255) : rng.NextInt(256));
        return b;
    }

    /// <summary>A fitted-looking standardizer: means in [0, 255), scales in (0.01, 120], some constant columns (scale 1).</summary>
    private static (double[] Mean, double[] Scale) Standardizer(Rng rng, int columns)
    {
        var mean = new double[columns];
        var scale = new double[columns];
        for (int j = 0; j < columns; j++)
        {
            bool constant = rng.NextInt(6) == 0;
            mean[j] = constant ? rng.NextInt(256) : 255 * rng.NextDouble();
            scale[j] = constant ? 1.0 : 0.01 + 120 * rng.NextDouble();
        }
        return (mean, scale);
    }

    [Fact]
    public void VectorVersionsEqualScalarForEveryLengthUpTo257()
    {
        var rng = new Rng(81);
        foreach (int n in TestVectors.Lengths)
        {
            var x = Bytes(rng, n);
            var (mean, scale) = Standardizer(rng, Math.Max(n, 1));
            Assert.True(ByteAffine.TryCreate(mean, scale, Math.Max(n, 1), out var shift, out var factor));
            var s = shift.AsSpan(0, n);
            var f = factor.AsSpan(0, n);
            var scalar = new float[n + 3];
            ByteAffine.ApplyScalar(x, s, f, scalar);
            for (int j = 0; j < n; j++) Assert.Equal((float)((x[j] - mean[j]) / scale[j]), scalar[j]);
            Assert.Equal(0f, scalar[n]);   // nothing written past n
            var versions = new List<(string, Action<float[]>)> { ("Apply", y => ByteAffine.Apply(x, shift.AsSpan(0, n), factor.AsSpan(0, n), y)) };
            if (Avx512F.IsSupported) versions.Add(("V512", y => ByteAffine.ApplyV512(x, shift.AsSpan(0, n), factor.AsSpan(0, n), y)));
            if (Avx2.IsSupported) versions.Add(("V256", y => ByteAffine.ApplyV256(x, shift.AsSpan(0, n), factor.AsSpan(0, n), y)));
            foreach (var (name, apply) in versions)
            {
                var y = new float[n + 3];
                apply(y);
                TestVectors.AssertBitwise(scalar, y, $"{name} n={n}");
            }
        }
    }

    [Fact]
    public void AcceptedFactorsGiveTheDivisionsFloatsForEveryByteOfEveryColumn()
    {
        var rng = new Rng(82);
        const int columns = 784;
        var (mean, scale) = Standardizer(rng, columns);
        Assert.True(ByteAffine.TryCreate(mean, scale, columns, out var shift, out var factor));
        // Every byte value in every column, as 256 rows: the division path (StandardizeToSingle) and this one.
        var x = new byte[256 * columns];
        for (int b = 0; b < 256; b++) x.AsSpan(b * columns, columns).Fill((byte)b);
        var expected = new float[x.Length];
        StandardizeToSingle.ApplyScalar(x, columns, mean, scale, expected);
        var actual = new float[x.Length];
        for (int r = 0; r < 256; r++) ByteAffine.Apply(x.AsSpan(r * columns, columns), shift, factor, actual.AsSpan(r * columns, columns));
        TestVectors.AssertBitwise(expected, actual, "all 256 byte values × 784 columns");
        // The 8-value loads the GEMM packing uses, at every offset of a row.
        if (Avx.IsSupported)
            fixed (byte* px = x)
            fixed (double* ps = shift, pf = factor)
                for (int r = 0; r < 256; r += 51)
                    for (int j = 0; j + 8 <= columns; j += 3)
                    {
                        var v = ByteAffine.Convert8(px + r * columns + j, ps + j, pf + j);
                        for (int l = 0; l < 8; l++)
                        {
                            Assert.Equal(expected[r * columns + j + l], v.GetElement(l));
                            Assert.Equal(expected[r * columns + j + l], ByteAffine.Convert1(px + r * columns + j + l, ps + j + l, pf + j + l));
                        }
                        if (Avx512F.IsSupported) Assert.Equal(v, ByteAffine.Convert8V512(px + r * columns + j, ps + j, pf + j));
                        if (Avx2.IsSupported) Assert.Equal(v, ByteAffine.Convert8V256(px + r * columns + j, ps + j, pf + j));
                    }
    }

    [Fact]
    public void WithoutAStandardizerTheBytesAreTheirFloats()
    {
        Assert.True(ByteAffine.TryCreate([], [], 3, out var shift, out var factor));
        Assert.Equal([0.0, 0.0, 0.0], shift);
        Assert.Equal([1.0, 1.0, 1.0], factor);
        byte[] x = [0, 7, 255];
        var y = new float[3];
        ByteAffine.Apply(x, shift, factor, y);
        Assert.Equal([0f, 7f, 255f], y);
    }

    [Fact]
    public void AColumnWhoseMultiplicationRoundsDifferentlyOrOverflowsIsRefused()
    {
        // (200 − mean)/scale is a float32 rounding midpoint to within the double's last bit: the rounded reciprocal moves
        // it across (found by a seeded search; the division rounds it to 1.0796137, the multiplication to 1.0796138).
        const double mean = 197.9070430187204, scale = 1.9386164640461634;
        Assert.NotEqual((float)((200 - mean) / scale), (float)((200 - mean) * (1 / scale)));
        double[] means = [10, mean, 3], scales = [2, scale, 1];
        Assert.False(ByteAffine.TryCreate(means, scales, 3, out _, out _));
        Assert.True(ByteAffine.TryCreate(means.AsSpan(0, 1), scales.AsSpan(0, 1), 1, out _, out _));
        // A tiny saved scale: 255/1e-300 overflows float32 (the division path reports the row that does).
        Assert.False(ByteAffine.TryCreate([0.0, 0.0], [50.0, 1e-300], 2, out _, out _));
    }
}
