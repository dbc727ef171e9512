using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics;

/// <summary>
/// The in-place path for narrow, short and shallow products: <c>C = alpha·op(A)·op(B) + beta·C</c> with
/// op(A) never packed and op(B) read where it lies whenever its rows are contiguous. It serves the three products of
/// a training step that the packed 8×32 algorithm computes badly:
/// <list type="bullet">
/// <item>n ≤ 16 (the forward product <c>X·Wᵀ</c> of an output layer with 10 classes): tiles of up to 12 rows × one
/// 16-wide vector, the last columns masked, instead of 8×32 tiles of which 22 columns are padding;</item>
/// <item>m ≤ 12 with B not transposed (the weight gradient <c>dYᵀ·X</c> of that layer): one tile of m rows × 32
/// columns streams B once, no packing at all (the packed path copied all of X and padded 10 rows to 16);</item>
/// <item>k ≤ <see cref="MaxShallowDepth"/> with B not transposed (the input gradient <c>dY·W</c> through that
/// layer): an outer-product sum of k rank-1 updates, C written once, nothing packed;</item>
/// <item><c>Aᵀ·B</c> with k·n ≤ <see cref="MaxTransposedABElements"/> (the weight gradient <c>dYᵀ·X</c> of a small
/// first layer: 128 rows × 64 inputs at batch 128): op(A)'s broadcasts are contiguous and B stays in L2, nothing packed.</item>
/// </list>
/// Loop nest (B̃ strip = a kc×16·V block of op(B): the caller's rows when op(B) = B and the strip is full, else
/// packed zero-padded on the stack):
/// <code>
/// B not transposed:                          B transposed:
/// for pc in k blocks (DepthStep)              for j in 0..n step 16·V        // column strip
///   pack the last partial strip                 for pc in k blocks
///   for row tiles (heights ≤ 12, see below)        pack the strip
///     for j in 0..n step 16·V                     for row tiles
///       tile(rows, B rows in place or packed)       tile(rows, packed strip)
/// (beta applies at pc = 0, then 1; row tiles have nearly equal heights: ≤ 12 rows with one vector per row, with
/// two all m rows when m ≤ 12, else ≤ 8)
/// </code>
/// Each element of C is the same chain of fused multiply-adds over the same k blocks as on every other path, so
/// results are bit-identical to them, and to themselves on any number of threads.
/// <para>Large shallow products (k ≤ 16, B not transposed, m·n ≥ <see cref="LargeShallowOutputs"/>: the input gradient
/// NN 256×10×256 through a 10-class output layer) are bound by writing C, not by their multiply-adds: their stores are
/// kept on whole 64-byte lines (<see cref="AlignShallow"/>) and they are split over the threads below
/// <see cref="Gemm.ParallelWork"/> (<see cref="AutoThreads"/>). Smaller ones of depth k ≤ <see cref="MaxWindowDepth"/> (C from
/// 64 to 256 KiB) store whole lines too, on C's line windows (<see cref="LineWindows"/>).</para>
/// <para>Two tile widths: on AVX-512 (the Vector512 kernel) <see cref="GemmTileV512InPlace"/>, 16-float vectors (strips of
/// 16 or 32 columns, tiles of up to 12 rows); on the Vector256 (AVX2) kernel <see cref="GemmTileV256InPlace"/>, 8-float
/// vectors (strips of 8 or 16 columns, tiles of up to 12 rows with one vector and 6 with two: 16 ymm registers). The
/// numbers in the list above are the Vector512 ones; with 8-float vectors a product takes the path for n ≤ 16, m ≤ 6
/// or k ≤ 16 (B not transposed), see <see cref="Fits"/>.</para>
/// </summary>
[SkipLocalsInit]
internal static unsafe class GemmInPlace
{
    /// <summary>Products of depth at most this (B not transposed) take the path whatever m and n.</summary>
    public const int MaxShallowDepth = 16;

    /// <summary>Products with at most this many columns take the path (one 16-wide vector per row).</summary>
    public const int MaxNarrowColumns = 16;

