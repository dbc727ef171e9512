using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// Gram matrix kernel: <c>G = Xᵀ X</c> for a row-major <c>n × p</c> matrix <c>X</c>, written as a full
/// symmetric row-major <c>p × p</c> matrix. <c>G[j,k] = Σᵢ X[i,j]·X[i,k]</c>.
/// </summary>
/// <remarks>
/// The SIMD version walks row chunks of X and updates 6 × 32 (Vector512: 24 zmm accumulators, 4 loads and 6 broadcasts
/// per 24 FMAs; 6 × 8, 4 × 16 and scalar tiles at the edges) or 4 × 8 (Vector256) tiles of the upper
/// triangle of G with register accumulators (one broadcast of X[i,j] times a wide load of X[i,k..]); the lower
/// triangle is mirrored at the end. Summation order differs from the scalar version, so results agree
/// to rounding (relative ~1e-15 · n), not bit for bit.
/// </remarks>
internal static unsafe class Gram
{
    /// <summary>Reference version: three loops, summing over rows in order.</summary>
    public static void ComputeScalar(ReadOnlySpan<double> x, int n, int p, Span<double> g)
    {
        Debug.Assert(x.Length >= n * p && g.Length >= p * p);
        g[..(p * p)].Clear();
        for (int i = 0; i < n; i++)
        {
            var row = x.Slice(i * p, p);
            for (int j = 0; j < p; j++)
            {
                double a = row[j];
                if (a == 0) continue;
                var gj = g.Slice(j * p, p);
                for (int k = j; k < p; k++) gj[k] += a * row[k];
            }
        }
        Mirror(g, p);
    }

    /// <summary>Vectorized and (for large problems) parallel version of <see cref="ComputeScalar"/>.</summary>
    public static void Compute(double[] x, int n, int p, double[] g)
    {
        var rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        var zero = new double[p];
        var one = new double[p];
        Array.Fill(one, 1.0);
        ComputeCentered(x, rows, p, zero, one, null, g, null);
    }

    /// <summary>
    /// G = X̃ᵀX̃ and (optionally) X̃ᵀỹ for X̃ᵢⱼ = (X[rows[i], j] − mean[j])·invScale[j], without materializing X̃:
    /// rows are centred and scaled in chunks of 128 into a small buffer that the tile kernel then reads from cache
    /// (<see cref="CenteredRow"/>: each row and its share of X̃ᵀỹ in one pass), each row's next-chunk counterpart prefetched.
    /// Rows split across threads when the work is large; partial sums are added at the end.
    /// </summary>
    public static void ComputeCentered(double[] x, int[] rows, int p, double[] mean, double[] invScale, double[]? y, double[] g, double[]? xty)
    {
        Debug.Assert(g.Length >= p * p && mean.Length >= p && invScale.Length >= p);
        AccumulateRows(rows.Length, p, g, xty, (i0, m, buffer, xb) =>
        {
            // One pass per row: the row centred and scaled, and its y-weighted share of X̃ᵀỹ (CenteredRow).
            var mu = mean.AsSpan(0, p);
            var s = invScale.AsSpan(0, p);
            var acc = xb is null ? Span<double>.Empty : xb.AsSpan(0, p);
            int n = rows.Length;
            fixed (double* px = x)
            {
                for (int r = 0; r < m; r++)
                {
                    CenteredRow.Compute(x.AsSpan(rows[i0 + r] * p, p), mu, s, xb is null ? 0 : y![i0 + r], buffer.AsSpan(r * p, p), acc);
                    // The same row of the next chunk towards L2, while this chunk's tiles (~50 µs of FMAs) leave the memory idle:
                    // the next fill then reads from L2 (no change of values; 1 thread: Gram 4.85–5.0 → 4.56–4.73 ms).
                    if (i0 + r + 128 < n && System.Runtime.Intrinsics.X86.Sse.IsSupported)
                    {
                        byte* next = (byte*)(px + (long)rows[i0 + r + 128] * p);
                        for (int b = 0; b < p * 8; b += 64) System.Runtime.Intrinsics.X86.Sse.Prefetch1(next + b);
                    }
                }
            }
        });
    }

