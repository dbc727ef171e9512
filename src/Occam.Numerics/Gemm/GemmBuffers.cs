namespace Occam.Numerics;

/// <summary>
/// Per-thread packing buffers: pinned arrays on the pinned object heap, grown on demand and then
/// reused, so steady-state GEMM calls allocate nothing. Pointers are aligned to 64 bytes (<see cref="PinnedLines"/>).
/// </summary>
internal static unsafe class GemmBuffers
{
    [ThreadStatic] private static float[]? s_a;
    [ThreadStatic] private static float[]? s_b;

    /// <summary>The calling thread's buffer for packed A blocks, at least <paramref name="floats"/> long.</summary>
    public static float* PackedA(int floats) => Get(ref s_a, floats);

    /// <summary>The calling thread's buffer for packed B blocks, at least <paramref name="floats"/> long.</summary>
    public static float* PackedB(int floats) => Get(ref s_b, floats);

    private static float* Get(ref float[]? buffer, int floats)
    {
        if (buffer is null || buffer.Length < floats + PinnedLines.SpareFloats)
            return PinnedLines.Allocate(floats, out buffer);
        return PinnedLines.Start(buffer);
    }
}
