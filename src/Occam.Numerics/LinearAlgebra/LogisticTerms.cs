using System.Diagnostics;
using System.Numerics.Tensors;
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
    /// Vectorized version in blocks of 256 rows: e^(−|η|) and log(1 + t) by <see cref="TensorPrimitives"/>, p by
    /// <see cref="Simd"/>.Map. Equals <see cref="Scalar"/> to a few ulps per row (the vectorized exp/log round differently) and the
    /// sum to summation order.
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
            TensorPrimitives.Abs(e, tb);
            TensorPrimitives.Negate(tb, tb);
            VectorMathLoops.Exp(tb, tb);   // TensorPrimitives.Exp's bits, never at tier 0
            TensorPrimitives.Add(tb, 1.0, ub);
            Simd.Map(e, tb, ub, p.Slice(i0, m), default(Probability));
            VectorMathLoops.Log(ub, ub);   // TensorPrimitives.Log's bits, never at tier 0
            // Σ max(η, 0) − yη = Σ (max(η, 0) − yη), summed with the logs.
            TensorPrimitives.Max(e, 0.0, tb);
            loss += TensorPrimitives.Sum(tb) - TensorPrimitives.Dot(y.Slice(i0, m), e) + TensorPrimitives.Sum(ub);
        }
        return loss;
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
