using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Occam.Numerics.Random;

namespace Occam.Numerics.Activations;

/// <summary>
/// A dense layer's bias, a ReLU and inverted dropout in one pass each way (training mode). With z the product
/// <c>X·Wᵀ</c> (or the dense output with its bias already added, when <c>b</c> is empty), rows of width w,
/// <c>mask(e)</c> the <see cref="KeepMask"/> of <c>seed</c> at flattened element e (0 or keep = 1/(1 − p)):
/// <code>
/// forward:  h[r·w + j] = max(z[r·w + j] + b[j], 0)·mask(offset + r·w + j)      (no "+ b[j]" when b is empty)
/// backward: dz[i] = h[i] &gt; 0 ? dh[i]·keep : 0
/// </code>
/// Forward is bit for bit the dense output <c>fl(z + b)</c> (what the GEMM's β = 1 store over bias rows gives for a
/// product of one depth block), <see cref="Relu.Forward"/>, <see cref="KeepMask.Fill(Span{float}, ulong, long, ushort, float)"/> and an element-wise product;
/// NaN propagates as in <see cref="Relu"/>. The mask is not stored: the backward pass needs only h, since for finite
/// or infinite z, h &gt; 0 ⇔ (z + b &gt; 0 and the unit was kept) (keep ≥ 1 never rounds a positive value to 0), and then
/// mask = keep. Against the unfused passes (<c>dh·mask</c>, then <c>z &gt; 0 ? · : 0</c>) backward differs only where
/// a positive unit was dropped: +0 instead of <c>dh·0</c> (±0, or NaN for an infinite or NaN dh, which only a diverged loss produces) — a sign of zero that no
/// later sum sees (every product and bias gradient starts its sums at +0, and +0 + (−0) = +0). The vector paths equal
/// <see cref="ForwardScalar"/> / <see cref="BackwardScalar"/> bit for bit.
/// </summary>
internal static class ReluDropout
{
    /// <summary>
    /// The forward pass above over <c>z.Length / width</c> rows; <paramref name="bias"/> is empty (then the width is not
    /// used) or has <paramref name="width"/> entries; <paramref name="offset"/> is the flattened index of z[0] in the layer's mask.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // R2R code with Vector512 is rejected at run time: compile once, optimized
    public static void Forward(ReadOnlySpan<float> z, ReadOnlySpan<float> bias, int width, Span<float> h, ulong seed, long offset, ushort threshold, float keep)
    {
        Check(z, bias, width, h);
        if (!bias.IsEmpty && Simd.Use512 && width % 32 == 0 && (offset & 3) == 0)
        {
            // Rows of whole 32-element steps: one generator over all rows, the bias vectors by column (no set-up per row).
            RunWholeSteps(z, bias, h, seed, offset, threshold, keep);
            return;
        }
        if (!bias.IsEmpty && Simd.Use256 && !Simd.Use512 && width % 16 == 0 && (offset & 3) == 0)
        {
            // The same on AVX2 with 16-element steps (a generator per row cost ≈ 15 % of the pass at width 128).
            RunWholeSteps256(z, bias, h, seed, offset, threshold, keep);
            return;
        }
        // Without a bias the whole span is one row. One call site of the inlined Run (its three generator loops): two
        // doubled the JIT's time for this method (compiled at its first call, docs/algorithms/startup.md).
        int row = bias.IsEmpty ? z.Length : width;
        for (int start = 0; start < z.Length; start += row)
            Run(z.Slice(start, row), bias, h.Slice(start, row), seed, offset + start, threshold, keep);
    }

    /// <summary>
    /// Whether <see cref="Forward"/> with a bias runs as fast as without one for rows of <paramref name="width"/>: whole
    /// 32-element generator steps per row (one generator over all rows on AVX-512). Narrower or ragged rows set up a
    /// generator (or draw element by element) per row, which costs more than the bias rows it saves.
    /// </summary>
    public static bool AddsBiasFast(int width) => width % 32 == 0;

    /// <summary>Scalar definition of <see cref="Forward"/>.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> z, ReadOnlySpan<float> bias, int width, Span<float> h, ulong seed, long offset, ushort threshold, float keep)
    {
        Check(z, bias, width, h);
        for (int i = 0; i < z.Length; i++)
        {
            float x = bias.IsEmpty ? z[i] : z[i] + bias[i % width];
            h[i] = MathF.Max(x, 0f) * (KeepMask.Uniform16(seed, offset + i) < threshold ? 0f : keep);
        }
    }

