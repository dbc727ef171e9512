using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics;

/// <summary>
/// One packed GEMM product, described by raw pointers (the caller pins the spans for the call),
/// plus the counters through which threads share its work.
/// op(A)(i, p) = A[i·RsA + p·CsA], op(B)(p, j) = B[p·RsB + j·CsB], C[i, j] = C[i·Ldc + j].
/// </summary>
internal unsafe struct GemmJob
{
    public GemmKernelInfo Kernel;
    public int M, N, K;
    public float* A; public nint RsA, CsA;
    public float* B; public nint RsB, CsB;
    public float* C; public nint Ldc;
    public float Alpha, Beta;
    /// <summary>The packed B̃ of one column block, all k blocks (the calling thread's buffer).</summary>
    public float* PackedB;
    /// <summary>Depth of a k block (<see cref="GemmKernelInfo.DepthStep"/>).</summary>
    public int KStep;
    /// <summary>Width of a column block (a multiple of NR unless it is all of n).</summary>
    public int NStep;
    /// <summary>Compute items split the rows of C (each item: MItem rows, all columns); else its NR panels.</summary>
    public bool SplitRows;
    /// <summary>Rows per compute item when <see cref="SplitRows"/> (a multiple of MR).</summary>
    public int MItem;
    /// <summary>
    /// Not <see cref="SplitRows"/>: compute item i packs its own panels of B̃ (the same pieces phase 1 would pack), each k
    /// block just before it uses it, instead of all threads packing B̃ first and waiting for each other.
    /// </summary>
    public bool PackBInItems;
    /// <summary>How many pieces the panels of a column block are cut into, for packing (and for computing when not <see cref="SplitRows"/>).</summary>
    public int PanelPieces;
    /// <summary>op(A) is read in place by <see cref="GemmTileV256Strided"/> instead of being packed into Ã (only B̃ is packed).</summary>
    public bool DirectA;
    /// <summary>Null, or the row table of op(A) (A not transposed, not <see cref="DirectA"/>): op(A)(i, p) = A[RowsA[i]·RsA + p].</summary>
    public int* RowsA;
    /// <summary>
    /// <see cref="GemmDriver.HalfTiles"/> when the job was made: read once per product, so that every thread cuts and
    /// computes the panels the same way even if the setting changes during the call.
    /// </summary>
    public bool HalfTiles;
    /// <summary>Null, or the row table of op(B) (B not transposed): op(B)(p, j) = B[RowsB[p]·RsB + j·CsB].</summary>
    public int* RowsB;
    /// <summary>
    /// Null, or the unsigned bytes the operand with a row table reads instead of its floats (<see cref="StandardizedBytes"/>):
    /// op(A)(i, p) = (float)((Bytes[RowsA[i]·RsA + p] − Shift[p])·Factor[p]), or op(B)(p, j) =
    /// (float)((Bytes[RowsB[p]·RsB + j] − Shift[j])·Factor[j]) (<see cref="IndexedByteLines"/>).
    /// </summary>
    public byte* Bytes;
    /// <summary>Per column of <see cref="Bytes"/>: what is subtracted, then what multiplies (with <see cref="Bytes"/> only).</summary>
    public double* Shift, Factor;
    /// <summary>
    /// Null, or N floats: C[i, j] starts as Bias[j] (Beta is then 1). On the 8×32 Vector512 kernel and the 6×16 Vector256
    /// kernel (packed Ã or <see cref="DirectA"/>) the first depth block's micro-kernels read the bias row in place of C
    /// (<see cref="GemmTileV512.Tile8x32Bias"/>, <see cref="GemmTileV256.Tile6x16Bias"/>, <see cref="GemmTileV256Strided.Tile6x16Bias"/>;
    /// edge tiles <see cref="GemmDriver"/>'s StoreEdge from the bias row), so C is only written; on the other kernels the
    /// compute item that owns a block of C writes the block's bias values into it just before its first depth block adds
    /// the product to them. fma(α, acc, β·b) either way: the same bits.
    /// </summary>
    public float* Bias;
    /// <summary>
    /// Null, or the row table of the rows the compute items gather into A (<see cref="Gemm.MultiplyRows"/>'s
    /// gatherA; <see cref="SplitRows"/> only): in the first column block, the item of rows [r0, r1) first writes
    /// A[i·RsA + p] = row <c>GatherRows[i]</c> of <see cref="GatherSource"/> (ld <see cref="GatherLd"/>), or of
    /// <see cref="Bytes"/> standardized by <see cref="Shift"/> and <see cref="Factor"/> when <see cref="GatherSource"/> is null.
    /// </summary>
    public int* GatherRows;
    /// <summary>The float rows <see cref="GatherRows"/> indexes (null: the bytes).</summary>
    public float* GatherSource;
    /// <summary>Distance between the rows of <see cref="GatherSource"/> or of the bytes.</summary>
    public nint GatherLd;

