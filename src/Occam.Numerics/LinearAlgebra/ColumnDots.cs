using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// Dot products of every column of a column-major float matrix with one vector: resultⱼ = Σᵢ x[j·n + i]·uᵢ for
/// j = 0 … x.Length/n − 1 (the coordinate-descent full pass X̃ᵀr in float). Float accumulation; the sums differ from
/// <see cref="Scalar"/> only in order (|error| ≤ γₙ·Σᵢ|xᵢⱼuᵢ| either way, γₙ = n·2⁻²⁴/(1 − n·2⁻²⁴)).
/// </summary>
internal static class ColumnDots
{
    public static void Scalar(ReadOnlySpan<float> x, int n, ReadOnlySpan<float> u, Span<float> result)
    {
        Debug.Assert(u.Length == n && (n == 0 ? result.Length == 0 || x.Length == 0 : x.Length == result.Length * n));
        for (int j = 0; j < result.Length; j++)
        {
            float s = 0;
            for (int i = 0; i < n; i++) s += x[j * n + i] * u[i];
            result[j] = s;
        }
    }

    /// <summary>
    /// Four columns at a time share each load of u (Vector512, or Vector256 without AVX-512): one vector of u, four of X,
    /// four fused multiply-adds; the remainder of each column below the vector width is added in scalar order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Compute(ReadOnlySpan<float> x, int n, ReadOnlySpan<float> u, Span<float> result)
    {
        Debug.Assert(u.Length == n && (n == 0 ? result.Length == 0 || x.Length == 0 : x.Length == result.Length * n));
        int p = result.Length;
        if (n == 0) { result.Clear(); return; }
        if (!Vector256.IsHardwareAccelerated || n < 8) { Scalar(x, n, u, result); return; }
        int j = 0;
        fixed (float* px = x, pu = u, pr = result)
        {
            if (Vector512.IsHardwareAccelerated && n >= 16)
            {
                int full = n & ~15;
                for (; j + 4 <= p; j += 4)
                {
                    float* c0 = px + (long)j * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
                    Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                    for (int i = 0; i < full; i += 16)
                    {
                        var ui = Vector512.Load(pu + i);
                        s0 = Vector512.FusedMultiplyAdd(Vector512.Load(c0 + i), ui, s0);
                        s1 = Vector512.FusedMultiplyAdd(Vector512.Load(c1 + i), ui, s1);
                        s2 = Vector512.FusedMultiplyAdd(Vector512.Load(c2 + i), ui, s2);
                        s3 = Vector512.FusedMultiplyAdd(Vector512.Load(c3 + i), ui, s3);
                    }
                    float t0 = Vector512.Sum(s0), t1 = Vector512.Sum(s1), t2 = Vector512.Sum(s2), t3 = Vector512.Sum(s3);
                    for (int i = full; i < n; i++)
                    {
                        float ui = pu[i];
                        t0 += c0[i] * ui; t1 += c1[i] * ui; t2 += c2[i] * ui; t3 += c3[i] * ui;
                    }
                    pr[j] = t0; pr[j + 1] = t1; pr[j + 2] = t2; pr[j + 3] = t3;
                }
                for (; j < p; j++)
                {
                    float* c0 = px + (long)j * n;
                    Vector512<float> s0 = default;
                    for (int i = 0; i < full; i += 16) s0 = Vector512.FusedMultiplyAdd(Vector512.Load(c0 + i), Vector512.Load(pu + i), s0);
                    float t0 = Vector512.Sum(s0);
                    for (int i = full; i < n; i++) t0 += c0[i] * pu[i];
                    pr[j] = t0;
                }
                return;
            }
            int full8 = n & ~7;
            for (; j + 4 <= p; j += 4)
            {
                float* c0 = px + (long)j * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int i = 0; i < full8; i += 8)
                {
                    var ui = Vector256.Load(pu + i);
                    s0 = Vector256.FusedMultiplyAdd(Vector256.Load(c0 + i), ui, s0);
                    s1 = Vector256.FusedMultiplyAdd(Vector256.Load(c1 + i), ui, s1);
                    s2 = Vector256.FusedMultiplyAdd(Vector256.Load(c2 + i), ui, s2);
                    s3 = Vector256.FusedMultiplyAdd(Vector256.Load(c3 + i), ui, s3);
                }
                float t0 = Vector256.Sum(s0), t1 = Vector256.Sum(s1), t2 = Vector256.Sum(s2), t3 = Vector256.Sum(s3);
                for (int i = full8; i < n; i++)
                {
                    float ui = pu[i];
                    t0 += c0[i] * ui; t1 += c1[i] * ui; t2 += c2[i] * ui; t3 += c3[i] * ui;
                }
                pr[j] = t0; pr[j + 1] = t1; pr[j + 2] = t2; pr[j + 3] = t3;
            }
            for (; j < p; j++)
            {
                float* c0 = px + (long)j * n;
                Vector256<float> s0 = default;
                for (int i = 0; i < full8; i += 8) s0 = Vector256.FusedMultiplyAdd(Vector256.Load(c0 + i), Vector256.Load(pu + i), s0);
                float t0 = Vector256.Sum(s0);
                for (int i = full8; i < n; i++) t0 += c0[i] * pu[i];
                pr[j] = t0;
            }
        }
    }
}
