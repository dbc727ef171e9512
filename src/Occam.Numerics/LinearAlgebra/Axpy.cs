using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// y ← y + α·x (the coordinate-descent residual / gradient update): <c>y[i] = fma(α, x[i], y[i])</c> on every path
/// (<see cref="Simd"/>.Map, so every width gives the same bits). Fully optimized at first call.
/// </summary>
internal static class Axpy
{
    /// <summary>Reference version: <c>y[i] += α·x[i]</c> with two roundings (not fused).</summary>
    public static void Scalar(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        Debug.Assert(x.Length == y.Length);
        for (int i = 0; i < x.Length; i++) y[i] += alpha * x[i];
    }

    /// <summary>The update above at the machine's widest vector width; equals <see cref="Scalar"/> up to the rounding of the fused multiply-add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]   // never tier 0: kept out of precompiled callers, whose copy would call Simd.Map at tier 0
    public static void Compute(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        Debug.Assert(x.Length == y.Length);
        Simd.Map(x, y, y, new Operator(alpha));
    }

    /// <summary>The update above with vectors no wider than <paramref name="width"/> (the same bits at every width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Compute(VectorWidth width, double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        Debug.Assert(x.Length == y.Length);
        Simd.Map(width, x, y, y, new Operator(alpha));
    }

    /// <summary><c>fma(α, x, y)</c> for <see cref="Simd"/>.Map.</summary>
    private readonly struct Operator(double alpha) : IBinaryOperator<double>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Invoke(double x, double y) => Math.FusedMultiplyAdd(alpha, x, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Invoke(Vector256<double> x, Vector256<double> y) => Vector256.FusedMultiplyAdd(Vector256.Create(alpha), x, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Invoke(Vector512<double> x, Vector512<double> y) => Vector512.FusedMultiplyAdd(Vector512.Create(alpha), x, y);
    }
}
