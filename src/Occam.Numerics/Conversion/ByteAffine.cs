using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics.Conversion;

/// <summary>
/// Unsigned bytes (IDX pixels) to standardized float32 by one subtraction and one multiplication per value, in double:
/// <c>y[j] = (float)(((double)x[j] − shift[j]) · factor[j])</c>, rounded once to float32, for a row of
/// <c>shift.Length</c> columns. With <c>shift = mean</c> and <c>factor[j] = 1/scale[j]</c> (<see cref="TryCreate"/>) this is
/// meant to give the floats of <see cref="StandardizeToSingle"/>, <c>(float)((x − mean[j]) / scale[j])</c>, without a
/// division: <see cref="TryCreate"/> checks that it does, for all 256 byte values of every column (a multiplication by a
/// rounded reciprocal can differ from the division in the last bit of the double, which changes the float only when the
/// quotient lies within that bit of a float32 rounding boundary: none of the 200 704 values of MNIST's columns, none of
/// 40 M values of random columns), so a caller that got factors from it may convert bytes on the fly — while packing a
/// product's operand, for example — and get the same bits as the float32 matrix it no longer builds. The vector versions
/// do the same operations lane by lane (no fused multiply-add), so they agree with the scalar version bit for bit.
/// </summary>
internal static unsafe class ByteAffine
{
    /// <summary>
    /// The shift and factor that reproduce <see cref="StandardizeToSingle"/> on every byte value of every column, or false:
    /// <c>shift = mean</c>, <c>factor[j] = 1/scale[j]</c>, checked for b = 0 … 255 against <c>(float)((b − mean[j]) / scale[j])</c>
    /// bit for bit, and finite (a value that overflows float32 is left to the division path, which reports it). Without a
    /// standardizer (<paramref name="mean"/> and <paramref name="scale"/> empty) <c>shift = 0</c>, <c>factor = 1</c>:
    /// <c>(float)b</c>, exact. Scalar code without vector types, so the published CLI runs its ReadyToRun code instead of
    /// compiling it (≈ 0.2 ms of checking for MNIST's 784 columns).
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, int columns, out double[] shift, out double[] factor)
    {
        Debug.Assert(columns >= 1 && (mean.IsEmpty ? scale.IsEmpty : mean.Length == columns && scale.Length == columns));
        shift = new double[columns];
        factor = new double[columns];
        if (mean.IsEmpty)
        {
            factor.AsSpan().Fill(1.0);
            return true;
        }
        for (int j = 0; j < columns; j++)
        {
            double m = mean[j], s = scale[j], f = 1.0 / s;
            for (int b = 0; b < 256; b++)
            {
                double d = b - m;
                float byDivision = (float)(d / s), byFactor = (float)(d * f);
                if (!float.IsFinite(byFactor) || BitConverter.SingleToInt32Bits(byDivision) != BitConverter.SingleToInt32Bits(byFactor))
                    return false;
            }
            shift[j] = m;
            factor[j] = f;
        }
        return true;
    }

    /// <summary>The fastest accelerated version for this machine.</summary>
    public static void Apply(ReadOnlySpan<byte> x, ReadOnlySpan<double> shift, ReadOnlySpan<double> factor, Span<float> y)
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported) ApplyV512(x, shift, factor, y);
        else if (Avx2.IsSupported) ApplyV256(x, shift, factor, y);
        else ApplyScalar(x, shift, factor, y);
    }

    /// <summary>Scalar reference.</summary>
    public static void ApplyScalar(ReadOnlySpan<byte> x, ReadOnlySpan<double> shift, ReadOnlySpan<double> factor, Span<float> y)
    {
        Check(x.Length, shift, factor, y);
        for (int j = 0; j < x.Length; j++) y[j] = (float)((x[j] - shift[j]) * factor[j]);
    }

    /// <summary>Vector512: 8 bytes per <see cref="Convert8V512"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ApplyV512(ReadOnlySpan<byte> x, ReadOnlySpan<double> shift, ReadOnlySpan<double> factor, Span<float> y) =>
        Apply8(x, shift, factor, y, wide: true);

    /// <summary>Vector256: 8 bytes per <see cref="Convert8V256"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ApplyV256(ReadOnlySpan<byte> x, ReadOnlySpan<double> shift, ReadOnlySpan<double> factor, Span<float> y) =>
        Apply8(x, shift, factor, y, wide: false);

    /// <summary>The loop of both vector versions (inlined into each, <paramref name="wide"/> a constant there): 8 values per step, then the tail one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Apply8(ReadOnlySpan<byte> x, ReadOnlySpan<double> shift, ReadOnlySpan<double> factor, Span<float> y, bool wide)
    {
        Check(x.Length, shift, factor, y);
        fixed (byte* px = x)
        fixed (double* ps = shift, pf = factor)
        fixed (float* py = y)
        {
            int n = x.Length, j = 0;
            for (; j + 8 <= n; j += 8)
                (wide ? Convert8V512(px + j, ps + j, pf + j) : Convert8V256(px + j, ps + j, pf + j)).Store(py + j);
            for (; j < n; j++) py[j] = Convert1(px + j, ps + j, pf + j);
        }
    }

    /// <summary>One value: <c>(float)((x[0] − shift[0])·factor[0])</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Convert1(byte* x, double* shift, double* factor) => (float)((*x - *shift) * *factor);

    /// <summary>
    /// The 8 values of <c>x[0 … 8)</c> (8 bytes read as one 64-bit load): zero-extended to int32, converted to 8 doubles
    /// (exact), then the subtraction, multiplication and rounding of <see cref="Convert1"/> lane by lane. Needs AVX-512F.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Convert8V512(byte* x, double* shift, double* factor)
    {
        Vector256<int> w = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(*(ulong*)x).AsByte());
        var d = (Avx512F.ConvertToVector512Double(w) - Vector512.Load(shift)) * Vector512.Load(factor);
        return Avx512F.ConvertToVector256Single(d);
    }

    /// <summary><see cref="Convert8V512"/> with two vectors of 4 doubles. Needs AVX2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Convert8V256(byte* x, double* shift, double* factor)
    {
        Vector256<int> w = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(*(ulong*)x).AsByte());
        var lo = (Avx.ConvertToVector256Double(w.GetLower()) - Vector256.Load(shift)) * Vector256.Load(factor);
        var hi = (Avx.ConvertToVector256Double(w.GetUpper()) - Vector256.Load(shift + 4)) * Vector256.Load(factor + 4);
        return Vector256.Create(Avx.ConvertToVector128Single(lo), Avx.ConvertToVector128Single(hi));
    }

    /// <summary>
    /// <see cref="Convert8V512"/> where AVX-512F is there, else <see cref="Convert8V256"/> where AVX2 is, else 8 ×
    /// <see cref="Convert1"/> (AVX without AVX2: the packing routines that call this need only AVX).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Convert8(byte* x, double* shift, double* factor) =>
        Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? Convert8V512(x, shift, factor)
        : Avx2.IsSupported ? Convert8V256(x, shift, factor)
        : Vector256.Create(Convert1(x, shift, factor), Convert1(x + 1, shift + 1, factor + 1), Convert1(x + 2, shift + 2, factor + 2),
            Convert1(x + 3, shift + 3, factor + 3), Convert1(x + 4, shift + 4, factor + 4), Convert1(x + 5, shift + 5, factor + 5),
            Convert1(x + 6, shift + 6, factor + 6), Convert1(x + 7, shift + 7, factor + 7));

    [Conditional("DEBUG")]
    private static void Check(int length, ReadOnlySpan<double> shift, ReadOnlySpan<double> factor, Span<float> y) =>
        Debug.Assert(shift.Length == length && factor.Length == length && y.Length >= length);
}
