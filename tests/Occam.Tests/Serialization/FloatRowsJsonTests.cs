using System.Text.Json;
using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Random;
using Occam.Serialization;

namespace Occam.Tests.Serialization;

/// <summary>
/// Weight rows are formatted by <see cref="ShortestFloat"/> (large matrices by several threads): the file must be the one
/// the JSON writer alone produces, byte for byte.
/// </summary>
public class FloatRowsJsonTests
{
    private static byte[] Document(float[] values, int rows, int columns, bool parallel)
    {
        var options = JsonText.WriterOptions(indented: false);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, options))
        {
            w.WriteStartObject();
            w.WriteStartArray("weight");
            FloatRowsJson.Write(w, values, rows, columns, options, parallel);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    /// <summary>The same document written by the JSON writer alone (WriteNumberValue per value): the reference bytes.</summary>
    private static byte[] WriterDocument(float[] values, int rows, int columns)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, JsonText.WriterOptions(indented: false)))
        {
            w.WriteStartObject();
            w.WriteStartArray("weight");
            for (int r = 0; r < rows; r++)
            {
                w.WriteStartArray();
                foreach (float v in values.AsSpan(r * columns, columns)) w.WriteNumberValue(v);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    [Theory]
    [InlineData(512, 784)]   // above the threshold: parallel
    [InlineData(3, 30000)]   // few long rows
    [InlineData(70000, 1)]   // many one-value rows
    [InlineData(7, 5)]       // below the threshold: the writer itself
    public void ParallelRowsGiveTheSequentialBytes(int rows, int columns)
    {
        var rng = new Rng(4242UL);
        var values = new float[rows * columns];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = rng.NextInt(8) switch
            {
                0 => 0f,
                1 => -0f,
                2 => float.Epsilon * (1 + rng.NextInt(9)),
                3 => (float)(rng.NextNormal() * 1e30),
                4 => float.MaxValue,
                _ => (float)(rng.NextNormal() * 0.05),
            };
        }
        var sequential = Document(values, rows, columns, parallel: false);
        var parallel = Document(values, rows, columns, parallel: true);
        Assert.Equal(sequential, parallel);
        Assert.Equal(WriterDocument(values, rows, columns), parallel);
        // and it is the JSON of the matrix: every value reads back exactly
        using var doc = JsonDocument.Parse(parallel);
        var back = doc.RootElement.GetProperty("weight").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits).Select(b => b == int.MinValue ? 0 : b), back.Select(BitConverter.SingleToInt32Bits).Select(b => b == int.MinValue ? 0 : b));
    }

    /// <summary>Records the longest single write it receives.</summary>
    private sealed class LongestWriteStream : MemoryStream
    {
        public int Longest { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Longest = Math.Max(Longest, count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Longest = Math.Max(Longest, buffer.Length);
            base.Write(buffer);
        }
    }

    [Fact]
    public void ALargeMatrixReachesTheStreamChunkByChunkNotAsOneCopy()
    {
        // 2000×784 values, ~8 MB of text: the writer is flushed after every chunk, so no single write (and no buffer of
        // the writer's) holds more than one chunk's text.
        var rng = new Rng(77UL);
        var values = new float[2000 * 784];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(rng.NextNormal() * 0.05);
        var options = JsonText.WriterOptions(indented: false);
        using var stream = new LongestWriteStream();
        using (var w = new Utf8JsonWriter(stream, options))
        {
            w.WriteStartArray();
            FloatRowsJson.Write(w, values, 2000, 784, options);
            w.WriteEndArray();
        }
        int chunk = FloatRowsJson.MaxRowBytes(784) * (FloatRowsJson.ChunkValues / 784);
        Assert.True(stream.Length > 8 * chunk, $"the text ({stream.Length} bytes) should span many chunks of {chunk}");
        Assert.InRange(stream.Longest, 1, chunk + 1024);
        Assert.Equal(Document(values, 2000, 784, parallel: false), Document(values, 2000, 784, parallel: true));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(1999)]
    public void ANonFiniteValueInAnyChunkThrowsOnTheCallerWithoutHanging(int badRow)
    {
        // Whichever thread formats the chunk with the NaN, the caller gets the exception and every helper leaves.
        var values = new float[2000 * 784];
        for (int i = 0; i < values.Length; i++) values[i] = 0.25f;
        values[badRow * 784 + 5] = float.NaN;
        var options = JsonText.WriterOptions(indented: false);
        foreach (bool parallel in new[] { true, false })
        {
            using var stream = new MemoryStream();
            using var w = new Utf8JsonWriter(stream, options);
            w.WriteStartArray();
            Assert.Throws<ArgumentException>(() => FloatRowsJson.Write(w, values, 2000, 784, options, parallel));
        }
    }

    [Fact]
    public void ASavedLargeModelLoadsBackExactly()
    {
        var model = Mlp.Create(new MlpSpec(300, [256], 10, TaskKind.Multiclass), new Rng(8UL));
        var json = MlpJson.ToJson(model);
        var back = MlpJson.Parse(json);
        for (int k = 0; k < model.DenseLayers.Count; k++)
        {
            Assert.Equal(model.DenseLayers[k].Weight, back.DenseLayers[k].Weight);
            Assert.Equal(model.DenseLayers[k].Bias, back.DenseLayers[k].Bias);
        }
        string again = MlpJson.ToJson(back);
        Assert.Equal(again, MlpJson.ToJson(MlpJson.Parse(again)));
    }
}
