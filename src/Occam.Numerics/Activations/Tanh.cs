using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Activations;

/// <summary>
/// Hyperbolic tangent. Forward: <c>y[i] = tanh(x[i])</c>. Backward (given the forward output y):
/// <c>dx[i] = dy[i]·(1 − y[i]²)</c>.
/// </summary>
public static class Tanh
{
    /// <summary>Below this |x| the odd Taylor polynomial is used, at and above it <c>(1 − e^{−2|x|})/(1 + e^{−2|x|})</c>.</summary>
    private const float SmallLimit = 0.5f;

    /// <summary>
    /// <c>y[i] = tanh(x[i])</c>, vectorized, within 6 ulps of <see cref="MathF.Tanh"/> for every float (measured worst
    /// case 5, near |x| = 0.5), exact at ±0 (sign kept), ±1 at ±∞, NaN for NaN. <paramref name="y"/> may alias
    /// <paramref name="x"/>.
    /// </summary>
    /// <remarks>
    /// For |x| &lt; ½: <c>tanh x = x + x·(c₁x² + … + c₈x¹⁶)</c>, the Taylor series (odd Bernoulli-number
    /// coefficients −1/3, 2/15, −17/315, 62/2835, −1382/155925, 21844/6081075, −929569/638512875,
    /// 6404582/10854718875); the first omitted term is below 1e-9 relative there. For |x| ≥ ½:
    /// <c>sign(x)·(1 − t)/(1 + t)</c> with <c>t = e^{−2|x|} ≤ e^{−1}</c>, which has no cancellation.
    /// (<c>TensorPrimitives.Tanh</c> of System.Numerics.Tensors 11.0.0 is not used: its vector path returns
    /// tanh(0) = −2⁻²⁴ and loses all relative accuracy for |x| &lt; 1e-3.) Reference: Abramowitz &amp; Stegun 4.5.64.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]   // never tier 0: kept out of precompiled callers, whose copy would call Simd.Map at tier 0
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        Preconditions.CheckLength(y.Length, x.Length);
        Simd.Map(Simd.AtMost(VectorWidth.V256), x, y, default(ForwardOperator));   // Step is written on 256-bit vectors
    }

    /// <summary>Scalar reference for <see cref="Forward"/>.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = MathF.Tanh(x[i]);
    }

    /// <summary>
    /// <c>tanh x</c> for <see cref="Simd"/>.Map: the vector lanes by <see cref="Step"/>, the scalar tail by
    /// <see cref="MathF.Tanh"/> (both within 6 ulps of it). <see cref="Forward"/> runs it at 256 bits at most; a 512-bit
    /// vector is its two 256-bit halves (the same bits), which is what a test that forces the width gets.
    /// </summary>
    private readonly struct ForwardOperator : IUnaryOperator<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => MathF.Tanh(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x) => Step(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x) => Vector512.Create(Step(x.GetLower()), Step(x.GetUpper()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Step(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var one = Vector256.Create(1f);
        var t = Vector256.Exp(ax * Vector256.Create(-2f));
        var large = (one - t) / (one + t);
        var x2 = x * x;
        var p = Vector256.Create(6404582f / 10854718875f);
        p = p * x2 + Vector256.Create(-929569f / 638512875f);
        p = p * x2 + Vector256.Create(21844f / 6081075f);
        p = p * x2 + Vector256.Create(-1382f / 155925f);
        p = p * x2 + Vector256.Create(62f / 2835f);
        p = p * x2 + Vector256.Create(-17f / 315f);
        p = p * x2 + Vector256.Create(2f / 15f);
        p = p * x2 + Vector256.Create(-1f / 3f);
        var small = ax + ax * (p * x2);
        var magnitude = Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(SmallLimit)), small, large);
        return Vector256.ConditionalSelect(Vector256.Create(-0f), x, magnitude); // sign of x, magnitude bits of the result
    }

    /// <summary><c>dx[i] = dy[i]·(1 − y[i]·y[i])</c>.</summary>
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
        for (int i = 0; i < y.Length; i++) dx[i] = dy[i] * (1f - y[i] * y[i]);
    }

    /// <summary><c>dx = dy·(1 − y·y)</c> for <see cref="Simd"/>.Map.</summary>
    private readonly struct BackwardOperator : IBinaryOperator<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float y, float dy) => dy * (1f - y * y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * (Vector256<float>.One - y * y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * (Vector512<float>.One - y * y);
    }
}
