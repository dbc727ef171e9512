using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Occam.Serialization;

namespace Occam.Interop.Safetensors;

/// <summary>One tensor of a safetensors file: name, dtype tag (<c>"F32"</c>, …), shape and raw little-endian bytes.</summary>
public sealed record SafeTensor(string Name, string DType, long[] Shape, byte[] Data)
{
    /// <summary>Number of elements (product of the shape; 1 for a scalar).</summary>
    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The values of an <c>F32</c> tensor.</summary>
    public float[] ToFloats()
    {
        if (DType != "F32") throw new InvalidOperationException($"tensor '{Name}' is {DType}, not F32");
        var values = new float[Data.Length / 4];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(Data.AsSpan(4 * i));
        return values;
    }

    /// <summary>An <c>F32</c> tensor of the given shape.</summary>
    public static SafeTensor FromFloats(string name, ReadOnlySpan<float> values, params long[] shape)
    {
        var data = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), values[i]);
        return new SafeTensor(name, "F32", shape, data);
    }
}

/// <summary>
/// The safetensors container (https://github.com/huggingface/safetensors, format of version 0.x): an unsigned 64-bit
/// little-endian header length N, N bytes of UTF-8 JSON mapping each tensor name to
/// <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> (offsets relative to the byte after the header) plus an
/// optional <c>"__metadata__"</c> object of strings, then the raw data. Reading is strict: every problem is an
/// <see cref="OccamException"/> naming the file and the tensor.
/// </summary>
public static class SafetensorsFile
{
    /// <summary>Bytes per element of each dtype tag the format defines.</summary>
    public static readonly IReadOnlyDictionary<string, int> DTypeSizes = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E4M3"] = 1, ["F8_E5M2"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["I64"] = 8, ["U64"] = 8, ["F64"] = 8,
    };

    /// <summary>Largest header accepted (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Writes tensors (in the given order, contiguous) and metadata; the header is padded with spaces to a multiple of 8 bytes.</summary>
    public static void Write(Stream stream, IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        using var headerStream = new MemoryStream();
        using (var w = new Utf8JsonWriter(headerStream, Occam.Serialization.JsonText.WriterOptions(indented: false)))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in tensors)
            {
                if (!DTypeSizes.TryGetValue(t.DType, out int size)) throw new ArgumentException($"unknown dtype '{t.DType}'", nameof(tensors));
                if (t.Elements * size != t.Data.Length) throw new ArgumentException($"tensor '{t.Name}' has {t.Data.Length} bytes for shape [{string.Join(", ", t.Shape)}]", nameof(tensors));
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.DType);
                w.WriteStartArray("shape");
                foreach (long d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + t.Data.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += t.Data.Length;
            }
            w.WriteEndObject();
        }
        int length = (int)headerStream.Length;
        int padded = (length + 7) / 8 * 8;
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)padded);
        stream.Write(prefix);
        stream.Write(headerStream.GetBuffer(), 0, length);
        for (int i = length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var t in tensors) stream.Write(t.Data);
    }

    /// <summary>Reads and checks a file: every tensor's dtype, shape and offsets, and that the data exactly fills the file.</summary>
    public static (IReadOnlyList<SafeTensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(Data.InputFile.ReadAllBytes(path, "a safetensors file"), path);
    }

    /// <summary>Parses the bytes of a safetensors file; <paramref name="source"/> names it in errors.</summary>
    public static (IReadOnlyList<SafeTensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Parse(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        OccamException Bad(string what) => new($"{source}: {what}; not a valid safetensors file (write it with safetensors.torch.save_file or occam export).");
        if (bytes.Length < 8) throw Bad($"only {bytes.Length} bytes, shorter than the 8-byte header length");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (n > (ulong)MaxHeaderBytes) throw Bad($"header length {n} is over the {MaxHeaderBytes}-byte limit");
        if (8 + (long)n > bytes.Length) throw Bad($"header length {n} runs past the end of the file ({bytes.Length} bytes)");
        var headerBytes = bytes.AsSpan(8, (int)n);
        if (n == 0 || headerBytes[0] != (byte)'{') throw Bad("the header does not start with '{'");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(headerBytes.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Bad($"the header is not valid JSON ({FirstSentence(e.Message)})");
        }
        long dataStart = 8 + (long)n, dataLength = bytes.Length - dataStart;
        var tensors = new List<SafeTensor>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var spans = new List<(long Begin, long End, string Name)>();
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad("the header is not a JSON object");
            if (ModelFile.FindDuplicateKey(Encoding.UTF8.GetString(headerBytes)) is { } twice)
                throw Bad(twice.Path == "$" ? $"'{twice.Key}' appears twice in the header" : $"'{twice.Key}' appears twice in {twice.Path} of the header");
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (!names.Add(entry.Name)) throw Bad($"'{entry.Name}' appears twice in the header");
                if (entry.Name == "__metadata__")
                {
                    if (entry.Value.ValueKind != JsonValueKind.Object) throw Bad("__metadata__ is not an object");
                    foreach (var m in entry.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : throw Bad($"__metadata__ value '{m.Name}' is not a string");
                    continue;
                }
                var t = entry.Value;
                string where = $"tensor '{entry.Name}'";
                if (t.ValueKind != JsonValueKind.Object) throw Bad($"{where} is not an object");
                if (!t.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String) throw Bad($"{where} has no dtype");
                string dtype = dt.GetString()!;
                if (!DTypeSizes.TryGetValue(dtype, out int size)) throw Bad($"{where} has unknown dtype '{dtype}'");
                if (!t.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array) throw Bad($"{where} has no shape");
                var shape = new List<long>();
                long elements = 1;
                foreach (var d in sh.EnumerateArray())
                {
                    if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long v) || v < 0) throw Bad($"{where} has a shape entry that is not a non-negative integer");
                    shape.Add(v);
                    elements = v == 0 || elements == 0 ? 0 : elements > long.MaxValue / v ? throw Bad($"{where} has a shape too large") : elements * v;
                }
                if (!t.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
                    throw Bad($"{where} has no data_offsets [begin, end]");
                if (!off[0].TryGetInt64(out long begin) || !off[1].TryGetInt64(out long end) || begin < 0 || end < begin)
                    throw Bad($"{where} has invalid data_offsets");
                if (end > dataLength) throw Bad($"{where} ends at byte {end} but the data has only {dataLength} bytes (truncated file)");
                if (elements > long.MaxValue / size || end - begin != elements * size)
                    throw Bad($"{where} is {dtype} of shape [{string.Join(", ", shape)}] = {elements * (long)size} bytes, but its data_offsets span {end - begin} bytes");
                spans.Add((begin, end, entry.Name));
                tensors.Add(new SafeTensor(entry.Name, dtype, shape.ToArray(), bytes.AsSpan((int)(dataStart + begin), (int)(end - begin)).ToArray()));
            }
        }
        long at = 0;
        foreach (var s in spans.OrderBy(s => s.Begin).ThenBy(s => s.End))
        {
            if (s.Begin != at) throw Bad(s.Begin > at ? $"the data has a gap before tensor '{s.Name}'" : $"tensor '{s.Name}' overlaps another tensor's data");
            at = s.End;
        }
        if (at != dataLength) throw Bad($"the tensors cover {at} bytes of data but the file has {dataLength} (extra bytes at the end)");
        return (tensors, metadata);
    }

    private static string FirstSentence(string message)
    {
        int dot = message.IndexOf(". ", StringComparison.Ordinal);
        return (dot > 0 ? message[..dot] : message.TrimEnd('.')).Replace('\n', ' ').ToString(CultureInfo.InvariantCulture);
    }
}
