using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics;

/// <summary>Which vector width the hand-written kernels use on this machine.</summary>
internal static class Simd
{
    /// <summary>True when 512-bit vectors are hardware accelerated (AVX-512).</summary>
    public static readonly bool Use512 = Vector512.IsHardwareAccelerated;

    /// <summary>True when 256-bit vectors are hardware accelerated (AVX2).</summary>
    public static readonly bool Use256 = Vector256.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref float At(Span<float> span, int index) => ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span), index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref float At(ReadOnlySpan<float> span, int index) => ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span), index);
}
