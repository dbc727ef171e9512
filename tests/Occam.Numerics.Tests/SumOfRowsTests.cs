using Occam.Numerics.Random;
using Occam.Numerics.Reductions;

namespace Occam.Numerics.Tests;

public class SumOfRowsTests
{
    [Fact]
    public void VectorEqualsScalarAndRowByRowAdditionBitwise()
    {
        var rng = new Rng(301UL);
        foreach (int rows in new[] { 0, 1, 3, 128 })
            foreach (int columns in TestVectors.Lengths)
            {
                var m = TestVectors.Mixed(rng, rows * columns, large: false);
                var fast = new float[columns];
                var scalar = new float[columns];
                fast.AsSpan().Fill(float.NaN);   // overwritten, never accumulated into
                SumOfRows.Compute(m, rows, columns, fast);
                SumOfRows.ComputeScalar(m, rows, columns, scalar);
                TestVectors.AssertBitwise(scalar, fast, $"rows={rows} columns={columns}");
                // The definition: rows added one at a time into a zeroed vector (what the bias gradient did before).
                var byRow = new float[columns];
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < columns; j++) byRow[j] += m[r * columns + j];
                TestVectors.AssertBitwise(byRow, fast, $"row by row, rows={rows} columns={columns}");
            }
    }

    [Fact]
    public void ColumnBlockOfAWiderMatrixEqualsTheWholeMatrixSumsBitwise()
    {
        // A block of columns [j0, j0 + columns) of a rows × ld matrix, read with ld: the same bits as those columns of the
        // whole matrix's sums (a training step's threads each sum their own units' columns).
        var rng = new Rng(302UL);
        foreach (int rows in new[] { 0, 1, 3, 128 })
            foreach (int ld in new[] { 1, 10, 17, 128, 200 })
            {
                var m = TestVectors.Mixed(rng, rows * ld, large: false);
                var whole = new float[ld];
                SumOfRows.ComputeScalar(m, rows, ld, whole);
                foreach (int j0 in new[] { 0, ld / 3, ld / 2, ld - 1 })
                    foreach (int columns in new[] { 0, 1, ld / 2, ld - j0 })
                    {
                        if (columns > ld - j0) continue;
                        var block = new float[columns];
                        block.AsSpan().Fill(float.NaN);
                        SumOfRows.Compute(m.AsSpan(Math.Min(j0, m.Length)), rows, columns, ld, block);
                        TestVectors.AssertBitwise(whole.AsSpan(j0, columns).ToArray(), block, $"rows={rows} ld={ld} j0={j0} columns={columns}");
                    }
            }
    }
}
