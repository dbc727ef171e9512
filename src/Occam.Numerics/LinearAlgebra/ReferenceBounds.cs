using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    /// <summary>Reference version: the formula above, one feature at a time.</summary>
    public static double Scalar(ReadOnlySpan<double> c, int p, ReadOnlySpan<double> a, ReadOnlySpan<double> iv,
        ReadOnlySpan<double> b, double spread, double absolute, double threshold, Span<double> est, Span<double> ratio,
        Span<double> bound, out double maxRatio, out int above)
    {
        Debug.Assert(a.Length >= 1 && c.Length >= a.Length * p && iv.Length >= p && b.Length >= p && est.Length >= p && ratio.Length >= p && bound.Length >= p);
        int m = a.Length;
        double maxBound = 0;
        maxRatio = 0;
        above = 0;
        for (int j = 0; j < p; j++)
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

    /// <summary>The formula above at the machine's widest vector width; same values as <see cref="Scalar"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Compute(ReadOnlySpan<double> c, int p, ReadOnlySpan<double> a, ReadOnlySpan<double> iv,
        ReadOnlySpan<double> b, double spread, double absolute, double threshold, Span<double> est, Span<double> ratio,
        Span<double> bound, out double maxRatio, out int above) =>
        Compute(Simd.Widest, c, p, a, iv, b, spread, absolute, threshold, est, ratio, bound, out maxRatio, out above);

    /// <summary>
    /// The formula above with vectors no wider than <paramref name="width"/>: one index walk over j (<see cref="Simd"/>.Walk,
    /// 8 features per 512-bit step, 4 per 256-bit step, then one at a time), each width keeping its own maxima and count
    /// (<see cref="Bounds"/>), combined at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Compute(VectorWidth width, ReadOnlySpan<double> c, int p, ReadOnlySpan<double> a, ReadOnlySpan<double> iv,
        ReadOnlySpan<double> b, double spread, double absolute, double threshold, Span<double> est, Span<double> ratio,
        Span<double> bound, out double maxRatio, out int above)
    {
        Debug.Assert(a.Length >= 1 && c.Length >= a.Length * p && iv.Length >= p && b.Length >= p && est.Length >= p && ratio.Length >= p && bound.Length >= p);
        var op = new Bounds(c, p, a, iv, b, spread, absolute, threshold, est, ratio, bound);
        Simd.Walk<double, Bounds>(width, p, ref op);
        return op.Finish(out maxRatio, out above);
    }

    /// <summary>
    /// One element (or 4, or 8) of the formula per step, with the running maxima and count of each width: scalar
    /// <c>double</c>s, and per-lane <see cref="Vector256{T}"/> / <see cref="Vector512{T}"/> accumulators (a lane's count
    /// is subtracted as the comparison's all-ones mask, i.e. −1 per hit).
    /// </summary>
    private ref struct Bounds : IIndexSteps<double>
    {
        private readonly ref double _c;
        private readonly ref double _a;
        private readonly ref double _iv;
        private readonly ref double _b;
        private readonly ref double _est;
        private readonly ref double _ratio;
        private readonly ref double _bound;
        private readonly int _m, _p;
        private readonly double _spread, _absolute, _threshold;

        // Inlined into the caller (with the walk and the steps), so that the JIT keeps these fields in registers.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Bounds(ReadOnlySpan<double> c, int p, ReadOnlySpan<double> a, ReadOnlySpan<double> iv, ReadOnlySpan<double> b,
            double spread, double absolute, double threshold, Span<double> est, Span<double> ratio, Span<double> bound)
        {
            _c = ref MemoryMarshal.GetReference(c);
            _a = ref MemoryMarshal.GetReference(a);
            _iv = ref MemoryMarshal.GetReference(iv);
            _b = ref MemoryMarshal.GetReference(b);
            _est = ref MemoryMarshal.GetReference(est);
            _ratio = ref MemoryMarshal.GetReference(ratio);
            _bound = ref MemoryMarshal.GetReference(bound);
            _m = a.Length;
            _p = p;
            _spread = spread;
            _absolute = absolute;
            _threshold = threshold;
        }

        private double _maxBound, _maxRatio;
        private int _above;
        private Vector256<double> _maxBound256, _maxRatio256;
        private Vector256<long> _count256;
        private Vector512<double> _maxBound512, _maxRatio512;
        private Vector512<long> _count512;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step(int j)
        {
            double e = _a * Unsafe.Add(ref _c, j);
            for (int t = 1; t < _m; t++) e = Math.FusedMultiplyAdd(Unsafe.Add(ref _a, t), Unsafe.Add(ref _c, (nint)t * _p + j), e);
            double w = Unsafe.Add(ref _iv, j);
            double r = Math.Abs(e) * w;
            double u = Math.FusedMultiplyAdd(Unsafe.Add(ref _b, j), _spread, Math.FusedMultiplyAdd(w, _absolute, r));
            Unsafe.Add(ref _est, j) = e;
            Unsafe.Add(ref _ratio, j) = r;
            Unsafe.Add(ref _bound, j) = u;
            _maxRatio = Math.Max(_maxRatio, r);
            _maxBound = Math.Max(_maxBound, u);
            if (u > _threshold) _above++;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step256(int j)
        {
            nuint k = (nuint)j;
            var e = Vector256.Create(_a) * Vector256.LoadUnsafe(ref _c, k);
            for (int t = 1; t < _m; t++)
                e = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref _a, t)), Vector256.LoadUnsafe(ref _c, (nuint)((nint)t * _p + j)), e);
            var w = Vector256.LoadUnsafe(ref _iv, k);
            var r = Vector256.Abs(e) * w;
            var u = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref _b, k), Vector256.Create(_spread),
                Vector256.FusedMultiplyAdd(w, Vector256.Create(_absolute), r));
            e.StoreUnsafe(ref _est, k);
            r.StoreUnsafe(ref _ratio, k);
            u.StoreUnsafe(ref _bound, k);
            _maxRatio256 = Vector256.Max(_maxRatio256, r);
            _maxBound256 = Vector256.Max(_maxBound256, u);
            _count256 -= Vector256.GreaterThan(u, Vector256.Create(_threshold)).AsInt64();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step512(int j)
        {
            nuint k = (nuint)j;
            var e = Vector512.Create(_a) * Vector512.LoadUnsafe(ref _c, k);
            for (int t = 1; t < _m; t++)
                e = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref _a, t)), Vector512.LoadUnsafe(ref _c, (nuint)((nint)t * _p + j)), e);
            var w = Vector512.LoadUnsafe(ref _iv, k);
            var r = Vector512.Abs(e) * w;
            var u = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref _b, k), Vector512.Create(_spread),
                Vector512.FusedMultiplyAdd(w, Vector512.Create(_absolute), r));
            e.StoreUnsafe(ref _est, k);
            r.StoreUnsafe(ref _ratio, k);
            u.StoreUnsafe(ref _bound, k);
            _maxRatio512 = Vector512.Max(_maxRatio512, r);
            _maxBound512 = Vector512.Max(_maxBound512, u);
            _count512 -= Vector512.GreaterThan(u, Vector512.Create(_threshold)).AsInt64();
        }

        /// <summary>The maxima over every width's lanes (all ≥ 0, so the zero-initialized lanes change nothing) and the total count.</summary>
        public readonly double Finish(out double maxRatio, out int above)
        {
            maxRatio = Math.Max(_maxRatio, Math.Max(Max(_maxRatio256), Max(_maxRatio512)));
            above = _above + (int)Vector256.Sum(_count256) + (int)Vector512.Sum(_count512);
            return Math.Max(_maxBound, Math.Max(Max(_maxBound256), Max(_maxBound512)));
        }
    }

    private static double Max(Vector256<double> v) => Math.Max(Math.Max(v[0], v[1]), Math.Max(v[2], v[3]));

    private static double Max(Vector512<double> v) => Math.Max(Max(v.GetLower()), Max(v.GetUpper()));
}
