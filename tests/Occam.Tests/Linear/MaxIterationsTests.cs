using Occam.Linear;

namespace Occam.Tests.Linear;

/// <summary>
/// <c>MaxIterations</c> is a budget per α: the hidden warm-start path of a single-α fit neither counts in the report
/// nor eats the budget (regression test: it used to report and cap the sweeps summed over that path).
/// </summary>
public class MaxIterationsTests
{
    [Fact]
    public void ElasticNetFitBudgetIsTheSweepsAtAlphaOnly()
    {
        var (x, y) = LinearTestData.Synthetic(300, 40, seed: 9, informative: 10);
        var o = new LinearOptions { L1Ratio = 0.7, Tolerance = 1e-10 };
        double amax = ElasticNetRegression.AlphaMax(x, 300, 40, y, o);
        double alpha = 1e-3 * amax;   // 15 warm steps from α_max
        var full = ElasticNetRegression.Fit(x, 300, 40, y, alpha, o);
        Assert.True(full.Converged);
        int needed = full.Iterations;
        Assert.InRange(needed, 2, 200);

        var exact = ElasticNetRegression.Fit(x, 300, 40, y, alpha, o with { MaxIterations = needed });
        Assert.True(exact.Converged, string.Join("; ", exact.Warnings));
        Assert.Equal(needed, exact.Iterations);
        Assert.Equal(full.Model.Coef, exact.Model.Coef);

        var shortOne = ElasticNetRegression.Fit(x, 300, 40, y, alpha, o with { MaxIterations = 1 });
        Assert.False(shortOne.Converged);
        Assert.Equal(1, shortOne.Iterations);
        Assert.Contains("after 1 sweep;", Assert.Single(shortOne.Warnings));
    }

    [Fact]
    public void LogisticFitBudgetIsTheSweepsAtAlphaOnly()
    {
        var d = LinearTestData.BreastCancer();
        var o = new LinearOptions { L1Ratio = 1, Tolerance = 1e-8 };
        var full = BinaryLogisticRegression.Fit(d.X, d.Rows, d.Features, d.Y, 1e-3, o);
        Assert.True(full.Converged);
        int needed = full.Iterations;
        Assert.InRange(needed, 2, 1000);

        var exact = BinaryLogisticRegression.Fit(d.X, d.Rows, d.Features, d.Y, 1e-3, o with { MaxIterations = needed });
        Assert.True(exact.Converged, string.Join("; ", exact.Warnings));
        Assert.Equal(needed, exact.Iterations);
        Assert.Equal(full.Model.Coef, exact.Model.Coef);

        var shortOne = BinaryLogisticRegression.Fit(d.X, d.Rows, d.Features, d.Y, 1e-3, o with { MaxIterations = 1 });
        Assert.Equal(1, shortOne.Iterations);
        Assert.False(shortOne.Converged);
        Assert.Contains("after 1 sweep;", Assert.Single(shortOne.Warnings));
    }
}
