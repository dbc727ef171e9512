using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests.LinearAlgebra;

/// <summary>The double-precision kernels of coordinate descent and ridge: SIMD == scalar (to rounding), Cholesky solves.</summary>
public class LinearAlgebraKernelTests
{
    [Fact]
    public void GramSimdMatchesScalar()
    {
        var rng = new Rng(12);
        foreach (var (n, p) in Enumerable.Range(1, 40).Select(p => (137, p)).Concat([(1, 1), (3, 257), (300, 33), (1000, 70), (2, 0)]))
        {
            var x = new double[n * p];
            for (int i = 0; i < x.Length; i++) x[i] = rng.NextNormal();
            var a = new double[p * p];
            var b = new double[p * p];
            Gram.ComputeScalar(x, n, p, a);
            Gram.Compute(x, n, p, b);
            for (int i = 0; i < a.Length; i++)
                Assert.True(Math.Abs(a[i] - b[i]) <= 1e-12 * (Math.Abs(a[i]) + n), $"n={n} p={p} i={i}");
            for (int j = 0; j < p; j++)
                for (int k = 0; k < p; k++) Assert.Equal(b[j * p + k], b[k * p + j]);
        }
    }

    [Fact]
    public void DotAxpyAndWeightedAxpySimdMatchScalarForEveryLengthUpTo257()
    {
        var rng = new Rng(77);
        for (int n = 0; n <= 257; n++)
        {
            var a = new double[n];
            var b = new double[n];
            var w = new double[n];
            for (int i = 0; i < n; i++) { a[i] = rng.NextNormal(); b[i] = rng.NextNormal(); w[i] = rng.NextDouble(); }
            double scale = 1 + a.Zip(b).Sum(t => Math.Abs(t.First * t.Second));
            Assert.True(Math.Abs(Dot.Scalar(a, b) - Dot.Compute(a, b)) <= 1e-14 * scale, $"dot n={n}");
            var y1 = (double[])b.Clone();
            var y2 = (double[])b.Clone();
            Axpy.Scalar(-0.37, a, y1);
            Axpy.Compute(-0.37, a, y2);
            for (int i = 0; i < n; i++) Assert.True(Math.Abs(y1[i] - y2[i]) <= 4e-16 * (1 + Math.Abs(y1[i])), $"n={n} i={i}");
            y1 = (double[])b.Clone();
            y2 = (double[])b.Clone();
            WeightedAxpy.Scalar(1.3, w, a, y1);
            WeightedAxpy.Compute(1.3, w, a, y2);
            for (int i = 0; i < n; i++) Assert.True(Math.Abs(y1[i] - y2[i]) <= 4e-16 * (1 + Math.Abs(y1[i])), $"n={n} i={i}");
        }
    }

    [Fact]
    public void CholeskySolvesAndDetectsSingularMatrices()
    {
        double[] a = [4, 2, 0.6, 2, 5, 1, 0.6, 1, 3];
        double[] b = [1, 2, 3];
        var l = (double[])a.Clone();
        Assert.True(Cholesky.Factor(l, 3));
        var xsol = (double[])b.Clone();
        Cholesky.Solve(l, 3, xsol);
        for (int i = 0; i < 3; i++)
            Assert.Equal(b[i], a[i * 3] * xsol[0] + a[i * 3 + 1] * xsol[1] + a[i * 3 + 2] * xsol[2], 12);
        Assert.False(Cholesky.Factor([1, 1, 1, 1], 2));
    }
}
