using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests.LinearAlgebra;

public class ReferenceBoundsTests
{
    [Fact]
    public void VectorVersionAgreesWithScalarBitForBit()
    {
        var rng = new Rng(41);
        for (int p = 0; p <= 257; p++)
            foreach (int m in new[] { 1, 2, 6 })
            {
                var c = Enumerable.Range(0, m * p).Select(_ => rng.NextNormal()).ToArray();
                var a = Enumerable.Range(0, m).Select(_ => rng.NextNormal()).ToArray();
                // Weights with zeros (features inside the strong set) and a spread of slacks.
                var iv = Enumerable.Range(0, p).Select(j => j % 5 == 0 ? 0 : 0.5 + rng.NextDouble()).ToArray();
                var b = Enumerable.Range(0, p).Select(j => iv[j] == 0 ? 0 : 0.1 * rng.NextDouble()).ToArray();
                double spread = rng.NextDouble(), absolute = 1e-3 * rng.NextDouble(), threshold = 1.0;
                double[] e1 = new double[p], r1 = new double[p], u1 = new double[p], e2 = new double[p], r2 = new double[p], u2 = new double[p];
                double max1 = ReferenceBounds.Scalar(c, p, a, iv, b, spread, absolute, threshold, e1, r1, u1, out double mr1, out int n1);
                double max2 = ReferenceBounds.Compute(c, p, a, iv, b, spread, absolute, threshold, e2, r2, u2, out double mr2, out int n2);
                Assert.Equal(max1, max2);
                Assert.Equal(mr1, mr2);
                Assert.Equal(n1, n2);
                Assert.Equal(e1, e2);
                Assert.Equal(r1, r2);
                Assert.Equal(u1, u2);
                // Every width of the walk (512-bit steps run in software where AVX-512 is absent), bit for bit.
                foreach (var width in new[] { VectorWidth.V512, VectorWidth.V256, VectorWidth.Scalar })
                {
                    double[] e3 = new double[p], r3 = new double[p], u3 = new double[p];
                    double max3 = ReferenceBounds.Compute(width, c, p, a, iv, b, spread, absolute, threshold, e3, r3, u3, out double mr3, out int n3);
                    TestVectors.AssertBitwise(e1, e3, $"est {width} p={p} m={m}");
                    TestVectors.AssertBitwise(r1, r3, $"ratio {width} p={p} m={m}");
                    TestVectors.AssertBitwise(u1, u3, $"bound {width} p={p} m={m}");
                    Assert.Equal(max1, max3);
                    Assert.Equal(mr1, mr3);
                    Assert.Equal(n1, n3);
                }
                // The formula itself, against a plain evaluation (non-fused arithmetic, so within rounding).
                int count = 0;
                for (int j = 0; j < p; j++)
                {
                    double e = 0;
                    for (int t = 0; t < m; t++) e += a[t] * c[t * p + j];
                    Assert.True(Math.Abs(e - e1[j]) <= 1e-12 * (1 + m), $"p={p} m={m} j={j}: {e} vs {e1[j]}");
                    double u = Math.Abs(e1[j]) * iv[j] + iv[j] * absolute + b[j] * spread;
                    Assert.True(Math.Abs(u - u1[j]) <= 1e-12 * (1 + Math.Abs(u)));
                    if (u1[j] > threshold) count++;
                }
                Assert.Equal(count, n1);
                Assert.Equal(p == 0 ? 0 : u1.Max(), max1);
                Assert.Equal(p == 0 ? 0 : r1.Max(), mr1);
            }
    }
}
