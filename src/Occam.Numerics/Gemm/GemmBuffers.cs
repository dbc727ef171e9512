using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Occam.Numerics;

/// <summary>
/// Per-thread packing buffers: pinned arrays on the pinned object heap, grown on demand and then
/// reused, so steady-state GEMM calls allocate nothing. Pointers are aligned to 64 bytes.
/// </summary>
internal static unsafe class GemmBuffers
{
    private const int AlignFloats = 16; // 64 bytes

    [ThreadStatic] private static float[]? s_a;
    [ThreadStatic] private static float[]? s_b;

    /// <summary>The calling thread's buffer for packed A blocks, at least <paramref name="floats"/> long.</summary>
    public static float* PackedA(int floats) => Get(ref s_a, floats);

    /// <summary>The calling thread's buffer for packed B blocks, at least <paramref name="floats"/> long.</summary>
    public static float* PackedB(int floats) => Get(ref s_b, floats);

    private static float* Get(ref float[]? buffer, int floats)
    {
        if (buffer is null || buffer.Length < floats + AlignFloats)
            buffer = GC.AllocateUninitializedArray<float>(floats + AlignFloats, pinned: true);
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)((p + 63) & ~(nint)63);
    }
}