    /// <summary>
    /// H = Σᵢ sᵢ²·uᵢuᵢᵀ, a full symmetric row-major q × q matrix, for uᵢ = (X[i, cols[0]], …, X[i, cols[m−1]]) followed,
    /// when <paramref name="appendOnes"/>, by 1 (q = m + 1: the intercept's row and column, Σᵢsᵢ²X[i, cols[a]] and Σᵢsᵢ²),
    /// with X column-major n × p (column j at [j·n, (j + 1)·n)) and sᵢ = <paramref name="sqrtWeights"/>[i] (1 when null).
    /// The weighted Hessian X_AᵀΩX_A of a Newton step on the support A. Same tile kernel and threading as
    /// <see cref="ComputeCentered"/>: rows (times sᵢ) are gathered in chunks of 128 into a row-major buffer.
    /// </summary>
    public static void ComputeColumns(double[] xColumnMajor, int n, ReadOnlySpan<int> cols, double[]? sqrtWeights, bool appendOnes, double[] h)
    {
        int m = cols.Length, q = m + (appendOnes ? 1 : 0);
        Debug.Assert(h.Length >= q * q && xColumnMajor.Length >= (long)n * m);
        var c = cols.ToArray();
        AccumulateRows(n, q, h, null, (i0, count, buffer, _) =>
        {
            for (int a = 0; a < m; a++)
            {
                var col = xColumnMajor.AsSpan(c[a] * n + i0, count);
                if (sqrtWeights is null)
                    for (int r = 0; r < count; r++) buffer[r * q + a] = col[r];
                else
                    for (int r = 0; r < count; r++) buffer[r * q + a] = col[r] * sqrtWeights[i0 + r];
            }
            if (appendOnes)
                for (int r = 0; r < count; r++) buffer[r * q + m] = sqrtWeights is null ? 1.0 : sqrtWeights[i0 + r];
        });
    }

    /// <summary>Writes rows [start, start + count) of the implicit matrix into buffer (row-major, count × q); may add into extra.</summary>
    private delegate void ChunkFill(int start, int count, double[] buffer, double[]? extra);

    /// <summary>
    /// g = Σᵢ uᵢuᵢᵀ (q × q, full symmetric) over the n rows uᵢ that <paramref name="fill"/> writes, 128 rows at a time, and
    /// extra = whatever fill adds (zeroed first). With two or more processors and n·q² ≥ 4e6, n ≥ 512, the rows are cut
    /// into <see cref="RowItems"/> fixed ranges (the cut depends on n only) run as work items on the GEMM pool's threads
    /// (<see cref="GemmThreadPool.RunObjectItems"/>: the caller starts on its own items and takes over any a late helper has
    /// not claimed, so a slow second core delays nothing it does not run). Item 0 sums into g, item k &gt; 0 into its own
    /// pooled partial; the partials are then added to g in item order. So the result does not depend on which thread ran
    /// which item: the same bits on every run for a given processor count (one processor sums all rows in one range).
    /// </summary>
    private static void AccumulateRows(int n, int q, double[] g, double[]? extra, ChunkFill fill)
    {
        Array.Clear(g, 0, q * q);
        if (extra is not null) Array.Clear(extra, 0, q);
        int threads = Math.Min(Environment.ProcessorCount, 8);
        double work = (double)n * q * q;
        if (threads < 2 || work < 4e6 || n < 512)
        {
            Accumulate(0, n, q, g, extra, fill);
        }
        else
        {
            var items = new RowItems(n, q, g, extra, fill);
            GemmThreadPool.RunObjectItems(&RowItems.Run, items, items.Count, Math.Min(threads, items.Count));
            items.AddPartials();
        }
        Mirror(g, q);
    }

