using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics;

/// <summary>
/// Packing of a row-major operand whose rows are read through a row table (<see cref="Gemm.MultiplyRows"/>): op(A)(i, p)
/// = <c>a[rows[i]·lda + p]</c> (A not transposed), op(B)(p, j) = <c>b[rows[p]·ldb + j]</c> (B not transposed). The packed
/// layouts are exactly those of <see cref="GemmPacking.PackA"/> and <see cref="GemmPacking.PackB"/> on the gathered rows
/// (<c>g[i·ld + p] = a[rows[i]·ld + p]</c>): the same values in the same places, so the product is the same bits as the
/// product of the gathered copy, without the copy (a training step reads its batch rows straight from the training
/// matrix, in the epoch's shuffled order).
/// </summary>
internal static unsafe class GemmPackingRows
{
    /// <summary>
    /// <see cref="GemmPacking.PackA"/> for op(A) rows <c>a + rows[i]·lda</c>, i &lt; mc (<paramref name="a"/> points at
    /// the block's first column): <c>dst[panel·MR·kc + p·MR + i] = a[rows[panel·MR + i]·lda + p]</c>, rows past mc zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(float* dst, float* a, int* rows, nint lda, int mc, int kc, int mr)
    {
        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int valid = Math.Min(mr, mc - i0);
            if ((mr & 7) == 0 && Avx.IsSupported)
            {
                PackTransposed(dst, a, rows + i0, lda, kc, mr, valid);
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* d = dst + p * mr;
                    int i = 0;
                    for (; i < valid; i++) d[i] = a[rows[i0 + i] * lda + p];
                    for (; i < mr; i++) d[i] = 0;
                }
            }
            dst += mr * kc;
        }
    }

    /// <summary>
    /// <see cref="GemmPacking.PackB"/> (row-major B) for op(B) rows <c>b + rows[p]·ldb</c>, p &lt; kc (<paramref name="b"/>
    /// points at the block's first column): <c>dst[q·panelStride + p·NR + j] = b[rows[p]·ldb + q·NR + j]</c>, columns past
    /// nc zero, micro-panels <paramref name="q0"/>..<paramref name="q1"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(float* dst, float* b, int* rows, nint ldb, int kc, int nc, int nr, int q0, int q1, nint panelStride)
    {
        for (int q = q0; q < q1; q++)
        {
            int j0 = q * nr;
            int cols = Math.Min(nr, nc - j0);
            float* d = dst + q * panelStride;
            if (cols == nr && (nr & 7) == 0 && Vector256.IsHardwareAccelerated)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* s = b + rows[p] * ldb + j0;
                    for (int j = 0; j < nr; j += 8) Vector256.Load(s + j).Store(d + j);
                    d += nr;
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* s = b + rows[p] * ldb + j0;
                    int j = 0;
                    for (; j < cols; j++) d[j] = s[j];
                    for (; j < nr; j++) d[j] = 0;
                    d += nr;
                }
            }
        }
    }

    /// <summary>
    /// <see cref="GemmPacking.PackTransposed"/> with line j at <c>a + rows[j]·ld</c>: <c>d[p·width + j] = a[rows[j]·ld + p]</c>
    /// for j &lt; valid, 0 for valid ≤ j &lt; width, p &lt; kc. Compiled fully optimized at its first call, like its caller:
    /// too large to be inlined into <see cref="PackA"/>, it would otherwise run as tier-0 code (its ReadyToRun code is not
    /// used) through the first hundreds of steps of a published CLI's training run.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposed(float* d, float* a, int* rows, nint ld, int kc, int width, int valid)
    {
        Debug.Assert((width & 7) == 0 && valid >= 1 && valid <= width);
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            for (int g = 0; g < width; g += 8)
            {
                float* o = d + p * width + g;
                int lines = valid - g;
                if (lines <= 0)
                {
                    for (int r = 0; r < 8; r++) Vector256<float>.Zero.Store(o + r * width);
                    continue;
                }
                int* line = rows + g;
                float* src = a + p;
                Vector256<float> r0, r1, r2, r3, r4, r5, r6, r7;
                if (lines >= 8)
                {
                    r0 = Avx.LoadVector256(src + line[0] * ld); r1 = Avx.LoadVector256(src + line[1] * ld);
                    r2 = Avx.LoadVector256(src + line[2] * ld); r3 = Avx.LoadVector256(src + line[3] * ld);
                    r4 = Avx.LoadVector256(src + line[4] * ld); r5 = Avx.LoadVector256(src + line[5] * ld);
                    r6 = Avx.LoadVector256(src + line[6] * ld); r7 = Avx.LoadVector256(src + line[7] * ld);
                }
                else
                {
                    r0 = Line(src, line, ld, 0, lines); r1 = Line(src, line, ld, 1, lines);
                    r2 = Line(src, line, ld, 2, lines); r3 = Line(src, line, ld, 3, lines);
                    r4 = Line(src, line, ld, 4, lines); r5 = Line(src, line, ld, 5, lines);
                    r6 = Line(src, line, ld, 6, lines); r7 = Line(src, line, ld, 7, lines);
                }
                GemmPacking.StoreTransposed(o, width, r0, r1, r2, r3, r4, r5, r6, r7);
            }
        }
        for (; p < kc; p++)
        {
            float* dp = d + p * width;
            int j = 0;
            for (; j < valid; j++) dp[j] = a[rows[j] * ld + p];
            for (; j < width; j++) dp[j] = 0;
        }
    }

    /// <summary>Line r of a partial 8-line block: its 8 floats, or zeros past the last valid line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Line(float* src, int* line, nint ld, int r, int lines) =>
        r < lines ? Avx.LoadVector256(src + line[r] * ld) : Vector256<float>.Zero;
}
