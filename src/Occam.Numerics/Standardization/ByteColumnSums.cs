using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Standardization;

/// <summary>
/// The first pass of a column-wise standardizer fit on unsigned bytes, one row at a time: for every column j,
/// <c>sum[j] ← sum[j] + x[j]</c> (32-bit unsigned integers: exact while a column's sum stays below 2³², i.e. for up to
/// 16 843 009 rows; the caller flushes them before), <c>min[j] ← min(min[j], x[j])</c>, <c>max[j] ← max(max[j], x[j])</c>.
/// Integer sums and byte minima and maxima do not depend on the order of the rows or of the lanes, so the vector
/// paths give exactly the scalar result. A column's float64 sum of the same bytes, added in any order, is the same
/// integer (every partial sum is an integer below 2⁵³), so these sums give the float64 pass of <see cref="ColumnSums"/>
/// on the widened bytes bit for bit.
/// </summary>
public static class ByteColumnSums
{
    /// <summary>Adds the row <paramref name="x"/> to the running <paramref name="sum"/>, <paramref name="min"/> and <paramref name="max"/>.</summary>
    // Runs inside the gunzip loop of the IDX reader, once per image, within the process's first 100 ms: compile it
    // fully optimized at once (TrainingWarmup compiles it first).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(ReadOnlySpan<byte> x, Span<uint> sum, Span<byte> min, Span<byte> max)
    {
        int n = x.Length;
        Preconditions.Check(sum.Length == n && min.Length == n && max.Length == n, "every span must have the length of x.");
        ref byte xr = ref MemoryMarshal.GetReference(x);
        ref uint sr = ref MemoryMarshal.GetReference(sum);
        ref byte lo = ref MemoryMarshal.GetReference(min);
        ref byte hi = ref MemoryMarshal.GetReference(max);
        int i = 0;
        if (Simd.Use512)
        {
            for (; i <= n - Vector512<byte>.Count; i += Vector512<byte>.Count)
            {
                var v = Vector512.LoadUnsafe(ref xr, (nuint)i);
                Vector512.Min(Vector512.LoadUnsafe(ref lo, (nuint)i), v).StoreUnsafe(ref lo, (nuint)i);
                Vector512.Max(Vector512.LoadUnsafe(ref hi, (nuint)i), v).StoreUnsafe(ref hi, (nuint)i);
                var (a, b) = Vector512.Widen(v);
                var (a0, a1) = Vector512.Widen(a);
                var (b0, b1) = Vector512.Widen(b);
                nuint s = (nuint)i;
                (Vector512.LoadUnsafe(ref sr, s) + a0).StoreUnsafe(ref sr, s);
                (Vector512.LoadUnsafe(ref sr, s + 16) + a1).StoreUnsafe(ref sr, s + 16);
                (Vector512.LoadUnsafe(ref sr, s + 32) + b0).StoreUnsafe(ref sr, s + 32);
                (Vector512.LoadUnsafe(ref sr, s + 48) + b1).StoreUnsafe(ref sr, s + 48);
            }
        }
        if (Simd.Use256)
        {
            for (; i <= n - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                Vector256.Min(Vector256.LoadUnsafe(ref lo, (nuint)i), v).StoreUnsafe(ref lo, (nuint)i);
                Vector256.Max(Vector256.LoadUnsafe(ref hi, (nuint)i), v).StoreUnsafe(ref hi, (nuint)i);
                var (a, b) = Vector256.Widen(v);
                var (a0, a1) = Vector256.Widen(a);
                var (b0, b1) = Vector256.Widen(b);
                nuint s = (nuint)i;
                (Vector256.LoadUnsafe(ref sr, s) + a0).StoreUnsafe(ref sr, s);
                (Vector256.LoadUnsafe(ref sr, s + 8) + a1).StoreUnsafe(ref sr, s + 8);
                (Vector256.LoadUnsafe(ref sr, s + 16) + b0).StoreUnsafe(ref sr, s + 16);
                (Vector256.LoadUnsafe(ref sr, s + 24) + b1).StoreUnsafe(ref sr, s + 24);
            }
        }
        for (; i < n; i++)
            Step(x[i], ref sum[i], ref min[i], ref max[i]);
    }

    /// <summary>Scalar reference for <see cref="Add"/>.</summary>
    public static void AddScalar(ReadOnlySpan<byte> x, Span<uint> sum, Span<byte> min, Span<byte> max)
    {
        int n = x.Length;
        Preconditions.Check(sum.Length == n && min.Length == n && max.Length == n, "every span must have the length of x.");
        for (int i = 0; i < n; i++)
            Step(x[i], ref sum[i], ref min[i], ref max[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(byte v, ref uint sum, ref byte min, ref byte max)
    {
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
    }
}
