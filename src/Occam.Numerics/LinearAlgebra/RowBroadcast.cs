using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// One row copied into every row of a row-major <c>[rows][columns]</c> matrix:
/// <code>
/// destination[r·columns + j] = row[j]      for r &lt; rows, j &lt; columns
/// </code>
/// the bias rows a dense layer's forward product is added to (<c>Y = X·Wᵀ + 1·bᵀ</c> as <c>Y ← 1·bᵀ</c>, then the
/// product with β = 1). A pure copy, so every path gives the same bits as <see cref="FillScalar"/>. The vector path
/// stores whole vectors with no call per row: rows of at least one vector end with one vector that overlaps the
/// previous one, narrower rows are stored as one vector each that runs into the next row (which overwrites the spill),
/// the last rows element by element.
/// </summary>
internal static class RowBroadcast
{
    /// <summary>The copies above (vectorized).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // R2R code with Vector512 is rejected at run time: compile once, optimized
    public static void Fill(ReadOnlySpan<float> row, int rows, Span<float> destination)
    {
        int columns = row.Length;
        Preconditions.CheckLength(destination.Length, rows * columns);
        if (rows == 0 || columns == 0) return;
        ref float src = ref MemoryMarshal.GetReference(row);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int total = rows * columns;
        if (Simd.Use512 && columns >= 16)
        {
            int last = columns - 16;
            for (int r = 0, o = 0; r < rows; r++, o += columns)
            {
                for (int j = 0; j < last; j += 16) Vector512.LoadUnsafe(ref src, (nuint)j).StoreUnsafe(ref dst, (nuint)(o + j));
                Vector512.LoadUnsafe(ref src, (nuint)last).StoreUnsafe(ref dst, (nuint)(o + last));
            }
            return;
        }
        if (Simd.Use256 && columns >= 8)
        {
            int last = columns - 8;
            for (int r = 0, o = 0; r < rows; r++, o += columns)
            {
                for (int j = 0; j < last; j += 8) Vector256.LoadUnsafe(ref src, (nuint)j).StoreUnsafe(ref dst, (nuint)(o + j));
                Vector256.LoadUnsafe(ref src, (nuint)last).StoreUnsafe(ref dst, (nuint)(o + last));
            }
            return;
        }
        int done = 0;
        if (Simd.Use256 && total >= 8)
        {
            // Rows narrower than a vector: one vector per row (the row, then padding that the next row overwrites).
            var v = Vector256<float>.Zero;
            for (int j = 0; j < columns; j++) v = v.WithElement(j, row[j]);
            for (; done + 8 <= total; done += columns) v.StoreUnsafe(ref dst, (nuint)done);
        }
        for (; done < total; done += columns) row.CopyTo(destination.Slice(done, columns));
    }

    /// <summary>Scalar definition of <see cref="Fill"/>.</summary>
    public static void FillScalar(ReadOnlySpan<float> row, int rows, Span<float> destination)
    {
        int columns = row.Length;
        Preconditions.CheckLength(destination.Length, rows * columns);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < columns; j++) destination[r * columns + j] = row[j];
    }
}
