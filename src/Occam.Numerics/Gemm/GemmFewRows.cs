using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics;

/// <summary>
/// Products with a few rows and a transposed B, <c>C = alpha·A·Bᵀ + beta·C</c> with m ≤ <see cref="MaxRows"/>: the
/// forward pass of a dense layer on one or a few rows (<c>y = W·x + b</c>, W stored [out][in]). The packed path would
/// copy and transpose all of B (the whole weight matrix) for a handful of rows; here each block of 8 columns × 8 k
/// steps of op(B) is loaded as 8 contiguous row pieces of B, transposed in registers and consumed at once, so B is
/// read exactly once and never written.
/// <para>
/// Bit-identical to the other paths: each element of C is the same chain of fused multiply-adds
/// <c>acc = fma(A(i, p), op(B)(p, j), acc)</c> over k in the blocks of <see cref="GemmKernelInfo.DepthStep"/>, in order,
/// stored with the kernels' rule (<c>alpha·acc</c> when beta is 0, else <c>fma(alpha, acc, beta·C)</c>, and beta = 1
/// after the first block).
/// </para>
/// </summary>
[SkipLocalsInit]
internal static unsafe class GemmFewRows
{
    /// <summary>Most rows of C this path takes (each row keeps one accumulator vector per 8 columns of a 32-column block).</summary>
    public const int MaxRows = 2;

