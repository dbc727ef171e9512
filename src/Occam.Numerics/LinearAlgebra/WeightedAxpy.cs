using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// y ← y + α·(w ∘ x) (the weighted residual update of IRLS coordinate descent): <c>y[i] = fma(α, w[i]·x[i], y[i])</c>, the
/// product w·x rounded, then one fused multiply-add (every path, so all widths give the same bits). Fully optimized at first call.
/// </summary>
internal static class WeightedAxpy
{
    /// <summary>Reference version: <c>y[i] += α·(w[i]·x[i])</c> with two roundings (not fused).</summary>
    public static void Scalar(double alpha, ReadOnlySpan<double> w, ReadOnlySpan<double> x, Span<double> y)
    {
        Debug.Assert(x.Length == y.Length && w.Length == y.Length);
        for (int i = 0; i < x.Length; i++) y[i] += alpha * (w[i] * x[i]);
    }

    /// <summary>The update above (vectorized by <see cref="Simd"/>.Map).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(double alpha, ReadOnlySpan<double> w, ReadOnlySpan<double> x, Span<double> y)
    {
        Debug.Assert(x.Length == y.Length && w.Length == y.Length);
        Simd.Map(w, x, y, y, new Operator(alpha));
    }

    /// <summary><c>fma(α, w·x, y)</c> for <see cref="Simd"/>.Map.</summary>
    private readonly struct Operator(double alpha) : ITernaryOperator<double>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Invoke(double w, double x, double y) => Math.FusedMultiplyAdd(alpha, w * x, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Invoke(Vector256<double> w, Vector256<double> x, Vector256<double> y) =>
            Vector256.FusedMultiplyAdd(Vector256.Create(alpha), w * x, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Invoke(Vector512<double> w, Vector512<double> x, Vector512<double> y) =>
            Vector512.FusedMultiplyAdd(Vector512.Create(alpha), w * x, y);
    }
}
