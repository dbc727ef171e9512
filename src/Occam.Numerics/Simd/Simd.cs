using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics;

/// <summary>
/// Which vector width the hand-written kernels use on this machine, and the one shared SIMD driver that runs the
/// element-wise kernels (<c>Simd.Map</c>, <c>Simd.Sum</c>, <c>Simd.Count</c> in the files of this folder). See
/// docs/algorithms/simd.md: an operator struct says what one element becomes (<c>Invoke(T)</c>) and the same on
/// 256- and 512-bit vectors; the driver walks the spans widest vector first, then the scalar tail.
/// </summary>
internal static partial class Simd
{
    /// <summary>True when 512-bit vectors are hardware accelerated (AVX-512).</summary>
    public static readonly bool Use512 = Vector512.IsHardwareAccelerated;

    /// <summary>True when 256-bit vectors are hardware accelerated (AVX2).</summary>
    public static readonly bool Use256 = Vector256.IsHardwareAccelerated;

    /// <summary>The widest accelerated width: what the drivers use unless a test asks for another.</summary>
    public static readonly VectorWidth Widest = Use512 ? VectorWidth.V512 : Use256 ? VectorWidth.V256 : VectorWidth.Scalar;

    /// <summary>
    /// <see cref="Widest"/>, but no wider than <paramref name="cap"/>: for an operator whose vector form is written at one
    /// width only (a wider Invoke as two halves would be as fast at best, and too large for the JIT to inline twice).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorWidth AtMost(VectorWidth cap) => Widest < cap ? Widest : cap;
}

/// <summary>
/// The widest vector a driver loop uses: <see cref="V512"/> runs 512-bit steps, then 256-bit steps for what is left,
/// then the scalar tail; <see cref="V256"/> skips the 512-bit steps; <see cref="Scalar"/> runs the tail loop only.
/// Every width gives the same bits for the maps (each element's operations do not depend on the width).
/// </summary>
internal enum VectorWidth
{
    Scalar = 0,
    V256 = 256,
    V512 = 512,
}
