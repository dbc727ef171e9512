using Occam.Reports;

namespace Occam.Experiments.Tests;

public class PolynomialExperimentTests
{
    /// <summary>The first data sets of the reference (scikit-learn) run; the protocol's defaults otherwise.</summary>
    private const int Compared = 30;

    private static readonly PolynomialResult Computed = PolynomialExperiment.Run(new PolynomialProtocol { Datasets = Compared });

    private static readonly ReportSection Section = new PolynomialExperiment().Report(Computed);

    [Fact]
    public void Excess_risk_is_the_exact_integral_over_uniform_x()
    {
        Assert.Equal(0, PolynomialExperiment.ExcessRisk(2, [3, 4, 0, 0, 0]), 15);
        // ∫₋₁¹ 1 dx/2 = 1; ∫ x² dx/2 = 1/3; ∫ x⁴ dx/2 = 1/5; ∫ (1 + x²)² dx/2 = 1 + 2/3 + 1/5.
        Assert.Equal(1, PolynomialExperiment.ExcessRisk(3, [3, 4]), 15);
        Assert.Equal(1.0 / 3, PolynomialExperiment.ExcessRisk(2, [4, 4]), 15);
        Assert.Equal(1.0 / 5, PolynomialExperiment.ExcessRisk(2, [3, 5]), 15);
        Assert.Equal(1 + 2.0 / 3 + 1.0 / 5, PolynomialExperiment.ExcessRisk(3, [3, 5]), 14);
        // Odd moments vanish: an error in x³ alone costs ∫ x⁶ dx/2 = 1/7, and x·x² cross terms cancel.
        Assert.Equal(1.0 / 7, PolynomialExperiment.ExcessRisk(2, [3, 4, 1]), 15);
        Assert.Equal(1.0 / 3 + 1.0 / 5, PolynomialExperiment.ExcessRisk(2, [4, 5]), 15);
    }

    [Fact]
    public void Fits_agree_with_numpy_and_scikit_learn_on_the_same_data()
    {
        var reference = LinearReference.Section("polynomial");
        var ols2 = reference.GetProperty("ols2_test").Doubles();
        var ols5 = reference.GetProperty("ols5_test").Doubles();
        var lassoAlpha = reference.GetProperty("lasso_min_alpha").Doubles();
        var ridgeAlpha = reference.GetProperty("ridge_min_alpha").Doubles();
        var lassoTest = reference.GetProperty("lasso_min_test").Doubles();
        var lassoCoef = reference.GetProperty("lasso_min_coef").Rows();
        var meanY = reference.GetProperty("mean_y").Doubles();
        var hugeIntercept = reference.GetProperty("lasso_huge_intercept").Doubles();
        int ridgeSame = 0;
        for (int d = 0; d < Compared; d++)
        {
            Assert.Equal(meanY[d], Computed.MeanY[d], 12);
            Assert.Equal(ols2[d], Computed.TestMse[PolynomialFit.LeastSquaresDegree2][d], 1e-9 * ols2[d]);
            Assert.Equal(ols5[d], Computed.TestMse[PolynomialFit.LeastSquares][d], 1e-7 * ols5[d]);
            // Same α grid, folds and CV rule, both solvers run to (near) exact optima: the same α_min and fit.
            var lasso = Computed.Coefficients[PolynomialFit.LassoMin][d];
            Assert.Equal(lassoTest[d], Computed.TestMse[PolynomialFit.LassoMin][d], 1e-6 * lassoTest[d]);
            Assert.Equal(lassoCoef[d][0], Computed.Intercepts[PolynomialFit.LassoMin][d], 1e-5);
            for (int k = 0; k < 5; k++)
            {
                Assert.Equal(lassoCoef[d][k + 1], lasso[k], 1e-4);
                Assert.Equal(lassoCoef[d][k + 1] == 0, lasso[k] == 0);
            }
            // scikit-learn's Lasso at 10·α_max leaves the intercept at ȳ too.
            Assert.Equal(hugeIntercept[d], Computed.Intercepts[PolynomialFit.LassoInfinity][d], 12);
            Assert.Equal(lassoAlpha[d], Computed.LassoAlphaMin[d], 1e-9 * lassoAlpha[d]);
            if (Math.Abs(ridgeAlpha[d] / Computed.RidgeAlphaMin[d] - 1) < 1e-9) ridgeSame++;
        }
        // Ridge CV curves are flat near their minimum: the coordinate-descent folds (tolerance 1e-10) may pick a
        // neighbouring grid point in a rare data set.
        Assert.True(ridgeSame >= Compared - 1, $"ridge α_min agrees on {ridgeSame} of {Compared} data sets");
    }

