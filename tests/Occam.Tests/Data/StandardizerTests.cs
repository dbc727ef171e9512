using Occam.Data;

namespace Occam.Tests.Data;

public class StandardizerTests
{
    // 4 rows × 3 features; the last column is constant.
    private static Dataset Sample() => new(
        [1, 10, 5,
         2, 20, 5,
         3, 60, 5,
         100, -7, 5],
        [0, 0, 0, 0], 4, 3, ["a", "b", "c"], "y", TaskKind.Regression);

    [Fact]
    public void FitOnSubsetUsesOnlyThoseRows()
    {
        // Rows 0..2: a = 1,2,3 → mean 2, population var (1+0+1)/3 = 2/3.
        //            b = 10,20,60 → mean 30, var (400+100+900)/3 = 1400/3.
        var s = Standardizer.Fit(Sample(), [0, 1, 2]);
        Assert.Equal(2.0, s.Mean[0], 15);
        Assert.Equal(30.0, s.Mean[1], 13);
        Assert.Equal(Math.Sqrt(2.0 / 3), s.Scale[0], 15);
        Assert.Equal(Math.Sqrt(1400.0 / 3), s.Scale[1], 12);
        Assert.Equal(5.0, s.Mean[2]);
        Assert.Equal(1.0, s.Scale[2]);
    }

    [Fact]
    public void FitOnAllRows()
    {
        // a = 1,2,3,100 → mean 26.5; deviations −25.5, −24.5, −23.5, 73.5.
        var s = Standardizer.Fit(Sample());
        double var = (25.5 * 25.5 + 24.5 * 24.5 + 23.5 * 23.5 + 73.5 * 73.5) / 4;
        Assert.Equal(26.5, s.Mean[0], 13);
        Assert.Equal(Math.Sqrt(var), s.Scale[0], 12);
    }

    [Fact]
    public void TransformedTrainingRowsHaveZeroMeanAndUnitPopulationVariance()
    {
        var rng = new Occam.Numerics.Random.Rng(3);
        int n = 200, p = 5;
        var x = new double[n * p];
        for (int i = 0; i < x.Length; i++)
            x[i] = 1000 + 50 * rng.NextNormal() * (1 + i % p);
        var data = new Dataset(x, new double[n], n, p, ["a", "b", "c", "d", "e"], "y", TaskKind.Regression);
        var z = Standardizer.Fit(data).Transform(data);
        for (int j = 0; j < p; j++)
        {
            double mean = 0, sq = 0;
            for (int i = 0; i < n; i++)
                mean += z.X[i * p + j];
            mean /= n;
            for (int i = 0; i < n; i++)
                sq += (z.X[i * p + j] - mean) * (z.X[i * p + j] - mean);
            Assert.Equal(0.0, mean, 12);
            Assert.Equal(1.0, sq / n, 12);
        }
    }

    [Fact]
    public void MatchesScikitLearnOnDigits()
    {
        // Golden values: tests/golden/standardizer_digits.py (StandardScaler on the first 1000 rows).
        var digits = CsvLoader.Load(Path.Combine(TestFiles.DataDir, "digits.csv"), "digit");
        var s = Standardizer.Fit(digits, Enumerable.Range(0, 1000).ToArray());
        Assert.Equal(0.0, s.Mean[0]);
        Assert.Equal(1.0, s.Scale[0]); // p00 is 0 in every image
        Assert.Equal(11.338, s.Mean[3], 12);
        Assert.Equal(4.375586360706407, s.Scale[3], 12);
        Assert.Equal(10.42, s.Mean[36], 12);
        Assert.Equal(5.93461034946694, s.Scale[36], 12);
        Assert.Equal(0.416, s.Mean[63], 12);
        Assert.Equal(2.0334561711529533, s.Scale[63], 12);
    }

