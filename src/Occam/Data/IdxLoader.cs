using System.Buffers.Binary;
using System.IO.Compression;

namespace Occam.Data;

/// <summary>
/// Loads image classification data in the IDX format used by MNIST
/// (<see href="http://yann.lecun.com/exdb/mnist/"/>): an <c>idx3-ubyte</c> images file and an
/// <c>idx1-ubyte</c> labels file, each plain or gzip-compressed (detected from the first two
/// bytes, 1f 8b).
/// </summary>
/// <remarks>
/// IDX layout: magic (two zero bytes, type code 0x08 = unsigned byte, number of dimensions), then
/// one big-endian 32-bit size per dimension, then the values in row-major order. Images become
/// rows of <c>height × width</c> features named <c>p{row}_{col}</c> holding the raw pixel values
/// 0..255 (no scaling: standardize with <see cref="Standardizer"/>), kept as the file's bytes (<see cref="Dataset"/>
/// widens them to float64 only when <see cref="Dataset.X"/> is read). The task is always
/// <see cref="TaskKind.Multiclass"/>; the classes are the distinct labels sorted by value, as text.
/// </remarks>
public static class IdxLoader
{
    private const int ImagesMagic = 0x00000803; // ubyte, 3 dimensions
    private const int LabelsMagic = 0x00000801; // ubyte, 1 dimension

    /// <summary>Loads images and their labels.</summary>
    /// <exception cref="OccamException">A file is missing, not IDX, truncated, or the counts differ.</exception>
    public static Dataset Load(string imagesPath, string labelsPath) => Load(imagesPath, labelsPath, null);

