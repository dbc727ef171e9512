using System.Buffers.Binary;

namespace Occam.Data;

/// <summary>
/// What a training job will need of an IDX images file, prepared on a second core while <see cref="IdxLoader"/> unzips
/// the file. The gunzip is one deflate stream: it keeps one core busy and cannot be split, and the job's largest
/// remaining cost after it is fresh memory (the kernel maps each new 4 KiB page on its first write, see
/// <see cref="FreshMemory"/>). As soon as the first 16 unzipped bytes (the IDX header) give the matrix's size, a helper
/// thread
/// <list type="number">
/// <item>maps the pages of the pixel array ahead of the decompressor (<see cref="FreshMemory.Touch{T}"/>, which
/// changes no byte, so it can run while the decompressor fills the same array), and</item>
/// <item>allocates the float32 matrix the training rows will be prepared into (<c>rows × features</c>, every value
/// written later by <c>TrainingData.From</c>), asks for huge pages for it (<see cref="FreshMemory.AdviseHugePages{T}"/>)
/// and maps it the same way, one piece of <see cref="PieceBytes"/> at a time.</item>
/// </list>
/// The helper works while the loader unzips (<see cref="Stop"/>). The loader gives it to the <see cref="Dataset"/>; the
/// training data preparation takes the matrix (<see cref="Dataset.TakeSingleBuffer"/>) without waiting. A late helper (a
/// busy second core) holds nothing up: the pages it did not reach fault in when the conversion writes them, on the
/// conversion's threads, as before — as small pages (<c>MADV_NOHUGEPAGE</c> on the rest), so that no thread the job
/// waits for compacts memory for a huge page; one that has not even allocated the matrix drops it and the job
/// allocates its own. Nothing here changes a value
/// the job computes: the pixels are the decompressor's, and the matrix is fully overwritten. Without a second core, or for
/// data that is not what the header announced, there is no helper and everything is allocated as before.
/// </summary>
internal sealed class IdxReadAhead
{
    private const int HeaderBytes = 16;
    private const int ImagesMagic = 0x00000803;

    /// <summary>The helper maps the pixels and the float32 matrix in pieces of this many bytes (1 MiB), looking between two for a reason to stop.</summary>
    internal const int PieceBytes = 1 << 20;

    private const int Pending = 0, Allocated = 1, Given = 2, Dropped = 3;

    private Thread? _thread;
    private byte[]? _pixels;
    private int _filled;
    private int _values;
    private float[]? _single;
    private int _state;          // Pending → Allocated (by the helper) → Given (TakeSingle); Pending → Dropped (TakeSingle first)
    private volatile bool _stop;
    private long _matrixTouched;   // bytes of the matrix the helper has mapped (read by TakeSingle)
    private bool _declined;

    /// <summary>Whether a helper thread was started (the header was read and the array can hold what it announces).</summary>
    public bool Started => _thread is not null;

    /// <summary>Whether the helper has allocated the matrix and nobody took it yet.</summary>
    internal bool MatrixReady => Volatile.Read(ref _state) == Allocated;

    /// <summary>
    /// Called by the gunzip loop after each read: <paramref name="filled"/> bytes of <paramref name="output"/> are
    /// unzipped. The first call that sees the whole header starts the helper (once); later calls return at once.
    /// </summary>
    public void Unzipped(byte[] output, int filled)
    {
        if (_thread is not null || _declined || filled < HeaderBytes) return;
        ReadOnlySpan<byte> header = output.AsSpan(0, HeaderBytes);
        long count = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        long values = count * BinaryPrimitives.ReadInt32BigEndian(header[8..]) * BinaryPrimitives.ReadInt32BigEndian(header[12..]);
        // Not an images file, or sizes the loader will reject, or more than the array (sized from the gzip trailer)
        // holds: the loader reports or grows it; nothing to prepare.
        _declined = BinaryPrimitives.ReadInt32BigEndian(header) != ImagesMagic || values <= 0 || HeaderBytes + values > output.Length;
        if (_declined) return;
        _pixels = output;
        _filled = filled;
        _values = (int)values;
        _thread = new Thread(Run) { IsBackground = true, Name = "occam IDX read-ahead" };
        _thread.Start();
    }

    /// <summary>
    /// The pixels are unzipped: the helper stops mapping at its next piece. What comes next (the standardizer fit, the
    /// conversion) runs on every core, where a third thread would only take time from one of them; the pages the helper
    /// did not reach fault in when the conversion writes them, spread over its threads.
    /// </summary>
    public void Stop() => _stop = true;

    /// <summary>The helper: the pixel pages past what was unzipped when it started, then the float32 matrix allocated and mapped.</summary>
    private void Run()
    {
        float[] single;
        try
        {
            TouchPieces(_pixels!, _filled, _pixels!.Length);
            single = GC.AllocateUninitializedArray<float>(_values);
        }
        catch (OutOfMemoryException)
        {
            Interlocked.CompareExchange(ref _state, Dropped, Pending);   // the job allocates it itself (and reports if it cannot)
            return;
        }
        FreshMemory.AdviseHugePages(single);
        _single = single;
        if (Interlocked.CompareExchange(ref _state, Allocated, Pending) != Pending)
        {
            _single = null;   // the job did not wait for it
            return;
        }
        TouchPieces(single, 0, 4L * single.Length, ref _matrixTouched);
    }

    /// <summary>Maps bytes <paramref name="from"/>..<paramref name="to"/>−1 of the array a piece at a time, until done or told to stop.</summary>
    private void TouchPieces<T>(T[] array, long from, long to) where T : unmanaged
    {
        long touched = 0;
        TouchPieces(array, from, to, ref touched);
    }

    /// <summary><see cref="TouchPieces{T}(T[], long, long)"/>, publishing in <paramref name="touched"/> the end of the pieces done.</summary>
    private void TouchPieces<T>(T[] array, long from, long to, ref long touched) where T : unmanaged
    {
        for (long start = from; start < to && !_stop; start += PieceBytes)
        {
            long end = Math.Min(to, start + PieceBytes);
            FreshMemory.Touch(array, start, end);
            Volatile.Write(ref touched, end);
        }
    }

    /// <summary>
    /// The float32 matrix of <paramref name="values"/> values if the helper has allocated it — this never waits: a
    /// helper that has not got that far is told to drop it, and the caller allocates its own. The matrix may be
    /// partly mapped (the helper's touches change no value, so it may still be touching a piece while the caller
    /// writes). Null when there is none or it has another size. Call it once: the matrix then belongs to the caller.
    /// </summary>
    public float[]? TakeSingle(int values)
    {
        if (_thread is null) return null;
        _stop = true;
        if (Interlocked.CompareExchange(ref _state, Given, Allocated) != Allocated)
        {
            Interlocked.CompareExchange(ref _state, Dropped, Pending);
            return null;
        }
        var single = _single;
        _single = null;
        // The pages the helper will not reach fault in on the conversion's threads: as small pages, so that none of
        // them waits for the kernel to compact memory into a huge page (the helper may still finish the piece it is on).
        if (single is not null) FreshMemory.AdviseHugePages(single, Volatile.Read(ref _matrixTouched) + PieceBytes, huge: false);
        return single is not null && single.Length == values ? single : null;
    }
}