    /// <summary>
    /// The rows cut into <see cref="Count"/> ranges of <see cref="Rows"/> (a multiple of 128, at least 1024; at most 8
    /// ranges), and the pooled partial sums of ranges 1 … Count − 1 (one block of (Count − 1)·q² doubles, rented per call:
    /// fresh arrays of this size would be large-object pages faulted in on every call).
    /// </summary>
    private sealed class RowItems
    {
        private readonly int _n, _q;
        private readonly double[] _g;
        private readonly double[]? _extra;
        private readonly ChunkFill _fill;
        private readonly double[] _partials;
        private readonly double[]? _partialExtras;

        public RowItems(int n, int q, double[] g, double[]? extra, ChunkFill fill)
        {
            _n = n;
            _q = q;
            _g = g;
            _extra = extra;
            _fill = fill;
            Rows = Math.Max(1024, ((n + 7) / 8 + 127) / 128 * 128);
            Count = (n + Rows - 1) / Rows;
            _partials = Count > 1 ? ArrayPool<double>.Shared.Rent((Count - 1) * q * q) : [];
            _partialExtras = extra is null ? null : new double[(Count - 1) * q];
        }

        public int Rows { get; }
        public int Count { get; }

        public static void Run(int k, object state) => ((RowItems)state).Run(k);

        private void Run(int k)
        {
            int start = k * Rows, end = Math.Min(_n, start + Rows);
            if (k == 0)
            {
                Accumulate(start, end, _q, _g, _extra, _fill);
                return;
            }
            // Cleared by the thread that sums into it (the partial is then in that core's cache), row r from column r − 24
            // on: the tiles write row r from column (r − 5) rounded down to 8 (6-row tiles), (r − 3) rounded down to 16 or 8
            // (4-row tiles) or r (the scalar rows), and only the upper triangle is added to g.
            int q = _q, offset = (k - 1) * q * q;
            for (int r = 0; r < q; r++)
            {
                int from = Math.Max(0, r - 24);
                Array.Clear(_partials, offset + r * q + from, q - from);
            }
            Accumulate(start, end, _q, _partials, (k - 1) * _q * _q, _partialExtras, (k - 1) * _q, _fill);
        }

        /// <summary>g += partial₁, then += partial₂, … (upper triangle; extra likewise), and the partials go back to the pool.</summary>
        public void AddPartials()
        {
            int q = _q;
            for (int k = 1; k < Count; k++)
            {
                var part = _partials.AsSpan((k - 1) * q * q, q * q);
                for (int j = 0; j < q; j++)
                {
                    var dst = _g.AsSpan(j * q + j, q - j);
                    System.Numerics.Tensors.TensorPrimitives.Add(dst, part.Slice(j * q + j, q - j), dst);
                }
                if (_extra is not null)
                    System.Numerics.Tensors.TensorPrimitives.Add(_extra.AsSpan(0, q), _partialExtras.AsSpan((k - 1) * q, q), _extra.AsSpan(0, q));
            }
            if (Count > 1) ArrayPool<double>.Shared.Return(_partials);
        }
    }

    private static void Accumulate(int start, int end, int q, double[] g, double[]? extra, ChunkFill fill) =>
        Accumulate(start, end, q, g, 0, extra, 0, fill);

    /// <summary>Rows [start, end) summed into g[gOffset ..] (q × q) and, by the fill, extra[extraOffset ..] (q).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(int start, int end, int q, double[] g, int gOffset, double[]? extra, int extraOffset, ChunkFill fill)
    {
        const int Chunk = 128;
        // Pooled: fill writes every value of the m rows that AccumulateUpper then reads.
        var buffer = ArrayPool<double>.Shared.Rent(Chunk * q);
        var extraPart = extra is null ? null : extraOffset == 0 && extra.Length == q ? extra : new double[q];
        for (int i0 = start; i0 < end; i0 += Chunk)
        {
            int m = Math.Min(Chunk, end - i0);
            fill(i0, m, buffer, extraPart);
            AccumulateUpper(buffer, 0, m, q, g, gOffset);
        }
        if (extra is not null && !ReferenceEquals(extraPart, extra)) extraPart!.CopyTo(extra, extraOffset);
        ArrayPool<double>.Shared.Return(buffer);
    }

    private static void Mirror(Span<double> g, int p)
    {
        for (int j = 0; j < p; j++)
            for (int k = j + 1; k < p; k++)
                g[k * p + j] = g[j * p + k];
    }

