using System.Buffers;
using System.Runtime.ExceptionServices;
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
/// Large matrices are cut into chunks of about <see cref="ChunkValues"/> values (whole rows) and formatted while they
/// are written: a chunk is formatted into one of <see cref="SlotsPerThread"/>·threads reused buffers (slot = chunk mod
/// slots) by whichever thread claims it first — the writer or a helper of the GEMM pool — and the writer (the calling
/// thread, unless a helper took that role first) writes the chunks in row order, flushing the writer to its stream after
/// each one. A helper formats the next chunks while the writer writes, so no core waits for the other's part of a round;
/// a chunk's buffer is formatted again only after the writer has written what it held. The memory touched is a few hundred kilobytes whatever the model's size, not a copy
/// of the whole text (fresh pages are slow to fault in and to free; see docs/algorithms/serialization.md).
/// </para>
/// </summary>
internal static class FloatRowsJson
{
    /// <summary>Below this many values the rows are formatted on the calling thread.</summary>
    internal const int ParallelThreshold = 1 << 16;

    /// <summary>The values formatted per chunk (at least one row): ~80 KB of text for trained weights.</summary>
    internal const int ChunkValues = 1 << 13;

    /// <summary>Chunk buffers per thread that formats: a helper can be a chunk ahead of the caller's writing.</summary>
    internal const int SlotsPerThread = 2;

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
        int threads = parallel && values.Length >= ParallelThreshold ? Math.Min(Environment.ProcessorCount, chunks) : 1;
        var chunked = new Chunks(w, values, rows, columns, chunkRows, chunks, threads == 1 ? 1 : SlotsPerThread * threads);
        try
        {
            if (threads == 1) chunked.WriteAll();
            else RunRoles(chunked, threads);
        }
        finally
        {
            chunked.Return();
        }
    }

    /// <summary>
    /// Item 0 (the writer) and items 1 … threads − 1 (formatters) on the GEMM pool's threads, which a training job has
    /// already started (a first <c>Parallel.For</c> or <c>Task</c> in a process pays for the .NET pool's first worker and
    /// compiled code). The caller takes item 0 first; if a helper is late or absent, the writer formats every chunk itself
    /// and the formatters it then runs find nothing left. A formatter never waits for anything but the writer's progress.
    /// </summary>
    private static unsafe void RunRoles(Chunks chunked, int threads) =>
        Occam.Numerics.GemmThreadPool.RunObjectItems(&RoleItem, chunked, threads, threads);

    private static void RoleItem(int item, object state)
    {
        var chunked = (Chunks)state;
        if (item == 0) chunked.WriteAll();
        else chunked.FormatWhileAny();
    }

    /// <summary>
    /// The chunks of one matrix and their slots. <c>_next</c>: the next chunk nobody has claimed; <c>_written</c>: the
    /// chunks the caller has written (so slot c mod slots is free for chunk c once <c>_written</c> &gt; c − slots);
    /// <c>_ready[slot]</c>: the chunk whose text the slot holds.
    /// </summary>
    private sealed class Chunks
    {
        private readonly Utf8JsonWriter _writer;
        private readonly float[] _values;
        private readonly int _rows, _columns, _chunkRows, _count, _slots;
        private readonly byte[][] _buffers;
        private readonly int[] _ends;    // _ends[slot·chunkRows + i]: end of row i of the slot's chunk in its buffer
        private readonly int[] _ready;
        private int _next, _written, _stopped;
        private Exception? _failure;

        public Chunks(Utf8JsonWriter writer, float[] values, int rows, int columns, int chunkRows, int count, int slots)
        {
            _writer = writer;
            _values = values;
            _rows = rows;
            _columns = columns;
            _chunkRows = chunkRows;
            _count = count;
            _slots = Math.Min(slots, count);
            _buffers = new byte[_slots][];
            for (int i = 0; i < _slots; i++) _buffers[i] = ArrayPool<byte>.Shared.Rent(MaxRowBytes(columns) * chunkRows);
            _ends = new int[_slots * chunkRows];
            _ready = new int[_slots];
            Array.Fill(_ready, -1);
        }

        /// <summary>
        /// The writer's part: chunk after chunk in row order, formatting a claimable chunk itself while the one it needs
        /// is not ready, then writing it and freeing its slot. Formatters leave when it returns or throws.
        /// </summary>
        public void WriteAll()
        {
            try
            {
                WriteInOrder();
            }
            finally
            {
                Volatile.Write(ref _stopped, 1);
            }
        }

        private void WriteInOrder()
        {
            var w = _writer;
            var spinner = new SpinWait();
            for (int chunk = 0; chunk < _count; chunk++)
            {
                int slot = chunk % _slots;
                while (Volatile.Read(ref _ready[slot]) != chunk)
                {
                    if (Volatile.Read(ref _failure) is { } failure) ExceptionDispatchInfo.Throw(failure);
                    if (!TryFormatNext()) spinner.SpinOnce(sleep1Threshold: -1);
                }
                int first = chunk * _chunkRows, last = Math.Min(_rows, first + _chunkRows);
                var text = _buffers[slot].AsSpan();
                for (int i = 0, start = 0; i < last - first; start = _ends[slot * _chunkRows + i], i++)
                    w.WriteRawValue(text[start.._ends[slot * _chunkRows + i]], skipInputValidation: true);
                w.Flush();   // the chunk's text goes to the stream; the writer's own buffer stays one chunk long
                Volatile.Write(ref _written, chunk + 1);
            }
        }

        /// <summary>A formatter's part: formats chunks until none is left to claim or the writer stopped.</summary>
        public void FormatWhileAny()
        {
            var spinner = new SpinWait();
            try
            {
                while (Volatile.Read(ref _stopped) == 0 && Volatile.Read(ref _next) < _count)
                    if (!TryFormatNext()) spinner.SpinOnce(sleep1Threshold: -1);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
        }

        /// <summary>Claims and formats the next chunk if its slot is free; false if there was none to claim now.</summary>
        private bool TryFormatNext()
        {
            int chunk = Volatile.Read(ref _next);
            if (chunk >= _count || Volatile.Read(ref _written) <= chunk - _slots) return false;
            if (Interlocked.CompareExchange(ref _next, chunk + 1, chunk) != chunk) return true;   // another thread took it: look again
            int slot = chunk % _slots;
            int first = chunk * _chunkRows, last = Math.Min(_rows, first + _chunkRows);
            var buffer = _buffers[slot].AsSpan();
            for (int r = first, at = 0; r < last; r++)
            {
                at += FormatRow(_values.AsSpan(r * _columns, _columns), buffer[at..]);
                _ends[slot * _chunkRows + r - first] = at;
            }
            Volatile.Write(ref _ready[slot], chunk);
            return true;
        }

        /// <summary>Gives the buffers back to the pool (after every helper has left).</summary>
        public void Return()
        {
            foreach (var buffer in _buffers) ArrayPool<byte>.Shared.Return(buffer);
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