    /// <summary>
    /// Whether <see cref="Gemm"/> picks this path on its own for a product on <paramref name="kernel"/> (resolved): the
    /// Vector512 kernel on AVX-512 hardware, or the Vector256 kernel on AVX2 hardware (16 ymm registers: its own tiles).
    /// </summary>
    public static bool IsPreferredKernel(GemmKernel kernel) =>
        kernel == GemmKernel.V512 ? Vector512.IsHardwareAccelerated : kernel == GemmKernel.V256 && Vector256.IsHardwareAccelerated && OnVector256;

    /// <summary>
    /// Whether <see cref="GemmPath.Auto"/> takes the path on the Vector256 kernel (default true; false: the packed path
    /// those products took before session 10). Set only by the bench's interleaved A/B (<c>steps --ab-inplace</c>).
    /// </summary>
    internal static bool OnVector256 { get; set; } = true;

    /// <summary>
    /// Whether a large shallow product (<see cref="SplitsLargeShallow"/>'s shapes) whose C rows all start at the same
    /// offset inside a 64-byte line (ldc a multiple of 16) but not on a line boundary computes the columns before the
    /// first boundary apart (one masked vector per row), so that the strips of the rest start on a boundary and every one
    /// of their stores is one whole line: a 64-byte store that straddles two lines costs two, and on such a product
    /// writing C is most of the time (NN 256×10×256: 256 KiB of C for 10 multiply-adds per element; measured in
    /// docs/algorithms/gemm.md). Default <see cref="StraddlingStoresCostly"/> (on AMD Zen 5 the extra pass over the head columns
    /// costs more than the straddling stores it saves); set only by the bench's interleaved A/B (<c>gemm-quick --variant
    /// align=0|align=1</c>) and by tests that exercise the rule on any machine.
    /// </summary>
    internal static bool AlignShallow { get; set; } = StraddlingStoresCostly;

    /// <summary>
    /// Whether a 64-byte store that straddles two cache lines costs this machine about two whole-line stores, so that
    /// <see cref="AlignShallow"/> and <see cref="LineWindows"/> pay: true on Intel Xeon (sessions 14-15: NN 256×10×256 with C
    /// off a line boundary 14.1 → 10.8 µs aligned, NN 128×4×128 3.5 → 2.5 µs on windows), false on AMD processors (CPUID
    /// vendor <c>AuthenticAMD</c>): on Zen 5 both rules made those products slower (NN 256×10×256 with C 4 floats past a
    /// boundary 6.3–6.5 µs without against 7.0–7.4 with; NN 128×4×128 0.95 against 1.13 µs; docs/algorithms/gemm.md,
    /// "AMD Zen 5 (session 20)"). Store costs are not reported by the processor, hence the vendor.
    /// </summary>
    public static bool StraddlingStoresCostly { get; } = !Processor.IsAmd;

    /// <summary>
    /// Whether shallow products (<see cref="UsesWideTiles"/>: B not transposed, k ≤ <see cref="MaxShallowDepth"/>, on the
    /// 16-float tiles) with at least <see cref="WideColumns"/> columns run tiles of up to 6 rows × 64 columns (four vectors,
    /// 24 accumulators) instead of up to 8 × 32: 4 B loads and 6 broadcasts per 24 fused multiply-adds instead of 2 and 8 per
    /// 16, and each row's 256 bytes of C stored in one run. Default: on AMD processors (not <see cref="StraddlingStoresCostly"/>),
    /// where it was measured (Zen 5: NN 256×10×256 6.0–6.3 → 5.8–5.9 µs, NN 128×10×128 1.60–1.74 → 1.52–1.60 µs, NN
    /// 256×1×256 2.0–2.4 → 1.7–2.0 µs; docs/algorithms/gemm.md, "AMD Zen 5 (session 20)"); on Intel Xeon a 4-row × 64-column
    /// tile measured slower than 8 × 32 (session 14). Set only by the bench's interleaved A/B (<c>gemm-quick --variant
    /// wide=0|wide=1</c>) and by tests that exercise both tiles on any machine; read once per product.
    /// </summary>
    internal static bool WideShallowTiles { get; set; } = !StraddlingStoresCostly;

    /// <summary>The fewest columns for which a shallow product runs the 64-column tiles (<see cref="WideShallowTiles"/>): one whole strip.</summary>
    public const int WideColumns = 64;