    /// <summary>Adds rows [start, end) of X into the upper triangle (k ≥ j, tile-rounded) of g.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AccumulateUpper(double[] x, int start, int end, int p, double[] gArray, int gOffset)
    {
        const int Chunk = 128;
        Debug.Assert(gArray.Length >= gOffset + p * p);
        fixed (double* px = x, pg0 = gArray)
        {
            double* pg = pg0 + gOffset;
            for (int i0 = start; i0 < end; i0 += Chunk)
            {
                int i1 = Math.Min(end, i0 + Chunk);
                int j = 0;
                if (Vector512.IsHardwareAccelerated)
                {
                    // 6 rows of G × 32 columns: 24 accumulators, 4 loads + 6 broadcasts per 24 FMAs (compute-bound from L2).
                    for (; j + 6 <= p; j += 6)
                    {
                        int k = j & ~7;
                        for (; k + 32 <= p; k += 32) Tile6x32(px, p, i0, i1, j, k, pg);
                        for (; k + 8 <= p; k += 8) Tile6x8(px, p, i0, i1, j, k, pg);
                        for (; k < p; k++) Tile6x1(px, p, i0, i1, j, k, pg);
                    }
                    for (; j + 4 <= p; j += 4)
                    {
                        int k = j & ~15;
                        for (; k + 16 <= p; k += 16) Tile4x16(px, p, i0, i1, j, k, pg);
                        for (; k < p; k++) Tile4x1(px, p, i0, i1, j, k, pg);
                    }
                }
                else if (Vector256.IsHardwareAccelerated)
                {
                    for (; j + 4 <= p; j += 4)
                    {
                        int k = j & ~7;
                        for (; k + 8 <= p; k += 8) Tile4x8(px, p, i0, i1, j, k, pg);
                        for (; k < p; k++) Tile4x1(px, p, i0, i1, j, k, pg);
                    }
                }
                // Remaining rows of G (all of them without SIMD): row-wise rank-1 updates, contiguous in memory.
                if (j < p)
                {
                    for (int i = i0; i < i1; i++)
                    {
                        double* row = px + (long)i * p;
                        for (int jj = j; jj < p; jj++)
                        {
                            double a = row[jj];
                            double* gj = pg + jj * p;
                            for (int k = jj; k < p; k++) gj[k] += a * row[k];
                        }
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tile4x8(double* x, int p, int i0, int i1, int j, int k, double* g)
    {
        Vector256<double> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector256<double> a20 = default, a21 = default, a30 = default, a31 = default;
        double* row = x + (long)i0 * p;
        for (int i = i0; i < i1; i++, row += p)
        {
            var b0 = Vector256.Load(row + k);
            var b1 = Vector256.Load(row + k + 4);
            var s0 = Vector256.Create(row[j]);
            a00 = Vector256.FusedMultiplyAdd(s0, b0, a00);
            a01 = Vector256.FusedMultiplyAdd(s0, b1, a01);
            var s1 = Vector256.Create(row[j + 1]);
            a10 = Vector256.FusedMultiplyAdd(s1, b0, a10);
            a11 = Vector256.FusedMultiplyAdd(s1, b1, a11);
            var s2 = Vector256.Create(row[j + 2]);
            a20 = Vector256.FusedMultiplyAdd(s2, b0, a20);
            a21 = Vector256.FusedMultiplyAdd(s2, b1, a21);
            var s3 = Vector256.Create(row[j + 3]);
            a30 = Vector256.FusedMultiplyAdd(s3, b0, a30);
            a31 = Vector256.FusedMultiplyAdd(s3, b1, a31);
        }
        double* g0 = g + j * p + k;
        (Vector256.Load(g0) + a00).Store(g0);
        (Vector256.Load(g0 + 4) + a01).Store(g0 + 4);
        g0 += p;
        (Vector256.Load(g0) + a10).Store(g0);
        (Vector256.Load(g0 + 4) + a11).Store(g0 + 4);
        g0 += p;
        (Vector256.Load(g0) + a20).Store(g0);
        (Vector256.Load(g0 + 4) + a21).Store(g0 + 4);
        g0 += p;
        (Vector256.Load(g0) + a30).Store(g0);
        (Vector256.Load(g0 + 4) + a31).Store(g0 + 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tile4x16(double* x, int p, int i0, int i1, int j, int k, double* g)
    {
        Vector512<double> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector512<double> a20 = default, a21 = default, a30 = default, a31 = default;
        double* row = x + (long)i0 * p;
        for (int i = i0; i < i1; i++, row += p)
        {
            var b0 = Vector512.Load(row + k);
            var b1 = Vector512.Load(row + k + 8);
            var s0 = Vector512.Create(row[j]);
            a00 = Vector512.FusedMultiplyAdd(s0, b0, a00);
            a01 = Vector512.FusedMultiplyAdd(s0, b1, a01);
            var s1 = Vector512.Create(row[j + 1]);
            a10 = Vector512.FusedMultiplyAdd(s1, b0, a10);
            a11 = Vector512.FusedMultiplyAdd(s1, b1, a11);
            var s2 = Vector512.Create(row[j + 2]);
            a20 = Vector512.FusedMultiplyAdd(s2, b0, a20);
            a21 = Vector512.FusedMultiplyAdd(s2, b1, a21);
            var s3 = Vector512.Create(row[j + 3]);
            a30 = Vector512.FusedMultiplyAdd(s3, b0, a30);
            a31 = Vector512.FusedMultiplyAdd(s3, b1, a31);
        }
        double* g0 = g + j * p + k;
        (Vector512.Load(g0) + a00).Store(g0);
        (Vector512.Load(g0 + 8) + a01).Store(g0 + 8);
        g0 += p;
        (Vector512.Load(g0) + a10).Store(g0);
        (Vector512.Load(g0 + 8) + a11).Store(g0 + 8);
        g0 += p;
        (Vector512.Load(g0) + a20).Store(g0);
        (Vector512.Load(g0 + 8) + a21).Store(g0 + 8);
        g0 += p;
        (Vector512.Load(g0) + a30).Store(g0);
        (Vector512.Load(g0 + 8) + a31).Store(g0 + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tile6x32(double* x, int p, int i0, int i1, int j, int k, double* g)
    {
        Vector512<double> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<double> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<double> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<double> a30 = default, a31 = default, a32 = default, a33 = default;
        Vector512<double> a40 = default, a41 = default, a42 = default, a43 = default;
        Vector512<double> a50 = default, a51 = default, a52 = default, a53 = default;
        double* row = x + (long)i0 * p;
        for (int i = i0; i < i1; i++, row += p)
        {
            var b0 = Vector512.Load(row + k);
            var b1 = Vector512.Load(row + k + 8);
            var b2 = Vector512.Load(row + k + 16);
            var b3 = Vector512.Load(row + k + 24);
            var s = Vector512.Create(row[j]);
            a00 = Vector512.FusedMultiplyAdd(s, b0, a00); a01 = Vector512.FusedMultiplyAdd(s, b1, a01);
            a02 = Vector512.FusedMultiplyAdd(s, b2, a02); a03 = Vector512.FusedMultiplyAdd(s, b3, a03);
            s = Vector512.Create(row[j + 1]);
            a10 = Vector512.FusedMultiplyAdd(s, b0, a10); a11 = Vector512.FusedMultiplyAdd(s, b1, a11);
            a12 = Vector512.FusedMultiplyAdd(s, b2, a12); a13 = Vector512.FusedMultiplyAdd(s, b3, a13);
            s = Vector512.Create(row[j + 2]);
            a20 = Vector512.FusedMultiplyAdd(s, b0, a20); a21 = Vector512.FusedMultiplyAdd(s, b1, a21);
            a22 = Vector512.FusedMultiplyAdd(s, b2, a22); a23 = Vector512.FusedMultiplyAdd(s, b3, a23);
            s = Vector512.Create(row[j + 3]);
            a30 = Vector512.FusedMultiplyAdd(s, b0, a30); a31 = Vector512.FusedMultiplyAdd(s, b1, a31);
            a32 = Vector512.FusedMultiplyAdd(s, b2, a32); a33 = Vector512.FusedMultiplyAdd(s, b3, a33);
            s = Vector512.Create(row[j + 4]);
            a40 = Vector512.FusedMultiplyAdd(s, b0, a40); a41 = Vector512.FusedMultiplyAdd(s, b1, a41);
            a42 = Vector512.FusedMultiplyAdd(s, b2, a42); a43 = Vector512.FusedMultiplyAdd(s, b3, a43);
            s = Vector512.Create(row[j + 5]);
            a50 = Vector512.FusedMultiplyAdd(s, b0, a50); a51 = Vector512.FusedMultiplyAdd(s, b1, a51);
            a52 = Vector512.FusedMultiplyAdd(s, b2, a52); a53 = Vector512.FusedMultiplyAdd(s, b3, a53);
        }
        double* g0 = g + j * p + k;
        Add4(g0, a00, a01, a02, a03); g0 += p;
        Add4(g0, a10, a11, a12, a13); g0 += p;
        Add4(g0, a20, a21, a22, a23); g0 += p;
        Add4(g0, a30, a31, a32, a33); g0 += p;
        Add4(g0, a40, a41, a42, a43); g0 += p;
        Add4(g0, a50, a51, a52, a53);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Add4(double* g, Vector512<double> a, Vector512<double> b, Vector512<double> c, Vector512<double> d)
    {
        (Vector512.Load(g) + a).Store(g);
        (Vector512.Load(g + 8) + b).Store(g + 8);
        (Vector512.Load(g + 16) + c).Store(g + 16);
        (Vector512.Load(g + 24) + d).Store(g + 24);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tile6x8(double* x, int p, int i0, int i1, int j, int k, double* g)
    {
        Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        double* row = x + (long)i0 * p;
        for (int i = i0; i < i1; i++, row += p)
        {
            var b = Vector512.Load(row + k);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Create(row[j]), b, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Create(row[j + 1]), b, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Create(row[j + 2]), b, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Create(row[j + 3]), b, a3);
            a4 = Vector512.FusedMultiplyAdd(Vector512.Create(row[j + 4]), b, a4);
            a5 = Vector512.FusedMultiplyAdd(Vector512.Create(row[j + 5]), b, a5);
        }
        double* g0 = g + j * p + k;
        (Vector512.Load(g0) + a0).Store(g0); g0 += p;
        (Vector512.Load(g0) + a1).Store(g0); g0 += p;
        (Vector512.Load(g0) + a2).Store(g0); g0 += p;
        (Vector512.Load(g0) + a3).Store(g0); g0 += p;
        (Vector512.Load(g0) + a4).Store(g0); g0 += p;
        (Vector512.Load(g0) + a5).Store(g0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tile6x1(double* x, int p, int i0, int i1, int j, int k, double* g)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0;
        double* row = x + (long)i0 * p;
        for (int i = i0; i < i1; i++, row += p)
        {
            double b = row[k];
            s0 += row[j] * b; s1 += row[j + 1] * b; s2 += row[j + 2] * b;
            s3 += row[j + 3] * b; s4 += row[j + 4] * b; s5 += row[j + 5] * b;
        }
        g[j * p + k] += s0; g[(j + 1) * p + k] += s1; g[(j + 2) * p + k] += s2;
        g[(j + 3) * p + k] += s3; g[(j + 4) * p + k] += s4; g[(j + 5) * p + k] += s5;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tile4x1(double* x, int p, int i0, int i1, int j, int k, double* g)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        double* row = x + (long)i0 * p;
        for (int i = i0; i < i1; i++, row += p)
        {
            double b = row[k];
            s0 += row[j] * b; s1 += row[j + 1] * b; s2 += row[j + 2] * b; s3 += row[j + 3] * b;
        }
        g[j * p + k] += s0; g[(j + 1) * p + k] += s1; g[(j + 2) * p + k] += s2; g[(j + 3) * p + k] += s3;
    }
}
