using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Occam.Numerics.Functions;

namespace Occam.Numerics.Activations;

/// <summary>
/// Logistic sigmoid. Forward: <c>y[i] = 1 / (1 + exp(−x[i]))</c>. Backward (given the forward output y):
/// <c>dx[i] = dy[i]·y[i]·(1 − y[i])</c>.
/// </summary>
public static class Sigmoid
{
    /// <summary><c>y[i] = σ(x[i])</c> (vectorized: <c>TensorPrimitives.Sigmoid</c>'s bits, by <see cref="VectorMathLoops"/>).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        Preconditions.CheckLength(y.Length, x.Length);
        if (x.Length == 0) return; // TensorPrimitives.Sigmoid throws on empty spans
        VectorMathLoops.Sigmoid(x, y);   // TensorPrimitives.Sigmoid's bits, never at tier 0
    }

    /// <summary>Scalar reference for <see cref="Forward"/>, stable for large |x|.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Scalar(x[i]);
    }

    /// <summary>σ(x) computed without overflow for either sign of x.</summary>
    public static float Scalar(float x)
    {
        if (x >= 0f) return 1f / (1f + MathF.Exp(-x));
        float e = MathF.Exp(x);
        return e / (1f + e);
    }

    /// <summary><c>dx[i] = dy[i]·y[i]·(1 − y[i])</c>.</summary>
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
        for (int i = 0; i < y.Length; i++) dx[i] = dy[i] * y[i] * (1f - y[i]);
    }

    /// <summary><c>dx = (dy·y)·(1 − y)</c> for <see cref="Simd"/>.Map.</summary>
    private readonly struct BackwardOperator : IBinaryOperator<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float y, float dy) => dy * y * (1f - y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * y * (Vector256<float>.One - y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * y * (Vector512<float>.One - y);
    }
}
