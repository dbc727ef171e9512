using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics;

/// <summary>
/// The 6×16 Vector256 micro-kernel of <see cref="GemmTileV256"/> with op(A) read in place instead of
/// from a packed panel: <c>Ã[p][i] = a[i·rsA + p·csA]</c> (a row-major A: rsA = lda, csA = 1; a
/// transposed one: rsA = 1, csA = lda). Only the first <c>rows</c> rows of A are read
/// (rows past it repeat the last valid row and are never stored by the caller). The
/// same fused multiply-adds in the same order as the packed kernel, so results are bit-identical. <see cref="Tile6x16Bias"/>
/// reads a bias row in place of C, as <see cref="GemmTileV256.Tile6x16Bias"/>.
/// </summary>
internal static unsafe class GemmTileV256Strided
{
    /// <summary>
    /// <c>C[0..6, 0..16] = alpha·op(A)[0..6, 0..kc]·B̃ + beta·C</c>, B̃ a packed kc×16 panel;
    /// <c>beta == 0</c> overwrites C without reading it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile6x16(int kc, float* a, nint rsA, nint csA, int rows, float* b, float* c, nint ldc, float alpha, float beta) =>
        Tile<GemmTileV256.FromC>(kc, a, rsA, csA, rows, b, c, ldc, alpha, beta, null);

    /// <summary>
    /// The tile with every row of the old C taken from the bias row <paramref name="bias"/> (16 floats):
    /// <c>C[i][j] = fma(alpha, (op(A)·B̃)[i][j], beta·bias[j])</c> (<c>alpha·op(A)·B̃</c> when <c>beta == 0</c>); C is only
    /// written. The same operations on the same values as <see cref="Tile6x16"/> on a C whose rows hold the bias row (a
    /// product's first depth block, <see cref="GemmJob.Bias"/>; session 18): the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile6x16Bias(int kc, float* a, nint rsA, nint csA, int rows, float* b, float* c, nint ldc, float alpha, float beta, float* bias) =>
        Tile<GemmTileV256.FromBias>(kc, a, rsA, csA, rows, b, c, ldc, alpha, beta, bias);

