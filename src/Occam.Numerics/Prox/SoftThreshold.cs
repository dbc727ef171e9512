using System.Runtime.Intrinsics;

namespace Occam.Numerics.Prox;

/// <summary>
/// Soft-thresholding, the proximal operator of <c>t·‖w‖₁</c>:
/// <c>w[i] ← sign(w[i])·max(|w[i]| − t[i], 0)</c>. Coordinates with <c>|w[i]| ≤ t[i]</c> become exactly
/// <c>+0f</c> (never −0), which is how L1 produces exact zeros. Reference: Parikh &amp; Boyd,
/// "Proximal Algorithms" (2014), §6.5.2.
/// </summary>
public static class SoftThreshold
{
    /// <summary>In place with one threshold <paramref name="threshold"/> ≥ 0 for every coordinate.</summary>
    public static void Apply(Span<float> w, float threshold)
    {
        System.Diagnostics.Debug.Assert(threshold >= 0f);
        int n = w.Length, i = 0;
        if (Simd.Use512)
        {
            var t = Vector512.Create(threshold);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                Step(Vector512.LoadUnsafe(ref Simd.At(w, i)), t).StoreUnsafe(ref Simd.At(w, i));
        }
        if (Simd.Use256)
        {
            var t = Vector256.Create(threshold);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                Step(Vector256.LoadUnsafe(ref Simd.At(w, i)), t).StoreUnsafe(ref Simd.At(w, i));
        }
        for (; i < n; i++) w[i] = Scalar(w[i], threshold);
    }

    /// <summary>In place with a threshold per coordinate (the per-coordinate step of adaptive optimizers × λ).</summary>
    public static void Apply(Span<float> w, ReadOnlySpan<float> thresholds)
    {
        Preconditions.CheckLength(thresholds.Length, w.Length);
        int n = w.Length, i = 0;
        if (Simd.Use512)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                Step(Vector512.LoadUnsafe(ref Simd.At(w, i)), Vector512.LoadUnsafe(ref Simd.At(thresholds, i))).StoreUnsafe(ref Simd.At(w, i));
        }
        if (Simd.Use256)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                Step(Vector256.LoadUnsafe(ref Simd.At(w, i)), Vector256.LoadUnsafe(ref Simd.At(thresholds, i))).StoreUnsafe(ref Simd.At(w, i));
        }
        for (; i < n; i++) w[i] = Scalar(w[i], thresholds[i]);
    }

    /// <summary>Scalar reference: <c>sign(w)·max(|w| − t, 0)</c>, +0 when the magnitude is not above t.</summary>
    public static float Scalar(float w, float t)
    {
        float shrunk = MathF.Abs(w) - t;
        return shrunk > 0f ? MathF.CopySign(shrunk, w) : 0f;
    }

    /// <summary>Scalar reference over a span (used by tests to check the SIMD paths).</summary>
    public static void ApplyScalar(Span<float> w, float threshold)
    {
        for (int i = 0; i < w.Length; i++) w[i] = Scalar(w[i], threshold);
    }

    private static Vector512<float> Step(Vector512<float> w, Vector512<float> t)
    {
        var shrunk = Vector512.Abs(w) - t;
        var signed = Vector512.ConditionalSelect(Vector512.Create(-0f), w, shrunk);
        return Vector512.GreaterThan(shrunk, Vector512<float>.Zero) & signed;
    }

    private static Vector256<float> Step(Vector256<float> w, Vector256<float> t)
    {
        var shrunk = Vector256.Abs(w) - t;
        var signed = Vector256.ConditionalSelect(Vector256.Create(-0f), w, shrunk);
        return Vector256.GreaterThan(shrunk, Vector256<float>.Zero) & signed;
    }
}
