using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics;

/// <summary>
/// The tiny path (AVX-512): <c>C = alpha·op(A)·op(B) + beta·C</c> for products with at most
/// <see cref="MaxColumns"/> columns and one k block (k ≤ <see cref="GemmKernelInfo.BlockDepth"/>) — the products of a
/// training step of a small network (2-8-1 at batch 4: NT 4×2×8, TN 8×4×2, NT 4×8×1, TN 1×4×8, NN 4×1×8), where the
/// cost is the call, not the multiply-adds. A transposed B is first copied into rows on the stack. Each row of C is one 16-lane vector whose lanes past n are masked off:
/// <code>
/// mask = lanes 0..n−1
/// for row tiles of R ≤ 12 rows (nearly equal heights):
///   acc[i] = 0;  for p in 0..k:  acc[i] = fma(op(A)(i, p), maskload(B + p·ldb), acc[i])   (i &lt; R)
///   C[i] = alpha·acc[i]                        (beta = 0: C is not read)     masked store
///   C[i] = fma(alpha, acc[i], beta·C[i])       (otherwise)                   masked load and store
/// </code>
/// op(A)(i, p) = a[i·rsA + p·csA] is broadcast straight from the caller's A (either transpose); the rows of B are read
/// where they lie with masked loads (nothing past column n is touched, so nothing is copied or padded, unlike
/// <see cref="GemmInPlace"/>, which packs a partial strip); C past n is neither read nor written. Each element is the
/// chain <c>fma(op(A)(i, p), B(p, j), acc)</c> over p = 0..k−1 from acc = 0, stored with the micro-kernels' rule — the
/// same chain and rounding as every other path of <see cref="Gemm"/> for k ≤ 256 (one block), so the bits are the
/// same. Single-threaded (the products are far below <see cref="Gemm.ParallelWork"/>).
/// </summary>
[SkipLocalsInit]
internal static unsafe class GemmTiny
{
    /// <summary>Most columns: one 16-float vector per row.</summary>
    public const int MaxColumns = 16;

    /// <summary>Most rows of one tile (12 accumulators, one B row and one broadcast of the 32 zmm registers): the in-place
    /// one-vector tile's height, whose row cut (<see cref="GemmInPlace.TileRows"/>) this path shares.</summary>
    public const int MaxRows = GemmTileV512InPlace.MaxRows;

    /// <summary>Whether the hardware runs the path (AVX-512 masked loads and stores, Vector512 accelerated): a JIT-time constant.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>
    /// Whether the path computes a product of this shape: 1 ≤ n ≤ <see cref="MaxColumns"/>,
    /// 1 ≤ k ≤ <see cref="GemmKernelInfo.BlockDepth"/> (any m ≥ 1, any transposes). <see cref="Gemm"/> takes it on its own for such
    /// products of at most <see cref="Gemm.SmallWork"/> multiply-adds (<see cref="Gemm.AutoPath"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Fits(int n, int k) =>
        (uint)(n - 1) < MaxColumns && (uint)(k - 1) < GemmKernelInfo.BlockDepth;

    /// <summary>
    /// Compiles ahead (<see cref="Numerics.Precompile"/>) the code a product of m rows runs: <see cref="Multiply"/> and
    /// the tile bodies of the one or two heights its rows are cut into.
    /// </summary>
    public static void Precompile(int m)
    {
        Debug.Assert(m >= 1);
        Numerics.Precompile.Method(typeof(GemmTiny), nameof(Multiply));
        (_, int baseRows, int tallTiles) = GemmInPlace.TileRows(m, 1, v256: false);
        Numerics.Precompile.Method(typeof(GemmTiny), nameof(Tile), GemmTileV512InPlace.Counts[baseRows - 1]);
        if (tallTiles > 0) Numerics.Precompile.Method(typeof(GemmTiny), nameof(Tile), GemmTileV512InPlace.Counts[baseRows]);
    }

