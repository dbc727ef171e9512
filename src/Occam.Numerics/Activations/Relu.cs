using System.Numerics.Tensors;
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
        int n = y.Length, i = 0;
        if (Simd.Use512)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var yv = Vector512.LoadUnsafe(ref Simd.At(y, i));
                var dv = Vector512.LoadUnsafe(ref Simd.At(dy, i));
                (Vector512.GreaterThan(yv, Vector512<float>.Zero) & dv).StoreUnsafe(ref Simd.At(dx, i));
            }
        }
        if (Simd.Use256)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var yv = Vector256.LoadUnsafe(ref Simd.At(y, i));
                var dv = Vector256.LoadUnsafe(ref Simd.At(dy, i));
                (Vector256.GreaterThan(yv, Vector256<float>.Zero) & dv).StoreUnsafe(ref Simd.At(dx, i));
            }
        }
        for (; i < n; i++) dx[i] = y[i] > 0f ? dy[i] : 0f;
    }

    /// <summary>Scalar reference for <see cref="Backward"/>.</summary>
    public static void BackwardScalar(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < y.Length; i++) dx[i] = y[i] > 0f ? dy[i] : 0f;
    }
}
