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
