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
/// matrix, in the epoch's shuffled order). The rows are a line source (<see cref="IGemmLines{TSelf}"/>): float32 rows
/// (<see cref="IndexedLines"/>) or unsigned-byte rows standardized as they are read (<see cref="IndexedByteLines"/>: the
/// floats of the float32 matrix, which then is never built).
/// </summary>
internal static unsafe class GemmPackingRows
{
    /// <summary>
    /// <see cref="GemmPacking.PackA"/> for op(A) rows <c>a + rows[i]·lda</c>, i &lt; mc (<paramref name="a"/> points at
    /// the block's first column): <c>dst[panel·MR·kc + p·MR + i] = a[rows[panel·MR + i]·lda + p]</c>, rows past mc zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PackA(float* dst, float* a, int* rows, nint lda, int mc, int kc, int mr) =>
        PackA(dst, new IndexedLines(a, rows, lda), mc, kc, mr);

    /// <summary>
    /// <see cref="GemmPacking.PackA"/> for op(A) row i = line i of <paramref name="lines"/>, i &lt; mc:
    /// <c>dst[panel·MR·kc + p·MR + i] = line (panel·MR + i)'s value p</c>, rows past mc zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<TLines>(float* dst, TLines lines, int mc, int kc, int mr) where TLines : struct, IGemmLines<TLines>
    {
        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int valid = Math.Min(mr, mc - i0);
            if ((mr & 7) == 0 && Avx.IsSupported)
            {
                GemmPacking.PackTransposed(dst, lines.Skip(i0), kc, mr, valid);
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* d = dst + p * mr;
                    int i = 0;
                    for (; i < valid; i++) d[i] = lines.Load(i0 + i, p);
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PackB(float* dst, float* b, int* rows, nint ldb, int kc, int nc, int nr, int q0, int q1, nint panelStride) =>
        PackB(dst, new IndexedLines(b, rows, ldb), kc, nc, nr, q0, q1, panelStride);

    /// <summary>
    /// <see cref="GemmPacking.PackB"/> (row-major B) for op(B) row p = line p of <paramref name="lines"/>, p &lt; kc:
    /// <c>dst[q·panelStride + p·NR + j] = line p's value q·NR + j</c>, columns past nc zero, micro-panels
    /// <paramref name="q0"/>..<paramref name="q1"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<TLines>(float* dst, TLines lines, int kc, int nc, int nr, int q0, int q1, nint panelStride) where TLines : struct, IGemmLines<TLines>
    {
        Debug.Assert(q0 >= 0 && q1 * nr - nr < nc);
        for (int q = q0; q < q1; q++)
        {
            int j0 = q * nr;
            int cols = Math.Min(nr, nc - j0);
            float* d = dst + q * panelStride;
            if (cols == nr && (nr & 7) == 0 && Avx.IsSupported)
            {
                for (int p = 0; p < kc; p++)
                {
                    for (int j = 0; j < nr; j += 8) lines.Load8(p, j0 + j).Store(d + j);
                    d += nr;
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    int j = 0;
                    for (; j < cols; j++) d[j] = lines.Load(p, j0 + j);
                    for (; j < nr; j++) d[j] = 0;
                    d += nr;
                }
            }
        }
    }
}
