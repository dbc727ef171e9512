using Occam.Numerics.Standardization;

namespace Occam.Data;

/// <summary>
/// Per column j of a byte matrix, over all its <see cref="Rows"/> rows: the sum <c>Σ_i x_ij</c> (exact, an integer),
/// the minimum and the maximum — the standardizer's first pass (<see cref="Standardizer"/>, docs/algorithms/standardization.md),
/// computed where the bytes are made (<see cref="IdxLoader"/>: inside the gunzip loop, while each piece is in cache) so
/// that the fit reads the 7.8 MB of MNIST-10k's pixels once, not twice. The float64 pass would give the same numbers:
/// every partial sum of bytes is an integer below 2⁵³, exact in float64 whatever the order.
/// </summary>
internal sealed class ByteColumnStatistics
{
    public ByteColumnStatistics(long[] sum, byte[] min, byte[] max, int rows)
    {
        ArgumentNullException.ThrowIfNull(sum);
        ArgumentNullException.ThrowIfNull(min);
        ArgumentNullException.ThrowIfNull(max);
        if (min.Length != sum.Length || max.Length != sum.Length)
            throw new ArgumentException($"{sum.Length} sums, {min.Length} minima and {max.Length} maxima; give one of each per column.", nameof(min));
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        Sum = sum;
        Min = min;
        Max = max;
        Rows = rows;
    }

    public long[] Sum { get; }
    public byte[] Min { get; }
    public byte[] Max { get; }
    public int Rows { get; }
    public int Columns => Sum.Length;

    /// <summary>The statistics of the first <paramref name="rows"/> rows of a row-major byte matrix, in one pass.</summary>
    public static ByteColumnStatistics Of(ReadOnlySpan<byte> matrix, int rows, int columns)
    {
        var accumulator = new ByteColumnAccumulator(0, rows, columns);
        accumulator.Advance(matrix);
        return accumulator.Finish(matrix) ?? throw new ArgumentException($"{matrix.Length} bytes hold fewer than {rows} rows of {columns}.", nameof(matrix));
    }
}

/// <summary>
/// Builds <see cref="ByteColumnStatistics"/> of the <c>rows × columns</c> bytes that start at <c>offset</c> in a buffer
/// that is filled from its start, piece by piece: each <see cref="Advance"/> adds the rows that are complete so far
/// (<see cref="ByteColumnSums.Add"/>: 32-bit sums, moved into 64-bit ones before they could overflow).
/// </summary>
internal sealed class ByteColumnAccumulator
{
    /// <summary>Rows after which the 32-bit sums are moved into the 64-bit ones: 255 · this ≤ 2³² − 1.</summary>
    private const int FlushRows = (int)(uint.MaxValue / 255);

    private readonly long _offset;
    private readonly int _rows, _columns;
    private readonly uint[] _partial;
    private readonly long[] _sum;
    private readonly byte[] _min, _max;
    private readonly int _flushRows;
    private int _done, _sinceFlush;

    /// <param name="offset">Where the first row starts in the buffers given to <see cref="Advance"/>.</param>
    /// <param name="rows">Rows to add.</param>
    /// <param name="columns">Bytes per row.</param>
    /// <param name="flushRows">Rows between two moves of the 32-bit sums into the 64-bit ones (tests set it small).</param>
    public ByteColumnAccumulator(long offset, int rows, int columns, int flushRows = FlushRows)
    {
        if (flushRows is <= 0 or > FlushRows) throw new ArgumentOutOfRangeException(nameof(flushRows), flushRows, $"must be 1..{FlushRows}.");
        _flushRows = flushRows;
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        _offset = offset;
        _rows = rows;
        _columns = columns;
        _partial = new uint[columns];
        _sum = new long[columns];
        _min = new byte[columns];
        _max = new byte[columns];
        _min.AsSpan().Fill(byte.MaxValue);
    }

    /// <summary>Adds every row not yet added that lies wholly inside <paramref name="filled"/> (the buffer's first bytes).</summary>
    public void Advance(ReadOnlySpan<byte> filled)
    {
        long available = (filled.Length - _offset) / _columns;
        int until = (int)Math.Clamp(available, 0, _rows);
        for (; _done < until; _done++)
        {
            ByteColumnSums.Add(filled.Slice((int)(_offset + (long)_done * _columns), _columns), _partial, _min, _max);
            if (++_sinceFlush == _flushRows) Flush();
        }
    }

    /// <summary>The statistics once every row is in <paramref name="filled"/> (the rows not yet added are added now); null if some row is missing.</summary>
    public ByteColumnStatistics? Finish(ReadOnlySpan<byte> filled)
    {
        Advance(filled);
        if (_done < _rows || _rows == 0) return null;
        Flush();
        return new ByteColumnStatistics(_sum, _min, _max, _rows);
    }

    private void Flush()
    {
        for (int j = 0; j < _columns; j++)
        {
            _sum[j] += _partial[j];
            _partial[j] = 0;
        }
        _sinceFlush = 0;
    }
}
