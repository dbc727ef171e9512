using System.Globalization;
using System.Runtime.CompilerServices;

namespace Occam.Data;

/// <summary>Outcome of parsing one cell as a number.</summary>
internal enum NumberStatus
{
    Ok,
    Empty,
    NotANumber,
    /// <summary>"nan", "inf", "infinity" (any case, any sign) or a value that overflows to ±∞.</summary>
    NotFinite,
    /// <summary>A finite double that rounds to ±∞ in float32 (beyond <see cref="float.MaxValue"/> ≈ 3.4028235E+38).</summary>
    OutOfRange,
}

/// <summary>
/// Parses cell text as a finite double with the invariant culture (decimal point, optional sign
/// and exponent, surrounding white space ignored, no thousands separators). Values beyond the float32
/// range (those that round to ±∞ as a float, beyond ±3.4028235E+38) are <see cref="NumberStatus.OutOfRange"/>:
/// the networks compute in float32, where such a value would be infinite.
/// </summary>
internal static class NumberText
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="value"/> is set only for <see cref="NumberStatus.Ok"/>.</summary>
    public static NumberStatus Parse(ReadOnlySpan<char> text, out double value)
    {
        text = text.Trim();
        if (text.IsEmpty)
        {
            value = 0;
            return NumberStatus.Empty;
        }
        if (TryParseSimple(text, out value))
            return NumberStatus.Ok;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            if (!double.IsFinite(value))
                return NumberStatus.NotFinite;
            return float.IsFinite((float)value) ? NumberStatus.Ok : NumberStatus.OutOfRange;
        }
        ReadOnlySpan<char> unsigned = text[0] is '+' or '-' ? text[1..] : text;
        if (unsigned.Equals("nan", StringComparison.OrdinalIgnoreCase)
            || unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase)
            || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase))
            return NumberStatus.NotFinite;
        return NumberStatus.NotANumber;
    }

    /// <summary>
    /// Fast path for the common "[-]digits[.digits]" with at most 15 significant digits: the digits
    /// form an integer m &lt; 2^53 and the result m / 10^k (k ≤ 15) is one correctly rounded IEEE
    /// division of two exact values, so it equals what <see cref="double.Parse(string)"/> returns
    /// (Clinger's fast path). Anything else falls back to the framework parser.
    /// </summary>
    private static bool TryParseSimple(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (text[0] == '-')
        {
            negative = true;
            i = 1;
        }
        long mantissa = 0;
        int digits = 0;
        int fractionDigits = 0;
        bool seenPoint = false;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if ((uint)(c - '0') <= 9)
            {
                if (++digits > 15)
                    return false;
                mantissa = mantissa * 10 + (c - '0');
                if (seenPoint)
                    fractionDigits++;
            }
            else if (c == '.' && !seenPoint)
            {
                seenPoint = true;
            }
            else
            {
                return false;
            }
        }
        if (digits == 0)
            return false;
        double v = mantissa;
        if (fractionDigits > 0)
            v /= Pow10[fractionDigits];
        value = negative ? -v : v;
        return true;
    }

    private static readonly double[] Pow10 =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
}
