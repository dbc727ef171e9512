using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Standardization;

/// <summary>
/// The second pass of a column-wise standardizer fit, one row at a time: for every column j,
/// <c>acc[j] ← acc[j] + (x[j] − mean[j])·(x[j] − mean[j])</c> — a subtraction, a multiplication and an addition,
/// each rounded (no fused multiply-add), so the vector paths give bit for bit the scalar result.
/// </summary>
public static class SquaredDeviations
{
    /// <summary>Adds the squared deviations of the row <paramref name="x"/> from <paramref name="mean"/> to <paramref name="acc"/>.</summary>
    // Called once per row, thousands of times within a process's first 100 ms (data preparation), before tiered
    // compilation would replace its tier-0 code: compile it fully optimized at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(ReadOnlySpan<double> x, ReadOnlySpan<double> mean, Span<double> acc)
    {
        int n = x.Length;
        Preconditions.Check(mean.Length == n && acc.Length == n, "every span must have the length of x.");
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double mr = ref MemoryMarshal.GetReference(mean);
        ref double ar = ref MemoryMarshal.GetReference(acc);
        int i = 0;
        if (Simd.Use512)
        {
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var d = Vector512.LoadUnsafe(ref xr, (nuint)i) - Vector512.LoadUnsafe(ref mr, (nuint)i);
                (Vector512.LoadUnsafe(ref ar, (nuint)i) + d * d).StoreUnsafe(ref ar, (nuint)i);
            }
        }
        if (Simd.Use256)
        {
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var d = Vector256.LoadUnsafe(ref xr, (nuint)i) - Vector256.LoadUnsafe(ref mr, (nuint)i);
                (Vector256.LoadUnsafe(ref ar, (nuint)i) + d * d).StoreUnsafe(ref ar, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            double d = x[i] - mean[i];
            acc[i] += d * d;
        }
    }

    /// <summary>Scalar reference for <see cref="Add"/>.</summary>
    public static void AddScalar(ReadOnlySpan<double> x, ReadOnlySpan<double> mean, Span<double> acc)
    {
        int n = x.Length;
        Preconditions.Check(mean.Length == n && acc.Length == n, "every span must have the length of x.");
        for (int i = 0; i < n; i++)
        {
            double d = x[i] - mean[i];
            acc[i] += d * d;
        }
    }
}
