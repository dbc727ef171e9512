using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>y ← y + α·(w ∘ x) (the weighted residual update of IRLS coordinate descent). Fully optimized at first call.</summary>
internal static class WeightedAxpy
{
    public static void Scalar(double alpha, ReadOnlySpan<double> w, ReadOnlySpan<double> x, Span<double> y)
    {
        Debug.Assert(x.Length == y.Length && w.Length == y.Length);
        for (int i = 0; i < x.Length; i++) y[i] += alpha * (w[i] * x[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Compute(double alpha, ReadOnlySpan<double> w, ReadOnlySpan<double> x, Span<double> y)
    {
        Debug.Assert(x.Length == y.Length && w.Length == y.Length);
        int n = x.Length, i = 0;
        fixed (double* px = x, pw = w, py = y)
        {
            if (Vector256.IsHardwareAccelerated)
            {
                var a = Vector256.Create(alpha);
                for (; i + 4 <= n; i += 4)
                    Vector256.FusedMultiplyAdd(a, Vector256.Load(pw + i) * Vector256.Load(px + i), Vector256.Load(py + i)).Store(py + i);
            }
            for (; i < n; i++) py[i] = Math.FusedMultiplyAdd(alpha, pw[i] * px[i], py[i]);
        }
    }
}
