using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// Matrix–vector product of a dense layer on one row, with W read as it is stored, <c>[out][in]</c>:
/// <c>y[j] = b[j] + dot16(W[j, 0..k), x)</c> for the output units j of <c>[start, end)</c>.
/// <para>
/// <c>dot16(w, x)</c> is a fixed summation order (the one 16-lane vector accumulators give): lane
/// <c>l = 0..15</c> accumulates <c>s_l = fma(w[p], x[p], s_l)</c> from +0 over <c>p ≡ l (mod 16)</c>, p &lt; k, in
/// increasing p; the lanes are then added as a tree, <c>t_l = s_l + s_{l+8}</c> (l &lt; 8), <c>u_l = t_l + t_{l+4}</c>
/// (l &lt; 4), <c>v_l = u_l + u_{l+2}</c> (l &lt; 2), <c>dot16 = v_0 + v_1</c>; the bias is added last. The scalar
/// version computes exactly this, so the Vector512 (one vector of 16 per row) and Vector256 (two of 8) versions agree
/// with it bit for bit. It differs from the GEMM's order (one chain per output over k) by rounding only.
/// </para>
/// <para>
/// Memory-bound on large layers (each weight is used once): the vector versions take 8 (Vector512) or 4 (Vector256)
/// output rows per pass, one accumulator chain per row and vector, and load each piece of x once per pass, so that
/// enough independent fused multiply-adds are in flight to keep up with the weight stream.
/// </para>
/// </summary>
internal static unsafe class GemvRows
{
    /// <summary>Lanes of the summation order (<c>dot16</c>).</summary>
    public const int Lanes = 16;

    /// <summary>The fastest accelerated version for this machine.</summary>
    public static void Multiply(ReadOnlySpan<float> w, int ldw, int k, ReadOnlySpan<float> x, ReadOnlySpan<float> bias,
        Span<float> y, int start, int end)
    {
        if (Vector512.IsHardwareAccelerated) MultiplyV512(w, ldw, k, x, bias, y, start, end);
        else if (Vector256.IsHardwareAccelerated) MultiplyV256(w, ldw, k, x, bias, y, start, end);
        else MultiplyScalar(w, ldw, k, x, bias, y, start, end);
    }

    /// <summary>Scalar reference: <c>y[j] = b[j] + dot16(W[j], x)</c> for j in <c>[start, end)</c>.</summary>
    public static void MultiplyScalar(ReadOnlySpan<float> w, int ldw, int k, ReadOnlySpan<float> x, ReadOnlySpan<float> bias,
        Span<float> y, int start, int end)
    {
        Check(w, ldw, k, x, bias, y, start, end);
        Span<float> s = stackalloc float[Lanes];
        for (int j = start; j < end; j++)
        {
            s.Clear();
            var row = w.Slice(j * ldw, k);
            for (int p = 0; p < k; p++) s[p % Lanes] = MathF.FusedMultiplyAdd(row[p], x[p], s[p % Lanes]);
            y[j] = Reduce(s) + bias[j];
        }
    }

    /// <summary>The lane tree of <c>dot16</c> over 16 partial sums.</summary>
    private static float Reduce(Span<float> s)
    {
        for (int l = 0; l < 8; l++) s[l] += s[l + 8];
        for (int l = 0; l < 4; l++) s[l] += s[l + 4];
        for (int l = 0; l < 2; l++) s[l] += s[l + 2];
        return s[0] + s[1];
    }

