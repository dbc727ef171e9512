using System.Text.Encodings.Web;
using System.Text.Json;

namespace Occam.Serialization;

/// <summary>The one set of writer options for every JSON document Occam writes (model files and <c>--json</c> output).</summary>
public static class JsonText
{
    /// <summary>
    /// UTF-8 JSON with non-ASCII text written as characters (<c>→</c>, <c>é</c>), not <c>\u2192</c> escapes. Only what
    /// JSON itself requires is escaped (quote, backslash, control characters) plus characters outside the Basic
    /// Multilingual Plane, which become surrogate-pair escapes: the output is always valid JSON (RFC 8259), meant for
    /// files and pipes, not for embedding in HTML.
    /// </summary>
    public static JsonWriterOptions WriterOptions(bool indented) =>
        new() { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The same escaping for <see cref="JsonSerializer"/> (compact output).</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
