using Occam.Linear;

namespace Occam.Tests.Linear;

public class CrossValidationTests
{
    [Theory]
    [InlineData("tight")]
    [InlineData("default")]
    public void AlphaMinMatchesLassoCV(string key)
    {
        var g = LinearTestData.Golden("sklearn.json").GetProperty("cv").GetProperty(key);
        var (x, y, n, p) = LinearTestData.DiabetesPrepared();
        var o = new LinearOptions { Standardize = false, Tolerance = g.GetProperty("tol").GetDouble(), MaxIterations = 100_000 };
        var cv = CrossValidation.ElasticNet(x, n, p, y, o, new CvOptions { Folds = 5 });
        Assert.Equal(g.GetProperty("alphaMin").GetDouble(), cv.AlphaMin, 1e-12 * cv.AlphaMin);
        var mse = g.GetProperty("meanMse").Doubles();
        double tol = key == "tight" ? 1e-8 : 1e-3;
        for (int k = 0; k < mse.Length; k++)
            Assert.True(Math.Abs(cv.MeanError[k] - mse[k]) <= tol * mse[k], $"#{k}: {cv.MeanError[k]} vs {mse[k]}");
        Assert.True(LinearTestData.RelativeError(cv.Refit.Model.Coef, g.GetProperty("coef").Doubles()) < (key == "tight" ? 1e-6 : 1e-3));
    }

    [Fact]
    public void ElasticNetAlphaMinMatchesElasticNetCV()
    {
        var g = LinearTestData.Golden("sklearn.json").GetProperty("cv").GetProperty("enet");
        var (x, y, n, p) = LinearTestData.DiabetesPrepared();
        var o = new LinearOptions { L1Ratio = 0.5, Standardize = false, Tolerance = 1e-10, MaxIterations = 100_000 };
        var cv = CrossValidation.ElasticNet(x, n, p, y, o, new CvOptions { Folds = 5 });
        Assert.Equal(g.GetProperty("alphaMin").GetDouble(), cv.AlphaMin, 1e-12 * cv.AlphaMin);
    }

    [Fact]
    public void AlphaMinMatchesCvGlmnetAndStandardErrorFollowsItsDefinition()
    {
        var g = LinearTestData.Golden("glmnet.json").GetProperty("cv");
        var (x, y, n, p) = LinearTestData.DiabetesPrepared();
        var o = new LinearOptions { Standardize = false, Tolerance = 1e-10, MaxIterations = 100_000 };
        var cv = CrossValidation.ElasticNet(x, n, p, y, o, new CvOptions { Folds = 5 });
        Assert.Equal(g.GetProperty("lambdaMin").GetDouble(), cv.AlphaMin, 1e-10 * cv.AlphaMin);
        for (int k = 0; k < cv.Alphas.Length; k++)
        {
            var e = cv.FoldErrors.Select(f => f[k]).ToArray();
            double m = e.Average();
            double sd = Math.Sqrt(e.Sum(v => (v - m) * (v - m)) / (e.Length - 1));
            Assert.Equal(sd / Math.Sqrt(5), cv.StandardError[k], 1e-9 * sd);
        }
        Assert.True(cv.Alpha1se >= cv.AlphaMin);
        Assert.True(cv.MeanError[cv.Index1se] <= cv.MeanError[cv.IndexMin] + cv.StandardError[cv.IndexMin]);
        if (cv.Index1se > 0)
            Assert.True(cv.MeanError[cv.Index1se - 1] > cv.MeanError[cv.IndexMin] + cv.StandardError[cv.IndexMin]);
    }

    [Fact]
    public void LogisticCrossValidationRuns()
    {
        var d = LinearTestData.BreastCancer();
        var cv = CrossValidation.Logistic(d.X, d.Rows, d.Features, d.Y, new LinearOptions(), new CvOptions { Folds = 5, Shuffle = true, Seed = 3, Path = new PathOptions { Count = 30, Eps = 1e-3 } });
        Assert.Equal("logloss", cv.Measure);
        Assert.True(cv.MeanError[cv.IndexMin] < 0.15, $"best mean log-loss {cv.MeanError[cv.IndexMin]}");
        Assert.True(cv.MeanError[0] > 0.6, $"log-loss at alpha_max {cv.MeanError[0]}");
        Assert.True(cv.Refit.Converged, string.Join("; ", cv.Warnings));
    }

    [Fact]
    public void StratifiedLogisticCrossValidationUsesStratifiedFolds()
    {
        var d = LinearTestData.BreastCancer();
        var co = new CvOptions { Folds = 5, Stratify = true, Path = new PathOptions { Count = 10, Eps = 1e-2 } };
        var cv = CrossValidation.Logistic(d.X, d.Rows, d.Features, d.Y, new LinearOptions(), co);
        Assert.Equal(5, cv.FoldErrors.Length);
        Assert.True(cv.MeanError[cv.IndexMin] < 0.2, $"best mean log-loss {cv.MeanError[cv.IndexMin]}");
        // Regression has no classes to stratify by.
        var (x, y, n, p) = LinearTestData.DiabetesPrepared();
        Assert.Throws<ArgumentException>(() => CrossValidation.ElasticNet(x, n, p, y, null, co));
    }
}
