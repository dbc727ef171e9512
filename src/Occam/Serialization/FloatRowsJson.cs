using System.Buffers;
using System.Text.Json;

namespace Occam.Serialization;

/// <summary>
/// The rows of a row-major float32 matrix as JSON arrays, <c>[v,v,…]</c> per row, formatted ahead of the document by
/// several threads and then written in row order with <see cref="Utf8JsonWriter.WriteRawValue(ReadOnlySpan{byte}, bool)"/>.
/// Each row is formatted by a <see cref="Utf8JsonWriter"/> with the document's options, so the bytes are exactly those the
/// document's writer would produce for the row itself (shortest round-trip floats, no whitespace): the file is the
/// same byte for byte, only faster to produce for large layers (formatting floats is most of the time of saving a
/// 784-512-256-10 network: ~535k values, ~5 MB). Small matrices are formatted on the calling thread.
/// </summary>
internal static class FloatRowsJson
{
    /// <summary>Below this many values the rows are formatted by the writer directly.</summary>
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
        if (!parallel || values.Length < ParallelThreshold || parts < 2)
        {
            for (int r = 0; r < rows; r++) WriteRow(w, values.AsSpan(r * columns, columns));
            return;
        }
        var buffers = new ArrayBufferWriter<byte>[parts];
        var ends = new int[rows];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            int first = (int)((long)rows * part / parts), last = (int)((long)rows * (part + 1) / parts);
            // ~12 bytes per value at most for typical weights; the buffer grows when needed.
            var buffer = new ArrayBufferWriter<byte>(Math.Max(256, (last - first) * columns * 12));
            using var rowWriter = new Utf8JsonWriter(buffer, options);
            for (int r = first; r < last; r++)
            {
                WriteRow(rowWriter, values.AsSpan(r * columns, columns));
                rowWriter.Flush();
                ends[r] = buffer.WrittenCount;
                rowWriter.Reset();
            }
            buffers[part] = buffer;
        });
        for (int part = 0; part < parts; part++)
        {
            int first = (int)((long)rows * part / parts), last = (int)((long)rows * (part + 1) / parts);
            var text = buffers[part].WrittenSpan;
            for (int r = first, start = 0; r < last; start = ends[r], r++)
                w.WriteRawValue(text[start..ends[r]], skipInputValidation: true);
        }
    }

    /// <summary>One row as a JSON array of numbers.</summary>
    public static void WriteRow(Utf8JsonWriter w, ReadOnlySpan<float> values)
    {
        w.WriteStartArray();
        foreach (float v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
