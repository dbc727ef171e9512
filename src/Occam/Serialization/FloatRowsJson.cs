using System.Buffers;
using System.Text.Json;

namespace Occam.Serialization;

/// <summary>
/// The rows of a row-major float32 matrix as JSON arrays, <c>[v,v,…]</c> per row. In compact documents each row is
/// formatted into bytes by <see cref="ShortestFloat"/> (the same bytes as <see cref="Utf8JsonWriter.WriteNumberValue(float)"/>:
/// shortest round-trip digits, .NET's layout) and written with
/// <see cref="Utf8JsonWriter.WriteRawValue(ReadOnlySpan{byte}, bool)"/>. The file is the one the writer alone would
/// produce, byte for byte, only faster (formatting floats was most of the time of saving a 784-512-256-10 network:
/// ~535k values, ~5 MB). Indented documents keep the writer's own formatting. Values must be finite (the writer would throw).
/// <para>
/// Large matrices go in rounds: the rows are cut into chunks of about <see cref="ChunkValues"/> values, each round
/// formats one chunk per core (the calling thread takes one) into that core's reused buffer, then the calling thread
/// writes the round's chunks in row order and flushes the writer to its stream. The memory touched is a few hundred
/// kilobytes per core whatever the model's size, not a copy of the whole text (fresh pages are slow to fault in and to
/// free; see docs/algorithms/serialization.md).
/// </para>
/// </summary>
internal static class FloatRowsJson
{
    /// <summary>Below this many values the rows are formatted on the calling thread.</summary>
    internal const int ParallelThreshold = 1 << 16;

    /// <summary>The values formatted per chunk (at least one row): ~160 KB of text for trained weights.</summary>
    internal const int ChunkValues = 1 << 14;

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
        if (options.Indented)
        {
            for (int r = 0; r < rows; r++) WriteRow(w, values.AsSpan(r * columns, columns), indented: true);
            return;
        }
        int chunkRows = Math.Max(1, ChunkValues / Math.Max(1, columns));
        int chunks = (rows + chunkRows - 1) / chunkRows;
        int parts = parallel && values.Length >= ParallelThreshold ? Math.Min(Environment.ProcessorCount, chunks) : 1;
        var buffers = new byte[parts][];
        var ends = new int[parts * chunkRows];   // ends[part·chunkRows + i]: end of row i of the part's chunk in its buffer
        for (int part = 0; part < parts; part++) buffers[part] = ArrayPool<byte>.Shared.Rent(MaxRowBytes(columns) * chunkRows);
        try
        {
            void Format(int chunk, int part)
            {
                int first = chunk * chunkRows, last = Math.Min(rows, first + chunkRows);
                var buffer = buffers[part].AsSpan();
                for (int r = first, at = 0; r < last; r++)
                {
                    at += FormatRow(values.AsSpan(r * columns, columns), buffer[at..]);
                    ends[part * chunkRows + r - first] = at;
                }
            }
            var parallelOptions = new ParallelOptions { MaxDegreeOfParallelism = parts };
            for (int round = 0; round < chunks; round += parts)
            {
                int count = Math.Min(parts, chunks - round);
                if (count == 1) Format(round, 0);
                else Parallel.For(0, count, parallelOptions, part => Format(round + part, part));
                for (int part = 0; part < count; part++)
                {
                    int first = (round + part) * chunkRows, last = Math.Min(rows, first + chunkRows);
                    var text = buffers[part].AsSpan();
                    for (int i = 0, start = 0; i < last - first; start = ends[part * chunkRows + i], i++)
                        w.WriteRawValue(text[start..ends[part * chunkRows + i]], skipInputValidation: true);
                }
                w.Flush();   // the round's text goes to the stream; the writer's own buffer stays one round long
            }
        }
        finally
        {
            foreach (var buffer in buffers) ArrayPool<byte>.Shared.Return(buffer);
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