    /// <summary>Compiles ahead (<see cref="Numerics.Precompile"/>), without running them, both entry points and both bodies.</summary>
    public static void Precompile()
    {
        Numerics.Precompile.Method(typeof(GemmTileV256Strided), nameof(Tile6x16));
        Numerics.Precompile.Method(typeof(GemmTileV256Strided), nameof(Tile6x16Bias));
        Numerics.Precompile.Method(typeof(GemmTileV256Strided), nameof(Tile), typeof(GemmTileV256.FromC));
        Numerics.Precompile.Method(typeof(GemmTileV256Strided), nameof(Tile), typeof(GemmTileV256.FromBias));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Tile<TOld>(int kc, float* a, nint rsA, nint csA, int rows, float* b, float* c, nint ldc, float alpha, float beta, float* bias)
        where TOld : struct
    {
        if (Sse.IsSupported)
        {
            float* cp = c;
            for (int i = 0; i < 6; i++, cp += ldc)
            {
                Sse.Prefetch0(cp);
                Sse.Prefetch0(cp + 15);
            }
        }
        int last = rows - 1;
        nint r1 = Math.Min(1, last) * rsA, r2 = Math.Min(2, last) * rsA, r3 = Math.Min(3, last) * rsA;
        nint r4 = Math.Min(4, last) * rsA, r5 = Math.Min(5, last) * rsA;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector256<float> b0, b1, ai;
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            b0 = Vector256.LoadAligned(b + 0);
            b1 = Vector256.LoadAligned(b + 8);
            ai = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[r1]);
            c10 = Vector256.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[r2]);
            c20 = Vector256.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[r3]);
            c30 = Vector256.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[r4]);
            c40 = Vector256.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[r5]);
            c50 = Vector256.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(ai, b1, c51);
            a += csA;
            b0 = Vector256.LoadAligned(b + 16);
            b1 = Vector256.LoadAligned(b + 24);
            ai = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[r1]);
            c10 = Vector256.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[r2]);
            c20 = Vector256.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[r3]);
            c30 = Vector256.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[r4]);
            c40 = Vector256.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[r5]);
            c50 = Vector256.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(ai, b1, c51);
            a += csA;
            b0 = Vector256.LoadAligned(b + 32);
            b1 = Vector256.LoadAligned(b + 40);
            ai = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[r1]);
            c10 = Vector256.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[r2]);
            c20 = Vector256.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[r3]);
            c30 = Vector256.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[r4]);
            c40 = Vector256.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[r5]);
            c50 = Vector256.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(ai, b1, c51);
            a += csA;
            b0 = Vector256.LoadAligned(b + 48);
            b1 = Vector256.LoadAligned(b + 56);
            ai = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[r1]);
            c10 = Vector256.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[r2]);
            c20 = Vector256.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[r3]);
            c30 = Vector256.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[r4]);
            c40 = Vector256.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[r5]);
            c50 = Vector256.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(ai, b1, c51);
            a += csA;
            b += 64;
        }
        for (; p < kc; p++)
        {
            b0 = Vector256.LoadAligned(b + 0);
            b1 = Vector256.LoadAligned(b + 8);
            ai = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[r1]);
            c10 = Vector256.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[r2]);
            c20 = Vector256.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[r3]);
            c30 = Vector256.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[r4]);
            c40 = Vector256.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[r5]);
            c50 = Vector256.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(ai, b1, c51);
            a += csA;
            b += 16;
        }
        Vector256<float> va = Vector256.Create(alpha);
        if (beta == 0)
        {
            (va * c00).Store(c); (va * c01).Store(c + 8); c += ldc;
            (va * c10).Store(c); (va * c11).Store(c + 8); c += ldc;
            (va * c20).Store(c); (va * c21).Store(c + 8); c += ldc;
            (va * c30).Store(c); (va * c31).Store(c + 8); c += ldc;
            (va * c40).Store(c); (va * c41).Store(c + 8); c += ldc;
            (va * c50).Store(c); (va * c51).Store(c + 8);
        }
        else if (typeof(TOld) == typeof(GemmTileV256.FromBias))
        {
            // beta·bias once for all six rows: the value the C form multiplies out of each filled row.
            Vector256<float> vb = Vector256.Create(beta);
            Vector256<float> o0 = vb * Vector256.Load(bias), o1 = vb * Vector256.Load(bias + 8);
            Vector256.FusedMultiplyAdd(va, c00, o0).Store(c); Vector256.FusedMultiplyAdd(va, c01, o1).Store(c + 8); c += ldc;
            Vector256.FusedMultiplyAdd(va, c10, o0).Store(c); Vector256.FusedMultiplyAdd(va, c11, o1).Store(c + 8); c += ldc;
            Vector256.FusedMultiplyAdd(va, c20, o0).Store(c); Vector256.FusedMultiplyAdd(va, c21, o1).Store(c + 8); c += ldc;
            Vector256.FusedMultiplyAdd(va, c30, o0).Store(c); Vector256.FusedMultiplyAdd(va, c31, o1).Store(c + 8); c += ldc;
            Vector256.FusedMultiplyAdd(va, c40, o0).Store(c); Vector256.FusedMultiplyAdd(va, c41, o1).Store(c + 8); c += ldc;
            Vector256.FusedMultiplyAdd(va, c50, o0).Store(c); Vector256.FusedMultiplyAdd(va, c51, o1).Store(c + 8);
        }
        else
        {
            Vector256<float> vb = Vector256.Create(beta);
            Update(c, c00, c01, va, vb); c += ldc;
            Update(c, c10, c11, va, vb); c += ldc;
            Update(c, c20, c21, va, vb); c += ldc;
            Update(c, c30, c31, va, vb); c += ldc;
            Update(c, c40, c41, va, vb); c += ldc;
            Update(c, c50, c51, va, vb);
        }
    }

    /// <summary><c>c = fma(alpha, acc, beta·c)</c> for one 16-wide row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector256<float> x0, Vector256<float> x1, Vector256<float> va, Vector256<float> vb)
    {
        Vector256.FusedMultiplyAdd(va, x0, vb * Vector256.Load(c)).Store(c);
        Vector256.FusedMultiplyAdd(va, x1, vb * Vector256.Load(c + 8)).Store(c + 8);
    }
}
