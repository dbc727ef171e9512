using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>Dot product Σᵢ aᵢ·bᵢ (the coordinate-descent gradient x̃ⱼᵀr). Fully optimized at first call.</summary>
internal static class Dot
{
    public static double Scalar(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        Debug.Assert(a.Length == b.Length);
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>Vector256 version with four accumulators; same value as <see cref="Scalar"/> up to summation order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe double Compute(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        Debug.Assert(a.Length == b.Length);
        int n = a.Length, i = 0;
        if (!Vector256.IsHardwareAccelerated || n < 8) return Scalar(a, b);
        fixed (double* pa = a, pb = b)
        {
            Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; i + 16 <= n; i += 16)
            {
                s0 = Vector256.FusedMultiplyAdd(Vector256.Load(pa + i), Vector256.Load(pb + i), s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Load(pa + i + 4), Vector256.Load(pb + i + 4), s1);
                s2 = Vector256.FusedMultiplyAdd(Vector256.Load(pa + i + 8), Vector256.Load(pb + i + 8), s2);
                s3 = Vector256.FusedMultiplyAdd(Vector256.Load(pa + i + 12), Vector256.Load(pb + i + 12), s3);
            }
            for (; i + 4 <= n; i += 4)
                s0 = Vector256.FusedMultiplyAdd(Vector256.Load(pa + i), Vector256.Load(pb + i), s0);
            double s = Vector256.Sum((s0 + s1) + (s2 + s3));
            for (; i < n; i++) s += pa[i] * pb[i];
            return s;
        }
    }
}