    /// <summary>
    /// Threads of the call (the caller is thread 0). When above 1 and <see cref="SplitRows"/> with at most
    /// <see cref="GemmClaims.Length"/> row items, each thread claims its own row items first (thread t: items
    /// i ≡ t mod Threads, in order), then any item left: <see cref="GemmDriver.Execute"/>.
    /// </summary>
    public int Threads;
    /// <summary>Per row item, the column blocks in which it was claimed (item i of column block b: b → b + 1).</summary>
    public GemmClaims Claims;
    /// <summary>The same for the pack items of phase 1 (<see cref="GemmDriver.OwnedPackItems"/>).</summary>
    public GemmClaims PackClaims;
    /// <summary>Pack items are claimed owned first (<see cref="GemmDriver.OwnedPackItems"/> when the job was made).</summary>
    public bool OwnsPackItems;

    // Work counters, monotonic over the column blocks of the product.
    public int PackNext, PackDone, ComputeNext, ComputeDone;
    /// <summary>Set when a thread failed; waiters stop waiting.</summary>
    public int Failed;
}

/// <summary>Claim flags of up to 64 row items (<see cref="GemmJob.Claims"/>), inline in the job.</summary>
[System.Runtime.CompilerServices.InlineArray(Length)]
internal struct GemmClaims
{
    public const int Length = 64;
    private int _first;
}

/// <summary>
/// The BLIS loop nest (Goto and van de Geijn 2008; Van Zee and van de Geijn 2015), arranged in two
/// phases per column block so that any number of threads can share it without fixed assignments:
/// <code>
/// for jc in 0..n step NC                       // column block of C
///   phase 1, items (pc, piece of panels):      // pack B̃[pc] = op(B)[pc.., jc..] for every k block
///   wait until every pack item is done
///   phase 2, items (rows) or (piece of panels):
///     for pc in 0..k step KC                   // beta applies at pc = 0 only
///       for ic in item rows step MC            // pack Ã = op(A)[ic.., pc..], lives in L2
///         for jr in item panels                // B̃ micro-panel (kc×NR) lives in L1
///           for ir in 0..mc step MR            // micro-kernel: C tile (MR×NR) += Ã panel · B̃ panel
///   wait until every compute item is done
/// </code>
/// Items are claimed with compare-and-swap by whichever thread comes first, so a helper thread that
/// the operating system delays (the machine is shared) never holds up the others: the caller
/// simply does the remaining items itself. Split points fall on MR rows or NR columns and each
/// element of C is always the same chain of fused multiply-adds, so results do not depend on the
/// number of threads or on who computed what.
/// </summary>
[SkipLocalsInit]
internal static unsafe class GemmDriver
{

    /// <summary>
    /// Row items owned first (<see cref="GemmJob.Threads"/>): with them, the thread that writes a block of C's rows is,
    /// step after step and product after product, the same one (when both threads keep pace), so the row passes that
    /// follow (<c>RowPasses</c>, items i ≡ t mod threads over the same row blocks) and the next product's packing of
    /// those rows read what their own core wrote. Settable for the bench's A/B; the results are the same bits.
    /// </summary>
    internal static bool OwnedRowItems { get; set; } = true;

