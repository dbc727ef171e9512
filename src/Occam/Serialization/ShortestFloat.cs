using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Occam.Serialization;

/// <summary>
/// A finite float32 as UTF-8 text, exactly as .NET formats it by default (<c>float.ToString(CultureInfo.InvariantCulture)</c>,
/// which is also what <see cref="System.Text.Json.Utf8JsonWriter.WriteNumberValue(float)"/> writes), several times faster.
/// <para>
/// Digits: the shortest decimal d·10^e that reads back as the same float (round to nearest, ties to even), and of
/// those the closest to the float's exact value — computed with Ulf Adams' Ryū algorithm for binary32 ("Ryū: fast
/// float-to-string conversion", PLDI 2018): the rounding interval's ends (the float ± half an ulp, scaled by 4 to
/// stay integral) are multiplied by 2^a·5^b (or its inverse) from a 64-bit table, then decimal digits are dropped
/// while both ends still differ; exact arithmetic on 96-bit products, no floating point. The tables are computed at
/// start-up from <see cref="BigInteger"/> powers of 5 (<see cref="Pow5InvSplit"/>, <see cref="Pow5Split"/>).
/// </para>
/// <para>
/// Layout (.NET's "G" with shortest digits): with n digits and decimal point position p (value = 0.d₁…dₙ·10^p),
/// scientific notation <c>d₁.d₂…dₙE±XX</c> (at least two exponent digits) when p &gt; 9 (float's round-trip digit count) or p &lt; −3,
/// otherwise plain positional notation (<c>123.45</c>, <c>0.00012</c>, <c>1200</c>); <c>0</c> and <c>-0</c>.
/// Tests compare every byte with .NET's own formatting over millions of random bit patterns and the edge cases.
/// </para>
/// </summary>
internal static class ShortestFloat
{
    /// <summary>The most bytes one float takes: <c>-1.2345678E-38</c> is 14.</summary>
    public const int MaxBytes = 16;

    private const int MantissaBits = 23;
    private const int ExponentBias = 127;
    private const int Pow5InvBitCount = 59;
    private const int Pow5BitCount = 61;

    /// <summary><c>Pow5InvSplit[q] = ⌊2^(pow5bits(q) − 1 + 59) / 5^q⌋ + 1</c>, q = 0 … 30.</summary>
    private static readonly ulong[] Pow5InvSplit = BuildInverse(31);

    /// <summary><c>Pow5Split[i] = ⌊5^i / 2^(pow5bits(i) − 61)⌋</c>, i = 0 … 47.</summary>
    private static readonly ulong[] Pow5Split = BuildPowers(48);

    private static ulong[] BuildInverse(int count)
    {
        var t = new ulong[count];
        for (int q = 0; q < count; q++)
            t[q] = (ulong)((BigInteger.One << (Pow5Bits(q) - 1 + Pow5InvBitCount)) / BigInteger.Pow(5, q) + 1);
        return t;
    }

    private static ulong[] BuildPowers(int count)
    {
        var t = new ulong[count];
        for (int i = 0; i < count; i++)
        {
            var p = BigInteger.Pow(5, i);
            int shift = Pow5Bits(i) - Pow5BitCount;
            t[i] = (ulong)(shift >= 0 ? p >> shift : p << -shift);
        }
        return t;
    }

    /// <summary>⌈log₂ 5^e⌉ for e ≥ 1, and 1 for e = 0 (0 ≤ e ≤ 3528).</summary>
    private static int Pow5Bits(int e) => (int)(((uint)e * 1217359) >> 19) + 1;

    /// <summary>⌊log₁₀ 2^e⌋ (0 ≤ e ≤ 1650).</summary>
    private static int Log10Pow2(int e) => (int)(((uint)e * 78913) >> 18);

    /// <summary>⌊log₁₀ 5^e⌋ (0 ≤ e ≤ 2620).</summary>
    private static int Log10Pow5(int e) => (int)(((uint)e * 732923) >> 20);

    private static int Pow5Factor(uint value)
    {
        int count = 0;
        while (value % 5 == 0)
        {
            value /= 5;
            count++;
        }
        return count;
    }