    [Fact]
    public void ConstantColumnBecomesExactlyZero()
    {
        // 0.1 is not exactly representable: the naive sum/n mean would differ from 0.1 by an ulp
        // and the column would blow up to ±1 after dividing by a tiny std.
        int n = 7;
        var x = Enumerable.Repeat(0.1, n).ToArray();
        var data = new Dataset(x, new double[n], n, 1, ["c"], "y", TaskKind.Regression);
        var s = Standardizer.Fit(data);
        Assert.Equal(0.1, s.Mean[0]);
        Assert.Equal(1.0, s.Scale[0]);
        Assert.All(s.Transform(data).X, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void TransformAppliesTheFormulaInPlace()
    {
        var s = new Standardizer([1, -2], [2, 0.5]);
        double[] x = [3, -2, 1, 0];
        s.Transform(x, 2);
        Assert.Equal([1.0, 0, 0, 4], x);
    }

    [Fact]
    public void TransformDatasetCopiesAndKeepsMetadata()
    {
        var data = new Dataset([1, 2, 3, 4], [1, 0], 2, 2, ["a", "b"], "t", TaskKind.Binary, ["n", "p"]);
        var z = new Standardizer([1, 2], [1, 1]).Transform(data);
        Assert.Equal([0.0, 0, 2, 2], z.X);
        Assert.Equal([1.0, 2, 3, 4], data.X); // original untouched
        Assert.Equal([1.0, 0], z.Y);
        Assert.Equal(TaskKind.Binary, z.Task);
        Assert.Equal(["n", "p"], z.Classes!);
        Assert.Equal("t", z.TargetName);
    }

    [Fact]
    public void Validation()
    {
        Assert.Throws<ArgumentException>(() => new Standardizer([0, 0], [1]));
        Assert.Throws<ArgumentException>(() => new Standardizer([], []));
        Assert.Throws<ArgumentException>(() => new Standardizer([double.NaN], [1]));
        Assert.Throws<ArgumentException>(() => new Standardizer([0], [0]));
        Assert.Throws<ArgumentException>(() => new Standardizer([0], [-1]));
        Assert.Throws<ArgumentException>(() => new Standardizer([0], [double.PositiveInfinity]));
        var s = new Standardizer([0, 0], [1, 1]);
        Assert.Throws<ArgumentException>(() => s.Transform(new double[6], 3));
        Assert.Throws<ArgumentException>(() => s.Transform(new double[5], 2));
        Assert.Throws<ArgumentException>(() => Standardizer.Fit(Sample(), ReadOnlySpan<int>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => Standardizer.Fit(Sample(), [0, 4]));
        Assert.Throws<ArgumentException>(() => s.Transform(Sample()));
    }

    [Fact]
    public void LargeDataFittedInColumnBlocksEqualsTheSequentialFitBitForBit()
    {
        // 4001 × 333 (above the parallel threshold; odd width, so blocks end mid-vector): offsets, constant columns
        // (one at ±0 only), pixel-like integers, and a subset of rows in shuffled order.
        const int rows = 4001, cols = 333;
        var rng = new Occam.Numerics.Random.Rng(77UL);
        var x = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                x[i * cols + j] = (j % 11) switch
                {
                    0 => 42.5,
                    1 => i % 2 == 0 ? 0.0 : -0.0,
                    2 => rng.NextInt(256),
                    _ => 1e6 + rng.NextNormal() * j,
                };
        var data = new Dataset(x, new double[rows], rows, cols, Dataset.DefaultFeatureNames(cols), "y", TaskKind.Regression);
        var order = Enumerable.Range(0, rows).Where(i => i % 3 != 1).ToArray();
        rng.Shuffle(order.AsSpan());
        foreach (var (blocks, sequential) in new[]
                 {
                     (Standardizer.Fit(data), Standardizer.Fit(x, cols, Enumerable.Range(0, rows).ToArray())),
                     (Standardizer.Fit(data, order), Standardizer.Fit(x, cols, order)),
                 })
        {
            Assert.Equal(sequential.Mean.Select(BitConverter.DoubleToInt64Bits), blocks.Mean.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(sequential.Scale.Select(BitConverter.DoubleToInt64Bits), blocks.Scale.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(42.5, blocks.Mean[0]);
            Assert.Equal(1.0, blocks.Scale[0]);
            Assert.Equal(1.0, blocks.Scale[1]);
        }
    }

    /// <summary>
    /// Byte data with the loader's column statistics (the first pass done by the reader) fits the same mean and scale,
    /// bit for bit, as the same bytes without them and as their float64 copy: below the threshold on one thread, above it
    /// (<see cref="Standardizer.ParallelMinimumSecondPassOnly"/>) the second pass in column blocks.
    /// </summary>
    [Theory]
    [InlineData(3001, 263)]
    [InlineData(16385, 1024)]
    public void ByteDataWithTheLoadersStatisticsFitsTheSameBits(int rows, int cols)
    {
        var rng = new Occam.Numerics.Random.Rng(78UL);
        var bytes = new byte[5 + rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                bytes[5 + i * cols + j] = (j % 7) switch { 0 => 9, 1 => (byte)(i % 3 == 0 ? 255 : 0), _ => (byte)rng.NextInt(j % 2 == 0 ? 256 : 17) };
        var stats = ByteColumnStatistics.Of(bytes.AsSpan(5), rows, cols);
        var names = Dataset.DefaultFeatureNames(cols);
        var y = new double[rows];
        var with = new Dataset(bytes, 5, y, rows, cols, names, "y", TaskKind.Regression, null, stats);
        var without = new Dataset(bytes, 5, y, rows, cols, names, "y", TaskKind.Regression);
        Assert.Equal((long)rows * cols >= Standardizer.ParallelMinimumSecondPassOnly, cols == 1024);
        var a = Standardizer.Fit(with);
        var b = Standardizer.Fit(without);
        Assert.Equal(b.Mean.Select(BitConverter.DoubleToInt64Bits), a.Mean.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(b.Scale.Select(BitConverter.DoubleToInt64Bits), a.Scale.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(9.0, a.Mean[0]);
        Assert.Equal(1.0, a.Scale[0]);
        if (cols < 1024)
        {
            var c = Standardizer.Fit(new Dataset(without.X.ToArray(), y, rows, cols, names, "y", TaskKind.Regression));
            Assert.Equal(c.Mean.Select(BitConverter.DoubleToInt64Bits), a.Mean.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(c.Scale.Select(BitConverter.DoubleToInt64Bits), a.Scale.Select(BitConverter.DoubleToInt64Bits));
        }
        // Statistics of other rows or columns are refused.
        Assert.Throws<ArgumentException>(() => new Dataset(bytes, 5, y[1..], rows - 1, cols, names, "y", TaskKind.Regression, null, stats));
    }
}