    /// <summary>
    /// Column pieces owned first (<see cref="GemmJob.PackBInItems"/>, <see cref="GemmJob.Threads"/>): thread t takes piece
    /// t (then any piece still unclaimed), so the panels of B̃ that a thread packs — for a forward product X·Wᵀ, a block of
    /// W's rows — are the same ones step after step, and the training step's update of those rows runs on that thread
    /// (<c>Trainer.AlignsUpdatesToForward</c>). Without it the first thread to claim took piece 0. Settable for the
    /// bench's A/B (<c>steps --ab-own pieces</c>); the same bits.
    /// </summary>
    internal static bool OwnedColumnPieces { get; set; } = true;

    /// <summary>
    /// Pack items owned first (with <see cref="GemmJob.Threads"/> &gt; 1): thread t first packs the pieces of B̃'s panels
    /// p ≡ t (mod threads), in every k block, then any piece still unclaimed. A weight W read as op(B) = Wᵀ by the forward
    /// product X·Wᵀ is then packed, step after step, by the thread that owns its rows (piece p covers W's rows
    /// [p·n/pieces, …)), which is also the thread that computed those rows of ∂W (<see cref="OwnedRowItems"/>) and
    /// updated them (the training step's update, cut into the same row blocks): on a machine whose two cores sit in
    /// different L3s, W's lines then stay in one core's caches. Settable for the bench's A/B; the same bits.
    /// </summary>
    internal static bool OwnedPackItems { get; set; } = true;

    /// <summary>
    /// True (default): the pack phase of a transposed op(B) with several k blocks packs panel by panel, every k block of a
    /// panel in turn (<see cref="Execute"/>). The same floats in the same places; settable for the bench's A/B.
    /// </summary>
    internal static bool PacksPanelsAcrossDepth { get; set; } = true;

    /// <summary>
    /// True (default): with a bias row (<see cref="GemmJob.Bias"/>) on the 8×32 Vector512 kernel (packed Ã), the first depth
    /// block's micro-kernels read the bias row instead of a C filled with it (no fill pass over a cold C); false: the fill,
    /// then β = 1. The same bits; settable for the bench's A/B.
    /// </summary>
    internal static bool BiasInKernel { get; set; } = true;

    /// <summary>
    /// <see cref="BiasInKernel"/> for the 6×16 Vector256 kernel (packed Ã and <see cref="GemmJob.DirectA"/>; session 18).
    /// The same bits either way; settable for the bench's A/B.
    /// </summary>
    internal static bool BiasInKernelV256 { get; set; } = true;

    /// <summary>
    /// True (default): on the 8×32 Vector512 kernel a full-height tile of a last column panel with exactly 16 valid columns
    /// runs <see cref="GemmTileV512.Tile8x16"/> (half the multiply-adds, C written directly) instead of the whole tile into a
    /// buffer and an edge store. The same bits; settable for the tests and the bench's A/B (<c>gemm-quick --variant half=0|1</c>).
    /// </summary>
    internal static bool HalfTiles { get; set; } = true;

