using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// Dot products of selected columns of a column-major double matrix with one vector:
/// resultₖ = Σᵢ x[colsₖ·n + i]·uᵢ for k = 0 … cols.Length − 1 (the Gaussian solver's exact gradients x̃ⱼᵀr over its
/// strong set, and Gram columns x̃ⱼᵀx̃ₖ). The vector versions take four columns per load of u and differ from
/// <see cref="Scalar"/> only in summation order (|error| ≤ γₙ·Σᵢ|xᵢuᵢ| either way, γₙ = n·2⁻⁵³/(1 − n·2⁻⁵³)).
/// </summary>
internal static class IndexedColumnDots
{
    public static void Scalar(ReadOnlySpan<double> x, int n, ReadOnlySpan<int> cols, ReadOnlySpan<double> u, Span<double> result)
    {
        Debug.Assert(u.Length >= n && result.Length >= cols.Length);
        for (int k = 0; k < cols.Length; k++)
        {
            var col = x.Slice(cols[k] * n, n);
            double s = 0;
            for (int i = 0; i < n; i++) s += col[i] * u[i];
            result[k] = s;
        }
    }

    /// <summary>
    /// Four columns at a time share each load of u (Vector512, or Vector256 without AVX-512), one accumulator per column;
    /// the rest of each column below the vector width is added in scalar order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Compute(ReadOnlySpan<double> x, int n, ReadOnlySpan<int> cols, ReadOnlySpan<double> u, Span<double> result)
    {
        Debug.Assert(u.Length >= n && result.Length >= cols.Length);
        int m = cols.Length;
        if (!Vector256.IsHardwareAccelerated || n < 8) { Scalar(x, n, cols, u, result); return; }
        for (int k = 0; k < m; k++) Debug.Assert(cols[k] >= 0 && (long)(cols[k] + 1) * n <= x.Length);
        int q = 0;
        fixed (double* px = x, pu = u, pr = result)
        fixed (int* pc = cols)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                int full = n & ~7;
                for (; q + 4 <= m; q += 4)
                {
                    double* c0 = px + (long)pc[q] * n, c1 = px + (long)pc[q + 1] * n, c2 = px + (long)pc[q + 2] * n, c3 = px + (long)pc[q + 3] * n;
                    Vector512<double> s0 = default, s1 = default, s2 = default, s3 = default;
                    for (int i = 0; i < full; i += 8)
                    {
                        var ui = Vector512.Load(pu + i);
                        s0 = Vector512.FusedMultiplyAdd(Vector512.Load(c0 + i), ui, s0);
                        s1 = Vector512.FusedMultiplyAdd(Vector512.Load(c1 + i), ui, s1);
                        s2 = Vector512.FusedMultiplyAdd(Vector512.Load(c2 + i), ui, s2);
                        s3 = Vector512.FusedMultiplyAdd(Vector512.Load(c3 + i), ui, s3);
                    }
                    double t0 = Vector512.Sum(s0), t1 = Vector512.Sum(s1), t2 = Vector512.Sum(s2), t3 = Vector512.Sum(s3);
                    for (int i = full; i < n; i++)
                    {
                        double ui = pu[i];
                        t0 += c0[i] * ui; t1 += c1[i] * ui; t2 += c2[i] * ui; t3 += c3[i] * ui;
                    }
                    pr[q] = t0; pr[q + 1] = t1; pr[q + 2] = t2; pr[q + 3] = t3;
                }
            }
            else
            {
                int full = n & ~3;
                for (; q + 4 <= m; q += 4)
                {
                    double* c0 = px + (long)pc[q] * n, c1 = px + (long)pc[q + 1] * n, c2 = px + (long)pc[q + 2] * n, c3 = px + (long)pc[q + 3] * n;
                    Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
                    for (int i = 0; i < full; i += 4)
                    {
                        var ui = Vector256.Load(pu + i);
                        s0 = Vector256.FusedMultiplyAdd(Vector256.Load(c0 + i), ui, s0);
                        s1 = Vector256.FusedMultiplyAdd(Vector256.Load(c1 + i), ui, s1);
                        s2 = Vector256.FusedMultiplyAdd(Vector256.Load(c2 + i), ui, s2);
                        s3 = Vector256.FusedMultiplyAdd(Vector256.Load(c3 + i), ui, s3);
                    }
                    double t0 = Vector256.Sum(s0), t1 = Vector256.Sum(s1), t2 = Vector256.Sum(s2), t3 = Vector256.Sum(s3);
                    for (int i = full; i < n; i++)
                    {
                        double ui = pu[i];
                        t0 += c0[i] * ui; t1 += c1[i] * ui; t2 += c2[i] * ui; t3 += c3[i] * ui;
                    }
                    pr[q] = t0; pr[q + 1] = t1; pr[q + 2] = t2; pr[q + 3] = t3;
                }
            }
        }
        for (; q < m; q++) result[q] = Dot.Compute(x.Slice(cols[q] * n, n), u[..n]);
    }
}
