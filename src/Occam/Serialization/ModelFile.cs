using System.Text;
using System.Text.Json;

namespace Occam.Serialization;

/// <summary>What every model file reader shares: reading the text with one-line errors, and finding its format tag.</summary>
internal static class ModelFile
{
    /// <summary>The file's text; a missing or unreadable file is an <see cref="OccamException"/> naming it.</summary>
    public static string ReadText(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Data.InputFile.ReadAllText(path, "a model file");
    }

    /// <summary>
    /// The one-line message for JSON that does not parse: a file that ends before its document does (a truncated copy
    /// or an interrupted write) is named as such; otherwise the line, byte and the parser's first sentence, then
    /// <paramref name="hint"/> (what the file should be).
    /// </summary>
    public static string InvalidJson(string source, string json, JsonException e, string hint)
    {
        if (string.IsNullOrWhiteSpace(json))
            return $"{source}: not valid JSON: the file is empty; {hint}";
        if (EndsEarly(json))
            return $"{source}: not valid JSON: the file ends in the middle of the document (line {e.LineNumber + 1}), so it was cut short (a truncated copy or an interrupted write); write or copy it again.";
        return $"{source}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}; {hint}";
    }

    /// <summary>Whether <paramref name="json"/> reads as the start of a JSON document that stops before it is complete.</summary>
    private static bool EndsEarly(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
                if (reader.CurrentDepth == 0 && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                    return false;
            return true; // the reader asks for more bytes: the document is not finished
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string FirstSentence(string message)
    {
        int dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..dot] : message.TrimEnd('.');
    }

    /// <summary>
    /// The top-level <c>"format"</c> string of a JSON model, or null when there is none (or the text is not a JSON
    /// object: the format's own parser then reports the problem with its position).
    /// </summary>
    public static string? FormatOf(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isFormat = reader.ValueTextEquals("format"u8);
                if (!reader.Read()) return null;
                if (isFormat) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }
}
