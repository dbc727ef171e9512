using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Reductions;

/// <summary>
/// The sum of the rows (column sums) of a row-major <c>[rows][columns]</c> matrix, rows added one at a time in order from +0:
/// <code>
/// sums[j] = (…((+0 + m[0, j]) + m[1, j]) + …) + m[rows − 1, j]
/// </code>
/// the bias gradient <c>∂b = 1ᵀ·∂Y</c> of a dense layer. Each column keeps this order on every path (the vector paths
/// hold a block of columns in registers across all rows), so they equal <see cref="ComputeScalar"/> bit for bit, and
/// the result is what adding the rows one by one into a zeroed vector gives.
/// </summary>
internal static class SumOfRows
{
    /// <summary>The sums above (vectorized over columns).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]   // R2R code with Vector512 is rejected at run time: compile once, optimized
    public static void Compute(ReadOnlySpan<float> m, int rows, int columns, Span<float> sums) => Compute(m, rows, columns, columns, sums);

    /// <summary>
    /// The sums above over <paramref name="columns"/> columns of a matrix whose rows lie <paramref name="ld"/> ≥ columns floats
    /// apart (a block of columns of a wider matrix: <c>m[0]</c> is the block's first element;
    /// <c>sums[j] = (…(+0 + m[0·ld + j]) + …) + m[(rows − 1)·ld + j]</c>): each column's sum is the same bits as in the whole
    /// matrix (a training step's threads each sum their own units' columns of ∂Y).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Compute(ReadOnlySpan<float> m, int rows, int columns, int ld, Span<float> sums)
    {
        if (ld < columns) throw new ArgumentOutOfRangeException(nameof(ld), ld, $"ld must be at least the {columns} columns.");
        Preconditions.CheckLength(m.Length, rows == 0 ? 0 : (rows - 1) * ld + columns);
        Preconditions.CheckLength(sums.Length, columns);
        ref float src = ref MemoryMarshal.GetReference(m);
        ref float dst = ref MemoryMarshal.GetReference(sums);
        int j = 0;
        if (Simd.Use512)
        {
            for (; j + 64 <= columns; j += 64)
            {
                Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
                for (int r = 0; r < rows; r++)
                {
                    nuint o = (nuint)(r * ld + j);
                    a0 += Vector512.LoadUnsafe(ref src, o);
                    a1 += Vector512.LoadUnsafe(ref src, o + 16);
                    a2 += Vector512.LoadUnsafe(ref src, o + 32);
                    a3 += Vector512.LoadUnsafe(ref src, o + 48);
                }
                a0.StoreUnsafe(ref dst, (nuint)j);
                a1.StoreUnsafe(ref dst, (nuint)(j + 16));
                a2.StoreUnsafe(ref dst, (nuint)(j + 32));
                a3.StoreUnsafe(ref dst, (nuint)(j + 48));
            }
            for (; j + 16 <= columns; j += 16)
            {
                var a = Vector512<float>.Zero;
                for (int r = 0; r < rows; r++) a += Vector512.LoadUnsafe(ref src, (nuint)(r * ld + j));
                a.StoreUnsafe(ref dst, (nuint)j);
            }
        }
        if (Simd.Use256)
        {
            // Eight running sums (64 columns) per pass over the rows: one sum per 8 columns was bound by the add's latency
            // (3-4 cycles per row), ≈ 3× slower than the Vector512 blocks on the 128 × 128 bias gradient of 64-128-10.
            for (; j + 64 <= columns; j += 64)
            {
                Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
                for (int r = 0; r < rows; r++)
                {
                    nuint o = (nuint)(r * ld + j);
                    a0 += Vector256.LoadUnsafe(ref src, o);
                    a1 += Vector256.LoadUnsafe(ref src, o + 8);
                    a2 += Vector256.LoadUnsafe(ref src, o + 16);
                    a3 += Vector256.LoadUnsafe(ref src, o + 24);
                    a4 += Vector256.LoadUnsafe(ref src, o + 32);
                    a5 += Vector256.LoadUnsafe(ref src, o + 40);
                    a6 += Vector256.LoadUnsafe(ref src, o + 48);
                    a7 += Vector256.LoadUnsafe(ref src, o + 56);
                }
                a0.StoreUnsafe(ref dst, (nuint)j);
                a1.StoreUnsafe(ref dst, (nuint)(j + 8));
                a2.StoreUnsafe(ref dst, (nuint)(j + 16));
                a3.StoreUnsafe(ref dst, (nuint)(j + 24));
                a4.StoreUnsafe(ref dst, (nuint)(j + 32));
                a5.StoreUnsafe(ref dst, (nuint)(j + 40));
                a6.StoreUnsafe(ref dst, (nuint)(j + 48));
                a7.StoreUnsafe(ref dst, (nuint)(j + 56));
            }
            for (; j + 32 <= columns; j += 32)
            {
                Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
                for (int r = 0; r < rows; r++)
                {
                    nuint o = (nuint)(r * ld + j);
                    a0 += Vector256.LoadUnsafe(ref src, o);
                    a1 += Vector256.LoadUnsafe(ref src, o + 8);
                    a2 += Vector256.LoadUnsafe(ref src, o + 16);
                    a3 += Vector256.LoadUnsafe(ref src, o + 24);
                }
                a0.StoreUnsafe(ref dst, (nuint)j);
                a1.StoreUnsafe(ref dst, (nuint)(j + 8));
                a2.StoreUnsafe(ref dst, (nuint)(j + 16));
                a3.StoreUnsafe(ref dst, (nuint)(j + 24));
            }
            for (; j + 8 <= columns; j += 8)
            {
                var a = Vector256<float>.Zero;
                for (int r = 0; r < rows; r++) a += Vector256.LoadUnsafe(ref src, (nuint)(r * ld + j));
                a.StoreUnsafe(ref dst, (nuint)j);
            }
        }
        for (; j < columns; j++) sums[j] = Column(m, rows, ld, j);
    }

    /// <summary>Scalar definition of <see cref="Compute(ReadOnlySpan{float}, int, int, Span{float})"/>.</summary>
    public static void ComputeScalar(ReadOnlySpan<float> m, int rows, int columns, Span<float> sums)
    {
        Preconditions.CheckLength(m.Length, rows * columns);
        Preconditions.CheckLength(sums.Length, columns);
        for (int j = 0; j < columns; j++) sums[j] = Column(m, rows, columns, j);
    }

    private static float Column(ReadOnlySpan<float> m, int rows, int ld, int j)
    {
        float s = 0f;
        for (int r = 0; r < rows; r++) s += m[r * ld + j];
        return s;
    }
}
