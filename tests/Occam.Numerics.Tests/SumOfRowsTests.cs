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
}
