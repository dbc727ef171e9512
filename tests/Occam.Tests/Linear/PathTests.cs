using Occam.Linear;

namespace Occam.Tests.Linear;

public class PathTests
{
    [Fact]
    public void NonZeroCountsEveryValueThatIsNotZeroAtEveryLength()
    {
        // The vectorized count (LinearPath.CountNonZero) against the definition v != 0: −0 is zero, NaN and subnormals are not.
        double[] values = [0.0, -0.0, 1.0, -2.5, double.NaN, double.Epsilon, -double.Epsilon, double.PositiveInfinity, 1e-300];
        var rng = new Occam.Numerics.Random.Rng(1631UL);
        for (int n = 0; n <= 257; n++)
        {
            var x = new double[n + 1];
            for (int i = 0; i < x.Length; i++) x[i] = rng.NextInt(3) == 0 ? values[rng.NextInt(values.Length)] : 0.0;
            var span = x.AsSpan(n % 2 == 0 ? 0 : 1, n);
            int expected = 0;
            foreach (double v in span) if (v != 0) expected++;
            Assert.Equal(expected, LinearPath.CountNonZero(span));
        }
    }

    [Theory]
    [InlineData(1.0, true, CdUpdate.Gram)]
    [InlineData(1.0, false, CdUpdate.Residual)]
    [InlineData(0.5, true, CdUpdate.Residual)]
    [InlineData(0.5, false, CdUpdate.Gram)]
    public void KktAndGapHoldAtEveryAlphaOnDiabetes(double rho, bool standardize, CdUpdate update)
    {
        var d = LinearTestData.Diabetes();
        var o = new LinearOptions { L1Ratio = rho, Standardize = standardize, Update = update };   // default tol 1e-4
        var path = ElasticNetRegression.Path(d.X, d.Rows, d.Features, d.Y, o);
        Assert.True(path.Converged);
        Assert.Equal(100, path.Alphas.Length);
        double yvar = d.Y.Select(v => (v - d.Y.Average()) * (v - d.Y.Average())).Sum() / d.Rows;
        double gapTol = o.Tolerance * yvar;
        for (int k = 0; k < path.Alphas.Length; k++)
        {
            var r = Optimality.Gaussian(d.X, d.Rows, d.Features, d.Y, path.Coefs[k], path.Intercepts[k], path.Alphas[k], rho, standardize);
            Assert.True(path.DualGaps[k] <= gapTol * (1 + 1e-9), $"#{k}: reported gap {path.DualGaps[k]} > {gapTol}");
            // Gap recomputed from scratch (scikit-learn's dual point) may only be larger than the solver's min-of-two.
            if (rho == 1) Assert.True(r.Gap <= gapTol * (1 + 1e-6), $"#{k}: recomputed gap {r.Gap} > {gapTol}");
            // Proximal-gradient mapping: ‖G(w)‖² ≤ 2L·(P(w) − P*) ≤ 2L·gap.
            Assert.True(r.GradientMapping <= Math.Sqrt(2 * r.Lipschitz * gapTol), $"#{k}: KKT (gradient mapping) {r.GradientMapping}");
            Assert.True(Math.Abs(r.InterceptGradient) < 1e-9 * Math.Sqrt(yvar));
        }
    }

