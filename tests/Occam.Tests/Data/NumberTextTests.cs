using System.Globalization;
using System.Text;
using Occam.Data;
using Occam.Numerics.Random;

namespace Occam.Tests.Data;

public class NumberTextTests
{
    [Fact]
    public void FastPathAgreesBitForBitWithDoubleParse()
    {
        // Random "[-]digits[.digits]" strings of 1..17 digits: up to 15 go through the fast path,
        // longer ones through the framework; both must equal double.Parse exactly.
        var rng = new Rng(2024);
        var sb = new StringBuilder();
        for (int trial = 0; trial < 200_000; trial++)
        {
            sb.Clear();
            if (rng.NextInt(2) == 0)
                sb.Append('-');
            int digits = 1 + rng.NextInt(17);
            int point = rng.NextInt(digits + 2) - 1; // -1: no point; digits: trailing point
            for (int i = 0; i < digits; i++)
            {
                if (i == point)
                    sb.Append('.');
                sb.Append((char)('0' + rng.NextInt(10)));
            }
            if (point == digits)
                sb.Append('.');
            string text = sb.ToString();
            Assert.Equal(NumberStatus.Ok, NumberText.Parse(text, out double value));
            double expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(value))
                Assert.Fail($"{text}: {value:R} != {expected:R}");
        }
    }

    [Theory]
    [InlineData("", "Empty")]
    [InlineData("  \t ", "Empty")]
    [InlineData(" 12 ", "Ok")]
    [InlineData("-", "NotANumber")]
    [InlineData(".", "NotANumber")]
    [InlineData("1.2.3", "NotANumber")]
    [InlineData("1_000", "NotANumber")]
    [InlineData("∞", "NotANumber")] // the invariant culture spells infinity "Infinity"
    [InlineData("NaN", "NotFinite")]
    [InlineData("-infinity", "NotFinite")]
    [InlineData("inf", "NotFinite")]
    [InlineData("1e309", "NotFinite")]
    [InlineData("1e-400", "Ok")] // underflows to 0: finite
    public void Status(string text, string expected) =>
        Assert.Equal(expected, NumberText.Parse(text, out _).ToString());
}
