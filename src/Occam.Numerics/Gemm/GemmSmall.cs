using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics;

/// <summary>
/// The direct path for small products: no packing, no threads. Each element of C is one chain of
/// fused multiply-adds <c>acc = fma(op(A)(i, p), op(B)(p, j), acc)</c> over k in the blocks of
/// <see cref="GemmKernelInfo.DepthStep"/>, stored with the micro-kernels' rule (<c>C = alpha·acc</c>
/// when beta is 0, else <c>fma(alpha, acc, beta·C)</c>, and beta = 1 after the first block), so
/// results are bit-identical to the packed path. Eight or four neighbouring columns of C run in one
/// vector along rows of op(B); a transposed B is first copied into rows on the stack (it has at
/// most <see cref="Gemm.SmallWork"/> elements). Left-over columns run as scalar chains, four rows
/// side by side, or eight rows in one vector when A is transposed (rows of op(A) adjacent in memory).
/// </summary>
[SkipLocalsInit]
internal static unsafe class GemmSmall
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(int m, int n, int k, float alpha,
        float* a, nint rsA, nint csA, float* b, nint rsB, nint csB, float beta, float* c, nint ldc)
    {
        if (csB != 1 && n >= 4 && (long)k * n <= Gemm.SmallWork)
        {
            MultiplyCopyingB(m, n, k, alpha, a, rsA, csA, b, csB, beta, c, ldc);
            return;
        }
        int kStep = GemmKernelInfo.DepthStep(k);
        for (int pc = 0; pc < k; pc += kStep)
        {
            int kc = Math.Min(kStep, k - pc);
            float be = pc == 0 ? beta : 1f;
            if (csB == 1 && n < 4)
                TailColumns(m, 0, n, kc, alpha, a + pc * csA, rsA, csA, b + pc * rsB, rsB, 1, be, c, ldc);
            else if (csB == 1)
                RowsOfB(m, n, kc, alpha, a + pc * csA, rsA, csA, b + pc * rsB, rsB, be, c, ldc);
            else
                ColumnsOfB(m, n, kc, alpha, a + pc * csA, rsA, csA, b + pc * rsB, csB, be, c, ldc);
        }
    }

    /// <summary>
    /// A transposed B (op(B)(p, j) = b[j·csB + p]) with at least 4 columns is first copied into
    /// rows on the stack, so that columns of C run in vectors too (k·n ≤ SmallWork floats, 16 KiB).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyCopyingB(int m, int n, int k, float alpha,
        float* a, nint rsA, nint csA, float* b, nint csB, float beta, float* c, nint ldc)
    {
        int kStep = GemmKernelInfo.DepthStep(k);
        float* rows = stackalloc float[Math.Min(kStep, k) * n];
        for (int pc = 0; pc < k; pc += kStep)
        {
            int kc = Math.Min(kStep, k - pc);
            float be = pc == 0 ? beta : 1f;
            float* bp = b + pc;
            for (int j = 0; j < n; j++)
            {
                float* bj = bp + j * csB;
                for (int p = 0; p < kc; p++) rows[p * n + j] = bj[p];
            }
            RowsOfB(m, n, kc, alpha, a + pc * csA, rsA, csA, rows, n, be, c, ldc);
        }
    }

    /// <summary>op(B)(p, j) = b[p·rsB + j]: vectors across j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowsOfB(int m, int n, int kc, float alpha,
        float* a, nint rsA, nint csA, float* b, nint rsB, float beta, float* c, nint ldc)
    {
        for (int i = 0; i < m && n >= 4; i++)
        {
            float* ai = a + i * rsA;
            float* ci = c + i * ldc;
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j + 8 <= n; j += 8)
                {
                    Vector256<float> acc = default;
                    float* bj = b + j;
                    for (int p = 0; p < kc; p++)
                        acc = Vector256.FusedMultiplyAdd(Vector256.Create(ai[p * csA]), Vector256.Load(bj + p * rsB), acc);
                    Vector256<float> result = Vector256.Create(alpha) * acc;
                    if (beta != 0) result = Vector256.FusedMultiplyAdd(Vector256.Create(alpha), acc, Vector256.Create(beta) * Vector256.Load(ci + j));
                    result.Store(ci + j);
                }
            }
            if (Vector128.IsHardwareAccelerated)
            {
                for (; j + 4 <= n; j += 4)
                {
                    Vector128<float> acc = default;
                    float* bj = b + j;
                    for (int p = 0; p < kc; p++)
                        acc = Vector128.FusedMultiplyAdd(Vector128.Create(ai[p * csA]), Vector128.Load(bj + p * rsB), acc);
                    Vector128<float> result = Vector128.Create(alpha) * acc;
                    if (beta != 0) result = Vector128.FusedMultiplyAdd(Vector128.Create(alpha), acc, Vector128.Create(beta) * Vector128.Load(ci + j));
                    result.Store(ci + j);
                }
            }
        }
        int vectorColumns = Vector128.IsHardwareAccelerated ? n & ~3 : Vector256.IsHardwareAccelerated ? n & ~7 : 0;
        TailColumns(m, vectorColumns, n, kc, alpha, a, rsA, csA, b, rsB, 1, beta, c, ldc);
    }

    /// <summary>op(B)(p, j) = b[j·csB + p]: dot products, four columns at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnsOfB(int m, int n, int kc, float alpha,
        float* a, nint rsA, nint csA, float* b, nint csB, float beta, float* c, nint ldc)
    {
        for (int i = 0; i < m; i++)
        {
            float* ai = a + i * rsA;
            float* ci = c + i * ldc;
            int j = 0;
            for (; j + 4 <= n; j += 4)
            {
                float* b0 = b + j * csB, b1 = b0 + csB, b2 = b1 + csB, b3 = b2 + csB;
                float acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
                for (int p = 0; p < kc; p++)
                {
                    float x = ai[p * csA];
                    acc0 = MathF.FusedMultiplyAdd(x, b0[p], acc0);
                    acc1 = MathF.FusedMultiplyAdd(x, b1[p], acc1);
                    acc2 = MathF.FusedMultiplyAdd(x, b2[p], acc2);
                    acc3 = MathF.FusedMultiplyAdd(x, b3[p], acc3);
                }
                Store(ci + j, acc0, alpha, beta);
                Store(ci + j + 1, acc1, alpha, beta);
                Store(ci + j + 2, acc2, alpha, beta);
                Store(ci + j + 3, acc3, alpha, beta);
            }
        }
        TailColumns(m, n & ~3, n, kc, alpha, a, rsA, csA, b, 1, csB, beta, c, ldc);
    }

    /// <summary>
    /// Columns j0..n of C, op(B)(p, j) = b[p·bp + j·bj], one chain per element but four rows side by
    /// side so that the chains overlap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TailColumns(int m, int j0, int n, int kc, float alpha,
        float* a, nint rsA, nint csA, float* b, nint bp, nint bj, float beta, float* c, nint ldc)
    {
        for (int j = j0; j < n; j++)
        {
            float* bcol = b + j * bj;
            int i = 0;
            if (rsA == 1 && Vector256.IsHardwareAccelerated)
            {
                // A transposed: rows i..i+7 of op(A) are 8 consecutive floats, so eight chains run in one vector
                // (the weight gradient dYᵀ·X of a layer with few inputs, e.g. TN 8×4×2 of a 2-8-1 net).
                for (; i + 8 <= m; i += 8)
                {
                    Vector256<float> acc = default;
                    for (int p = 0; p < kc; p++)
                        acc = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + p * csA), Vector256.Create(bcol[p * bp]), acc);
                    float* cij = c + i * ldc + j;
                    for (int r = 0; r < 8; r++) Store(cij + r * ldc, acc.GetElement(r), alpha, beta);
                }
            }
            for (; i + 4 <= m; i += 4)
            {
                float* a0 = a + i * rsA, a1 = a0 + rsA, a2 = a1 + rsA, a3 = a2 + rsA;
                float acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
                for (int p = 0; p < kc; p++)
                {
                    float x = bcol[p * bp];
                    nint ap = p * csA;
                    acc0 = MathF.FusedMultiplyAdd(a0[ap], x, acc0);
                    acc1 = MathF.FusedMultiplyAdd(a1[ap], x, acc1);
                    acc2 = MathF.FusedMultiplyAdd(a2[ap], x, acc2);
                    acc3 = MathF.FusedMultiplyAdd(a3[ap], x, acc3);
                }
                float* cij = c + i * ldc + j;
                Store(cij, acc0, alpha, beta);
                Store(cij + ldc, acc1, alpha, beta);
                Store(cij + 2 * ldc, acc2, alpha, beta);
                Store(cij + 3 * ldc, acc3, alpha, beta);
            }
            for (; i < m; i++)
            {
                float* ai = a + i * rsA;
                float acc = 0;
                for (int p = 0; p < kc; p++) acc = MathF.FusedMultiplyAdd(ai[p * csA], bcol[p * bp], acc);
                Store(c + i * ldc + j, acc, alpha, beta);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, float acc, float alpha, float beta) =>
        *c = beta == 0 ? alpha * acc : MathF.FusedMultiplyAdd(alpha, acc, beta * *c);
}
