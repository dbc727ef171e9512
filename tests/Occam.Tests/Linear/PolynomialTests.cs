using Occam.Data;
using Occam.Linear;

namespace Occam.Tests.Linear;

public class PolynomialTests
{
    [Fact]
    public void PolynomialFeaturesAppendPowersOfChosenColumns()
    {
        double[] x = [1, 2, 3, 4, 5, 6];
        var e = PolynomialFeatures.Expand(x, 2, 3, 3, [2, 0]);
        Assert.Equal([1, 2, 3, 9, 27, 1, 1, 4, 5, 6, 36, 216, 16, 64], e);
        Assert.Equal(["a", "b", "c", "c^2", "c^3", "a^2", "a^3"], PolynomialFeatures.Names(["a", "b", "c"], 3, [2, 0]));
        Assert.Equal(x, PolynomialFeatures.Expand(x, 2, 3, 1, [1]));
        Assert.ThrowsAny<ArgumentException>(() => PolynomialFeatures.Expand(x, 2, 3, 0, [1]));
        Assert.ThrowsAny<ArgumentException>(() => PolynomialFeatures.Expand(x, 2, 3, 2, [3]));
        Assert.ThrowsAny<ArgumentException>(() => PolynomialFeatures.Expand(x, 2, 3, 2, [1, 1]));
    }

    [Fact]
    public void LassoRemovesHighOrderTermsOfALowOrderPolynomial()
    {
        var rng = new Occam.Numerics.Random.Rng(5);
        int n = 200;
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++) { x[i] = 4 * rng.NextDouble() - 2; y[i] = 1 + 2 * x[i] - 1.5 * x[i] * x[i] + 0.05 * rng.NextNormal(); }
        var xe = PolynomialFeatures.Expand(x, n, 1, 8, [0]);
        var cv = CrossValidation.ElasticNet(xe, n, 8, y, new LinearOptions { Tolerance = 1e-8, MaxIterations = 100_000 }, new CvOptions { Folds = 5, Shuffle = true, Seed = 1 });
        var fit = ElasticNetRegression.Fit(xe, n, 8, y, cv.Alpha1se, new LinearOptions { Tolerance = 1e-8, MaxIterations = 100_000 });
        Assert.True(Math.Abs(fit.Model.Coef[0] - 2) < 0.1 && Math.Abs(fit.Model.Coef[1] + 1.5) < 0.1);
        Assert.True(fit.Model.NonZero <= 4, $"{fit.Model.NonZero} non-zero terms");
    }
}
