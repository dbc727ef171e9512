using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// Centres, scales and transposes a block of selected rows of a row-major matrix into column-major order (the linear
/// solvers' copy X̃ of X):
///
///     dst[j·n + i] = (x[rows[i]·stride + offset + j] − mean[j]) · inv[j]        i &lt; n = rows.Length, j &lt; width
///
/// one subtraction and one multiplication per cell, each rounded, in every version, so the vector versions agree with
/// <see cref="Scalar"/> bit for bit.
/// </summary>
internal static class ScaledTranspose
{
    public static void Scalar(ReadOnlySpan<double> x, int stride, ReadOnlySpan<int> rows, int offset, int width,
        ReadOnlySpan<double> mean, ReadOnlySpan<double> inv, Span<double> dst)
    {
        int n = rows.Length;
        Debug.Assert(mean.Length >= width && inv.Length >= width && dst.Length >= (long)width * n);
        for (int i = 0; i < n; i++)
        {
            var row = x.Slice(rows[i] * stride + offset, width);
            for (int j = 0; j < width; j++) dst[j * n + i] = (row[j] - mean[j]) * inv[j];
        }
    }

    /// <summary>
    /// Tiles of 8 rows × 8 columns (AVX-512: eight row loads, the centring on whole vectors, a register transpose by
    /// three rounds of two-source permutes, eight column stores of 64 bytes) or 4 × 4 (AVX: unpacks and 128-bit lane
    /// permutes); the columns past the last full tile and the rows past the last full group in scalar.
    /// </summary>
    public static void Compute(ReadOnlySpan<double> x, int stride, ReadOnlySpan<int> rows, int offset, int width,
        ReadOnlySpan<double> mean, ReadOnlySpan<double> inv, Span<double> dst) =>
        Compute(x, stride, rows, offset, width, mean, inv, dst, Simd.Widest);

