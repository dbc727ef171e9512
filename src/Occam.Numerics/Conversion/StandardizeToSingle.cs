using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics.Conversion;

/// <summary>
/// Raw inputs to the network's float32 inputs: <c>y[i] = (float)((x[i] − mean[j]) / scale[j])</c> with
/// <c>j = i mod columns</c> (x row-major, <c>columns</c> values per row), computed in double and rounded once to
/// float32; without a standardizer (<c>mean</c> and <c>scale</c> empty) <c>y[i] = (float)x[i]</c>. The vector
/// versions do the same operations lane by lane (a division, not a multiplication by 1/scale), so they agree with the
/// scalar version bit for bit. Values beyond the float32 range become ±∞ (NaN stays NaN): callers check the result
/// with <see cref="NonFinite.IndexOf"/>.
/// </summary>
internal static class StandardizeToSingle
{
    /// <summary>The fastest accelerated version for this machine.</summary>
    public static void Apply(ReadOnlySpan<double> x, int columns, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Span<float> y)
    {
        if (Vector512.IsHardwareAccelerated) ApplyV512(x, columns, mean, scale, y);
        else if (Vector256.IsHardwareAccelerated) ApplyV256(x, columns, mean, scale, y);
        else ApplyScalar(x, columns, mean, scale, y);
    }

    /// <summary>Scalar reference.</summary>
    public static void ApplyScalar(ReadOnlySpan<double> x, int columns, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Span<float> y) =>
        Scalar(x, columns, mean, scale, y);

    /// <summary>
    /// The one scalar loop behind the three input types: every byte, float and double is a double exactly, so widening
    /// first and then subtracting, dividing and rounding once gives each type's defined result.
    /// </summary>
    private static void Scalar<T>(ReadOnlySpan<T> x, int columns, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Span<float> y)
        where T : INumberBase<T>
    {
        Check(x.Length, columns, mean, scale, y);
        if (mean.IsEmpty)
        {
            for (int i = 0; i < x.Length; i++) y[i] = (float)double.CreateTruncating(x[i]);
            return;
        }
        for (int i = 0, j = 0; i < x.Length; i++)
        {
            y[i] = (float)((double.CreateTruncating(x[i]) - mean[j]) / scale[j]);
            if (++j == columns) j = 0;
        }
    }

    /// <summary>Vector512 (8 doubles per step, row by row so that mean and scale line up).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void ApplyV512(ReadOnlySpan<double> x, int columns, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Span<float> y)
    {
        Check(x.Length, columns, mean, scale, y);
        fixed (double* px = x, pm = mean, ps = scale)
        fixed (float* py = y)
        {
            if (mean.IsEmpty)
            {
                int n = x.Length, i = 0;
                for (; i + 16 <= n; i += 16)
                    Vector512.Narrow(Vector512.Load(px + i), Vector512.Load(px + i + 8)).Store(py + i);
                for (; i < n; i++) py[i] = (float)px[i];
                return;
            }
            int rows = x.Length / columns;
            for (int r = 0; r < rows; r++)
            {
                double* xr = px + (nint)r * columns;
                float* yr = py + (nint)r * columns;
                int j = 0;
                for (; j + 16 <= columns; j += 16)
                {
                    var lo = (Vector512.Load(xr + j) - Vector512.Load(pm + j)) / Vector512.Load(ps + j);
                    var hi = (Vector512.Load(xr + j + 8) - Vector512.Load(pm + j + 8)) / Vector512.Load(ps + j + 8);
                    Vector512.Narrow(lo, hi).Store(yr + j);
                }
                for (; j < columns; j++) yr[j] = (float)((xr[j] - pm[j]) / ps[j]);
            }
        }
    }

    /// <summary>Vector256 (4 doubles per step).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void ApplyV256(ReadOnlySpan<double> x, int columns, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Span<float> y)
    {
        Check(x.Length, columns, mean, scale, y);
        fixed (double* px = x, pm = mean, ps = scale)
        fixed (float* py = y)
        {
            if (mean.IsEmpty)
            {
                int n = x.Length, i = 0;
                for (; i + 8 <= n; i += 8)
                    Vector256.Narrow(Vector256.Load(px + i), Vector256.Load(px + i + 4)).Store(py + i);
                for (; i < n; i++) py[i] = (float)px[i];
                return;
            }
            int rows = x.Length / columns;
            for (int r = 0; r < rows; r++)
            {
                double* xr = px + (nint)r * columns;
                float* yr = py + (nint)r * columns;
                int j = 0;
                for (; j + 8 <= columns; j += 8)
                {
                    var lo = (Vector256.Load(xr + j) - Vector256.Load(pm + j)) / Vector256.Load(ps + j);
                    var hi = (Vector256.Load(xr + j + 4) - Vector256.Load(pm + j + 4)) / Vector256.Load(ps + j + 4);
                    Vector256.Narrow(lo, hi).Store(yr + j);
                }
                for (; j < columns; j++) yr[j] = (float)((xr[j] - pm[j]) / ps[j]);
            }
        }
    }

    /// <summary>The fastest accelerated version for float32 inputs: <c>y[i] = (float)(((double)x[i] − mean[j]) / scale[j])</c>, or a copy.</summary>
    public static void Apply(ReadOnlySpan<float> x, int columns, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Span<float> y)
    {
        if (mean.IsEmpty) x.CopyTo(y);
        else if (Vector512.IsHardwareAccelerated) ApplyV512(x, columns, mean, scale, y);
        else ApplyScalar(x, columns, mean, scale, y);
    }

    /// <summary>Scalar reference for float32 inputs.</summary>
    public static void ApplyScalar(ReadOnlySpan<float> x, int columns, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Span<float> y) =>
        Scalar(x, columns, mean, scale, y);

