using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Activations;

/// <summary>
/// Hyperbolic tangent. Forward: <c>y[i] = tanh(x[i])</c>. Backward (given the forward output y):
/// <c>dx[i] = dy[i]·(1 − y[i]²)</c>.
/// </summary>
public static class Tanh
{
    /// <summary><c>y[i] = tanh(x[i])</c> (vectorized, within a few ulps of <see cref="MathF.Tanh"/>).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        Preconditions.CheckLength(y.Length, x.Length);
        TensorPrimitives.Tanh(x, y);
    }

    /// <summary>Scalar reference for <see cref="Forward"/>.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = MathF.Tanh(x[i]);
    }

    /// <summary><c>dx[i] = dy[i]·(1 − y[i]·y[i])</c>.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Preconditions.CheckLength(dy.Length, y.Length);
        Preconditions.CheckLength(dx.Length, y.Length);
        int n = y.Length, i = 0;
        if (Simd.Use256)
        {
            var one = Vector256.Create(1f);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var yv = Vector256.LoadUnsafe(ref Simd.At(y, i));
                var dv = Vector256.LoadUnsafe(ref Simd.At(dy, i));
                (dv * (one - yv * yv)).StoreUnsafe(ref Simd.At(dx, i));
            }
        }
        for (; i < n; i++) dx[i] = dy[i] * (1f - y[i] * y[i]);
    }

    /// <summary>Scalar reference for <see cref="Backward"/>.</summary>
    public static void BackwardScalar(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < y.Length; i++) dx[i] = dy[i] * (1f - y[i] * y[i]);
    }
}