    /// <summary>⌊m·factor / 2^shift⌋ (shift &gt; 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint MulShift(uint m, ulong factor, int shift)
    {
        Debug.Assert(shift > 32);
        ulong low = (ulong)m * (uint)factor;
        ulong high = (ulong)m * (factor >> 32);
        return (uint)(((low >> 32) + high) >> (shift - 32));
    }

    /// <summary>
    /// Writes finite <paramref name="value"/> into <paramref name="destination"/> (at least <see cref="MaxBytes"/> long)
    /// and returns the number of bytes written.
    /// </summary>
    public static int Format(float value, Span<byte> destination)
    {
        Debug.Assert(float.IsFinite(value));
        Debug.Assert(destination.Length >= MaxBytes);
        uint bits = BitConverter.SingleToUInt32Bits(value);
        int pos = 0;
        if ((bits >> 31) != 0) destination[pos++] = (byte)'-';
        uint mantissa = bits & ((1u << MantissaBits) - 1);
        int exponent = (int)((bits >> MantissaBits) & 0xFF);
        if (exponent == 0 && mantissa == 0)
        {
            destination[pos++] = (byte)'0';
            return pos;
        }
        var (digits, decimalExponent) = Shortest(mantissa, exponent);
        return pos + Layout(digits, decimalExponent, destination[pos..]);
    }

