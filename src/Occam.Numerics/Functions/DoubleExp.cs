using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Functions;

/// <summary>
/// The exponential of double values, <c>destination[i] = e^x[i]</c>, the same bits on every vector width and at every
/// tier of the JIT (no call into CoreLib's vector math: everything below is inlined into one optimized loop):
/// <code>
///   x ← clamp(x, −746, 710)                    e^−746 &lt; 2^−1075 rounds to +0, e^710 &gt; double.MaxValue to +∞
///   n = round(x·log₂e)                         (x·log₂e + 1.5·2⁵²) − 1.5·2⁵², ties to even; |n| ≤ 1077
///   h = x − n·ln2₁                             one fused multiply-add, exact (ln2₁ = ln 2 rounded to double)
///   r + r' = h − n·ln2₂                        ln2₂ = ln 2 − ln2₁; r the rounded difference, r' its error (2Sum): |r| ≤ 0.3466
///   u + u' = 1 + r                             u rounded, u' = (1 − u) + r its error, exact (Fast2Sum)
///   w = r²·Q(r) + (r'·r + r') + u'             Q(r) = Σ_{k=2..13} r^(k−2)/k!, Horner by fused multiply-adds
///   v = u + w                                  e^(r + r') to within 0.25 ulp before this, the one real rounding
///   e^x = (v · 2^n₁) · 2^n₂                    n₁ = clamp(n, −1021, 1023), n₂ = n − n₁, both powers from exponent bits
/// </code>
/// NaN gives the input NaN back. Error: the argument r + r' is x − n·ln 2 to within 2⁻⁹⁸; the terms dropped or rounded
/// before the last addition (the Taylor remainder |r|¹⁴/14! &lt; 4.2·10⁻¹⁸, the rounding of r², Q, w and the dropped
/// r'·(r²/2 + …)) add up to less than 0.25·2⁻⁵³ in absolute value, against a result v ∈ [0.70, 1.42] whose ulp is 2⁻⁵³ or
/// 2⁻⁵², so the result is within 0.75 ulp of e^x (faithful: one of the two doubles around e^x); the first product is
/// exact (v·2^n₁ is a normal double) and the second rounds once more only where the result is subnormal
/// (n &lt; −1021), within half a subnormal ulp plus that error. Hence within 1 ulp of any faithful exponential, such as
/// <c>Math.Exp</c> (the C library's, correctly rounded but in rare cases); tested over 2²⁰ draws per range.
/// Every width of <see cref="Simd"/>'s driver runs the same operations lane by lane, so <see cref="Apply(ReadOnlySpan{double}, Span{double})"/>
/// equals <see cref="ApplyScalar"/> bit for bit at every length (tested, also forced to 256 bits and to scalar).
/// A vector whose lanes are all within ±708 skips the clamping and the split power (identities there: the same bits).
/// Why not <c>TensorPrimitives.Exp</c>: its vector code calls CoreLib's <c>VectorMath.ExpDouble</c>, which is not
/// inlined, starts at tier 0 in the published CLI (≈ 50 ns an element for its first 65 535 vectors) and rounds
/// differently once re-jitted at tier 1, so a long logistic path was not bit-reproducible (docs/algorithms/losses.md,
/// "The exponential"). Reference: the range reduction of Cody &amp; Waite, <i>Software Manual for the Elementary
/// Functions</i> (1980), with the error of the reduced argument carried along (Muller, <i>Elementary Functions</i>, ch. 11).
/// </summary>
internal static class DoubleExp
{
    /// <summary>
    /// <c>destination[i] = e^x[i]</c> for i &lt; x.Length (vectorized); <paramref name="destination"/> may be <paramref name="x"/>
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

    /// <summary>e^x for one value, by the same operations as every lane of <see cref="Apply(ReadOnlySpan{double}, Span{double})"/>.</summary>
    public static double Of(double x) => default(Operator).Invoke(x);

