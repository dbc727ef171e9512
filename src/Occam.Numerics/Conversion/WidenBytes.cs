using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics.Conversion;

/// <summary>
/// Unsigned bytes to float64: <c>y[i] = x[i]</c> (every byte 0..255 is a double exactly, so every version gives the same
/// values). The vector versions zero-extend 16 (Vector512) or 8 (Vector256) bytes to 32-bit integers and convert those
/// to doubles (<c>vpmovzxbd</c>, <c>vcvtdq2pd</c>).
/// </summary>
internal static class WidenBytes
{
    /// <summary>The fastest accelerated version for this machine.</summary>
    public static void Apply(ReadOnlySpan<byte> x, Span<double> y)
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported) ApplyV512(x, y);
        else if (Avx2.IsSupported) ApplyV256(x, y);
        else ApplyScalar(x, y);
    }

    /// <summary>Scalar reference.</summary>
    public static void ApplyScalar(ReadOnlySpan<byte> x, Span<double> y)
    {
        Preconditions.Check(y.Length >= x.Length, "y must hold one value per byte of x.");
        for (int i = 0; i < x.Length; i++) y[i] = x[i];
    }

    /// <summary>Vector512: 16 bytes per step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void ApplyV512(ReadOnlySpan<byte> x, Span<double> y)
    {
        Preconditions.Check(y.Length >= x.Length, "y must hold one value per byte of x.");
        int n = x.Length, i = 0;
        fixed (byte* px = x)
        fixed (double* py = y)
        {
            for (; i + 16 <= n; i += 16)
            {
                Vector512<int> w = Avx512F.ConvertToVector512Int32(Vector128.Load(px + i));
                Avx512F.ConvertToVector512Double(w.GetLower()).Store(py + i);
                Avx512F.ConvertToVector512Double(w.GetUpper()).Store(py + i + 8);
            }
            for (; i < n; i++) py[i] = px[i];
        }
    }

    /// <summary>Vector256: 8 bytes per step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void ApplyV256(ReadOnlySpan<byte> x, Span<double> y)
    {
        Preconditions.Check(y.Length >= x.Length, "y must hold one value per byte of x.");
        int n = x.Length, i = 0;
        fixed (byte* px = x)
        fixed (double* py = y)
        {
            for (; i + 8 <= n; i += 8)
            {
                Vector256<int> w = Avx2.ConvertToVector256Int32(Vector128.CreateScalar(*(ulong*)(px + i)).AsByte());
                Avx.ConvertToVector256Double(w.GetLower()).Store(py + i);
                Avx.ConvertToVector256Double(w.GetUpper()).Store(py + i + 4);
            }
            for (; i < n; i++) py[i] = px[i];
        }
    }
}
