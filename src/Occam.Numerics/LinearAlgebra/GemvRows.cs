using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
        fixed (float* pw = w, px = x, pb = bias, py = y)
        {
            int j = start;
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
                py[j] = Finish(s0, w0, px, body, k) + pb[j];
                py[j + 1] = Finish(s1, w0 + ld, px, body, k) + pb[j + 1];
                py[j + 2] = Finish(s2, w0 + 2 * ld, px, body, k) + pb[j + 2];
                py[j + 3] = Finish(s3, w0 + 3 * ld, px, body, k) + pb[j + 3];
                py[j + 4] = Finish(s4, w0 + 4 * ld, px, body, k) + pb[j + 4];
                py[j + 5] = Finish(s5, w0 + 5 * ld, px, body, k) + pb[j + 5];
                py[j + 6] = Finish(s6, w0 + 6 * ld, px, body, k) + pb[j + 6];
                py[j + 7] = Finish(s7, w0 + 7 * ld, px, body, k) + pb[j + 7];
            }
            for (; j < end; j++)
            {
                float* wj = pw + (nint)j * ldw;
                Vector512<float> s = default;
                for (int p = 0; p < body; p += Lanes)
                    s = Vector512.FusedMultiplyAdd(Vector512.Load(wj + p), Vector512.Load(px + p), s);
                py[j] = Finish(s, wj, px, body, k) + pb[j];
            }
        }
    }

    /// <summary>Vector256: 4 rows per pass, two 8-lane accumulators each (lanes 0–7 and 8–15 of <c>dot16</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyV256(ReadOnlySpan<float> w, int ldw, int k, ReadOnlySpan<float> x, ReadOnlySpan<float> bias,
        Span<float> y, int start, int end)
    {
        Check(w, ldw, k, x, bias, y, start, end);
        int body = k / Lanes * Lanes;
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
                py[j] = Finish(Vector512.Create(a0, b0), w0, px, body, k) + pb[j];
                py[j + 1] = Finish(Vector512.Create(a1, b1), w0 + ld, px, body, k) + pb[j + 1];
                py[j + 2] = Finish(Vector512.Create(a2, b2), w0 + 2 * ld, px, body, k) + pb[j + 2];
                py[j + 3] = Finish(Vector512.Create(a3, b3), w0 + 3 * ld, px, body, k) + pb[j + 3];
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
                py[j] = Finish(Vector512.Create(a, b), wj, px, body, k) + pb[j];
            }
        }
    }

    /// <summary>
    /// The last <c>k − body</c> (&lt; 16) products into their lanes, then the lane tree. (Vector512.Create of two
    /// Vector256 halves and the element accesses below need no AVX-512: they go through memory when it is missing.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(Vector512<float> s, float* w, float* x, int body, int k)
    {
        if (body < k)
        {
            float* lanes = stackalloc float[Lanes];
            s.Store(lanes);
            for (int p = body; p < k; p++) lanes[p - body] = MathF.FusedMultiplyAdd(w[p], x[p], lanes[p - body]);
            s = Vector512.Load(lanes);
        }
        Vector256<float> t = s.GetLower() + s.GetUpper();
        Vector128<float> u = t.GetLower() + t.GetUpper();
        return (u.GetElement(0) + u.GetElement(2)) + (u.GetElement(1) + u.GetElement(3));
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