    private const double Lowest = -746, Highest = 710;
    private const double Log2E = 1.4426950408889634;          // log₂ e rounded to double
    private const double Ln2Hi = 0.6931471805599453;           // ln 2 rounded to double (0x3FE62E42FEFA39EF)
    private const double Ln2Lo = 2.3190468138462996e-17;       // ln 2 − Ln2Hi rounded to double
    private const double Magic = 6755399441055744.0;           // 1.5·2⁵²: z + Magic rounds z to an integer held in the low bits
    private const ulong ExponentOfMagic = unchecked(1023UL - 0x4338000000000000UL);   // bits(Magic + n) + this = n + 1023, mod 2⁶⁴
    private const double MinScale = -1021, MaxScale = 1023;
    private const double FastRange = 708;                      // |x| ≤ 708: n ∈ [−1021, 1021], a normal 2ⁿ, no clamping   // n₁'s range: v·2^n₁ is a normal double for v ≥ 0.70
    private const double C2 = 1.0 / 2, C3 = 1.0 / 6, C4 = 1.0 / 24, C5 = 1.0 / 120, C6 = 1.0 / 720, C7 = 1.0 / 5040,
        C8 = 1.0 / 40320, C9 = 1.0 / 362880, C10 = 1.0 / 3628800, C11 = 1.0 / 39916800, C12 = 1.0 / 479001600,
        C13 = 1.0 / 6227020800;

    private readonly struct Operator : IUnaryOperator<double>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Invoke(double x)
        {
            if (double.IsNaN(x)) return x;
            double c = x < Lowest ? Lowest : x > Highest ? Highest : x;
            double z = c * Log2E;
            double dn = z + Magic;
            double n = dn - Magic;
            double h = Math.FusedMultiplyAdd(-n, Ln2Hi, c);
            double lo = n * Ln2Lo;
            double r = h - lo;
            double bb = r - h;
            double rLo = (h - (r - bb)) - (lo + bb);
            double u = 1.0 + r;
            double uLo = (1.0 - u) + r;
            double q = Math.FusedMultiplyAdd(C13, r, C12);
            q = Math.FusedMultiplyAdd(q, r, C11);
            q = Math.FusedMultiplyAdd(q, r, C10);
            q = Math.FusedMultiplyAdd(q, r, C9);
            q = Math.FusedMultiplyAdd(q, r, C8);
            q = Math.FusedMultiplyAdd(q, r, C7);
            q = Math.FusedMultiplyAdd(q, r, C6);
            q = Math.FusedMultiplyAdd(q, r, C5);
            q = Math.FusedMultiplyAdd(q, r, C4);
            q = Math.FusedMultiplyAdd(q, r, C3);
            q = Math.FusedMultiplyAdd(q, r, C2);
            double w = Math.FusedMultiplyAdd(r * r, q, Math.FusedMultiplyAdd(r, rLo, rLo) + uLo);
            double v = u + w;
            double n1 = Math.Min(Math.Max(n, MinScale), MaxScale);
            double n2 = n - n1;
            return v * Power(n1) * Power(n2);
        }