    /// <summary>Vector512 for float32 inputs (16 floats widened to two vectors of 8 doubles per step).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void ApplyV512(ReadOnlySpan<float> x, int columns, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Span<float> y)
    {
        Debug.Assert(columns >= 1 && x.Length % columns == 0 && y.Length >= x.Length && mean.Length == columns && scale.Length == columns);
        fixed (float* px = x, py = y)
        fixed (double* pm = mean, ps = scale)
        {
            int rows = x.Length / columns;
            for (int r = 0; r < rows; r++)
            {
                float* xr = px + (nint)r * columns;
                float* yr = py + (nint)r * columns;
                int j = 0;
                for (; j + 16 <= columns; j += 16)
                {
                    (Vector512<double> xl, Vector512<double> xh) = Vector512.Widen(Vector512.Load(xr + j));
                    var lo = (xl - Vector512.Load(pm + j)) / Vector512.Load(ps + j);
                    var hi = (xh - Vector512.Load(pm + j + 8)) / Vector512.Load(ps + j + 8);
                    Vector512.Narrow(lo, hi).Store(yr + j);
                }
                for (; j < columns; j++) yr[j] = (float)((xr[j] - pm[j]) / ps[j]);
            }
        }
    }

    /// <summary>
    /// The fastest accelerated version for unsigned byte inputs (IDX pixels): <c>y[i] = (float)(((double)x[i] − mean[j]) /
    /// scale[j])</c>, or <c>(float)x[i]</c> without a standardizer — the same values as the float64 version on the bytes
    /// widened to double (every byte is a double exactly; the same subtraction, division and rounding follow).
    /// </summary>
    public static void Apply(ReadOnlySpan<byte> x, int columns, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Span<float> y)
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported) ApplyV512(x, columns, mean, scale, y);
        else if (Avx2.IsSupported) ApplyV256(x, columns, mean, scale, y);
        else ApplyScalar(x, columns, mean, scale, y);
    }

    /// <summary>Scalar reference for byte inputs.</summary>
    public static void ApplyScalar(ReadOnlySpan<byte> x, int columns, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Span<float> y) =>
        Scalar(x, columns, mean, scale, y);

    /// <summary>Vector512 for byte inputs: 16 bytes zero-extended to int32, converted to two vectors of 8 doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void ApplyV512(ReadOnlySpan<byte> x, int columns, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Span<float> y)
    {
        Check(x.Length, columns, mean, scale, y);
        fixed (byte* px = x)
        fixed (double* pm = mean, ps = scale)
        fixed (float* py = y)
        {
            if (mean.IsEmpty)
            {
                int n = x.Length, i = 0;
                for (; i + 16 <= n; i += 16)
                    Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(px + i))).Store(py + i);
                for (; i < n; i++) py[i] = px[i];
                return;
            }
            int rows = x.Length / columns;
            for (int r = 0; r < rows; r++)
            {
                byte* xr = px + (nint)r * columns;
                float* yr = py + (nint)r * columns;
                int j = 0;
                for (; j + 16 <= columns; j += 16)
                {
                    Vector512<int> w = Avx512F.ConvertToVector512Int32(Vector128.Load(xr + j));
                    var lo = (Avx512F.ConvertToVector512Double(w.GetLower()) - Vector512.Load(pm + j)) / Vector512.Load(ps + j);
                    var hi = (Avx512F.ConvertToVector512Double(w.GetUpper()) - Vector512.Load(pm + j + 8)) / Vector512.Load(ps + j + 8);
                    Vector512.Narrow(lo, hi).Store(yr + j);
                }
                for (; j < columns; j++) yr[j] = (float)((xr[j] - pm[j]) / ps[j]);
            }
        }
    }

    /// <summary>Vector256 for byte inputs: 8 bytes zero-extended to int32, converted to two vectors of 4 doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void ApplyV256(ReadOnlySpan<byte> x, int columns, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Span<float> y)
    {
        Check(x.Length, columns, mean, scale, y);
        fixed (byte* px = x)
        fixed (double* pm = mean, ps = scale)
        fixed (float* py = y)
        {
            if (mean.IsEmpty)
            {
                int n = x.Length, i = 0;
                for (; i + 8 <= n; i += 8)
                    Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Vector128.CreateScalar(*(ulong*)(px + i)).AsByte())).Store(py + i);
                for (; i < n; i++) py[i] = px[i];
                return;
            }
            int rows = x.Length / columns;
            for (int r = 0; r < rows; r++)
            {
                byte* xr = px + (nint)r * columns;
                float* yr = py + (nint)r * columns;
                int j = 0;
                for (; j + 8 <= columns; j += 8)
                {
                    Vector256<int> w = Avx2.ConvertToVector256Int32(Vector128.CreateScalar(*(ulong*)(xr + j)).AsByte());
                    var lo = (Avx.ConvertToVector256Double(w.GetLower()) - Vector256.Load(pm + j)) / Vector256.Load(ps + j);
                    var hi = (Avx.ConvertToVector256Double(w.GetUpper()) - Vector256.Load(pm + j + 4)) / Vector256.Load(ps + j + 4);
                    Vector256.Narrow(lo, hi).Store(yr + j);
                }
                for (; j < columns; j++) yr[j] = (float)((xr[j] - pm[j]) / ps[j]);
            }
        }
    }

    [Conditional("DEBUG")]
    private static void Check(int length, int columns, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Span<float> y)
    {
        Debug.Assert(columns >= 1 && length % columns == 0 && y.Length >= length);
        Debug.Assert(mean.IsEmpty ? scale.IsEmpty : mean.Length == columns && scale.Length == columns);
    }
}
