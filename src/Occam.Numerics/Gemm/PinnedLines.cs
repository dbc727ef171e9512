using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Occam.Numerics;

/// <summary>
/// Pinned float buffers whose data start on a 64-byte cache line: a managed array's data start 16 bytes past a line (8 on
/// some runtimes), so whole-Vector512 loads and stores from its start would each split two lines. The array is allocated
/// on the pinned object heap and never moves, so the returned address stays valid as long as the array is referenced.
/// </summary>
internal static unsafe class PinnedLines
{
    /// <summary>Spare floats so that a 64-byte line boundary falls within the first 16 (64 bytes) of the array.</summary>
    public const int SpareFloats = 15;

    /// <summary>
    /// Allocates <paramref name="array"/> (pinned, uninitialized) with room for <paramref name="floats"/> floats starting
    /// <paramref name="offsetFloats"/> floats past its first 64-byte line boundary, and returns that start.
    /// <paramref name="offsetFloats"/> is 0 except in A/B measurements of misaligned buffers.
    /// </summary>
    public static float* Allocate(int floats, out float[] array, int offsetFloats = 0)
    {
        array = GC.AllocateUninitializedArray<float>(floats + SpareFloats + offsetFloats, pinned: true);
        return Start(array) + offsetFloats;
    }

    /// <summary>The first 64-byte line boundary within a pinned <paramref name="array"/>'s data.</summary>
    public static float* Start(float[] array)
    {
        nint at = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        return (float*)((at + 63) & ~(nint)63);
    }
}
