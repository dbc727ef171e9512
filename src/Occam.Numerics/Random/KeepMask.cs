using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics.Random;

/// <summary>
/// Counter-based inverted-dropout mask: element e of a layer's flattened <c>[rows][width]</c> mask (e = offset + i)
/// is a pure function of one 64-bit <c>seed</c> and e, so any slice (a row range, a thread's share) can be filled
/// on its own and the mask does not depend on how the work is split:
/// <code>
/// b(j)    = mix(seed + (j + 1)·γ)          γ = 0x9E3779B97F4A7C15: output j of SplitMix64 started at seed
/// mix(z)  : z ← (z ⊕ z≫30)·0xBF58476D1CE4E5B9;  z ← (z ⊕ z≫27)·0x94D049BB133111EB;  z ⊕ z≫31
/// u(e)    = bits 16·(e mod 4) … 16·(e mod 4) + 15 of b(⌊e/4⌋)        (four 16-bit uniforms per output, low first)
/// mask[i] = u(offset + i) &lt; threshold ? 0 : keep
/// </code>
/// SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; the mixer is
/// Stafford's variant 13) is itself counter-based, which is what makes the outputs addressable; PyTorch's CUDA dropout
/// is counter-based for the same reason (Philox). The vector paths (8 or 4 outputs = 32 or 16 elements per
/// iteration) equal <see cref="FillScalar"/> bit for bit.
/// </summary>
internal static class KeepMask
{
    /// <summary>γ, SplitMix64's increment (the golden ratio in 64-bit fixed point).</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    private const ulong M1 = 0xBF58476D1CE4E5B9UL, M2 = 0x94D049BB133111EBUL;

