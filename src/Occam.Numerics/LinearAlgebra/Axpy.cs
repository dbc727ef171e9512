using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>y ← y + α·x (the coordinate-descent residual / gradient update). Fully optimized at first call.</summary>
internal static class Axpy
{
    public static void Scalar(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        Debug.Assert(x.Length == y.Length);
        for (int i = 0; i < x.Length; i++) y[i] += alpha * x[i];
    }

    /// <summary>Vector256 version; equals <see cref="Scalar"/> up to the rounding of the fused multiply-add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Compute(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        Debug.Assert(x.Length == y.Length);
        int n = x.Length, i = 0;
        fixed (double* px = x, py = y)
        {
            if (Vector256.IsHardwareAccelerated)
            {
                var a = Vector256.Create(alpha);
                for (; i + 8 <= n; i += 8)
                {
                    Vector256.FusedMultiplyAdd(a, Vector256.Load(px + i), Vector256.Load(py + i)).Store(py + i);
                    Vector256.FusedMultiplyAdd(a, Vector256.Load(px + i + 4), Vector256.Load(py + i + 4)).Store(py + i + 4);
                }
                for (; i + 4 <= n; i += 4)
                    Vector256.FusedMultiplyAdd(a, Vector256.Load(px + i), Vector256.Load(py + i)).Store(py + i);
            }
            for (; i < n; i++) py[i] = Math.FusedMultiplyAdd(alpha, px[i], py[i]);
        }
    }
}
