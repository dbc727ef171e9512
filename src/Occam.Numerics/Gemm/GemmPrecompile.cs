namespace Occam.Numerics;

/// <summary>
/// Compiles ahead (<see cref="Precompile"/>), without running anything, the kernels a product of a given shape runs in
/// <see cref="Gemm.Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
/// (automatic path and threads) or <see cref="Gemm.MultiplyRows"/> (row tables: always the packed path), so that
/// their just-in-time compilation can run on another thread before the product is first computed. The path is the
/// one <see cref="Gemm.AutoPath"/> decides; on the in-place path the tile bodies follow the rows and threads
/// (<see cref="GemmInPlace.Precompile"/>); the packed path's kernels do not depend on the shape.
/// </summary>
internal static class GemmPrecompile
{
    /// <summary>
    /// Compiles what <c>Gemm.Multiply(transposeA, transposeB, m, n, k, …)</c> runs (<paramref name="rowTable"/>:
    /// what <c>Gemm.MultiplyRows</c> runs with a row table). Nothing for an empty product.
    /// </summary>
    public static void Product(bool transposeA, bool transposeB, int m, int n, int k, bool rowTable = false)
    {
        if (m <= 0 || n <= 0 || k <= 0) return;
        switch (rowTable ? GemmPath.Packed : Gemm.AutoPath(transposeA, transposeB, m, n, k))
        {
            case GemmPath.Direct:
                Precompile.Method(typeof(GemmSmall), nameof(GemmSmall.Multiply));
                break;
            case GemmPath.FewRows:
                Precompile.Method(typeof(GemmFewRows), nameof(GemmFewRows.Multiply));
                break;
            case GemmPath.InPlace:
                GemmInPlace.Precompile(m, n, Gemm.AutoThreads(m, n, k));
                break;
            default:
                Packed(rowTable);
                break;
        }
    }

    /// <summary>
    /// The packed path on the kernel <paramref name="kind"/> (<see cref="GemmKernel.Auto"/>: this machine's,
    /// <see cref="GemmKernelInfo.AutoKind"/>): the driver, its macro-kernels, bias fill and edge store, the packing of Ã
    /// and B̃ (with <paramref name="rowTable"/>, also their row-table forms) and the micro-kernel tile.
    /// </summary>
    public static void Packed(bool rowTable = false, GemmKernel kind = GemmKernel.Auto)
    {
        Precompile.Method(typeof(GemmDriver), nameof(GemmDriver.Execute));
        Precompile.Method(typeof(GemmDriver), "MacroKernel");
        Precompile.Method(typeof(GemmDriver), "StoreEdge");
        Precompile.Method(typeof(GemmDriver), "FillBias");
        Precompile.Method(typeof(GemmPacking), nameof(GemmPacking.PackA));
        Precompile.Method(typeof(GemmPacking), nameof(GemmPacking.PackB));
        Precompile.Method(typeof(GemmPacking), nameof(GemmPacking.PackTransposed), typeof(StridedLines));
        if (rowTable)
        {
            Precompile.Method(typeof(GemmPackingRows), nameof(GemmPackingRows.PackA));
            Precompile.Method(typeof(GemmPackingRows), nameof(GemmPackingRows.PackB));
            Precompile.Method(typeof(GemmPacking), nameof(GemmPacking.PackTransposed), typeof(IndexedLines));
        }
        switch (kind == GemmKernel.Auto ? GemmKernelInfo.AutoKind : kind)
        {
            case GemmKernel.V512:
                Precompile.Method(typeof(GemmTileV512), nameof(GemmTileV512.Tile8x32));
                break;
            case GemmKernel.V256:
                Precompile.Method(typeof(GemmTileV256), nameof(GemmTileV256.Tile6x16));
                Precompile.Method(typeof(GemmTileV256Strided), nameof(GemmTileV256Strided.Tile6x16));
                Precompile.Method(typeof(GemmDriver), "MacroKernelStrided");
                break;
            case GemmKernel.V128:
                Precompile.Method(typeof(GemmTileV128), nameof(GemmTileV128.Tile6x8));
                break;
            default:
                Precompile.Method(typeof(GemmTileScalar), nameof(GemmTileScalar.Tile4x4));
                break;
        }
    }
}
