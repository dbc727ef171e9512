using Occam.Linear;
using Occam.Numerics.LinearAlgebra;

namespace Occam.Tests.Linear;

/// <summary>
/// The logistic solvers' full gradient passes run on the GEMM pool's threads when X̃ is large (DotColumns): a path must
/// give the same bits on one thread as on two, binary and multinomial. The problems hold n·p ≥ 2²⁰ cells so the split
/// really happens. (Any DotColumns.Threads gives the same bits, so setting it here cannot disturb tests running alongside.)
/// </summary>
public class GradientThreadsTests
{
    private const int N = 4200, P = 256;

    private static (double[] X, double[] Y) Binary()
    {
        var (x, yr) = LinearTestData.Synthetic(N, P, 23, informative: 20, noise: 3);
        double median = yr.Order().ElementAt(N / 2);
        return (x, yr.Select(v => v > median ? 1.0 : 0.0).ToArray());
    }

    private static T WithThreads<T>(int threads, Func<T> run)
    {
        int old = DotColumns.Threads;
        DotColumns.Threads = threads;
        try { return run(); }
        finally { DotColumns.Threads = old; }
    }

    [Fact]
    public void BinaryPathHasTheSameBitsOnOneAndTwoThreads()
    {
        Assert.True((long)N * P >= DotColumns.ParallelCells);
        var (x, y) = Binary();
        var o = new LinearOptions { L1Ratio = 1 };
        var po = new PathOptions { Count = 12, Eps = 0.05 };
        var one = WithThreads(1, () => BinaryLogisticRegression.Path(x, N, P, y, o, po));
        var two = WithThreads(2, () => BinaryLogisticRegression.Path(x, N, P, y, o, po));
        Assert.True(one.Converged && one.NonZero[^1] > 0);
        for (int k = 0; k < one.Alphas.Length; k++)
        {
            Assert.Equal(one.Intercepts[k], two.Intercepts[k]);
            Assert.Equal(one.Coefs[k], two.Coefs[k]);
            Assert.Equal(one.DualGaps[k], two.DualGaps[k]);
        }
    }

    [Fact]
    public void MultinomialPathHasTheSameBitsOnOneAndTwoThreads()
    {
        var (x, yr) = LinearTestData.Synthetic(N, P, 29, informative: 20, noise: 3);
        var sorted = yr.Order().ToArray();
        double t1 = sorted[N / 3], t2 = sorted[2 * N / 3];
        var y = yr.Select(v => v <= t1 ? 0.0 : v <= t2 ? 1.0 : 2.0).ToArray();
        var o = new LinearOptions { L1Ratio = 1 };
        var po = new PathOptions { Count = 6, Eps = 0.1 };
        var one = WithThreads(1, () => MultinomialRegression.Path(x, N, P, y, o, po));
        var two = WithThreads(2, () => MultinomialRegression.Path(x, N, P, y, o, po));
        for (int k = 0; k < one.Alphas.Length; k++)
        {
            Assert.Equal(one.Intercepts[k], two.Intercepts[k]);
            for (int j = 0; j < one.Coefs[k].Length; j++) Assert.Equal(one.Coefs[k][j], two.Coefs[k][j]);
        }
    }
}
