using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Occam.Numerics.Functions;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// The per-row terms of penalized logistic regression at linear predictors η (double precision):
/// pᵢ = σ(ηᵢ) = 1/(1 + e^(−ηᵢ)) written to <c>p</c>, and the returned summed log-loss
/// Σᵢ [max(ηᵢ, 0) + log(1 + e^(−|ηᵢ|)) − yᵢ·ηᵢ]. With tᵢ = e^(−|ηᵢ|) ∈ (0, 1], pᵢ = 1/(1 + tᵢ) for ηᵢ ≥ 0 and tᵢ/(1 + tᵢ)
/// otherwise: no overflow for any finite η.
/// </summary>
internal static class LogisticTerms
{
    /// <summary>Reference version, one row at a time with <see cref="Math.Exp"/> and <c>Math.Log</c>.</summary>
    public static double Scalar(ReadOnlySpan<double> eta, ReadOnlySpan<double> y, Span<double> p)
    {
        Debug.Assert(y.Length == eta.Length && p.Length == eta.Length);
        double loss = 0;
        for (int i = 0; i < eta.Length; i++)
        {
            double e = eta[i], t = Math.Exp(-Math.Abs(e)), u = 1 + t;
            loss += Math.Max(e, 0) + Math.Log(u) - y[i] * e;
            p[i] = e >= 0 ? 1 / u : t / u;
        }
        return loss;
    }

    /// <summary>
    /// Vectorized version in blocks of 256 rows, every pass a <see cref="Simd"/> kernel compiled optimized at its first
    /// call: t = e^(−|η|) by <see cref="DoubleExp"/>, u = 1 + t, p, log u by <see cref="DoubleLog"/>, and the loss terms
    /// (max(η, 0) + log u) − y·η added by <see cref="Simd"/>.Sum in its fixed order. The same bits at every tier of the JIT
    /// and on both vector widths (no call into CoreLib's vector math, whose double exp rounded differently after its
    /// tier-0 → tier-1 switch). Equals <see cref="Scalar"/> to within 1 ulp of the exp and log per row (both are
    /// faithful) and the sum to summation order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Compute(ReadOnlySpan<double> eta, ReadOnlySpan<double> y, Span<double> p)
    {
        Debug.Assert(y.Length == eta.Length && p.Length == eta.Length);
        const int Block = 256;
        Span<double> t = stackalloc double[Block];
        Span<double> u = stackalloc double[Block];
        double loss = 0;
        for (int i0 = 0; i0 < eta.Length; i0 += Block)
        {
            int m = Math.Min(Block, eta.Length - i0);
            var e = eta.Slice(i0, m);
            var tb = t[..m];
            var ub = u[..m];
            Simd.Map(e, tb, default(MinusAbs));
            DoubleExp.Apply(tb, tb);
            Simd.Map(tb, ub, default(OnePlus));
            Simd.Map(e, tb, ub, p.Slice(i0, m), default(Probability));
            DoubleLog.Apply(ub, ub);
            loss = Simd.Sum(e, y.Slice(i0, m), ub, default(LossTerm), loss);
        }
        return loss;
    }

    /// <summary><c>−|η|</c>, for <see cref="Simd"/>.Map.</summary>
    private readonly struct MinusAbs : IUnaryOperator<double>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Invoke(double x) => -Math.Abs(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Invoke(Vector256<double> x) => -Vector256.Abs(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Invoke(Vector512<double> x) => -Vector512.Abs(x);
    }

    /// <summary><c>1 + t</c>, for <see cref="Simd"/>.Map.</summary>
    private readonly struct OnePlus : IUnaryOperator<double>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Invoke(double x) => 1.0 + x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Invoke(Vector256<double> x) => Vector256<double>.One + x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Invoke(Vector512<double> x) => Vector512<double>.One + x;
    }

    /// <summary>One row's loss <c>(max(η, 0) + log u) − y·η</c> from (η, y, log u), for <see cref="Simd"/>.Sum.</summary>
    private readonly struct LossTerm : ITernaryOperator<double>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Invoke(double eta, double y, double logU) => ((eta > 0 ? eta : 0.0) + logU) - y * eta;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Invoke(Vector256<double> eta, Vector256<double> y, Vector256<double> logU) =>
            (Vector256.ConditionalSelect(Vector256.GreaterThan(eta, Vector256<double>.Zero), eta, Vector256<double>.Zero) + logU) - y * eta;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Invoke(Vector512<double> eta, Vector512<double> y, Vector512<double> logU) =>
            (Vector512.ConditionalSelect(Vector512.GreaterThan(eta, Vector512<double>.Zero), eta, Vector512<double>.Zero) + logU) - y * eta;
    }

    /// <summary><c>p = (η ≥ 0 ? 1 : t) / u</c> from (η, t, u), for <see cref="Simd"/>.Map.</summary>
    private readonly struct Probability : ITernaryOperator<double>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Invoke(double eta, double t, double u) => eta >= 0 ? 1 / u : t / u;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Invoke(Vector256<double> eta, Vector256<double> t, Vector256<double> u) =>
            Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(eta, Vector256<double>.Zero), Vector256<double>.One, t) / u;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Invoke(Vector512<double> eta, Vector512<double> t, Vector512<double> u) =>
            Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(eta, Vector512<double>.Zero), Vector512<double>.One, t) / u;
    }
}
