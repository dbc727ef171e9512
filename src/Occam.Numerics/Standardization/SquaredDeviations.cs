using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics.Standardization;

/// <summary>
/// The second pass of a column-wise standardizer fit, one row at a time: for every column j,
/// <c>acc[j] ← acc[j] + (x[j] − mean[j])·(x[j] − mean[j])</c> — a subtraction, a multiplication and an addition,
/// each rounded (no fused multiply-add), so the vector paths give bit for bit the scalar result.
/// </summary>
public static class SquaredDeviations
{
    /// <summary>Adds the squared deviations of the row <paramref name="x"/> from <paramref name="mean"/> to <paramref name="acc"/>.</summary>
    // Called once per row, thousands of times within a process's first 100 ms (data preparation), before tiered
    // compilation would replace its tier-0 code: compile it fully optimized at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(ReadOnlySpan<double> x, ReadOnlySpan<double> mean, Span<double> acc)
    {
        int n = x.Length;
        Preconditions.Check(mean.Length == n && acc.Length == n, "every span must have the length of x.");
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double mr = ref MemoryMarshal.GetReference(mean);
        ref double ar = ref MemoryMarshal.GetReference(acc);
        int i = 0;
        if (Simd.Use512)
        {
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var d = Vector512.LoadUnsafe(ref xr, (nuint)i) - Vector512.LoadUnsafe(ref mr, (nuint)i);
                (Vector512.LoadUnsafe(ref ar, (nuint)i) + d * d).StoreUnsafe(ref ar, (nuint)i);
            }
        }
        if (Simd.Use256)
        {
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var d = Vector256.LoadUnsafe(ref xr, (nuint)i) - Vector256.LoadUnsafe(ref mr, (nuint)i);
                (Vector256.LoadUnsafe(ref ar, (nuint)i) + d * d).StoreUnsafe(ref ar, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            double d = x[i] - mean[i];
            acc[i] += d * d;
        }
    }

    /// <summary>
    /// <see cref="Add"/> on unsigned bytes: <c>acc[j] ← acc[j] + (x[j] − mean[j])·(x[j] − mean[j])</c> with <c>x[j]</c>
    /// widened to float64 (exact) in registers — the same operations and roundings as <see cref="Add"/> on the widened
    /// row, so the same bits, without writing the widened row to a buffer and reading it back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void AddBytes(ReadOnlySpan<byte> x, ReadOnlySpan<double> mean, Span<double> acc)
    {
        int n = x.Length;
        Preconditions.Check(mean.Length == n && acc.Length == n, "every span must have the length of x.");
        int i = 0;
        fixed (byte* px = x)
        fixed (double* pm = mean)
        fixed (double* pa = acc)
        {
            if (Simd.Use512 && Avx512F.IsSupported)
            {
                for (; i + 16 <= n; i += 16)
                {
                    Vector512<int> w = Avx512F.ConvertToVector512Int32(Vector128.Load(px + i));
                    var d0 = Avx512F.ConvertToVector512Double(w.GetLower()) - Vector512.Load(pm + i);
                    var d1 = Avx512F.ConvertToVector512Double(w.GetUpper()) - Vector512.Load(pm + i + 8);
                    (Vector512.Load(pa + i) + d0 * d0).Store(pa + i);
                    (Vector512.Load(pa + i + 8) + d1 * d1).Store(pa + i + 8);
                }
            }
            if (Simd.Use256 && Avx2.IsSupported)
            {
                for (; i + 8 <= n; i += 8)
                {
                    Vector256<int> w = Avx2.ConvertToVector256Int32(Vector128.CreateScalar(*(ulong*)(px + i)).AsByte());
                    var d0 = Avx.ConvertToVector256Double(w.GetLower()) - Vector256.Load(pm + i);
                    var d1 = Avx.ConvertToVector256Double(w.GetUpper()) - Vector256.Load(pm + i + 4);
                    (Vector256.Load(pa + i) + d0 * d0).Store(pa + i);
                    (Vector256.Load(pa + i + 4) + d1 * d1).Store(pa + i + 4);
                }
            }
            for (; i < n; i++)
            {
                double d = px[i] - pm[i];
                pa[i] += d * d;
            }
        }
    }

    /// <summary>Scalar reference for <see cref="AddBytes"/>: <see cref="AddScalar"/> on the bytes widened to float64.</summary>
    public static void AddBytesScalar(ReadOnlySpan<byte> x, ReadOnlySpan<double> mean, Span<double> acc)
    {
        int n = x.Length;
        Preconditions.Check(mean.Length == n && acc.Length == n, "every span must have the length of x.");
        for (int i = 0; i < n; i++)
        {
            double d = x[i] - mean[i];
            acc[i] += d * d;
        }
    }

    /// <summary>Scalar reference for <see cref="Add"/>.</summary>
    public static void AddScalar(ReadOnlySpan<double> x, ReadOnlySpan<double> mean, Span<double> acc)
    {
        int n = x.Length;
        Preconditions.Check(mean.Length == n && acc.Length == n, "every span must have the length of x.");
        for (int i = 0; i < n; i++)
        {
            double d = x[i] - mean[i];
            acc[i] += d * d;
        }
    }
}
