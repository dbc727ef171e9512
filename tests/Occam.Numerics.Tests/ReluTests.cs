using Occam.Numerics.Activations;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

public class ReluTests
{
    [Fact]
    public void ForwardEqualsScalarBitwiseForEveryLength()
    {
        var rng = new Rng(101UL);
        foreach (int n in TestVectors.Lengths)
        {
            int offset = n % 3; // misaligned starts too
            var x = TestVectors.Mixed(rng, n + offset).AsSpan(offset);
            var fast = new float[n];
            var scalar = new float[n];
            Relu.Forward(x, fast);
            Relu.ForwardScalar(x, scalar);
            TestVectors.AssertBitwise(scalar, fast, $"relu forward n={n}");
            // max(x, 0) never yields −0: relu(−0) is +0 on both paths.
            foreach (float v in fast) Assert.True(v > 0f || TestVectors.IsPositiveZero(v), $"relu gave {TestVectors.Show(v)}");
        }
    }

    [Fact]
    public void ForwardGivesTensorPrimitivesMaxBitsWithSpecialValues()
    {
        // Forward replaced TensorPrimitives.Max(x, 0f, y) (which stayed at tier 0 in the CLI): the same bits, NaN and ±0 included.
        var rng = new Rng(103UL);
        float[] specials = [float.NaN, -float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.Epsilon, -float.Epsilon];
        foreach (int n in TestVectors.Lengths)
        {
            var x = TestVectors.Mixed(rng, n);
            for (int i = 0; i < n; i++)
                if (rng.NextInt(6) == 0) x[i] = specials[rng.NextInt(specials.Length)];
            var expected = new float[n];
            System.Numerics.Tensors.TensorPrimitives.Max(x, 0f, expected);
            var fast = new float[n];
            Relu.Forward(x, fast);
            TestVectors.AssertBitwise(expected, fast, $"relu forward vs TensorPrimitives.Max, n={n}");
            Relu.Forward(x, x);
            TestVectors.AssertBitwise(expected, x, $"relu forward in place vs TensorPrimitives.Max, n={n}");
        }
    }

    [Fact]
    public void ForwardInPlaceEqualsOutOfPlace()
    {
        var rng = new Rng(102UL);
        foreach (int n in TestVectors.Lengths)
        {
            var x = TestVectors.Mixed(rng, n);
            var expected = new float[n];
            Relu.ForwardScalar(x, expected);
            Relu.Forward(x, x);
            TestVectors.AssertBitwise(expected, x, $"relu in place n={n}");
        }
    }

    [Fact]
    public void BackwardEqualsScalarBitwiseForEveryLength()
    {
        var rng = new Rng(103UL);
        foreach (int n in TestVectors.Lengths)
        {
            var x = TestVectors.Mixed(rng, n);
            var y = new float[n];
            Relu.ForwardScalar(x, y);
            // Also feed raw y values with −0 and negatives: the kernel must only look at y > 0.
            if (n > 0) y[rng.NextInt(n)] = -0f;
            var dy = TestVectors.Mixed(rng, n, threshold: 1f);
            var fast = new float[n];
            var scalar = new float[n];
            Relu.Backward(y, dy, fast);
            Relu.BackwardScalar(y, dy, scalar);
            TestVectors.AssertBitwise(scalar, fast, $"relu backward n={n}");
            // dx aliasing dy is allowed.
            var alias = (float[])dy.Clone();
            Relu.Backward(y, alias, alias);
            TestVectors.AssertBitwise(scalar, alias, $"relu backward in place n={n}");
        }
    }

    [Fact]
    public void KnownValues()
    {
        float[] x = [-2f, -0f, 0f, 1e-45f, 3f, -1e30f];
        var y = new float[x.Length];
        Relu.Forward(x, y);
        TestVectors.AssertBitwise([0f, 0f, 0f, 1e-45f, 3f, 0f], y, "relu");
        float[] dy = [5f, 5f, 5f, -7f, -7f, 5f];
        var dx = new float[x.Length];
        Relu.Backward(y, dy, dx);
        // The derivative at 0 is 0 (PyTorch's convention).
        TestVectors.AssertBitwise([0f, 0f, 0f, -7f, -7f, 0f], dx, "relu'");
    }
}