    private static void Check(ReadOnlySpan<float> z, ReadOnlySpan<float> bias, int width, Span<float> h)
    {
        Preconditions.CheckLength(h.Length, z.Length);
        if (bias.IsEmpty) return;   // rows do not matter without a bias
        Preconditions.CheckPositive(width, nameof(width));
        Preconditions.CheckLength(bias.Length, width);
        if (z.Length % width != 0) throw new ArgumentException($"z holds {z.Length} values, not whole rows of {width}.", nameof(z));
    }

    /// <summary>
    /// Elements [0, n) of one span (b empty) or one row (b[j] added to z[j]), by <see cref="KeepMask.Map"/>: scalar up to the
    /// next multiple of 4 of the flattened index (where a SplitMix64 output starts), then 32 (AVX-512) or 16 (AVX2)
    /// elements per generator step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Run(ReadOnlySpan<float> z, ReadOnlySpan<float> b, Span<float> h, ulong seed, long offset, ushort threshold, float keep) =>
        KeepMask.Map(Simd.Widest, z.Length, seed, offset, threshold, keep, new Apply(z, b, h));

    /// <summary><c>h[i] = max(z[i] (+ b[i]), 0)·mask[i]</c>, the consumer of <see cref="Run"/>'s mask values.</summary>
    private readonly ref struct Apply(ReadOnlySpan<float> z, ReadOnlySpan<float> b, Span<float> h) : KeepMask.IMaskConsumer
    {
        private readonly ReadOnlySpan<float> _z = z, _b = b;
        private readonly Span<float> _h = h;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(int i, float mask)
        {
            float x = _b.IsEmpty ? _z[i] : _z[i] + _b[i];
            _h[i] = MathF.Max(x, 0f) * mask;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(int i, Vector256<float> lo, Vector256<float> hi)
        {
            ref float z = ref MemoryMarshal.GetReference(_z);
            var x0 = Vector256.LoadUnsafe(ref z, (nuint)i);
            var x1 = Vector256.LoadUnsafe(ref z, (nuint)(i + 8));
            if (!_b.IsEmpty)
            {
                x0 += Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_b), (nuint)i);
                x1 += Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_b), (nuint)(i + 8));
            }
            ref float h = ref MemoryMarshal.GetReference(_h);
            (Relu256(x0) * lo).StoreUnsafe(ref h, (nuint)i);
            (Relu256(x1) * hi).StoreUnsafe(ref h, (nuint)(i + 8));
        }

        /// <summary>
        /// <c>MathF.Max(x, 0)</c> lane by lane (NaN stays NaN, −0 gives +0) in two instructions on AVX: <c>vmaxps(0, x)</c>
        /// returns its second operand x when x is NaN or ±0, and adding +0 turns −0 into +0 and leaves every other value
        /// (NaN included) as it is. <see cref="Vector256.Max"/> keeps the same IEEE semantics with six instructions
        /// (two compares, and/andn/or blends), which made this pass ≈ 2× slower than its Vector512 form per element.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector256<float> Relu256(Vector256<float> x) =>
            Avx.IsSupported ? Avx.Max(Vector256<float>.Zero, x) + Vector256<float>.Zero : Vector256.Max(x, Vector256<float>.Zero);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(int i, Vector512<float> lo, Vector512<float> hi)
        {
            ref float z = ref MemoryMarshal.GetReference(_z);
            var x0 = Vector512.LoadUnsafe(ref z, (nuint)i);
            var x1 = Vector512.LoadUnsafe(ref z, (nuint)(i + 16));
            if (!_b.IsEmpty)
            {
                x0 += Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(_b), (nuint)i);
                x1 += Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(_b), (nuint)(i + 16));
            }
            ref float h = ref MemoryMarshal.GetReference(_h);
            (Vector512.Max(x0, Vector512<float>.Zero) * lo).StoreUnsafe(ref h, (nuint)i);
            (Vector512.Max(x1, Vector512<float>.Zero) * hi).StoreUnsafe(ref h, (nuint)(i + 16));
        }
    }

    /// <summary>
    /// <see cref="Forward"/> with a bias when the width is a multiple of 32 and the offset of 4 (AVX-512): 32 elements per
    /// generator step never straddle a row, so column j of step i is i mod width.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // R2R code with Vector512 is rejected at run time: compile once, optimized
    private static void RunWholeSteps(ReadOnlySpan<float> z, ReadOnlySpan<float> b, Span<float> h, ulong seed, long offset, ushort threshold, float keep)
    {
        int n = z.Length, width = b.Length;
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float hr = ref MemoryMarshal.GetReference(h);
        var gen = new KeepMask.Generator512(seed, offset, threshold, keep);
        for (int i = 0, j = 0; i < n; i += 32)
        {
            var (lo, hi) = gen.Next();
            var x0 = Vector512.LoadUnsafe(ref zr, (nuint)i) + Vector512.LoadUnsafe(ref br, (nuint)j);
            var x1 = Vector512.LoadUnsafe(ref zr, (nuint)(i + 16)) + Vector512.LoadUnsafe(ref br, (nuint)(j + 16));
            (Vector512.Max(x0, Vector512<float>.Zero) * lo).StoreUnsafe(ref hr, (nuint)i);
            (Vector512.Max(x1, Vector512<float>.Zero) * hi).StoreUnsafe(ref hr, (nuint)(i + 16));
            j += 32;
            if (j == width) j = 0;
        }
    }

    /// <summary>
    /// <see cref="Forward"/> with a bias when the width is a multiple of 16 and the offset of 4 on AVX2: 16 elements per
    /// generator step never straddle a row, so column j of step i is i mod width. Internal for the tests, which run it
    /// on any machine with Vector256.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static void RunWholeSteps256(ReadOnlySpan<float> z, ReadOnlySpan<float> b, Span<float> h, ulong seed, long offset, ushort threshold, float keep)
    {
        int n = z.Length, width = b.Length;
        System.Diagnostics.Debug.Assert(width % 16 == 0 && n % width == 0 && (offset & 3) == 0);
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float hr = ref MemoryMarshal.GetReference(h);
        var gen = new KeepMask.Generator256(seed, offset, threshold, keep);
        for (int i = 0, j = 0; i < n; i += 16)
        {
            var (lo, hi) = gen.Next();
            var x0 = Vector256.LoadUnsafe(ref zr, (nuint)i) + Vector256.LoadUnsafe(ref br, (nuint)j);
            var x1 = Vector256.LoadUnsafe(ref zr, (nuint)(i + 8)) + Vector256.LoadUnsafe(ref br, (nuint)(j + 8));
            (Apply.Relu256(x0) * lo).StoreUnsafe(ref hr, (nuint)i);
            (Apply.Relu256(x1) * hi).StoreUnsafe(ref hr, (nuint)(i + 8));
            j += 16;
            if (j == width) j = 0;
        }
    }

    /// <summary>The backward pass above. <paramref name="dz"/> may alias <paramref name="dh"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // R2R code with Vector512 is rejected at run time: compile once, optimized
    public static void Backward(ReadOnlySpan<float> h, ReadOnlySpan<float> dh, Span<float> dz, float keep)
    {
        Preconditions.CheckLength(dh.Length, h.Length);
        Preconditions.CheckLength(dz.Length, h.Length);
        Simd.Map(h, dh, dz, new BackwardOperator(keep));
    }

    /// <summary>Scalar definition of <see cref="Backward"/>.</summary>
    public static void BackwardScalar(ReadOnlySpan<float> h, ReadOnlySpan<float> dh, Span<float> dz, float keep)
    {
        for (int i = 0; i < h.Length; i++) dz[i] = h[i] > 0f ? dh[i] * keep : 0f;
    }

    /// <summary><c>dz = h &gt; 0 ? dh·keep : 0</c> for <see cref="Simd"/>.Map (the vector lanes: a compare mask AND dh·keep).</summary>
    private readonly struct BackwardOperator(float keep) : IBinaryOperator<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float h, float dh) => h > 0f ? dh * keep : 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> h, Vector256<float> dh) =>
            Vector256.GreaterThan(h, Vector256<float>.Zero) & (dh * Vector256.Create(keep));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> h, Vector512<float> dh) =>
            Vector512.GreaterThan(h, Vector512<float>.Zero) & (dh * Vector512.Create(keep));
    }
}
