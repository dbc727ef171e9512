using System.Buffers.Binary;
using System.IO.Compression;
using Occam.Data;

namespace Occam.Tests.Data;

public sealed class IdxLoaderTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static byte[] Idx(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int d = 0; d < dims.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest))
            gz.Write(data);
        return output.ToArray();
    }

    // 3 images of 2 rows × 3 columns; labels 7, 2, 7.
    private static readonly byte[] Pixels = [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 255, 6, 7, 8, 9, 10, 11];
    private static readonly byte[] ImagesFile = Idx(0x803, [3, 2, 3], Pixels);
    private static readonly byte[] LabelsFile = Idx(0x801, [3], [7, 2, 7]);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void LoadsPlainOrGzip(bool gzipImages, bool gzipLabels)
    {
        string images = _files.WriteBytes("img", gzipImages ? Gzip(ImagesFile) : ImagesFile);
        string labels = _files.WriteBytes("lab", gzipLabels ? Gzip(LabelsFile) : LabelsFile);
        var d = IdxLoader.Load(images, labels);
        Assert.Equal(3, d.Rows);
        Assert.Equal(6, d.Features);
        Assert.Equal(["p0_0", "p0_1", "p0_2", "p1_0", "p1_1", "p1_2"], d.FeatureNames);
        Assert.Equal(Pixels.Select(b => (double)b), d.X);
        Assert.Equal(TaskKind.Multiclass, d.Task);
        Assert.Equal(["2", "7"], d.Classes!);
        Assert.Equal([1.0, 0, 1], d.Y);
    }

    [Fact]
    public void LabelsSortByValueNotText()
    {
        string images = _files.WriteBytes("img", Idx(0x803, [3, 1, 1], [1, 2, 3]));
        string labels = _files.WriteBytes("lab", Idx(0x801, [3], [10, 9, 100]));
        var d = IdxLoader.Load(images, labels);
        Assert.Equal(["9", "10", "100"], d.Classes!);
        Assert.Equal([1.0, 0, 2], d.Y);
    }

    [Fact]
    public void LoadWithModelClassesKeepsTheirIndices()
    {
        string images = _files.WriteBytes("img", ImagesFile);
        string labels = _files.WriteBytes("lab", LabelsFile); // labels 7, 2, 7
        string[] digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
        var d = IdxLoader.Load(images, labels, digits);
        Assert.Equal([7.0, 2, 7], d.Y);
        Assert.Equal(digits, d.Classes!);

        var e = Assert.Throws<OccamException>(() => IdxLoader.Load(images, labels, ["2", "3"]));
        Assert.Contains("label 7 (item 0) is not one of the model's classes (2, 3)", e.Message);
    }

    private OccamException Error(byte[] images, byte[] labels)
    {
        string i = _files.WriteBytes("images.idx", images);
        string l = _files.WriteBytes("labels.idx", labels);
        var e = Assert.Throws<OccamException>(() => IdxLoader.Load(i, l));
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void MissingFile()
    {
        string labels = _files.WriteBytes("lab", LabelsFile);
        string images = _files.PathOf("missing-images");
        var e = Assert.Throws<OccamException>(() => IdxLoader.Load(images, labels));
        Assert.Equal($"{images}: file not found; check the path.", e.Message);
    }

    [Fact]
    public void BadMagic()
    {
        var e = Error(LabelsFile, LabelsFile);
        Assert.Contains("images.idx: bad magic number 0x00000801 (expected 0x00000803 for images (idx3-ubyte))", e.Message);
        e = Error(ImagesFile, ImagesFile);
        Assert.Contains("labels.idx: bad magic number 0x00000803 (expected 0x00000801 for labels (idx1-ubyte))", e.Message);
        e = Error("x,y\n1,2\n"u8.ToArray(), LabelsFile);
        Assert.Contains("images.idx: this is text (a CSV file?), not an IDX images (idx3-ubyte) file; read a CSV without --labels", e.Message);
        e = Error([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0], LabelsFile); // binary, not IDX (a zip header)
        Assert.Contains("images.idx: bad magic number 0x504B0304", e.Message);
    }

    [Fact]
    public void TruncatedImages()
    {
        var e = Error(ImagesFile[..^1], LabelsFile);
        Assert.Contains($"images.idx: the file is truncated ({ImagesFile.Length - 1} bytes, but the header announces 3 images of 2×3, {ImagesFile.Length} bytes)", e.Message);
        e = Error(ImagesFile[..10], LabelsFile);
        Assert.Contains("images.idx: the file is truncated (10 bytes, the IDX header needs 16)", e.Message);
        e = Error(ImagesFile[..2], LabelsFile);
        Assert.Contains("images.idx: the file is truncated (2 bytes", e.Message);
    }

    [Fact]
    public void TruncatedLabels()
    {
        var e = Error(ImagesFile, LabelsFile[..^1]);
        Assert.Contains("labels.idx: the file is truncated (10 bytes, but the header announces 3 labels, 11 bytes)", e.Message);
    }

    [Fact]
    public void TruncatedGzip()
    {
        byte[] gz = Gzip(ImagesFile);
        var e = Error(gz[..(gz.Length / 2)], LabelsFile);
        Assert.Contains("images.idx: ", e.Message);
        Assert.True(e.Message.Contains("truncated") || e.Message.Contains("corrupt"), e.Message);
    }

    /// <summary>
    /// The streamed read gives the file's bytes (plain) or its whole decompressed content (gzip), also when the trailer's
    /// size hint is too small (a multi-member file, whose last member's ISIZE is the hint: the array grows), and for
    /// files shorter than the gzip magic. A trailer that does not match the data is an error of the decompressor
    /// (it checks ISIZE), reported as corrupt data.
    /// </summary>
    [Fact]
    public void ReadMaybeGzipReturnsTheWholeContent()
    {
        var content = new byte[70_000];
        for (int i = 0; i < content.Length; i++) content[i] = (byte)(i * 31 + i / 977);
        byte[] gz = Gzip(content);
        byte[] multi = [.. Gzip(content[..1000]), .. Gzip(content[1000..69_990]), .. Gzip(content[69_990..])];
        foreach (var (name, file, expected) in new[]
        {
            ("plain", content, content), ("gzip", gz, content), ("multi", multi, content), ("empty", [], []),
            ("one", [0x1f], [0x1f]), ("tiny-gzip", Gzip([5]), [5]), ("empty-gzip", Gzip([]), []),
        })
        {
            byte[] read = IdxLoader.ReadMaybeGzip(_files.WriteBytes(name, file));
            Assert.True(expected.AsSpan().SequenceEqual(read), $"{name}: {read.Length} bytes read, {expected.Length} expected");
        }
        var damaged = (byte[])gz.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(damaged.AsSpan(damaged.Length - 4), (uint)content.Length + 5000);
        var e = Assert.Throws<OccamException>(() => IdxLoader.ReadMaybeGzip(_files.WriteBytes("damaged", damaged)));
        Assert.Contains("damaged: the gzip data is corrupt or truncated", e.Message);
    }

    /// <summary>
    /// The read leaves the standardizer's first pass of the pixels (column sums, minima, maxima, computed inside the gunzip
    /// loop on the rows each piece completes): equal to a plain count over the bytes for a gzip file (images of 7 × 9,
    /// so rows straddle the pieces), a gzip file whose trailer undersizes the data (the array grows), a multi-member
    /// one and a plain one; and the standardizer fitted from them equals, bit for bit, the fit of a float64 copy.
    /// </summary>
    [Fact]
    public void TheReadLeavesTheStandardizersFirstPassOfThePixels()
    {
        const int count = 2503, height = 7, width = 9, pixels = height * width;
        var rng = new Occam.Numerics.Random.Rng(4242UL);
        var data = new byte[count * pixels];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < pixels; j++)
                data[i * pixels + j] = j switch { 0 => 17, 1 => (byte)(i % 2 * 255), _ => (byte)rng.NextInt(j < 30 ? 256 : 40) };
        byte[] images = Idx(0x803, [count, height, width], data);
        var labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte)(i % 10);
        string labelsPath = _files.WriteBytes("stats-labels", Idx(0x801, [count], labels));
        byte[] gz = Gzip(images);
        byte[] undersized = (byte[])gz.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(undersized.AsSpan(undersized.Length - 4), 1000);
        byte[] multi = [.. Gzip(images[..5000]), .. Gzip(images[5000..60_001]), .. Gzip(images[60_001..])];
        var sum = new long[pixels];
        var min = Enumerable.Repeat((byte)255, pixels).ToArray();
        var max = new byte[pixels];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < pixels; j++)
            {
                byte v = data[i * pixels + j];
                sum[j] += v;
                min[j] = Math.Min(min[j], v);
                max[j] = Math.Max(max[j], v);
            }
        foreach (var (name, file) in new[] { ("stats-gzip", gz), ("stats-multi", multi), ("stats-plain", images) })
        {
            var d = IdxLoader.Load(_files.WriteBytes(name, file), labelsPath);
            var stats = d.ByteStatistics;
            Assert.NotNull(stats);
            Assert.Equal(count, stats.Rows);
            Assert.Equal(sum, stats.Sum);
            Assert.Equal(min, stats.Min);
            Assert.Equal(max, stats.Max);
            var copy = new Dataset(d.X.ToArray(), d.Y, d.Rows, d.Features, d.FeatureNames, d.TargetName, d.Task, d.Classes);
            var fromStats = Standardizer.Fit(d);
            var fromCopy = Standardizer.Fit(copy);
            Assert.Equal(fromCopy.Mean.Select(BitConverter.DoubleToInt64Bits), fromStats.Mean.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(fromCopy.Scale.Select(BitConverter.DoubleToInt64Bits), fromStats.Scale.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(17.0, fromStats.Mean[0]);
            Assert.Equal(1.0, fromStats.Scale[0]);
            Assert.Null(d.Subset([0, 1, 2]).ByteStatistics);   // other rows: the fit makes its own first pass
        }
        // An undersized trailer is a damaged file (the decompressor checks ISIZE): the same error as before, no statistics needed.
        var e = Assert.Throws<OccamException>(() => IdxLoader.Load(_files.WriteBytes("stats-undersized", undersized), labelsPath));
        Assert.Contains("the gzip data is corrupt or truncated", e.Message);
    }

    /// <summary>The accumulator's 32-bit sums are moved into 64-bit ones every so many rows and whenever it finishes; pieces may end mid-row.</summary>
    [Fact]
    public void ColumnAccumulatorFlushesAndTakesPiecesThatEndMidRow()
    {
        const int rows = 11, columns = 70, offset = 3;
        var buffer = new byte[offset + rows * columns + 5];
        var rng = new Occam.Numerics.Random.Rng(99UL);
        for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)rng.NextInt(256);
        var reference = ByteColumnStatistics.Of(buffer.AsSpan(offset), rows, columns);
        foreach (int flush in new[] { 1, 3, 11, 12 })
        {
            var a = new ByteColumnAccumulator(offset, rows, columns, flush);
            for (int filled = 0; filled < buffer.Length; filled += 37) a.Advance(buffer.AsSpan(0, filled));
            Assert.Null(new ByteColumnAccumulator(offset, rows, columns, flush).Finish(buffer.AsSpan(0, offset + rows * columns - 1)));
            var s = a.Finish(buffer);
            Assert.NotNull(s);
            Assert.Equal(reference.Sum, s.Sum);
            Assert.Equal(reference.Min, s.Min);
            Assert.Equal(reference.Max, s.Max);
        }
        for (int j = 0; j < columns; j++)
        {
            long total = 0;
            for (int i = 0; i < rows; i++) total += buffer[offset + i * columns + j];
            Assert.Equal(total, reference.Sum[j]);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new ByteColumnAccumulator(0, 1, 1, 0));
    }

    /// <summary>A file that cannot seek (a FIFO, as from <c>&lt;(zcat …)</c>) is read whole and unpacked the same way.</summary>
    [Fact]
    public async Task ReadMaybeGzipReadsAPipe()
    {
        if (OperatingSystem.IsWindows()) return;
        var content = new byte[20_000];
        for (int i = 0; i < content.Length; i++) content[i] = (byte)(i % 251);
        foreach (var (name, file) in new[] { ("plain-pipe", content), ("gzip-pipe", Gzip(content)) })
        {
            string pipe = _files.PathOf(name);
            using (var p = System.Diagnostics.Process.Start("mkfifo", pipe)) p.WaitForExit();
            var writer = Task.Run(() => File.WriteAllBytes(pipe, file));
            byte[] read = IdxLoader.ReadMaybeGzip(pipe);
            await writer;
            Assert.True(content.AsSpan().SequenceEqual(read), $"{name}: {read.Length} bytes read");
        }
    }

    [Fact]
    public void MissingOrFolderPathIsAnInputError()
    {
        var e = Assert.Throws<OccamException>(() => IdxLoader.ReadMaybeGzip(_files.PathOf("absent.idx")));
        Assert.Contains("absent.idx: file not found; check the path.", e.Message);
        e = Assert.Throws<OccamException>(() => IdxLoader.ReadMaybeGzip(Path.GetDirectoryName(_files.WriteBytes("x", [1]))!));
        Assert.Contains("is a folder, not a file", e.Message);
    }

    [Fact]
    public void LabelCountDiffersFromImageCount()
    {
        var e = Error(ImagesFile, Idx(0x801, [2], [1, 2]));
        Assert.Contains("labels.idx: 2 labels but", e.Message);
        Assert.Contains("images.idx holds 3 images; use the labels file that belongs to the images.", e.Message);
    }

    [Fact]
    public void SingleClass()
    {
        var e = Error(ImagesFile, Idx(0x801, [3], [4, 4, 4]));
        Assert.Contains("every label is 4", e.Message);
    }
}