    /// <summary>The SplitMix64 output function <c>mix(z)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * M1;
        z = (z ^ (z >> 27)) * M2;
        return z ^ (z >> 31);
    }

    /// <summary><c>u(e)</c>: the 16-bit uniform of flattened element <paramref name="e"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Uniform16(ulong seed, long e) =>
        (ushort)(Mix(seed + ((ulong)(e >> 2) + 1) * Gamma) >> (16 * (int)(e & 3)));

    /// <summary>Fills <paramref name="mask"/> with elements <paramref name="offset"/> … of the mask of <paramref name="seed"/> (vectorized).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // R2R code with Vector512 is rejected at run time: compile once, optimized
    public static void Fill(Span<float> mask, ulong seed, long offset, ushort threshold, float keep) =>
        Map(Simd.Widest, mask.Length, seed, offset, threshold, keep, new Store(mask));

    /// <summary><see cref="Fill(Span{float}, ulong, long, ushort, float)"/> with generator steps no wider than <paramref name="width"/> (tests).</summary>
    internal static void Fill(VectorWidth width, Span<float> mask, ulong seed, long offset, ushort threshold, float keep) =>
        Map(width, mask.Length, seed, offset, threshold, keep, new Store(mask));

    /// <summary>
    /// The walk over a slice of the mask that every consumer of mask values shares: for i &lt; n, element
    /// <c>offset + i</c>'s value <c>mask[i]</c> (the definition above) is handed to <paramref name="op"/> — scalar up to the
    /// next output boundary (offset + i ≡ 0 mod 4), then 32 values per <see cref="Generator512"/> step (two 16-lane
    /// vectors, AVX-512) or 16 per <see cref="Generator256"/> step (two 8-lane vectors), then the scalar tail. Each index
    /// is handed over exactly once, in increasing order, with the same value on every path (<paramref name="width"/>:
    /// <see cref="Simd.Widest"/>, or another width in tests).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<TOp>(VectorWidth width, int n, ulong seed, long offset, ushort threshold, float keep, TOp op)
        where TOp : struct, IMaskConsumer, allows ref struct
    {
        System.Diagnostics.Debug.Assert(offset >= 0 && n >= 0);
        int i = 0;
        for (; i < n && ((offset + i) & 3) != 0; i++) op.Invoke(i, Value(seed, offset + i, threshold, keep));
        if (width == VectorWidth.V512 && i + 32 <= n)
        {
            var gen = new Generator512(seed, offset + i, threshold, keep);
            for (; i + 32 <= n; i += 32)
            {
                var (lo, hi) = gen.Next();
                op.Invoke(i, lo, hi);
            }
        }
        if (width >= VectorWidth.V256 && i + 16 <= n)
        {
            var gen = new Generator256(seed, offset + i, threshold, keep);
            for (; i + 16 <= n; i += 16)
            {
                var (lo, hi) = gen.Next();
                op.Invoke(i, lo, hi);
            }
        }
        for (; i < n; i++) op.Invoke(i, Value(seed, offset + i, threshold, keep));
    }

    /// <summary><c>mask(e) = u(e) &lt; threshold ? 0 : keep</c>, one element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Value(ulong seed, long e, ushort threshold, float keep) => Uniform16(seed, e) < threshold ? 0f : keep;

    /// <summary>
    /// What <see cref="Map"/> does with the mask values of element i (scalar), of elements i … i + 15 (lo: i … i + 7,
    /// hi: i + 8 … i + 15) or of elements i … i + 31 (lo: i … i + 15, hi: i + 16 … i + 31). A whole generator step at once,
    /// so that a consumer can load all its inputs before it stores (a store between two loads can stall on a false
    /// 4 KiB-alias dependency: measured 2× slower for some buffer placements).
    /// </summary>
    internal interface IMaskConsumer
    {
        void Invoke(int i, float mask);
        void Invoke(int i, Vector256<float> lo, Vector256<float> hi);
        void Invoke(int i, Vector512<float> lo, Vector512<float> hi);
    }

    /// <summary><see cref="Fill(Span{float}, ulong, long, ushort, float)"/>'s consumer: <c>destination[i] = mask[i]</c>.</summary>
    private readonly ref struct Store(Span<float> destination) : IMaskConsumer
    {
        private readonly Span<float> _d = destination;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(int i, float mask) => Unsafe.Add(ref MemoryMarshal.GetReference(_d), i) = mask;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(int i, Vector256<float> lo, Vector256<float> hi)
        {
            lo.StoreUnsafe(ref MemoryMarshal.GetReference(_d), (nuint)i);
            hi.StoreUnsafe(ref MemoryMarshal.GetReference(_d), (nuint)(i + 8));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(int i, Vector512<float> lo, Vector512<float> hi)
        {
            lo.StoreUnsafe(ref MemoryMarshal.GetReference(_d), (nuint)i);
            hi.StoreUnsafe(ref MemoryMarshal.GetReference(_d), (nuint)(i + 16));
        }
    }

    /// <summary>Scalar definition of <see cref="Fill(Span{float}, ulong, long, ushort, float)"/>.</summary>
    public static void FillScalar(Span<float> mask, ulong seed, long offset, ushort threshold, float keep)
    {
        for (int i = 0; i < mask.Length; i++) mask[i] = Value(seed, offset + i, threshold, keep);
    }

    /// <summary>
    /// Mask values for 32 consecutive elements per <see cref="Next"/>, starting at element <c>start</c>
    /// (a multiple of 4): 8 SplitMix64 outputs in one <see cref="Vector512{T}"/> of 64-bit lanes.
    /// </summary>
    internal struct Generator512
    {
        private Vector512<ulong> _z;
        private readonly Vector512<ushort> _threshold;
        private readonly Vector512<float> _keep;

        public Generator512(ulong seed, long start, ushort threshold, float keep)
        {
            System.Diagnostics.Debug.Assert((start & 3) == 0);
            ulong first = seed + ((ulong)(start >> 2) + 1) * Gamma;
            _z = Vector512.Create(first) + Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7) * Vector512.Create(Gamma);
            _threshold = Vector512.Create(threshold);
            _keep = Vector512.Create(keep);
        }

        /// <summary>The next 32 mask values (elements 0–15, 16–31).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public (Vector512<float> Lo, Vector512<float> Hi) Next()
        {
            var z = _z;
            _z = z + Vector512.Create(unchecked(8 * Gamma));
            z = (z ^ Vector512.ShiftRightLogical(z, 30)) * Vector512.Create(M1);
            z = (z ^ Vector512.ShiftRightLogical(z, 27)) * Vector512.Create(M2);
            z ^= Vector512.ShiftRightLogical(z, 31);
            var drop = Vector512.LessThan(z.AsUInt16(), _threshold).AsInt16();
            var (lo, hi) = Vector512.Widen(drop);
            return (Vector512.AndNot(_keep, lo.AsSingle()), Vector512.AndNot(_keep, hi.AsSingle()));
        }
    }

    /// <summary>
    /// <see cref="Generator512"/> with 4 outputs (16 elements) per step. AVX2 has no 64-bit vector multiply (vpmullq is
    /// AVX-512), so with AVX2 only (<see cref="EmulatesMultiply"/>) each product <c>z·M mod 2⁶⁴</c> is <c>lo(z)·lo(M) + ((lo(z)·hi(M) + hi(z)·lo(M)) mod 2³²)·2³²</c>:
    /// one <c>vpmuludq</c> for the first term and one <c>vpmulld</c> (32-bit products of z's halves with M's halves
    /// swapped, <c>(lo(z)·hi(M), hi(z)·lo(M))</c>) for both cross terms, whose sum lands in the high half as
    /// <c>c + (c ≪ 32)</c> with the low half masked off — 6 instructions per product instead of the JIT's 7 (three
    /// <c>vpmuludq</c>). The outputs sit in the lanes in the order 0, 2 | 1, 3, so that the 16-bit keep flags widen to
    /// 32-bit masks in element order with two in-lane unpacks (no cross-lane extract), and a flag is
    /// <c>max(u, threshold) == u</c> (AVX2 has unsigned 16-bit max, not compare). The same mask bits on every path.
    /// </summary>
    internal struct Generator256
    {
        private Vector256<ulong> _z;
        private readonly Vector256<ushort> _threshold;
        private readonly Vector256<float> _keep;

        public Generator256(ulong seed, long start, ushort threshold, float keep)
        {
            System.Diagnostics.Debug.Assert((start & 3) == 0);
            ulong first = seed + ((ulong)(start >> 2) + 1) * Gamma;
            _z = EmulatesMultiply
                ? Vector256.Create(first, unchecked(first + 2 * Gamma), first + Gamma, unchecked(first + 3 * Gamma))   // outputs 0, 2 | 1, 3
                : Vector256.Create(first, first + Gamma, unchecked(first + 2 * Gamma), unchecked(first + 3 * Gamma));
            _threshold = Vector256.Create(threshold);
            _keep = Vector256.Create(keep);
        }

        /// <summary>The next 16 mask values (elements 0–7, 8–15).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public (Vector256<float> Lo, Vector256<float> Hi) Next()
        {
            var z = _z;
            _z = z + Vector256.Create(unchecked(4 * Gamma));
            if (EmulatesMultiply)
            {
                z = Multiply(z ^ Vector256.ShiftRightLogical(z, 30), M1);
                z = Multiply(z ^ Vector256.ShiftRightLogical(z, 27), M2);
                z ^= Vector256.ShiftRightLogical(z, 31);
                var u = z.AsUInt16();
                var kept = Vector256.Equals(Vector256.Max(u, _threshold), u).AsInt16();
                return (Avx2.UnpackLow(kept, kept).AsSingle() & _keep, Avx2.UnpackHigh(kept, kept).AsSingle() & _keep);
            }
            z = (z ^ Vector256.ShiftRightLogical(z, 30)) * Vector256.Create(M1);
            z = (z ^ Vector256.ShiftRightLogical(z, 27)) * Vector256.Create(M2);
            z ^= Vector256.ShiftRightLogical(z, 31);
            var drop = Vector256.LessThan(z.AsUInt16(), _threshold).AsInt16();
            var (lo, hi) = Vector256.Widen(drop);
            return (Vector256.AndNot(_keep, lo.AsSingle()), Vector256.AndNot(_keep, hi.AsSingle()));
        }

        /// <summary>
        /// Whether <see cref="Next"/> multiplies with AVX2's 32-bit products (AVX2 without AVX-512DQ/VL, or AVX-512 turned
        /// off). With AVX-512 the JIT's own <c>Vector256&lt;ulong&gt;</c> product is one <c>vpmullq</c>, kept as it was.
        /// </summary>
        private static bool EmulatesMultiply => Avx2.IsSupported && !Avx512DQ.VL.IsSupported;

        /// <summary>
        /// <c>z·m mod 2⁶⁴</c> per 64-bit lane with AVX2 (see the struct summary). The constants are built as eight 32-bit
        /// lanes: <c>Vector256.Create(m).AsUInt32()</c> as an operand of <c>vpmuludq</c> gave wrong products with AVX-512
        /// on (.NET 10.0.12, a 64-bit broadcast folded into the 32-bit instruction).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<ulong> Multiply(Vector256<ulong> z, ulong m)
        {
            uint lo = (uint)m, hi = (uint)(m >> 32);
            var low = Avx2.Multiply(z.AsUInt32(), Vector256.Create(lo, hi, lo, hi, lo, hi, lo, hi));             // lo(z)·lo(m), 64 bits
            var cross = Avx2.MultiplyLow(z.AsUInt32(), Vector256.Create(hi, lo, hi, lo, hi, lo, hi, lo)).AsUInt64();   // lo(z)·hi(m), hi(z)·lo(m)
            var high = (cross + Vector256.ShiftLeft(cross, 32)) & Vector256.Create(0xFFFF_FFFF_0000_0000UL);
            return low + high;
        }
    }
}
