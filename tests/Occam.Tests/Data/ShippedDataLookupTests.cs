using Occam.Data;

namespace Occam.Tests.Data;

/// <summary><see cref="ShippedData"/>: the shipped files are found from the test binary's folder; a missing one is a one-line error naming it.</summary>
public class ShippedDataLookupTests
{
    [Fact]
    public void Finds_the_shipped_digits_above_the_program()
    {
        string? path = ShippedData.Find("data/digits.csv");
        Assert.NotNull(path);
        Assert.Equal(Path.GetFullPath(Repo.Data("digits.csv")), Path.GetFullPath(path));
        Assert.Equal(1797, ShippedData.Load("data/digits.csv", "digit").Rows);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        Assert.Null(ShippedData.Find("data/no-such-file.csv"));
        var e = Assert.Throws<OccamException>(() => ShippedData.Load("data/no-such-file.csv", "y"));
        Assert.Contains("data/no-such-file.csv", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }
}
