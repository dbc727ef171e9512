using Occam.Linear;

namespace Occam.Tests.Linear;

/// <summary>
/// Support Newton steps (LinearOptions.SupportNewton) change how fast coordinate descent gets there, never where: the same
/// paths as plain coordinate descent at tight tolerance, the documented stopping rule met at every α, and (deterministic
/// sweep counts, not timings) far fewer sweeps on the collinear diabetes lasso where plain CD has a long tail.
/// </summary>
public class SupportNewtonTests
{
    private static void AssertSamePaths(LinearPath a, LinearPath b, double tol)
    {
        Assert.Equal(a.Alphas, b.Alphas);
        for (int k = 0; k < a.Alphas.Length; k++)
        {
            double scale = 1 + a.Coefs[k].Max(Math.Abs);
            for (int j = 0; j < a.Coefs[k].Length; j++)
                Assert.True(Math.Abs(a.Coefs[k][j] - b.Coefs[k][j]) <= tol * scale, $"#{k} j={j}: {a.Coefs[k][j]} vs {b.Coefs[k][j]}");
            Assert.True(Math.Abs(a.Intercepts[k] - b.Intercepts[k]) <= tol * (scale + Math.Abs(a.Intercepts[k])), $"#{k} intercept");
        }
    }

    [Theory]
    [InlineData(1.0, CdUpdate.Gram)]
    [InlineData(0.5, CdUpdate.Gram)]
    [InlineData(1.0, CdUpdate.Residual)]
    public void GaussianPathsAgreeWithPlainCoordinateDescentAndMeetTheGap(double rho, CdUpdate update)
    {
        var d = LinearTestData.Diabetes();
        var o = new LinearOptions { L1Ratio = rho, Tolerance = 1e-12, MaxIterations = 1_000_000, Update = update };
        var newton = ElasticNetRegression.Path(d.X, d.Rows, d.Features, d.Y, o);
        var plain = ElasticNetRegression.Path(d.X, d.Rows, d.Features, d.Y, o with { SupportNewton = false });
        Assert.True(newton.Converged && plain.Converged);
        AssertSamePaths(newton, plain, 1e-5);
        for (int k = 0; k < newton.Alphas.Length; k++)
        {
            Assert.True(newton.DualGaps[k] <= newton.GapTolerances[k]);
            var r = Optimality.Gaussian(d.X, d.Rows, d.Features, d.Y, newton.Coefs[k], newton.Intercepts[k], newton.Alphas[k], rho, true);
            Assert.True(r.GradientMapping <= Math.Sqrt(2 * r.Lipschitz * newton.GapTolerances[k]), $"#{k}: {r.GradientMapping}");
        }
    }

    [Fact]
    public void DiabetesLassoNeedsFarFewerSweepsWithSupportNewton()
    {
        // Unstandardized diabetes lasso, default tolerance: the bench/linear case where plain CD spent ~6000 sweeps.
        var d = LinearTestData.Diabetes();
        var o = new LinearOptions { Standardize = false };
        int newton = ElasticNetRegression.Path(d.X, d.Rows, d.Features, d.Y, o).Iterations.Sum();
        int plain = ElasticNetRegression.Path(d.X, d.Rows, d.Features, d.Y, o with { SupportNewton = false }).Iterations.Sum();
        Assert.True(4 * newton < plain, $"{newton} sweeps with support Newton, {plain} without");
    }

    [Fact]
    public void WideProblemsWithMoreFeaturesThanRowsStayCorrect()
    {
        // p > n: the residual engine, supports that can reach n (where the support system is singular and skipped).
        int n = 40, p = 120;
        var (x, y) = LinearTestData.Synthetic(n, p, 31, informative: 8);
        var o = new LinearOptions { Tolerance = 1e-10, MaxIterations = 1_000_000 };
        var newton = ElasticNetRegression.Path(x, n, p, y, o, new PathOptions { Count = 40, Eps = 1e-2 });
        var plain = ElasticNetRegression.Path(x, n, p, y, o with { SupportNewton = false }, new PathOptions { Count = 40, Eps = 1e-2 });
        Assert.True(newton.Converged && plain.Converged);
        for (int k = 0; k < newton.Alphas.Length; k++)
        {
            var r = Optimality.Gaussian(x, n, p, y, newton.Coefs[k], newton.Intercepts[k], newton.Alphas[k], 1, true);
            Assert.True(r.GradientMapping <= Math.Sqrt(2 * r.Lipschitz * newton.GapTolerances[k]), $"#{k}: {r.GradientMapping}");
            // Objectives agree to the tolerance (the lasso optimum need not be unique when p > n; its value is).
            double pn = StandardizedObjective.Value(x, n, p, y, newton.Coefs[k], newton.Intercepts[k], newton.Alphas[k]);
            double pp = StandardizedObjective.Value(x, n, p, y, plain.Coefs[k], plain.Intercepts[k], plain.Alphas[k]);
            Assert.True(Math.Abs(pn - pp) <= 2 * newton.GapTolerances[k] + 1e-12, $"#{k}: {pn} vs {pp}");
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void LogisticPathsAgreeWithPlainCoordinateDescentAndMeetTheGap(double rho)
    {
        var d = LinearTestData.BreastCancer();
        var o = new LinearOptions { L1Ratio = rho, Tolerance = 1e-10, MaxIterations = 1_000_000 };
        var po = new PathOptions { Count = 40, Eps = 1e-2 };
        var newton = BinaryLogisticRegression.Path(d.X, d.Rows, d.Features, d.Y, o, po);
        var plain = BinaryLogisticRegression.Path(d.X, d.Rows, d.Features, d.Y, o with { SupportNewton = false }, po);
        Assert.True(newton.Converged && plain.Converged);
        AssertSamePaths(newton, plain, 1e-4);
        for (int k = 0; k < newton.Alphas.Length; k++)
        {
            var r = Optimality.Logistic(d.X, d.Rows, d.Features, d.Y, newton.Coefs[k], newton.Intercepts[k], newton.Alphas[k], rho, true);
            Assert.True(r.SubgradientViolation <= 1e-4 * newton.Alphas[0], $"#{k}: KKT violation {r.SubgradientViolation}");
            Assert.True(Math.Abs(r.InterceptGradient) < 1e-8, $"#{k}: intercept gradient {r.InterceptGradient}");
        }
        Assert.True(newton.Iterations.Sum() < plain.Iterations.Sum(), $"{newton.Iterations.Sum()} vs {plain.Iterations.Sum()} sweeps");
    }
}
