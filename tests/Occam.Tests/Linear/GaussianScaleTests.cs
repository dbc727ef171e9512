using System.Numerics.Tensors;
using Occam.Linear;

namespace Occam.Tests.Linear;

/// <summary>
/// <see cref="GaussianProblem.Scale"/> (the Gram matrix's and X̃ᵀỹ's division by n) gives the bits of
/// <c>TensorPrimitives.Multiply(x, s, x)</c>, which it replaced: every length 0..257, ordinary and special values.
/// </summary>
public class GaussianScaleTests
{
    [Fact]
    public void ScaleIsTensorPrimitivesMultiplyBitForBit()
    {
        var random = new Random(5);
        double[] specials = [0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.Epsilon, -double.Epsilon,
            double.MaxValue, -double.MaxValue, 2.2250738585072014E-308, 1e-310, 1.0, -1.0];
        foreach (double s in new[] { 1.0 / 442, 1.0 / 3, 1.0 / 7e5, 0.5, 1e300, 1e-300 })
            for (int n = 0; n <= 257; n++)
            {
                var x = new double[n];
                for (int i = 0; i < n; i++)
                    x[i] = random.Next(8) == 0 ? specials[random.Next(specials.Length)] : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 21));
                var expected = (double[])x.Clone();
                TensorPrimitives.Multiply(expected, s, expected);
                GaussianProblem.Scale(x, s);
                for (int i = 0; i < n; i++)
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i]), BitConverter.DoubleToInt64Bits(x[i]));
            }
    }
}