    /// <summary>
    /// Whether a product may run the 64-column tiles (<see cref="WideShallowTiles"/> on, 16-float tiles, B not transposed,
    /// k ≤ <see cref="MaxShallowDepth"/>); the tiles are then used where it has at least <see cref="WideColumns"/> columns.
    /// </summary>
    public static bool UsesWideTiles(bool transposeB, int k, bool v256) =>
        WideShallowTiles && !v256 && !transposeB && k <= MaxShallowDepth;

    /// <summary>
    /// The fewest elements of C (m·n, 256 KiB) for which a shallow product (k ≤ <see cref="MaxShallowDepth"/>, B not
    /// transposed) on the 16-float tiles is bound by writing C: its stores are aligned (<see cref="AlignShallow"/>) and
    /// it is split over <see cref="Gemm.MaxThreads"/> threads below <see cref="Gemm.ParallelWork"/>
    /// (<see cref="AutoThreads"/>). Measured on NN 256×10×256 (both pay) and NN 128×10×128 (both cost).
    /// </summary>
    public const long LargeShallowOutputs = 1L << 16;

    /// <summary>
    /// Whether a product is a large shallow one: on the 16-float tiles (not <paramref name="v256"/>), B not transposed,
    /// k ≤ <see cref="MaxShallowDepth"/> and m·n ≥ <see cref="LargeShallowOutputs"/>.
    /// </summary>
    public static bool SplitsLargeShallow(bool transposeB, int m, int n, int k, bool v256) =>
        !v256 && !transposeB && k <= MaxShallowDepth && (long)m * n >= LargeShallowOutputs;

    /// <summary>
    /// Whether a shallow product (<see cref="WritesLineWindows"/>'s shapes) whose C rows all start at the same offset
    /// inside a 64-byte line (ldc a multiple of 16), not on a line boundary, is computed on C's line windows: each row's
    /// 16-float vectors start on the line boundary before its first column, op(B) is copied once per call into a strip
    /// shifted by that offset (zeros before and after), and the tiles store whole lines, masking only the first and last
    /// window of a row (<see cref="GemmTileV512InPlace.Tile(int, int, int, int, float*, nint, nint, float*, nint, float*, nint, float, float, int, int)"/>'s
    /// lo and cols). A 64-byte store that straddles two lines costs about two, and on these products the stores are
    /// most of the time (NN 128×1×128: 1.9 µs with C on a boundary, 2.9–3.5 µs off one; docs/algorithms/gemm.md, session 15).
    /// Default <see cref="StraddlingStoresCostly"/> (on AMD Zen 5 the windows cost more than they save); set only by the
    /// bench's interleaved A/B (<c>gemm-quick --variant windows=0|windows=1</c>) and by tests that exercise the rule on any machine.
    /// </summary>
    internal static bool LineWindows { get; set; } = StraddlingStoresCostly;

    /// <summary>
    /// The fewest elements of C (m·n, 64 KiB: more than a 48 KiB L1 holds) for which a shallow product is computed on
    /// line windows (<see cref="LineWindows"/>); from <see cref="LargeShallowOutputs"/> on, the large shallow rule applies
    /// instead. Measured: NN 64×10×128 (C 32 KiB) took 1.9 µs on windows against 1.5 without (session 15).
    /// </summary>
    public const long LineWindowOutputs = 1L << 14;

    /// <summary>
    /// The deepest products computed on line windows (<see cref="LineWindows"/>): at k ≤ 4 the stores are most of the
    /// time (NN 128×4×128 off a boundary: 2.5–3.2 µs on windows against 3.5–3.8 without); by k = 8–10 the extra window
    /// per row (9 vectors instead of 8 at n = 128) and its call cost as much as the straddling stores they save, or more
    /// (128×10×128: 3.7 against 3.6 µs; docs/algorithms/gemm.md, session 15).
    /// </summary>
    public const int MaxWindowDepth = 4;

    /// <summary>Floats of the strip buffer <see cref="Run"/> packs op(B) into (a kc × 32 strip, or the shifted copy of a line-window product).</summary>
    private const int StripFloats = GemmKernelInfo.BlockDepth * 32;

