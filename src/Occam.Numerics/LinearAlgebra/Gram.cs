using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// Gram matrix kernel: <c>G = Xᵀ X</c> for a row-major <c>n × p</c> matrix <c>X</c>, written as a full
/// symmetric row-major <c>p × p</c> matrix. <c>G[j,k] = Σᵢ X[i,j]·X[i,k]</c>.
/// </summary>
/// <remarks>
/// The SIMD version walks row chunks of X and updates 4 × 16 (Vector512) or 4 × 8 (Vector256) tiles of the upper
/// triangle of G with register accumulators (one broadcast of X[i,j] times a wide load of X[i,k..]); the lower
/// triangle is mirrored at the end. Summation order differs from the scalar version, so results agree
/// to rounding (relative ~1e-15 · n), not bit for bit.
/// </remarks>
internal static class Gram
{
    /// <summary>Reference version: three loops, summing over rows in order.</summary>
    public static void ComputeScalar(ReadOnlySpan<double> x, int n, int p, Span<double> g)
    {
        Debug.Assert(x.Length >= n * p && g.Length >= p * p);
        g[..(p * p)].Clear();
        for (int i = 0; i < n; i++)
        {
            var row = x.Slice(i * p, p);
            for (int j = 0; j < p; j++)
            {
                double a = row[j];
                if (a == 0) continue;
                var gj = g.Slice(j * p, p);
                for (int k = j; k < p; k++) gj[k] += a * row[k];
            }
        }
        Mirror(g, p);
    }

    /// <summary>Vectorized and (for large problems) parallel version of <see cref="ComputeScalar"/>.</summary>
    public static void Compute(double[] x, int n, int p, double[] g)
    {
        var rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        var zero = new double[p];
        var one = new double[p];
        Array.Fill(one, 1.0);
        ComputeCentered(x, rows, p, zero, one, null, g, null);
    }