    /// <summary>Whether this machine runs the path (AVX2 with FMA: 256-bit transposes and fused multiply-adds).</summary>
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>
    /// op(A)(i, p) = a[i·lda + p] (A not transposed), op(B)(p, j) = b[j·ldb + p] (B transposed), 1 ≤ m ≤ MaxRows.
    /// Columns go 32 at a time: four groups of 8, each its own accumulator chain per row, so that four chains of
    /// dependent fused multiply-adds overlap (one chain alone would wait on the FMA latency).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(int m, int n, int k, float alpha, float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        int kStep = GemmKernelInfo.DepthStep(k);
        float* tile = stackalloc float[MaxRows * 32];
        bool two = m > 1;
        for (int j = 0; j < n; j += 32)
        {
            int cols = Math.Min(32, n - j);
            float* bj = b + j * ldb;
            for (int pc = 0; pc < k; pc += kStep)
            {
                int kc = Math.Min(kStep, k - pc);
                float be = pc == 0 ? beta : 1f;
                Vector256<float> x0 = default, x1 = default, x2 = default, x3 = default;   // row 0, column groups 0..3
                Vector256<float> y0 = default, y1 = default, y2 = default, y3 = default;   // row 1
                float* a0 = a + pc, a1 = a + lda + pc;
                float* bp = bj + pc;
                int p = 0;
                for (; p + 8 <= kc; p += 8)
                {
                    Group(bp + p, ldb, cols, 0, a0 + p, a1 + p, two, ref x0, ref y0);
                    if (cols > 8) Group(bp + p, ldb, cols, 8, a0 + p, a1 + p, two, ref x1, ref y1);
                    if (cols > 16) Group(bp + p, ldb, cols, 16, a0 + p, a1 + p, two, ref x2, ref y2);
                    if (cols > 24) Group(bp + p, ldb, cols, 24, a0 + p, a1 + p, two, ref x3, ref y3);
                }
                for (; p < kc; p++)
                {
                    var s0 = Vector256.Create(a0[p]);
                    var s1 = two ? Vector256.Create(a1[p]) : default;
                    for (int g = 0; g < cols; g += 8)
                    {
                        var q = Column(bp + g * ldb + p, ldb, Math.Min(8, cols - g));
                        switch (g)
                        {
                            case 0: x0 = Fma.MultiplyAdd(s0, q, x0); if (two) y0 = Fma.MultiplyAdd(s1, q, y0); break;
                            case 8: x1 = Fma.MultiplyAdd(s0, q, x1); if (two) y1 = Fma.MultiplyAdd(s1, q, y1); break;
                            case 16: x2 = Fma.MultiplyAdd(s0, q, x2); if (two) y2 = Fma.MultiplyAdd(s1, q, y2); break;
                            default: x3 = Fma.MultiplyAdd(s0, q, x3); if (two) y3 = Fma.MultiplyAdd(s1, q, y3); break;
                        }
                    }
                }
                x0.Store(tile); x1.Store(tile + 8); x2.Store(tile + 16); x3.Store(tile + 24);
                y0.Store(tile + 32); y1.Store(tile + 40); y2.Store(tile + 48); y3.Store(tile + 56);
                for (int i = 0; i < m; i++)
                {
                    float* ci = c + i * ldc + j;
                    float* t = tile + i * 32;
                    if (be == 0)
                        for (int jj = 0; jj < cols; jj++) ci[jj] = alpha * t[jj];
                    else
                        for (int jj = 0; jj < cols; jj++) ci[jj] = MathF.FusedMultiplyAdd(alpha, t[jj], be * ci[jj]);
                }
            }
        }
    }

    /// <summary>
    /// Eight k steps of one group of 8 columns (starting at column <paramref name="g"/> of the block): the 8×8 block of
    /// op(B) is loaded as 8 row pieces of B, transposed in registers, and fed to the row accumulators in k order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Group(float* b, nint ldb, int cols, int g, float* a0, float* a1, bool two,
        ref Vector256<float> x, ref Vector256<float> y)
    {
        float* s = b + g * ldb;
        int lines = cols - g;
        Vector256<float> r0 = Line(s, ldb, 0, lines), r1 = Line(s, ldb, 1, lines);
        Vector256<float> r2 = Line(s, ldb, 2, lines), r3 = Line(s, ldb, 3, lines);
        Vector256<float> r4 = Line(s, ldb, 4, lines), r5 = Line(s, ldb, 5, lines);
        Vector256<float> r6 = Line(s, ldb, 6, lines), r7 = Line(s, ldb, 7, lines);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Vector256<float> q0 = Avx.Permute2x128(s0, s4, 0x20), q1 = Avx.Permute2x128(s1, s5, 0x20);
        Vector256<float> q2 = Avx.Permute2x128(s2, s6, 0x20), q3 = Avx.Permute2x128(s3, s7, 0x20);
        Vector256<float> q4 = Avx.Permute2x128(s0, s4, 0x31), q5 = Avx.Permute2x128(s1, s5, 0x31);
        Vector256<float> q6 = Avx.Permute2x128(s2, s6, 0x31), q7 = Avx.Permute2x128(s3, s7, 0x31);
        x = Step8(x, a0, q0, q1, q2, q3, q4, q5, q6, q7);
        if (two) y = Step8(y, a1, q0, q1, q2, q3, q4, q5, q6, q7);
    }

    /// <summary>Eight k steps of one row: <c>acc = fma(a[q], t_q, acc)</c> for q = 0..7, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Step8(Vector256<float> acc, float* a,
        Vector256<float> q0, Vector256<float> q1, Vector256<float> q2, Vector256<float> q3,
        Vector256<float> q4, Vector256<float> q5, Vector256<float> q6, Vector256<float> q7)
    {
        acc = Fma.MultiplyAdd(Vector256.Create(a[0]), q0, acc);
        acc = Fma.MultiplyAdd(Vector256.Create(a[1]), q1, acc);
        acc = Fma.MultiplyAdd(Vector256.Create(a[2]), q2, acc);
        acc = Fma.MultiplyAdd(Vector256.Create(a[3]), q3, acc);
        acc = Fma.MultiplyAdd(Vector256.Create(a[4]), q4, acc);
        acc = Fma.MultiplyAdd(Vector256.Create(a[5]), q5, acc);
        acc = Fma.MultiplyAdd(Vector256.Create(a[6]), q6, acc);
        return Fma.MultiplyAdd(Vector256.Create(a[7]), q7, acc);
    }

    /// <summary>8 consecutive k values of column r of the block, or zeros past the last valid column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Line(float* b, nint ldb, int r, int cols) =>
        r < cols ? Avx.LoadVector256(b + r * ldb) : Vector256<float>.Zero;

    /// <summary>One k value of each valid column of the block (zeros past the last).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Column(float* b, nint ldb, int cols)
    {
        if (cols == 8)
            return Vector256.Create(b[0], b[ldb], b[2 * ldb], b[3 * ldb], b[4 * ldb], b[5 * ldb], b[6 * ldb], b[7 * ldb]);
        float* v = stackalloc float[8];
        for (int r = 0; r < 8; r++) v[r] = r < cols ? b[r * ldb] : 0f;
        return Vector256.Load(v);
    }
}
