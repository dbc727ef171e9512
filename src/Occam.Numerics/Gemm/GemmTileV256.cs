using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics;

/// <summary>
/// The 6×16 Vector256 micro-kernel: 6 rows × 2 vectors = 12 ymm accumulators, 2 B vectors and one
/// broadcast of A, i.e. 15 of the 16 AVX2 registers. Each k step does 12 fused multiply-adds
/// (<c>acc[i][v] += Ã[p][i] · B̃[p][v]</c>) against 2 vector loads and 6 broadcasts: enough
/// independent chains (12) to hide the 4-cycle FMA latency on two FMA pipes; then <c>C = fma(alpha, acc, beta·C)</c>
/// (or <c>alpha·acc</c> when <c>beta == 0</c>). <see cref="Tile6x16Bias"/> reads a bias row in place of C:
/// <c>C[i][j] = fma(alpha, acc, beta·bias[j])</c>, the bits the first form gives on a C whose rows were filled with the
/// bias row, without that fill (a product's first depth block, <see cref="GemmJob.Bias"/>; session 18, as
/// <see cref="GemmTileV512.Tile8x32Bias"/>).
/// </summary>
internal static unsafe class GemmTileV256
{
    /// <summary>The tile: <c>C = fma(alpha, Ã·B̃, beta·C)</c> (<c>alpha·Ã·B̃</c> when <c>beta == 0</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile6x16(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta) =>
        Tile<FromC>(kc, a, b, c, ldc, alpha, beta, null);

    /// <summary>
    /// The tile with every row of the old C taken from the bias row <paramref name="bias"/> (16 floats):
    /// <c>C[i][j] = fma(alpha, (Ã·B̃)[i][j], beta·bias[j])</c> (<c>alpha·Ã·B̃</c> when <c>beta == 0</c>); C is only written.
    /// The same operations on the same values as <see cref="Tile6x16"/> on a C whose rows hold the bias row: the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile6x16Bias(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, float* bias) =>
        Tile<FromBias>(kc, a, b, c, ldc, alpha, beta, bias);

    /// <summary>Where a 6×16 tile's old C comes from (a type argument, so each form is compiled on its own, without a test).</summary>
    internal struct FromC { }

    /// <inheritdoc cref="FromC"/>
    internal struct FromBias { }

    /// <summary>Compiles ahead (<see cref="Numerics.Precompile"/>), without running them, both entry points and both bodies.</summary>
    public static void Precompile()
    {
        Numerics.Precompile.Method(typeof(GemmTileV256), nameof(Tile6x16));
        Numerics.Precompile.Method(typeof(GemmTileV256), nameof(Tile6x16Bias));
        Numerics.Precompile.Method(typeof(GemmTileV256), nameof(Tile), typeof(FromC));
        Numerics.Precompile.Method(typeof(GemmTileV256), nameof(Tile), typeof(FromBias));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Tile<TOld>(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, float* bias) where TOld : struct
    {
        if (Sse.IsSupported)
        {
            // The C tile is needed only after the k loop (read, or only written from the bias row): start fetching it now
            // (two lines per row).
            float* cp = c;
            for (int i = 0; i < 6; i++, cp += ldc)
            {
                Sse.Prefetch0(cp);
                Sse.Prefetch0(cp + 15);
            }
        }
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector256<float> b0, b1, ai;
        int p = 0;
        // Four k steps per trip: less loop overhead, constant offsets into the packed panels.
        for (; p + 4 <= kc; p += 4)
        {
            b0 = Vector256.LoadAligned(b + 0);
            b1 = Vector256.LoadAligned(b + 8);
            ai = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(ai, b1, c51);
            b0 = Vector256.LoadAligned(b + 16);
            b1 = Vector256.LoadAligned(b + 24);
            ai = Vector256.Create(a[6]);
            c00 = Vector256.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[7]);
            c10 = Vector256.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[8]);
            c20 = Vector256.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[9]);
            c30 = Vector256.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[10]);
            c40 = Vector256.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[11]);
            c50 = Vector256.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(ai, b1, c51);
            b0 = Vector256.LoadAligned(b + 32);
            b1 = Vector256.LoadAligned(b + 40);
            ai = Vector256.Create(a[12]);
            c00 = Vector256.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[13]);
            c10 = Vector256.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[14]);
            c20 = Vector256.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[15]);
            c30 = Vector256.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[16]);
            c40 = Vector256.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[17]);
            c50 = Vector256.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(ai, b1, c51);
            b0 = Vector256.LoadAligned(b + 48);
            b1 = Vector256.LoadAligned(b + 56);
            ai = Vector256.Create(a[18]);
            c00 = Vector256.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[19]);
            c10 = Vector256.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[20]);
            c20 = Vector256.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[21]);
            c30 = Vector256.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[22]);
            c40 = Vector256.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[23]);
            c50 = Vector256.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(ai, b1, c51);
            a += 24;
            b += 64;
        }
        for (; p < kc; p++)
        {
            b0 = Vector256.LoadAligned(b + 0);
            b1 = Vector256.LoadAligned(b + 8);
            ai = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(ai, b1, c51);
            a += 6;
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
