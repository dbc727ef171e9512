using Occam.Reports;

namespace Occam.Reports.Tests;

public class DocumentTests
{
    [Theory]
    [InlineData(0.123456, 3, "0.123")]
    [InlineData(123.456, 3, "123")]
    [InlineData(1234.5, 2, "1235")]
    [InlineData(0.000012345, 3, "1.23e-5")]
    [InlineData(-2.5, 2, "-2.5")]
    [InlineData(0, 3, "0")]
    public void Significant_digits(double value, int digits, string expected) => Assert.Equal(expected, Numbers.Significant(value, digits));

    [Fact]
    public void Cells_show_rates_with_interval_and_means_with_se()
    {
        Assert.Equal("12.5 % [9.8, 15.5]", Cell.Rate(0.125, 0.098, 0.155).Display());
        Assert.Equal("0.123 ± 0.0041", Cell.Mean(0.1234, 0.00412).Display());
        Assert.Equal("42", Cell.Count(42).Display());
        Assert.Equal("relu", Cell.Of("relu").Display());
    }
}