    /// <summary>
    /// <c>C = alpha·op(A)·op(B) + beta·C</c> with op(A)(i, p) = a[i·rsA + p·csA] and op(B)(p, j) = b[p·ldb + j] or, with
    /// <paramref name="transposeB"/>, b[j·ldb + p], for a shape that <see cref="Fits"/> (m ≥ 1; alpha = 0 still reads A
    /// and B: <see cref="Gemm"/> handles it before). A transposed B is first copied into rows of 16 floats on the stack
    /// (k·n floats, columns past n left unset: the masked loads do not read them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(int m, int n, int k, float alpha, float* a, nint rsA, nint csA, float* b, nint ldb, bool transposeB,
        float beta, float* c, nint ldc)
    {
        Debug.Assert(m >= 1 && n >= 1 && n <= MaxColumns && k >= 1 && k <= GemmKernelInfo.BlockDepth);
        Vector512<float> mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(n)).AsSingle();
        if (transposeB)
        {
            float* rows = stackalloc float[k * MaxColumns];
            for (int j = 0; j < n; j++)
            {
                float* bj = b + j * ldb;
                for (int p = 0; p < k; p++) rows[p * MaxColumns + j] = bj[p];
            }
            b = rows;
            ldb = MaxColumns;
        }
        if (m <= MaxRows)
        {
            Tile(m, k, a, rsA, csA, b, ldb, c, ldc, alpha, beta, mask);
            return;
        }
        (int tiles, int baseRows, int tallTiles) = GemmInPlace.TileRows(m, 1, v256: false);
        for (int t = 0; t < tiles; t++)
        {
            int rows = baseRows + (t < tallTiles ? 1 : 0);
            Tile(rows, k, a, rsA, csA, b, ldb, c, ldc, alpha, beta, mask);
            a += rows * rsA;
            c += rows * ldc;
        }
    }

    /// <summary>One tile of <paramref name="rows"/> (1..12) rows: the body specialized for that height.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(int rows, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc,
        float alpha, float beta, Vector512<float> mask)
    {
        switch (rows)
        {
            case 1: Tile<GemmTileV512InPlace.N1>(k, a, rsA, csA, b, ldb, c, ldc, alpha, beta, mask); break;
            case 2: Tile<GemmTileV512InPlace.N2>(k, a, rsA, csA, b, ldb, c, ldc, alpha, beta, mask); break;
            case 3: Tile<GemmTileV512InPlace.N3>(k, a, rsA, csA, b, ldb, c, ldc, alpha, beta, mask); break;
            case 4: Tile<GemmTileV512InPlace.N4>(k, a, rsA, csA, b, ldb, c, ldc, alpha, beta, mask); break;
            case 5: Tile<GemmTileV512InPlace.N5>(k, a, rsA, csA, b, ldb, c, ldc, alpha, beta, mask); break;
            case 6: Tile<GemmTileV512InPlace.N6>(k, a, rsA, csA, b, ldb, c, ldc, alpha, beta, mask); break;
            case 7: Tile<GemmTileV512InPlace.N7>(k, a, rsA, csA, b, ldb, c, ldc, alpha, beta, mask); break;
            case 8: Tile<GemmTileV512InPlace.N8>(k, a, rsA, csA, b, ldb, c, ldc, alpha, beta, mask); break;
            case 9: Tile<GemmTileV512InPlace.N9>(k, a, rsA, csA, b, ldb, c, ldc, alpha, beta, mask); break;
            case 10: Tile<GemmTileV512InPlace.N10>(k, a, rsA, csA, b, ldb, c, ldc, alpha, beta, mask); break;
            case 11: Tile<GemmTileV512InPlace.N11>(k, a, rsA, csA, b, ldb, c, ldc, alpha, beta, mask); break;
            default: Tile<GemmTileV512InPlace.N12>(k, a, rsA, csA, b, ldb, c, ldc, alpha, beta, mask); break;
        }
    }

    /// <summary>The tile, specialized per row count <typeparamref name="TRows"/> (the class summary's loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TRows>(int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc,
        float alpha, float beta, Vector512<float> mask) where TRows : struct, IGemmCount
    {
        int rows = TRows.Value;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default,
            c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        // Rows 0..11 as four base pointers (rows 0, 3, 6, 9) plus offsets of one and two rows.
        nint r1 = rsA, r2 = 2 * rsA;
        float* a0 = a, a3 = a + 3 * rsA, a6 = a + 6 * rsA, a9 = a + 9 * rsA, bp = b;
        float* bEnd = b + k * ldb;
        while (bp != bEnd)
        {
            Vector512<float> bv = Avx512F.MaskLoad(bp, mask, Vector512<float>.Zero);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[0]), bv, c0);
            if (rows > 1) c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[r1]), bv, c1);
            if (rows > 2) c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[r2]), bv, c2);
            if (rows > 3) c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[0]), bv, c3);
            if (rows > 4) c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[r1]), bv, c4);
            if (rows > 5) c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[r2]), bv, c5);
            if (rows > 6) c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a6[0]), bv, c6);
            if (rows > 7) c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a6[r1]), bv, c7);
            if (rows > 8) c8 = Vector512.FusedMultiplyAdd(Vector512.Create(a6[r2]), bv, c8);
            if (rows > 9) c9 = Vector512.FusedMultiplyAdd(Vector512.Create(a9[0]), bv, c9);
            if (rows > 10) c10 = Vector512.FusedMultiplyAdd(Vector512.Create(a9[r1]), bv, c10);
            if (rows > 11) c11 = Vector512.FusedMultiplyAdd(Vector512.Create(a9[r2]), bv, c11);
            a0 += csA;
            if (rows > 3) a3 += csA;
            if (rows > 6) a6 += csA;
            if (rows > 9) a9 += csA;
            bp += ldb;
        }
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Avx512F.MaskStore(c, mask, va * c0);
            if (rows > 1) Avx512F.MaskStore(c + ldc, mask, va * c1);
            if (rows > 2) Avx512F.MaskStore(c + 2 * ldc, mask, va * c2);
            if (rows > 3) Avx512F.MaskStore(c + 3 * ldc, mask, va * c3);
            if (rows > 4) Avx512F.MaskStore(c + 4 * ldc, mask, va * c4);
            if (rows > 5) Avx512F.MaskStore(c + 5 * ldc, mask, va * c5);
            if (rows > 6) Avx512F.MaskStore(c + 6 * ldc, mask, va * c6);
            if (rows > 7) Avx512F.MaskStore(c + 7 * ldc, mask, va * c7);
            if (rows > 8) Avx512F.MaskStore(c + 8 * ldc, mask, va * c8);
            if (rows > 9) Avx512F.MaskStore(c + 9 * ldc, mask, va * c9);
            if (rows > 10) Avx512F.MaskStore(c + 10 * ldc, mask, va * c10);
            if (rows > 11) Avx512F.MaskStore(c + 11 * ldc, mask, va * c11);
            return;
        }
        Vector512<float> vb = Vector512.Create(beta);
        StoreBeta(c, c0, mask, va, vb);
        if (rows > 1) StoreBeta(c + ldc, c1, mask, va, vb);
        if (rows > 2) StoreBeta(c + 2 * ldc, c2, mask, va, vb);
        if (rows > 3) StoreBeta(c + 3 * ldc, c3, mask, va, vb);
        if (rows > 4) StoreBeta(c + 4 * ldc, c4, mask, va, vb);
        if (rows > 5) StoreBeta(c + 5 * ldc, c5, mask, va, vb);
        if (rows > 6) StoreBeta(c + 6 * ldc, c6, mask, va, vb);
        if (rows > 7) StoreBeta(c + 7 * ldc, c7, mask, va, vb);
        if (rows > 8) StoreBeta(c + 8 * ldc, c8, mask, va, vb);
        if (rows > 9) StoreBeta(c + 9 * ldc, c9, mask, va, vb);
        if (rows > 10) StoreBeta(c + 10 * ldc, c10, mask, va, vb);
        if (rows > 11) StoreBeta(c + 11 * ldc, c11, mask, va, vb);
    }

    /// <summary>The lanes of <paramref name="mask"/>: <c>C = fma(alpha, acc, beta·C)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreBeta(float* c, Vector512<float> acc, Vector512<float> mask, Vector512<float> va, Vector512<float> vb) =>
        Avx512F.MaskStore(c, mask, Vector512.FusedMultiplyAdd(va, acc, vb * Avx512F.MaskLoad(c, mask, Vector512<float>.Zero)));
}
