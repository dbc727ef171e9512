using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics;

/// <summary>A compile-time integer for generic specialization: the JIT compiles one body per struct type argument and folds <see cref="Value"/>.</summary>
internal interface IGemmCount
{
    static abstract int Value { get; }
}

/// <summary>
/// The Vector512 micro-kernel of the in-place path (<see cref="GemmInPlace"/>): a tile of R rows (1 ≤ R ≤ 12, a type
/// argument, so each row count is its own compiled body with no padding rows) × 16·V columns (V = 1 or 2 vectors per
/// row; or V = 4 with R ≤ 6, the shallow products' 64-column tiles, docs/algorithms/gemm.md "AMD Zen 5 (session 20)"), with op(A) read in place, <c>op(A)(i, p) = a[i·rsA + p·csA]</c> (broadcast per fused multiply-add), and B
/// read as kc rows of 16·V contiguous floats at row stride rsB (the caller's B, or a zero-padded strip):
/// <code>
/// acc[i][v] = 0;  for p in 0..kc:  acc[i][v] = fma(op(A)(i, p), B[p·rsB + 16v .. 16v+16], acc[i][v])
/// C[i][j] = alpha·acc[i][j]                      (beta = 0: C is not read)
/// C[i][j] = fma(alpha, acc[i][j], beta·C[i][j])  (otherwise)
/// </code>
/// for lo ≤ j &lt; cols only (masked stores; C outside them is neither read nor written; lo &gt; 0 only in the first strip
/// of a call, cols &lt; 16·V only in its last). Each element is the same chain of
/// fused multiply-adds in the same order as every other kernel of <see cref="Gemm"/>, so results are bit-identical.
/// Registers: R·V accumulators (at most 24), V B vectors and one broadcast, of 32 zmm.
/// </summary>
internal static unsafe class GemmTileV512InPlace
{
    /// <summary>Most rows of a tile of one or two vectors.</summary>
    public const int MaxRows = 12;

    /// <summary>Most rows of a tile of four vectors (64 columns): 24 accumulators, four B vectors and a broadcast of 32 zmm.</summary>
    public const int MaxRowsFourVectors = 6;

    internal readonly struct N1 : IGemmCount { public static int Value => 1; }
    internal readonly struct N2 : IGemmCount { public static int Value => 2; }
    internal readonly struct N3 : IGemmCount { public static int Value => 3; }
    internal readonly struct N4 : IGemmCount { public static int Value => 4; }
    internal readonly struct N5 : IGemmCount { public static int Value => 5; }
    internal readonly struct N6 : IGemmCount { public static int Value => 6; }
    internal readonly struct N7 : IGemmCount { public static int Value => 7; }
    internal readonly struct N8 : IGemmCount { public static int Value => 8; }
    internal readonly struct N9 : IGemmCount { public static int Value => 9; }
    internal readonly struct N10 : IGemmCount { public static int Value => 10; }
    internal readonly struct N11 : IGemmCount { public static int Value => 11; }
    internal readonly struct N12 : IGemmCount { public static int Value => 12; }

    /// <summary>The count types N1..N12 (index: count − 1), the type arguments <see cref="Tile(int, int, int, int, float*, nint, nint, float*, nint, float*, nint, float, float, int, int)"/> (and <see cref="GemmTiny"/>'s tile) instantiates.</summary>
    internal static readonly Type[] Counts =
        [typeof(N1), typeof(N2), typeof(N3), typeof(N4), typeof(N5), typeof(N6), typeof(N7), typeof(N8), typeof(N9), typeof(N10), typeof(N11), typeof(N12)];

