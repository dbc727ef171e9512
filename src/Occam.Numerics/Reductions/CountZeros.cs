using System.Numerics;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Reductions;

/// <summary>Counts the coordinates that are exactly zero (<c>x[i] == 0f</c>, so −0 counts too).</summary>
public static class CountZeros
{
    /// <summary>Returns <c>#{ i : x[i] == 0 }</c>.</summary>
    public static int Count(ReadOnlySpan<float> x)
    {
        int n = x.Length, i = 0, count = 0;
        if (Simd.Use512)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                count += BitOperations.PopCount(Vector512.Equals(Vector512.LoadUnsafe(ref Simd.At(x, i)), Vector512<float>.Zero).ExtractMostSignificantBits());
        }
        if (Simd.Use256)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                count += BitOperations.PopCount(Vector256.Equals(Vector256.LoadUnsafe(ref Simd.At(x, i)), Vector256<float>.Zero).ExtractMostSignificantBits());
        }
        for (; i < n; i++) if (x[i] == 0f) count++;
        return count;
    }

    /// <summary>Scalar reference for <see cref="Count"/>.</summary>
    public static int CountScalar(ReadOnlySpan<float> x)
    {
        int count = 0;
        foreach (float v in x) if (v == 0f) count++;
        return count;
    }

    /// <summary>True when every coordinate is exactly zero (an empty span counts as all zero).</summary>
    public static bool AllZero(ReadOnlySpan<float> x) => Count(x) == x.Length;
}
