using Occam.Linear;
using Occam.Numerics.Random;

namespace Occam.Tests.Linear;

/// <summary>
/// The fused set-up of the residual engine (ColumnStats.ComputeColumnMajor, ResidualEngine.FromRows): statistics, the
/// centred column-major copy, the norms and the float copy from one pass over X by blocks of columns must be bit for bit
/// those of the separate passes (ColumnStats.Compute, ColumnMajor, the ResidualEngine constructor).
/// </summary>
public class ColumnStatsTests
{
    /// <summary>Seeded X (rows × p, row-major) with a constant column, an all-zero column and a column of ones.</summary>
    private static double[] Data(int rows, int p, int seed)
    {
        var rng = new Rng(seed);
        var x = new double[rows * p];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < p; j++)
                x[i * p + j] = j % 7 == 3 ? 2.5 : j % 11 == 5 ? 0 : j % 13 == 6 ? 1 : 10 * rng.NextNormal() + j;
        return x;
    }

    [Theory]
    [InlineData(200, 1000, true, false)]
    [InlineData(37, 301, true, true)]
    [InlineData(5, 9, false, true)]
    [InlineData(3000, 17, false, false)]
    [InlineData(1, 40, true, true)]
    public void FusedSetUpEqualsTheSeparatePassesBitForBit(int n, int p, bool center, bool standardize)
    {
        int total = n + 3;
        var x = Data(total, p, n + p);
        // A subset of the rows in a shuffled order, as cross-validation folds select them.
        var rows = Enumerable.Range(0, total).OrderBy(i => (i * 7919) % total).Take(n).ToArray();
        var stats = ColumnStats.Compute(x, p, rows, center, standardize);
        var expected = stats.ColumnMajor(x, p, rows);
        var copy = new double[n * p + 5];
        int next = 0;
        var fused = ColumnStats.ComputeColumnMajor(x, p, rows, center, standardize, copy, (from, to) =>
        {
            // Blocks arrive in order, each column once, final when reported.
            Assert.Equal(next, from);
            Assert.True(to > from && to <= p);
            for (int k = from * n; k < to * n; k++) Assert.Equal(BitConverter.DoubleToInt64Bits(expected[k]), BitConverter.DoubleToInt64Bits(copy[k]));
            next = to;
        });
        Assert.Equal(p, next);
        Assert.Equal(stats.Mean, fused.Mean);
        Assert.Equal(stats.Scale, fused.Scale);
        Assert.Equal(stats.Excluded, fused.Excluded);
        for (int k = 0; k < n * p; k++) Assert.Equal(BitConverter.DoubleToInt64Bits(expected[k]), BitConverter.DoubleToInt64Bits(copy[k]));

        var y = Enumerable.Range(0, n).Select(i => Math.Sin(i)).ToArray();
        var reference = new ResidualEngine(n, p, expected, y);
        var engine = ResidualEngine.FromRows(x, p, rows, y, center, standardize, out var engineStats);
        Assert.Equal(stats.Mean, engineStats.Mean);
        Assert.Equal(reference.Norm, engine.Norm);
        Assert.Equal(reference.ColumnNormOverN, engine.ColumnNormOverN);
        var skip = new bool[p];
        var c0 = new double[p];
        var c1 = new double[p];
        reference.BoundedGradients(c0, skip, out double rel0, out double abs0);
        engine.BoundedGradients(c1, skip, out double rel1, out double abs1);
        Assert.Equal(c0, c1);
        Assert.Equal(rel0, rel1);
        Assert.Equal(abs0, abs1);
        engine.Release();
    }

    [Theory]
    [InlineData(128, 8200, true, false)]
    [InlineData(33, 2000, false, true)]
    public void TheSetUpOnTwoThreadsGivesTheSameValues(int n, int p, bool center, bool standardize)
    {
        var x = Data(n, p, 9);
        var rows = Enumerable.Range(0, n).Reverse().ToArray();
        var one = new double[n * p];
        var two = new double[n * p];
        var expected = ColumnStats.ComputeColumnMajor(x, p, rows, center, standardize, one);
        var reported = new int[p];
        var actual = ColumnStats.ComputeColumnMajor(x, p, rows, center, standardize, two, (from, to) =>
        {
            for (int j = from; j < to; j++) Interlocked.Increment(ref reported[j]);
        }, threads: 2);
        Assert.All(reported, count => Assert.Equal(1, count));
        Assert.Equal(expected.Mean, actual.Mean);
        Assert.Equal(expected.Scale, actual.Scale);
        Assert.Equal(expected.Excluded, actual.Excluded);
        Assert.Equal(one, two);
        // n·p ≥ 2²⁰: the engine's set-up runs on two threads (on a machine with two cores or more); same norms and float copy.
        var y = Enumerable.Range(0, n).Select(i => Math.Cos(i)).ToArray();
        var engine = ResidualEngine.FromRows(x, p, rows, y, center, standardize, out _);
        var reference = new ResidualEngine(n, p, one, y);
        Assert.Equal(reference.Norm, engine.Norm);
        var c0 = new double[p];
        var c1 = new double[p];
        reference.BoundedGradients(c0, new bool[p], out _, out _);
        engine.BoundedGradients(c1, new bool[p], out _, out _);
        Assert.Equal(c0, c1);
        engine.Release();
        // A non-finite cell found by either thread is reported as Compute reports it.
        x[(n - 1) * p + p - 3] = double.NaN;
        var error = Assert.Throws<ArgumentException>(() => ColumnStats.ComputeColumnMajor(x, p, rows, center, standardize, two, threads: 2));
        Assert.Equal(Assert.Throws<ArgumentException>(() => ColumnStats.Compute(x, p, rows, center, standardize)).Message, error.Message);
    }

    [Fact]
    public void FusedSetUpReportsTheFirstNonFiniteCellAsComputeDoes()
    {
        int n = 50, p = 300;
        var x = Data(n, p, 3);
        x[31 * p + 250] = double.NaN;
        x[40 * p + 7] = double.PositiveInfinity;
        var rows = Enumerable.Range(0, n).ToArray();
        var expected = Assert.Throws<ArgumentException>(() => ColumnStats.Compute(x, p, rows, true, false));
        var fused = Assert.Throws<ArgumentException>(() => ColumnStats.ComputeColumnMajor(x, p, rows, true, false, new double[n * p]));
        Assert.Equal(expected.Message, fused.Message);
        Assert.Contains("row 31, column 250", fused.Message);
        var engine = Assert.Throws<ArgumentException>(() => ResidualEngine.FromRows(x, p, rows, new double[n], true, false, out _));
        Assert.Equal(expected.Message, engine.Message);
    }
}
