using System.Runtime.CompilerServices;

namespace Occam.Numerics;

/// <summary>Which algorithm <see cref="Gemm"/> uses for a product (tests force each one).</summary>
internal enum GemmPath
{
    /// <summary>Direct loops below <see cref="Gemm.SmallWork"/> multiply-adds, packed above.</summary>
    Auto = 0,
    /// <summary>Always the unpacked direct loops.</summary>
    Direct,
    /// <summary>Always the packed, cache-blocked algorithm.</summary>
    Packed,
    /// <summary>The packed algorithm with only B̃ packed and op(A) read in place (Vector256 kernel only; otherwise <see cref="Packed"/>).</summary>
    PackedB,
    /// <summary>
    /// <see cref="GemmFewRows"/> for A·Bᵀ with at most <see cref="GemmFewRows.MaxRows"/> rows (what <see cref="Auto"/>
    /// picks for those above <see cref="Gemm.SmallWork"/>); other products take the packed path.
    /// </summary>
    FewRows,
    /// <summary>
    /// Always <see cref="GemmInPlace"/> (op(A) read in place, op(B) in place or as zero-padded strips, tiles of up to
    /// 12 rows × 16 or 32 columns); <see cref="Auto"/> picks it on AVX-512 for narrow, few-row or shallow products.
    /// </summary>
    InPlace,
    /// <summary>
    /// <see cref="GemmTiny"/> (AVX-512) for products it <see cref="GemmTiny.Fits"/> (n ≤ 16, k ≤ 256);
    /// what <see cref="Auto"/> picks for those of at most <see cref="Gemm.SmallWork"/> multiply-adds. Other products, and
    /// every product without AVX-512, take the packed path.
    /// </summary>
    Tiny,
}

/// <summary>How the packed path's threads share a product (tests and the bench force each one).</summary>
internal enum GemmSplit
{
    /// <summary>Decided from the shape, the thread count and this machine's L2 (<see cref="Gemm.SplitsColumnsInItems"/>).</summary>
    Auto = 0,
    /// <summary>
    /// All threads pack B̃ first, then split the rows of C (or, with few row panels, its column panels); the
    /// choice of every machine before session 12.
    /// </summary>
    Shared,
    /// <summary>
    /// One piece of the column panels per thread; each item packs its own panels of B̃, k block by k block just before
    /// using them, and all of Ã (<see cref="GemmJob.PackBInItems"/>): no pack phase, no wait for it, and B̃ stays in the
    /// L2 of the core that packed it.
    /// </summary>
    ColumnsInItems,
}

/// <summary>Internal knobs of one <see cref="Gemm"/> call: kernel, thread count, path and thread split.</summary>
/// <param name="Kernel">Micro-kernel; <see cref="GemmKernel.Auto"/> picks the widest accelerated one.</param>
/// <param name="Threads">Exact thread count for the packed path (0: decided by size and <see cref="Gemm.MaxThreads"/>).</param>
/// <param name="Path">Direct or packed; <see cref="GemmPath.Auto"/> decides by size.</param>
/// <param name="Split">How the packed path's threads share the product; <see cref="GemmSplit.Auto"/> decides.</param>
internal readonly record struct GemmOptions(GemmKernel Kernel = GemmKernel.Auto, int Threads = 0, GemmPath Path = GemmPath.Auto,
    GemmSplit Split = GemmSplit.Auto);

/// <summary>
/// Single-precision general matrix multiply, <c>C = alpha·op(A)·op(B) + beta·C</c>, on row-major spans.
/// </summary>
/// <remarks>
/// <para>
/// Small products (at most <see cref="SmallWork"/> multiply-adds) run as direct loops with no packing
/// and no threads — on AVX-512, those with at most 16 columns as one masked vector per row of C,
/// tested for before anything else (<see cref="GemmTiny"/>); products A·Bᵀ of at most <see cref="GemmFewRows.MaxRows"/> rows (a dense layer on a few rows)
/// transpose B in registers as they go (<see cref="GemmFewRows"/>). Larger ones use the BLIS algorithm (Goto and van de Geijn, "Anatomy of
/// High-Performance Matrix Multiplication", ACM TOMS 34(3), 2008; Van Zee and van de Geijn, "BLIS: A
/// Framework for Rapidly Instantiating BLAS Functionality", ACM TOMS 41(3), 2015): op(A) and op(B)
/// are packed block by block into aligned, zero-padded buffers (cached per thread, so calls in steady
/// state allocate nothing) and a register-blocked micro-kernel (Vector512 8×32, Vector256 6×16,
/// Vector128 6×8 or scalar 4×4, chosen at run time) computes each tile with fused multiply-adds.
/// With the Vector256 kernel, products whose op(A) has at most <see cref="DirectAElements"/> elements
/// pack only B and read A in place (<see cref="GemmTileV256Strided"/>).
/// Products of at least <see cref="ParallelWork"/> multiply-adds use up to <see cref="MaxThreads"/>
/// threads from a small persistent pool. See docs/algorithms/gemm.md.
/// </para>
/// <para>
/// Every element of C is one chain of fused multiply-adds over k in blocks of 256, whatever the path,
/// kernel or thread count, so results are bit-identical across all of them.
/// </para>
/// </remarks>
public static unsafe class Gemm
{
    /// <summary>Products with at most this many multiply-adds (m·n·k) take the direct, unpacked path.</summary>
    internal const long SmallWork = 4096;

