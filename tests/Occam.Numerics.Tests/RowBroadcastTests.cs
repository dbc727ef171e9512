using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

public class RowBroadcastTests
{
    [Fact]
    public void VectorEqualsScalarAndTheDefinitionBitwise()
    {
        var rng = new Rng(404UL);
        foreach (int rows in new[] { 0, 1, 2, 3, 7, 128 })
            foreach (int columns in TestVectors.Lengths)
            {
                var row = TestVectors.Mixed(rng, columns, large: false);
                var fast = new float[rows * columns];
                var scalar = new float[rows * columns];
                fast.AsSpan().Fill(float.NaN);   // every element is written
                RowBroadcast.Fill(row, rows, fast);
                RowBroadcast.FillScalar(row, rows, scalar);
                TestVectors.AssertBitwise(scalar, fast, $"rows={rows} columns={columns}");
                for (int r = 0; r < rows; r++)
                    TestVectors.AssertBitwise(row, fast.AsSpan(r * columns, columns).ToArray(), $"row {r} of rows={rows} columns={columns}");
            }
    }

    [Fact]
    public void WritesNothingPastTheMatrix()
    {
        var row = new float[] { 1, 2, 3 };
        var destination = new float[3 * 5 + 16];
        destination.AsSpan().Fill(-7f);
        RowBroadcast.Fill(row, 5, destination.AsSpan(0, 15));
        Assert.All(destination[15..], v => Assert.Equal(-7f, v));
        for (int i = 0; i < 15; i++) Assert.Equal(row[i % 3], destination[i]);
    }
}
