using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics;

/// <summary>
/// Packing of A and B blocks into the contiguous, zero-padded layouts the micro-kernels stream.
/// op(A)(i, p) = a[i·rsA + p·csA] and op(B)(p, j) = b[p·rsB + j·csB]: a row-major matrix has
/// (rs, cs) = (ld, 1), its transpose (1, ld).
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs the mc×kc block of op(A) at <paramref name="a"/> into ⌈mc/MR⌉ micro-panels, each kc
    /// columns of MR rows: <c>dst[panel·MR·kc + p·MR + i] = op(A)(panel·MR + i, p)</c>, rows past mc zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(float* dst, float* a, nint rsA, nint csA, int mc, int kc, int mr)
    {
        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int rows = Math.Min(mr, mc - i0);
            float* src = a + i0 * rsA;
            if (csA == 1)
            {
                if (rows == 6 && mr == 6) PackRows6(dst, src, rsA, kc);
                else if ((mr & 7) == 0 && Avx.IsSupported) PackTransposed(dst, src, rsA, kc, mr, rows);
                else
                {
                    for (int i = 0; i < rows; i++)
                    {
                        float* s = src + i * rsA;
                        float* d = dst + i;
                        for (int p = 0; p < kc; p++) d[p * mr] = s[p];
                    }
                    ZeroRows(dst, rows, mr, kc);
                }
            }
            else
            {
                Debug.Assert(rsA == 1);
                if (rows == mr && (mr & 7) == 0 && Vector256.IsHardwareAccelerated)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* s = src + p * csA;
                        for (int i = 0; i < mr; i += 8) Vector256.Load(s + i).Store(dst + p * mr + i);
                    }
                    dst += mr * kc;
                    continue;
                }
                for (int p = 0; p < kc; p++)
                {
                    float* s = src + p * csA;
                    float* d = dst + p * mr;
                    int i = 0;
                    for (; i < rows; i++) d[i] = s[i];
                    for (; i < mr; i++) d[i] = 0;
                }
            }
            dst += mr * kc;
        }
    }

    /// <summary>Six row-major rows interleaved column by column: the hot case of a non-transposed A.</summary>
    private static void PackRows6(float* d, float* s, nint rs, int kc)
    {
        float* s0 = s, s1 = s + rs, s2 = s + 2 * rs, s3 = s + 3 * rs, s4 = s + 4 * rs, s5 = s + 5 * rs;
        for (int p = 0; p < kc; p++)
        {
            d[0] = s0[p]; d[1] = s1[p]; d[2] = s2[p]; d[3] = s3[p]; d[4] = s4[p]; d[5] = s5[p];
            d += 6;
        }
    }

    private static void ZeroRows(float* dst, int rows, int mr, int kc)
    {
        if (rows == mr) return;
        for (int p = 0; p < kc; p++)
            for (int i = rows; i < mr; i++) dst[p * mr + i] = 0;
    }

    /// <summary>
    /// Packs micro-panels <paramref name="q0"/>..<paramref name="q1"/> of the kc×nc block of op(B)
    /// at <paramref name="b"/>: <c>dst[q·panelStride + p·NR + j] = op(B)(p, q·NR + j)</c>, columns
    /// past nc zero. The panel stride is fixed for the whole product (NR·min(KC, k)), so a thread
    /// re-packing its own panels for the next, shorter k block never touches another thread's panels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(float* dst, float* b, nint rsB, nint csB, int kc, int nc, int nr, int q0, int q1, nint panelStride)
    {
        if (csB == 1 && RowOrderB && nr == 32 && Vector512.IsHardwareAccelerated)
        {
            // Whole panels row by row: each row of op(B) is read once, as one sequential run across the panels (instead of
            // one 128-byte piece per row per panel, a strided walk the prefetchers follow poorly from L3).
            int whole = Math.Min(q1, nc / nr);
            if (whole > q0)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* s = b + p * rsB + q0 * nr;
                    float* d = dst + q0 * panelStride + p * nr;
                    for (int q = q0; q < whole; q++, s += nr, d += panelStride)
                    {
                        Vector512.Load(s).Store(d);
                        Vector512.Load(s + 16).Store(d + 16);
                    }
                }
                q0 = whole;
            }
        }
        for (int q = q0; q < q1; q++)
        {
            int j0 = q * nr;
            int cols = Math.Min(nr, nc - j0);
            float* d = dst + q * panelStride;
            if (csB == 1)
            {
                float* src = b + j0;
                if (cols == nr && (nr & 7) == 0 && Vector256.IsHardwareAccelerated)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* s = src + p * rsB;
                        for (int j = 0; j < nr; j += 8) Vector256.Load(s + j).Store(d + j);
                        d += nr;
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* s = src + p * rsB;
                        int j = 0;
                        for (; j < cols; j++) d[j] = s[j];
                        for (; j < nr; j++) d[j] = 0;
                        d += nr;
                    }
                }
            }
            else if ((nr & 7) == 0 && Avx.IsSupported)
            {
                Debug.Assert(rsB == 1);
                PackTransposed(d, b + j0 * csB, csB, kc, nr, cols);
            }
            else
            {
                Debug.Assert(rsB == 1);
                for (int j = 0; j < cols; j++)
                {
                    float* s = b + (j0 + j) * csB;
                    float* dj = d + j;
                    for (int p = 0; p < kc; p++) dj[p * nr] = s[p];
                }
                if (cols < nr)
                    for (int p = 0; p < kc; p++)
                        for (int j = cols; j < nr; j++) d[p * nr + j] = 0;
            }
        }
    }

    /// <summary>
    /// True (default): <see cref="PackB"/> copies the whole NR = 32 panels of a row-major op(B) row by row (one sequential
    /// run per row across the panels). The same floats in the same places; settable for the bench's A/B.
    /// </summary>
    internal static bool RowOrderB { get; set; } = true;

    /// <summary>
    /// A panel of <paramref name="width"/> (a multiple of 8) interleaved lines read from <paramref name="valid"/>
    /// source lines of stride <paramref name="stride"/>: <c>d[p·width + j] = s[j·stride + p]</c> for j &lt; valid, 0 for
    /// valid ≤ j &lt; width, p &lt; kc. This is both a transposed B panel (lines = columns of op(B), width NR) and a
    /// row-major A panel (lines = rows of op(A), width MR). Blocks of 8 k steps × 8 lines are loaded as 8 contiguous
    /// line pieces and transposed in registers (unpack, shuffle, 128-bit permute) instead of 8 strided scalar stores
    /// per k step; missing lines are zero vectors. The same values as the scalar loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void PackTransposed(float* d, float* s, nint stride, int kc, int width, int valid) =>
        PackTransposed<StridedLines, NoCheck>(d, new StridedLines(s, stride), kc, width, valid);

    /// <summary>
    /// <see cref="PackTransposed(float*, float*, nint, int, int, int)"/> with value p of line j read by <paramref name="lines"/>:
    /// <c>d[p·width + j] = line j's value p</c> for j &lt; valid, 0 for valid ≤ j &lt; width, p &lt; kc (strided lines, or
    /// rows read through a row table by <see cref="GemmPackingRows.PackA{TLines}"/>, float32 or standardized bytes).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void PackTransposed<TLines>(float* d, TLines lines, int kc, int width, int valid) where TLines : struct, IGemmLines<TLines> =>
        PackTransposed<TLines, NoCheck>(d, lines, kc, width, valid);

    /// <summary>
    /// <see cref="PackTransposed{TLines}"/>, and with <typeparamref name="TCheck"/> = <see cref="FiniteCheck"/> also
    /// whether every value it packed is finite: the loaded vectors times zero are summed into one accumulator
    /// (v·0 is ±0 for a finite v, NaN for ±∞ and NaN, and sums of zeros stay zero), so the check reads nothing more
    /// and never reports a finite value. With <see cref="NoCheck"/> the check is compiled out and the result is true.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool PackTransposed<TLines, TCheck>(float* d, TLines lines, int kc, int width, int valid)
        where TLines : struct, IGemmLines<TLines> where TCheck : struct
    {
        Debug.Assert((width & 7) == 0 && valid >= 1 && valid <= width);
        var zeros = Vector256<float>.Zero;
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            for (int g = 0; g < width; g += 8)
            {
                float* o = d + p * width + g;
                int count = valid - g;
                if (count <= 0)
                {
                    for (int r = 0; r < 8; r++) Vector256<float>.Zero.Store(o + r * width);
                    continue;
                }
                Vector256<float> r0, r1, r2, r3, r4, r5, r6, r7;
                if (count >= 8)
                {
                    r0 = lines.Load8(g, p); r1 = lines.Load8(g + 1, p);
                    r2 = lines.Load8(g + 2, p); r3 = lines.Load8(g + 3, p);
                    r4 = lines.Load8(g + 4, p); r5 = lines.Load8(g + 5, p);
                    r6 = lines.Load8(g + 6, p); r7 = lines.Load8(g + 7, p);
                }
                else
                {
                    r0 = Line(lines, g, 0, count, p); r1 = Line(lines, g, 1, count, p);
                    r2 = Line(lines, g, 2, count, p); r3 = Line(lines, g, 3, count, p);
                    r4 = Line(lines, g, 4, count, p); r5 = Line(lines, g, 5, count, p);
                    r6 = Line(lines, g, 6, count, p); r7 = Line(lines, g, 7, count, p);
                }
                if (typeof(TCheck) == typeof(FiniteCheck))
                {
                    var z = Vector256<float>.Zero;
                    zeros += (Vector256.FusedMultiplyAdd(r0, z, r1 * z) + Vector256.FusedMultiplyAdd(r2, z, r3 * z))
                        + (Vector256.FusedMultiplyAdd(r4, z, r5 * z) + Vector256.FusedMultiplyAdd(r6, z, r7 * z));
                }
                StoreTransposed(o, width, r0, r1, r2, r3, r4, r5, r6, r7);
            }
        }
        float tail = 0f;
        for (; p < kc; p++)
        {
            float* dp = d + p * width;
            int j = 0;
            for (; j < valid; j++)
            {
                float v = lines.Load(j, p);
                if (typeof(TCheck) == typeof(FiniteCheck)) tail += v * 0f;
                dp[j] = v;
            }
            for (; j < width; j++) dp[j] = 0;
        }
        return typeof(TCheck) != typeof(FiniteCheck) || (tail == 0f && Vector256.EqualsAll(zeros, Vector256<float>.Zero));
    }

    /// <summary>
    /// The 8×8 block whose rows are <paramref name="r0"/>..<paramref name="r7"/> (8 k steps of 8 lines), transposed in
    /// registers (unpack, shuffle, 128-bit permute) and stored as 8 rows of a panel: <c>o[p·width + j] = r_j[p]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreTransposed(float* o, int width, Vector256<float> r0, Vector256<float> r1, Vector256<float> r2,
        Vector256<float> r3, Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7)
    {
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(o, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(o + width, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(o + 2 * width, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(o + 3 * width, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(o + 4 * width, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(o + 5 * width, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(o + 6 * width, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(o + 7 * width, Avx.Permute2x128(s3, s7, 0x31));
    }

    /// <summary>Line g + r of a partial 8-line block from k step p: its 8 floats, or zeros past the last valid line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Line<TLines>(TLines lines, int g, int r, int count, int p) where TLines : struct, IGemmLines<TLines> =>
        r < count ? lines.Load8(g + r, p) : Vector256<float>.Zero;
}

/// <summary>A packing routine's type argument: pack only (<see cref="GemmPacking.PackTransposed{TLines, TCheck}"/>).</summary>
internal readonly struct NoCheck;

/// <summary>A packing routine's type argument: pack and report whether every packed value is finite.</summary>
internal readonly struct FiniteCheck;
