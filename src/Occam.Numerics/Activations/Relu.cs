using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Activations;

/// <summary>
/// Rectified linear unit. Forward: <c>y[i] = max(x[i], 0)</c>. Backward (given the forward output y):
/// <c>dx[i] = y[i] &gt; 0 ? dy[i] : 0</c> — the derivative at 0 is taken as 0, as in PyTorch.
/// </summary>
public static class Relu
{
    /// <summary>
    /// <c>y[i] = max(x[i], 0)</c> with IEEE 754-2019 maximum (NaN propagates, max(−0, 0) = +0): the bits of
    /// <c>TensorPrimitives.Max(x, 0f, y)</c> and of <c>MathF.Max</c> (tested), by <see cref="Simd"/>.Map in a method that
    /// is never run at tier 0 (the library's AVX-512 loop cannot be precompiled, so the CLI ran it at tier 0).
    /// <paramref name="y"/> may alias <paramref name="x"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]   // never tier 0: kept out of precompiled callers, whose copy would call Simd.Map at tier 0
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        Preconditions.CheckLength(y.Length, x.Length);
        Simd.Map(x, y[..x.Length], default(ForwardOperator));
    }

    /// <summary><c>max(x, 0)</c> for <see cref="Simd"/>.Map: <c>MathF.Max</c> and the vector <c>Max</c>, which share its semantics.</summary>
    private readonly struct ForwardOperator : IUnaryOperator<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Max(x, 0f);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
    }

    /// <summary>Scalar reference for <see cref="Forward"/>.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> x, Span<float> y)
    {
        Preconditions.CheckLength(y.Length, x.Length);
        for (int i = 0; i < x.Length; i++) y[i] = MathF.Max(x[i], 0f);   // NaN propagates, as in the vector path
    }

    /// <summary><c>dx[i] = y[i] &gt; 0 ? dy[i] : 0</c>. <paramref name="dx"/> may alias <paramref name="dy"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]   // never tier 0: kept out of precompiled callers, whose copy would call Simd.Map at tier 0
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Preconditions.CheckLength(dy.Length, y.Length);
        Preconditions.CheckLength(dx.Length, y.Length);
        Simd.Map(y, dy, dx, default(BackwardOperator));
    }

    /// <summary>Scalar reference for <see cref="Backward"/>.</summary>
    public static void BackwardScalar(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < y.Length; i++) dx[i] = y[i] > 0f ? dy[i] : 0f;
    }

    /// <summary><c>dx = y &gt; 0 ? dy : 0</c> for <see cref="Simd"/>.Map (the vector lanes: a compare mask AND dy).</summary>
    private readonly struct BackwardOperator : IBinaryOperator<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float y, float dy) => y > 0f ? dy : 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => Vector256.GreaterThan(y, Vector256<float>.Zero) & dy;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => Vector512.GreaterThan(y, Vector512<float>.Zero) & dy;
    }
}