    /// <summary>
    /// Compiles ahead (<see cref="Numerics.Precompile"/>), without running it, the body <c>Tile&lt;TRows, TVectors&gt;</c>
    /// that a tile of <paramref name="rows"/> (1..12; 1..6 with four vectors) rows × <paramref name="vectors"/> (1, 2 or 4) vectors runs.
    /// </summary>
    public static void Precompile(int rows, int vectors)
    {
        if (vectors != 4) Preconditions.CheckInRange(vectors, 1, 2);
        Preconditions.CheckInRange(rows, 1, vectors == 4 ? MaxRowsFourVectors : MaxRows);
        Numerics.Precompile.Method(typeof(GemmTileV512InPlace), nameof(Tile), Counts[rows - 1], Counts[vectors - 1]);
    }

    /// <summary>
    /// Runs <paramref name="strips"/> R×16·V tiles side by side (B and C advance by 16·V columns per strip) with
    /// R = <paramref name="rows"/> (1..12; 1..6 when V = 4) and V = <paramref name="vectors"/> (1, 2 or 4); every strip but the last stores
    /// all 16·V columns, the last its first <paramref name="cols"/>; the first strip stores none of its first
    /// <paramref name="lo"/> (0..15) columns (nor reads them when beta ≠ 0): C's row windows aligned to 64-byte lines,
    /// <see cref="GemmInPlace"/>'s line windows.
    /// </summary>
    public static void Tile(int rows, int vectors, int strips, int kc, float* a, nint rsA, nint csA, float* b, nint rsB,
        float* c, nint ldc, float alpha, float beta, int cols, int lo = 0)
    {
        Debug.Assert(rows >= 1 && rows <= (vectors == 4 ? MaxRowsFourVectors : MaxRows));
        switch (vectors)
        {
            case 1: TileOfRows<N1>(rows, strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols, lo); break;
            case 4: TileOfRows<N4>(rows, strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols, lo); break;
            default: TileOfRows<N2>(rows, strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols, lo); break;
        }
    }

