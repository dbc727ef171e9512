using Occam.Linear;

namespace Occam.Tests.Linear;

/// <summary>
/// The binary logistic solver minimizes each Newton step's model by covariance updates while the strong set has at most
/// n/4 features and by naive (residual) updates beyond (docs/algorithms/logistic-regression.md). Both must meet the same
/// duality gap and the KKT conditions, also on a path whose strong set grows from one regime into the other.
/// </summary>
public class LogisticCovarianceTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void PathCrossingFromCovarianceToNaiveStepsMeetsGapAndKkt(double rho)
    {
        const int n = 80, p = 60;
        var (x, yr) = LinearTestData.Synthetic(n, p, 17, informative: 12, noise: 6);
        double median = yr.Order().ElementAt(n / 2);
        var y = yr.Select(v => v > median ? 1.0 : 0.0).ToArray();
        var o = new LinearOptions { L1Ratio = rho, Tolerance = 1e-8, MaxIterations = 100_000 };
        var path = BinaryLogisticRegression.Path(x, n, p, y, o, new PathOptions { Count = 30, Eps = 1e-2 });
        Assert.True(path.Converged, string.Join("; ", path.Warnings));
        Assert.True(path.NonZero[5] <= n / 4, $"{path.NonZero[5]} non-zero at #5: the path should start with covariance steps");
        Assert.True(path.NonZero[^1] > n / 4, $"{path.NonZero[^1]} non-zero at the end: the path should end with naive steps");
        for (int k = 0; k < path.Alphas.Length; k++)
        {
            Assert.True(path.DualGaps[k] <= path.GapTolerances[k], $"#{k}: gap {path.DualGaps[k]} > {path.GapTolerances[k]}");
            var r = Optimality.Logistic(x, n, p, y, path.Coefs[k], path.Intercepts[k], path.Alphas[k], rho, true);
            Assert.True(r.SubgradientViolation <= 1e-3 * path.Alphas[0], $"#{k}: KKT violation {r.SubgradientViolation}");
            Assert.True(Math.Abs(r.InterceptGradient) < 1e-8, $"#{k}: intercept gradient {r.InterceptGradient}");
        }
    }
}