    /// <summary>
    /// Whether a product's shape is one <see cref="LineWindows"/> applies to when C is off a line boundary: on the
    /// 16-float tiles (not <paramref name="v256"/>), B not transposed, k ≤ <see cref="MaxWindowDepth"/>, more than 16
    /// columns, <see cref="LineWindowOutputs"/> ≤ m·n &lt; <see cref="LargeShallowOutputs"/> (larger ones keep
    /// <see cref="AlignShallow"/>, measured on NN 256×10×256 in session 14), and the shifted copy of op(B) (k × (n + 15) rounded up to 16) fits
    /// the strip buffer (n ≤ 2033 at k = 4).
    /// </summary>
    public static bool WritesLineWindows(bool transposeB, int m, int n, int k, bool v256) =>
        !v256 && !transposeB && k <= MaxWindowDepth && n > MaxNarrowColumns && (long)m * n >= LineWindowOutputs
        && (long)m * n < LargeShallowOutputs
        && (long)k * ((n + 15 + 15) / 16 * 16) <= StripFloats;

    /// <summary>
    /// The threads <see cref="Gemm"/> gives a product on this path unless told: <see cref="Gemm.MaxThreads"/> for a
    /// large shallow product (<see cref="SplitsLargeShallow"/>: writing its C, 256 KiB or more, is split over the cores;
    /// on NN 256×10×256 two threads take 8–9.5 µs against 13–14.6 on one), else <see cref="Gemm.AutoThreads"/>.
    /// </summary>
    public static int AutoThreads(bool transposeB, int m, int n, int k, bool v256) =>
        SplitsLargeShallow(transposeB, m, n, k, v256) ? Gemm.MaxThreads : Gemm.AutoThreads(m, n, k);

    /// <summary>Whether a product on <paramref name="kernel"/> (Auto resolved) runs the 8-float tiles (<see cref="GemmTileV256InPlace"/>): the Vector256 kernel; every other kernel runs the 16-float ones.</summary>
    public static bool NarrowTiles(GemmKernel kernel) =>
        (kernel == GemmKernel.Auto ? GemmKernelInfo.AutoKind : kernel) == GemmKernel.V256;

    /// <summary>
    /// Products <c>Aᵀ·B</c> whose op(B) has at most this many elements (k·n) take the path whatever m: a tile's
    /// broadcasts of op(A) are then consecutive floats of one row of the stored A, and op(B) (≤ 128 KiB) stays in L2
    /// while every row tile streams it, so packing either costs more than it saves.
    /// </summary>
    public const long MaxTransposedABElements = 1L << 15;

    /// <summary>
    /// The shapes the path is chosen for (see the class summary): narrow, few rows, shallow, or Aᵀ·B with a small B; with
    /// the 8-float tiles (<paramref name="v256"/>) "few rows" is one tile of two vectors (m ≤ 6).
    /// </summary>
    public static bool Fits(bool transposeA, bool transposeB, int m, int n, int k, bool v256 = false) =>
        n <= MaxNarrowColumns || (!transposeB && (m <= (v256 ? GemmTileV256InPlace.MaxRowsTwoVectors : GemmTileV512InPlace.MaxRows)
            || k <= MaxShallowDepth || (transposeA && (long)k * n <= MaxTransposedABElements)));

    /// <summary>One product, and the share of it one work item computes.</summary>
    private struct Job
    {
        public int M, N, K;
        public float Alpha, Beta;
        public float* A, B, C;
        public nint RsA, CsA, RsB, CsB, Ldc;
        /// <summary>Items split the rows (bands of whole row tiles) rather than the column strips.</summary>
        public bool ByRows;
        /// <summary>The 8-float tiles (<see cref="GemmTileV256InPlace"/>).</summary>
        public bool V256;
        /// <summary>The 64-column tiles where the columns allow (<see cref="UsesWideTiles"/>, read once per product).</summary>
        public bool Wide;
        public int Items;
    }

