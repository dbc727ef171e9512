using Occam.Numerics.Activations;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

public class SigmoidTests
{
    /// <summary>
    /// Bound on |TensorPrimitives.Sigmoid − Sigmoid.Scalar| in ulps where the result is a normal float. Both compute
    /// 1/(1 + e^−x) from a float exp with ≤ 1–2 ulps error and one division and one addition, so a few ulps apart.
    /// Below MinNormal (x &lt; −87.3) ulps are meaningless (the vector form computes 1/(1 + e^{−x}) and
    /// underflows to 0 while the scalar reference computes e^x/(1 + e^x) in subnormals), so there the bound is an
    /// absolute 2⁻¹²⁶·2.
    /// </summary>
    private const long MaxUlps = 4;

    /// <summary>Smallest positive normal float, 2⁻¹²⁶.</summary>
    private const float MinNormal = 1.17549435e-38f;

    [Fact]
    public void ForwardWithinFewUlpsOfScalarForEveryLength()
    {
        var rng = new Rng(301UL);
        foreach (int n in TestVectors.Lengths)
        {
            var x = TestVectors.Mixed(rng, n, threshold: 0.75f, scale: 6.0);
            var fast = new float[n];
            var scalar = new float[n];
            Sigmoid.Forward(x, fast);
            Sigmoid.ForwardScalar(x, scalar);
            for (int i = 0; i < n; i++)
            {
                Assert.InRange(fast[i], 0f, 1f);
                if (scalar[i] >= MinNormal)
                {
                    long ulps = TestVectors.Ulps(scalar[i], fast[i]);
                    Assert.True(ulps <= MaxUlps, $"σ({TestVectors.Show(x[i])}): scalar {TestVectors.Show(scalar[i])}, vector {TestVectors.Show(fast[i])}: {ulps} ulps > {MaxUlps}");
                }
                else
                {
                    Assert.True(MathF.Abs(scalar[i] - fast[i]) <= 2 * MinNormal, $"σ({x[i]:R}): {scalar[i]:R} vs {fast[i]:R}");
                }
            }
        }
    }

    [Fact]
    public void ScalarIsStableAndKnown()
    {
        Assert.Equal(0.5f, Sigmoid.Scalar(0f));
        Assert.Equal(0.5f, Sigmoid.Scalar(-0f));
        Assert.Equal(1f, Sigmoid.Scalar(1000f));
        Assert.Equal(0f, Sigmoid.Scalar(-1000f));
        Assert.Equal(1f, Sigmoid.Scalar(float.PositiveInfinity));
        Assert.Equal(0f, Sigmoid.Scalar(float.NegativeInfinity));
        // σ(x) + σ(−x) = 1 (up to rounding) and σ(ln 3) = 3/4.
        Assert.Equal(0.75, Sigmoid.Scalar(MathF.Log(3f)), 6);
        for (float x = -10f; x <= 10f; x += 0.37f) Assert.Equal(1.0, Sigmoid.Scalar(x) + Sigmoid.Scalar(-x), 6);
    }

    [Fact]
    public void BackwardEqualsScalarBitwiseForEveryLength()
    {
        var rng = new Rng(302UL);
        foreach (int n in TestVectors.Lengths)
        {
            var y = TestVectors.Uniform(rng, n, 0f, 1f);
            var dy = TestVectors.Mixed(rng, n, threshold: 1f, large: false);
            var fast = new float[n];
            var scalar = new float[n];
            Sigmoid.Backward(y, dy, fast);
            Sigmoid.BackwardScalar(y, dy, scalar);
            TestVectors.AssertBitwise(scalar, fast, $"sigmoid backward n={n}");
        }
    }

    [Fact]
    public void BackwardIsYTimesOneMinusY()
    {
        float[] y = [0f, 0.5f, 0.25f, 1f];
        float[] dy = [4f, 4f, 4f, 4f];
        var dx = new float[y.Length];
        Sigmoid.Backward(y, dy, dx);
        Assert.Equal([0f, 1f, 0.75f, 0f], dx);
    }
}