    [Fact]
    public void Overfitting_and_its_cure_show_in_the_paired_test_error()
    {
        var ols = Computed.TestMse[PolynomialFit.LeastSquares];
        var lasso = Stats.PairedDifference(ols, Computed.TestMse[PolynomialFit.LassoMin]);
        var ridge = Stats.PairedDifference(ols, Computed.TestMse[PolynomialFit.RidgeMin]);
        var overfit = Stats.PairedDifference(ols, Computed.TestMse[PolynomialFit.LeastSquaresDegree2]);
        Assert.True(overfit.Mean > 0 && lasso.Mean > 0 && ridge.Mean > 0, $"{overfit} {lasso} {ridge}");
        // Least squares of degree 2 (the true form) is within noise of the floor σ² = 1 + 3σ²/n.
        Assert.InRange(Stats.Mean(Computed.TestMse[PolynomialFit.LeastSquaresDegree2]).Mean, 1.0, 1.3);
    }

    [Fact]
    public void Infinite_lambda_leaves_the_mean_of_y_not_2_and_the_notes_formula_leaves_the_quadratic()
    {
        for (int d = 0; d < Compared; d++)
        {
            Assert.All(Computed.Coefficients[PolynomialFit.LassoInfinity][d], w => Assert.Equal(0, w));
            Assert.Equal(Computed.MeanY[d], Computed.Intercepts[PolynomialFit.LassoInfinity][d], 1e-12);
            Assert.Equal(Computed.MeanY[d], Computed.Intercepts[PolynomialFit.RidgeInfinity][d], 1e-6);
            // Only x³..x⁵ penalized: λ → ∞ is least squares on x, x².
            var high = Computed.Coefficients[PolynomialFit.LassoInfinityHighOrderOnly][d];
            Assert.Equal([0, 0, 0], high[2..]);
            Assert.Equal(Computed.TestMse[PolynomialFit.LeastSquaresDegree2][d], Computed.TestMse[PolynomialFit.LassoInfinityHighOrderOnly][d], 1e-6);
        }
    }

    [Fact]
    public void Verdicts_follow_from_the_numbers()
    {
        var verdicts = Section.Verdicts.ToDictionary(v => v.ClaimId);
        Assert.Equal(VerdictOutcome.Supported, verdicts["overfits"].Outcome);
        Assert.Equal(VerdictOutcome.Supported, verdicts["penalty-cures"].Outcome);
        Assert.Equal(VerdictOutcome.NotSupported, verdicts["infinite-lambda-y-equals-2"].Outcome);
        Assert.Contains("vs in [1.9, 2.1] (y = 2) → not supported", verdicts["infinite-lambda-y-equals-2"].Reason);
        // x³..x⁵ are zeroed often but not as a rule: the verdict is not "supported".
        Assert.NotEqual(VerdictOutcome.Supported, verdicts["l1-removes-high-order"].Outcome);
        var zeros = Section.Tables[1].Rows;
        Assert.True(zeros[2][1].Value > zeros[0][1].Value, "x³ is zeroed more often than x");
        Assert.All(zeros, row => Assert.Equal(0, row[3].Value));   // ridge: never an exact zero
        Assert.Equal(3, Section.Figures.Count);
    }

    [Fact]
    public void Same_seeds_give_a_byte_identical_result_json()
    {
        Determinism.AssertReproducible(() => new PolynomialExperiment(), 3);
    }
}
