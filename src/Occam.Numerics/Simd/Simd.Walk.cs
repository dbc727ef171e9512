using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics;

internal static partial class Simd
{
    /// <summary>
    /// The index walk: the loop control of the maps without their loads and stores, for a kernel that reads or writes more
    /// spans than a map has (two outputs, several reductions): <c>op.Step512(i)</c> for elements [i, i + Vector512&lt;T&gt;.Count)
    /// while a whole 512-bit vector is left (width V512), then <c>op.Step256(i)</c> while a whole 256-bit vector is left
    /// (V256 and up), then <c>op.Step(i)</c> element by element: every index of [0, n) exactly once, in increasing order.
    /// The operator (usually a <c>ref struct</c> over its spans, carrying its own per-width accumulators) is passed by
    /// reference so that what it accumulates is there after the walk. Same contract as the maps: each step computes, lane by
    /// lane, exactly the scalar step's operations, so the per-element results are the same bits at every width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Walk<T, TOp>(VectorWidth width, int n, ref TOp op)
        where T : unmanaged where TOp : struct, IIndexSteps<T>, allows ref struct
    {
        Debug.Assert(n >= 0);
        int i = 0;
        if (width == VectorWidth.V512)
        {
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count) op.Step512(i);
        }
        if (width >= VectorWidth.V256)
        {
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count) op.Step256(i);
        }
        for (; i < n; i++) op.Step(i);
    }
}
