namespace Occam.Data;

/// <summary>
/// Writes CSV fields as RFC 4180 (and <see cref="CsvLoader"/>) read them: a field that holds a comma, a double quote,
/// a line break or leading/trailing white space is enclosed in double quotes, with each quote doubled.
/// </summary>
public static class CsvField
{
    /// <summary>The field as CSV text: unchanged when it needs no quotes, else quoted.</summary>
    public static string Format(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        bool quote = value.AsSpan().IndexOfAny(",\"\r\n") >= 0
            || (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])));
        return quote ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>One CSV record (no line end): the fields formatted and separated by commas.</summary>
    public static string Join(IEnumerable<string> fields) => string.Join(',', fields.Select(Format));
}