    /// <summary>
    /// Runs the product's items on the calling thread, <paramref name="thread"/> of the call (0 = the caller, helpers
    /// 1 … threads − 1), together with whichever other threads run it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Execute(ref GemmJob job, int thread = 0)
    {
        GemmKernelInfo kern = job.Kernel;
        int mr = kern.MR, nr = kern.NR;
        int m = job.M, n = job.N, k = job.K, kStep = job.KStep;
        int kBlocks = (k + kStep - 1) / kStep;
        nint panelStride = (nint)nr * kStep;
        float* tileBuffer = stackalloc float[8 * 32 + 16];
        float* tile = (float*)(((nint)tileBuffer + 63) & ~(nint)63);
        float* aPack = null;
        bool biasInKernel = job.Bias != null
            && (kern.Kind == GemmKernel.V512 ? BiasInKernel && !job.DirectA : kern.Kind == GemmKernel.V256 && BiasInKernelV256);

        int packBase = 0, computeBase = 0;
        for (int jc = 0; jc < n; jc += job.NStep)
        {
            int nc = Math.Min(job.NStep, n - jc);
            int panels = (nc + nr - 1) / nr;
            int pieces = Math.Min(job.PanelPieces, panels);
            nint blockStride = panels * panelStride;

            // Phase 1: pack B̃ for every k block of this column block (unless each compute item packs its own panels).
            bool byPanel = PacksPanelsAcrossDepth && kBlocks > 1 && job.CsB != 1;
            int packItems = job.PackBInItems ? 0 : byPanel ? pieces : kBlocks * pieces;
            bool ownedPack = job.OwnsPackItems && job.Threads > 1 && packItems <= GemmClaims.Length;
            int packCursor = 0;
            while (ownedPack ? TryClaimOwnedPack(ref job, thread, packItems, byPanel ? packItems : pieces, jc / job.NStep, ref packCursor, out int local)
                : TryClaimNext(ref job.PackNext, packBase, packItems, out local))
            {
                if (byPanel)
                {
                    // A transposed op(B): each panel's lines are read once from start to end, every k block in turn, rather than
                    // one k block of every panel after another (short runs of each line, a pass over all of op(B) per k block).
                    (int p0, int p1) = Partition(panels, pieces, local);
                    for (int q = p0; q < p1; q++)
                        for (int kb = 0; kb < kBlocks; kb++)
                        {
                            int pc = kb * kStep, kc = Math.Min(kStep, k - pc);
                            PackBPanels(ref job, kb * blockStride, pc, kc, jc, nc, q, q + 1, panelStride);
                        }
                    Interlocked.Increment(ref job.PackDone);
                    continue;
                }
                int kb0 = local / pieces;
                (int q0, int q1) = Partition(panels, pieces, local % pieces);
                int pc0 = kb0 * kStep, kc0 = Math.Min(kStep, k - pc0);
                PackBPanels(ref job, kb0 * blockStride, pc0, kc0, jc, nc, q0, q1, panelStride);
                Interlocked.Increment(ref job.PackDone);
            }
            packBase += packItems;
            if (!WaitFor(ref job.PackDone, packBase, ref job.Failed)) return;

            // Phase 2: compute, by rows or by panels.
            int computeItems = job.SplitRows ? (m + job.MItem - 1) / job.MItem : pieces;
            bool owned = job.Threads > 1 && (job.SplitRows || job.PackBInItems) && computeItems <= GemmClaims.Length;
            int block = jc / job.NStep, cursor = 0;
            while (owned ? TryClaimOwned(ref job, thread, computeItems, block, ref cursor, out int local)
                : TryClaimNext(ref job.ComputeNext, computeBase, computeItems, out local))
            {
                int r0 = 0, r1 = m, p0 = 0, p1 = panels;
                if (job.SplitRows)
                {
                    r0 = local * job.MItem;
                    r1 = Math.Min(m, r0 + job.MItem);
                }
                else
                {
                    (p0, p1) = job.PackBInItems ? PanelPiece(nc, nr, pieces, local, job.HalfTiles) : Partition(panels, pieces, local);
                }
                if (job.GatherRows != null && jc == 0)
                    GemmGatherRows.Gather(job.A, k, r0, r1, job.GatherRows, job.GatherSource, job.GatherLd, job.Bytes, job.Shift, job.Factor);
                int mStep = GemmKernelInfo.BlockStep(r1 - r0, kern.MC, mr);
                // The most any product asks (kStep ≤ BlockDepth), not this product's need: the thread's buffer then never
                // grows in a later call, whichever items of whichever products the thread happens to take (sized by need,
                // a thread that took, under load, an item of a deeper product than it had packed for before grew it in
                // the middle of a training step; GemmBuffersTests).
                if (aPack == null && !job.DirectA) aPack = GemmBuffers.PackedA(kern.MC * GemmKernelInfo.BlockDepth);
                for (int kb = 0; kb < kBlocks; kb++)
                {
                    int pc = kb * kStep, kc = Math.Min(kStep, k - pc);
                    float beta = pc == 0 ? job.Beta : 1f;
                    if (job.PackBInItems)
                        PackBPanels(ref job, kb * blockStride, pc, kc, jc, nc, p0, p1, panelStride);
                    for (int ic = r0; ic < r1; ic += mStep)
                    {
                        int mc = Math.Min(mStep, r1 - ic);
                        if (pc == 0 && job.Bias != null && !biasInKernel)
                            FillBias(job.C + ic * job.Ldc + jc, job.Ldc, job.Bias + jc, mc, p0 * nr, Math.Min(p1 * nr, nc));
                        if (job.DirectA)
                        {
                            MacroKernelStrided(mc, kc, nc, p0, p1, job.A + ic * job.RsA + pc * job.CsA, job.RsA, job.CsA,
                                job.PackedB + kb * blockStride, panelStride, job.C + ic * job.Ldc + jc, job.Ldc, job.Alpha, beta, tile,
                                pc == 0 && biasInKernel ? job.Bias + jc : null);
                            continue;
                        }
                        if (job.Bytes != null && job.RowsA != null)
                            GemmPackingRows.PackA(aPack, new IndexedByteLines(job.Bytes + pc, job.RowsA + ic, job.RsA, job.Shift + pc, job.Factor + pc), mc, kc, mr);
                        else if (job.RowsA != null)
                            GemmPackingRows.PackA(aPack, job.A + pc * job.CsA, job.RowsA + ic, job.RsA, mc, kc, mr);
                        else
                            GemmPacking.PackA(aPack, job.A + ic * job.RsA + pc * job.CsA, job.RsA, job.CsA, mc, kc, mr);
                        MacroKernel(kern, mc, kc, nc, p0, p1, aPack, job.PackedB + kb * blockStride, panelStride,
                            job.C + ic * job.Ldc + jc, job.Ldc, job.Alpha, beta, tile, pc == 0 && biasInKernel ? job.Bias + jc : null, job.HalfTiles);
                    }
                }
                Interlocked.Increment(ref job.ComputeDone);
            }
            computeBase += computeItems;
            // B̃ is re-packed for the next column block only after every item used it.
            if (!WaitFor(ref job.ComputeDone, computeBase, ref job.Failed)) return;
        }
    }

