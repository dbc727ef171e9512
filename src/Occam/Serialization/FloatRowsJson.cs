using System.Buffers;
using System.Text.Json;

namespace Occam.Serialization;

/// <summary>
/// The rows of a row-major float32 matrix as JSON arrays, <c>[v,v,…]</c> per row. In compact documents each row is
/// formatted into bytes by <see cref="ShortestFloat"/> (the same bytes as <see cref="Utf8JsonWriter.WriteNumberValue(float)"/>:
/// shortest round-trip digits, .NET's layout) and written with
/// <see cref="Utf8JsonWriter.WriteRawValue(ReadOnlySpan{byte}, bool)"/>; large matrices are formatted ahead of the
/// document by several threads, then written in row order. The file is the one the writer alone would produce, byte
/// for byte, only faster (formatting floats was most of the time of saving a 784-512-256-10 network: ~535k values,
/// ~5 MB). Indented documents keep the writer's own formatting. Values must be finite (the writer would throw).
/// </summary>
internal static class FloatRowsJson
{
    /// <summary>Below this many values the rows are formatted on the calling thread.</summary>
    internal const int ParallelThreshold = 1 << 16;

    /// <summary>
    /// Writes each of the <paramref name="rows"/> rows of <paramref name="values"/> as one JSON array element;
    /// <paramref name="parallel"/> false formats every row on the calling thread (the reference the tests compare with).
    /// </summary>
    public static void Write(Utf8JsonWriter w, float[] values, int rows, int columns, JsonWriterOptions options, bool parallel = true)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != rows * columns)
            throw new ArgumentException($"values has {values.Length} entries for {rows}×{columns}.", nameof(values));
        int parts = Math.Min(Environment.ProcessorCount, rows);
        if (options.Indented || !parallel || values.Length < ParallelThreshold || parts < 2)
        {
            for (int r = 0; r < rows; r++) WriteRow(w, values.AsSpan(r * columns, columns), options.Indented);
            return;
        }
        var buffers = new byte[parts][];
        var ends = new int[rows];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            int first = (int)((long)rows * part / parts), last = (int)((long)rows * (part + 1) / parts);
            var buffer = new byte[MaxRowBytes(columns) * (last - first)];
            int at = 0;
            for (int r = first; r < last; r++)
            {
                at += FormatRow(values.AsSpan(r * columns, columns), buffer.AsSpan(at));
                ends[r] = at;
            }
            buffers[part] = buffer;
        });
        for (int part = 0; part < parts; part++)
        {
            int first = (int)((long)rows * part / parts), last = (int)((long)rows * (part + 1) / parts);
            var text = buffers[part].AsSpan();
            for (int r = first, start = 0; r < last; start = ends[r], r++)
                w.WriteRawValue(text[start..ends[r]], skipInputValidation: true);
        }
    }

    /// <summary>One row as a JSON array of numbers (compact: formatted here and written raw; indented: by the writer).</summary>
    public static void WriteRow(Utf8JsonWriter w, ReadOnlySpan<float> values, bool indented = false)
    {
        if (indented)
        {
            w.WriteStartArray();
            foreach (float v in values) w.WriteNumberValue(v);
            w.WriteEndArray();
            return;
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxRowBytes(values.Length));
        try
        {
            int n = FormatRow(values, buffer);
            w.WriteRawValue(buffer.AsSpan(0, n), skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The most bytes <see cref="FormatRow"/> writes for <paramref name="columns"/> values.</summary>
    internal static int MaxRowBytes(int columns) => 2 + columns * (ShortestFloat.MaxBytes + 1);

    /// <summary>
    /// <c>[v,v,…]</c> of finite <paramref name="values"/> into <paramref name="destination"/> (at least
    /// <see cref="MaxRowBytes"/> long); returns the bytes written.
    /// </summary>
    internal static int FormatRow(ReadOnlySpan<float> values, Span<byte> destination)
    {
        int at = 0;
        destination[at++] = (byte)'[';
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) destination[at++] = (byte)',';
            float v = values[i];
            if (!float.IsFinite(v)) throw new ArgumentException($"JSON has no number for {v}.", nameof(values));
            at += ShortestFloat.Format(v, destination[at..]);
        }
        destination[at++] = (byte)']';
        return at;
    }
}