    /// <summary>The same with tiles no wider than <paramref name="widest"/> (tests force each width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Compute(ReadOnlySpan<double> x, int stride, ReadOnlySpan<int> rows, int offset, int width,
        ReadOnlySpan<double> mean, ReadOnlySpan<double> inv, Span<double> dst, VectorWidth widest)
    {
        int n = rows.Length;
        Debug.Assert(mean.Length >= width && inv.Length >= width && dst.Length >= (long)width * n);
        int tile = widest >= VectorWidth.V512 && Avx512F.IsSupported ? 8 : widest >= VectorWidth.V256 && Avx.IsSupported ? 4 : 1;
        if (tile == 1 || n < tile || width < tile)
        {
            Scalar(x, stride, rows, offset, width, mean, inv, dst);
            return;
        }
        foreach (int r in rows) Debug.Assert(r >= 0 && (long)r * stride + offset + width <= x.Length);
        int full = width - width % tile;
        fixed (double* px = x, pm = mean, pi = inv, pd = dst)
        fixed (int* pr = rows)
        {
            int i = 0;
            for (; i + tile <= n; i += tile)
            {
                if (tile == 8) Tiles8(px, stride, pr + i, offset, full, pm, pi, pd + i, n);
                else Tiles4(px, stride, pr + i, offset, full, pm, pi, pd + i, n);
                for (int k = i; k < i + tile; k++)
                {
                    double* row = px + (long)pr[k] * stride + offset;
                    for (int j = full; j < width; j++) pd[(long)j * n + k] = (row[j] - pm[j]) * pi[j];
                }
            }
            for (; i < n; i++)
            {
                double* row = px + (long)pr[i] * stride + offset;
                for (int j = 0; j < width; j++) pd[(long)j * n + i] = (row[j] - pm[j]) * pi[j];
            }
        }
    }

    /// <summary>Rows r[0..8) × columns [0, full) (full a multiple of 8) into d[j·n + k].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tiles8(double* x, int stride, int* r, int offset, int full, double* m, double* inv, double* d, int n)
    {
        double* r0 = x + (long)r[0] * stride + offset, r1 = x + (long)r[1] * stride + offset;
        double* r2 = x + (long)r[2] * stride + offset, r3 = x + (long)r[3] * stride + offset;
        double* r4 = x + (long)r[4] * stride + offset, r5 = x + (long)r[5] * stride + offset;
        double* r6 = x + (long)r[6] * stride + offset, r7 = x + (long)r[7] * stride + offset;
        // Round 1 interleaves pairs of rows, round 2 pairs of pairs, round 3 the two halves: column c of the tile is
        // (r0[c], …, r7[c]). Index k < 8 picks the first source's element k, k ≥ 8 the second's element k − 8.
        var lo1 = Vector512.Create(0L, 8, 1, 9, 2, 10, 3, 11);
        var hi1 = Vector512.Create(4L, 12, 5, 13, 6, 14, 7, 15);
        var lo2 = Vector512.Create(0L, 1, 8, 9, 2, 3, 10, 11);
        var hi2 = Vector512.Create(4L, 5, 12, 13, 6, 7, 14, 15);
        var lo3 = Vector512.Create(0L, 1, 2, 3, 8, 9, 10, 11);
        var hi3 = Vector512.Create(4L, 5, 6, 7, 12, 13, 14, 15);
        for (int j = 0; j < full; j += 8)
        {
            var mj = Vector512.Load(m + j);
            var ij = Vector512.Load(inv + j);
            var a0 = (Vector512.Load(r0 + j) - mj) * ij;
            var a1 = (Vector512.Load(r1 + j) - mj) * ij;
            var a2 = (Vector512.Load(r2 + j) - mj) * ij;
            var a3 = (Vector512.Load(r3 + j) - mj) * ij;
            var a4 = (Vector512.Load(r4 + j) - mj) * ij;
            var a5 = (Vector512.Load(r5 + j) - mj) * ij;
            var a6 = (Vector512.Load(r6 + j) - mj) * ij;
            var a7 = (Vector512.Load(r7 + j) - mj) * ij;
            var b0 = Avx512F.PermuteVar8x64x2(a0, lo1, a1); // r0_0 r1_0 r0_1 r1_1 r0_2 r1_2 r0_3 r1_3
            var b1 = Avx512F.PermuteVar8x64x2(a0, hi1, a1); // columns 4 … 7
            var b2 = Avx512F.PermuteVar8x64x2(a2, lo1, a3);
            var b3 = Avx512F.PermuteVar8x64x2(a2, hi1, a3);
            var b4 = Avx512F.PermuteVar8x64x2(a4, lo1, a5);
            var b5 = Avx512F.PermuteVar8x64x2(a4, hi1, a5);
            var b6 = Avx512F.PermuteVar8x64x2(a6, lo1, a7);
            var b7 = Avx512F.PermuteVar8x64x2(a6, hi1, a7);
            var c0 = Avx512F.PermuteVar8x64x2(b0, lo2, b2); // r0_0 r1_0 r2_0 r3_0 r0_1 r1_1 r2_1 r3_1
            var c1 = Avx512F.PermuteVar8x64x2(b0, hi2, b2); // columns 2, 3 of rows 0 … 3
            var c2 = Avx512F.PermuteVar8x64x2(b1, lo2, b3); // columns 4, 5
            var c3 = Avx512F.PermuteVar8x64x2(b1, hi2, b3); // columns 6, 7
            var c4 = Avx512F.PermuteVar8x64x2(b4, lo2, b6); // the same for rows 4 … 7
            var c5 = Avx512F.PermuteVar8x64x2(b4, hi2, b6);
            var c6 = Avx512F.PermuteVar8x64x2(b5, lo2, b7);
            var c7 = Avx512F.PermuteVar8x64x2(b5, hi2, b7);
            double* dj = d + (long)j * n;
            Avx512F.PermuteVar8x64x2(c0, lo3, c4).Store(dj);
            Avx512F.PermuteVar8x64x2(c0, hi3, c4).Store(dj + n);
            Avx512F.PermuteVar8x64x2(c1, lo3, c5).Store(dj + 2 * n);
            Avx512F.PermuteVar8x64x2(c1, hi3, c5).Store(dj + 3 * n);
            Avx512F.PermuteVar8x64x2(c2, lo3, c6).Store(dj + 4 * n);
            Avx512F.PermuteVar8x64x2(c2, hi3, c6).Store(dj + 5 * n);
            Avx512F.PermuteVar8x64x2(c3, lo3, c7).Store(dj + 6 * n);
            Avx512F.PermuteVar8x64x2(c3, hi3, c7).Store(dj + 7 * n);
        }
    }

    /// <summary>Rows r[0..4) × columns [0, full) (full a multiple of 4) into d[j·n + k].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tiles4(double* x, int stride, int* r, int offset, int full, double* m, double* inv, double* d, int n)
    {
        double* r0 = x + (long)r[0] * stride + offset, r1 = x + (long)r[1] * stride + offset;
        double* r2 = x + (long)r[2] * stride + offset, r3 = x + (long)r[3] * stride + offset;
        for (int j = 0; j < full; j += 4)
        {
            var mj = Vector256.Load(m + j);
            var ij = Vector256.Load(inv + j);
            var a0 = (Vector256.Load(r0 + j) - mj) * ij;
            var a1 = (Vector256.Load(r1 + j) - mj) * ij;
            var a2 = (Vector256.Load(r2 + j) - mj) * ij;
            var a3 = (Vector256.Load(r3 + j) - mj) * ij;
            var t0 = Avx.UnpackLow(a0, a1);  // r0_0 r1_0 r0_2 r1_2
            var t1 = Avx.UnpackHigh(a0, a1); // r0_1 r1_1 r0_3 r1_3
            var t2 = Avx.UnpackLow(a2, a3);
            var t3 = Avx.UnpackHigh(a2, a3);
            double* dj = d + (long)j * n;
            Avx.Permute2x128(t0, t2, 0x20).Store(dj);         // r0_0 r1_0 r2_0 r3_0
            Avx.Permute2x128(t1, t3, 0x20).Store(dj + n);
            Avx.Permute2x128(t0, t2, 0x31).Store(dj + 2 * n);
            Avx.Permute2x128(t1, t3, 0x31).Store(dj + 3 * n);
        }
    }
}
