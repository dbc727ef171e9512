using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Prox;

/// <summary>
/// Soft-thresholding, the proximal operator of <c>t·‖w‖₁</c>:
/// <c>w[i] ← sign(w[i])·max(|w[i]| − t[i], 0)</c>. Coordinates with <c>|w[i]| ≤ t[i]</c> become exactly
/// <c>+0f</c> (never −0), which is how L1 produces exact zeros. Reference: Parikh &amp; Boyd,
/// "Proximal Algorithms" (2014), §6.5.2.
/// <para>
/// The only soft-thresholding in the library: one scalar definition and its SIMD form per vector type (equal to it bit
/// for bit). The span overloads apply it to a tensor through the shared driver (<see cref="Simd"/>.Map); the optimizers
/// call the <see cref="Vector{T}"/> or <see cref="Vector512{T}"/> overload inside their own loops to fold the prox into
/// the update (one pass over the weights).
/// </para>
/// </summary>
public static class SoftThreshold
{
    /// <summary>Scalar definition: <c>sign(w)·max(|w| − t, 0)</c>, +0 when the magnitude is not above t (or is NaN).</summary>
    public static float Scalar(float w, float t)
    {
        float shrunk = MathF.Abs(w) - t;
        return shrunk > 0f ? MathF.CopySign(shrunk, w) : 0f;
    }

    /// <summary>
    /// Double precision, the same definition (the coordinate-descent update of the linear solvers is
    /// <c>soft(z, λ₁vⱼ) / (‖xⱼ‖²/n + λ₂vⱼ)</c>): <c>sign(z)·max(|z| − t, 0)</c>, +0 when not above t (or NaN).
    /// </summary>
    public static double Scalar(double z, double t)
    {
        double shrunk = Math.Abs(z) - t;
        return shrunk > 0 ? Math.CopySign(shrunk, z) : 0.0;
    }

    /// <summary>SIMD definition, lane by lane equal to <see cref="Scalar(float, float)"/>: <c>sign(w)·max(|w| − t, 0)</c>, +0 otherwise.</summary>
    public static Vector<float> Apply(Vector<float> w, Vector<float> t)
    {
        var shrunk = Vector.Abs(w) - t;
        var signed = Vector.ConditionalSelect(new Vector<float>(-0f), w, shrunk);   // the sign bit of w, the magnitude of shrunk
        return Vector.GreaterThan(shrunk, Vector<float>.Zero).As<int, float>() & signed;
    }

    /// <summary>The same SIMD definition on 512-bit vectors (the optimizers' AVX-512 loops), lane by lane equal to <see cref="Scalar(float, float)"/>.</summary>
    public static Vector512<float> Apply(Vector512<float> w, Vector512<float> t)
    {
        var shrunk = Vector512.Abs(w) - t;
        var signed = Vector512.ConditionalSelect(Vector512.Create(-0f), w, shrunk);   // the sign bit of w, the magnitude of shrunk
        return Vector512.GreaterThan(shrunk, Vector512<float>.Zero) & signed;
    }

    /// <summary>The same SIMD definition on 256-bit vectors, lane by lane equal to <see cref="Scalar(float, float)"/>.</summary>
    public static Vector256<float> Apply(Vector256<float> w, Vector256<float> t)
    {
        var shrunk = Vector256.Abs(w) - t;
        var signed = Vector256.ConditionalSelect(Vector256.Create(-0f), w, shrunk);   // the sign bit of w, the magnitude of shrunk
        return Vector256.GreaterThan(shrunk, Vector256<float>.Zero) & signed;
    }

    /// <summary>In place with one threshold <paramref name="threshold"/> ≥ 0 for every coordinate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]   // never tier 0: kept out of precompiled callers, whose copy would call Simd.Map at tier 0
    public static void Apply(Span<float> w, float threshold)
    {
        System.Diagnostics.Debug.Assert(threshold >= 0f);
        Simd.Map(w, w, new OneThreshold(threshold));
    }

    /// <summary>In place with a threshold per coordinate (an optimizer's per-coordinate step × λ).</summary>
    public static void Apply(Span<float> w, ReadOnlySpan<float> thresholds)
    {
        Preconditions.CheckLength(thresholds.Length, w.Length);
        Simd.Map(w, thresholds, w, default(PerCoordinate));
    }

    /// <summary>Scalar reference over a span (used by tests to check the SIMD paths).</summary>
    public static void ApplyScalar(Span<float> w, float threshold)
    {
        for (int i = 0; i < w.Length; i++) w[i] = Scalar(w[i], threshold);
    }

    /// <summary><c>w ← soft(w, t)</c> with one t, for <see cref="Simd"/>.Map.</summary>
    private readonly struct OneThreshold(float t) : IUnaryOperator<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float w) => Scalar(w, t);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> w) => Apply(w, Vector256.Create(t));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> w) => Apply(w, Vector512.Create(t));
    }

    /// <summary><c>w ← soft(w, t)</c> with t per coordinate, for <see cref="Simd"/>.Map.</summary>
    private readonly struct PerCoordinate : IBinaryOperator<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float w, float t) => Scalar(w, t);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> w, Vector256<float> t) => Apply(w, t);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> w, Vector512<float> t) => Apply(w, t);
    }
}
