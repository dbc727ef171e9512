using Occam.Numerics.Random;

namespace Occam.Numerics.Tests.Gemm;

/// <summary>
/// The bias row read by the 8×32 Vector512 micro-kernel in place of C (<see cref="GemmTileV512.Tile8x32Bias"/>, edge tiles
/// from the bias row, session 17): a product with a bias on the packed path equals, bit for bit, the same product with β = 1
/// on a C whose rows were first filled with the bias row (what <c>FillBias</c> does on the other kernels), for full and
/// edge tiles, one and several depth blocks, several row blocks and column blocks, rows through a table or not, both
/// thread splits, 1, 2 and 3 threads, α = 1 and α ≠ 1; and the kernel alone equals <see cref="GemmTileV512.Tile8x32"/>
/// on the filled tile. The same for the 6×16 Vector256 kernel (session 18), with a packed Ã and with op(A) read in place
/// (<see cref="GemmTileV256.Tile6x16Bias"/>, <see cref="GemmTileV256Strided.Tile6x16Bias"/>).
/// </summary>
public unsafe class GemmBiasKernelTests
{
    private static float[] Random(Rng rng, int n)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)rng.NextNormal();
        return v;
    }

    [Theory]
    [InlineData(8, 32, 256)]       // one full tile, one depth block
    [InlineData(37, 45, 300)]      // edge rows and columns, two depth blocks
    [InlineData(9, 33, 1)]         // depth 1, one column past a tile
    [InlineData(300, 70, 520)]     // three row blocks (MC = 128), three depth blocks, an edge panel of 6 columns
    [InlineData(256, 512, 784)]    // the big net's first layer on a batch of 256
    [InlineData(37, 2700, 784)]    // two column blocks (B̃ capped at 2²¹ floats)
    [InlineData(13, 600, 61)]      // few row panels: the items may split the columns
    [InlineData(37, 784, 256)]     // a last panel of exactly 16 columns: the half tiles (GemmDriver.HalfTiles)
    [InlineData(16, 48, 300)]      // the same, two depth blocks
    public void BiasInTheKernelEqualsTheFilledRowsThenBetaOne(int m, int n, int k) =>
        BiasEqualsFilledRows(GemmKernel.V512, GemmPath.Packed, m, n, k);

    [Theory]
    [InlineData(6, 16, 256, false)]     // one full tile, one depth block (without a row table the automatic path of so
    [InlineData(6, 16, 256, true)]      // small a product fills C first; with one, Ã is packed)
    [InlineData(37, 45, 300, false)]    // edge rows and columns, two depth blocks
    [InlineData(37, 45, 300, true)]
    [InlineData(7, 17, 1, true)]        // depth 1, one row and one column past a tile (through the row table)
    [InlineData(300, 70, 520, false)]   // three row blocks (MC = 144), three depth blocks, an edge panel of 6 columns
    [InlineData(300, 70, 520, true)]
    [InlineData(256, 512, 784, true)]   // the big net's first layer on a batch of 256 (op(A) in place, as in the step)
    [InlineData(256, 256, 512, false)]  // its second layer, Ã packed
    [InlineData(37, 2700, 784, true)]   // two column blocks (B̃ capped at 2²¹ floats)
    [InlineData(13, 600, 61, false)]    // few row panels: the items may split the columns
    [InlineData(13, 600, 61, true)]
    public void BiasInTheV256KernelEqualsTheFilledRowsThenBetaOne(int m, int n, int k, bool directA) =>
        BiasEqualsFilledRows(GemmKernel.V256, directA ? GemmPath.PackedB : GemmPath.Packed, m, n, k);

    private static void BiasEqualsFilledRows(GemmKernel kernel, GemmPath path, int m, int n, int k)
    {
        var rng = new Rng((ulong)(m * 131 + n * 17 + k));
        int lda = k + 3, stored = 2 * m + 5;
        var a = Random(rng, stored * lda);
        var rows = new int[m];
        for (int i = 0; i < m; i++) rows[i] = rng.NextInt(stored);
        var gathered = new float[m * lda];
        for (int i = 0; i < m; i++) a.AsSpan(rows[i] * lda, k).CopyTo(gathered.AsSpan(i * lda));
        var w = Random(rng, n * k);
        var bias = Random(rng, n);
        int ldc = n + 5;
        foreach (float alpha in new[] { 1f, 0.75f })
            foreach (int threads in new[] { 1, 2, 3 })
                foreach (var split in new[] { GemmSplit.Auto, GemmSplit.Shared, GemmSplit.ColumnsInItems })
                    foreach (bool table in new[] { false, true })
                    {
                        var options = new GemmOptions(kernel, threads, path, split);
                        string what = $"{kernel} {path} {m}×{n}×{k} α={alpha} threads={threads} {split} table={table}";
                        var expected = Random(new Rng(3UL), m * ldc);
                        var actual = (float[])expected.Clone();
                        for (int i = 0; i < m; i++) bias.CopyTo(expected, i * ldc);
                        Numerics.Gemm.Multiply(options, false, true, m, n, k, alpha, table ? gathered : a, lda, w, k, 1f, expected, ldc);
                        Numerics.Gemm.MultiplyRowsWith(options, false, true, m, n, k, alpha, a, lda, table ? rows : [], w, k, [], 0f, actual, ldc, bias);
                        Assert.True(expected.AsSpan().SequenceEqual(actual), what);
                    }
    }

    [Fact]
    public void TheV256BiasTilesEqualTheTilesOnFilledRows()
    {
        var rng = new Rng(43UL);
        const int kc = 57, ldc = 24, lda = 61;
        var aPack = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(6 * kc * sizeof(float), 64);
        var bPack = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(16 * kc * sizeof(float), 64);
        try
        {
            for (int i = 0; i < 6 * kc; i++) aPack[i] = (float)rng.NextNormal();
            for (int i = 0; i < 16 * kc; i++) bPack[i] = (float)rng.NextNormal();
            var a = Random(rng, 6 * lda);   // op(A) in place: row-major, 6 rows of lda
            var bias = Random(rng, 16);
            bias[0] = -0f;
            bias[1] = float.MaxValue;
            bias[2] = float.Epsilon;
            foreach (bool strided in new[] { false, true })
                foreach ((float alpha, float beta) in new[] { (1f, 1f), (0.5f, 1f), (1f, 0f), (-3f, 0.25f) })
                {
                    var expected = Random(rng, 6 * ldc);
                    var actual = Random(rng, 6 * ldc);
                    var before = (float[])actual.Clone();
                    for (int i = 0; i < 6; i++) bias.CopyTo(expected, i * ldc);
                    fixed (float* e = expected, c = actual, b = bias, pa = a)
                    {
                        if (strided)
                        {
                            GemmTileV256Strided.Tile6x16(kc, pa, lda, 1, 6, bPack, e, ldc, alpha, beta);
                            GemmTileV256Strided.Tile6x16Bias(kc, pa, lda, 1, 6, bPack, c, ldc, alpha, beta, b);
                        }
                        else
                        {
                            GemmTileV256.Tile6x16(kc, aPack, bPack, e, ldc, alpha, beta);
                            GemmTileV256.Tile6x16Bias(kc, aPack, bPack, c, ldc, alpha, beta, b);
                        }
                    }
                    for (int i = 0; i < 6; i++)
                    {
                        Assert.True(expected.AsSpan(i * ldc, 16).SequenceEqual(actual.AsSpan(i * ldc, 16)), $"row {i} strided={strided} α={alpha} β={beta}");
                        Assert.True(before.AsSpan(i * ldc + 16, ldc - 16).SequenceEqual(actual.AsSpan(i * ldc + 16, ldc - 16)), $"past the tile, row {i}");
                    }
                }
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.AlignedFree(aPack);
            System.Runtime.InteropServices.NativeMemory.AlignedFree(bPack);
        }
    }

    [Fact]
    public void TheBiasTileEqualsTheTileOnFilledRows()
    {
        var rng = new Rng(41UL);
        const int kc = 57, ldc = 40;
        var aPack = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(8 * kc * sizeof(float), 64);
        var bPack = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(32 * kc * sizeof(float), 64);
        try
        {
            for (int i = 0; i < 8 * kc; i++) aPack[i] = (float)rng.NextNormal();
            for (int i = 0; i < 32 * kc; i++) bPack[i] = (float)rng.NextNormal();
            var bias = Random(rng, 32);
            bias[0] = -0f;
            bias[1] = float.MaxValue;
            bias[2] = float.Epsilon;
            foreach ((float alpha, float beta) in new[] { (1f, 1f), (0.5f, 1f), (1f, 0f), (-3f, 0.25f) })
            {
                var expected = Random(rng, 8 * ldc);
                var actual = Random(rng, 8 * ldc);
                var before = (float[])actual.Clone();
                for (int i = 0; i < 8; i++) bias.CopyTo(expected, i * ldc);
                fixed (float* e = expected, c = actual, b = bias)
                {
                    GemmTileV512.Tile8x32(kc, aPack, bPack, e, ldc, alpha, beta);
                    GemmTileV512.Tile8x32Bias(kc, aPack, bPack, c, ldc, alpha, beta, b);
                }
                for (int i = 0; i < 8; i++)
                {
                    Assert.True(expected.AsSpan(i * ldc, 32).SequenceEqual(actual.AsSpan(i * ldc, 32)), $"row {i} α={alpha} β={beta}");
                    Assert.True(before.AsSpan(i * ldc + 32, ldc - 32).SequenceEqual(actual.AsSpan(i * ldc + 32, ldc - 32)), $"past the tile, row {i}");
                }
            }
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.AlignedFree(aPack);
            System.Runtime.InteropServices.NativeMemory.AlignedFree(bPack);
        }
    }
}