    /// <summary><see cref="Tile(int, int, int, int, float*, nint, nint, float*, nint, float*, nint, float, float, int, int)"/> for <typeparamref name="TVectors"/> vectors: the body of <paramref name="rows"/> rows.</summary>
    private static void TileOfRows<TVectors>(int rows, int strips, int kc, float* a, nint rsA, nint csA, float* b, nint rsB,
        float* c, nint ldc, float alpha, float beta, int cols, int lo) where TVectors : struct, IGemmCount
    {
        switch (rows)
        {
            case 1: Tile<N1, TVectors>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols, lo); break;
            case 2: Tile<N2, TVectors>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols, lo); break;
            case 3: Tile<N3, TVectors>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols, lo); break;
            case 4: Tile<N4, TVectors>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols, lo); break;
            case 5: Tile<N5, TVectors>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols, lo); break;
            case 6: Tile<N6, TVectors>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols, lo); break;
            case 7: Tile<N7, TVectors>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols, lo); break;
            case 8: Tile<N8, TVectors>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols, lo); break;
            case 9: Tile<N9, TVectors>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols, lo); break;
            case 10: Tile<N10, TVectors>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols, lo); break;
            case 11: Tile<N11, TVectors>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols, lo); break;
            default: Tile<N12, TVectors>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols, lo); break;
        }
    }

    /// <summary>The tile, specialized per row count <typeparamref name="TRows"/> and vector count <typeparamref name="TVectors"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<TRows, TVectors>(int strips, int kc, float* a, nint rsA, nint csA, float* b, nint rsB,
        float* c, nint ldc, float alpha, float beta, int cols, int lo = 0)
        where TRows : struct, IGemmCount where TVectors : struct, IGemmCount
    {
        int rows = TRows.Value;
        bool two = TVectors.Value >= 2, four = TVectors.Value == 4;
        Debug.Assert(!four || rows <= MaxRowsFourVectors);
        int width = 16 * TVectors.Value;
        bool scaled = alpha != 1 || beta != 0;
        for (int s = 0; s < strips; s++, b += width, c += width)
        {
            // This strip's stored columns lo..hi (the first strip's from lo, the last's below cols; see Tile above).
            int first = s == 0 ? lo : 0, hi = s == strips - 1 ? cols : width;
            bool plain = !scaled && first == 0 && hi == width;
            if (Sse.IsSupported && kc >= 32)
            {
                // C is needed only after the k loop: start fetching it now (a short loop would not hide it).
                float* cp = c;
                for (int i = 0; i < rows; i++, cp += ldc)
                {
                    Sse.Prefetch0(cp);
                    if (two) Sse.Prefetch0(cp + 31);
                    if (four) { Sse.Prefetch0(cp + 32); Sse.Prefetch0(cp + 63); }
                }
            }
            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default,
                c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default,
                c80 = default, c81 = default, c90 = default, c91 = default, c100 = default, c101 = default, c110 = default, c111 = default;
            // Columns 32..63 of rows 0..5 (four vectors only).
            Vector512<float> c02 = default, c03 = default, c12 = default, c13 = default, c22 = default, c23 = default, c32 = default, c33 = default,
                c42 = default, c43 = default, c52 = default, c53 = default;
            // Rows 0..11 as four base pointers (rows 0, 3, 6, 9) plus offsets of one and two rows.
            nint r1 = rsA, r2 = 2 * rsA;
            float* a0 = a, a3 = a + 3 * rsA, a6 = a + 6 * rsA, a9 = a + 9 * rsA, bp = b;
            // The k loop runs on a pointer bound rather than a counter (one general register fewer).
            float* bEnd = bp + kc * rsB;
            while (bp != bEnd)
            {
                Vector512<float> b0 = Vector512.Load(bp);
                Vector512<float> b1 = two ? Vector512.Load(bp + 16) : default;
                Vector512<float> b2 = four ? Vector512.Load(bp + 32) : default;
                Vector512<float> b3 = four ? Vector512.Load(bp + 48) : default;
                Vector512<float> ai;
                { ai = Vector512.Create(a0[0]); c00 = Vector512.FusedMultiplyAdd(ai, b0, c00); if (two) c01 = Vector512.FusedMultiplyAdd(ai, b1, c01); if (four) { c02 = Vector512.FusedMultiplyAdd(ai, b2, c02); c03 = Vector512.FusedMultiplyAdd(ai, b3, c03); } }
                if (rows > 1) { ai = Vector512.Create(a0[r1]); c10 = Vector512.FusedMultiplyAdd(ai, b0, c10); if (two) c11 = Vector512.FusedMultiplyAdd(ai, b1, c11); if (four) { c12 = Vector512.FusedMultiplyAdd(ai, b2, c12); c13 = Vector512.FusedMultiplyAdd(ai, b3, c13); } }
                if (rows > 2) { ai = Vector512.Create(a0[r2]); c20 = Vector512.FusedMultiplyAdd(ai, b0, c20); if (two) c21 = Vector512.FusedMultiplyAdd(ai, b1, c21); if (four) { c22 = Vector512.FusedMultiplyAdd(ai, b2, c22); c23 = Vector512.FusedMultiplyAdd(ai, b3, c23); } }
                if (rows > 3) { ai = Vector512.Create(a3[0]); c30 = Vector512.FusedMultiplyAdd(ai, b0, c30); if (two) c31 = Vector512.FusedMultiplyAdd(ai, b1, c31); if (four) { c32 = Vector512.FusedMultiplyAdd(ai, b2, c32); c33 = Vector512.FusedMultiplyAdd(ai, b3, c33); } }
                if (rows > 4) { ai = Vector512.Create(a3[r1]); c40 = Vector512.FusedMultiplyAdd(ai, b0, c40); if (two) c41 = Vector512.FusedMultiplyAdd(ai, b1, c41); if (four) { c42 = Vector512.FusedMultiplyAdd(ai, b2, c42); c43 = Vector512.FusedMultiplyAdd(ai, b3, c43); } }
                if (rows > 5) { ai = Vector512.Create(a3[r2]); c50 = Vector512.FusedMultiplyAdd(ai, b0, c50); if (two) c51 = Vector512.FusedMultiplyAdd(ai, b1, c51); if (four) { c52 = Vector512.FusedMultiplyAdd(ai, b2, c52); c53 = Vector512.FusedMultiplyAdd(ai, b3, c53); } }
                if (rows > 6) { ai = Vector512.Create(a6[0]); c60 = Vector512.FusedMultiplyAdd(ai, b0, c60); if (two) c61 = Vector512.FusedMultiplyAdd(ai, b1, c61); }
                if (rows > 7) { ai = Vector512.Create(a6[r1]); c70 = Vector512.FusedMultiplyAdd(ai, b0, c70); if (two) c71 = Vector512.FusedMultiplyAdd(ai, b1, c71); }
                if (rows > 8) { ai = Vector512.Create(a6[r2]); c80 = Vector512.FusedMultiplyAdd(ai, b0, c80); if (two) c81 = Vector512.FusedMultiplyAdd(ai, b1, c81); }
                if (rows > 9) { ai = Vector512.Create(a9[0]); c90 = Vector512.FusedMultiplyAdd(ai, b0, c90); if (two) c91 = Vector512.FusedMultiplyAdd(ai, b1, c91); }
                if (rows > 10) { ai = Vector512.Create(a9[r1]); c100 = Vector512.FusedMultiplyAdd(ai, b0, c100); if (two) c101 = Vector512.FusedMultiplyAdd(ai, b1, c101); }
                if (rows > 11) { ai = Vector512.Create(a9[r2]); c110 = Vector512.FusedMultiplyAdd(ai, b0, c110); if (two) c111 = Vector512.FusedMultiplyAdd(ai, b1, c111); }
                a0 += csA;
                if (rows > 3) a3 += csA;
                if (rows > 6) a6 += csA;
                if (rows > 9) a9 += csA;
                bp += rsB;
            }
            Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
            // Two store forms per tile row: plain (full strip, alpha = 1, beta = 0: the training step's products) and masked
            // (all lanes when the strip is full) for every other case. Fewer inlined forms than one per case (full or
            // not, alpha = 1, beta = 0 or 1) cut the JIT's time per instantiation ≈ 2.3× (docs/algorithms/startup.md).
            // Lanes first ≤ j < hi: (uint)(j − first) < (uint)(hi − first); the second vector's lanes are all ≥ 16 > first.
            Vector512<float> m0 = Vector512.LessThan((Vector512<int>.Indices - Vector512.Create(first)).AsUInt32(),
                Vector512.Create((uint)(hi - first))).AsSingle();
            Vector512<float> m1 = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(hi - 16)).AsSingle();
            if (four)
            {
                // Rows 0..5 of a 64-column tile: columns 0..31 as in a two-vector tile, then 32..63.
                Vector512<float> m2 = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(hi - 32)).AsSingle();
                Vector512<float> m3 = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(hi - 48)).AsSingle();
                Store(c + 0 * ldc, c00, c01, true, plain, m0, m1, va, vb, beta);
                Store(c + 0 * ldc + 32, c02, c03, true, plain, m2, m3, va, vb, beta);
                if (rows > 1) { Store(c + 1 * ldc, c10, c11, true, plain, m0, m1, va, vb, beta); Store(c + 1 * ldc + 32, c12, c13, true, plain, m2, m3, va, vb, beta); }
                if (rows > 2) { Store(c + 2 * ldc, c20, c21, true, plain, m0, m1, va, vb, beta); Store(c + 2 * ldc + 32, c22, c23, true, plain, m2, m3, va, vb, beta); }
                if (rows > 3) { Store(c + 3 * ldc, c30, c31, true, plain, m0, m1, va, vb, beta); Store(c + 3 * ldc + 32, c32, c33, true, plain, m2, m3, va, vb, beta); }
                if (rows > 4) { Store(c + 4 * ldc, c40, c41, true, plain, m0, m1, va, vb, beta); Store(c + 4 * ldc + 32, c42, c43, true, plain, m2, m3, va, vb, beta); }
                if (rows > 5) { Store(c + 5 * ldc, c50, c51, true, plain, m0, m1, va, vb, beta); Store(c + 5 * ldc + 32, c52, c53, true, plain, m2, m3, va, vb, beta); }
                continue;
            }
            Store(c + 0 * ldc, c00, c01, two, plain, m0, m1, va, vb, beta);
            if (rows > 1) Store(c + 1 * ldc, c10, c11, two, plain, m0, m1, va, vb, beta);
            if (rows > 2) Store(c + 2 * ldc, c20, c21, two, plain, m0, m1, va, vb, beta);
            if (rows > 3) Store(c + 3 * ldc, c30, c31, two, plain, m0, m1, va, vb, beta);
            if (rows > 4) Store(c + 4 * ldc, c40, c41, two, plain, m0, m1, va, vb, beta);
            if (rows > 5) Store(c + 5 * ldc, c50, c51, two, plain, m0, m1, va, vb, beta);
            if (rows > 6) Store(c + 6 * ldc, c60, c61, two, plain, m0, m1, va, vb, beta);
            if (rows > 7) Store(c + 7 * ldc, c70, c71, two, plain, m0, m1, va, vb, beta);
            if (rows > 8) Store(c + 8 * ldc, c80, c81, two, plain, m0, m1, va, vb, beta);
            if (rows > 9) Store(c + 9 * ldc, c90, c91, two, plain, m0, m1, va, vb, beta);
            if (rows > 10) Store(c + 10 * ldc, c100, c101, two, plain, m0, m1, va, vb, beta);
            if (rows > 11) Store(c + 11 * ldc, c110, c111, two, plain, m0, m1, va, vb, beta);
        }
    }

    /// <summary>
    /// One row of the tile: <paramref name="plain"/> (all columns, alpha = 1, beta = 0) acc as it is; otherwise into the
    /// columns set in the masks (<paramref name="m1"/>: the second vector's) <c>alpha·acc</c> (beta = 0: C is not read)
    /// or <c>fma(alpha, acc, beta·C)</c>. The same bits as the unmasked special cases the masked form replaced (alpha = 1
    /// with beta = 1): fma(1, x, 1·C) is x + C rounded once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> x0, Vector512<float> x1, bool two, bool plain,
        Vector512<float> m0, Vector512<float> m1, Vector512<float> va, Vector512<float> vb, float beta)
    {
        if (plain)
        {
            x0.Store(c);
            if (two) x1.Store(c + 16);
            return;
        }
        StoreMasked(c, x0, m0, va, vb, beta);
        if (two) StoreMasked(c + 16, x1, m1, va, vb, beta);
    }

    /// <summary>
    /// 16 columns of which the lanes set in <paramref name="mask"/> are stored (and, when beta ≠ 0, read): AVX-512
    /// masked moves, or lane by lane where the hardware lacks them (tests forcing the path on other machines).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreMasked(float* c, Vector512<float> x, Vector512<float> mask, Vector512<float> va, Vector512<float> vb, float beta)
    {
        if (Avx512F.IsSupported)
        {
            Vector512<float> y = beta == 0 ? va * x : Vector512.FusedMultiplyAdd(va, x, vb * Avx512F.MaskLoad(c, mask, Vector512<float>.Zero));
            Avx512F.MaskStore(c, mask, y);
            return;
        }
        for (int j = 0; j < 16; j++)
            if (mask.AsInt32()[j] != 0)
                c[j] = beta == 0 ? va[j] * x[j] : MathF.FusedMultiplyAdd(va[j], x[j], vb[j] * c[j]);
    }
}
