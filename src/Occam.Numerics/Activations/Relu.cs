using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Activations;

/// <summary>
/// Rectified linear unit. Forward: <c>y[i] = max(x[i], 0)</c>. Backward (given the forward output y):
/// <c>dx[i] = y[i] &gt; 0 ? dy[i] : 0</c> — the derivative at 0 is taken as 0, as in PyTorch.
/// </summary>
public static class Relu
{
    /// <summary><c>y[i] = max(x[i], 0)</c>. <paramref name="y"/> may alias <paramref name="x"/>.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        Preconditions.CheckLength(y.Length, x.Length);
        TensorPrimitives.Max(x, 0f, y);
    }

    /// <summary>Scalar reference for <see cref="Forward"/>.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> x, Span<float> y)
    {
        Preconditions.CheckLength(y.Length, x.Length);
        for (int i = 0; i < x.Length; i++) y[i] = MathF.Max(x[i], 0f);   // NaN propagates, as in the vector path
    }

    /// <summary><c>dx[i] = y[i] &gt; 0 ? dy[i] : 0</c>. <paramref name="dx"/> may alias <paramref name="dy"/>.</summary>
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
