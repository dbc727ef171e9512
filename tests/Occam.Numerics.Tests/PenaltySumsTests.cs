using System.Numerics.Tensors;
using Occam.Numerics.Random;
using Occam.Numerics.Reductions;

namespace Occam.Numerics.Tests;

/// <summary>
/// <see cref="SumOfMagnitudes"/> and <see cref="SumOfSquares"/> return bit for bit what TensorPrimitives returns (the penalty
/// values of training records must not change) at every length and every start of the span in memory, and agree with
/// their scalar references up to the rounding of a reordered float sum. Run with <c>DOTNET_EnableAVX512=0</c> the same
/// tests check the 256-bit path against TensorPrimitives' own 256-bit path.
/// </summary>
public class PenaltySumsTests
{
    /// <summary>0 … 257, the lengths around the 8-vector rounds up to 600, and the MNIST job's weight matrices.</summary>
    private static IEnumerable<int> Lengths => TestVectors.Lengths.Concat(Enumerable.Range(258, 343)).Concat([2560, 131072, 401408]);

    [Fact]
    public void EqualTensorPrimitivesBitForBitAtEveryLengthAndStart()
    {
        var rng = new Rng(1201UL);
        foreach (int n in Lengths)
        {
            var buffer = new float[n + 32];
            for (int i = 0; i < buffer.Length; i++) buffer[i] = (float)(rng.NextNormal() * Math.Pow(10, rng.NextInt(7) - 3));
            for (int offset = 0; offset < (n > 20000 ? 3 : 17); offset++)
            {
                var x = new ReadOnlySpan<float>(buffer, offset, n);
                Assert.True(Bits(TensorPrimitives.SumOfMagnitudes(x)) == Bits(SumOfMagnitudes.Sum(x)), $"Σ|x|, n = {n}, offset {offset}");
                Assert.True(Bits(TensorPrimitives.SumOfSquares(x)) == Bits(SumOfSquares.Sum(x)), $"Σx², n = {n}, offset {offset}");
            }
        }
    }

    [Fact]
    public void EqualTensorPrimitivesOnMixedVectors()
    {
        var rng = new Rng(1202UL);
        foreach (int n in TestVectors.Lengths)
        {
            var x = TestVectors.Mixed(rng, n, large: false);
            Assert.True(Bits(TensorPrimitives.SumOfMagnitudes(x)) == Bits(SumOfMagnitudes.Sum(x)), $"Σ|x|, n = {n}");
            Assert.True(Bits(TensorPrimitives.SumOfSquares(x)) == Bits(SumOfSquares.Sum(x)), $"Σx², n = {n}");
        }
    }

    [Fact]
    public void AgreeWithScalarReferencesUpToReordering()
    {
        var rng = new Rng(1203UL);
        foreach (int n in TestVectors.Lengths)
        {
            var x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float)rng.NextNormal();
            double l1 = 0, l2 = 0;
            foreach (float v in x)
            {
                l1 += Math.Abs(v);
                l2 += (double)v * v;
            }
            // A float sum of n non-negative terms (each rounded once) is within about (n + 1)·2⁻²⁴ of the exact sum, relatively.
            double tolerance = (n + 1) * Math.Pow(2, -23);
            Assert.InRange(SumOfMagnitudes.Sum(x), l1 * (1 - tolerance), l1 * (1 + tolerance));
            Assert.InRange(SumOfMagnitudes.SumScalar(x), l1 * (1 - tolerance), l1 * (1 + tolerance));
            Assert.InRange(SumOfSquares.Sum(x), l2 * (1 - tolerance), l2 * (1 + tolerance));
            Assert.InRange(SumOfSquares.SumScalar(x), l2 * (1 - tolerance), l2 * (1 + tolerance));
        }
        Assert.Equal(0f, SumOfMagnitudes.Sum([]));
        Assert.Equal(0f, SumOfSquares.Sum([]));
        Assert.Equal(6f, SumOfMagnitudes.Sum([-1f, 2f, -3f]));
        Assert.Equal(14f, SumOfSquares.Sum([-1f, 2f, -3f]));
    }

    private static int Bits(float v) => BitConverter.SingleToInt32Bits(v);
}