    /// <summary>Products with at least this many multiply-adds (m·n·k) may use several threads.</summary>
    internal const long ParallelWork = 1L << 20;

    /// <summary>
    /// With the Vector256 kernel, products whose op(A) has at most this many elements (m·k) read A in place
    /// instead of packing it (the block one macro-kernel call reads, MC×KC, stays in L2 either way, and
    /// packing costs more than it saves at these sizes; measured in docs/algorithms/gemm.md).
    /// </summary>
    internal const long DirectAElements = 1L << 18;

    /// <summary>
    /// Whether a product of depth <paramref name="k"/> is one block of fused multiply-adds on every path (k ≤ 256): then
    /// <c>C = op(A)·op(B) + C</c> (α = β = 1) stores <c>fl(acc + C)</c> with acc the whole chain, so adding C afterwards
    /// (to a product computed with β = 0) gives the same bits; deeper products add C to the first block's sum.
    /// </summary>
    internal static bool SingleDepthBlock(int k) => k <= GemmKernelInfo.BlockDepth;

    private static int s_maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// Upper bound on the threads one product uses (default <see cref="Environment.ProcessorCount"/>);
    /// 1 makes every product single-threaded.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxThreads
    {
        get => Volatile.Read(ref s_maxThreads);
        set
        {
            Preconditions.CheckPositive(value, nameof(MaxThreads));
            Volatile.Write(ref s_maxThreads, value);
        }
    }

