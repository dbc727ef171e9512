using Occam.Linear;

namespace Occam.Tests.Linear;

/// <summary>Penalized logistic regression on breast cancer against glmnet 4.1-6 (tests/golden/linear/glmnet_golden.R).</summary>
public class GlmnetLogisticTests
{
    [Theory]
    [InlineData("logisticLasso")]
    [InlineData("logisticEnet")]
    public void PathMatchesGlmnet(string name)
    {
        var g = LinearTestData.Golden("glmnet.json").GetProperty(name);
        var d = LinearTestData.BreastCancer();
        var alphas = g.GetProperty("alphas").Doubles();
        var o = new LinearOptions { L1Ratio = g.GetProperty("l1Ratio").GetDouble(), Standardize = true, Tolerance = 1e-12, MaxIterations = 1_000_000 };
        var path = BinaryLogisticRegression.Path(d.X, d.Rows, d.Features, d.Y, o, new PathOptions { Alphas = alphas });
        Assert.True(path.Converged, string.Join("; ", path.Warnings));
        var coefs = g.GetProperty("coefs").Matrix();
        var intercepts = g.GetProperty("intercepts").Doubles();
        var devRatio = g.GetProperty("devRatio").Doubles();
        for (int k = 0; k < alphas.Length; k++)
        {
            double err = LinearTestData.RelativeError(path.Coefs[k], coefs[k]);
            Assert.True(err < 1e-5, $"alpha #{k} ({alphas[k]:G4}): coefficient relative error {err:G3}");
            Assert.True(Math.Abs(path.Intercepts[k] - intercepts[k]) < 1e-5 * Math.Max(1, Math.Abs(intercepts[k])), $"alpha #{k}: intercept");
            Assert.Equal(devRatio[k], path.DevianceExplained[k], 1e-6);
        }
        // The first glmnet λ is its λ_max, where every coefficient is zero for both.
        Assert.Equal(g.GetProperty("nonzero").Ints(), path.NonZero);
    }
}
