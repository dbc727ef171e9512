using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Functions;

/// <summary>
/// The natural logarithm of double values, <c>destination[i] = ln x[i]</c>, the same bits on every vector width and at
/// every tier of the JIT (no call into CoreLib's vector math). The algorithm is fdlibm's <c>e_log.c</c> (Sun, 1993), with
/// its branches turned into selects:
/// <code>
///   x = 2^k·(1 + f),  1 + f ∈ [√2/2, √2)          from the exponent and mantissa bits (a subnormal x scaled by 2⁵⁴ first)
///   s = f/(2 + f),  ln(1 + f) = 2s + 2s³/3 + … = 2s + s·R(s²)
///   R = z·(Lg1 + w·(Lg3 + w·(Lg5 + w·Lg7))) + w·(Lg2 + w·(Lg4 + w·Lg6)),  z = s², w = z²   (Remez, |error| &lt; 2^−58.45)
///   ln x = k·ln2_hi − ((½f² − (s·(½f² + R) + k·ln2_lo)) − f)    for 1 + f's leading mantissa bits in [0x6147A, 0x6B851]
///   ln x = k·ln2_hi − ((s·(f − R) − k·ln2_lo) − f)              otherwise
/// </code>
/// with ln2_hi holding the leading 32 bits of ln 2 (k·ln2_hi exact). ln(±0) = −∞, ln(x &lt; 0) = NaN, ln(+∞) = +∞, NaN
/// gives the input NaN back. Error: below 1 ulp (fdlibm's analysis; no fused multiply-add is used, so every operation
/// rounds as it assumes): faithful, one of the two doubles around ln x, hence within 1 ulp of any faithful logarithm
/// such as <c>Math.Log</c> (the C library's; tested over 2²⁰ draws per range). fdlibm's separate
/// path for |f| &lt; 2⁻²⁰ is a shortcut, not needed for accuracy, and is left out. Every width of <see cref="Simd"/>'s
/// driver runs the same operations lane by lane, so <see cref="Apply(ReadOnlySpan{double}, Span{double})"/> equals
/// <see cref="ApplyScalar"/> bit for bit at every length (tested); a vector whose lanes are all positive normal finite
/// values skips the scaling and the special-value selects (identities there: the same bits). Why not <c>TensorPrimitives.Log</c>: see
/// <see cref="DoubleExp"/>.
/// </summary>
internal static class DoubleLog
{
    /// <summary>
    /// <c>destination[i] = ln x[i]</c> for i &lt; x.Length (vectorized); <paramref name="destination"/> may be <paramref name="x"/>
    /// itself but must not overlap it at another offset.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // compiled optimized at its first call, never at tier 0
    public static void Apply(ReadOnlySpan<double> x, Span<double> destination) => Apply(Simd.Widest, x, destination);

    /// <summary><see cref="Apply(ReadOnlySpan{double}, Span{double})"/> with vectors no wider than <paramref name="width"/> (tests).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(VectorWidth width, ReadOnlySpan<double> x, Span<double> destination)
    {
        Preconditions.CheckLength(destination.Length, x.Length);
        Simd.Map(width, x, destination[..x.Length], default(Operator));
    }

    /// <summary>Scalar reference for <see cref="Apply(ReadOnlySpan{double}, Span{double})"/>: <see cref="Of"/> element by element.</summary>
    public static void ApplyScalar(ReadOnlySpan<double> x, Span<double> destination)
    {
        Preconditions.CheckLength(destination.Length, x.Length);
        for (int i = 0; i < x.Length; i++) destination[i] = Of(x[i]);
    }

    /// <summary>ln x for one value, by the same operations as every lane of <see cref="Apply(ReadOnlySpan{double}, Span{double})"/>.</summary>
    public static double Of(double x) => default(Operator).Invoke(x);

