using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Occam.Numerics.GemmTileV512InPlace;

namespace Occam.Numerics;

/// <summary>
/// The Vector256 (AVX2) micro-kernel of the in-place path (<see cref="GemmInPlace"/>): a tile of R rows × 8·V columns
/// (V = 1 or 2 vectors per row; R ≤ 12 with one vector, R ≤ 6 with two, so that the R·V accumulators, V B vectors and one
/// broadcast fit the 16 ymm registers), R a type argument so that each row count is its own compiled body with no padding
/// rows. op(A) is read in place, <c>op(A)(i, p) = a[i·rsA + p·csA]</c> (broadcast per fused multiply-add), and B as kc
/// rows of 8·V contiguous floats at row stride rsB (the caller's B, or a zero-padded strip):
/// <code>
/// acc[i][v] = 0;  for p in 0..kc:  acc[i][v] = fma(op(A)(i, p), B[p·rsB + 8v .. 8v+8], acc[i][v])
/// C[i][j] = acc[i][j]                            (cols = 8·V, alpha = 1, beta = 0: plain stores)
/// C[i][j] = alpha·acc[i][j]                      (beta = 0: C is not read)
/// C[i][j] = fma(alpha, acc[i][j], beta·C[i][j])  (otherwise)
/// </code>
/// for j &lt; cols only (the last columns lane by lane; C past cols is neither read nor written). Each element
/// is the same chain of fused multiply-adds in the same order as every other kernel of <see cref="Gemm"/>, so results are
/// bit-identical. The structure is <see cref="GemmTileV512InPlace"/>'s at half the width.
/// </summary>
internal static unsafe class GemmTileV256InPlace
{
    /// <summary>Most rows of a tile with one vector per row (12 accumulators).</summary>
    public const int MaxRows = 12;

    /// <summary>Most rows of a tile with two vectors per row (12 accumulators).</summary>
    public const int MaxRowsTwoVectors = 6;

    /// <summary>The count types N1..N12 (index: count − 1), the type arguments <see cref="Tile(int, int, int, int, float*, nint, nint, float*, nint, float*, nint, float, float, int)"/> instantiates.</summary>
    private static readonly Type[] s_counts =
        [typeof(N1), typeof(N2), typeof(N3), typeof(N4), typeof(N5), typeof(N6), typeof(N7), typeof(N8), typeof(N9), typeof(N10), typeof(N11), typeof(N12)];

    /// <summary>
    /// Compiles ahead (<see cref="Numerics.Precompile"/>), without running it, the body <c>Tile&lt;TRows, TVectors&gt;</c>
    /// that a tile of <paramref name="rows"/> rows × <paramref name="vectors"/> (1 or 2) vectors runs.
    /// </summary>
    public static void Precompile(int rows, int vectors)
    {
        Preconditions.CheckInRange(vectors, 1, 2);
        Preconditions.CheckInRange(rows, 1, vectors == 1 ? MaxRows : MaxRowsTwoVectors);
        Numerics.Precompile.Method(typeof(GemmTileV256InPlace), nameof(Tile), s_counts[rows - 1], s_counts[vectors - 1]);
    }

    /// <summary>
    /// Runs <paramref name="strips"/> R×8·V tiles side by side (B and C advance by 8·V columns per strip) with
    /// R = <paramref name="rows"/> (1..12 with one vector, 1..6 with two) and V = <paramref name="vectors"/> (1 or 2);
    /// <paramref name="cols"/> columns of each strip are stored (all 8·V, or fewer when strips is 1).
    /// </summary>
    public static void Tile(int rows, int vectors, int strips, int kc, float* a, nint rsA, nint csA, float* b, nint rsB,
        float* c, nint ldc, float alpha, float beta, int cols)
    {
        if (vectors == 1)
        {
            switch (rows)
            {
                case 1: Tile<N1, N1>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                case 2: Tile<N2, N1>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                case 3: Tile<N3, N1>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                case 4: Tile<N4, N1>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                case 5: Tile<N5, N1>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                case 6: Tile<N6, N1>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                case 7: Tile<N7, N1>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                case 8: Tile<N8, N1>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                case 9: Tile<N9, N1>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                case 10: Tile<N10, N1>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                case 11: Tile<N11, N1>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                default: Tile<N12, N1>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
            }
        }
        else
        {
            switch (rows)
            {
                case 1: Tile<N1, N2>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                case 2: Tile<N2, N2>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                case 3: Tile<N3, N2>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                case 4: Tile<N4, N2>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                case 5: Tile<N5, N2>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
                default: Tile<N6, N2>(strips, kc, a, rsA, csA, b, rsB, c, ldc, alpha, beta, cols); break;
            }
        }
    }

