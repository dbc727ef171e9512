using System.Numerics.Tensors;
using Occam.Numerics.Random;
using Occam.Numerics.Functions;

namespace Occam.Numerics.Tests;

/// <summary>
/// <see cref="VectorMathLoops"/>.Sigmoid gives <c>TensorPrimitives.Sigmoid</c>'s bits: every length 1..257, into another array
/// and in place, on ordinary values and on the special ones (±0, ±∞, NaN, subnormals, both ends of exp's range). The double
/// exp and log are kernels of our own since session 16 (DoubleExpLogTests).
/// </summary>
public class VectorMathLoopsTests
{
    [Fact]
    public void SigmoidGivesTheLibrarysBitsAtEveryLength()
    {
        var rng = new Rng(1705UL);
        float[] specials = [0f, -0f, 88.7f, -88.7f, 104f, -104f, 1e30f, -1e30f, float.PositiveInfinity,
            float.NegativeInfinity, float.NaN, float.Epsilon, -float.Epsilon];
        foreach (int n in TestVectors.Lengths.Skip(1))   // TensorPrimitives.Sigmoid refuses an empty span
        {
            var x = TestVectors.Mixed(rng, n, threshold: 0.75f, scale: 6.0);
            for (int i = 0; i < n; i++)
                if (rng.NextInt(8) == 0) x[i] = specials[rng.NextInt(specials.Length)];
            var expected = new float[n];
            TensorPrimitives.Sigmoid(x, expected);
            var actual = new float[n];
            VectorMathLoops.Sigmoid(x, actual);
            TestVectors.AssertBitwise(expected, actual, $"Sigmoid, n = {n}");
            var inPlace = (float[])x.Clone();
            VectorMathLoops.Sigmoid(inPlace, inPlace);
            TestVectors.AssertBitwise(expected, inPlace, $"Sigmoid in place, n = {n}");
        }
    }
}
