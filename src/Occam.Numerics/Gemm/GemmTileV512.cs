using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics;

/// <summary>
/// The 8×32 Vector512 micro-kernel (AVX-512): 8 rows × 2 vectors = 16 zmm accumulators, 2 B vectors
/// and one A broadcast out of 32 registers. Each k step does 16 fused multiply-adds
/// (<c>acc[i][v] += Ã[p][i] · B̃[p][v]</c>) against 2 vector loads and 8 broadcasts; then
/// <c>C = fma(alpha, acc, beta·C)</c> (or <c>alpha·acc</c> when <c>beta == 0</c>). <see cref="Tile8x32Bias"/> reads a bias
/// row in place of C: <c>C[i][j] = fma(alpha, acc, beta·bias[j])</c>, the bits the first form gives on a C whose rows were
/// filled with the bias row, without that fill (a product's first depth block, <see cref="GemmJob.Bias"/>).
/// </summary>
internal static unsafe class GemmTileV512
{
    /// <summary>The tile: <c>C = fma(alpha, Ã·B̃, beta·C)</c> (<c>alpha·Ã·B̃</c> when <c>beta == 0</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile8x32(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta) =>
        Tile<FromC>(kc, a, b, c, ldc, alpha, beta, null);

    /// <summary>
    /// The tile with every row of the old C taken from the bias row <paramref name="bias"/> (32 floats):
    /// <c>C[i][j] = fma(alpha, (Ã·B̃)[i][j], beta·bias[j])</c> (<c>alpha·Ã·B̃</c> when <c>beta == 0</c>); C is only written.
    /// The same operations on the same values as <see cref="Tile8x32"/> on a C whose rows hold the bias row: the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile8x32Bias(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, float* bias) =>
        Tile<FromBias>(kc, a, b, c, ldc, alpha, beta, bias);

    /// <summary>
    /// The left half of the tile, for a last column panel with exactly 16 valid columns: <c>C[i][j] = fma(alpha, acc, beta·C[i][j])</c>
    /// (<c>alpha·acc</c> when <c>beta == 0</c>) for j &lt; 16, reading B̃'s 32-float rows (<paramref name="b"/>) but only their first
    /// vector: half the multiply-adds of <see cref="Tile8x32"/>, and C written straight from the accumulators instead of
    /// through a tile buffer. Every entry is the same chain of fused multiply-adds over p as in <see cref="Tile8x32"/>, so
    /// the same bits. It writes 16 columns of each row and not the 16 after them, so the caller passes only panels with exactly 16 valid columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile8x16(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta) =>
        Half<FromC>(kc, a, b, c, ldc, alpha, beta, null);

    /// <summary><see cref="Tile8x16"/> with every row of the old C taken from the bias row (as <see cref="Tile8x32Bias"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile8x16Bias(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, float* bias) =>
        Half<FromBias>(kc, a, b, c, ldc, alpha, beta, bias);

    /// <summary>Where the tile's old C comes from (a type argument, so each form is compiled on its own, without a test).</summary>
    internal struct FromC { }

    /// <inheritdoc cref="FromC"/>
    internal struct FromBias { }

