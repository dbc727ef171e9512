using Occam.Numerics.Random;
using Occam.Numerics.Reductions;

namespace Occam.Numerics.Tests;

public class CountZerosTests
{
    [Fact]
    public void EqualsScalarAndThePlantedCountForEveryLength()
    {
        var rng = new Rng(601UL);
        foreach (int n in TestVectors.Lengths)
        {
            int offset = n % 3;
            var buffer = new float[n + offset];
            var x = buffer.AsSpan(offset);
            int planted = 0;
            for (int i = 0; i < n; i++)
            {
                switch (rng.NextInt(7))
                {
                    case 0: x[i] = 0f; planted++; break;
                    case 1: x[i] = -0f; planted++; break;
                    case 2: x[i] = float.Epsilon; break;   // smallest subnormal is not zero
                    case 3: x[i] = -float.Epsilon; break;
                    case 4: x[i] = float.NaN; break;       // NaN is not zero
                    default: x[i] = (float)rng.NextNormal(); planted += x[i] == 0f ? 1 : 0; break;
                }
            }
            Assert.Equal(planted, CountZeros.CountScalar(x));
            Assert.Equal(planted, CountZeros.Count(x));
            Assert.Equal(planted == n, CountZeros.AllZero(x));
        }
    }

    [Fact]
    public void DoublesCountLikeTheDefinitionAtEveryLength()
    {
        // x == 0 in double: −0 counts; NaN, ±subnormals and ±∞ do not (the linear paths' non-zero counts).
        double[] values = [0.0, -0.0, 1.0, double.NaN, double.Epsilon, -double.Epsilon, double.NegativeInfinity, 1e-300];
        var rng = new Rng(602UL);
        foreach (int n in TestVectors.Lengths)
        {
            int offset = n % 3;
            var buffer = new double[n + offset];
            var x = buffer.AsSpan(offset);
            int expected = 0;
            for (int i = 0; i < n; i++)
            {
                x[i] = values[rng.NextInt(values.Length)];
                if (x[i] == 0) expected++;
            }
            Assert.Equal(expected, CountZeros.Count((ReadOnlySpan<double>)x));
        }
    }

    [Fact]
    public void AllZeroCases()
    {
        Assert.True(CountZeros.AllZero([]));
        Assert.True(CountZeros.AllZero(new float[257]));
        var x = new float[257];
        x[256] = -0f;
        Assert.True(CountZeros.AllZero(x));
        x[256] = 1e-45f;
        Assert.False(CountZeros.AllZero(x));
        x[256] = 0f;
        x[3] = 1f;
        Assert.False(CountZeros.AllZero(x));
        Assert.Equal(256, CountZeros.Count(x));
    }
}