    /// <summary>
    /// <c>C = alpha·op(A)·op(B) + beta·C</c> with op(A)(i, p) = a[i·rsA + p·csA], op(B)(p, j) = b[p·rsB + j·csB];
    /// any shape (m, n, k ≥ 1), any transposes. With <paramref name="threads"/> &gt; 1 the rows of C (or, for a single
    /// row tile, its column strips) are cut into one contiguous share per thread, run through
    /// <see cref="GemmThreadPool.RunItems"/>; every element is computed by the same chain whoever computes it.
    /// <paramref name="v256"/>: the 8-float tiles (<see cref="GemmTileV256InPlace"/>), else the 16-float ones.
    /// </summary>
    public static void Multiply(int m, int n, int k, float alpha, float* a, nint rsA, nint csA,
        float* b, nint rsB, nint csB, float beta, float* c, nint ldc, int threads, bool v256 = false)
    {
        Debug.Assert(m >= 1 && n >= 1 && k >= 1);
        bool wide = UsesWideTiles(csB != 1, k, v256);
        if (threads <= 1)
        {
            Run(m, n, k, alpha, a, rsA, csA, b, rsB, csB, beta, c, ldc, v256, wide);
            return;
        }
        (bool byRows, int items) = Split(m, n, threads, v256, wide);
        var job = new Job
        {
            M = m, N = n, K = k, Alpha = alpha, Beta = beta, A = a, B = b, C = c,
            RsA = rsA, CsA = csA, RsB = rsB, CsB = csB, Ldc = ldc, ByRows = byRows, V256 = v256, Wide = wide, Items = items,
        };
        GemmThreadPool.RunItems(&RunItem, (nint)(&job), job.Items, threads);
    }

    /// <summary>
    /// How <see cref="Multiply"/> cuts an m×n product over <paramref name="threads"/> (≥ 2): by bands of whole row tiles
    /// when there are at least as many row tiles (of up to <see cref="BandRows"/> rows) as column strips (16 or 32 wide;
    /// 8 or 16 with the 8-float tiles), else by bands of strips; one item per thread, or fewer when there are fewer tiles or strips.
    /// </summary>
    private static (bool ByRows, int Items) Split(int m, int n, int threads, bool v256, bool wide)
    {
        int width = Lanes(v256) * Vectors(n, v256, wide);
        int band = BandRows(n, v256);
        int tiles = (m + band - 1) / band;
        int strips = (n + width - 1) / width;
        bool byRows = tiles >= strips;
        return (byRows, Math.Min(threads, byRows ? tiles : strips));
    }

    /// <summary>
    /// The share of item <paramref name="item"/> of <paramref name="items"/> (see <see cref="Split"/>): rows r0..r1 and
    /// columns j0..j1 of C. Whole row tiles per item, so that every tile keeps 8-12 rows.
    /// </summary>
    private static (int R0, int R1, int J0, int J1) Share(int m, int n, bool byRows, int items, int item, bool v256, bool wide)
    {
        if (byRows)
        {
            int band = BandRows(n, v256);
            int tiles = (m + band - 1) / band;
            (int t0, int t1) = GemmDriver.Partition(tiles, items, item);
            return ((int)((long)m * t0 / tiles), (int)((long)m * t1 / tiles), 0, n);
        }
        int width = Lanes(v256) * Vectors(n, v256, wide);
        int strips = (n + width - 1) / width;
        (int s0, int s1) = GemmDriver.Partition(strips, items, item);
        return (0, m, s0 * width, Math.Min(n, s1 * width));
    }

    /// <summary>Floats per vector: 8 for the 8-float tiles (<paramref name="v256"/>), else 16.</summary>
    private static int Lanes(bool v256) => v256 ? 8 : 16;

    /// <summary>
    /// Vectors per tile row: one for products of at most one vector's columns (16, or 8 with the 8-float tiles); four
    /// (64 columns) for <paramref name="wide"/> products (<see cref="UsesWideTiles"/>) of at least <see cref="WideColumns"/>
    /// columns; else two (32 or 16 columns per strip).
    /// </summary>
    private static int Vectors(int n, bool v256, bool wide) => n <= Lanes(v256) ? 1 : wide && n >= WideColumns ? 4 : 2;

    /// <summary>The rows of the bands a threaded product is shared out in: 12 (as many as a one-vector tile), or 6 with the 8-float tiles and two vectors.</summary>
    private static int BandRows(int n, bool v256) =>
        v256 && Vectors(n, v256, false) == 2 ? GemmTileV256InPlace.MaxRowsTwoVectors : GemmTileV512InPlace.MaxRows;

