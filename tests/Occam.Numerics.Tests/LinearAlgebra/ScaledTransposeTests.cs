using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests.LinearAlgebra;

public class ScaledTransposeTests
{
    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    [InlineData(0)]
    public void EveryWidthAgreesWithScalarBitForBit(int bits)
    {
        var width = (VectorWidth)bits;
        var rng = new Rng(61);
        const int stride = 263, offset = 3;
        var x = Enumerable.Range(0, 40 * stride).Select(_ => 100 * rng.NextNormal()).ToArray();
        foreach (int n in new[] { 0, 1, 3, 4, 7, 8, 9, 16, 23, 40 })
            for (int w = 0; w <= 257; w++)
            {
                // Rows out of order with a repeat, as the solvers' row subsets may be.
                var rows = Enumerable.Range(0, n).Select(i => (i * 17 + 5) % 40).ToArray();
                if (n > 2) rows[2] = rows[0];
                var mean = Enumerable.Range(0, w).Select(_ => rng.NextNormal()).ToArray();
                var inv = Enumerable.Range(0, w).Select(_ => 1 / (0.1 + rng.NextDouble())).ToArray();
                var expected = new double[w * n + 1];
                var actual = new double[w * n + 1];
                expected[^1] = actual[^1] = 42;
                ScaledTranspose.Scalar(x, stride, rows, offset, w, mean, inv, expected);
                ScaledTranspose.Compute(x, stride, rows, offset, w, mean, inv, actual, width);
                for (int k = 0; k < expected.Length; k++)
                    Assert.True(BitConverter.DoubleToInt64Bits(expected[k]) == BitConverter.DoubleToInt64Bits(actual[k]), $"n={n} w={w} k={k}: {actual[k]} vs {expected[k]}");
                // The formula itself, on one cell.
                if (n > 0 && w > 0)
                    Assert.Equal((x[rows[n - 1] * stride + offset + w - 1] - mean[w - 1]) * inv[w - 1], actual[(w - 1) * n + n - 1]);
            }
    }
}
