using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Standardization;

/// <summary>
/// The first pass of a column-wise standardizer fit, one row at a time: for every column j,
/// <c>sum[j] ← sum[j] + x[j]</c>, <c>min[j] ← Math.Min(min[j], x[j])</c>, <c>max[j] ← Math.Max(max[j], x[j])</c>
/// (IEEE 754 minimum/maximum as <see cref="Math.Min(double, double)"/>: NaN propagates, −0 &lt; +0).
/// A column is constant over the rows seen exactly when <c>min[j] == max[j]</c> (then every value compares equal to the
/// first one; a NaN makes both NaN and the column non-constant). Each column's sum is accumulated in row order, one
/// rounding per addition, so the vector paths give bit for bit the scalar result.
/// </summary>
public static class ColumnSums
{
    /// <summary>Adds the row <paramref name="x"/> to the running <paramref name="sum"/>, <paramref name="min"/> and <paramref name="max"/>.</summary>
    // Called once per row, thousands of times within a process's first 100 ms (data preparation), before tiered
    // compilation would replace its tier-0 code: compile it fully optimized at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(ReadOnlySpan<double> x, Span<double> sum, Span<double> min, Span<double> max)
    {
        int n = x.Length;
        Preconditions.Check(sum.Length == n && min.Length == n && max.Length == n, "every span must have the length of x.");
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double sr = ref MemoryMarshal.GetReference(sum);
        ref double lo = ref MemoryMarshal.GetReference(min);
        ref double hi = ref MemoryMarshal.GetReference(max);
        int i = 0;
        if (Simd.Use512)
        {
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var v = Vector512.LoadUnsafe(ref xr, (nuint)i);
                (Vector512.LoadUnsafe(ref sr, (nuint)i) + v).StoreUnsafe(ref sr, (nuint)i);
                Vector512.Min(Vector512.LoadUnsafe(ref lo, (nuint)i), v).StoreUnsafe(ref lo, (nuint)i);
                Vector512.Max(Vector512.LoadUnsafe(ref hi, (nuint)i), v).StoreUnsafe(ref hi, (nuint)i);
            }
        }
        if (Simd.Use256)
        {
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                (Vector256.LoadUnsafe(ref sr, (nuint)i) + v).StoreUnsafe(ref sr, (nuint)i);
                Vector256.Min(Vector256.LoadUnsafe(ref lo, (nuint)i), v).StoreUnsafe(ref lo, (nuint)i);
                Vector256.Max(Vector256.LoadUnsafe(ref hi, (nuint)i), v).StoreUnsafe(ref hi, (nuint)i);
            }
        }
        for (; i < n; i++)
            Step(x[i], ref sum[i], ref min[i], ref max[i]);
    }

    /// <summary>Scalar reference for <see cref="Add"/>.</summary>
    public static void AddScalar(ReadOnlySpan<double> x, Span<double> sum, Span<double> min, Span<double> max)
    {
        int n = x.Length;
        Preconditions.Check(sum.Length == n && min.Length == n && max.Length == n, "every span must have the length of x.");
        for (int i = 0; i < n; i++)
            Step(x[i], ref sum[i], ref min[i], ref max[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(double v, ref double sum, ref double min, ref double max)
    {
        sum += v;
        min = Math.Min(min, v);
        max = Math.Max(max, v);
    }
}
