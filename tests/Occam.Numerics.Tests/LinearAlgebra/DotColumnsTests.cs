using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests.LinearAlgebra;

public class DotColumnsTests
{
    /// <summary>The loop the solvers ran before: one Dot.Compute per column, divided.</summary>
    private static double[] Reference(double[] x, int n, double[] u, bool[] excluded, double divisor, int stride, int offset, int length)
    {
        var r = Enumerable.Repeat(double.NaN, length).ToArray();
        for (int j = 0; j < excluded.Length; j++)
            r[j * stride + offset] = excluded[j] ? 0 : Dot.Compute(x.AsSpan(j * n, n), u.AsSpan(0, n)) / divisor;
        return r;
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(7, 1)]
    [InlineData(33, 9)]
    [InlineData(257, 31)]
    [InlineData(4097, 256)]    // n·p ≥ 2²⁰: split over threads
    [InlineData(1031, 1019)]   // p not a multiple of the item count
    [InlineData(70000, 16)]
    public void EveryThreadCountGivesTheBitsOfOneDotPerColumn(int n, int p)
    {
        var rng = new Rng((ulong)(n * 31 + p));
        var x = Enumerable.Range(0, n * p).Select(_ => rng.NextNormal()).ToArray();
        var u = Enumerable.Range(0, n + 3).Select(_ => rng.NextNormal()).ToArray();   // longer than n: only n read
        var excluded = Enumerable.Range(0, p).Select(j => j % 7 == 3).ToArray();
        foreach (var (stride, offset) in new[] { (1, 0), (3, 2) })
        {
            int length = p == 0 ? 0 : (p - 1) * stride + offset + 1;
            var expected = Reference(x, n, u, excluded, n == 0 ? 1 : n, stride, offset, length);
            foreach (int threads in new[] { 1, 2, 3, 8 })
            {
                var actual = Enumerable.Repeat(double.NaN, length).ToArray();
                DotColumns.Compute(x, n, u, excluded, n == 0 ? 1 : n, actual, stride, offset, threads);
                for (int i = 0; i < length; i++)
                    Assert.True(BitConverter.DoubleToInt64Bits(actual[i]) == BitConverter.DoubleToInt64Bits(expected[i]),
                        $"n={n} p={p} stride={stride} threads={threads} i={i}: {actual[i]} vs {expected[i]}");
            }
            var serial = Enumerable.Repeat(double.NaN, length).ToArray();
            DotColumns.Serial(x, n, u, excluded, n == 0 ? 1 : n, serial, stride, offset);
            Assert.Equal(expected, serial);
        }
    }

    [Fact]
    public void TwoGivesTheBitsOfTwoDotComputeCallsAtEveryLength()
    {
        var rng = new Rng(77);
        for (int n = 0; n <= 257; n++)
        {
            var a = Enumerable.Range(0, n).Select(_ => rng.NextNormal() * 1e3).ToArray();
            var b = Enumerable.Range(0, n).Select(_ => rng.NextNormal() * 1e-3).ToArray();
            var u = Enumerable.Range(0, n).Select(_ => rng.NextNormal()).ToArray();
            DotColumns.Two(a, b, u, out double ra, out double rb);
            Assert.Equal(BitConverter.DoubleToInt64Bits(Dot.Compute(a, u)), BitConverter.DoubleToInt64Bits(ra));
            Assert.Equal(BitConverter.DoubleToInt64Bits(Dot.Compute(b, u)), BitConverter.DoubleToInt64Bits(rb));
        }
    }

    [Fact]
    public void ExcludedColumnsAreZeroEvenWhenTheyHoldNaN()
    {
        int n = 4096, p = 300;
        var x = new double[n * p];
        Array.Fill(x, 1.0);
        x.AsSpan(5 * n, n).Fill(double.NaN);
        var u = new double[n];
        Array.Fill(u, 0.5);
        var excluded = new bool[p];
        excluded[5] = true;
        var c = new double[p];
        DotColumns.Compute(x, n, u, excluded, n, c, 1, 0, 2);
        Assert.Equal(0.0, c[5]);
        Assert.All(c.Where((_, j) => j != 5), v => Assert.Equal(0.5, v));
    }
}