    /// <summary>
    /// The row tiles <see cref="Run"/> cuts m rows into, with <paramref name="vectors"/> vectors per row. 16-float tiles:
    /// up to 12 rows with one vector (12 accumulators); with two, one tile of all rows when m ≤ 12, else tiles of up to
    /// 8 rows (16 accumulators; measured a few % faster than 12 on NN 256×10×256). 8-float tiles (16 ymm registers): up
    /// to 12 rows with one vector, 6 with two (12 accumulators). Heights are nearly equal: the first
    /// <c>TallTiles</c> tiles have <c>BaseRows</c> + 1 rows, the others <c>BaseRows</c>.
    /// </summary>
    internal static (int Tiles, int BaseRows, int TallTiles) TileRows(int m, int vectors, bool v256)
    {
        int maxRows = v256 ? (vectors == 1 ? GemmTileV256InPlace.MaxRows : GemmTileV256InPlace.MaxRowsTwoVectors)
            : vectors == 4 ? GemmTileV512InPlace.MaxRowsFourVectors
            : vectors == 1 || m <= GemmTileV512InPlace.MaxRows ? GemmTileV512InPlace.MaxRows : 8;
        int tiles = (m + maxRows - 1) / maxRows;
        return (tiles, m / tiles, m % tiles);
    }

    /// <summary>
    /// Compiles ahead (<see cref="Numerics.Precompile"/>), without running anything, the code <see cref="Multiply"/> runs
    /// for an m×n product on <paramref name="threads"/> threads: <see cref="Run"/>, the packing of a partial strip and
    /// the tile bodies of the heights each item's rows are cut into (<see cref="GemmTileV512InPlace.Precompile"/>,
    /// <see cref="GemmTileV256InPlace.Precompile"/>); <paramref name="v256"/>: the 8-float tiles (default: those of this
    /// machine's kernel, <see cref="NarrowTiles"/>); <paramref name="largeShallow"/> (<see cref="SplitsLargeShallow"/>): also
    /// the one-vector tiles of the columns before C's first line boundary (<see cref="AlignShallow"/>).
    /// </summary>
    public static void Precompile(int m, int n, int threads, bool? v256 = null, bool largeShallow = false, bool lineWindows = false,
        bool wide = false)
    {
        Debug.Assert(m >= 1 && n >= 1);
        bool narrow = v256 ?? NarrowTiles(GemmKernel.Auto);
        wide &= !narrow;
        PrecompileDriver();
        if (threads <= 1)
        {
            PrecompileTiles(m, n, narrow, wide);
            if (largeShallow) PrecompileTiles(m, 1, narrow, wide);
            if (lineWindows) PrecompileWindowTail(m, narrow);
            return;
        }
        (bool byRows, int items) = Split(m, n, threads, narrow, wide);
        for (int item = 0; item < items; item++)
        {
            (int r0, int r1, int j0, int j1) = Share(m, n, byRows, items, item, narrow, wide);
            PrecompileTiles(r1 - r0, j1 - j0, narrow, wide);
            if (largeShallow) PrecompileTiles(r1 - r0, 1, narrow, wide);   // the columns before C's first line boundary (AlignShallow)
            if (lineWindows) PrecompileWindowTail(r1 - r0, narrow);
        }
    }

    /// <summary>The one-vector tiles a line-window product (<see cref="LineWindows"/>) runs its odd last window with: the two-vector tiles' heights.</summary>
    private static void PrecompileWindowTail(int m, bool v256)
    {
        if (v256) return;
        (_, int baseRows, int tallTiles) = TileRows(m, 2, v256);
        GemmTileV512InPlace.Precompile(baseRows, 1);
        if (tallTiles > 0) GemmTileV512InPlace.Precompile(baseRows + 1, 1);
    }

    /// <summary>
    /// Compiles ahead the path's code that does not depend on the shape: <see cref="Run"/> and the packing of a partial
    /// strip (<see cref="Precompile"/> adds the tile bodies of a shape).
    /// </summary>
    public static void PrecompileDriver()
    {
        Numerics.Precompile.Method(typeof(GemmInPlace), nameof(Run));
        Numerics.Precompile.Method(typeof(GemmInPlace), nameof(RunLineWindows));
        Numerics.Precompile.Method(typeof(GemmPacking), nameof(GemmPacking.PackB));
    }