    /// <summary>
    /// <c>C = alpha·op(A)·op(B) + beta·C</c>, all matrices row-major. op(A) is m×k, op(B) is k×n, C is m×n.
    /// </summary>
    /// <param name="transposeA">If true, A is stored k×m (lda ≥ m) and op(A) = Aᵀ; otherwise A is m×k (lda ≥ k).</param>
    /// <param name="transposeB">If true, B is stored n×k (ldb ≥ k) and op(B) = Bᵀ; otherwise B is k×n (ldb ≥ n).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product; 0 means A and B are not read.</param>
    /// <param name="a">A, row-major with leading dimension <paramref name="lda"/>.</param>
    /// <param name="lda">Distance between rows of the stored A.</param>
    /// <param name="b">B, row-major with leading dimension <paramref name="ldb"/>.</param>
    /// <param name="ldb">Distance between rows of the stored B.</param>
    /// <param name="beta">Scale of the old C; 0 means C is overwritten without being read (NaNs in it are ignored), as in BLAS.</param>
    /// <param name="c">C, m×n row-major with leading dimension <paramref name="ldc"/> ≥ n.</param>
    /// <param name="ldc">Distance between rows of C.</param>
    /// <exception cref="ArgumentException">A dimension is negative, a leading dimension is too small, or a span is too short.</exception>
    /// <example>
    /// The three products of backpropagation through a dense layer with weights W stored [out][in]:
    /// <code>
    /// // forward   Y = X·Wᵀ      (X: batch×in, W: out×in, Y: batch×out)
    /// Gemm.Multiply(false, true, batch, outs, ins, 1f, x, ins, w, ins, 0f, y, outs);
    /// // weights   dW = dYᵀ·X    (dY: batch×out)
    /// Gemm.Multiply(true, false, outs, ins, batch, 1f, dy, outs, x, ins, 0f, dw, ins);
    /// // inputs    dX = dY·W
    /// Gemm.Multiply(false, false, batch, ins, outs, 1f, dy, outs, w, ins, 0f, dx, ins);
    /// </code>
    /// </example>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
        => Multiply(default, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary><see cref="Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/> with forced internals.</summary>
    internal static void Multiply(GemmOptions options, bool transposeA, bool transposeB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        // The tiny path first, behind only the checks it needs: for its products the call is the cost (GemmTiny).
        if (GemmTiny.IsSupported && GemmTiny.Fits(n, k) && m > 0
            && (options.Path == GemmPath.Tiny || (options.Path == GemmPath.Auto && (long)m * n * k <= SmallWork))
            && alpha != 0 && ArgumentsValid(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc))
        {
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
                GemmTiny.Multiply(m, n, k, alpha, pa, transposeA ? 1 : lda, transposeA ? lda : 1, pb, ldb, transposeB, beta, pc, ldc);
            return;
        }
        MultiplyOther(options, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>Every product but the tiny path's (<see cref="Multiply(GemmOptions, bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MultiplyOther(GemmOptions options, bool transposeA, bool transposeB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        if (!ArgumentsValid(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc))
            ThrowInvalid(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            if (k == 0 || alpha == 0)
            {
                ScaleC(m, n, beta, pc, ldc);
                return;
            }
            nint rsA = transposeA ? 1 : lda, csA = transposeA ? lda : 1;
            nint rsB = transposeB ? 1 : ldb, csB = transposeB ? ldb : 1;
            bool direct = options.Path == GemmPath.Direct || (options.Path == GemmPath.Auto && (long)m * n * k <= SmallWork);
            if (options.Path is GemmPath.Auto or GemmPath.FewRows && !direct && m <= GemmFewRows.MaxRows
                && transposeB && !transposeA && GemmFewRows.IsSupported)
                GemmFewRows.Multiply(m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            else if (options.Path == GemmPath.InPlace || (options.Path == GemmPath.Auto && !direct && PrefersInPlace(options, transposeA, transposeB, m, n, k)))
                GemmInPlace.Multiply(m, n, k, alpha, pa, rsA, csA, pb, rsB, csB, beta, pc, ldc,
                    options.Threads > 0 ? options.Threads : GemmInPlace.AutoThreads(transposeB, m, n, k, GemmInPlace.NarrowTiles(options.Kernel)),
                    GemmInPlace.NarrowTiles(options.Kernel));
            else if (direct)
                GemmSmall.Multiply(m, n, k, alpha, pa, rsA, csA, pb, rsB, csB, beta, pc, ldc);
            else
                MultiplyPacked(options, m, n, k, alpha, pa, rsA, csA, pb, rsB, csB, beta, pc, ldc);
        }
    }

    /// <summary>
    /// <see cref="Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    /// with the rows of a row-major operand read through a row table, in the table's order: with
    /// <paramref name="rowsA"/> non-empty (A not transposed, m entries) row i of op(A) is row <c>rowsA[i]</c> of
    /// <paramref name="a"/>; with <paramref name="rowsB"/> non-empty (B not transposed, k entries) row p of op(B) is row
    /// <c>rowsB[p]</c> of <paramref name="b"/>. The result is bit for bit the product of the gathered rows
    /// (<c>g[i·ld + j] = a[rows[i]·ld + j]</c>), computed without gathering them: the packed path's packing reads the rows
    /// through the table (<see cref="GemmPackingRows"/>). Every path computes the same chains, so the packed path, which
    /// this always takes, gives what <see cref="GemmPath.Auto"/> gives on the gathered copy.
    /// <para>With <paramref name="bias"/> not empty (n entries): <c>C = alpha·op(A)·op(B) + 1·biasᵀ</c>: every row of C
    /// starts as the bias row and the product is added to it (β = 1; <paramref name="beta"/> and the old C are ignored).
    /// The same bits as writing the bias rows into C (<c>RowBroadcast.Fill</c>) and calling with β = 1, which is what the
    /// paths other than the packed one do. The packed path instead writes each bias block into C inside the compute item
    /// that owns those rows, just before its first depth block's micro-kernels read them (<see cref="GemmJob.Bias"/>): the
    /// separate single-threaded pass over C (512 KiB for a 256 × 512 layer) is gone, the writes are split over the
    /// product's threads, and each lands in the cache of the core that adds the product to it.</para>
    /// <para>With <paramref name="bytes"/> not empty, the operand with the row table (exactly one of <paramref name="rowsA"/>,
    /// <paramref name="rowsB"/>) reads its rows from these bytes, standardized as the packing reads them
    /// (<see cref="IndexedByteLines"/>: element (r, j) = <c>(float)((bytes[r·ld + j] − shift[j])·factor[j])</c>); its float
    /// span (<paramref name="a"/> or <paramref name="b"/>) must be empty and its ld the bytes' column count. The same bits as
    /// the product of the float32 matrix those formulas give.</para>
    /// <para>With <paramref name="gatherA"/> not empty (A read through <paramref name="rowsA"/>; at least m·k floats) the
    /// rows of op(A) are gathered there as well — <c>gatherA[i·k + p]</c> = op(A)(i, p), the copy (standardized from the
    /// bytes, or of the floats) a caller would have made before the call — and the product reads that copy the way
    /// <see cref="GemmPath.Auto"/> reads a gathered batch (in place on the Vector256 kernel's direct-A path,
    /// <see cref="DirectAElements"/>; packed otherwise): the same bits. On the packed path with its rows split over the
    /// threads, each compute item gathers its own rows just before it first reads them, so the rows land in the cache of
    /// the core that reads them and the gather is split over the product's threads with no hand-off of its own; otherwise
    /// the calling thread gathers them first. The caller may then read <paramref name="gatherA"/> as the gathered operand
    /// (the weight gradient of a training step, for example).</para>
    /// </summary>
    internal static void MultiplyRows(bool transposeA, bool transposeB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<int> rowsA, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<int> rowsB,
        float beta, Span<float> c, int ldc, ReadOnlySpan<float> bias = default, StandardizedBytes bytes = default, Span<float> gatherA = default) =>
        MultiplyRowsWith(default, transposeA, transposeB, m, n, k, alpha, a, lda, rowsA, b, ldb, rowsB, beta, c, ldc, bias, bytes, gatherA);

    /// <summary><see cref="MultiplyRows"/> with forced internals (kernel, threads; the packed path's direct-A choice).</summary>
    internal static void MultiplyRowsWith(GemmOptions options, bool transposeA, bool transposeB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<int> rowsA, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<int> rowsB,
        float beta, Span<float> c, int ldc, ReadOnlySpan<float> bias = default, StandardizedBytes bytes = default, Span<float> gatherA = default)
    {
        if (!gatherA.IsEmpty)
        {
            if (rowsA.IsEmpty)
                throw new ArgumentException("gatherA receives the rows of A read through rowsA: rowsA must not be empty.", nameof(gatherA));
            if (gatherA.Length < (long)m * k)
                throw new ArgumentException($"gatherA has {gatherA.Length} floats; the {m}×{k} op(A) needs {(long)m * k}.", nameof(gatherA));
        }
        bool bytesA = false, bytesB = false;
        if (!bytes.IsEmpty)
        {
            if (rowsA.IsEmpty == rowsB.IsEmpty)
                throw new ArgumentException("standardized bytes are read through a row table: give exactly one of rowsA and rowsB.", nameof(bytes));
            bytesA = !rowsA.IsEmpty;
            bytesB = !bytesA;
            if (!(bytesA ? a : b).IsEmpty)
                throw new ArgumentException($"the operand read from bytes takes no floats: {(bytesA ? "a" : "b")} must be empty.", nameof(bytes));
            int ld = bytesA ? lda : ldb;
            if (ld != bytes.Columns)
                throw new ArgumentException($"ld{(bytesA ? "a" : "b")} = {ld} must be the bytes' row length, {bytes.Columns}.", nameof(bytes));
        }
        if (!bias.IsEmpty)
        {
            if (bias.Length != n)
                throw new ArgumentException($"bias has {bias.Length} entries; C has {n} columns.", nameof(bias));
            beta = 1f;
            if (m > 0 && n > 0 && (k == 0 || alpha == 0 || (rowsA.IsEmpty && rowsB.IsEmpty && AutoPath(transposeA, transposeB, m, n, k) != GemmPath.Packed)))
            {
                CheckMatrix("c", "ldc", null, false, m, n, c.Length, ldc);
                if (ldc == n) LinearAlgebra.RowBroadcast.Fill(bias, m, c[..(m * n)]);
                else for (int i = 0; i < m; i++) bias.CopyTo(c.Slice(i * ldc, n));
                bias = [];
            }
        }
        if (rowsA.IsEmpty && rowsB.IsEmpty && bias.IsEmpty)
        {
            Multiply(options, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        Preconditions.CheckNonNegative(m);
        Preconditions.CheckNonNegative(n);
        Preconditions.CheckNonNegative(k);
        if (rowsA.IsEmpty) CheckMatrix("a", "lda", nameof(transposeA), transposeA, transposeA ? k : m, transposeA ? m : k, a.Length, lda);
        else CheckRows(rowsA, transposeA, m, k, bytesA ? bytes.Values.Length : a.Length, lda, "rowsA", "a");
        if (rowsB.IsEmpty) CheckMatrix("b", "ldb", nameof(transposeB), transposeB, transposeB ? n : k, transposeB ? k : n, b.Length, ldb);
        else CheckRows(rowsB, transposeB, k, n, bytesB ? bytes.Values.Length : b.Length, ldb, "rowsB", "b");
        CheckMatrix("c", "ldc", null, false, m, n, c.Length, ldc);
        if (m == 0) return;
        if (n == 0)
        {
            if (!gatherA.IsEmpty) GatherRowsOnly(k, a, lda, rowsA, bytes, gatherA);
            return;
        }
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        fixed (int* ra = rowsA)
        fixed (int* rb = rowsB)
        fixed (float* pbias = bias)
        fixed (byte* pbytes = bytes.Values)
        fixed (double* pshift = bytes.Shift, pfactor = bytes.Factor)
        fixed (float* pg = gatherA)
        {
            byte* pbytesOrNull = bytes.IsEmpty ? null : pbytes;
            if (k == 0 || alpha == 0)
            {
                if (pg != null) GemmGatherRows.Gather(pg, k, 0, m, ra, pa, lda, pbytesOrNull, pshift, pfactor);
                ScaleC(m, n, beta, pc, ldc);
                return;
            }
            nint rsA = transposeA ? 1 : lda, csA = transposeA ? lda : 1;
            nint rsB = transposeB ? 1 : ldb, csB = transposeB ? ldb : 1;
            MultiplyPacked(options, m, n, k, alpha, pa, rsA, csA, pb, rsB, csB, beta, pc, ldc, ra, rb, bias.IsEmpty ? null : pbias,
                pbytesOrNull, pshift, pfactor, pg);
        }
    }

    /// <summary>Only the gather of <see cref="MultiplyRows"/> (a product with no columns).</summary>
    private static void GatherRowsOnly(int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<int> rowsA, StandardizedBytes bytes, Span<float> gatherA)
    {
        fixed (float* pa = a)
        fixed (int* ra = rowsA)
        fixed (byte* pbytes = bytes.Values)
        fixed (double* pshift = bytes.Shift, pfactor = bytes.Factor)
        fixed (float* pg = gatherA)
            GemmGatherRows.Gather(pg, k, 0, rowsA.Length, ra, pa, lda, bytes.IsEmpty ? null : pbytes, pshift, pfactor);
    }

    /// <summary>
    /// Whether <see cref="Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    /// (automatic path) packs the rows of op(A) (<paramref name="operandA"/>) or of op(B) for this shape — then
    /// <see cref="MultiplyRows"/> reads that operand through a row table at no extra cost: it takes the packed path
    /// anyway and only the packing reads through the table. False where the product would read the operand in place
    /// (direct loops, <see cref="GemmFewRows"/>, <see cref="GemmInPlace"/>, op(A) on the Vector256 kernel's direct-A path):
    /// there a table would add a packing pass (a gathered copy is cheaper). The decisions mirror
    /// <c>Multiply</c>'s, from the same constants.
    /// </summary>
    internal static bool PacksRowsOf(bool operandA, bool transposeA, bool transposeB, int m, int n, int k) =>
        AutoPath(transposeA, transposeB, m, n, k) == GemmPath.Packed
        && (!operandA || !(GemmKernelInfo.AutoKind == GemmKernel.V256 && (long)m * k <= DirectAElements));

    /// <summary>
    /// Whether <see cref="MultiplyRows"/>
    /// with a row table and gatherA for op(A) = A (m×k, not transposed) times op(B) = Bᵀ (n×k) takes the path
    /// <see cref="GemmPath.Auto"/> takes on the gathered copy — the packed one — with the kernel reading op(A) in place
    /// (the Vector256 kernel's direct-A path, <see cref="DirectAElements"/>), where <see cref="PacksRowsOf"/> is false:
    /// then the gather can run inside the product's row items. False elsewhere (on AVX-512, where the packing reads
    /// the rows through the table instead, and for products that take another path).
    /// </summary>
    internal static bool GathersRowsInProduct(int m, int n, int k) =>
        m > 0 && n > 0 && k > 0 && GemmKernelInfo.AutoKind == GemmKernel.V256 && (long)m * k <= DirectAElements
        && AutoPath(false, true, m, n, k) == GemmPath.Packed;

    /// <summary>
    /// The path <see cref="GemmPath.Auto"/> takes for a product of this shape (m, n, k ≥ 1): <see cref="GemmPath.Tiny"/>, <see cref="GemmPath.Direct"/>,
    /// <see cref="GemmPath.FewRows"/>, <see cref="GemmPath.InPlace"/> or <see cref="GemmPath.Packed"/>.
    /// </summary>
    internal static GemmPath AutoPath(bool transposeA, bool transposeB, int m, int n, int k)
    {
        if ((long)m * n * k <= SmallWork) return GemmTiny.IsSupported && GemmTiny.Fits(n, k) ? GemmPath.Tiny : GemmPath.Direct;
        if (m <= GemmFewRows.MaxRows && transposeB && !transposeA && GemmFewRows.IsSupported) return GemmPath.FewRows;
        if (PrefersInPlace(default, transposeA, transposeB, m, n, k)) return GemmPath.InPlace;
        return GemmPath.Packed;
    }

    /// <summary>Checks a row table of a non-transposed <paramref name="count"/> × <paramref name="width"/> operand: one entry per row, each row inside the span.</summary>
    private static void CheckRows(ReadOnlySpan<int> rows, bool transposed, int count, int width, int length, int ld, string name, string matrix)
    {
        if (rows.IsEmpty) return;
        if (transposed)
            throw new ArgumentException($"{name} reads rows of a row-major {matrix}; {matrix} must not be transposed.", name);
        if (rows.Length != count)
            throw new ArgumentException($"{name} has {rows.Length} entries; the product reads {count} rows of {matrix}.", name);
        if (ld < width)
            throw new ArgumentOutOfRangeException("ld" + matrix, ld, $"ld{matrix} must be at least {width}, the row length of {matrix} (got {ld}).");
        long stored = width == 0 ? long.MaxValue : ((long)length - width) / ld + 1;
        foreach (int r in rows)
            if (r < 0 || r >= stored)
                throw new ArgumentOutOfRangeException(name, r, $"row {r} of {matrix} is outside the {stored} rows of {width} values its {length} elements hold with ld{matrix} = {ld}.");
    }

    /// <summary>
    /// The first case of <see cref="SplitsColumnsInItems"/> (m ≤ n: columns in items); settable for the bench's A/B
    /// (<c>Occam.Bench steps --ab-columns</c>). The results are the same bits either way.
    /// </summary>
    internal static bool SplitsColumnsOfWideProducts = true;

    /// <summary>
    /// Whether a threaded packed product splits its column panels, one piece per thread, each thread packing its own
    /// panels of B̃ (<see cref="GemmSplit.ColumnsInItems"/>), rather than packing B̃ together and splitting rows. True in
    /// either of two cases:
    /// <list type="bullet">
    /// <item><b>No more rows than columns</b> (m ≤ n, with at least two column panels per thread): with rows split, every
    /// core reads all of B̃, half of it packed by the other core, after a wait for all of it; with columns split each
    /// core packs and reads only its own half, and the price, all of Ã packed once per thread, is m·k floats against
    /// the m·n·k / threads multiply-adds of its share — small while m ≤ n. Measured on the Zen 5 host (two vCPUs in
    /// different L3s, 1 MiB L2; gemm.md, "AMD Zen 5 (session 21)"): columns won in all 17 measurements with m ≤ n, e.g.
    /// 256×784×512 0.88 → 1.13 of OpenBLAS, 512³ 1.04 → 1.13; rows won where m ≥ 3n (1024×512×128 1.33 vs 1.28).</item>
    /// <item><b>B̃ too big for a shared L2 pass</b>: all of B̃ (the k blocks × column panels of the first column block)
    /// does not fit in half of one core's L2 (<paramref name="l2Bytes"/>), so that with rows split each core would stream
    /// B̃ once per row block, while one thread's share of the panels plus an Ã block (MC × depth step) does fit there
    /// (the other half of L2 is left to C, the next panels and the other operand's lines). With 2 MiB (Sapphire Rapids,
    /// session 12) it holds for 256×784×512 (B̃ 1.6 MB, a share 0.8 MB).</item>
    /// </list>
    /// </summary>
    internal static bool SplitsColumnsInItems(in GemmKernelInfo kernel, int m, int n, int k, int colPanels, int threads, long l2Bytes)
    {
        if (threads < 2 || colPanels < threads) return false;
        if (SplitsColumnsOfWideProducts && m <= n && colPanels >= 2 * threads) return true;
        int kStep = GemmKernelInfo.DepthStep(k);
        long depth = (long)(k + kStep - 1) / kStep * kStep;
        long panelBytes = depth * kernel.NR * sizeof(float);
        long all = colPanels * panelBytes;
        long share = (colPanels + threads - 1) / threads * panelBytes + (long)kernel.MC * kStep * sizeof(float);
        return all > l2Bytes / 2 && share <= l2Bytes / 2;
    }

    /// <summary>
    /// Rows of C per row item of a product split by rows on <paramref name="threads"/> (≥ 2) threads: about
    /// m / (2·threads), a multiple of MR, at most MC. The training step cuts each weight's optimizer update into the
    /// same row blocks as its weight-gradient product ∂Yᵀ·X (m = the layer's outputs), so that each thread updates
    /// the rows it just computed (<see cref="GemmDriver.OwnedRowItems"/>).
    /// </summary>
    internal static int RowItemRows(int m, int threads) => RowItemRows(GemmKernelInfo.For(GemmKernel.Auto), m, threads);

    private static int RowItemRows(in GemmKernelInfo kernel, int m, int threads)
    {
        int mr = kernel.MR, rowPanels = (m + mr - 1) / mr, target = 2 * Math.Max(threads, 1);
        return GemmKernelInfo.BlockStep(m, Math.Min(kernel.MC, (rowPanels + target - 1) / target * mr), mr);
    }

    /// <summary>
    /// Whether the product C = A·Bᵀ (NT: m×k times n×k, as a layer's forward X·Wᵀ) with the default options at
    /// <paramref name="threads"/> threads runs on the packed path split by columns in items (<see cref="SplitsColumnsInItems"/>),
    /// one column block; then piece t of <see cref="GemmDriver.Partition"/>(panels, threads, t) is packed and computed by
    /// thread t (<see cref="GemmDriver.OwnedColumnPieces"/>), in panels of <paramref name="nr"/> columns (rows of W for a
    /// forward product).
    /// </summary>
    internal static bool SplitsForwardColumns(int m, int n, int k, int threads, out int nr)
    {
        var kernel = GemmKernelInfo.For(GemmKernel.Auto);
        nr = kernel.NR;
        if (threads < 2 || AutoThreads(m, n, k) < 2 || PrefersInPlace(default, false, true, m, n, k)) return false;
        if (n > MaxBlockColumns(kernel, k)) return false;
        int colPanels = (n + nr - 1) / nr;
        return SplitsColumnsInItems(kernel, m, n, k, colPanels, threads, GemmCaches.L2Bytes);
    }

    /// <summary>
    /// The widest column block of the packed path: B̃ holds every k block of a column block, capped at 2²¹ floats
    /// (8 MiB, a quarter of L3), at least one panel.
    /// </summary>
    private static int MaxBlockColumns(in GemmKernelInfo kernel, int k) =>
        Math.Max(kernel.NR, Math.Min(kernel.NC, (1 << 21) / Math.Max(k, 1) / kernel.NR * kernel.NR));

    /// <summary>The threads a product of m·n·k multiply-adds uses unless told: <see cref="MaxThreads"/> from <see cref="ParallelWork"/>, else 1.</summary>
    internal static int AutoThreads(int m, int n, int k) => (long)m * n * k >= ParallelWork ? MaxThreads : 1;

    /// <summary>
    /// Whether <see cref="GemmPath.Auto"/> takes <see cref="GemmInPlace"/>: the kernel is Vector512 on AVX-512 hardware
    /// or Vector256 on AVX2 hardware (<see cref="GemmInPlace.IsPreferredKernel"/>), and the shape fits that kernel's
    /// tiles (<see cref="GemmInPlace.Fits"/>).
    /// </summary>
    private static bool PrefersInPlace(GemmOptions options, bool transposeA, bool transposeB, int m, int n, int k)
    {
        GemmKernel kernel = options.Kernel == GemmKernel.Auto ? GemmKernelInfo.AutoKind : options.Kernel;
        return GemmInPlace.IsPreferredKernel(kernel) && GemmInPlace.Fits(transposeA, transposeB, m, n, k, kernel == GemmKernel.V256);
    }

    /// <summary>The packed path: kernel, block sizes, work items and thread count, then the BLIS loop nest.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MultiplyPacked(GemmOptions options, int m, int n, int k, float alpha,
        float* a, nint rsA, nint csA, float* b, nint rsB, nint csB, float beta, float* c, nint ldc, int* rowsA = null, int* rowsB = null, float* bias = null,
        byte* bytes = null, double* shift = null, double* factor = null, float* gatherA = null)
    {
        GemmKernelInfo kernel = GemmKernelInfo.For(options.Kernel);
        int* gatherRows = null;
        float* gatherSource = null;
        nint gatherLd = 0;
        if (gatherA != null)
        {
            // The product reads the gathered copy (row-major, ld = k) as a plain A; the items gather it (below).
            gatherRows = rowsA;
            gatherSource = a;
            gatherLd = rsA;
            rowsA = null;
            a = gatherA;
            rsA = k;
            csA = 1;
        }
        int mr = kernel.MR, nr = kernel.NR;
        int kStep = GemmKernelInfo.DepthStep(k);
        int nStep = GemmKernelInfo.BlockStep(n, MaxBlockColumns(kernel, k), nr);
        int rowPanels = (m + mr - 1) / mr;
        int colPanels = (nStep + nr - 1) / nr;

        int threads = options.Threads > 0 ? options.Threads : AutoThreads(m, n, k);
        var job = new GemmJob
        {
            Kernel = kernel, M = m, N = n, K = k,
            A = a, RsA = rsA, CsA = csA, B = b, RsB = rsB, CsB = csB, C = c, Ldc = ldc,
            Alpha = alpha, Beta = beta, KStep = kStep, NStep = nStep,
            DirectA = rowsA == null && kernel.Kind == GemmKernel.V256
                && (options.Path == GemmPath.PackedB || (options.Path == GemmPath.Auto && (long)m * k <= DirectAElements)),
            RowsA = rowsA, RowsB = rowsB, Bias = bias, Bytes = bytes, Shift = shift, Factor = factor,
            HalfTiles = GemmDriver.HalfTiles,
        };
        if (options.Split == GemmSplit.ColumnsInItems
            || (options.Split == GemmSplit.Auto && threads > 1 && SplitsColumnsInItems(kernel, m, nStep, k, colPanels, threads, GemmCaches.L2Bytes)))
        {
            // One piece of the column panels per thread; each item packs its own B̃ panels (GemmDriver.Execute).
            job.SplitRows = false;
            job.PackBInItems = true;
            job.PanelPieces = Math.Min(threads, colPanels);
            threads = job.PanelPieces;
            if (GemmDriver.OwnedColumnPieces) job.Threads = threads;
        }
        else if (threads == 1)
        {
            job.SplitRows = true;
            job.MItem = GemmKernelInfo.BlockStep(m, kernel.MC, mr);
            job.PanelPieces = 1;
        }
        else
        {
            // About two items per thread, so that whoever is running takes over a late thread's
            // share. Split rows when there are enough row panels (B̃ is then packed once for all);
            // otherwise split column panels (each item packs all of Ã, which is small then).
            job.SplitRows = rowPanels >= 4 * threads || rowPanels >= colPanels;
            int target = 2 * threads;
            job.MItem = RowItemRows(kernel, m, threads);
            job.PanelPieces = Math.Min(target, colPanels);
            int items = job.SplitRows ? (m + job.MItem - 1) / job.MItem : job.PanelPieces;
            threads = Math.Min(threads, items);
            if (GemmDriver.OwnedRowItems) job.Threads = threads;
            job.OwnsPackItems = GemmDriver.OwnedPackItems;
        }
        int kBlocks = (k + kStep - 1) / kStep;
        long packedB = (long)kBlocks * colPanels * nr * kStep;
        if (packedB > Array.MaxLength - 64)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k = {k} needs a packed block of {packedB} floats, more than one array holds; split the product along k.");
        job.PackedB = GemmBuffers.PackedB((int)packedB);
        if (gatherRows != null)
        {
            if (job.SplitRows)
            {
                // Each row item gathers its rows before its first depth block (GemmDriver.Execute).
                job.GatherRows = gatherRows;
                job.GatherSource = gatherSource;
                job.GatherLd = gatherLd;
            }
            else
            {
                // Items split the columns and each reads every row: gather them all first, here.
                GemmGatherRows.Gather(gatherA, k, 0, m, gatherRows, gatherSource, gatherLd, bytes, shift, factor);
            }
        }
        if (threads > 1 && GemmThreadPool.TryRun(ref job, threads)) return;
        GemmDriver.Execute(ref job);
    }

    private static void ScaleC(int m, int n, float beta, float* c, nint ldc)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + i * ldc, n);
            if (beta == 0) row.Clear();
            else if (beta != 1) System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    /// <summary>The argument checks of <see cref="Validate"/> without messages: cheap enough for tiny products.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ArgumentsValid(bool transposeA, bool transposeB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if ((m | n | k) < 0) return false;
        int aCols = transposeA ? m : k, aRows = transposeA ? k : m;
        int bCols = transposeB ? k : n, bRows = transposeB ? n : k;
        return lda >= aCols && ldb >= bCols && ldc >= n
            && aLength >= Needed(aRows, aCols, lda) && bLength >= Needed(bRows, bCols, ldb) && cLength >= Needed(m, n, ldc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Needed(int rows, int cols, int ld) => rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInvalid(bool transposeA, bool transposeB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        Validate(transposeA, transposeB, m, n, k, aLength, lda, bLength, ldb, cLength, ldc);
        throw new InvalidOperationException("Gemm argument check disagreed with its validation."); // unreachable
    }

    private static void Validate(bool transposeA, bool transposeB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        Preconditions.CheckNonNegative(m);
        Preconditions.CheckNonNegative(n);
        Preconditions.CheckNonNegative(k);
        CheckMatrix("a", "lda", nameof(transposeA), transposeA, transposeA ? k : m, transposeA ? m : k, aLength, lda);
        CheckMatrix("b", "ldb", nameof(transposeB), transposeB, transposeB ? n : k, transposeB ? k : n, bLength, ldb);
        CheckMatrix("c", "ldc", null, false, m, n, cLength, ldc);
    }

    private static void CheckMatrix(string name, string ldName, string? transposeName, bool transposed,
        int rows, int cols, int length, int ld)
    {
        if (ld < cols || ld < 0)
            throw new ArgumentOutOfRangeException(ldName, ld,
                $"{ldName} must be at least {cols}, the row length of the stored {rows}×{cols} {name}{Stored(transposeName, transposed)} (got {ld}).");
        long needed = Needed(rows, cols, ld);
        if (length < needed)
            throw new ArgumentException(
                $"{name} has length {length} but a stored {rows}×{cols} matrix{Stored(transposeName, transposed)} with {ldName} = {ld} needs at least {needed} elements.",
                name);
    }

    private static string Stored(string? transposeName, bool transposed) =>
        transposeName is null ? "" : $" ({transposeName} = {(transposed ? "true" : "false")})";
}
