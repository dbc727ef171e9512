using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Standardization;

/// <summary>
/// Standardizes one row into float32: <c>z[j] = (float)((x[j] − mean[j]) / scale[j])</c> — the subtraction and the
/// division in float64, each rounded, then one rounding to the nearest float32 (ties to even, as the C# cast). The
/// vector paths give bit for bit the scalar result.
/// </summary>
public static class StandardizeToSingle
{
    /// <summary>Writes the standardized row <paramref name="x"/> to <paramref name="z"/>.</summary>
    public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Span<float> z)
    {
        int n = x.Length;
        Preconditions.Check(mean.Length == n && scale.Length == n && z.Length == n, "every span must have the length of x.");
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double mr = ref MemoryMarshal.GetReference(mean);
        ref double sr = ref MemoryMarshal.GetReference(scale);
        ref float zr = ref MemoryMarshal.GetReference(z);
        int i = 0;
        if (Simd.Use512)
        {
            const int W = 8; // Vector512<double>.Count: two of them narrow into one Vector512<float>
            for (; i <= n - 2 * W; i += 2 * W)
            {
                var a = (Vector512.LoadUnsafe(ref xr, (nuint)i) - Vector512.LoadUnsafe(ref mr, (nuint)i)) / Vector512.LoadUnsafe(ref sr, (nuint)i);
                var b = (Vector512.LoadUnsafe(ref xr, (nuint)(i + W)) - Vector512.LoadUnsafe(ref mr, (nuint)(i + W))) / Vector512.LoadUnsafe(ref sr, (nuint)(i + W));
                Vector512.Narrow(a, b).StoreUnsafe(ref zr, (nuint)i);
            }
        }
        if (Simd.Use256)
        {
            const int W = 4; // Vector256<double>.Count
            for (; i <= n - 2 * W; i += 2 * W)
            {
                var a = (Vector256.LoadUnsafe(ref xr, (nuint)i) - Vector256.LoadUnsafe(ref mr, (nuint)i)) / Vector256.LoadUnsafe(ref sr, (nuint)i);
                var b = (Vector256.LoadUnsafe(ref xr, (nuint)(i + W)) - Vector256.LoadUnsafe(ref mr, (nuint)(i + W))) / Vector256.LoadUnsafe(ref sr, (nuint)(i + W));
                Vector256.Narrow(a, b).StoreUnsafe(ref zr, (nuint)i);
            }
        }
        for (; i < n; i++)
            z[i] = (float)((x[i] - mean[i]) / scale[i]);
    }

    /// <summary>Scalar reference for <see cref="Apply"/>.</summary>
    public static void ApplyScalar(ReadOnlySpan<double> x, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Span<float> z)
    {
        int n = x.Length;
        Preconditions.Check(mean.Length == n && scale.Length == n && z.Length == n, "every span must have the length of x.");
        for (int i = 0; i < n; i++)
            z[i] = (float)((x[i] - mean[i]) / scale[i]);
    }
}
