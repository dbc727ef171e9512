using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Conversion;

/// <summary>
/// The index of the first value that is NaN or ±∞ (−1 when every value is finite). A value v is finite exactly when
/// <c>v − v == 0</c> (∞ − ∞ and NaN − NaN are NaN); the vector versions test 16 or 8 values at once and then find
/// the first offender in that block with the scalar test, so all versions return the same index.
/// </summary>
internal static class NonFinite
{
    /// <summary>The fastest accelerated version for this machine.</summary>
    public static int IndexOf(ReadOnlySpan<float> values) =>
        Vector512.IsHardwareAccelerated ? IndexOfV512(values)
        : Vector256.IsHardwareAccelerated ? IndexOfV256(values)
        : IndexOfScalar(values, 0);

    /// <summary>Scalar reference, from <paramref name="start"/>.</summary>
    public static int IndexOfScalar(ReadOnlySpan<float> values, int start)
    {
        for (int i = start; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int IndexOfV512(ReadOnlySpan<float> values)
    {
        int n = values.Length, i = 0;
        fixed (float* p = values)
        {
            for (; i + 16 <= n; i += 16)
            {
                var v = Vector512.Load(p + i);
                if (!Vector512.EqualsAll(v - v, Vector512<float>.Zero)) return IndexOfScalar(values, i);
            }
        }
        return IndexOfScalar(values, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int IndexOfV256(ReadOnlySpan<float> values)
    {
        int n = values.Length, i = 0;
        fixed (float* p = values)
        {
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector256.Load(p + i);
                if (!Vector256.EqualsAll(v - v, Vector256<float>.Zero)) return IndexOfScalar(values, i);
            }
        }
        return IndexOfScalar(values, i);
    }
}