        /// <summary>2^k for an integer-valued k in [−1022, 1023], from the exponent bits.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static double Power(double k) =>
            BitConverter.UInt64BitsToDouble(unchecked(BitConverter.DoubleToUInt64Bits(k + Magic) + ExponentOfMagic) << 52);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Invoke(Vector256<double> x)
        {
            // Every lane within ±708 (not NaN): no clamping, n within [−1021, 1021] so n₁ = n and n₂ = 0 — the same bits as
            // the general path below, which multiplies by 2⁰ = 1 and selects nothing there, with fewer operations.
            if (Vector256.LessThanOrEqualAll(Vector256.Abs(x), Vector256.Create(FastRange)))
            {
                var vf = Reduced(x, out var nf);
                return vf * Power(nf);
            }
            var c = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(Lowest)), Vector256.Create(Highest));
            var v = Reduced(c, out var n);
            var n1 = Vector256.MinNative(Vector256.MaxNative(n, Vector256.Create(MinScale)), Vector256.Create(MaxScale));
            var n2 = n - n1;
            var e = v * Power(n1) * Power(n2);
            return Vector256.ConditionalSelect(Vector256.Equals(x, x), e, x);
        }

        /// <summary>v ≈ e^(c − n·ln 2) ∈ [0.70, 1.42] and n = round(c·log₂e), lane by lane (the steps of the class's table up to v).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> Reduced(Vector256<double> c, out Vector256<double> n)
        {
            var z = c * Vector256.Create(Log2E);
            var dn = z + Vector256.Create(Magic);
            n = dn - Vector256.Create(Magic);
            var h = Vector256.FusedMultiplyAdd(-n, Vector256.Create(Ln2Hi), c);
            var lo = n * Vector256.Create(Ln2Lo);
            var r = h - lo;
            var bb = r - h;
            var rLo = (h - (r - bb)) - (lo + bb);
            var u = Vector256<double>.One + r;
            var uLo = (Vector256<double>.One - u) + r;
            var q = Vector256.FusedMultiplyAdd(Vector256.Create(C13), r, Vector256.Create(C12));
            q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(C11));
            q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(C10));
            q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(C9));
            q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(C8));
            q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(C7));
            q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(C6));
            q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(C5));
            q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(C4));
            q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(C3));
            q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(C2));
            var w = Vector256.FusedMultiplyAdd(r * r, q, Vector256.FusedMultiplyAdd(r, rLo, rLo) + uLo);
            return u + w;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> Power(Vector256<double> k) =>
            Vector256.ShiftLeft((k + Vector256.Create(Magic)).AsUInt64() + Vector256.Create(ExponentOfMagic), 52).AsDouble();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Invoke(Vector512<double> x)
        {
            // Every lane within ±708 (not NaN): no clamping, n within [−1021, 1021] so n₁ = n and n₂ = 0 — the same bits as
            // the general path below, which multiplies by 2⁰ = 1 and selects nothing there, with fewer operations.
            if (Vector512.LessThanOrEqualAll(Vector512.Abs(x), Vector512.Create(FastRange)))
            {
                var vf = Reduced(x, out var nf);
                return vf * Power(nf);
            }
            var c = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(Lowest)), Vector512.Create(Highest));
            var v = Reduced(c, out var n);
            var n1 = Vector512.MinNative(Vector512.MaxNative(n, Vector512.Create(MinScale)), Vector512.Create(MaxScale));
            var n2 = n - n1;
            var e = v * Power(n1) * Power(n2);
            return Vector512.ConditionalSelect(Vector512.Equals(x, x), e, x);
        }

        /// <summary>v ≈ e^(c − n·ln 2) ∈ [0.70, 1.42] and n = round(c·log₂e), lane by lane (the steps of the class's table up to v).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> Reduced(Vector512<double> c, out Vector512<double> n)
        {
            var z = c * Vector512.Create(Log2E);
            var dn = z + Vector512.Create(Magic);
            n = dn - Vector512.Create(Magic);
            var h = Vector512.FusedMultiplyAdd(-n, Vector512.Create(Ln2Hi), c);
            var lo = n * Vector512.Create(Ln2Lo);
            var r = h - lo;
            var bb = r - h;
            var rLo = (h - (r - bb)) - (lo + bb);
            var u = Vector512<double>.One + r;
            var uLo = (Vector512<double>.One - u) + r;
            var q = Vector512.FusedMultiplyAdd(Vector512.Create(C13), r, Vector512.Create(C12));
            q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(C11));
            q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(C10));
            q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(C9));
            q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(C8));
            q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(C7));
            q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(C6));
            q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(C5));
            q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(C4));
            q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(C3));
            q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(C2));
            var w = Vector512.FusedMultiplyAdd(r * r, q, Vector512.FusedMultiplyAdd(r, rLo, rLo) + uLo);
            return u + w;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> Power(Vector512<double> k) =>
            Vector512.ShiftLeft((k + Vector512.Create(Magic)).AsUInt64() + Vector512.Create(ExponentOfMagic), 52).AsDouble();
    }
}
