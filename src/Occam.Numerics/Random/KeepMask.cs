using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // R2R code with Vector512 is rejected at run time: compile once, optimized
    public static void Fill(Span<float> mask, ulong seed, long offset, ushort threshold, float keep)
    {
        System.Diagnostics.Debug.Assert(offset >= 0);
        int n = mask.Length, i = 0;
        // Scalar head up to the next output boundary (e ≡ 0 mod 4), then whole outputs.
        for (; i < n && ((offset + i) & 3) != 0; i++) mask[i] = Uniform16(seed, offset + i) < threshold ? 0f : keep;
        ref float dst = ref MemoryMarshal.GetReference(mask);
        if (Simd.Use512 && i + 32 <= n)
        {
            var gen = new Generator512(seed, offset + i, threshold, keep);
            for (; i + 32 <= n; i += 32)
            {
                var (lo, hi) = gen.Next();
                lo.StoreUnsafe(ref dst, (nuint)i);
                hi.StoreUnsafe(ref dst, (nuint)(i + 16));
            }
        }
        if (Simd.Use256 && i + 16 <= n)
        {
            var gen = new Generator256(seed, offset + i, threshold, keep);
            for (; i + 16 <= n; i += 16)
            {
                var (lo, hi) = gen.Next();
                lo.StoreUnsafe(ref dst, (nuint)i);
                hi.StoreUnsafe(ref dst, (nuint)(i + 8));
            }
        }
        for (; i < n; i++) mask[i] = Uniform16(seed, offset + i) < threshold ? 0f : keep;
    }

    /// <summary>Scalar definition of <see cref="Fill"/>.</summary>
    public static void FillScalar(Span<float> mask, ulong seed, long offset, ushort threshold, float keep)
    {
        for (int i = 0; i < mask.Length; i++) mask[i] = Uniform16(seed, offset + i) < threshold ? 0f : keep;
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

    /// <summary><see cref="Generator512"/> with 4 outputs (16 elements) per step.</summary>
    internal struct Generator256
    {
        private Vector256<ulong> _z;
        private readonly Vector256<ushort> _threshold;
        private readonly Vector256<float> _keep;

        public Generator256(ulong seed, long start, ushort threshold, float keep)
        {
            System.Diagnostics.Debug.Assert((start & 3) == 0);
            ulong first = seed + ((ulong)(start >> 2) + 1) * Gamma;
            _z = Vector256.Create(first, first + Gamma, unchecked(first + 2 * Gamma), unchecked(first + 3 * Gamma));
            _threshold = Vector256.Create(threshold);
            _keep = Vector256.Create(keep);
        }

        /// <summary>The next 16 mask values (elements 0–7, 8–15).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public (Vector256<float> Lo, Vector256<float> Hi) Next()
        {
            var z = _z;
            _z = z + Vector256.Create(unchecked(4 * Gamma));
            z = (z ^ Vector256.ShiftRightLogical(z, 30)) * Vector256.Create(M1);
            z = (z ^ Vector256.ShiftRightLogical(z, 27)) * Vector256.Create(M2);
            z ^= Vector256.ShiftRightLogical(z, 31);
            var drop = Vector256.LessThan(z.AsUInt16(), _threshold).AsInt16();
            var (lo, hi) = Vector256.Widen(drop);
            return (Vector256.AndNot(_keep, lo.AsSingle()), Vector256.AndNot(_keep, hi.AsSingle()));
        }
    }
}
