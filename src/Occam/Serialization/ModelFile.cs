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
        if (DuplicateKeyMessage(source, json) is { } duplicate)
            return duplicate;
        if (string.IsNullOrWhiteSpace(json))
            return $"{source}: not valid JSON: the file is empty; {hint}";
        if (EndsEarly(json))
            return $"{source}: not valid JSON: the file ends in the middle of the document (line {e.LineNumber + 1}), so it was cut short (a truncated copy or an interrupted write); write or copy it again.";
        return $"{source}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}; {hint}";
    }

    /// <summary>
    /// The parser options of every reader of an Occam JSON file: at most <paramref name="maxDepth"/> levels, and a key
    /// given twice in one object refused (System.Text.Json would otherwise keep the last value without a word).
    /// </summary>
    public static JsonDocumentOptions DocumentOptions(int maxDepth) => new() { MaxDepth = maxDepth, AllowDuplicateProperties = false };

    /// <summary>
    /// For valid JSON with a key given twice in one object (the first such key in document order): "SOURCE: PATH has the
    /// key "KEY" twice (line A, or lines A and B); …". Null when every object's keys differ, or when the text is not valid JSON
    /// (the parser's message says where).
    /// </summary>
    public static string? DuplicateKeyMessage(string source, string json) =>
        FindDuplicateKey(json) is { } d
            ? $"{source}: {d.Path} has the key \"{d.Key}\" twice ({(d.FirstLine == d.SecondLine ? $"line {d.FirstLine}" : $"lines {d.FirstLine} and {d.SecondLine}")}); a key may appear once in an object (which value would be meant?): remove one of them."
            : null;

    /// <summary>
    /// The first key that appears twice in one object of <paramref name="json"/>: the object's JSON path (<c>$</c>,
    /// <c>$.layers[0]</c>), the key (unescaped, so <c>"a"</c> and <c>"\u0061"</c> are the same key) and the 1-based lines
    /// of both occurrences. Null when there is none or the text is not valid JSON.
    /// </summary>
    internal static (string Path, string Key, long FirstLine, long SecondLine)? FindDuplicateKey(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 1024 });
        // One frame per open object or array: its path, and for an object the keys seen (with their byte offsets) and
        // the key whose value comes next; for an array the index of the next element.
        var frames = new Stack<(string Path, Dictionary<string, long>? Keys, string? Key, int Index)>();
        (string Path, string Key, long First, long Second)? found = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                    {
                        var top = frames.Pop();
                        string key = reader.GetString()!;
                        if (found is null && !top.Keys!.TryAdd(key, reader.TokenStartIndex))
                            found = (top.Path, key, top.Keys[key], reader.TokenStartIndex);
                        frames.Push(top with { Key = key });
                        break;
                    }
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.Pop();
                        break;
                    default:
                    {
                        string path = "$";
                        if (frames.Count > 0)
                        {
                            var top = frames.Pop();
                            path = top.Keys is null ? $"{top.Path}[{top.Index}]" : top.Path + Member(top.Key!);
                            frames.Push(top with { Index = top.Index + 1 });
                        }
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                            frames.Push((path, reader.TokenType == JsonTokenType.StartObject ? new Dictionary<string, long>(StringComparer.Ordinal) : null, null, 0));
                        break;
                    }
                }
            }
        }
        catch (JsonException)
        {
            return null; // not valid JSON: the parser's own message is the one to show
        }
        return found is { } f ? (f.Path, f.Key, LineAt(bytes, f.First), LineAt(bytes, f.Second)) : null;
    }

    private static string Member(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(key[0]) ? "." + key : $"[\"{key}\"]";

    private static long LineAt(byte[] bytes, long offset) => bytes.AsSpan(0, (int)offset).Count((byte)'\n') + 1;

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