    /// <summary>Packs micro-panels q0..q1 of B̃ for the k block at <paramref name="pc"/> (depth kc) of the column block at jc.</summary>
    private static void PackBPanels(ref GemmJob job, nint offset, int pc, int kc, int jc, int nc, int q0, int q1, nint panelStride)
    {
        int nr = job.Kernel.NR;
        if (job.Bytes != null && job.RowsB != null)
            GemmPackingRows.PackB(job.PackedB + offset, new IndexedByteLines(job.Bytes + jc, job.RowsB + pc, job.RsB, job.Shift + jc, job.Factor + jc),
                kc, nc, nr, q0, q1, panelStride);
        else if (job.RowsB != null)
            GemmPackingRows.PackB(job.PackedB + offset, job.B + jc * job.CsB, job.RowsB + pc, job.RsB, kc, nc, nr, q0, q1, panelStride);
        else
            GemmPacking.PackB(job.PackedB + offset, job.B + pc * job.RsB + jc * job.CsB,
                job.RsB, job.CsB, kc, nc, nr, q0, q1, panelStride);
    }

    /// <summary>Claims the next of <paramref name="items"/> items counted from <paramref name="baseItem"/>; <paramref name="local"/> is its index among them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryClaimNext(ref int next, int baseItem, int items, out int local)
    {
        bool claimed = TryClaim(ref next, baseItem + items, out int item);
        local = item - baseItem;
        return claimed;
    }