    /// <summary>Compiles ahead (<see cref="Numerics.Precompile"/>), without running them, both entry points and both bodies.</summary>
    public static void Precompile()
    {
        Numerics.Precompile.Method(typeof(GemmTileV512), nameof(Tile8x32));
        Numerics.Precompile.Method(typeof(GemmTileV512), nameof(Tile8x32Bias));
        Numerics.Precompile.Method(typeof(GemmTileV512), nameof(Tile), typeof(FromC));
        Numerics.Precompile.Method(typeof(GemmTileV512), nameof(Tile), typeof(FromBias));
        Numerics.Precompile.Method(typeof(GemmTileV512), nameof(Tile8x16));
        Numerics.Precompile.Method(typeof(GemmTileV512), nameof(Tile8x16Bias));
        Numerics.Precompile.Method(typeof(GemmTileV512), nameof(Half), typeof(FromC));
        Numerics.Precompile.Method(typeof(GemmTileV512), nameof(Half), typeof(FromBias));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Half<TOld>(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, float* bias) where TOld : struct
    {
        if (Sse.IsSupported)
        {
            float* cp = c;
            for (int i = 0; i < 8; i++, cp += ldc)
            {
                Sse.Prefetch0(cp);
                Sse.Prefetch0(cp + 15);
            }
        }
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector512<float> c4 = default, c5 = default, c6 = default, c7 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.LoadAligned(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[1]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[2]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[3]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[4]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[5]), b0, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[6]), b0, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[7]), b0, c7);
            a += 8;
            b += 32;
        }
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0)
        {
            (va * c0).Store(c); c += ldc;
            (va * c1).Store(c); c += ldc;
            (va * c2).Store(c); c += ldc;
            (va * c3).Store(c); c += ldc;
            (va * c4).Store(c); c += ldc;
            (va * c5).Store(c); c += ldc;
            (va * c6).Store(c); c += ldc;
            (va * c7).Store(c);
            return;
        }
        Vector512<float> vb = Vector512.Create(beta);
        nint oldLd = ldc;
        float* old = c;
        if (typeof(TOld) == typeof(FromBias))
        {
            old = bias;
            oldLd = 0;
        }
        Vector512.FusedMultiplyAdd(va, c0, vb * Vector512.Load(old)).Store(c); c += ldc; old += oldLd;
        Vector512.FusedMultiplyAdd(va, c1, vb * Vector512.Load(old)).Store(c); c += ldc; old += oldLd;
        Vector512.FusedMultiplyAdd(va, c2, vb * Vector512.Load(old)).Store(c); c += ldc; old += oldLd;
        Vector512.FusedMultiplyAdd(va, c3, vb * Vector512.Load(old)).Store(c); c += ldc; old += oldLd;
        Vector512.FusedMultiplyAdd(va, c4, vb * Vector512.Load(old)).Store(c); c += ldc; old += oldLd;
        Vector512.FusedMultiplyAdd(va, c5, vb * Vector512.Load(old)).Store(c); c += ldc; old += oldLd;
        Vector512.FusedMultiplyAdd(va, c6, vb * Vector512.Load(old)).Store(c); c += ldc; old += oldLd;
        Vector512.FusedMultiplyAdd(va, c7, vb * Vector512.Load(old)).Store(c);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Tile<TOld>(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, float* bias) where TOld : struct
    {
        if (Sse.IsSupported)
        {
            // The C tile is needed only after the k loop (read, or only written from the bias row): start fetching it now.
            float* cp = c;
            for (int i = 0; i < 8; i++, cp += ldc)
            {
                Sse.Prefetch0(cp);
                Sse.Prefetch0(cp + 16);
                Sse.Prefetch0(cp + 31);
            }
        }
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.LoadAligned(b);
            Vector512<float> b1 = Vector512.LoadAligned(b + 16);
            Vector512<float> ai = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(ai, b1, c51);
            ai = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(ai, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(ai, b1, c61);
            ai = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(ai, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(ai, b1, c71);
            a += 8;
            b += 32;
        }
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0)
        {
            (va * c00).Store(c); (va * c01).Store(c + 16); c += ldc;
            (va * c10).Store(c); (va * c11).Store(c + 16); c += ldc;
            (va * c20).Store(c); (va * c21).Store(c + 16); c += ldc;
            (va * c30).Store(c); (va * c31).Store(c + 16); c += ldc;
            (va * c40).Store(c); (va * c41).Store(c + 16); c += ldc;
            (va * c50).Store(c); (va * c51).Store(c + 16); c += ldc;
            (va * c60).Store(c); (va * c61).Store(c + 16); c += ldc;
            (va * c70).Store(c); (va * c71).Store(c + 16);
        }
        else if (typeof(TOld) == typeof(FromBias))
        {
            // beta·bias once for all eight rows: the value the C form multiplies out of each filled row.
            Vector512<float> vb = Vector512.Create(beta);
            Vector512<float> o0 = vb * Vector512.Load(bias), o1 = vb * Vector512.Load(bias + 16);
            Vector512.FusedMultiplyAdd(va, c00, o0).Store(c); Vector512.FusedMultiplyAdd(va, c01, o1).Store(c + 16); c += ldc;
            Vector512.FusedMultiplyAdd(va, c10, o0).Store(c); Vector512.FusedMultiplyAdd(va, c11, o1).Store(c + 16); c += ldc;
            Vector512.FusedMultiplyAdd(va, c20, o0).Store(c); Vector512.FusedMultiplyAdd(va, c21, o1).Store(c + 16); c += ldc;
            Vector512.FusedMultiplyAdd(va, c30, o0).Store(c); Vector512.FusedMultiplyAdd(va, c31, o1).Store(c + 16); c += ldc;
            Vector512.FusedMultiplyAdd(va, c40, o0).Store(c); Vector512.FusedMultiplyAdd(va, c41, o1).Store(c + 16); c += ldc;
            Vector512.FusedMultiplyAdd(va, c50, o0).Store(c); Vector512.FusedMultiplyAdd(va, c51, o1).Store(c + 16); c += ldc;
            Vector512.FusedMultiplyAdd(va, c60, o0).Store(c); Vector512.FusedMultiplyAdd(va, c61, o1).Store(c + 16); c += ldc;
            Vector512.FusedMultiplyAdd(va, c70, o0).Store(c); Vector512.FusedMultiplyAdd(va, c71, o1).Store(c + 16);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Update(c, c00, c01, va, vb); c += ldc;
            Update(c, c10, c11, va, vb); c += ldc;
            Update(c, c20, c21, va, vb); c += ldc;
            Update(c, c30, c31, va, vb); c += ldc;
            Update(c, c40, c41, va, vb); c += ldc;
            Update(c, c50, c51, va, vb); c += ldc;
            Update(c, c60, c61, va, vb); c += ldc;
            Update(c, c70, c71, va, vb);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector512<float> x0, Vector512<float> x1, Vector512<float> va, Vector512<float> vb)
    {
        Vector512.FusedMultiplyAdd(va, x0, vb * Vector512.Load(c)).Store(c);
        Vector512.FusedMultiplyAdd(va, x1, vb * Vector512.Load(c + 16)).Store(c + 16);
    }
}
