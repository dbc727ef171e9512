namespace Occam.Numerics.Tests.Gemm;

/// <summary>
/// <see cref="GemmPrecompile"/> and <see cref="Precompile"/>: compiling ahead names methods that exist on every path and
/// every kernel (a renamed kernel makes these tests fail instead of silently leaving the warm-up's list stale), the
/// in-place path's tile heights stay within the tile bodies that exist (1..12 rows, 1 or 2 vectors) for any rows,
/// columns and threads, and a missing method is reported.
/// </summary>
public class GemmPrecompileTests
{
    [Fact]
    public void AMissingMethodIsReported()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Precompile.Method(typeof(GemmPacking), "NoSuchKernel"));
        Assert.Contains("NoSuchKernel", e.Message);
        // The right name with the wrong number of generic parameters is missing too.
        Assert.Throws<InvalidOperationException>(() => Precompile.Method(typeof(GemmPacking), nameof(GemmPacking.PackA), typeof(StridedLines)));
    }

    [Theory]
    [InlineData((int)GemmKernel.Auto)]
    [InlineData((int)GemmKernel.Scalar)]
    [InlineData((int)GemmKernel.V128)]
    [InlineData((int)GemmKernel.V256)]
    [InlineData((int)GemmKernel.V512)]
    public void ThePackedPathOfEveryKernelIsFound(int kind)
    {
        GemmPrecompile.Packed(GemmRowSource.None, (GemmKernel)kind);
        GemmPrecompile.Packed(GemmRowSource.Floats, (GemmKernel)kind);
        GemmPrecompile.Packed(GemmRowSource.Bytes, (GemmKernel)kind);
    }

    [Theory]
    [InlineData(false, false, 2, 2, 2, (int)GemmPath.Tiny)]
    [InlineData(true, false, 13, 16, 4, (int)GemmPath.Tiny)]
    [InlineData(false, true, 2, 2, 2, (int)GemmPath.Tiny)]
    [InlineData(false, false, 2, 17, 2, (int)GemmPath.Direct)]
    [InlineData(false, true, 2, 512, 784, (int)GemmPath.FewRows)]
    [InlineData(false, true, 256, 10, 256, (int)GemmPath.InPlace)]
    [InlineData(true, false, 10, 256, 256, (int)GemmPath.InPlace)]
    [InlineData(false, false, 256, 256, 10, (int)GemmPath.InPlace)]
    [InlineData(false, true, 256, 512, 784, (int)GemmPath.Packed)]
    public void EveryPathOfAProductIsFound(bool transposeA, bool transposeB, int m, int n, int k, int pathValue)
    {
        var path = (GemmPath)pathValue;
        var expected = path == GemmPath.Tiny && !GemmTiny.IsSupported ? GemmPath.Direct
            : path == GemmPath.FewRows && !GemmFewRows.IsSupported ? GemmPath.Packed
            : path == GemmPath.InPlace && !(GemmInPlace.IsPreferredKernel(GemmKernelInfo.AutoKind) && GemmInPlace.Fits(transposeA, transposeB, m, n, k, GemmKernelInfo.AutoKind == GemmKernel.V256)) ? GemmPath.Packed
            : path;
        Assert.Equal(expected, Numerics.Gemm.AutoPath(transposeA, transposeB, m, n, k));
        GemmPrecompile.Product(transposeA, transposeB, m, n, k);
        GemmPrecompile.Product(transposeA, transposeB, m, n, k, GemmRowSource.Floats);
        GemmPrecompile.Product(transposeA, transposeB, m, n, k, GemmRowSource.Bytes);
        GemmPrecompile.Product(transposeA, transposeB, 0, n, k);   // empty: nothing to compile
    }

    [Fact]
    public void InPlaceTileHeightsStayWithinTheTileBodies()
    {
        // Run's heights and the items' shares for every row count up to 300 (m ≤ 12 one tile, up to 12 rows with one
        // vector, 8 with two), narrow and wide products, one to three threads: Precompile refuses a height outside 1..12.
        foreach (int threads in new[] { 1, 2, 3 })
            foreach (int n in new[] { 1, 10, 16, 17, 32, 33, 100, 256 })
                for (int m = 1; m <= 300; m++)
                    GemmInPlace.Precompile(m, n, threads);
        // The same with the 8-float (AVX2) tiles: up to 12 rows with one vector, 6 with two.
        foreach (int threads in new[] { 1, 2, 3 })
            foreach (int n in new[] { 1, 8, 9, 10, 16, 17, 32, 33, 100, 256 })
                for (int m = 1; m <= 300; m++)
                    GemmInPlace.Precompile(m, n, threads, v256: true);
        Assert.Throws<ArgumentOutOfRangeException>(() => GemmTileV512InPlace.Precompile(13, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GemmTileV512InPlace.Precompile(1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => GemmTileV256InPlace.Precompile(13, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GemmTileV256InPlace.Precompile(7, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => GemmTileV256InPlace.Precompile(1, 3));
    }
}
