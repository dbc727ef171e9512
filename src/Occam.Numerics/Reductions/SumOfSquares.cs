using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Reductions;

/// <summary><c>Σᵢ x[i]²</c> in float32: the squared L2 norm in a penalty's value (<c>(λ₂/2)·‖w‖₂²</c>).</summary>
public static class SumOfSquares
{
    /// <summary>
    /// Returns <c>Σᵢ x[i]·x[i]</c> (each square rounded to float32, then added), bit for bit the float
    /// <c>TensorPrimitives.SumOfSquares(x)</c> returns: the same order of additions (<c>Simd.AddUp</c>); see
    /// <see cref="SumOfMagnitudes.Sum"/> for why. Without AVX2 it is TensorPrimitives itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Sum(ReadOnlySpan<float> x) =>
        Simd.Widest == VectorWidth.Scalar ? TensorPrimitives.SumOfSquares(x) : Simd.AddUp(Simd.Widest, x, default(Square));

    /// <summary>Scalar reference: <c>Σᵢ x[i]²</c> added in index order (rounds differently from <see cref="Sum"/>).</summary>
    public static float SumScalar(ReadOnlySpan<float> x)
    {
        float s = 0f;
        foreach (float v in x) s += v * v;
        return s;
    }

    /// <summary><c>x·x</c> rounded to float32 (multiplied, then added: no fused multiply-add, as TensorPrimitives).</summary>
    private readonly struct Square : IUnaryOperator<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x * x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x) => x * x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x) => x * x;
    }
}
