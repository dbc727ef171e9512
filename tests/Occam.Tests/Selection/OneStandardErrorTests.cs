using Occam.Linear;
using Occam.Selection;

namespace Occam.Tests.Selection;

public class OneStandardErrorTests
{
    [Fact]
    public void PicksTheLargestLambdaWithinOneSeOfTheBest()
    {
        // λ descending (most regularized first): 1, 0.3, 0.1, 0.03, 0.01. Best = 0.03 (mean 1.00, se 0.10): threshold 1.10.
        double[] mean = [1.50, 1.09, 1.05, 1.00, 1.02];
        double[] se = [0.10, 0.10, 0.10, 0.10, 0.10];
        var c = OneStandardError.Choose(mean, se);
        Assert.Equal(3, c.Best);
        Assert.Equal(1, c.OneSe); // λ = 0.3, the largest λ with mean ≤ 1.10 — not 0.01 (the smallest), not 0.1 (the nearest)
        Assert.Equal(1.10, c.Threshold, 12);
    }

    [Fact]
    public void TiesGoToTheMoreRegularizedAndAZeroSeKeepsTheBest()
    {
        var tie = OneStandardError.Choose([2.0, 1.0, 1.0], [0, 0, 0]);
        Assert.Equal((1, 1), (tie.Best, tie.OneSe));
        var nan = OneStandardError.Choose([double.NaN, 2.4, 2.0], [0.1, 0.5, 0.5]);
        Assert.Equal((2, 1), (nan.Best, nan.OneSe));
    }

    [Fact]
    public void AnyOrderIsMappedBackToTheCandidates()
    {
        // Candidates listed by ascending λ; the comparison says larger λ is more regularized.
        double[] lambda = [0.01, 0.03, 0.1, 0.3, 1];
        double[] mean = [1.02, 1.00, 1.05, 1.09, 1.50];
        double[] se = [0.1, 0.1, 0.1, 0.1, 0.1];
        var c = OneStandardError.Choose(mean, se, (a, b) => lambda[b].CompareTo(lambda[a]));
        Assert.Equal(1, c.Best);
        Assert.Equal(3, c.OneSe);
    }

    [Fact]
    public void MeanAndSeIsTheSampleSdOverRootK()
    {
        var (mean, se) = OneStandardError.MeanAndSe([1.0, 2.0, 3.0, 6.0]);
        Assert.Equal(3.0, mean, 14);
        // Σ(e − 3)² = 4 + 1 + 0 + 9 = 14; sd = √(14/3); se = sd/2.
        Assert.Equal(Math.Sqrt(14.0 / 3) / 2, se, 14);
        Assert.Equal((5.0, 0.0), OneStandardError.MeanAndSe([5.0]));
    }

    [Fact]
    public void LinearCrossValidationUsesTheSameRule()
    {
        var (x, y, n, p) = SyntheticRegression(120, 8, seed: 3);
        var cv = CrossValidation.ElasticNet(x, n, p, y, new LinearOptions { L1Ratio = 1 }, new CvOptions { Folds = 5 });
        var c = OneStandardError.Choose(cv.MeanError, cv.StandardError);
        Assert.Equal(c.Best, cv.IndexMin);
        Assert.Equal(c.OneSe, cv.Index1se);
        Assert.True(cv.Alpha1se >= cv.AlphaMin);
    }

    private static (double[] X, double[] Y, int N, int P) SyntheticRegression(int n, int p, ulong seed)
    {
        var rng = new Occam.Numerics.Random.Rng(seed);
        var x = new double[n * p];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++) x[i * p + j] = rng.NextNormal();
            y[i] = 2 * x[i * p] - x[i * p + 1] + 0.5 * rng.NextNormal();
        }
        return (x, y, n, p);
    }
}
