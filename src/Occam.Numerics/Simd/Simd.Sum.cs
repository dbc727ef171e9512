using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics;

internal static partial class Simd
{
    /// <summary>
    /// <c>initial + Σᵢ op(x[i], y[i], z[i])</c> in one fixed order, the same on both vector widths. With L = the lanes of a
    /// 256-bit vector (8 floats, 4 doubles) and m = n − n mod L:
    /// <code>
    /// acc[k]  = (…((+0 + t[k]) + t[k + L]) + t[k + 2L]) + …      for k &lt; L, over the terms t[i] = op(x[i], y[i], z[i]), i &lt; m
    /// s       = initial + Vector256.Sum(acc)
    /// s       = (…((s + t[m]) + t[m + 1]) + …) + t[n − 1]        the tail, in order
    /// </code>
    /// The 512-bit path computes 2L terms per step and adds the lower half to acc before the upper half, which is the
    /// same sequence of additions as the 256-bit path. Without vectors (<see cref="VectorWidth.Scalar"/>) the sum is
    /// <c>initial</c> plus every term in order from i = 0 (a different rounding).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, TOp op, T initial)
        where T : unmanaged, IAdditionOperators<T, T, T> where TOp : struct, ITernaryOperator<T> =>
        Sum(Widest, x, y, z, op, initial);

    /// <summary><see cref="Sum{T, TOp}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, TOp, T)"/> with vectors no wider than <paramref name="width"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum<T, TOp>(VectorWidth width, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, TOp op, T initial)
        where T : unmanaged, IAdditionOperators<T, T, T> where TOp : struct, ITernaryOperator<T>
    {
        Debug.Assert(y.Length == x.Length && z.Length == x.Length);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T zr = ref MemoryMarshal.GetReference(z);
        int n = x.Length, i = 0;
        T s = initial;
        if (width >= VectorWidth.V256)
        {
            var acc = Vector256<T>.Zero;
            if (width == VectorWidth.V512)
            {
                for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                {
                    var t = op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i), Vector512.LoadUnsafe(ref zr, (nuint)i));
                    acc += t.GetLower();
                    acc += t.GetUpper();
                }
            }
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                acc += op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i), Vector256.LoadUnsafe(ref zr, (nuint)i));
            s += Vector256.Sum(acc);
        }
        for (; i < n; i++) s += op.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i), Unsafe.Add(ref zr, i));
        return s;
    }
}
