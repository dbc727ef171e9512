using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// Upper bounds on |cⱼ(u)|·ivⱼ from a linear combination of m reference rows (the Gaussian solver's gradient estimates
/// for the features outside its strong set), one pass over j = 0 … p − 1:
///
///     estⱼ   = fma(a_{m−1}, C[m−1, j], … fma(a₁, C[1, j], a₀·C[0, j]))        (C row t at t·p, terms in t order)
///     ratioⱼ = |estⱼ|·ivⱼ
///     boundⱼ = fma(bⱼ, spread, fma(ivⱼ, absolute, ratioⱼ))
///
/// and returns max boundⱼ, max ratioⱼ (0 for p = 0) and the number of j with boundⱼ &gt; <c>threshold</c>. Every element
/// is computed with the same operations in every version (fused multiply-adds, a product, an absolute value), so the
/// vector versions agree with <see cref="Scalar"/> bit for bit; maxima and counts do not depend on order.
/// </summary>
internal static class ReferenceBounds
{
    public static double Scalar(ReadOnlySpan<double> c, int p, ReadOnlySpan<double> a, ReadOnlySpan<double> iv,
        ReadOnlySpan<double> b, double spread, double absolute, double threshold, Span<double> est, Span<double> ratio,
        Span<double> bound, out double maxRatio, out int above)
    {
        Debug.Assert(a.Length >= 1 && c.Length >= a.Length * p && iv.Length >= p && b.Length >= p && est.Length >= p && ratio.Length >= p && bound.Length >= p);
        return Range(c, p, 0, p, a, iv, b, spread, absolute, threshold, est, ratio, bound, out maxRatio, out above);
    }

    /// <summary>The scalar formula for j in [from, to) (rows of stride p).</summary>
    private static double Range(ReadOnlySpan<double> c, int p, int from, int to, ReadOnlySpan<double> a, ReadOnlySpan<double> iv,
        ReadOnlySpan<double> b, double spread, double absolute, double threshold, Span<double> est, Span<double> ratio,
        Span<double> bound, out double maxRatio, out int above)
    {
        int m = a.Length;
        double maxBound = 0;
        maxRatio = 0;
        above = 0;
        for (int j = from; j < to; j++)
        {
            double e = a[0] * c[j];
            for (int t = 1; t < m; t++) e = Math.FusedMultiplyAdd(a[t], c[t * p + j], e);
            double r = Math.Abs(e) * iv[j];
            double u = Math.FusedMultiplyAdd(b[j], spread, Math.FusedMultiplyAdd(iv[j], absolute, r));
            est[j] = e;
            ratio[j] = r;
            bound[j] = u;
            maxRatio = Math.Max(maxRatio, r);
            maxBound = Math.Max(maxBound, u);
            if (u > threshold) above++;
        }
        return maxBound;
    }

    /// <summary>Vector512 (8 features per step) or Vector256 (4), the tail in scalar; same values as <see cref="Scalar"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe double Compute(ReadOnlySpan<double> c, int p, ReadOnlySpan<double> a, ReadOnlySpan<double> iv,
        ReadOnlySpan<double> b, double spread, double absolute, double threshold, Span<double> est, Span<double> ratio,
        Span<double> bound, out double maxRatio, out int above)
    {
        int m = a.Length;
        Debug.Assert(m >= 1 && c.Length >= m * p && iv.Length >= p && b.Length >= p && est.Length >= p && ratio.Length >= p && bound.Length >= p);
        if (!Vector256.IsHardwareAccelerated || p < 4)
            return Scalar(c, p, a, iv, b, spread, absolute, threshold, est, ratio, bound, out maxRatio, out above);
        int j = 0;
        double maxBound;
        fixed (double* pc = c, pa = a, piv = iv, pb = b, pe = est, pr = ratio, pu = bound)
        {
            if (Vector512.IsHardwareAccelerated && p >= 8)
            {
                var vs = Vector512.Create(spread);
                var vabs = Vector512.Create(absolute);
                var vt = Vector512.Create(threshold);
                Vector512<double> mb = Vector512<double>.Zero, mr = Vector512<double>.Zero;
                Vector512<long> cnt = Vector512<long>.Zero;
                for (; j + 8 <= p; j += 8)
                {
                    var e = Vector512.Create(pa[0]) * Vector512.Load(pc + j);
                    for (int t = 1; t < m; t++)
                        e = Vector512.FusedMultiplyAdd(Vector512.Create(pa[t]), Vector512.Load(pc + (long)t * p + j), e);
                    var w = Vector512.Load(piv + j);
                    var r = Vector512.Abs(e) * w;
                    var u = Vector512.FusedMultiplyAdd(Vector512.Load(pb + j), vs, Vector512.FusedMultiplyAdd(w, vabs, r));
                    e.Store(pe + j);
                    r.Store(pr + j);
                    u.Store(pu + j);
                    mr = Vector512.Max(mr, r);
                    mb = Vector512.Max(mb, u);
                    cnt -= Vector512.GreaterThan(u, vt).AsInt64();
                }
                maxBound = Max(mb);
                maxRatio = Max(mr);
                above = (int)Vector512.Sum(cnt);
            }
            else
            {
                var vs = Vector256.Create(spread);
                var vabs = Vector256.Create(absolute);
                var vt = Vector256.Create(threshold);
                Vector256<double> mb = Vector256<double>.Zero, mr = Vector256<double>.Zero;
                Vector256<long> cnt = Vector256<long>.Zero;
                for (; j + 4 <= p; j += 4)
                {
                    var e = Vector256.Create(pa[0]) * Vector256.Load(pc + j);
                    for (int t = 1; t < m; t++)
                        e = Vector256.FusedMultiplyAdd(Vector256.Create(pa[t]), Vector256.Load(pc + (long)t * p + j), e);
                    var w = Vector256.Load(piv + j);
                    var r = Vector256.Abs(e) * w;
                    var u = Vector256.FusedMultiplyAdd(Vector256.Load(pb + j), vs, Vector256.FusedMultiplyAdd(w, vabs, r));
                    e.Store(pe + j);
                    r.Store(pr + j);
                    u.Store(pu + j);
                    mr = Vector256.Max(mr, r);
                    mb = Vector256.Max(mb, u);
                    cnt -= Vector256.GreaterThan(u, vt).AsInt64();
                }
                maxBound = Math.Max(Math.Max(mb[0], mb[1]), Math.Max(mb[2], mb[3]));
                maxRatio = Math.Max(Math.Max(mr[0], mr[1]), Math.Max(mr[2], mr[3]));
                above = (int)Vector256.Sum(cnt);
            }
        }
        if (j < p)
        {
            double tailBound = Range(c, p, j, p, a, iv, b, spread, absolute, threshold, est, ratio, bound, out double tailRatio, out int tailAbove);
            maxBound = Math.Max(maxBound, tailBound);
            maxRatio = Math.Max(maxRatio, tailRatio);
            above += tailAbove;
        }
        return maxBound;
    }

    private static double Max(Vector512<double> v) =>
        Math.Max(Math.Max(Math.Max(v[0], v[1]), Math.Max(v[2], v[3])), Math.Max(Math.Max(v[4], v[5]), Math.Max(v[6], v[7])));
}
