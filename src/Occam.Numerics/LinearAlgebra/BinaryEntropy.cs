using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Occam.Numerics.Functions;

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
    /// Vectorized version in blocks of 256: 1 − s by <see cref="Simd"/>.Map, both logarithms by <see cref="DoubleLog"/>
    /// (the same bits at every tier of the JIT and on both vector widths), then the terms
    /// <c>(s &gt; 0 ? s·ln s : 0) + (1 − s &gt; 0 ? (1 − s)·ln(1 − s) : 0)</c> added to the running sum by <see cref="Simd"/>.Sum
    /// (its fixed lane order). Equals <see cref="Scalar"/> to within 1 ulp per logarithm and summation order.
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
            Simd.Map(sb, lb, default(OneMinus));   // 1 − s
            DoubleLog.Apply(sb, la);               // ln s (NaN or −∞ where s ≤ 0: masked below)
            DoubleLog.Apply(lb, lb);               // ln(1 − s)
            h = Simd.Sum(sb, la, lb, default(Terms), h);
        }
        return h;
    }

    /// <summary><c>1 − s</c>, for <see cref="Simd"/>.Map.</summary>
    private readonly struct OneMinus : IUnaryOperator<double>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Invoke(double s) => 1.0 - s;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Invoke(Vector256<double> s) => Vector256<double>.One - s;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Invoke(Vector512<double> s) => Vector512<double>.One - s;
    }

    /// <summary>
    /// One term <c>(s &gt; 0 ? s·a : 0) + (w &gt; 0 ? w·b : 0)</c> with w = 1 − s, a = ln s, b = ln(1 − s), for
    /// <see cref="Simd"/>.Sum (a masked-off logarithm may be NaN or −∞: it is never multiplied into the sum).
    /// </summary>
    private readonly struct Terms : ITernaryOperator<double>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Invoke(double s, double a, double b)
        {
            double w = 1 - s;
            return (s > 0 ? s * a : 0) + (w > 0 ? w * b : 0);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Invoke(Vector256<double> s, Vector256<double> a, Vector256<double> b)
        {
            var w = Vector256<double>.One - s;
            var ta = Vector256.ConditionalSelect(Vector256.GreaterThan(s, Vector256<double>.Zero), s * a, Vector256<double>.Zero);
            var tb = Vector256.ConditionalSelect(Vector256.GreaterThan(w, Vector256<double>.Zero), w * b, Vector256<double>.Zero);
            return ta + tb;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Invoke(Vector512<double> s, Vector512<double> a, Vector512<double> b)
        {
            var w = Vector512<double>.One - s;
            var ta = Vector512.ConditionalSelect(Vector512.GreaterThan(s, Vector512<double>.Zero), s * a, Vector512<double>.Zero);
            var tb = Vector512.ConditionalSelect(Vector512.GreaterThan(w, Vector512<double>.Zero), w * b, Vector512<double>.Zero);
            return ta + tb;
        }
    }
}
