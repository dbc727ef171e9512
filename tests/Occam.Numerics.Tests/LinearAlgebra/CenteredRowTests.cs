using System.Numerics.Tensors;
using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests.LinearAlgebra;

/// <summary>
/// <see cref="CenteredRow"/>: every width (512, 256, scalar: forced) at every length 0..257 with misaligned starts gives the
/// scalar reference's bits, and those are the bits of the three passes it replaced in the Gram matrix's fill
/// (TensorPrimitives Subtract, Multiply, then Axpy).
/// </summary>
public class CenteredRowTests
{
    private static readonly VectorWidth[] Widths = [VectorWidth.V512, VectorWidth.V256, VectorWidth.Scalar];

    [Fact]
    public void EveryWidthGivesTheScalarBitsAndThoseOfTheSeparatePasses()
    {
        var rng = new Rng(4242);
        foreach (int n in TestVectors.Lengths)
        {
            int offset = n % 3;
            var x = Values(rng, n + offset, 10).AsSpan(offset);
            var mean = Values(rng, n, 5);
            var inv = Values(rng, n, 1);
            if (n > 2) inv[n / 2] = 0;   // an excluded column
            var start = Values(rng, n, 100);
            foreach (double y in new[] { 0.0, -1.75, 3.1 })
            {
                var expected = new double[n];
                var expectedXty = (double[])start.Clone();
                CenteredRow.Scalar(x, mean, inv, y, expected, expectedXty);
                // The formula by hand, and the passes it fused.
                var passes = new double[n];
                var passesXty = (double[])start.Clone();
                TensorPrimitives.Subtract(x, mean, passes);
                TensorPrimitives.Multiply(passes, inv, passes);
                if (y != 0) Axpy.Compute(y, passes, passesXty);
                TestVectors.AssertBitwise(passes, expected, $"formula n={n} y={y}");
                TestVectors.AssertBitwise(passesXty, expectedXty, $"formula xty n={n} y={y}");
                for (int k = 0; k < n; k++)
                    Assert.Equal(y == 0 ? start[k] : Math.FusedMultiplyAdd(y, (x[k] - mean[k]) * inv[k], start[k]), expectedXty[k]);
                foreach (var width in Widths)
                {
                    var actual = new double[n];
                    actual.AsSpan().Fill(double.NaN);
                    var xty = (double[])start.Clone();
                    CenteredRow.Compute(width, x, mean, inv, y, actual, xty);
                    TestVectors.AssertBitwise(expected, actual, $"{width} n={n} y={y}");
                    TestVectors.AssertBitwise(expectedXty, xty, $"{width} xty n={n} y={y}");
                    // Without X̃ᵀỹ: only the row.
                    actual.AsSpan().Fill(double.NaN);
                    CenteredRow.Compute(width, x, mean, inv, y, actual, Span<double>.Empty);
                    TestVectors.AssertBitwise(expected, actual, $"{width} no xty n={n} y={y}");
                }
            }
        }
    }

    private static double[] Values(Rng rng, int n, double scale)
    {
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.NextNormal() * scale;
        return v;
    }
}
