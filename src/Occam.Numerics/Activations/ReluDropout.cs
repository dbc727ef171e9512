using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Occam.Numerics.Random;

namespace Occam.Numerics.Activations;

/// <summary>
/// A ReLU followed by inverted dropout, in one pass each way (training mode). With z the dense layer's output and
/// <c>mask</c> the <see cref="KeepMask"/> of <c>seed</c> (0 or keep = 1/(1 − p)):
/// <code>
/// forward:  mask[i] = KeepMask(seed, offset + i);   h[i] = max(z[i], 0)·mask[i]
/// backward: dz[i] = z[i] &gt; 0 ? dh[i]·mask[i] : 0
/// </code>
/// Bit for bit what <see cref="Relu.Forward"/>, <see cref="KeepMask.Fill"/> and an element-wise product give
/// (and, backward, the product then <see cref="Relu.Backward"/>: <c>z &gt; 0 ⇔ max(z, 0) &gt; 0</c>), with one
/// read of z and no ReLU output buffer; NaN propagates forward as in <see cref="Relu"/>. The vector paths equal
/// <see cref="ForwardScalar"/> / <see cref="BackwardScalar"/> bit for bit.
/// </summary>
internal static class ReluDropout
{
    /// <summary>The forward pass above; writes the mask (the backward pass needs it) and h.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // R2R code with Vector512 is rejected at run time: compile once, optimized
    public static void Forward(ReadOnlySpan<float> z, Span<float> mask, Span<float> h, ulong seed, long offset, ushort threshold, float keep)
    {
        Preconditions.CheckLength(mask.Length, z.Length);
        Preconditions.CheckLength(h.Length, z.Length);
        int n = z.Length, i = 0;
        for (; i < n && ((offset + i) & 3) != 0; i++) Scalar(z, mask, h, seed, offset, threshold, keep, i);
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float mr = ref MemoryMarshal.GetReference(mask);
        ref float hr = ref MemoryMarshal.GetReference(h);
        if (Simd.Use512 && i + 32 <= n)
        {
            var gen = new KeepMask.Generator512(seed, offset + i, threshold, keep);
            for (; i + 32 <= n; i += 32)
            {
                var (lo, hi) = gen.Next();
                lo.StoreUnsafe(ref mr, (nuint)i);
                hi.StoreUnsafe(ref mr, (nuint)(i + 16));
                (Vector512.Max(Vector512.LoadUnsafe(ref zr, (nuint)i), Vector512<float>.Zero) * lo).StoreUnsafe(ref hr, (nuint)i);
                (Vector512.Max(Vector512.LoadUnsafe(ref zr, (nuint)(i + 16)), Vector512<float>.Zero) * hi).StoreUnsafe(ref hr, (nuint)(i + 16));
            }
        }
        if (Simd.Use256 && i + 16 <= n)
        {
            var gen = new KeepMask.Generator256(seed, offset + i, threshold, keep);
            for (; i + 16 <= n; i += 16)
            {
                var (lo, hi) = gen.Next();
                lo.StoreUnsafe(ref mr, (nuint)i);
                hi.StoreUnsafe(ref mr, (nuint)(i + 8));
                (Vector256.Max(Vector256.LoadUnsafe(ref zr, (nuint)i), Vector256<float>.Zero) * lo).StoreUnsafe(ref hr, (nuint)i);
                (Vector256.Max(Vector256.LoadUnsafe(ref zr, (nuint)(i + 8)), Vector256<float>.Zero) * hi).StoreUnsafe(ref hr, (nuint)(i + 8));
            }
        }
        for (; i < n; i++) Scalar(z, mask, h, seed, offset, threshold, keep, i);
    }

    /// <summary>Scalar definition of <see cref="Forward"/>.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> z, Span<float> mask, Span<float> h, ulong seed, long offset, ushort threshold, float keep)
    {
        Preconditions.CheckLength(mask.Length, z.Length);
        Preconditions.CheckLength(h.Length, z.Length);
        for (int i = 0; i < z.Length; i++) Scalar(z, mask, h, seed, offset, threshold, keep, i);
    }

    private static void Scalar(ReadOnlySpan<float> z, Span<float> mask, Span<float> h, ulong seed, long offset, ushort threshold, float keep, int i)
    {
        float m = KeepMask.Uniform16(seed, offset + i) < threshold ? 0f : keep;
        mask[i] = m;
        h[i] = MathF.Max(z[i], 0f) * m;
    }

    /// <summary>The backward pass above. <paramref name="dz"/> may alias <paramref name="dh"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // R2R code with Vector512 is rejected at run time: compile once, optimized
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> mask, ReadOnlySpan<float> dh, Span<float> dz)
    {
        Preconditions.CheckLength(mask.Length, z.Length);
        Preconditions.CheckLength(dh.Length, z.Length);
        Preconditions.CheckLength(dz.Length, z.Length);
        int n = z.Length, i = 0;
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float mr = ref MemoryMarshal.GetReference(mask);
        ref float dr = ref MemoryMarshal.GetReference(dh);
        ref float or = ref MemoryMarshal.GetReference(dz);
        if (Simd.Use512)
        {
            for (; i + 16 <= n; i += 16)
            {
                var pos = Vector512.GreaterThan(Vector512.LoadUnsafe(ref zr, (nuint)i), Vector512<float>.Zero);
                (pos & (Vector512.LoadUnsafe(ref dr, (nuint)i) * Vector512.LoadUnsafe(ref mr, (nuint)i))).StoreUnsafe(ref or, (nuint)i);
            }
        }
        if (Simd.Use256)
        {
            for (; i + 8 <= n; i += 8)
            {
                var pos = Vector256.GreaterThan(Vector256.LoadUnsafe(ref zr, (nuint)i), Vector256<float>.Zero);
                (pos & (Vector256.LoadUnsafe(ref dr, (nuint)i) * Vector256.LoadUnsafe(ref mr, (nuint)i))).StoreUnsafe(ref or, (nuint)i);
            }
        }
        for (; i < n; i++) dz[i] = z[i] > 0f ? dh[i] * mask[i] : 0f;
    }

    /// <summary>Scalar definition of <see cref="Backward"/>.</summary>
    public static void BackwardScalar(ReadOnlySpan<float> z, ReadOnlySpan<float> mask, ReadOnlySpan<float> dh, Span<float> dz)
    {
        for (int i = 0; i < z.Length; i++) dz[i] = z[i] > 0f ? dh[i] * mask[i] : 0f;
    }
}
