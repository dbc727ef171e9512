using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests.LinearAlgebra;

public class IndexedColumnDotsTests
{
    [Fact]
    public void VectorVersionAgreesWithScalarWithinTheSummationOrderBound()
    {
        var rng = new Rng(43);
        for (int n = 0; n <= 257; n++)
        {
            int p = 9;
            var x = Enumerable.Range(0, n * p).Select(_ => rng.NextNormal()).ToArray();
            var u = Enumerable.Range(0, n).Select(_ => rng.NextNormal()).ToArray();
            // Columns out of order, repeated, and counts that leave 0 … 3 columns after the groups of four.
            foreach (int m in new[] { 0, 1, 3, 4, 7, 9 })
            {
                var cols = Enumerable.Range(0, m).Select(k => (k * 5 + 2) % p).ToArray();
                var expected = new double[m];
                var actual = new double[m];
                IndexedColumnDots.Scalar(x, n, cols, u, expected);
                IndexedColumnDots.Compute(x, n, cols, u, actual);
                for (int k = 0; k < m; k++)
                {
                    double magnitude = 0;
                    for (int i = 0; i < n; i++) magnitude += Math.Abs(x[cols[k] * n + i] * u[i]);
                    double bound = 2.1 * n * Math.ScaleB(1.0, -53) * magnitude;
                    Assert.True(Math.Abs(actual[k] - expected[k]) <= bound, $"n={n} m={m} k={k}: {actual[k]} vs {expected[k]} (bound {bound})");
                }
            }
        }
    }
}