    /// <summary>Vector512: 8 rows per pass, one 16-lane accumulator each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyV512(ReadOnlySpan<float> w, int ldw, int k, ReadOnlySpan<float> x, ReadOnlySpan<float> bias,
        Span<float> y, int start, int end)
    {
        Check(w, ldw, k, x, bias, y, start, end);
        int body = k / Lanes * Lanes;
        float* lanes = stackalloc float[8 * Lanes];
        fixed (float* pw = w, px = x, pb = bias, py = y)
        {
            int j = start;
            // Rows 64-byte aligned relative to each other (ldw a multiple of 16) but not to the line: aligned loads,
            // realigned in registers (each line is loaded once instead of split across two loads).
            int misaligned = (int)(((nint)(pw + (nint)j * ldw) & 63) >> 2);
            if (Avx512F.IsSupported && ldw % Lanes == 0 && misaligned != 0 && k >= Lanes && j + 8 <= end)
                j = MultiplyRealigned(pw, ldw, k, px, pb, py, j, end, misaligned);
            for (; j + 8 <= end; j += 8)
            {
                float* w0 = pw + (nint)j * ldw;
                nint ld = ldw;
                Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                Vector512<float> s4 = default, s5 = default, s6 = default, s7 = default;
                for (int p = 0; p < body; p += Lanes)
                {
                    var xv = Vector512.Load(px + p);
                    float* wp = w0 + p;
                    s0 = Vector512.FusedMultiplyAdd(Vector512.Load(wp), xv, s0);
                    s1 = Vector512.FusedMultiplyAdd(Vector512.Load(wp + ld), xv, s1);
                    s2 = Vector512.FusedMultiplyAdd(Vector512.Load(wp + 2 * ld), xv, s2);
                    s3 = Vector512.FusedMultiplyAdd(Vector512.Load(wp + 3 * ld), xv, s3);
                    s4 = Vector512.FusedMultiplyAdd(Vector512.Load(wp + 4 * ld), xv, s4);
                    s5 = Vector512.FusedMultiplyAdd(Vector512.Load(wp + 5 * ld), xv, s5);
                    s6 = Vector512.FusedMultiplyAdd(Vector512.Load(wp + 6 * ld), xv, s6);
                    s7 = Vector512.FusedMultiplyAdd(Vector512.Load(wp + 7 * ld), xv, s7);
                }
                if (body == k)
                {
                    py[j] = Reduce(s0) + pb[j]; py[j + 1] = Reduce(s1) + pb[j + 1];
                    py[j + 2] = Reduce(s2) + pb[j + 2]; py[j + 3] = Reduce(s3) + pb[j + 3];
                    py[j + 4] = Reduce(s4) + pb[j + 4]; py[j + 5] = Reduce(s5) + pb[j + 5];
                    py[j + 6] = Reduce(s6) + pb[j + 6]; py[j + 7] = Reduce(s7) + pb[j + 7];
                    continue;
                }
                s0.Store(lanes); s1.Store(lanes + 16); s2.Store(lanes + 32); s3.Store(lanes + 48);
                s4.Store(lanes + 64); s5.Store(lanes + 80); s6.Store(lanes + 96); s7.Store(lanes + 112);
                Finish(lanes, 8, w0, ld, px, body, k, pb + j, py + j);
            }
            for (; j < end; j++)
            {
                float* wj = pw + (nint)j * ldw;
                Vector512<float> s = default;
                for (int p = 0; p < body; p += Lanes)
                    s = Vector512.FusedMultiplyAdd(Vector512.Load(wj + p), Vector512.Load(px + p), s);
                s.Store(lanes);
                Finish(lanes, 1, wj, ldw, px, body, k, pb + j, py + j);
            }
        }
    }

    /// <summary>
    /// The 8-row passes of <see cref="MultiplyV512"/> for rows that start <paramref name="misaligned"/> (1..15) floats
    /// past a 64-byte line: each row is read with aligned loads from the line before it, and the 16 values of a step
    /// are taken from two consecutive aligned vectors with one two-source permute (the same values as an unaligned
    /// load, so the same sums). Reading starts at most 60 bytes before a row and ends inside its last line, never in
    /// another page. Returns the first row it did not do.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int MultiplyRealigned(float* pw, int ldw, int k, float* px, float* pb, float* py, int j, int end, int misaligned)
    {
        Debug.Assert(misaligned is > 0 and < Lanes && ldw % Lanes == 0);
        int body = k / Lanes * Lanes;
        float* lanes = stackalloc float[8 * Lanes];
        var idx = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) + Vector512.Create(misaligned);
        nint ld = ldw;
        for (; j + 8 <= end; j += 8)
        {
            float* w0 = pw + (nint)j * ldw;
            float* a = w0 - misaligned;
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
            Vector512<float> s4 = default, s5 = default, s6 = default, s7 = default;
            Vector512<float> l0 = Vector512.LoadAligned(a), l1 = Vector512.LoadAligned(a + ld);
            Vector512<float> l2 = Vector512.LoadAligned(a + 2 * ld), l3 = Vector512.LoadAligned(a + 3 * ld);
            Vector512<float> l4 = Vector512.LoadAligned(a + 4 * ld), l5 = Vector512.LoadAligned(a + 5 * ld);
            Vector512<float> l6 = Vector512.LoadAligned(a + 6 * ld), l7 = Vector512.LoadAligned(a + 7 * ld);
            for (int p = 0; p < body; p += Lanes)
            {
                var xv = Vector512.Load(px + p);
                float* ap = a + p + Lanes;
                Vector512<float> h;
                h = Vector512.LoadAligned(ap); s0 = Vector512.FusedMultiplyAdd(Avx512F.PermuteVar16x32x2(l0, idx, h), xv, s0); l0 = h;
                h = Vector512.LoadAligned(ap + ld); s1 = Vector512.FusedMultiplyAdd(Avx512F.PermuteVar16x32x2(l1, idx, h), xv, s1); l1 = h;
                h = Vector512.LoadAligned(ap + 2 * ld); s2 = Vector512.FusedMultiplyAdd(Avx512F.PermuteVar16x32x2(l2, idx, h), xv, s2); l2 = h;
                h = Vector512.LoadAligned(ap + 3 * ld); s3 = Vector512.FusedMultiplyAdd(Avx512F.PermuteVar16x32x2(l3, idx, h), xv, s3); l3 = h;
                h = Vector512.LoadAligned(ap + 4 * ld); s4 = Vector512.FusedMultiplyAdd(Avx512F.PermuteVar16x32x2(l4, idx, h), xv, s4); l4 = h;
                h = Vector512.LoadAligned(ap + 5 * ld); s5 = Vector512.FusedMultiplyAdd(Avx512F.PermuteVar16x32x2(l5, idx, h), xv, s5); l5 = h;
                h = Vector512.LoadAligned(ap + 6 * ld); s6 = Vector512.FusedMultiplyAdd(Avx512F.PermuteVar16x32x2(l6, idx, h), xv, s6); l6 = h;
                h = Vector512.LoadAligned(ap + 7 * ld); s7 = Vector512.FusedMultiplyAdd(Avx512F.PermuteVar16x32x2(l7, idx, h), xv, s7); l7 = h;
            }
            if (body == k)
            {
                py[j] = Reduce(s0) + pb[j]; py[j + 1] = Reduce(s1) + pb[j + 1];
                py[j + 2] = Reduce(s2) + pb[j + 2]; py[j + 3] = Reduce(s3) + pb[j + 3];
                py[j + 4] = Reduce(s4) + pb[j + 4]; py[j + 5] = Reduce(s5) + pb[j + 5];
                py[j + 6] = Reduce(s6) + pb[j + 6]; py[j + 7] = Reduce(s7) + pb[j + 7];
                continue;
            }
            s0.Store(lanes); s1.Store(lanes + 16); s2.Store(lanes + 32); s3.Store(lanes + 48);
            s4.Store(lanes + 64); s5.Store(lanes + 80); s6.Store(lanes + 96); s7.Store(lanes + 112);
            Finish(lanes, 8, w0, ld, px, body, k, pb + j, py + j);
        }
        return j;
    }

    /// <summary>Vector256: 4 rows per pass, two 8-lane accumulators each (lanes 0–7 and 8–15 of <c>dot16</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyV256(ReadOnlySpan<float> w, int ldw, int k, ReadOnlySpan<float> x, ReadOnlySpan<float> bias,
        Span<float> y, int start, int end)
    {
        Check(w, ldw, k, x, bias, y, start, end);
        int body = k / Lanes * Lanes;
        float* lanes = stackalloc float[8 * Lanes];
        fixed (float* pw = w, px = x, pb = bias, py = y)
        {
            int j = start;
            for (; j + 4 <= end; j += 4)
            {
                float* w0 = pw + (nint)j * ldw;
                nint ld = ldw;
                Vector256<float> a0 = default, b0 = default, a1 = default, b1 = default;
                Vector256<float> a2 = default, b2 = default, a3 = default, b3 = default;
                for (int p = 0; p < body; p += Lanes)
                {
                    var xl = Vector256.Load(px + p);
                    var xh = Vector256.Load(px + p + 8);
                    float* wp = w0 + p;
                    a0 = Vector256.FusedMultiplyAdd(Vector256.Load(wp), xl, a0);
                    b0 = Vector256.FusedMultiplyAdd(Vector256.Load(wp + 8), xh, b0);
                    a1 = Vector256.FusedMultiplyAdd(Vector256.Load(wp + ld), xl, a1);
                    b1 = Vector256.FusedMultiplyAdd(Vector256.Load(wp + ld + 8), xh, b1);
                    a2 = Vector256.FusedMultiplyAdd(Vector256.Load(wp + 2 * ld), xl, a2);
                    b2 = Vector256.FusedMultiplyAdd(Vector256.Load(wp + 2 * ld + 8), xh, b2);
                    a3 = Vector256.FusedMultiplyAdd(Vector256.Load(wp + 3 * ld), xl, a3);
                    b3 = Vector256.FusedMultiplyAdd(Vector256.Load(wp + 3 * ld + 8), xh, b3);
                }
                a0.Store(lanes); b0.Store(lanes + 8); a1.Store(lanes + 16); b1.Store(lanes + 24);
                a2.Store(lanes + 32); b2.Store(lanes + 40); a3.Store(lanes + 48); b3.Store(lanes + 56);
                Finish(lanes, 4, w0, ld, px, body, k, pb + j, py + j);
            }
            for (; j < end; j++)
            {
                float* wj = pw + (nint)j * ldw;
                Vector256<float> a = default, b = default;
                for (int p = 0; p < body; p += Lanes)
                {
                    a = Vector256.FusedMultiplyAdd(Vector256.Load(wj + p), Vector256.Load(px + p), a);
                    b = Vector256.FusedMultiplyAdd(Vector256.Load(wj + p + 8), Vector256.Load(px + p + 8), b);
                }
                a.Store(lanes); b.Store(lanes + 8);
                Finish(lanes, 1, wj, ldw, px, body, k, pb + j, py + j);
            }
        }
    }

    /// <summary>The lane tree of <c>dot16</c> on a vector of 16 lane sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce(Vector512<float> s)
    {
        Vector256<float> t = s.GetLower() + s.GetUpper();
        Vector128<float> u = t.GetLower() + t.GetUpper();
        return (u.GetElement(0) + u.GetElement(2)) + (u.GetElement(1) + u.GetElement(3));
    }

    /// <summary>
    /// Rows <c>j..j+count</c> done: their 16 lane sums, stored one row after the other at <paramref name="lanes"/>, get
    /// the last <c>k − body</c> (&lt; 16) products of each row, then the lane tree and the bias. Scalar, after the
    /// vector loop: the accumulators are stored once before this call, so that no vector stays live across a call
    /// (the JIT would otherwise keep every accumulator in memory inside the loop).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Finish(float* lanes, int count, float* w, nint ldw, float* x, int body, int k, float* bias, float* y)
    {
        for (int r = 0; r < count; r++, lanes += Lanes, w += ldw)
        {
            for (int p = body; p < k; p++) lanes[p - body] = MathF.FusedMultiplyAdd(w[p], x[p], lanes[p - body]);
            for (int l = 0; l < 8; l++) lanes[l] += lanes[l + 8];
            for (int l = 0; l < 4; l++) lanes[l] += lanes[l + 4];
            y[r] = ((lanes[0] + lanes[2]) + (lanes[1] + lanes[3])) + bias[r];
        }
    }

    [Conditional("DEBUG")]
    private static void Check(ReadOnlySpan<float> w, int ldw, int k, ReadOnlySpan<float> x, ReadOnlySpan<float> bias,
        Span<float> y, int start, int end)
    {
        Debug.Assert(k >= 0 && ldw >= k && start >= 0 && start <= end);
        Debug.Assert(x.Length >= k && bias.Length >= end && y.Length >= end);
        Debug.Assert(end == start || w.Length >= (long)(end - 1) * ldw + k);
    }
}
