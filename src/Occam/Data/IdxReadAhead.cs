using System.Buffers.Binary;

namespace Occam.Data;

/// <summary>
/// What a training job will need of an IDX images file, prepared on a second core while <see cref="IdxLoader"/> unzips
/// the file. The gunzip is one deflate stream: it keeps one core busy and cannot be split, and the job's largest
/// remaining cost after it is fresh memory (the kernel maps each new 4 KiB page on its first write, see
/// <see cref="FreshMemory"/>). As soon as the first 16 unzipped bytes (the IDX header) give the matrix's size, a helper
/// thread
/// <list type="number">
/// <item>maps the pages of the pixel array ahead of the decompressor (<see cref="FreshMemory.Populate{T}"/>, which
/// changes no byte, so it can run while the decompressor fills the same array), and</item>
/// <item>allocates the float32 matrix the training rows will be prepared into (<c>rows × features</c>, every value
/// written later by <c>TrainingData.From</c>), asks for huge pages for it (<see cref="FreshMemory.AdviseHugePages{T}"/>)
/// and maps it by writing to each page, one piece of <see cref="PieceValues"/> values at a time.</item>
/// </list>
/// The loader gives the helper to the <see cref="Dataset"/>; the training data preparation takes the matrix
/// (<see cref="Dataset.TakeSingleBuffer"/>). If the helper is late (a busy second core), the taking thread maps the
/// pieces not claimed yet itself and waits only for the one in progress, so a slow helper costs the job no more than
/// mapping the memory itself would. Nothing here changes a value
/// the job computes: the pixels are the decompressor's, and the matrix is fully overwritten. Without a second core, or for
/// data that is not what the header announced, there is no helper and everything is allocated as before.
/// </summary>
internal sealed class IdxReadAhead
{
    private const int HeaderBytes = 16;
    private const int ImagesMagic = 0x00000803;

    /// <summary>The float32 matrix is mapped in pieces of this many values (8 MiB), claimed one at a time by the helper and, if it is late, by the thread that takes the matrix.</summary>
    internal const int PieceValues = 1 << 21;

    private Thread? _thread;
    private byte[]? _pixels;
    private int _filled;
    private int _values;
    private float[]? _single;
    private readonly object _gate = new();
    private bool _allocated;   // under _gate: the helper has allocated the matrix (or failed to)
    private int _nextPiece;
    private bool _declined;

    /// <summary>Whether a helper thread was started (the header was read and the array can hold what it announces).</summary>
    public bool Started => _thread is not null;

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

    /// <summary>The helper: the pixel pages past what was unzipped when it started, then the float32 matrix allocated and mapped piece by piece.</summary>
    private void Run()
    {
        try
        {
            FreshMemory.Populate(_pixels!, _filled);
            var single = GC.AllocateUninitializedArray<float>(_values);
            FreshMemory.AdviseHugePages(single);
            _single = single;
        }
        catch (OutOfMemoryException)
        {
            // No matrix: the job allocates it itself later (and reports if it cannot).
        }
        finally
        {
            lock (_gate)
            {
                _allocated = true;
                Monitor.PulseAll(_gate);
            }
        }
        if (_single is { } s) MapPieces(s);
    }

    /// <summary>
    /// Claims and maps pieces of <paramref name="single"/> until none is left: one write per 4 KiB page, which is safe
    /// because nobody else holds the array yet. (Not <see cref="FreshMemory.Populate{T}"/>: one call over megabytes holds
    /// the process's memory-map lock while the kernel finds (and compacts for) huge pages, and the decompressor's own
    /// page faults and the runtime's memory calls then wait behind it; the read took up to 4× longer that way.)
    /// </summary>
    private void MapPieces(float[] single)
    {
        int pieces = (single.Length + PieceValues - 1) / PieceValues;
        for (int k; (k = Interlocked.Increment(ref _nextPiece) - 1) < pieces;)
        {
            int first = k * PieceValues, last = (int)Math.Min(single.Length, (long)first + PieceValues);
            for (int i = first; i < last; i += 1024) single[i] = 0;
        }
    }

    /// <summary>
    /// The float32 matrix of <paramref name="values"/> values, mapped: the pieces the helper has not claimed yet are
    /// mapped by the calling thread, then it waits for the helper's last piece. Null when no helper ran or its matrix
    /// has another size. Call it once: the matrix then belongs to the caller.
    /// </summary>
    public float[]? TakeSingle(int values)
    {
        if (_thread is null) return null;
        lock (_gate)
        {
            while (!_allocated) Monitor.Wait(_gate);
        }
        var single = _single;
        if (single is not null && single.Length == values) MapPieces(single);
        _thread.Join();
        _single = null;
        return single is not null && single.Length == values ? single : null;
    }
}