    /// <summary>The tile bodies <see cref="Run"/> calls for an m×n product: one or two heights (<see cref="TileRows"/>).</summary>
    private static void PrecompileTiles(int m, int n, bool v256, bool wide)
    {
        int vectors = Vectors(n, v256, wide);
        (_, int baseRows, int tallTiles) = TileRows(m, vectors, v256);
        if (v256)
        {
            GemmTileV256InPlace.Precompile(baseRows, vectors);
            if (tallTiles > 0) GemmTileV256InPlace.Precompile(baseRows + 1, vectors);
            return;
        }
        GemmTileV512InPlace.Precompile(baseRows, vectors);
        if (tallTiles > 0) GemmTileV512InPlace.Precompile(baseRows + 1, vectors);
    }

    /// <summary>Item <paramref name="item"/> of the job at <paramref name="state"/>: a band of rows or of column strips.</summary>
    private static void RunItem(int item, nint state)
    {
        ref Job job = ref *(Job*)state;
        (int r0, int r1, int j0, int j1) = Share(job.M, job.N, job.ByRows, job.Items, item, job.V256, job.Wide);
        Run(r1 - r0, j1 - j0, job.K, job.Alpha, job.A + r0 * job.RsA, job.RsA, job.CsA, job.B + j0 * job.CsB, job.RsB, job.CsB,
            job.Beta, job.C + r0 * job.Ldc + j0, job.Ldc, job.V256, job.Wide);
    }