    /// <summary>The tile, specialized per row count <typeparamref name="TRows"/> and vector count <typeparamref name="TVectors"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<TRows, TVectors>(int strips, int kc, float* a, nint rsA, nint csA, float* b, nint rsB,
        float* c, nint ldc, float alpha, float beta, int cols)
        where TRows : struct, IGemmCount where TVectors : struct, IGemmCount
    {
        int rows = TRows.Value;
        bool two = TVectors.Value == 2;
        int width = 8 * TVectors.Value;
        bool plain = cols == width && alpha == 1 && beta == 0;
        for (int s = 0; s < strips; s++, b += width, c += width)
        {
            if (Sse.IsSupported && kc >= 32)
            {
                // C is needed only after the k loop: start fetching it now (a short loop would not hide it).
                float* cp = c;
                for (int i = 0; i < rows; i++, cp += ldc)
                {
                    Sse.Prefetch0(cp);
                    if (two) Sse.Prefetch0(cp + 15);
                }
            }
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
                c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
                c60 = default, c70 = default, c80 = default, c90 = default, c100 = default, c110 = default;
            // Rows 0..11 as four base pointers (rows 0, 3, 6, 9) plus offsets of one and two rows.
            nint r1 = rsA, r2 = 2 * rsA;
            float* a0 = a, a3 = a + 3 * rsA, a6 = a + 6 * rsA, a9 = a + 9 * rsA, bp = b;
            // The k loop runs on a pointer bound rather than a counter (one general register fewer).
            float* bEnd = bp + kc * rsB;
            while (bp != bEnd)
            {
                Vector256<float> b0 = Vector256.Load(bp);
                Vector256<float> b1 = two ? Vector256.Load(bp + 8) : default;
                Vector256<float> ai;
                { ai = Vector256.Create(a0[0]); c00 = Vector256.FusedMultiplyAdd(ai, b0, c00); if (two) c01 = Vector256.FusedMultiplyAdd(ai, b1, c01); }
                if (rows > 1) { ai = Vector256.Create(a0[r1]); c10 = Vector256.FusedMultiplyAdd(ai, b0, c10); if (two) c11 = Vector256.FusedMultiplyAdd(ai, b1, c11); }
                if (rows > 2) { ai = Vector256.Create(a0[r2]); c20 = Vector256.FusedMultiplyAdd(ai, b0, c20); if (two) c21 = Vector256.FusedMultiplyAdd(ai, b1, c21); }
                if (rows > 3) { ai = Vector256.Create(a3[0]); c30 = Vector256.FusedMultiplyAdd(ai, b0, c30); if (two) c31 = Vector256.FusedMultiplyAdd(ai, b1, c31); }
                if (rows > 4) { ai = Vector256.Create(a3[r1]); c40 = Vector256.FusedMultiplyAdd(ai, b0, c40); if (two) c41 = Vector256.FusedMultiplyAdd(ai, b1, c41); }
                if (rows > 5) { ai = Vector256.Create(a3[r2]); c50 = Vector256.FusedMultiplyAdd(ai, b0, c50); if (two) c51 = Vector256.FusedMultiplyAdd(ai, b1, c51); }
                if (!two)
                {
                    if (rows > 6) { ai = Vector256.Create(a6[0]); c60 = Vector256.FusedMultiplyAdd(ai, b0, c60); }
                    if (rows > 7) { ai = Vector256.Create(a6[r1]); c70 = Vector256.FusedMultiplyAdd(ai, b0, c70); }
                    if (rows > 8) { ai = Vector256.Create(a6[r2]); c80 = Vector256.FusedMultiplyAdd(ai, b0, c80); }
                    if (rows > 9) { ai = Vector256.Create(a9[0]); c90 = Vector256.FusedMultiplyAdd(ai, b0, c90); }
                    if (rows > 10) { ai = Vector256.Create(a9[r1]); c100 = Vector256.FusedMultiplyAdd(ai, b0, c100); }
                    if (rows > 11) { ai = Vector256.Create(a9[r2]); c110 = Vector256.FusedMultiplyAdd(ai, b0, c110); }
                }
                a0 += csA;
                if (rows > 3) a3 += csA;
                if (!two && rows > 6) a6 += csA;
                if (!two && rows > 9) a9 += csA;
                bp += rsB;
            }
            // Two store forms per tile row, as in GemmTileV512InPlace: plain (full strip, alpha = 1, beta = 0: the training
            // step's products) and the general one (alpha, beta; the partial vector of the last strip lane by lane).
            int n0 = Math.Min(cols, 8), n1 = cols - 8;
            Store(c + 0 * ldc, c00, c01, two, plain, n0, n1, alpha, beta);
            if (rows > 1) Store(c + 1 * ldc, c10, c11, two, plain, n0, n1, alpha, beta);
            if (rows > 2) Store(c + 2 * ldc, c20, c21, two, plain, n0, n1, alpha, beta);
            if (rows > 3) Store(c + 3 * ldc, c30, c31, two, plain, n0, n1, alpha, beta);
            if (rows > 4) Store(c + 4 * ldc, c40, c41, two, plain, n0, n1, alpha, beta);
            if (rows > 5) Store(c + 5 * ldc, c50, c51, two, plain, n0, n1, alpha, beta);
            if (!two)
            {
                if (rows > 6) Store(c + 6 * ldc, c60, default, false, plain, n0, n1, alpha, beta);
                if (rows > 7) Store(c + 7 * ldc, c70, default, false, plain, n0, n1, alpha, beta);
                if (rows > 8) Store(c + 8 * ldc, c80, default, false, plain, n0, n1, alpha, beta);
                if (rows > 9) Store(c + 9 * ldc, c90, default, false, plain, n0, n1, alpha, beta);
                if (rows > 10) Store(c + 10 * ldc, c100, default, false, plain, n0, n1, alpha, beta);
                if (rows > 11) Store(c + 11 * ldc, c110, default, false, plain, n0, n1, alpha, beta);
            }
        }
    }

    /// <summary>
    /// One row of the tile: <paramref name="plain"/> (all columns, alpha = 1, beta = 0) acc as it is; otherwise the first
    /// <paramref name="n0"/> columns of the first vector and <paramref name="n1"/> of the second (none when ≤ 0)
    /// <c>alpha·acc</c> (beta = 0: C is not read) or <c>fma(alpha, acc, beta·C)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> x0, Vector256<float> x1, bool two, bool plain, int n0, int n1, float alpha, float beta)
    {
        if (plain)
        {
            x0.Store(c);
            if (two) x1.Store(c + 8);
            return;
        }
        StorePart(c, x0, n0, alpha, beta);
        if (two && n1 > 0) StorePart(c + 8, x1, n1, alpha, beta);
    }

    /// <summary>
    /// Columns 0..<paramref name="count"/> (1..8) of one vector: a whole vector when count is 8, else lane by lane
    /// through a stack copy — the same operations (<c>alpha·x</c>, <c>fma(alpha, x, beta·C)</c>) as the vector lanes. No
    /// <c>vmaskmovps</c>: its store form is slow on AMD cores before Zen 4, and C past the strip must not be touched.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePart(float* c, Vector256<float> x, int count, float alpha, float beta)
    {
        if (count >= 8)
        {
            Vector256<float> va = Vector256.Create(alpha);
            (beta == 0 ? va * x : Vector256.FusedMultiplyAdd(va, x, Vector256.Create(beta) * Vector256.Load(c))).Store(c);
            return;
        }
        StoreLanes(c, x, count, alpha, beta);
    }

    /// <summary>The partial vector of <see cref="StorePart"/>, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreLanes(float* c, Vector256<float> x, int count, float alpha, float beta)
    {
        for (int j = 0; j < count; j++)
            c[j] = beta == 0 ? alpha * x.GetElement(j) : MathF.FusedMultiplyAdd(alpha, x.GetElement(j), beta * c[j]);
    }
}
