using Occam.Linear;

namespace Occam.Tests.Linear;

/// <summary>Agreement with scikit-learn 1.2.1 and glmnet 4.1-6 on diabetes (tests/golden/linear/*.py, *.R).</summary>
public class SklearnAgreementTests
{
    private static readonly LinearOptions Tight = new() { Standardize = false, Tolerance = 1e-14, MaxIterations = 1_000_000 };

    [Theory]
    [InlineData("lassoPath", CdUpdate.Gram)]
    [InlineData("lassoPath", CdUpdate.Residual)]
    [InlineData("enetPath", CdUpdate.Gram)]
    [InlineData("enetPath", CdUpdate.Residual)]
    public void PathMatchesScikitLearn(string name, CdUpdate update)
    {
        var g = LinearTestData.Golden("sklearn.json").GetProperty(name);
        var (x, y, n, p) = LinearTestData.DiabetesPrepared();
        double rho = g.GetProperty("l1Ratio").GetDouble();
        var path = ElasticNetRegression.Path(x, n, p, y, Tight with { L1Ratio = rho, Update = update });
        var alphas = g.GetProperty("alphas").Doubles();
        Assert.True(LinearTestData.RelativeError(path.Alphas, alphas) < 1e-12, "alpha grid differs");
        var coefs = g.GetProperty("coefs").Matrix();
        for (int k = 0; k < alphas.Length; k++)
        {
            double err = LinearTestData.RelativeError(path.Coefs[k], coefs[k]);
            Assert.True(err < 1e-6, $"alpha #{k}: relative error {err:G3}");
        }
        // Identical non-zero counts, except that at α_max itself scikit-learn's elastic net keeps one coefficient at a
        // rounding-level value (|w| < 1e-10) where Occam returns exactly 0 (α_max is rounded up by 1e-15 relative).
        var want = g.GetProperty("nonzero").Ints();
        Assert.Equal(want[1..], path.NonZero[1..]);
        Assert.Equal(0, path.NonZero[0]);
        Assert.True(coefs[0].Max(Math.Abs) < 1e-10);
        Assert.True(path.Converged);
    }

    [Fact]
    public void SingleFitsMatchScikitLearn()
    {
        var (x, y, n, p) = LinearTestData.DiabetesPrepared();
        foreach (var f in LinearTestData.Golden("sklearn.json").GetProperty("fits").EnumerateArray())
        {
            double alpha = f.GetProperty("alpha").GetDouble(), rho = f.GetProperty("l1Ratio").GetDouble();
            var fit = ElasticNetRegression.Fit(x, n, p, y, alpha, Tight with { L1Ratio = rho });
            Assert.True(fit.Converged);
            double err = LinearTestData.RelativeError(fit.Model.Coef, f.GetProperty("coef").Doubles());
            Assert.True(err < 1e-6, $"alpha {alpha}, rho {rho}: relative error {err:G3}");
            Assert.Equal(f.GetProperty("intercept").GetDouble(), fit.Model.Intercept, 1e-6);
        }
    }

    [Fact]
    public void RidgeMatchesScikitLearn()
    {
        var (x, y, n, p) = LinearTestData.DiabetesPrepared();
        foreach (var f in LinearTestData.Golden("sklearn.json").GetProperty("ridge").EnumerateArray())
        {
            double alpha = f.GetProperty("alpha").GetDouble();
            var want = f.GetProperty("coef").Doubles();
            var direct = RidgeRegression.Fit(x, n, p, y, alpha, new LinearOptions { Standardize = false, Tolerance = 1e-12 });
            Assert.True(direct.Converged);
            Assert.True(LinearTestData.RelativeError(direct.Model.Coef, want) < 1e-9);
            var cd = ElasticNetRegression.Fit(x, n, p, y, alpha, Tight with { L1Ratio = 0 });
            Assert.True(LinearTestData.RelativeError(cd.Model.Coef, want) < 1e-6);
        }
    }

    [Fact]
    public void PathMatchesGlmnet()
    {
        var (x, y, n, p) = LinearTestData.DiabetesPrepared();
        var golden = LinearTestData.Golden("glmnet.json");
        foreach (string name in new[] { "lassoPath", "enetPath" })
        {
            var g = golden.GetProperty(name);
            double rho = g.GetProperty("l1Ratio").GetDouble();
            var path = ElasticNetRegression.Path(x, n, p, y, Tight with { L1Ratio = rho });
            var coefs = g.GetProperty("coefs").Matrix();
            var nonzero = g.GetProperty("nonzero").Ints();
            // glmnet's own convergence (thresh 1e-14 on its scaled criterion) is the looser side here: 1e-4.
            for (int k = 0; k < coefs.Length; k++)
                Assert.True(LinearTestData.RelativeError(path.Coefs[k], coefs[k]) < 1e-4, $"{name} alpha #{k}");
            // At exactly α_max glmnet keeps one coefficient at ~1e-16 instead of 0; compare from index 1.
            Assert.Equal(nonzero[1..], path.NonZero[1..]);
        }
    }
}