    /// <summary>The whole product on the calling thread (the loop nest of the class summary).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(int m, int n, int k, float alpha, float* a, nint rsA, nint csA,
        float* b, nint rsB, nint csB, float beta, float* c, nint ldc, bool v256, bool wide)
    {
        Debug.Assert(m >= 1 && n >= 1 && k >= 1);
        int offset = (int)(((nint)c & 63) >> 2);   // C's offset in floats past a 64-byte line boundary
        if (LineWindows && offset != 0 && ((nint)c & 3) == 0 && ldc % 16 == 0 && csB == 1 && WritesLineWindows(false, m, n, k, v256))
        {
            RunLineWindows(m, n, k, alpha, a, rsA, csA, b, rsB, beta, c, ldc, offset);
            return;
        }
        int head = 16 - offset;   // columns before C's first 64-byte line boundary (16: on one)
        if (AlignShallow && head < 16 && n > head && ldc % 16 == 0 && SplitsLargeShallow(csB != 1, m, n, k, v256))
        {
            // A shallow product writes C at the cost of its multiply-adds: run the columns up to C's first 64-byte line
            // boundary on their own (one masked vector per row), so that the strips of the rest start on a boundary and
            // every one of their stores is one whole line (see AlignShallow). Neither part comes back here: the head is
            // all of its product's columns (n = head), the rest starts on a boundary.
            Run(m, head, k, alpha, a, rsA, csA, b, rsB, 1, beta, c, ldc, v256, wide);
            Run(m, n - head, k, alpha, a, rsA, csA, b + head, rsB, 1, beta, c + head, ldc, v256, wide);
            return;
        }
        int vectors = Vectors(n, v256, wide), width = Lanes(v256) * vectors;
        int kStep = GemmKernelInfo.DepthStep(k);
        (int tiles, int baseRows, int tallTiles) = TileRows(m, vectors, v256);   // the first tallTiles tiles have one row more
        float* stripBuffer = stackalloc float[StripFloats + 16];
        float* strip = (float*)(((nint)stripBuffer + 63) & ~(nint)63);
        if (csB == 1)
        {
            // B's rows are contiguous: full strips are read in place, only the last partial strip is packed (once
            // per k block). Row tiles outermost, so C is written row band by row band, streaming.
            int fullStrips = n / width, lastCols = n - fullStrips * width;
            for (int pc = 0; pc < k; pc += kStep)
            {
                int kc = Math.Min(kStep, k - pc);
                float be = pc == 0 ? beta : 1f;
                float* bk = b + pc * rsB;
                if (lastCols > 0)
                    GemmPacking.PackB(strip, bk + fullStrips * width, rsB, 1, kc, lastCols, width, 0, 1, (nint)width * kc);
                int i0 = 0;
                for (int t = 0; t < tiles; t++)
                {
                    int rows = baseRows + (t < tallTiles ? 1 : 0);
                    float* at = a + i0 * rsA + pc * csA;
                    float* ct = c + i0 * ldc;
                    if (fullStrips > 0)
                        Tile(v256, rows, vectors, fullStrips, kc, at, rsA, csA, bk, rsB, ct, ldc, alpha, be, width);
                    if (lastCols > 0)
                        Tile(v256, rows, vectors, 1, kc, at, rsA, csA, strip, width, ct + fullStrips * width, ldc, alpha, be, lastCols);
                    i0 += rows;
                }
            }
            return;
        }
        // A transposed B: each strip is packed (kc×16·V, zero-padded) once and used by every row tile.
        for (int j = 0; j < n; j += width)
        {
            int cols = Math.Min(width, n - j);
            for (int pc = 0; pc < k; pc += kStep)
            {
                int kc = Math.Min(kStep, k - pc);
                float be = pc == 0 ? beta : 1f;
                GemmPacking.PackB(strip, b + pc * rsB + j * csB, rsB, csB, kc, cols, width, 0, 1, (nint)width * kc);
                int i0 = 0;
                for (int t = 0; t < tiles; t++)
                {
                    int rows = baseRows + (t < tallTiles ? 1 : 0);
                    Tile(v256, rows, vectors, 1, kc, a + i0 * rsA + pc * csA, rsA, csA, strip, width,
                        c + i0 * ldc + j, ldc, alpha, be, cols);
                    i0 += rows;
                }
            }
        }
    }

    /// <summary>
    /// A shallow product on C's line windows (<see cref="LineWindows"/>): C's rows start <paramref name="offset"/> (1..15)
    /// floats past a line boundary (ldc a multiple of 16), k ≤ <see cref="MaxWindowDepth"/> (one k block). op(B) is copied into B̃ (k rows of
    /// <c>w = ⌈(offset + n)/16⌉·16</c> floats: <c>B̃[p][offset + j] = B[p][j]</c>, zeros elsewhere), and each row tile computes
    /// its rows' windows from the boundary <c>c − offset</c>: two-vector strips, the first storing from lane offset, the
    /// last up to <c>offset + n</c>, and a one-vector strip for an odd last window. The same chains as every other path
    /// (a zero lane of B̃ feeds only lanes that are not stored).
    /// </summary>
    private static void RunLineWindows(int m, int n, int k, float alpha, float* a, nint rsA, nint csA, float* b, nint rsB,
        float beta, float* c, nint ldc, int offset)
    {
        int windows = (offset + n + 15) / 16;
        int width = windows * 16;
        Debug.Assert(k <= MaxWindowDepth && windows >= 2 && (long)k * width <= StripFloats);
        float* buffer = stackalloc float[StripFloats + 16];
        float* bt = (float*)(((nint)buffer + 63) & ~(nint)63);
        for (int p = 0; p < k; p++)
        {
            float* row = bt + p * width;
            Vector512<float>.Zero.Store(row);
            Vector512<float>.Zero.Store(row + width - 16);
            new ReadOnlySpan<float>(b + p * rsB, n).CopyTo(new Span<float>(row + offset, n));
        }
        int pairs = windows / 2;
        bool odd = windows % 2 != 0;
        int lastCols = odd ? 32 : offset + n - 32 * (pairs - 1);   // columns the last two-vector strip stores
        (int tiles, int baseRows, int tallTiles) = TileRows(m, 2, false);
        float* c0 = c - offset;
        int i0 = 0;
        for (int t = 0; t < tiles; t++)
        {
            int rows = baseRows + (t < tallTiles ? 1 : 0);
            float* at = a + i0 * rsA;
            float* ct = c0 + i0 * ldc;
            GemmTileV512InPlace.Tile(rows, 2, pairs, k, at, rsA, csA, bt, width, ct, ldc, alpha, beta, lastCols, offset);
            if (odd)
                GemmTileV512InPlace.Tile(rows, 1, 1, k, at, rsA, csA, bt + 32 * pairs, width, ct + 32 * pairs, ldc, alpha, beta, offset + n - 32 * pairs);
            i0 += rows;
        }
    }

    /// <summary>The tiles of one row band: <see cref="GemmTileV256InPlace"/> (<paramref name="v256"/>) or <see cref="GemmTileV512InPlace"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(bool v256, int rows, int vectors, int strips, int kc, float* a, nint rsA, nint csA, float* b, nint rsB,
        float* c, nint ldc, float alpha, float beta, int cols)
    {
        if (v256) GemmTileV256InPlace.Tile(rows, vectors, strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols);
        else GemmTileV512InPlace.Tile(rows, vectors, strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols);
    }
}
