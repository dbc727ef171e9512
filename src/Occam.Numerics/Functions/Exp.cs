using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Functions;

/// <summary>
/// The exponential of float32 values, <c>destination[i] = e^x[i]</c>, computed in double precision and rounded once:
/// <code>
///   x ← clamp(x, −105, 89)                     e^−105 &lt; 2^−150 rounds to +0, e^89 &gt; float.MaxValue to +∞
///   z = x·log₂e                                 (double)
///   n = z rounded to the nearest integer        (z + 1.5·2⁵²) − 1.5·2⁵², ties to even
///   t = (z − n)·ln 2                            |t| ≤ ½·ln 2 (+ rounding)
///   p = Σ_{k=0..9} t^k / k!                      Horner, one fused multiply-add per degree
///   e^x = (float)(p · 2^n)                      2^n built from its exponent bits: the product is exact
/// </code>
/// NaN gives the input NaN back. The Taylor remainder is below |t|¹⁰/10! ≈ 6.9·10⁻¹² relative, far below a float's half
/// ulp (2⁻²⁵ ≈ 3·10⁻⁸), so the result is within 1 ulp of e^x and is the correctly rounded float except where e^x lies
/// within ≈ 10⁻¹¹ (relative) of a midpoint between two floats (tested against <c>(float)Math.Exp(x)</c>).
/// Every width of <see cref="Simd"/>'s driver runs the same operations lane by lane, so <see cref="Apply"/> equals
/// <see cref="ApplyScalar"/> bit for bit at every length (tested). Why a kernel of our own rather than
/// <c>TensorPrimitives.Exp</c>: that one's AVX-512 code cannot be precompiled (ReadyToRun code that uses Vector512 is
/// rejected at run time), so the published CLI — which keeps tier-0 code for 65 535 calls — ran it at tier 0, where
/// the generic vector math runs its element-by-element software fallback: ≈ 1.3 ms per 784-512-256-10 training step
/// (docs/algorithms/losses.md). This method is compiled optimized at its first call.
/// Reference: the range reduction e^x = 2^n·e^t of Cody &amp; Waite, <i>Software Manual for the Elementary Functions</i>
/// (1980), with the polynomial evaluated in double so that one rounding ends the computation.
/// </summary>
public static class Exp
{
    /// <summary>
    /// <c>destination[i] = e^x[i]</c> for i &lt; x.Length (vectorized); <paramref name="destination"/> may be <paramref name="x"/>
    /// itself but must not overlap it at another offset.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // compiled optimized at its first call, never at tier 0
    public static void Apply(ReadOnlySpan<float> x, Span<float> destination)
    {
        Preconditions.CheckLength(destination.Length, x.Length);
        Simd.Map(x, destination[..x.Length], default(Operator));
    }

    /// <summary>Scalar reference for <see cref="Apply"/>: <see cref="Of"/> element by element.</summary>
    public static void ApplyScalar(ReadOnlySpan<float> x, Span<float> destination)
    {
        Preconditions.CheckLength(destination.Length, x.Length);
        for (int i = 0; i < x.Length; i++) destination[i] = Of(x[i]);
    }

    /// <summary>e^x for one value, by the same operations as every lane of <see cref="Apply"/>.</summary>
    public static float Of(float x) => default(Operator).Invoke(x);

    private const float Lowest = -105f, Highest = 89f;
    private const double Log2E = 1.4426950408889634;     // log₂ e rounded to double
    private const double Ln2 = 0.6931471805599453;       // ln 2 rounded to double
    private const double Magic = 6755399441055744.0;     // 1.5·2⁵²: z + Magic rounds z to an integer held in the low bits
    private const ulong ExponentOfMagic = unchecked(1023UL - 0x4338000000000000UL);   // bits(Magic + n) + this = n + 1023, mod 2⁶⁴
    private const double C2 = 1.0 / 2, C3 = 1.0 / 6, C4 = 1.0 / 24, C5 = 1.0 / 120, C6 = 1.0 / 720, C7 = 1.0 / 5040,
        C8 = 1.0 / 40320, C9 = 1.0 / 362880;

    private readonly struct Operator : IUnaryOperator<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x)
        {
            if (float.IsNaN(x)) return x;
            float c = x < Lowest ? Lowest : x > Highest ? Highest : x;
            return (float)Core(c);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static double Core(double x)
        {
            double z = x * Log2E;
            double dn = z + Magic;
            double n = dn - Magic;
            double t = (z - n) * Ln2;
            double p = Math.FusedMultiplyAdd(C9, t, C8);
            p = Math.FusedMultiplyAdd(p, t, C7);
            p = Math.FusedMultiplyAdd(p, t, C6);
            p = Math.FusedMultiplyAdd(p, t, C5);
            p = Math.FusedMultiplyAdd(p, t, C4);
            p = Math.FusedMultiplyAdd(p, t, C3);
            p = Math.FusedMultiplyAdd(p, t, C2);
            p = Math.FusedMultiplyAdd(p, t, 1.0);
            p = Math.FusedMultiplyAdd(p, t, 1.0);
            ulong scale = unchecked(BitConverter.DoubleToUInt64Bits(dn) + ExponentOfMagic) << 52;
            return p * BitConverter.UInt64BitsToDouble(scale);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x)
        {
            var c = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(Lowest)), Vector256.Create(Highest));
            var (lo, hi) = Vector256.Widen(c);
            var e = Vector256.Narrow(Core(lo), Core(hi));
            return Vector256.ConditionalSelect(Vector256.Equals(x, x), e, x);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> Core(Vector256<double> x)
        {
            var z = x * Vector256.Create(Log2E);
            var dn = z + Vector256.Create(Magic);
            var n = dn - Vector256.Create(Magic);
            var t = (z - n) * Vector256.Create(Ln2);
            var p = Vector256.FusedMultiplyAdd(Vector256.Create(C9), t, Vector256.Create(C8));
            p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C7));
            p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C6));
            p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C5));
            p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C4));
            p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C3));
            p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C2));
            p = Vector256.FusedMultiplyAdd(p, t, Vector256<double>.One);
            p = Vector256.FusedMultiplyAdd(p, t, Vector256<double>.One);
            var scale = Vector256.ShiftLeft(dn.AsUInt64() + Vector256.Create(ExponentOfMagic), 52);
            return p * scale.AsDouble();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x)
        {
            var c = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(Lowest)), Vector512.Create(Highest));
            var (lo, hi) = Vector512.Widen(c);
            var e = Vector512.Narrow(Core(lo), Core(hi));
            return Vector512.ConditionalSelect(Vector512.Equals(x, x), e, x);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> Core(Vector512<double> x)
        {
            var z = x * Vector512.Create(Log2E);
            var dn = z + Vector512.Create(Magic);
            var n = dn - Vector512.Create(Magic);
            var t = (z - n) * Vector512.Create(Ln2);
            var p = Vector512.FusedMultiplyAdd(Vector512.Create(C9), t, Vector512.Create(C8));
            p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C7));
            p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C6));
            p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C5));
            p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C4));
            p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C3));
            p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C2));
            p = Vector512.FusedMultiplyAdd(p, t, Vector512<double>.One);
            p = Vector512.FusedMultiplyAdd(p, t, Vector512<double>.One);
            var scale = Vector512.ShiftLeft(dn.AsUInt64() + Vector512.Create(ExponentOfMagic), 52);
            return p * scale.AsDouble();
        }
    }
}
