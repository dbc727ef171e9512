using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics;

internal static partial class Simd
{
    // The element-wise maps: destination[i] = op(x[i]), op(x[i], y[i]) or op(x[i], y[i], z[i]) for every i. One loop per
    // arity: 512-bit steps while a whole vector is left (width V512), then 256-bit steps (V256 and up), then the scalar
    // Invoke element by element. Each element goes through the same operations on every path (the operator's contract),
    // so the result is the same bits whatever the width and the length. The destination may be one of the inputs (each
    // step loads before it stores), but must not overlap an input at another offset. Lengths are the caller's to check
    // (Preconditions at the kernel's boundary); here they are asserted.

    /// <summary><c>destination[i] = op(x[i])</c> at the machine's widest width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<T, TOp>(ReadOnlySpan<T> x, Span<T> destination, TOp op)
        where T : unmanaged where TOp : struct, IUnaryOperator<T> =>
        Map(Widest, x, destination, op);

    /// <summary><c>destination[i] = op(x[i])</c> with vectors no wider than <paramref name="width"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<T, TOp>(VectorWidth width, ReadOnlySpan<T> x, Span<T> destination, TOp op)
        where T : unmanaged where TOp : struct, IUnaryOperator<T>
    {
        Debug.Assert(destination.Length == x.Length);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (width == VectorWidth.V512)
        {
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        if (width >= VectorWidth.V256)
        {
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i));
    }

    /// <summary><c>destination[i] = op(x[i], y[i])</c> at the machine's widest width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, TOp op)
        where T : unmanaged where TOp : struct, IBinaryOperator<T> =>
        Map(Widest, x, y, destination, op);

    /// <summary><c>destination[i] = op(x[i], y[i])</c> with vectors no wider than <paramref name="width"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<T, TOp>(VectorWidth width, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, TOp op)
        where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        Debug.Assert(y.Length == x.Length && destination.Length == x.Length);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T dr = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (width == VectorWidth.V512)
        {
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        if (width >= VectorWidth.V256)
        {
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
    }

    /// <summary><c>destination[i] = op(x[i], y[i], z[i])</c> at the machine's widest width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> destination, TOp op)
        where T : unmanaged where TOp : struct, ITernaryOperator<T> =>
        Map(Widest, x, y, z, destination, op);

    /// <summary><c>destination[i] = op(x[i], y[i], z[i])</c> with vectors no wider than <paramref name="width"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Map<T, TOp>(VectorWidth width, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> destination, TOp op)
        where T : unmanaged where TOp : struct, ITernaryOperator<T>
    {
        Debug.Assert(y.Length == x.Length && z.Length == x.Length && destination.Length == x.Length);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T zr = ref MemoryMarshal.GetReference(z);
        ref T dr = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (width == VectorWidth.V512)
        {
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i), Vector512.LoadUnsafe(ref zr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        if (width >= VectorWidth.V256)
        {
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i), Vector256.LoadUnsafe(ref zr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i), Unsafe.Add(ref zr, i));
    }
}
