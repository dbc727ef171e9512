using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// Σᵢ H(sᵢ) with H(s) = s·ln s + (1 − s)·ln(1 − s) and 0·ln 0 = 0 (a term is dropped where its factor is ≤ 0): the
/// conjugate of the log-loss, which the dual of penalized logistic regression needs at sᵢ = yᵢ − θᵢ.
/// </summary>
internal static class BinaryEntropy
{
    /// <summary>Reference version, one value at a time with <c>Math.Log</c>.</summary>
    public static double Scalar(ReadOnlySpan<double> s)
    {
        double h = 0;
        foreach (double v in s)
        {
            if (v > 0) h += v * Math.Log(v);
            if (v < 1) h += (1 - v) * Math.Log(1 - v);
        }
        return h;
    }

    /// <summary>
    /// Vectorized version in blocks of 256: both logarithms by <c>TensorPrimitives.Log</c>,
    /// the products and the masks (s ≤ 0, s ≥ 1) with Vector256 lanes. Equals <see cref="Scalar"/> to rounding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Compute(ReadOnlySpan<double> s)
    {
        const int Block = 256;
        Span<double> a = stackalloc double[Block];
        Span<double> b = stackalloc double[Block];
        double h = 0;
        for (int i0 = 0; i0 < s.Length; i0 += Block)
        {
            int m = Math.Min(Block, s.Length - i0);
            var sb = s.Slice(i0, m);
            var la = a[..m];
            var lb = b[..m];
            TensorPrimitives.Subtract(1.0, sb, lb);   // 1 − s
            TensorPrimitives.Log(sb, la);             // ln s (NaN or −∞ where s ≤ 0: masked below)
            TensorPrimitives.Log(lb, lb);             // ln(1 − s)
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var acc = Vector256<double>.Zero;
                for (; i + 4 <= m; i += 4)
                {
                    var v = Vector256.Create(sb.Slice(i, 4));
                    var w = Vector256<double>.One - v;
                    var ta = Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<double>.Zero), v * Vector256.Create(la.Slice(i, 4)), Vector256<double>.Zero);
                    var tb = Vector256.ConditionalSelect(Vector256.GreaterThan(w, Vector256<double>.Zero), w * Vector256.Create(lb.Slice(i, 4)), Vector256<double>.Zero);
                    acc += ta + tb;
                }
                h += Vector256.Sum(acc);
            }
            for (; i < m; i++)
            {
                double v = sb[i];
                if (v > 0) h += v * la[i];
                if (v < 1) h += (1 - v) * lb[i];
            }
        }
        return h;
    }
}
