using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Occam.Numerics.Conversion;

namespace Occam.Numerics;

/// <summary>
/// The gather of <see cref="Gemm.MultiplyRows"/>'s
/// gatherA: rows of a row-major matrix read through a row table, written one after another.
/// </summary>
internal static unsafe class GemmGatherRows
{
    /// <summary>
    /// For i in [<paramref name="r0"/>, <paramref name="r1"/>), p &lt; k: <c>dst[i·k + p] = src[rows[i]·ld + p]</c>, or, with
    /// <paramref name="bytes"/> not null (then <paramref name="src"/> is not read),
    /// <c>dst[i·k + p] = (float)((bytes[rows[i]·ld + p] − shift[p])·factor[p])</c> (<see cref="ByteAffine.Apply"/>, the same
    /// floats as <see cref="IndexedByteLines"/>). The source lines of the next row are prefetched while a row is written
    /// (the rows are scattered: the hardware prefetcher cannot guess where the next one starts).
    /// </summary>
    public static void Gather(float* dst, int k, int r0, int r1, int* rows, float* src, nint ld, byte* bytes, double* shift, double* factor)
    {
        if (k == 0) return;
        var shiftSpan = new ReadOnlySpan<double>(shift, bytes == null ? 0 : k);
        var factorSpan = new ReadOnlySpan<double>(factor, bytes == null ? 0 : k);
        for (int i = r0; i < r1; i++)
        {
            if (i + 1 < r1) Prefetch(bytes != null ? bytes + rows[i + 1] * ld : (byte*)(src + rows[i + 1] * ld), bytes != null ? k : k * sizeof(float));
            var to = new Span<float>(dst + (nint)i * k, k);
            if (bytes != null) ByteAffine.Apply(new ReadOnlySpan<byte>(bytes + rows[i] * ld, k), shiftSpan, factorSpan, to);
            else new ReadOnlySpan<float>(src + rows[i] * ld, k).CopyTo(to);
        }
    }

    /// <summary>Prefetches the cache lines of <paramref name="length"/> bytes from <paramref name="line"/> into L1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(byte* line, int length)
    {
        if (!Sse.IsSupported) return;
        for (int l = 0; l < length; l += 64) Sse.Prefetch0(line + l);
        Sse.Prefetch0(line + length - 1);
    }
}
