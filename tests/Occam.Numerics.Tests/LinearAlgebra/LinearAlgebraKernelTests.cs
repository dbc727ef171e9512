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
        // p = 1..80 covers every edge of the 6 × 32, 6 × 8, 4 × 16 and scalar tiles; n ≥ 512 with n·p² ≥ 4e6 the threaded path.
        foreach (var (n, p) in Enumerable.Range(1, 80).Select(p => (137, p)).Concat([(1, 1), (3, 257), (300, 33), (1000, 70), (700, 203), (2, 0)]))
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
    public void CenteredGramMatchesTheScalarGramOfTheCentredScaledRows()
    {
        var rng = new Rng(13);
        foreach (var (n, p) in new[] { (5, 7), (137, 38), (600, 45), (1100, 64) })
        {
            var x = new double[n * p];
            for (int i = 0; i < x.Length; i++) x[i] = 3 + rng.NextNormal();
            var rows = Enumerable.Range(0, n).Where(i => i % 3 != 1).ToArray();
            var mean = new double[p];
            var inv = new double[p];
            for (int j = 0; j < p; j++) { mean[j] = 3 + 0.1 * rng.NextNormal(); inv[j] = 0.5 + rng.NextDouble(); }
            var y = new double[rows.Length];
            for (int i = 0; i < y.Length; i++) y[i] = rng.NextNormal();
            var xt = new double[rows.Length * p];
            for (int i = 0; i < rows.Length; i++)
                for (int j = 0; j < p; j++) xt[i * p + j] = (x[rows[i] * p + j] - mean[j]) * inv[j];
            var expected = new double[p * p];
            Gram.ComputeScalar(xt, rows.Length, p, expected);
            var g = new double[p * p];
            var xty = new double[p];
            Gram.ComputeCentered(x, rows, p, mean, inv, y, g, xty);
            for (int i = 0; i < g.Length; i++)
                Assert.True(Math.Abs(expected[i] - g[i]) <= 1e-12 * (Math.Abs(expected[i]) + n), $"n={n} p={p} i={i}");
            for (int j = 0; j < p; j++)
            {
                double s = 0;
                for (int i = 0; i < rows.Length; i++) s += xt[i * p + j] * y[i];
                Assert.True(Math.Abs(s - xty[j]) <= 1e-12 * (Math.Abs(s) + n), $"xty n={n} p={p} j={j}");
            }
        }
    }

    [Fact]
    public void ThreadedGramGivesTheSameBitsOnEveryCallWhateverThePooledBuffersHold()
    {
        // The threaded path (n ≥ 512, n·p² ≥ 4e6) sums into pooled partials and chunk buffers that earlier calls left
        // dirty: a call in between with other data (and larger values) must not change the next result by one bit.
        var rng = new Rng(15);
        const int n = 1500, p = 90;
        double[] Random(double scale)
        {
            var v = new double[n * p];
            for (int i = 0; i < v.Length; i++) v[i] = scale * rng.NextNormal();
            return v;
        }
        var x = Random(1);
        var other = Random(1e6);
        var rows = Enumerable.Range(0, n).ToArray();
        var mean = new double[p];
        var inv = new double[p];
        for (int j = 0; j < p; j++) { mean[j] = 0.1 * rng.NextNormal(); inv[j] = 0.5 + rng.NextDouble(); }
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = rng.NextNormal();

        (double[] G, double[] Xty) Centered(double[] data)
        {
            var g = new double[p * p];
            var xty = new double[p];
            Gram.ComputeCentered(data, rows, p, mean, inv, y, g, xty);
            return (g, xty);
        }
        double[] Columns(double[] data)
        {
            var h = new double[(p + 1) * (p + 1)];
            Gram.ComputeColumns(data, n, Enumerable.Range(0, p).ToArray(), y, appendOnes: true, h);
            return h;
        }

        var first = Centered(x);
        var firstColumns = Columns(x);
        Centered(other);
        Columns(other);
        var second = Centered(x);
        var secondColumns = Columns(x);
        Assert.Equal(first.G, second.G);
        Assert.Equal(first.Xty, second.Xty);
        Assert.Equal(firstColumns, secondColumns);

        // And the threaded result is the Gram matrix (to rounding), not just a repeatable one.
        var expected = new double[p * p];
        var xt = new double[n * p];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++) xt[i * p + j] = (x[i * p + j] - mean[j]) * inv[j];
        Gram.ComputeScalar(xt, n, p, expected);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - second.G[i]) <= 1e-12 * (Math.Abs(expected[i]) + n), $"i={i}");
    }

    [Fact]
    public void ThreadedGramIsTheSumOfItsFixedRowItemsInItemOrder()
    {
        // With two or more processors, n = 2500 rows are cut into items of 1024, 1024 and 452 rows whatever the thread count
        // and whoever runs them: G is (item 0 + item 1) + item 2, element by element, with each item summed alone
        // (1024 rows: one item; 452 rows: below the threaded size). One processor sums every row in one range.
        if (Environment.ProcessorCount < 2) return;
        var rng = new Rng(16);
        const int n = 2500, p = 70;
        var x = new double[n * p];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextNormal() + 0.3;
        var mean = new double[p];
        var inv = new double[p];
        for (int j = 0; j < p; j++) { mean[j] = 0.3 + 0.01 * rng.NextNormal(); inv[j] = 0.5 + rng.NextDouble(); }
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = i % 7 == 0 ? 0 : rng.NextNormal();
        (double[] G, double[] Xty) Centered(int from, int to)
        {
            var g = new double[p * p];
            var xty = new double[p];
            var rows = Enumerable.Range(from, to - from).ToArray();
            // y is indexed by position in rows: pass the slice that belongs to them.
            Gram.ComputeCentered(x, rows, p, mean, inv, y[from..to], g, xty);
            return (g, xty);
        }
        var all = Centered(0, n);
        var parts = new[] { Centered(0, 1024), Centered(1024, 2048), Centered(2048, n) };
        for (int i = 0; i < p * p; i++)
        {
            double e = parts[0].G[i] + parts[1].G[i] + parts[2].G[i];
            Assert.True(BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(all.G[i]), $"G[{i}]: {e:R} vs {all.G[i]:R}");
        }
        for (int j = 0; j < p; j++)
        {
            double e = parts[0].Xty[j] + parts[1].Xty[j] + parts[2].Xty[j];
            Assert.True(BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(all.Xty[j]), $"xty[{j}]: {e:R} vs {all.Xty[j]:R}");
        }
    }

    [Fact]
    public void WeightedColumnGramMatchesTheDefinition()
    {
        var rng = new Rng(14);
        foreach (var (n, p, m, ones) in new[] { (9, 5, 3, true), (137, 40, 38, false), (700, 90, 75, true), (1300, 30, 0, true) })
        {
            var x = new double[n * p]; // column-major
            for (int i = 0; i < x.Length; i++) x[i] = rng.NextNormal();
            var cols = Enumerable.Range(0, p).Where(j => j % 7 != 3).Take(m).Reverse().ToArray();
            var s = new double[n];
            for (int i = 0; i < n; i++) s[i] = 0.1 + rng.NextDouble();
            int q = cols.Length + (ones ? 1 : 0);
            var h = new double[q * q];
            Gram.ComputeColumns(x, n, cols, s, ones, h);
            for (int a = 0; a < q; a++)
                for (int b = 0; b < q; b++)
                {
                    double e = 0;
                    for (int i = 0; i < n; i++)
                    {
                        double u = a < cols.Length ? x[cols[a] * n + i] : 1, v = b < cols.Length ? x[cols[b] * n + i] : 1;
                        e += s[i] * s[i] * u * v;
                    }
                    Assert.True(Math.Abs(e - h[a * q + b]) <= 1e-12 * (Math.Abs(e) + n), $"n={n} m={cols.Length} a={a} b={b}");
                }
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
            // Axpy: fma(α, x, y) per element at every width (misaligned start), bit for bit.
            var fused = new double[n];
            for (int i = 0; i < n; i++) fused[i] = Math.FusedMultiplyAdd(-0.37, a[i], b[i]);
            TestVectors.AssertBitwise(fused, y2, $"axpy n={n}");
            foreach (var width in new[] { VectorWidth.V512, VectorWidth.V256, VectorWidth.Scalar })
            {
                var shifted = new double[n + 1];
                b.CopyTo(shifted, 1);
                Axpy.Compute(width, -0.37, a, shifted.AsSpan(1));
                TestVectors.AssertBitwise(fused, shifted.AsSpan(1), $"axpy {width} n={n}");
            }
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

    [Fact]
    public void CholeskySolvesLargerSystemsAcrossTheVectorWidths()
    {
        // A = BᵀB/k + I for sizes 1..70 (row prefixes shorter and longer than a vector, with remainders): ‖Ax − b‖ small.
        var rng = new Rng(23);
        for (int m = 1; m <= 70; m++)
        {
            int k = m + 5;
            var bm = new double[k * m];
            for (int i = 0; i < bm.Length; i++) bm[i] = rng.NextNormal();
            var a = new double[m * m];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++)
                {
                    double s = i == j ? 1 : 0;
                    for (int q = 0; q < k; q++) s += bm[q * m + i] * bm[q * m + j] / k;
                    a[i * m + j] = s;
                }
            var rhs = Enumerable.Range(0, m).Select(_ => rng.NextNormal()).ToArray();
            var l = (double[])a.Clone();
            Assert.True(Cholesky.Factor(l, m));
            var xsol = (double[])rhs.Clone();
            Cholesky.Solve(l, m, xsol);
            for (int i = 0; i < m; i++)
            {
                double s = 0;
                for (int j = 0; j < m; j++) s += a[i * m + j] * xsol[j];
                Assert.True(Math.Abs(s - rhs[i]) <= 1e-10 * (1 + Math.Abs(rhs[i])), $"m={m} i={i}: {s} vs {rhs[i]}");
            }
        }
    }

    [Fact]
    public void ColumnDotsSimdMatchesScalar()
    {
        // Column lengths 0..257 (every vector remainder of Vector512 and Vector256) and 0..9 columns (the 4-column blocks
        // and their remainder): float sums agree to their rounding, γₙ·Σ|xᵢⱼuᵢ|.
        var rng = new Rng(29);
        for (int n = 0; n <= 257; n++)
            for (int p = n % 10; p <= 9; p += 4)
            {
                var x = new float[n * p];
                var u = new float[n];
                for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextNormal();
                for (int i = 0; i < n; i++) u[i] = (float)rng.NextNormal();
                var a = new float[p];
                var b = new float[p];
                ColumnDots.Scalar(x, n, u, a);
                ColumnDots.Compute(x, n, u, b);
                for (int j = 0; j < p; j++)
                {
                    double mag = 0;
                    for (int i = 0; i < n; i++) mag += Math.Abs((double)x[j * n + i] * u[i]);
                    Assert.True(Math.Abs(a[j] - b[j]) <= 2 * n * 6e-8 * mag + 1e-30, $"n={n} p={p} j={j}: {a[j]} vs {b[j]}");
                }
            }
    }

    [Fact]
    public void CholeskyRowColumnDeletionMatchesANewFactorization()
    {
        var rng = new Rng(31);
        for (int m = 1; m <= 40; m++)
            for (int k = 0; k < m; k += Math.Max(1, m / 5))
            {
                var bm = new double[(m + 3) * m];
                for (int i = 0; i < bm.Length; i++) bm[i] = rng.NextNormal();
                var a = new double[m * m];
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < m; j++)
                    {
                        double s = i == j ? 0.5 : 0;
                        for (int q = 0; q < m + 3; q++) s += bm[q * m + i] * bm[q * m + j];
                        a[i * m + j] = s;
                    }
                var reduced = new double[(m - 1) * (m - 1)];
                int d = 0;
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < m; j++)
                        if (i != k && j != k) reduced[d++] = a[i * m + j];
                var l = (double[])a.Clone();
                Assert.True(Cholesky.Factor(l, m));
                Cholesky.DeleteRowColumn(l, m, k, new double[m]);
                Assert.True(Cholesky.Factor(reduced, m - 1));
                for (int i = 0; i < m - 1; i++)
                    for (int j = 0; j <= i; j++)
                        Assert.True(Math.Abs(l[i * (m - 1) + j] - reduced[i * (m - 1) + j]) <= 1e-10 * (1 + Math.Abs(reduced[i * (m - 1) + j])),
                            $"m={m} k={k} ({i},{j}): {l[i * (m - 1) + j]} vs {reduced[i * (m - 1) + j]}");
            }
    }
    [Fact]
    public void CholeskyAppendMatchesANewFactorization()
    {
        var rng = new Rng(37);
        for (int m = 0; m <= 40; m++)
        {
            int q = m + 1;
            var bm = new double[(q + 3) * q];
            for (int i = 0; i < bm.Length; i++) bm[i] = rng.NextNormal();
            var a = new double[q * q];
            for (int i = 0; i < q; i++)
                for (int j = 0; j < q; j++)
                {
                    double s = i == j ? 0.5 : 0;
                    for (int t = 0; t < q + 3; t++) s += bm[t * q + i] * bm[t * q + j];
                    a[i * q + j] = s;
                }
            // The leading m × m block factored with stride m, then bordered by the last row/column of a.
            var l = new double[q * q];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++) l[i * m + j] = a[i * q + j];
            Assert.True(Cholesky.Factor(l, m));
            var b = new double[m];
            for (int i = 0; i < m; i++) b[i] = a[i * q + m];
            Assert.True(Cholesky.Append(l, m, b, a[m * q + m]));
            var full = (double[])a.Clone();
            Assert.True(Cholesky.Factor(full, q));
            for (int i = 0; i < q; i++)
                for (int j = 0; j <= i; j++)
                    Assert.True(Math.Abs(l[i * q + j] - full[i * q + j]) <= 1e-10 * (1 + Math.Abs(full[i * q + j])),
                        $"m={m} ({i},{j}): {l[i * q + j]} vs {full[i * q + j]}");
            // A bordered matrix that is singular (the new column a copy of the first) is refused.
            if (m > 0)
            {
                var c = new double[m];
                for (int i = 0; i < m; i++) c[i] = a[i * q];
                var l2 = new double[q * q];
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < m; j++) l2[i * m + j] = a[i * q + j];
                Assert.True(Cholesky.Factor(l2, m));
                Assert.False(Cholesky.Append(l2, m, c, a[0]));
            }
        }
    }
}