    /// <summary>
    /// Loads images and labels for a trained model: labels are mapped onto the model's
    /// <paramref name="classes"/> (index = class, matched by text or numeric value), so class k
    /// means the same digit as in training even if this file lacks some digits. With
    /// <paramref name="classes"/> null this is <see cref="Load(string, string)"/>.
    /// </summary>
    /// <exception cref="OccamException">As <see cref="Load(string, string)"/>, or a label is not one of the classes.</exception>
    public static Dataset Load(string imagesPath, string labelsPath, IReadOnlyList<string>? classes)
    {
        IReadOnlyList<string>? modelClasses = classes;
        if (modelClasses is not null && modelClasses.Count < 2)
            throw new ArgumentException("a classification model needs its list of at least 2 classes.", nameof(classes));
        ArgumentNullException.ThrowIfNull(imagesPath);
        ArgumentNullException.ThrowIfNull(labelsPath);
        // The standardizer's first pass (column sums, minima, maxima) runs inside the gunzip loop, on each piece as it
        // lands (in cache), rather than as a second pass over the 7.8 MB of pixels after the read.
        var pixels = new PixelPass();
        byte[] images = ReadMaybeGzip(imagesPath, pixels.Inflated);
        byte[] labels = ReadMaybeGzip(labelsPath);

        int[] imageDims = ReadHeader(images, imagesPath, ImagesMagic, "images (idx3-ubyte)");
        int[] labelDims = ReadHeader(labels, labelsPath, LabelsMagic, "labels (idx1-ubyte)");
        int count = imageDims[0], height = imageDims[1], width = imageDims[2];
        if (labelDims[0] != count)
            throw new OccamException($"{labelsPath}: {Counted.Of(labelDims[0], "label")} but {imagesPath} holds {Counted.Of(count, "image")}; use the labels file that belongs to the images.");
        if (count == 0)
            throw new OccamException($"{imagesPath}: the file holds no images; use a non-empty IDX file.");

        long size = (long)height * width;
        long need = 16 + count * size;
        if (size == 0 || need > int.MaxValue)
            throw new OccamException($"{imagesPath}: unsupported image size {height}×{width} for {count} images; use 1..46340 pixels per side and under 2 GB.");
        CheckLength(images, imagesPath, need, $"{count} images of {height}×{width}");
        CheckLength(labels, labelsPath, 8 + count, $"{count} labels");

        int features = (int)size;

        ReadOnlySpan<byte> raw = labels.AsSpan(8, count);
        var y = new double[count];
        string[] classNames;
        if (modelClasses is null)
        {
            var present = new bool[256];
            foreach (byte b in raw)
                present[b] = true;
            var index = new int[256];
            var found = new List<string>();
            for (int v = 0; v < 256; v++)
            {
                if (!present[v])
                    continue;
                index[v] = found.Count;
                found.Add(v.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            if (found.Count < 2)
                throw new OccamException($"{labelsPath}: every label is {found[0]}; classification needs at least 2 classes, use a labels file with several digits.");
            for (int i = 0; i < count; i++)
                y[i] = index[raw[i]];
            classNames = found.ToArray();
        }
        else
        {
            var matcher = new ClassMatcher(modelClasses);
            var index = new int[256];
            for (int v = 0; v < 256; v++)
                index[v] = matcher.IndexOf(v.ToString(System.Globalization.CultureInfo.InvariantCulture));
            for (int i = 0; i < count; i++)
            {
                int k = index[raw[i]];
                if (k < 0)
                    throw new OccamException($"{labelsPath}: label {raw[i]} (item {i}) is not one of the model's classes ({string.Join(", ", modelClasses.Take(12))}{(modelClasses.Count > 12 ? ", …" : "")}); use data with the model's classes.");
                y[i] = k;
            }
            classNames = modelClasses.ToArray();
        }

        var names = new string[features];
        for (int r = 0, f = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
                names[f++] = $"p{r}_{c}";
        }
        // The pixels stay bytes (no float64 copy): the training path reads them as they are, X widens them on first use.
        var statistics = pixels.Finish(images, count, features);
        return new Dataset(images, 16, y, count, features, names, "label", TaskKind.Multiclass, classNames, statistics);
    }

    /// <summary>
    /// Reads a whole file, gunzipping it when it starts with the gzip magic 1f 8b. The file is streamed: a plain file is
    /// read straight into its array; a gzip file is never held compressed in memory (the decompressor reads it 64 KiB at a
    /// time), and its output array is sized from the gzip trailer (ISIZE, read at the file's end: the uncompressed
    /// length mod 2³², RFC 1952) and filled directly by the decompressor. The trailer is only a hint (a multi-member
    /// file, one over 4 GiB or a damaged one has a wrong one): the array grows if more comes and is cut to what came.
    /// (Before session 10 the compressed file was first read whole into an array of its own: 1.6 MB, 394 fresh pages, for
    /// the shipped MNIST-10k images; docs/algorithms/startup.md, "Fresh memory".)
    /// </summary>
    internal static byte[] ReadMaybeGzip(string path) => ReadMaybeGzip(path, null);

    /// <summary>
    /// <see cref="ReadMaybeGzip(string)"/>, calling <paramref name="inflated"/><c>(output, filled)</c> after each piece
    /// the decompressor writes (a gzip file only): the output array's first <c>filled</c> bytes are the file's so far.
    /// </summary>
    internal static byte[] ReadMaybeGzip(string path, Action<byte[], int>? inflated)
    {
        using var file = InputFile.OpenRead(path, "an IDX file");
        try
        {
            if (!file.CanSeek)
            {
                // A pipe or a device (/dev/stdin, <(zcat …)): no length and no trailer to read ahead, so read it whole first.
                var whole = new MemoryStream();
                file.CopyTo(whole);
                byte[] all = whole.ToArray();
                if (!IsGzip(all))
                    return all;
                long tail = all.Length >= 18 ? BinaryPrimitives.ReadUInt32LittleEndian(all.AsSpan(all.Length - 4)) : 0;
                return Inflate(new MemoryStream(all), tail, all.Length, path, inflated);
            }
            long length = file.Length;
            Span<byte> magic = stackalloc byte[2];
            int start = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            if (!IsGzip(magic[..start]))
            {
                if (length > Array.MaxLength)
                    throw new OccamException($"{path}: the file is larger than {Array.MaxLength} bytes; IDX files this large are not supported.");
                var bytes = new byte[Math.Max(length, start)];
                magic[..start].CopyTo(bytes);
                int read = start + file.ReadAtLeast(bytes.AsSpan(start), bytes.Length - start, throwOnEndOfStream: false);
                return read == bytes.Length ? bytes : bytes[..read];
            }
            long hint = 0;
            if (length >= 18)
            {
                Span<byte> trailer = stackalloc byte[4];
                if (RandomAccess.Read(file.SafeFileHandle, trailer, length - 4) == 4)
                    hint = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            }
            file.Position = 0;
            // 64 KiB reads (25 system calls for the shipped images) rather than the decompressor's own 8 KiB ones.
            return Inflate(new BufferedStream(file, 1 << 16), hint, length, path, inflated);
        }
        catch (InvalidDataException e)
        {
            throw new OccamException($"{path}: the gzip data is corrupt or truncated ({e.Message}); download the file again.", e);
        }
        catch (Exception e) when (InputFile.ReadError(path, e) is { } error)
        {
            throw error;
        }
    }

    private static bool IsGzip(ReadOnlySpan<byte> start) => start.Length >= 2 && start[0] == 0x1f && start[1] == 0x8b;

    /// <summary>
    /// Decompresses the gzip stream <paramref name="compressed"/> (<paramref name="length"/> bytes, trailer size
    /// <paramref name="hint"/>) into one array, filled directly by the decompressor: sized from the hint, grown if more
    /// comes, cut to what came. <paramref name="inflated"/>, if given, sees the output after each piece.
    /// </summary>
    private static byte[] Inflate(Stream compressed, long hint, long length, string path, Action<byte[], int>? inflated)
    {
        // A damaged trailer must not make us allocate gigabytes: past 16× the compressed size the hint is not trusted.
        long trusted = 16L * length + (1 << 20);
        var output = new byte[Math.Clamp(hint > trusted ? 4L * length : hint, 1, Array.MaxLength)];
        int filled = 0;
        Span<byte> probe = stackalloc byte[1];
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        while (true)
        {
            if (filled == output.Length)
            {
                // Full: done if the stream is too, else the hint was wrong and the array grows.
                if (gzip.Read(probe) == 0) break;
                if (output.Length == Array.MaxLength)
                    throw new OccamException($"{path}: the file unpacks to more than {Array.MaxLength} bytes; IDX files this large are not supported.");
                Array.Resize(ref output, (int)Math.Min(Array.MaxLength, 2L * output.Length));
                output[filled++] = probe[0];
            }
            int n = gzip.Read(output.AsSpan(filled));
            if (n == 0) break;
            filled += n;
            inflated?.Invoke(output, filled);
        }
        return filled == output.Length ? output : output[..filled];
    }

    /// <summary>
    /// The standardizer's first pass over the pixels (<see cref="ByteColumnStatistics"/>), run by the gunzip loop on
    /// the rows each piece completes (<see cref="Inflated"/>), once the header has come and is an images header of a
    /// supported size; <see cref="Finish"/> adds the rows still missing (all of them for a plain file). Bad files are
    /// left to <see cref="Load(string, string, IReadOnlyList{string}?)"/>'s checks: a header it does not accept starts no pass.
    /// </summary>
    private sealed class PixelPass
    {
        private ByteColumnAccumulator? _accumulator;
        private bool _headerSeen;

        public void Inflated(byte[] output, int filled)
        {
            if (!_headerSeen)
            {
                if (filled < 16) return;
                _headerSeen = true;
                var header = output.AsSpan(0, 16);
                if (BinaryPrimitives.ReadInt32BigEndian(header) != ImagesMagic) return;
                int count = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
                int height = BinaryPrimitives.ReadInt32BigEndian(header[8..]), width = BinaryPrimitives.ReadInt32BigEndian(header[12..]);
                if (count <= 0 || height <= 0 || width <= 0 || 16 + (long)count * height * width > int.MaxValue) return;
                _accumulator = new ByteColumnAccumulator(16, count, height * width);
            }
            _accumulator?.Advance(output.AsSpan(0, filled));
        }

        /// <summary>The statistics of the <paramref name="count"/> images of <paramref name="features"/> pixels that Load accepted.</summary>
        public ByteColumnStatistics Finish(byte[] images, int count, int features) =>
            (_accumulator ?? new ByteColumnAccumulator(16, count, features)).Finish(images)
            ?? throw new InvalidOperationException("the images' statistics miss rows that the length check accepted.");
    }

    /// <summary>Printable ASCII or UTF-8 text with line breaks and tabs (no NUL or other control bytes).</summary>
    private static bool IsText(ReadOnlySpan<byte> start)
    {
        foreach (byte b in start)
            if (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t') return false;
        return start.Length > 0;
    }

    private static int[] ReadHeader(byte[] bytes, string path, int magic, string kind)
    {
        int dims = magic & 0xFF;
        if (bytes.Length < 4)
            throw new OccamException($"{path}: the file is truncated ({bytes.Length} bytes, too short for an IDX header); download the file again.");
        int actual = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (actual != magic && IsText(bytes.AsSpan(0, Math.Min(bytes.Length, 64))))
            throw new OccamException($"{path}: this is text (a CSV file?), not an IDX {kind} file; read a CSV without --labels, naming its target column (--target).");
        if (actual != magic)
            throw new OccamException($"{path}: bad magic number 0x{actual:X8} (expected 0x{magic:X8} for {kind}); pass an IDX {kind} file, gzip or plain.");
        if (bytes.Length < 4 + 4 * dims)
            throw new OccamException($"{path}: the file is truncated ({bytes.Length} bytes, the IDX header needs {4 + 4 * dims}); download the file again.");
        var sizes = new int[dims];
        for (int d = 0; d < dims; d++)
        {
            sizes[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (sizes[d] < 0)
                throw new OccamException($"{path}: dimension {d + 1} has negative size {sizes[d]}; the file is not valid IDX.");
        }
        return sizes;
    }

    private static void CheckLength(byte[] bytes, string path, long need, string what)
    {
        if (bytes.Length < need)
            throw new OccamException($"{path}: the file is truncated ({bytes.Length} bytes, but the header announces {what}, {need} bytes); download the file again.");
    }
}