    /// <summary>
    /// Claims row item <paramref name="local"/> of column block <paramref name="block"/> for thread <paramref name="thread"/>:
    /// its own items (i ≡ thread mod <see cref="GemmJob.Threads"/>) first, then any still unclaimed, so a thread that
    /// starts late or runs slowly loses its items to whoever runs. <paramref name="cursor"/> walks that sequence.
    /// </summary>
    private static bool TryClaimOwned(ref GemmJob job, int thread, int items, int block, ref int cursor, out int local)
    {
        int threads = job.Threads;
        int own = thread < items ? (items - thread + threads - 1) / threads : 0;
        while (cursor < own + items)
        {
            local = cursor < own ? thread + cursor * threads : cursor - own;
            cursor++;
            if (TryTake(ref job.Claims[local], block)) return true;
        }
        local = -1;
        return false;
    }

    /// <summary>
    /// Claims pack item <paramref name="local"/> of column block <paramref name="block"/> for thread <paramref name="thread"/>:
    /// first the items whose piece of panels (item mod <paramref name="pieces"/>) is ≡ thread (mod
    /// <see cref="GemmJob.Threads"/>), then any still unclaimed. <paramref name="cursor"/> walks that sequence.
    /// </summary>
    private static bool TryClaimOwnedPack(ref GemmJob job, int thread, int items, int pieces, int block, ref int cursor, out int local)
    {
        int threads = job.Threads;
        while (cursor < 2 * items)
        {
            int c = cursor++;
            local = c < items ? c : c - items;
            if (c < items && local % pieces % threads != thread) continue;
            if (TryTake(ref job.PackClaims[local], block)) return true;
        }
        local = -1;
        return false;
    }

    /// <summary>Takes an item whose claim flag still reads <paramref name="block"/> (unclaimed in that column block): block → block + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryTake(ref int flag, int block)
    {
        if (Volatile.Read(ref flag) != block || Interlocked.CompareExchange(ref flag, block + 1, block) != block) return false;
        if (GemmThreadPool.Trace is not null) GemmPoolTrace.t_items++;
        return true;
    }

    /// <summary>Claims the next item below <paramref name="limit"/>, or returns false when none is left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryClaim(ref int next, int limit, out int item)
    {
        while (true)
        {
            item = Volatile.Read(ref next);
            if (item >= limit) return false;
            if (Interlocked.CompareExchange(ref next, item + 1, item) == item)
            {
                if (GemmThreadPool.Trace is not null) GemmPoolTrace.t_items++;
                return true;
            }
        }
    }

