using System.Globalization;

namespace Occam;

/// <summary>
/// A count and its noun for messages: <c>n + " " + (n == 1 ? singular : plural)</c>, so a message reads "1 prediction",
/// "2 predictions", "0 rows" (English uses the plural for every count but one; the number is written with the
/// invariant culture).
/// </summary>
public static class Counted
{
    /// <summary>
    /// <paramref name="count"/> and <paramref name="singular"/> when the count is 1, otherwise <paramref name="plural"/>
    /// (default: <paramref name="singular"/> + "s"), e.g. <c>Of(1, "row")</c> = "1 row", <c>Of(3, "class", "classes")</c> = "3 classes".
    /// </summary>
    public static string Of(long count, string singular, string? plural = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(singular);
        return count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural ?? singular + "s");
    }

    /// <summary>The noun alone: <paramref name="singular"/> when <paramref name="count"/> is 1, otherwise the plural (default <paramref name="singular"/> + "s").</summary>
    public static string Noun(long count, string singular, string? plural = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(singular);
        return count == 1 ? singular : plural ?? singular + "s";
    }
}
