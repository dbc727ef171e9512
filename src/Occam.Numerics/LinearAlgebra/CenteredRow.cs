using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// One row of the centred, scaled design and its share of X̃ᵀỹ, in one pass (the fill of the Gram matrix's row chunks,
/// <see cref="Gram.ComputeCentered"/>):
///
///     destinationₖ = (xₖ − meanₖ)·invScaleₖ                     k = 0 … x.Length − 1
///     xtyₖ         = fma(y, destinationₖ, xtyₖ)                  only when y ≠ 0 and xty is not empty
///
/// Each element goes through the same operations on every path (a subtraction, a product, one fused multiply-add), so the
/// vector versions agree with <see cref="Scalar"/> bit for bit, and with the three passes it replaces (TensorPrimitives
/// Subtract and Multiply, then <see cref="Axpy"/>, whose every path is the same fma).
/// </summary>
internal static class CenteredRow
{
    /// <summary>Reference version: the formula above, element by element.</summary>
    public static void Scalar(ReadOnlySpan<double> x, ReadOnlySpan<double> mean, ReadOnlySpan<double> invScale, double y,
        Span<double> destination, Span<double> xty)
    {
        Debug.Assert(mean.Length == x.Length && invScale.Length == x.Length && destination.Length == x.Length);
        Debug.Assert(xty.IsEmpty || xty.Length == x.Length);
        bool accumulate = y != 0 && !xty.IsEmpty;
        for (int k = 0; k < x.Length; k++)
        {
            double d = (x[k] - mean[k]) * invScale[k];
            destination[k] = d;
            if (accumulate) xty[k] = Math.FusedMultiplyAdd(y, d, xty[k]);
        }
    }

    /// <summary>The formula above at the machine's widest vector width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> mean, ReadOnlySpan<double> invScale, double y,
        Span<double> destination, Span<double> xty) =>
        Compute(Simd.Widest, x, mean, invScale, y, destination, xty);

    /// <summary>
    /// The formula above with vectors no wider than <paramref name="width"/>: a ternary map (<see cref="Simd"/>.Map) when
    /// nothing is accumulated, else one index walk (<see cref="Simd"/>.Walk) that stores the row and updates xty per step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Compute(VectorWidth width, ReadOnlySpan<double> x, ReadOnlySpan<double> mean, ReadOnlySpan<double> invScale,
        double y, Span<double> destination, Span<double> xty)
    {
        Debug.Assert(mean.Length == x.Length && invScale.Length == x.Length && destination.Length == x.Length);
        Debug.Assert(xty.IsEmpty || xty.Length == x.Length);
        if (y == 0 || xty.IsEmpty)
        {
            Simd.Map(width, x, mean, invScale, destination, default(Center));
            return;
        }
        var op = new CenterAccumulate(x, mean, invScale, y, destination, xty);
        Simd.Walk<double, CenterAccumulate>(width, x.Length, ref op);
    }

    /// <summary><c>(x − m)·s</c>.</summary>
    private readonly struct Center : ITernaryOperator<double>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Invoke(double x, double m, double s) => (x - m) * s;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Invoke(Vector256<double> x, Vector256<double> m, Vector256<double> s) => (x - m) * s;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Invoke(Vector512<double> x, Vector512<double> m, Vector512<double> s) => (x - m) * s;
    }

    /// <summary><c>d = (x − m)·s</c> stored, then <c>xty = fma(y, d, xty)</c>, per step of the walk.</summary>
    private readonly ref struct CenterAccumulate : IIndexSteps<double>
    {
        private readonly ref double _x;
        private readonly ref double _m;
        private readonly ref double _s;
        private readonly ref double _d;
        private readonly ref double _xty;
        private readonly double _y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public CenterAccumulate(ReadOnlySpan<double> x, ReadOnlySpan<double> mean, ReadOnlySpan<double> invScale, double y,
            Span<double> destination, Span<double> xty)
        {
            _x = ref MemoryMarshal.GetReference(x);
            _m = ref MemoryMarshal.GetReference(mean);
            _s = ref MemoryMarshal.GetReference(invScale);
            _d = ref MemoryMarshal.GetReference(destination);
            _xty = ref MemoryMarshal.GetReference(xty);
            _y = y;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step(int i)
        {
            double d = (Unsafe.Add(ref _x, i) - Unsafe.Add(ref _m, i)) * Unsafe.Add(ref _s, i);
            Unsafe.Add(ref _d, i) = d;
            Unsafe.Add(ref _xty, i) = Math.FusedMultiplyAdd(_y, d, Unsafe.Add(ref _xty, i));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step256(int i)
        {
            nuint k = (nuint)i;
            var d = (Vector256.LoadUnsafe(ref _x, k) - Vector256.LoadUnsafe(ref _m, k)) * Vector256.LoadUnsafe(ref _s, k);
            var a = Vector256.LoadUnsafe(ref _xty, k);
            d.StoreUnsafe(ref _d, k);
            Vector256.FusedMultiplyAdd(Vector256.Create(_y), d, a).StoreUnsafe(ref _xty, k);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step512(int i)
        {
            nuint k = (nuint)i;
            var d = (Vector512.LoadUnsafe(ref _x, k) - Vector512.LoadUnsafe(ref _m, k)) * Vector512.LoadUnsafe(ref _s, k);
            var a = Vector512.LoadUnsafe(ref _xty, k);
            d.StoreUnsafe(ref _d, k);
            Vector512.FusedMultiplyAdd(Vector512.Create(_y), d, a).StoreUnsafe(ref _xty, k);
        }
    }
}