    /// <summary>Spins (then yields) until <paramref name="done"/> reaches <paramref name="target"/>; false if a thread failed.</summary>
    private static bool WaitFor(ref int done, int target, ref int failed)
    {
        if (Volatile.Read(ref done) >= target) return true;
        long start = GemmThreadPool.Trace is not null ? Stopwatch.GetTimestamp() : 0;
        var spinner = new SpinWait();
        while (Volatile.Read(ref done) < target)
        {
            if (Volatile.Read(ref failed) != 0) return false;
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        if (start != 0) GemmPoolTrace.t_wait += Stopwatch.GetTimestamp() - start;
        return true;
    }

    /// <summary>
    /// Runs the micro-kernel over micro-panels q0..q1 of B̃ against every MR panel of Ã. With <paramref name="bias"/> (the
    /// column block's bias row; the 8×32 Vector512 and 6×16 Vector256 kernels only) every row of the old C is that row, read
    /// from it instead of C.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MacroKernel(in GemmKernelInfo kern, int mc, int kc, int nc, int q0, int q1,
        float* aPack, float* bPack, nint panelStride, float* c, nint ldc, float alpha, float beta, float* tile, float* bias, bool halfTiles)
    {
        Debug.Assert(bias == null || kern.Kind is GemmKernel.V512 or GemmKernel.V256);
        bool v512 = kern.Kind == GemmKernel.V512;
        int mr = kern.MR, nr = kern.NR;
        var kernel = kern.Tile;
        // While a B̃ micro-panel is in use, the next one is fetched from L3 into L2, a few lines
        // per micro-kernel call, so that switching panels does not stall on L3 latency.
        int tiles = (mc + mr - 1) / mr;
        nint panelBytes = panelStride * sizeof(float);
        nint linesPerTile = (panelBytes / 64 + tiles - 1) / tiles;
        for (int q = q0; q < q1; q++)
        {
            int cols = Math.Min(nr, nc - q * nr);
            float* bp = bPack + q * panelStride;
            float* cq = c + q * nr;
            byte* next = (byte*)(bp + panelStride);
            byte* nextEnd = q + 1 < q1 ? next + kc * nr * sizeof(float) : next;
            for (int ir = 0; ir < mc; ir += mr)
            {
                if (Sse.IsSupported)
                    for (nint l = 0; l < linesPerTile && next < nextEnd; l++, next += 64) Sse.Prefetch1(next);
                int rows = Math.Min(mr, mc - ir);
                float* ap = aPack + (nint)ir * kc;
                float* cc = cq + ir * ldc;
                if (rows == mr && cols == nr)
                {
                    if (bias == null) kernel(kc, ap, bp, cc, ldc, alpha, beta);
                    else if (v512) GemmTileV512.Tile8x32Bias(kc, ap, bp, cc, ldc, alpha, beta, bias + q * nr);
                    else GemmTileV256.Tile6x16Bias(kc, ap, bp, cc, ldc, alpha, beta, bias + q * nr);
                }
                else if (v512 && rows == mr && cols == 16 && halfTiles)
                {
                    // A last panel of exactly 16 columns (n ≡ 16 mod 32, e.g. the 784 inputs of an MNIST layer's weight
                    // gradient): the left half of the tile only, straight into C.
                    if (bias == null) GemmTileV512.Tile8x16(kc, ap, bp, cc, ldc, alpha, beta);
                    else GemmTileV512.Tile8x16Bias(kc, ap, bp, cc, ldc, alpha, beta, bias + q * nr);
                }
                else
                {
                    kernel(kc, ap, bp, tile, nr, 1f, 0f);
                    if (bias == null) StoreEdge(tile, nr, cc, ldc, rows, cols, alpha, beta, cc, ldc);
                    else StoreEdge(tile, nr, cc, ldc, rows, cols, alpha, beta, bias + q * nr, 0);
                }
            }
        }
    }

