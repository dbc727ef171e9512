using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics;

internal static partial class Simd
{
    /// <summary>
    /// <c>Σᵢ op(x[i])</c> over float32 in the order of additions of <c>System.Numerics.Tensors.TensorPrimitives</c>' float
    /// sums (<c>SumOfMagnitudes</c>, <c>SumOfSquares</c>: its <c>Aggregate</c>, version 11.0.0), so that a kernel on this
    /// driver returns exactly the float those return, on an AVX-512 machine (L = 16 lanes) or an AVX2 one (L = 8). For
    /// n ≥ L, with one accumulator vector acc = +0 and lane-wise float additions:
    /// <code>
    /// acc += op(x[L + jL … L + jL + L))          j = 0, 1, …: rounds of 8 vectors, in order, while 8L elements are left after x[L + …]
    /// acc += op(x[0 … L))                        the first vector
    /// acc += op(x[t − kL … t − kL + L))          k = b … 1, where the r elements after the rounds are b = ⌊r/L⌋ vectors and r mod L more, t = n − r mod L
    /// acc += op(x[n − L … n)), all lanes but the last n mod L set to +0
    /// result = Vector{L·32}.Sum(acc)
    /// </code>
    /// Below L elements: 9 … 15 (AVX-512 only) <c>Vector256.Sum(op(x[0 … 8)) + m)</c>, with m = op(x[n − 8 … n)) masked to
    /// its last n mod 8 lanes; exactly 8: <c>Vector256.Sum(op(x[0 … 8)))</c>; 5 … 7 the same on 4 lanes
    /// (<c>Vector128.Sum</c>); 4: <c>Vector128.Sum(op(x[0 … 4)))</c>; 1 … 3: <c>((+0 + op(x[2])) + op(x[1])) + op(x[0])</c>.
    /// The result does not depend on where x lies in memory (TensorPrimitives aligns its rounds for integer types only).
    /// Needs <paramref name="width"/> V256 or V512; without AVX2 a kernel calls TensorPrimitives itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float AddUp<TOp>(VectorWidth width, ReadOnlySpan<float> x, TOp op)
        where TOp : struct, IUnaryOperator<float>
    {
        Debug.Assert(width >= VectorWidth.V256);
        int n = x.Length;
        ref float xr = ref MemoryMarshal.GetReference(x);
        if (width == VectorWidth.V512)
            return n >= Vector512<float>.Count ? AddUp512(ref xr, n, op) : AddUpShort(ref xr, n, op);
        return n >= Vector256<float>.Count ? AddUp256(ref xr, n, op) : AddUpShort(ref xr, n, op);
    }

    /// <summary>Fewer than 16 elements (see <see cref="AddUp"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float AddUpShort<TOp>(ref float xr, int n, TOp op) where TOp : struct, IUnaryOperator<float>
    {
        Debug.Assert(n < 16);
        if (n > 8)
        {
            var end = Vector256.ConditionalSelect(LastLanes256(n % 8), op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(n - 8))), Vector256<float>.Zero);
            return Vector256.Sum(op.Invoke(Vector256.LoadUnsafe(ref xr)) + end);
        }
        if (n == 8) return Vector256.Sum(op.Invoke(Vector256.LoadUnsafe(ref xr)));
        if (n >= 4)
        {
            // 4 lanes: the operator has no 128-bit form, so each lane is op of one element (the same value).
            var beg = Vector128.Create(op.Invoke(xr), op.Invoke(Unsafe.Add(ref xr, 1)), op.Invoke(Unsafe.Add(ref xr, 2)), op.Invoke(Unsafe.Add(ref xr, 3)));
            if (n == 4) return Vector128.Sum(beg);
            var end = Vector128.Create(op.Invoke(Unsafe.Add(ref xr, n - 4)), op.Invoke(Unsafe.Add(ref xr, n - 3)), op.Invoke(Unsafe.Add(ref xr, n - 2)), op.Invoke(Unsafe.Add(ref xr, n - 1)));
            var last = Vector128.GreaterThanOrEqual(Vector128.Create(0, 1, 2, 3), Vector128.Create(4 - n % 4)).AsSingle();
            return Vector128.Sum(beg + Vector128.ConditionalSelect(last, end, Vector128<float>.Zero));
        }
        float s = 0f;
        for (int i = n - 1; i >= 0; i--) s += op.Invoke(Unsafe.Add(ref xr, i));
        return s;
    }

    /// <summary>The last <paramref name="count"/> lanes of a 256-bit float vector set (count 0 … 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LastLanes256(int count) =>
        Vector256.GreaterThanOrEqual(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(8 - count)).AsSingle();

    /// <summary>The last <paramref name="count"/> lanes of a 512-bit float vector set (count 0 … 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> LastLanes512(int count) =>
        Vector512.GreaterThanOrEqual(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(16 - count)).AsSingle();

    /// <summary>At least 16 elements on 512-bit vectors (see <see cref="AddUp"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float AddUp512<TOp>(ref float xr, int n, TOp op) where TOp : struct, IUnaryOperator<float>
    {
        const int L = 16;
        var acc = Vector512<float>.Zero;
        int i = L, rest = n - L;
        for (; rest >= 8 * L; rest -= 8 * L, i += 8 * L)
        {
            acc += op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i));
            acc += op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i + L)));
            acc += op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i + 2 * L)));
            acc += op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i + 3 * L)));
            acc += op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i + 4 * L)));
            acc += op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i + 5 * L)));
            acc += op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i + 6 * L)));
            acc += op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i + 7 * L)));
        }
        acc += op.Invoke(Vector512.LoadUnsafe(ref xr));
        int trailing = rest % L, top = n - trailing;
        for (int k = rest / L; k >= 1; k--) acc += op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(top - k * L)));
        acc += Vector512.ConditionalSelect(LastLanes512(trailing), op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(n - L))), Vector512<float>.Zero);
        return Vector512.Sum(acc);
    }

    /// <summary>At least 8 elements on 256-bit vectors (see <see cref="AddUp"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float AddUp256<TOp>(ref float xr, int n, TOp op) where TOp : struct, IUnaryOperator<float>
    {
        const int L = 8;
        var acc = Vector256<float>.Zero;
        int i = L, rest = n - L;
        for (; rest >= 8 * L; rest -= 8 * L, i += 8 * L)
        {
            acc += op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i));
            acc += op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i + L)));
            acc += op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i + 2 * L)));
            acc += op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i + 3 * L)));
            acc += op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i + 4 * L)));
            acc += op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i + 5 * L)));
            acc += op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i + 6 * L)));
            acc += op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i + 7 * L)));
        }
        acc += op.Invoke(Vector256.LoadUnsafe(ref xr));
        int trailing = rest % L, top = n - trailing;
        for (int k = rest / L; k >= 1; k--) acc += op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(top - k * L)));
        acc += Vector256.ConditionalSelect(LastLanes256(trailing), op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(n - L))), Vector256<float>.Zero);
        return Vector256.Sum(acc);
    }
}
