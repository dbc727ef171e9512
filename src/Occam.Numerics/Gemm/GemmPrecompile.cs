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
    /// Compiles what <c>Gemm.Multiply(transposeA, transposeB, m, n, k, …)</c> runs (<paramref name="rows"/> other than
    /// <see cref="GemmRowSource.None"/>: what <c>Gemm.MultiplyRows</c> runs with a row table over float or byte rows).
    /// Nothing for an empty product.
    /// </summary>
    public static void Product(bool transposeA, bool transposeB, int m, int n, int k, GemmRowSource rows = GemmRowSource.None)
    {
        if (m <= 0 || n <= 0 || k <= 0) return;
        switch (rows != GemmRowSource.None ? GemmPath.Packed : Gemm.AutoPath(transposeA, transposeB, m, n, k))
        {
            case GemmPath.Tiny:
                GemmTiny.Precompile(m);
                break;
            case GemmPath.Direct:
                Precompile.Method(typeof(GemmSmall), nameof(GemmSmall.Multiply));
                break;
            case GemmPath.FewRows:
                Precompile.Method(typeof(GemmFewRows), nameof(GemmFewRows.Multiply));
                break;
            case GemmPath.InPlace:
                bool v256 = GemmInPlace.NarrowTiles(GemmKernel.Auto);
                GemmInPlace.Precompile(m, n, GemmInPlace.AutoThreads(transposeB, m, n, k, v256), v256,
                    GemmInPlace.AlignShallow && GemmInPlace.SplitsLargeShallow(transposeB, m, n, k, v256),
                    GemmInPlace.LineWindows && GemmInPlace.WritesLineWindows(transposeB, m, n, k, v256),
                    GemmInPlace.UsesWideTiles(transposeB, k, v256));
                break;
            default:
                Packed(rows);
                break;
        }
    }

    /// <summary>
    /// The in-place path's code that does not depend on the shape (<see cref="GemmInPlace.PrecompileDriver"/>: its driver
    /// and the packing of a partial strip), for a warm-up that does not know the shapes yet.
    /// </summary>
    public static void InPlaceDriver() => GemmInPlace.PrecompileDriver();

    /// <summary>
    /// The packed path on the kernel <paramref name="kind"/> (<see cref="GemmKernel.Auto"/>: this machine's,
    /// <see cref="GemmKernelInfo.AutoKind"/>): the driver, its macro-kernels, bias fill and edge store, the packing of Ã
    /// and B̃ (with a row table, also their forms over that line source: <see cref="IndexedLines"/> or
    /// <see cref="IndexedByteLines"/>) and the micro-kernel tile.
    /// </summary>
    public static void Packed(GemmRowSource rows = GemmRowSource.None, GemmKernel kind = GemmKernel.Auto)
    {
        Precompile.Method(typeof(GemmDriver), nameof(GemmDriver.Execute));
        Precompile.Method(typeof(GemmDriver), "MacroKernel");
        Precompile.Method(typeof(GemmDriver), "StoreEdge");
        Precompile.Method(typeof(GemmDriver), "FillBias");
        Precompile.Method(typeof(GemmDriver), "PackBPanels");
        Precompile.Method(typeof(GemmPacking), nameof(GemmPacking.PackA));
        Precompile.Method(typeof(GemmPacking), nameof(GemmPacking.PackB));
        Precompile.Method(typeof(GemmPacking), nameof(GemmPacking.PackTransposed), typeof(StridedLines), typeof(NoCheck));
        if (rows != GemmRowSource.None)
        {
            var lines = rows == GemmRowSource.Bytes ? typeof(IndexedByteLines) : typeof(IndexedLines);
            Precompile.Method(typeof(GemmPackingRows), nameof(GemmPackingRows.PackA), lines);
            Precompile.Method(typeof(GemmPackingRows), nameof(GemmPackingRows.PackB), lines);
            Precompile.Method(typeof(GemmPacking), nameof(GemmPacking.PackTransposed), lines, typeof(NoCheck));
        }
        switch (kind == GemmKernel.Auto ? GemmKernelInfo.AutoKind : kind)
        {
            case GemmKernel.V512:
                GemmTileV512.Precompile();
                break;
            case GemmKernel.V256:
                GemmTileV256.Precompile();
                GemmTileV256Strided.Precompile();
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

/// <summary>Where a product's row-table operand reads its rows (<see cref="GemmPrecompile"/>).</summary>
internal enum GemmRowSource
{
    /// <summary>No row table (<c>Gemm.Multiply</c>).</summary>
    None,
    /// <summary>Float rows through a row table (<see cref="IndexedLines"/>).</summary>
    Floats,
    /// <summary>Byte rows standardized as they are packed (<see cref="IndexedByteLines"/>).</summary>
    Bytes,
}
