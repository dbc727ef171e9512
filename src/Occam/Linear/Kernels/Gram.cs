using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Linear.Kernels;

/// <summary>
/// Gram matrix kernel: <c>G = Xᵀ X</c> for a row-major <c>n × p</c> matrix <c>X</c>, written as a full
/// symmetric row-major <c>p × p</c> matrix. <c>G[j,k] = Σᵢ X[i,j]·X[i,k]</c>.
/// </summary>
/// <remarks>
/// The SIMD version walks row chunks of X and updates 4 × 16 tiles of the upper triangle of G with
/// register accumulators (one broadcast of X[i,j] times a 16-wide load of X[i,k..k+15]); the lower
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

    /// <summary>Vectorized and (for large problems) two-way parallel version of <see cref="ComputeScalar"/>.</summary>
    public static void Compute(double[] x, int n, int p, double[] g)
    {
        Debug.Assert(x.Length >= n * p && g.Length >= p * p);
        Array.Clear(g, 0, p * p);
        int threads = Math.Min(Environment.ProcessorCount, 8);
        double work = (double)n * p * p;
        if (threads < 2 || work < 4e6 || n < 256)
        {
            AccumulateUpper(x, 0, n, p, g);
        }
        else
        {
            var parts = new double[threads][];
            parts[0] = g;
            Parallel.For(0, threads, t =>
            {
                int start = (int)((long)n * t / threads), end = (int)((long)n * (t + 1) / threads);
                var buffer = t == 0 ? g : (parts[t] = new double[p * p]);
                AccumulateUpper(x, start, end, p, buffer);
            });
            for (int t = 1; t < threads; t++)
            {
                var part = parts[t];
                for (int j = 0; j < p; j++)
                {
                    var src = part.AsSpan(j * p + j, p - j);
                    var dst = g.AsSpan(j * p + j, p - j);
                    System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
                }
            }
        }
        Mirror(g, p);
    }

    private static void Mirror(Span<double> g, int p)
    {
        for (int j = 0; j < p; j++)
            for (int k = j + 1; k < p; k++)
                g[k * p + j] = g[j * p + k];
    }

    /// <summary>Adds rows [start, end) of X into the upper triangle (k ≥ j, tile-rounded) of g.</summary>
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
                for (; j < p; j++)
                {
                    for (int k = j; k < p; k++)
                    {
                        double s = 0;
                        for (int i = i0; i < i1; i++) s += px[(long)i * p + j] * px[(long)i * p + k];
                        pg[j * p + k] += s;
                    }
                }
            }
        }
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
