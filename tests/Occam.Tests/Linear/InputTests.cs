using Occam.Linear;

namespace Occam.Tests.Linear;

public class InputTests
{
    private static (double[] X, double[] Y) Small() => LinearTestData.Synthetic(30, 3, 1, 3);

    [Fact]
    public void NegativeAlphaIsRejected()
    {
        var (x, y) = Small();
        var e = Assert.ThrowsAny<ArgumentException>(() => ElasticNetRegression.Fit(x, 30, 3, y, -0.1));
        Assert.Contains("alpha", e.Message);
        Assert.ThrowsAny<ArgumentException>(() => BinaryLogisticRegression.Fit(x, 30, 3, y.Select(v => v > 3 ? 1.0 : 0).ToArray(), -1));
        Assert.ThrowsAny<ArgumentException>(() => ElasticNetRegression.Path(x, 30, 3, y, null, new PathOptions { Alphas = [0.1, -1] }));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void L1RatioOutsideUnitIntervalIsRejected(double rho)
    {
        var (x, y) = Small();
        var e = Assert.ThrowsAny<ArgumentException>(() => ElasticNetRegression.Fit(x, 30, 3, y, 0.1, new LinearOptions { L1Ratio = rho }));
        Assert.Contains("L1Ratio", e.Message);
    }

    [Fact]
    public void NaNInputsAreRejected()
    {
        var (x, y) = Small();
        var xn = (double[])x.Clone();
        xn[7] = double.NaN;
        Assert.Contains("non-finite", Assert.ThrowsAny<ArgumentException>(() => ElasticNetRegression.Fit(xn, 30, 3, y, 0.1)).Message);
        var yn = (double[])y.Clone();
        yn[3] = double.PositiveInfinity;
        Assert.Contains("non-finite", Assert.ThrowsAny<ArgumentException>(() => ElasticNetRegression.Fit(x, 30, 3, yn, 0.1)).Message);
    }

    [Fact]
    public void FewerRowsThanFoldsIsRejected()
    {
        var (x, y) = LinearTestData.Synthetic(4, 2, 1, 2);
        var e = Assert.Throws<OccamException>(() => CrossValidation.ElasticNet(x, 4, 2, y, null, new CvOptions { Folds = 5 }));
        Assert.Contains("use at most 4 folds", e.Message);
    }

    [Fact]
    public void ShapeMismatchAndBadFactorsAreRejected()
    {
        var (x, y) = Small();
        Assert.ThrowsAny<ArgumentException>(() => ElasticNetRegression.Fit(x, 29, 3, y, 0.1));
        Assert.ThrowsAny<ArgumentException>(() => ElasticNetRegression.Fit(x, 30, 3, y[..29], 0.1));
        Assert.ThrowsAny<ArgumentException>(() => ElasticNetRegression.Fit(x, 30, 3, y, 0.1, new LinearOptions { PenaltyFactors = [1, 1] }));
        Assert.ThrowsAny<ArgumentException>(() => ElasticNetRegression.Fit(x, 30, 3, y, 0.1, new LinearOptions { PenaltyFactors = [1, -1, 1] }));
        Assert.ThrowsAny<ArgumentException>(() => ElasticNetRegression.Fit(x, 30, 3, y, 0.1, new LinearOptions { Tolerance = 0 }));
    }

    [Fact]
    public void LogisticNeedsZeroOneLabelsAndBothClasses()
    {
        var (x, y) = Small();
        Assert.Contains("labels 0 and 1", Assert.ThrowsAny<ArgumentException>(() => BinaryLogisticRegression.Fit(x, 30, 3, y, 0.1)).Message);
        Assert.Contains("single class", Assert.ThrowsAny<ArgumentException>(() => BinaryLogisticRegression.Fit(x, 30, 3, new double[30], 0.1)).Message);
    }

    [Fact]
    public void ConstantColumnGetsZeroCoefficientAndAWarning()
    {
        var (x, y) = Small();
        for (int i = 0; i < 30; i++) x[i * 3 + 1] = 4.2;
        foreach (bool standardize in new[] { true, false })
        {
            var o = new LinearOptions { Standardize = standardize, Tolerance = 1e-12 };
            var fit = ElasticNetRegression.Fit(x, 30, 3, y, 0.01, o, ["a", "flat", "c"]);
            Assert.Equal(0.0, fit.Model.Coef[1]);
            Assert.NotEqual(0.0, fit.Model.Coef[0]);
            Assert.Contains(fit.Warnings, w => w.Contains("'flat' is constant"));
            var ridge = RidgeRegression.Fit(x, 30, 3, y, 0.01, o, ["a", "flat", "c"]);
            Assert.Equal(0.0, ridge.Model.Coef[1]);
            Assert.Contains(ridge.Warnings, w => w.Contains("'flat' is constant"));
        }
    }

    /// <summary>
    /// Without an intercept a column of ones is a penalized bias: (1/(2n))‖y − w·1‖² + α(ρ|w| + (1−ρ)/2·w²) has
    /// w = S(ȳ, αρ)/(1 + α(1 − ρ)) (S the soft threshold), the closed form for every ρ.
    /// </summary>
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(0.0)]
    public void WithoutAnInterceptAColumnOfOnesIsAPenalizedBias(double rho)
    {
        double[] y = [3, 1, 4, 1, 5, 9, 2, 6];
        double mean = y.Average(), alpha = 0.7;
        var x = Enumerable.Repeat(1.0, y.Length).ToArray();
        var o = new LinearOptions { L1Ratio = rho, FitIntercept = false, Standardize = false, Tolerance = 1e-14 };
        var fit = rho == 0 ? RidgeRegression.Fit(x, y.Length, 1, y, alpha, o) : ElasticNetRegression.Fit(x, y.Length, 1, y, alpha, o);
        double expected = Math.Max(mean - alpha * rho, 0) / (1 + alpha * (1 - rho));
        Assert.Equal(expected, fit.Model.Coef[0], 1e-10);
        Assert.Equal(0, fit.Model.Intercept);
        Assert.Empty(fit.Warnings);
        // Past α_max = ȳ/ρ the lasso's penalized bias is exactly 0; an all-zero column is still left out.
        if (rho == 1) Assert.Equal(0, ElasticNetRegression.Fit(x, y.Length, 1, y, 1.01 * mean, o).Model.Coef[0]);
        var zero = ElasticNetRegression.Fit(new double[y.Length], y.Length, 1, y, 0.1, o with { L1Ratio = 1 });
        Assert.Contains(zero.Warnings, w => w.Contains("is constant"));
    }

    [Fact]
    public void NonConvergenceIsReportedLoudly()
    {
        var d = LinearTestData.Diabetes();
        // Coordinate descent alone (no support Newton step, which can solve this small problem exactly in one step) cannot
        // reach a 1e-14 gap in two sweeps.
        var budget = new LinearOptions { Tolerance = 1e-14, MaxIterations = 2, SupportNewton = false };
        var fit = ElasticNetRegression.Fit(d.X, d.Rows, d.Features, d.Y, 0.001, budget);
        Assert.False(fit.Converged);
        Assert.True(fit.DualGap > fit.GapTolerance);
        Assert.Contains(fit.Warnings, w => w.Contains("did not converge"));
        Assert.Throws<OccamException>(() => fit.EnsureConverged());
        var path = ElasticNetRegression.Path(d.X, d.Rows, d.Features, d.Y, budget, new PathOptions { Count = 5 });
        Assert.False(path.Converged);
    }
}