    /// <summary>
    /// G = X̃ᵀX̃ and (optionally) X̃ᵀỹ for X̃ᵢⱼ = (X[rows[i], j] − mean[j])·invScale[j], without materializing X̃:
    /// rows are centred and scaled in chunks of 128 into a small buffer that the tile kernel then reads from cache.
    /// Rows split across threads when the work is large; partial sums are added at the end.
    /// </summary>
    public static void ComputeCentered(double[] x, int[] rows, int p, double[] mean, double[] invScale, double[]? y, double[] g, double[]? xty)
    {
        int n = rows.Length;
        Debug.Assert(g.Length >= p * p && mean.Length >= p && invScale.Length >= p);
        Array.Clear(g, 0, p * p);
        if (xty is not null) Array.Clear(xty, 0, p);
        int threads = Math.Min(Environment.ProcessorCount, 8);
        double work = (double)n * p * p;
        if (threads < 2 || work < 4e6 || n < 512)
        {
            Accumulate(x, rows, 0, n, p, mean, invScale, y, g, xty);
        }
        else
        {
            var parts = new double[threads][];
            var partsXty = new double[threads][];
            Parallel.For(0, threads, t =>
            {
                int start = (int)((long)n * t / threads), end = (int)((long)n * (t + 1) / threads);
                var gb = t == 0 ? g : new double[p * p];
                var xb = xty is null ? null : t == 0 ? xty : new double[p];
                parts[t] = gb;
                partsXty[t] = xb!;
                Accumulate(x, rows, start, end, p, mean, invScale, y, gb, xb);
            });
            for (int t = 1; t < threads; t++)
            {
                for (int j = 0; j < p; j++)
                {
                    var src = parts[t].AsSpan(j * p + j, p - j);
                    var dst = g.AsSpan(j * p + j, p - j);
                    System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
                }
                if (xty is not null) System.Numerics.Tensors.TensorPrimitives.Add(xty, partsXty[t], xty);
            }
        }
        Mirror(g, p);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(double[] x, int[] rows, int start, int end, int p, double[] mean, double[] invScale, double[]? y, double[] g, double[]? xty)
    {
        const int Chunk = 128;
        var buffer = new double[Chunk * p];
        for (int i0 = start; i0 < end; i0 += Chunk)
        {
            int m = Math.Min(Chunk, end - i0);
            for (int r = 0; r < m; r++)
            {
                int src = rows[i0 + r] * p, dst = r * p;
                for (int j = 0; j < p; j++) buffer[dst + j] = (x[src + j] - mean[j]) * invScale[j];
                if (xty is not null && y![i0 + r] != 0)
                    Axpy.Compute(y[i0 + r], buffer.AsSpan(dst, p), xty);
            }
            AccumulateUpper(buffer, 0, m, p, g);
        }
    }

    private static void Mirror(Span<double> g, int p)
    {
        for (int j = 0; j < p; j++)
            for (int k = j + 1; k < p; k++)
                g[k * p + j] = g[j * p + k];
    }

    /// <summary>Adds rows [start, end) of X into the upper triangle (k ≥ j, tile-rounded) of g.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AccumulateUpper(double[] x, int start, int end, int p, double[] g)
    {
        const int Chunk = 128;
        fixed (double* px = x, pg = g)
        {
            for (int i0 = start; i0 < end; i0 += Chunk)
            {
                int i1 = Math.Min(end, i0 + Chunk);
                int j = 0;
                if (Vector512.IsHardwareAccelerated)
                {
                    for (; j + 4 <= p; j += 4)
                    {
                        int k = j & ~15;
                        for (; k + 16 <= p; k += 16) Tile4x16(px, p, i0, i1, j, k, pg);
                        for (; k < p; k++) Tile4x1(px, p, i0, i1, j, k, pg);
                    }
                }
                else if (Vector256.IsHardwareAccelerated)
                {
                    for (; j + 4 <= p; j += 4)
                    {
                        int k = j & ~7;
                        for (; k + 8 <= p; k += 8) Tile4x8(px, p, i0, i1, j, k, pg);
                        for (; k < p; k++) Tile4x1(px, p, i0, i1, j, k, pg);
                    }
                }
                // Remaining rows of G (all of them without SIMD): row-wise rank-1 updates, contiguous in memory.
                if (j < p)
                {
                    for (int i = i0; i < i1; i++)
                    {
                        double* row = px + (long)i * p;
                        for (int jj = j; jj < p; jj++)
                        {
                            double a = row[jj];
                            double* gj = pg + jj * p;
                            for (int k = jj; k < p; k++) gj[k] += a * row[k];
                        }
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tile4x8(double* x, int p, int i0, int i1, int j, int k, double* g)
    {
        Vector256<double> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector256<double> a20 = default, a21 = default, a30 = default, a31 = default;
        double* row = x + (long)i0 * p;
        for (int i = i0; i < i1; i++, row += p)
        {
            var b0 = Vector256.Load(row + k);
            var b1 = Vector256.Load(row + k + 4);
            var s0 = Vector256.Create(row[j]);
            a00 = Vector256.FusedMultiplyAdd(s0, b0, a00);
            a01 = Vector256.FusedMultiplyAdd(s0, b1, a01);
            var s1 = Vector256.Create(row[j + 1]);
            a10 = Vector256.FusedMultiplyAdd(s1, b0, a10);
            a11 = Vector256.FusedMultiplyAdd(s1, b1, a11);
            var s2 = Vector256.Create(row[j + 2]);
            a20 = Vector256.FusedMultiplyAdd(s2, b0, a20);
            a21 = Vector256.FusedMultiplyAdd(s2, b1, a21);
            var s3 = Vector256.Create(row[j + 3]);
            a30 = Vector256.FusedMultiplyAdd(s3, b0, a30);
            a31 = Vector256.FusedMultiplyAdd(s3, b1, a31);
        }
        double* g0 = g + j * p + k;
        (Vector256.Load(g0) + a00).Store(g0);
        (Vector256.Load(g0 + 4) + a01).Store(g0 + 4);
        g0 += p;
        (Vector256.Load(g0) + a10).Store(g0);
        (Vector256.Load(g0 + 4) + a11).Store(g0 + 4);
        g0 += p;
        (Vector256.Load(g0) + a20).Store(g0);
        (Vector256.Load(g0 + 4) + a21).Store(g0 + 4);
        g0 += p;
        (Vector256.Load(g0) + a30).Store(g0);
        (Vector256.Load(g0 + 4) + a31).Store(g0 + 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tile4x16(double* x, int p, int i0, int i1, int j, int k, double* g)
    {
        Vector512<double> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector512<double> a20 = default, a21 = default, a30 = default, a31 = default;
        double* row = x + (long)i0 * p;
        for (int i = i0; i < i1; i++, row += p)
        {
            var b0 = Vector512.Load(row + k);
            var b1 = Vector512.Load(row + k + 8);
            var s0 = Vector512.Create(row[j]);
            a00 = Vector512.FusedMultiplyAdd(s0, b0, a00);
            a01 = Vector512.FusedMultiplyAdd(s0, b1, a01);
            var s1 = Vector512.Create(row[j + 1]);
            a10 = Vector512.FusedMultiplyAdd(s1, b0, a10);
            a11 = Vector512.FusedMultiplyAdd(s1, b1, a11);
            var s2 = Vector512.Create(row[j + 2]);
            a20 = Vector512.FusedMultiplyAdd(s2, b0, a20);
            a21 = Vector512.FusedMultiplyAdd(s2, b1, a21);
            var s3 = Vector512.Create(row[j + 3]);
            a30 = Vector512.FusedMultiplyAdd(s3, b0, a30);
            a31 = Vector512.FusedMultiplyAdd(s3, b1, a31);
        }
        double* g0 = g + j * p + k;
        (Vector512.Load(g0) + a00).Store(g0);
        (Vector512.Load(g0 + 8) + a01).Store(g0 + 8);
        g0 += p;
        (Vector512.Load(g0) + a10).Store(g0);
        (Vector512.Load(g0 + 8) + a11).Store(g0 + 8);
        g0 += p;
        (Vector512.Load(g0) + a20).Store(g0);
        (Vector512.Load(g0 + 8) + a21).Store(g0 + 8);
        g0 += p;
        (Vector512.Load(g0) + a30).Store(g0);
        (Vector512.Load(g0 + 8) + a31).Store(g0 + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tile4x1(double* x, int p, int i0, int i1, int j, int k, double* g)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        double* row = x + (long)i0 * p;
        for (int i = i0; i < i1; i++, row += p)
        {
            double b = row[k];
            s0 += row[j] * b; s1 += row[j + 1] * b; s2 += row[j + 2] * b; s3 += row[j + 3] * b;
        }
        g[j * p + k] += s0; g[(j + 1) * p + k] += s1; g[(j + 2) * p + k] += s2; g[(j + 3) * p + k] += s3;
    }
}
