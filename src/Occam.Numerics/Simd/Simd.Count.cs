using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics;

internal static partial class Simd
{
    /// <summary><c>#{ i : op(x[i]) }</c> at the machine's widest width (an integer count: the same on every path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Count<T, TOp>(ReadOnlySpan<T> x, TOp op)
        where T : unmanaged where TOp : struct, IPredicate<T> =>
        Count(Widest, x, op);

    /// <summary><c>#{ i : op(x[i]) }</c> with vectors no wider than <paramref name="width"/>: the mask bits of each step counted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Count<T, TOp>(VectorWidth width, ReadOnlySpan<T> x, TOp op)
        where T : unmanaged where TOp : struct, IPredicate<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0, count = 0;
        if (width == VectorWidth.V512)
        {
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                count += BitOperations.PopCount(op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i)).ExtractMostSignificantBits());
        }
        if (width >= VectorWidth.V256)
        {
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                count += BitOperations.PopCount(op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i)).ExtractMostSignificantBits());
        }
        for (; i < n; i++) if (op.Invoke(Unsafe.Add(ref xr, i))) count++;
        Debug.Assert(count <= n);
        return count;
    }
}