    [Fact]
    public void KktHoldsTightlyOnDiabetesAtTightTolerance()
    {
        var d = LinearTestData.Diabetes();
        var o = new LinearOptions { L1Ratio = 1, Tolerance = 1e-12, MaxIterations = 100_000 };
        var path = ElasticNetRegression.Path(d.X, d.Rows, d.Features, d.Y, o);
        for (int k = 0; k < path.Alphas.Length; k++)
        {
            var r = Optimality.Gaussian(d.X, d.Rows, d.Features, d.Y, path.Coefs[k], path.Intercepts[k], path.Alphas[k], 1, true);
            Assert.True(r.SubgradientViolation <= 1e-5 * path.Alphas[0], $"#{k}: KKT violation {r.SubgradientViolation}");
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void KktHoldsAtEveryAlphaOnBreastCancer(double rho)
    {
        var d = LinearTestData.BreastCancer();
        var o = new LinearOptions { L1Ratio = rho, Tolerance = 1e-8, MaxIterations = 100_000 };
        var path = BinaryLogisticRegression.Path(d.X, d.Rows, d.Features, d.Y, o, new PathOptions { Count = 30, Eps = 1e-2 });
        Assert.True(path.Converged, string.Join("; ", path.Warnings));
        for (int k = 0; k < path.Alphas.Length; k++)
        {
            Assert.True(path.DualGaps[k] <= path.GapTolerances[k], $"#{k}: gap {path.DualGaps[k]} > {path.GapTolerances[k]}");
            var r = Optimality.Logistic(d.X, d.Rows, d.Features, d.Y, path.Coefs[k], path.Intercepts[k], path.Alphas[k], rho, true);
            Assert.True(r.SubgradientViolation <= 1e-3 * path.Alphas[0], $"#{k}: KKT violation {r.SubgradientViolation}");
            Assert.True(Math.Abs(r.InterceptGradient) < 1e-8, $"#{k}: intercept gradient {r.InterceptGradient}");
        }
        Assert.Equal(0, path.NonZero[0]);
        Assert.True(path.NonZero[^1] > 5);
        Assert.True(path.DevianceExplained[^1] > 0.85, $"deviance explained {path.DevianceExplained[^1]}");
    }

    [Theory]
    [InlineData(CdUpdate.Gram, 1.0)]
    [InlineData(CdUpdate.Residual, 0.5)]
    public void PathEqualsIndependentFits(CdUpdate update, double rho)
    {
        var (x, y) = LinearTestData.Synthetic(150, 20, 21, 8, noise: 2);
        var o = new LinearOptions { L1Ratio = rho, Tolerance = 1e-13, MaxIterations = 100_000, Update = update };
        var path = ElasticNetRegression.Path(x, 150, 20, y, o, new PathOptions { Count = 25 });
        for (int k = 0; k < path.Alphas.Length; k++)
        {
            var fit = ElasticNetRegression.Fit(x, 150, 20, y, path.Alphas[k], o);
            Assert.True(LinearTestData.RelativeError(path.Coefs[k], fit.Model.Coef) < 1e-6, $"#{k}");
            Assert.Equal(fit.Model.NonZero, path.NonZero[k]);
        }
    }

    [Fact]
    public void WarmStartDoesNotChangeTheAnswer()
    {
        var (x, y) = LinearTestData.Synthetic(200, 30, 8, 10, noise: 1);
        var o = new LinearOptions { Tolerance = 1e-13, MaxIterations = 100_000 };
        double amax = ElasticNetRegression.AlphaMax(x, 200, 30, y, o);
        double target = 0.01 * amax;
        var cold = ElasticNetRegression.Fit(x, 200, 30, y, target, o);
        var viaCoarse = ElasticNetRegression.Path(x, 200, 30, y, o, new PathOptions { Alphas = [0.5 * amax, 0.1 * amax, target] });
        var viaFine = ElasticNetRegression.Path(x, 200, 30, y, o, new PathOptions { Count = 50, Eps = 0.01 });
        Assert.True(LinearTestData.RelativeError(viaCoarse.Coefs[^1], cold.Model.Coef) < 1e-7);
        Assert.True(LinearTestData.RelativeError(viaFine.Coefs[^1], cold.Model.Coef) < 1e-7);
        // No screening at all gives the same solution as strong rules.
        var unscreened = ElasticNetRegression.Fit(x, 200, 30, y, target, o with { Screening = Screening.None });
        Assert.True(LinearTestData.RelativeError(unscreened.Model.Coef, cold.Model.Coef) < 1e-7);
    }

    [Theory]
    [InlineData(CdUpdate.Auto)]
    [InlineData(CdUpdate.Gram)]
    public void MoreFeaturesThanRowsIsANormalLassoProblem(CdUpdate update)
    {
        int n = 40, p = 500;
        var (x, y) = LinearTestData.Synthetic(n, p, 99, 5, noise: 0.1);
        var o = new LinearOptions { Tolerance = 1e-10, MaxIterations = 100_000, Update = update };
        var path = ElasticNetRegression.Path(x, n, p, y, o);
        Assert.True(path.Converged);
        for (int k = 0; k < path.Alphas.Length; k += 9)
        {
            var r = Optimality.Gaussian(x, n, p, y, path.Coefs[k], path.Intercepts[k], path.Alphas[k], 1, true);
            Assert.True(r.SubgradientViolation < 1e-3 * path.Alphas[0], $"#{k}: {r.SubgradientViolation}");
            Assert.True(path.NonZero[k] <= n, "a lasso solution from CD has at most n non-zeros here");
        }
        // The five informative features are found early on the path.
        int k10 = Array.FindIndex(path.NonZero, c => c >= 5);
        var support = Enumerable.Range(0, p).Where(j => path.Coefs[k10][j] != 0).ToArray();
        Assert.Subset(support.ToHashSet(), new HashSet<int> { 0, 1, 2, 3 });
        // At the end of the path the fit is near-interpolating (R² close to 1).
        Assert.True(path.DevianceExplained[^1] > 0.99);
    }

    [Fact]
    public void PenaltyFactorZeroLeavesAFeatureUnpenalized()
    {
        var (x, y) = LinearTestData.Synthetic(100, 5, 4, 5);
        var v = new double[] { 0, 1, 1, 1, 1 };
        var o = new LinearOptions { PenaltyFactors = v, Tolerance = 1e-12 };
        double amax = ElasticNetRegression.AlphaMax(x, 100, 5, y, o);
        var fit = ElasticNetRegression.Fit(x, 100, 5, y, 2 * amax, o);
        Assert.NotEqual(0.0, fit.Model.Coef[0]);
        Assert.All(fit.Model.Coef.Skip(1), c => Assert.Equal(0.0, c));
        // Feature 0 then holds the least-squares coefficient of y on x0 alone.
        double mx = 0, my = y.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < 100; i++) mx += x[i * 5];
        mx /= 100;
        for (int i = 0; i < 100; i++) { sxy += (x[i * 5] - mx) * (y[i] - my); sxx += (x[i * 5] - mx) * (x[i * 5] - mx); }
        Assert.Equal(sxy / sxx, fit.Model.Coef[0], 6);
    }

    [Fact]
    public void StandardizationReportsOriginalUnits()
    {
        var (x, y) = LinearTestData.Synthetic(100, 4, 6, 4, noise: 0.01);
        var scaled = (double[])x.Clone();
        for (int i = 0; i < 100; i++) scaled[i * 4 + 2] *= 1000;
        var o = new LinearOptions { Tolerance = 1e-13 };
        var a = ElasticNetRegression.Fit(x, 100, 4, y, 0.01, o);
        var b = ElasticNetRegression.Fit(scaled, 100, 4, y, 0.01, o);
        Assert.Equal(a.Model.Coef[2] / 1000, b.Model.Coef[2], 9);
        Assert.Equal(a.Model.Intercept, b.Model.Intercept, 7);
        var pred = b.Model.Predict(scaled, 100);
        Assert.True(pred.Zip(y).Max(t => Math.Abs(t.First - t.Second)) < 0.2);
    }
}