    private const double SmallestNormal = 2.2250738585072014E-308;   // 2⁻¹⁰²²
    private const double Two54 = 18014398509481984.0;                // 2⁵⁴
    private const double Ln2Hi = 6.93147180369123816490e-01;         // 0x3FE62E42FEE00000
    private const double Ln2Lo = 1.90821492927058770002e-10;         // 0x3DEA39EF35793C76
    private const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
        Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
        Lg7 = 1.479819860511658591e-01;
    private const ulong MantissaMask = 0x000F_FFFF_FFFF_FFFFUL;
    private const ulong SqrtTwoCarry = 0x95F64UL << 32;              // mantissa + this carries into bit 52 iff 1.mantissa ≥ √2 (fdlibm)
    private const ulong Bit52 = 1UL << 52;
    private const ulong OneExponent = 0x3FF0_0000_0000_0000UL;
    private const ulong TwoTo52Bits = 0x4330_0000_0000_0000UL;        // 2⁵²: bits | j is the double 2⁵² + j for j < 2⁵²
    private const double TwoTo52PlusBias = 4503599627370496.0 + 1023;
    private const long HfsqFrom = 0x6147A, HfsqTo = 0x6B851;          // fdlibm's range of the leading 20 mantissa bits for the ½f² form

    private readonly struct Operator : IUnaryOperator<double>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Invoke(double x)
        {
            if (double.IsNaN(x)) return x;
            if (x < 0) return double.NaN;
            if (x == 0) return double.NegativeInfinity;
            if (x == double.PositiveInfinity) return x;
            bool subnormal = x < SmallestNormal;
            double xs = subnormal ? x * Two54 : x;
            double kAdjust = subnormal ? -54.0 : 0.0;
            ulong bits = BitConverter.DoubleToUInt64Bits(xs);
            ulong mantissa = bits & MantissaMask;
            ulong half = (mantissa + SqrtTwoCarry) & Bit52;
            double m = BitConverter.UInt64BitsToDouble(mantissa | (half ^ OneExponent));
            double k = BitConverter.UInt64BitsToDouble(TwoTo52Bits | ((bits >> 52) + (half >> 52))) - TwoTo52PlusBias + kAdjust;
            long lead = (long)(mantissa >> 32);
            bool hfsqForm = lead >= HfsqFrom && lead <= HfsqTo;
            double f = m - 1.0;
            double s = f / (2.0 + f);
            double z = s * s;
            double w = z * z;
            double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
            double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
            double r = t2 + t1;
            double hfsq = 0.5 * f * f;
            double a = k * Ln2Hi - ((hfsq - (s * (hfsq + r) + k * Ln2Lo)) - f);
            double b = k * Ln2Hi - ((s * (f - r) - k * Ln2Lo) - f);
            return hfsqForm ? a : b;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Invoke(Vector256<double> x)
        {
            // Every lane a positive normal finite double (not NaN): no scaling and no special value — the same bits as the
            // general path below, which adds k's adjustment 0 and selects nothing there, with fewer operations.
            if (Vector256.GreaterThanOrEqualAll(x, Vector256.Create(SmallestNormal)) && Vector256.LessThanAll(x, Vector256.Create(double.PositiveInfinity)))
                return Core(x, Vector256<double>.Zero);
            var subnormal = Vector256.LessThan(x, Vector256.Create(SmallestNormal));
            var xs = Vector256.ConditionalSelect(subnormal, x * Vector256.Create(Two54), x);
            var kAdjust = Vector256.ConditionalSelect(subnormal, Vector256.Create(-54.0), Vector256<double>.Zero);
            var y = Core(xs, kAdjust);
            y = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(double.PositiveInfinity)), x, y);
            y = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<double>.Zero), Vector256.Create(double.NegativeInfinity), y);
            y = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero), Vector256.Create(double.NaN), y);
            return Vector256.ConditionalSelect(Vector256.Equals(x, x), y, x);
        }

        /// <summary>ln xs + kAdjust·ln 2 by the formulas of the class, for a positive normal xs (other lanes: any value).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> Core(Vector256<double> xs, Vector256<double> kAdjust)
        {
            var bits = xs.AsUInt64();
            var mantissa = bits & Vector256.Create(MantissaMask);
            var half = (mantissa + Vector256.Create(SqrtTwoCarry)) & Vector256.Create(Bit52);
            var m = (mantissa | (half ^ Vector256.Create(OneExponent))).AsDouble();
            var exponent = Vector256.ShiftRightLogical(bits, 52) + Vector256.ShiftRightLogical(half, 52);
            var k = (Vector256.Create(TwoTo52Bits) | exponent).AsDouble() - Vector256.Create(TwoTo52PlusBias) + kAdjust;
            var lead = Vector256.ShiftRightLogical(mantissa, 32).AsInt64();
            var hfsqForm = Vector256.GreaterThanOrEqual(lead, Vector256.Create(HfsqFrom)) & Vector256.LessThanOrEqual(lead, Vector256.Create(HfsqTo));
            var f = m - Vector256<double>.One;
            var s = f / (Vector256.Create(2.0) + f);
            var z = s * s;
            var w = z * z;
            var t1 = w * (Vector256.Create(Lg2) + w * (Vector256.Create(Lg4) + w * Vector256.Create(Lg6)));
            var t2 = z * (Vector256.Create(Lg1) + w * (Vector256.Create(Lg3) + w * (Vector256.Create(Lg5) + w * Vector256.Create(Lg7))));
            var r = t2 + t1;
            var hfsq = Vector256.Create(0.5) * f * f;
            var kHi = k * Vector256.Create(Ln2Hi);
            var kLo = k * Vector256.Create(Ln2Lo);
            var a = kHi - ((hfsq - (s * (hfsq + r) + kLo)) - f);
            var b = kHi - ((s * (f - r) - kLo) - f);
            return Vector256.ConditionalSelect(hfsqForm.AsDouble(), a, b);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Invoke(Vector512<double> x)
        {
            // Every lane a positive normal finite double (not NaN): no scaling and no special value — the same bits as the
            // general path below, which adds k's adjustment 0 and selects nothing there, with fewer operations.
            if (Vector512.GreaterThanOrEqualAll(x, Vector512.Create(SmallestNormal)) && Vector512.LessThanAll(x, Vector512.Create(double.PositiveInfinity)))
                return Core(x, Vector512<double>.Zero);
            var subnormal = Vector512.LessThan(x, Vector512.Create(SmallestNormal));
            var xs = Vector512.ConditionalSelect(subnormal, x * Vector512.Create(Two54), x);
            var kAdjust = Vector512.ConditionalSelect(subnormal, Vector512.Create(-54.0), Vector512<double>.Zero);
            var y = Core(xs, kAdjust);
            y = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(double.PositiveInfinity)), x, y);
            y = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<double>.Zero), Vector512.Create(double.NegativeInfinity), y);
            y = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<double>.Zero), Vector512.Create(double.NaN), y);
            return Vector512.ConditionalSelect(Vector512.Equals(x, x), y, x);
        }

        /// <summary>ln xs + kAdjust·ln 2 by the formulas of the class, for a positive normal xs (other lanes: any value).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> Core(Vector512<double> xs, Vector512<double> kAdjust)
        {
            var bits = xs.AsUInt64();
            var mantissa = bits & Vector512.Create(MantissaMask);
            var half = (mantissa + Vector512.Create(SqrtTwoCarry)) & Vector512.Create(Bit52);
            var m = (mantissa | (half ^ Vector512.Create(OneExponent))).AsDouble();
            var exponent = Vector512.ShiftRightLogical(bits, 52) + Vector512.ShiftRightLogical(half, 52);
            var k = (Vector512.Create(TwoTo52Bits) | exponent).AsDouble() - Vector512.Create(TwoTo52PlusBias) + kAdjust;
            var lead = Vector512.ShiftRightLogical(mantissa, 32).AsInt64();
            var hfsqForm = Vector512.GreaterThanOrEqual(lead, Vector512.Create(HfsqFrom)) & Vector512.LessThanOrEqual(lead, Vector512.Create(HfsqTo));
            var f = m - Vector512<double>.One;
            var s = f / (Vector512.Create(2.0) + f);
            var z = s * s;
            var w = z * z;
            var t1 = w * (Vector512.Create(Lg2) + w * (Vector512.Create(Lg4) + w * Vector512.Create(Lg6)));
            var t2 = z * (Vector512.Create(Lg1) + w * (Vector512.Create(Lg3) + w * (Vector512.Create(Lg5) + w * Vector512.Create(Lg7))));
            var r = t2 + t1;
            var hfsq = Vector512.Create(0.5) * f * f;
            var kHi = k * Vector512.Create(Ln2Hi);
            var kLo = k * Vector512.Create(Ln2Lo);
            var a = kHi - ((hfsq - (s * (hfsq + r) + kLo)) - f);
            var b = kHi - ((s * (f - r) - kLo) - f);
            return Vector512.ConditionalSelect(hfsqForm.AsDouble(), a, b);
        }
    }
}
