using Occam.Numerics.Random;
using Occam.Numerics.Standardization;

namespace Occam.Numerics.Tests.Standardization;

/// <summary>
/// The standardizer's fitting kernels (column sums with min/max, squared deviations): the SIMD paths
/// equal the scalar references bit for bit for every length 0..257, with ±0, NaN, ±∞, subnormals and huge values mixed
/// in, at unaligned offsets; and the scalar references compute the documented formulas. (Applying a standardizer is
/// Occam.Numerics.Conversion.StandardizeToSingle, tested with the conversions.)
/// </summary>
public class StandardizationKernelTests
{
    /// <summary>Ordinary values plus the cases that break vector kernels.</summary>
    private static double[] Mixed(Rng rng, int n, int offset)
    {
        var x = new double[n + offset];
        for (int i = offset; i < x.Length; i++)
        {
            x[i] = rng.NextInt(12) switch
            {
                0 => 0.0,
                1 => -0.0,
                2 => double.NaN,
                3 => rng.NextInt(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity,
                4 => double.Epsilon * (1 + rng.NextInt(100)),
                5 => (rng.NextInt(2) == 0 ? 1 : -1) * Math.Pow(10, 200 * rng.NextDouble()),
                6 => 255,
                _ => rng.NextNormal() * 50,
            };
        }
        return x;
    }

    [Fact]
    public void ColumnSumsSimdEqualsScalarBitForBitForEveryLength()
    {
        var rng = new Rng(9101UL);
        foreach (int n in TestVectors.Lengths)
        {
            int offset = n % 3;
            var s1 = Mixed(rng, n, offset);
            var lo1 = Mixed(rng, n, offset);
            var hi1 = Mixed(rng, n, offset);
            var (s2, lo2, hi2) = ((double[])s1.Clone(), (double[])lo1.Clone(), (double[])hi1.Clone());
            for (int row = 0; row < 3; row++)
            {
                var x = Mixed(rng, n, offset).AsSpan(offset);
                ColumnSums.AddScalar(x, s1.AsSpan(offset), lo1.AsSpan(offset), hi1.AsSpan(offset));
                ColumnSums.Add(x, s2.AsSpan(offset), lo2.AsSpan(offset), hi2.AsSpan(offset));
            }
            TestVectors.AssertBitwise(s1, s2, $"sum n={n}");
            TestVectors.AssertBitwise(lo1, lo2, $"min n={n}");
            TestVectors.AssertBitwise(hi1, hi2, $"max n={n}");
        }
    }

    [Fact]
    public void ColumnSumsScalarIsTheFormulaAndMinMaxFollowMathMinMax()
    {
        double[] sum = [1, 0, 5, 0];
        double[] min = [3, 0.0, -1, 2];
        double[] max = [3, 0.0, -1, 2];
        ColumnSums.AddScalar([2, -0.0, double.NaN, 2], sum, min, max);
        Assert.Equal([3, 0, double.NaN, 2], sum);
        Assert.Equal([2, -0.0, double.NaN, 2], min);
        Assert.Equal([3, 0.0, double.NaN, 2], max);
        Assert.True(double.IsNegative(min[1]) && !double.IsNegative(max[1]));   // −0 < +0, yet min == max: still constant
        Assert.True(min[1] == max[1] && min[3] == max[3] && min[2] != max[2] && min[0] != max[0]);
    }

    [Fact]
    public void SquaredDeviationsSimdEqualsScalarBitForBitForEveryLength()
    {
        var rng = new Rng(9102UL);
        foreach (int n in TestVectors.Lengths)
        {
            int offset = (n + 1) % 3;
            var mean = Mixed(rng, n, offset);
            var a1 = Mixed(rng, n, offset);
            var a2 = (double[])a1.Clone();
            for (int row = 0; row < 3; row++)
            {
                var x = Mixed(rng, n, offset).AsSpan(offset);
                SquaredDeviations.AddScalar(x, mean.AsSpan(offset), a1.AsSpan(offset));
                SquaredDeviations.Add(x, mean.AsSpan(offset), a2.AsSpan(offset));
            }
            TestVectors.AssertBitwise(a1, a2, $"n={n}");
        }
    }

    [Fact]
    public void SquaredDeviationsScalarIsTheFormula()
    {
        double[] acc = [1, 0, 0.5];
        SquaredDeviations.AddScalar([3, -2, 0.1], [1, 2, 0.3], acc);
        Assert.Equal(1 + 4.0, acc[0]);
        Assert.Equal(16.0, acc[1]);
        double d = 0.1 - 0.3;
        Assert.Equal(0.5 + d * d, acc[2]);
    }

    [Fact]
    public void SpansOfOtherLengthsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => ColumnSums.Add(new double[3], new double[3], new double[2], new double[3]));
        Assert.Throws<ArgumentException>(() => SquaredDeviations.Add(new double[3], new double[4], new double[3]));
    }

    [Fact]
    public void ByteColumnSumsSimdEqualsScalarForEveryLength()
    {
        var rng = new Rng(9103UL);
        foreach (int n in TestVectors.Lengths)
        {
            int offset = n % 5;
            var s1 = new uint[n + offset];
            var lo1 = new byte[n + offset];
            var hi1 = new byte[n + offset];
            for (int i = 0; i < s1.Length; i++)
            {
                s1[i] = (uint)rng.NextInt(1 << 30);
                lo1[i] = (byte)rng.NextInt(256);
                hi1[i] = (byte)rng.NextInt(256);
            }
            var (s2, lo2, hi2) = ((uint[])s1.Clone(), (byte[])lo1.Clone(), (byte[])hi1.Clone());
            for (int row = 0; row < 4; row++)
            {
                var x = new byte[n + offset];
                for (int i = 0; i < x.Length; i++)
                    x[i] = rng.NextInt(4) switch { 0 => 0, 1 => 255, _ => (byte)rng.NextInt(256) };
                ByteColumnSums.AddScalar(x.AsSpan(offset), s1.AsSpan(offset), lo1.AsSpan(offset), hi1.AsSpan(offset));
                ByteColumnSums.Add(x.AsSpan(offset), s2.AsSpan(offset), lo2.AsSpan(offset), hi2.AsSpan(offset));
            }
            Assert.Equal(s1, s2);
            Assert.Equal(lo1, lo2);
            Assert.Equal(hi1, hi2);
        }
    }

    [Fact]
    public void ByteColumnSumsScalarIsTheFormulaAndMatchesTheFloat64PassOnWidenedBytes()
    {
        uint[] sum = [4_000_000_000, 0, 7];
        byte[] min = [9, 255, 0];
        byte[] max = [9, 255, 0];
        ByteColumnSums.AddScalar([255, 3, 0], sum, min, max);
        Assert.Equal([4_000_000_255u, 3, 7], sum);
        Assert.Equal([9, 3, 0], min);
        Assert.Equal([255, 255, 0], max);

        // The same rows through the float64 pass (ColumnSums on the widened bytes): the same sums, minima and maxima.
        var rng = new Rng(9104UL);
        const int rows = 300, n = 77;
        var bsum = new uint[n];
        var bmin = new byte[n];
        var bmax = new byte[n];
        var dsum = new double[n];
        double[]? dmin = null, dmax = null;
        for (int r = 0; r < rows; r++)
        {
            var x = new byte[n];
            for (int i = 0; i < n; i++) x[i] = i == 5 ? (byte)42 : (byte)rng.NextInt(256);
            var wide = x.Select(b => (double)b).ToArray();
            if (r == 0)
            {
                x.CopyTo(bmin, 0);
                x.CopyTo(bmax, 0);
                dmin = (double[])wide.Clone();
                dmax = (double[])wide.Clone();
            }
            ByteColumnSums.Add(x, bsum, bmin, bmax);
            ColumnSums.Add(wide, dsum, dmin!, dmax!);
        }
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(dsum[i], (double)bsum[i]);
            Assert.Equal(dmin![i], bmin[i]);
            Assert.Equal(dmax![i], bmax[i]);
        }
        Assert.Equal(bmin[5], bmax[5]);
    }

    [Fact]
    public void SquaredDeviationsOfBytesSimdEqualsScalarAndTheFloat64KernelBitForBit()
    {
        var rng = new Rng(9105UL);
        foreach (int n in TestVectors.Lengths)
        {
            int offset = n % 3;
            var mean = new double[n + offset];
            for (int i = 0; i < mean.Length; i++) mean[i] = rng.NextInt(4) == 0 ? rng.NextInt(256) : 255 * rng.NextDouble();
            var a1 = new double[n + offset];
            for (int i = 0; i < a1.Length; i++) a1[i] = rng.NextInt(3) == 0 ? 0 : 1e6 * rng.NextDouble();
            var a2 = (double[])a1.Clone();
            var a3 = (double[])a1.Clone();
            for (int row = 0; row < 3; row++)
            {
                var x = new byte[n + offset];
                for (int i = 0; i < x.Length; i++) x[i] = rng.NextInt(4) switch { 0 => 0, 1 => 255, _ => (byte)rng.NextInt(256) };
                var wide = x.Select(b => (double)b).ToArray();
                SquaredDeviations.AddBytesScalar(x.AsSpan(offset), mean.AsSpan(offset), a1.AsSpan(offset));
                SquaredDeviations.AddBytes(x.AsSpan(offset), mean.AsSpan(offset), a2.AsSpan(offset));
                SquaredDeviations.AddScalar(wide.AsSpan(offset), mean.AsSpan(offset), a3.AsSpan(offset));
            }
            TestVectors.AssertBitwise(a1, a2, $"bytes simd n={n}");
            TestVectors.AssertBitwise(a3, a1, $"bytes scalar vs float64 n={n}");
        }
        Assert.Throws<ArgumentException>(() => SquaredDeviations.AddBytes(new byte[3], new double[3], new double[2]));
    }
}