    /// <summary>Ryū for binary32: the shortest, closest digits <c>output·10^exponent</c> of a positive finite float.</summary>
    private static (uint Digits, int Exponent) Shortest(uint ieeeMantissa, int ieeeExponent)
    {
        int e2;
        uint m2;
        if (ieeeExponent == 0)
        {
            e2 = 1 - ExponentBias - MantissaBits - 2;
            m2 = ieeeMantissa;
        }
        else
        {
            e2 = ieeeExponent - ExponentBias - MantissaBits - 2;
            m2 = (1u << MantissaBits) | ieeeMantissa;
        }
        bool acceptBounds = (m2 & 1) == 0;
        uint mv = 4 * m2;
        uint mp = 4 * m2 + 2;
        uint mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1u : 0u;
        uint mm = 4 * m2 - 1 - mmShift;

        uint vr, vp, vm;
        int e10;
        bool vmIsTrailingZeros = false, vrIsTrailingZeros = false;
        uint lastRemovedDigit = 0;
        if (e2 >= 0)
        {
            int q = Log10Pow2(e2);
            e10 = q;
            int k = Pow5InvBitCount + Pow5Bits(q) - 1;
            int i = -e2 + q + k;
            ulong factor = Pow5InvSplit[q];
            vr = MulShift(mv, factor, i);
            vp = MulShift(mp, factor, i);
            vm = MulShift(mm, factor, i);
            if (q != 0 && (vp - 1) / 10 <= vm / 10)
            {
                int l = Pow5InvBitCount + Pow5Bits(q - 1) - 1;
                lastRemovedDigit = MulShift(mv, Pow5InvSplit[q - 1], -e2 + q - 1 + l) % 10;
            }
            if (q <= 9)
            {
                if (mv % 5 == 0) vrIsTrailingZeros = Pow5Factor(mv) >= q;
                else if (acceptBounds) vmIsTrailingZeros = Pow5Factor(mm) >= q;
                else vp -= Pow5Factor(mp) >= q ? 1u : 0u;
            }
        }
        else
        {
            int q = Log10Pow5(-e2);
            e10 = q + e2;
            int i = -e2 - q;
            int k = Pow5Bits(i) - Pow5BitCount;
            int j = q - k;
            ulong factor = Pow5Split[i];
            vr = MulShift(mv, factor, j);
            vp = MulShift(mp, factor, j);
            vm = MulShift(mm, factor, j);
            if (q != 0 && (vp - 1) / 10 <= vm / 10)
            {
                j = q - 1 - (Pow5Bits(i + 1) - Pow5BitCount);
                lastRemovedDigit = MulShift(mv, Pow5Split[i + 1], j) % 10;
            }
            if (q <= 1)
            {
                vrIsTrailingZeros = true;
                if (acceptBounds) vmIsTrailingZeros = mmShift == 1;
                else vp--;
            }
            else if (q < 31)
            {
                vrIsTrailingZeros = (mv & ((1u << (q - 1)) - 1)) == 0;
            }
        }

        int removed = 0;
        uint output;
        if (vmIsTrailingZeros || vrIsTrailingZeros)
        {
            while (vp / 10 > vm / 10)
            {
                vmIsTrailingZeros &= vm % 10 == 0;
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = vr % 10;
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }
            if (vmIsTrailingZeros)
            {
                while (vm % 10 == 0)
                {
                    vrIsTrailingZeros &= lastRemovedDigit == 0;
                    lastRemovedDigit = vr % 10;
                    vr /= 10;
                    vp /= 10;
                    vm /= 10;
                    removed++;
                }
            }
            if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0) lastRemovedDigit = 4;   // round half to even
            output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1u : 0u);
        }
        else
        {
            while (vp / 10 > vm / 10)
            {
                lastRemovedDigit = vr % 10;
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }
            output = vr + (vr == vm || lastRemovedDigit >= 5 ? 1u : 0u);
        }
        // Ryū may leave trailing zeros in the digits (when the interval allowed no shorter form); .NET drops them.
        int exp = e10 + removed;
        while (output % 10 == 0)
        {
            output /= 10;
            exp++;
        }
        return (output, exp);
    }

    /// <summary>Decimal digits of <paramref name="v"/> (1 ≤ v &lt; 10⁹ for a float's shortest digits).</summary>
    private static int DecimalLength(uint v) =>
        v >= 100000000 ? 9 : v >= 10000000 ? 8 : v >= 1000000 ? 7 : v >= 100000 ? 6 : v >= 10000 ? 5 :
        v >= 1000 ? 4 : v >= 100 ? 3 : v >= 10 ? 2 : 1;

    /// <summary>Writes the <paramref name="n"/> digits of <paramref name="v"/> into <c>d[at … at + n)</c>.</summary>
    private static void WriteDigits(uint v, int n, Span<byte> d, int at)
    {
        for (int i = at + n - 1; i >= at; i--)
        {
            d[i] = (byte)('0' + v % 10);
            v /= 10;
        }
    }

    /// <summary>.NET's "G" layout of <c>digits·10^exponent</c> (digits without trailing zeros); returns the bytes written.</summary>
    private static int Layout(uint digits, int exponent, Span<byte> d)
    {
        int n = DecimalLength(digits);
        int point = n + exponent;   // value = 0.d1…dn · 10^point
        if (point > 9 || point < -3)
        {
            int pos;
            if (n == 1)
            {
                d[0] = (byte)('0' + digits);
                pos = 1;
            }
            else
            {
                WriteDigits(digits, n, d, 1);   // d1 d2 … dn at 1 … n, then d1 moves left of the point
                d[0] = d[1];
                d[1] = (byte)'.';
                pos = n + 1;
            }
            int e = point - 1;
            d[pos++] = (byte)'E';
            d[pos++] = e < 0 ? (byte)'-' : (byte)'+';
            e = Math.Abs(e);
            d[pos++] = (byte)('0' + e / 10);
            d[pos++] = (byte)('0' + e % 10);
            return pos;
        }
        if (point <= 0)
        {
            d[0] = (byte)'0';
            d[1] = (byte)'.';
            for (int z = 0; z < -point; z++) d[2 + z] = (byte)'0';
            WriteDigits(digits, n, d, 2 - point);
            return 2 - point + n;
        }
        if (point >= n)
        {
            WriteDigits(digits, n, d, 0);
            for (int z = n; z < point; z++) d[z] = (byte)'0';
            return point;
        }
        // d1 … d_point . d_point+1 … dn
        uint scale = 1;
        for (int i = point; i < n; i++) scale *= 10;
        WriteDigits(digits / scale, point, d, 0);
        d[point] = (byte)'.';
        WriteDigits(digits % scale, n - point, d, point + 1);
        return n + 1;
    }
}