    /// <summary>
    /// <see cref="MacroKernel"/> for the 6×16 Vector256 kernel with op(A) read in place
    /// (<c>op(A)(i, p) = a[i·rsA + p·csA]</c>) rather than from a packed Ã; with <paramref name="bias"/> (the column block's
    /// bias row) every row of the old C is that row, read from it instead of C.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MacroKernelStrided(int mc, int kc, int nc, int q0, int q1, float* a, nint rsA, nint csA,
        float* bPack, nint panelStride, float* c, nint ldc, float alpha, float beta, float* tile, float* bias)
    {
        const int mr = 6, nr = 16;
        for (int q = q0; q < q1; q++)
        {
            int cols = Math.Min(nr, nc - q * nr);
            float* bp = bPack + q * panelStride;
            float* cq = c + q * nr;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                float* ap = a + ir * rsA;
                float* cc = cq + ir * ldc;
                if (rows == mr && cols == nr)
                {
                    if (bias == null) GemmTileV256Strided.Tile6x16(kc, ap, rsA, csA, rows, bp, cc, ldc, alpha, beta);
                    else GemmTileV256Strided.Tile6x16Bias(kc, ap, rsA, csA, rows, bp, cc, ldc, alpha, beta, bias + q * nr);
                }
                else
                {
                    GemmTileV256Strided.Tile6x16(kc, ap, rsA, csA, rows, bp, tile, nr, 1f, 0f);
                    if (bias == null) StoreEdge(tile, nr, cc, ldc, rows, cols, alpha, beta, cc, ldc);
                    else StoreEdge(tile, nr, cc, ldc, rows, cols, alpha, beta, bias + q * nr, 0);
                }
            }
        }
    }

    /// <summary>Rows 0 … <paramref name="rows"/> − 1, columns [<paramref name="c0"/>, <paramref name="c1"/>) of C = the bias row's entries.</summary>
    private static void FillBias(float* c, nint ldc, float* bias, int rows, int c0, int c1)
    {
        var source = new ReadOnlySpan<float>(bias + c0, c1 - c0);
        for (int i = 0; i < rows; i++) source.CopyTo(new Span<float>(c + i * ldc + c0, c1 - c0));
    }

    /// <summary>
    /// Writes the valid rows×cols corner of a full tile with the kernels' own update rule, the old C of row i read at
    /// <c>old + i·<paramref name="oldLd"/></c>: C itself (<c>old = c</c>, <c>oldLd = ldc</c>) or a bias row (<c>oldLd = 0</c>):
    /// <c>C[i][j] = fma(alpha, t[i][j], beta·old[i][j])</c>, or <c>alpha·t[i][j]</c> when <c>beta == 0</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StoreEdge(float* tile, int nr, float* c, nint ldc, int rows, int cols, float alpha, float beta, float* old, nint oldLd)
    {
        for (int i = 0; i < rows; i++)
        {
            float* t = tile + i * nr;
            float* ci = c + i * ldc;
            float* oi = old + i * oldLd;
            if (beta == 0)
                for (int j = 0; j < cols; j++) ci[j] = alpha * t[j];
            else
                for (int j = 0; j < cols; j++) ci[j] = MathF.FusedMultiplyAdd(alpha, t[j], beta * oi[j]);
        }
    }

    /// <summary>
    /// The column panels <c>[start, end)</c> of piece <paramref name="piece"/> of <paramref name="pieces"/> when a column
    /// block of <paramref name="columns"/> columns is split in items (each item packing and computing its own panels of
    /// <paramref name="nr"/> columns): <see cref="Partition"/>, except that a last panel of exactly 16 columns on the 8×32
    /// kernel, which costs half a panel (<see cref="HalfTiles"/>), counts half: the busiest piece never gets more work than
    /// with <see cref="Partition"/>, and two pieces differ by at most half a panel (∂W₁ of an MNIST layer, 784 columns at
    /// two threads: 12 and 12½ panels instead of 13 and 11½).
    /// </summary>
    public static (int Start, int End) PanelPiece(int columns, int nr, int pieces, int piece) => PanelPiece(columns, nr, pieces, piece, HalfTiles);

    /// <summary><see cref="PanelPiece(int, int, int, int)"/> with the half-tile setting of the product (<see cref="GemmJob.HalfTiles"/>).</summary>
    internal static (int Start, int End) PanelPiece(int columns, int nr, int pieces, int piece, bool halfTiles)
    {
        int panels = (columns + nr - 1) / nr;
        if (!(halfTiles && nr == 32 && panels > 1 && columns - (panels - 1) * nr == 16)) return Partition(panels, pieces, piece);
        int halves = 2 * panels - 1;
        int Start(int p) => p >= pieces ? panels : (int)(((long)halves * p / pieces + 1) / 2);
        return (Start(piece), Start(piece + 1));
    }

    /// <summary>Contiguous share <c>[start, end)</c> of <paramref name="count"/> items for piece <paramref name="piece"/> of <paramref name="pieces"/>.</summary>
    public static (int Start, int End) Partition(int count, int pieces, int piece)
    {
        Debug.Assert(pieces >= 1 && piece >= 0 && piece < pieces);
        int q = count / pieces, r = count % pieces;
        int start = piece * q + Math.Min(piece, r);
        return (start, start + q + (piece < r ? 1 : 0));
    }
}
