using Occam.Reports;

namespace Occam.Experiments.Tests;

public class MulticollinearityExperimentTests
{
    private const int Compared = 15;

    private static readonly MulticollinearityResult Computed = MulticollinearityExperiment.Run(new MulticollinearityProtocol { Resamples = 30 });

    private static readonly ReportSection Section = new MulticollinearityExperiment().Report(Computed);

    [Fact]
    public void Condition_number_is_exact_for_known_correlation_matrices()
    {
        // Eigenvalues of [[1, r, 0], [r, 1, 0], [0, 0, 1]] are 1 ± r and 1.
        var e = MulticollinearityExperiment.SymmetricEigenvalues([1, 0.9, 0, 0.9, 1, 0, 0, 0, 1], 3).Order().ToArray();
        Assert.Equal(0.1, e[0], 1e-13);
        Assert.Equal(1, e[1], 1e-13);
        Assert.Equal(1.9, e[2], 1e-13);
        // A full 3×3 case against its characteristic polynomial: [[2, 1, 0], [1, 2, 1], [0, 1, 2]] has 2 − √2, 2, 2 + √2.
        e = MulticollinearityExperiment.SymmetricEigenvalues([2, 1, 0, 1, 2, 1, 0, 1, 2], 3).Order().ToArray();
        Assert.Equal(2 - Math.Sqrt(2), e[0], 1e-13);
        Assert.Equal(2, e[1], 1e-13);
        Assert.Equal(2 + Math.Sqrt(2), e[2], 1e-13);
        // Two exactly proportional columns plus noise: the sample condition number is (1 + |r̂|)/(1 − |r̂|) for two columns.
        var x = new double[] { 1, 2.1, 2, 3.9, 3, 6.2, 4, 7.8 };
        double r = Correlation(x);
        Assert.Equal((1 + r) / (1 - r), MulticollinearityExperiment.ConditionNumber(x, 4, 2), 1e-9);
    }

    [Fact]
    public void Test_error_is_the_exact_expectation()
    {
        // The truth itself: σ² only; an intercept off by 1: σ² + 1; the area coefficient off by 0.1: σ² + 0.1²·900 (variance)
        // + (0.1·100)² (the shift Δw·μ); a lot coefficient of 0.01: 0.01²·100² + (0.01·500)².
        Assert.Equal(2500, MulticollinearityExperiment.TestError(0, [2, 40, -2, 0], 0.5), 9);
        Assert.Equal(2501, MulticollinearityExperiment.TestError(1, [2, 40, -2, 0], 0.5), 9);
        Assert.Equal(2500 + 0.01 * 900 + 0.01 * 100 * 100, MulticollinearityExperiment.TestError(0, [2.1, 40, -2, 0], 0.5), 9);
        Assert.Equal(2500 + 1 + 25, MulticollinearityExperiment.TestError(0, [2, 40, -2, 0.01], 0.5), 9);
        // Δarea = 0.1 and Δrooms = −3 cancel in the mean (0.1·100 − 3·4 + 2 = 0 with Δb = 2) and covary through r.
        double r = 0.9, quad = 0.01 * 900 + 9 + 2 * 0.1 * -3 * 30 * r;
        Assert.Equal(2500 + quad, MulticollinearityExperiment.TestError(2, [2.1, 37, -2, 0], r), 9);
    }

    [Fact]
    public void Fits_agree_with_scikit_learn_on_the_same_data()
    {
        var reference = LinearReference.Section("multicollinearity");
        int c = 0;
        foreach (var level in reference.GetProperty("levels").EnumerateArray())
        {
            var ours = Computed.Levels[c++];
            Assert.Equal(level.GetProperty("correlation").GetDouble(), ours.Correlation);
            var ols = level.GetProperty("ols_effects").Rows();
            var effects = level.GetProperty("effects");
            for (int d = 0; d < Compared; d++)
            {
                Assert.Equal(ols[d], ours.Effects[CollinearFit.LeastSquares][d], new RelativeComparer(1e-9));
                foreach (var (name, fit) in new[] { ("ridge", CollinearFit.Ridge), ("lasso", CollinearFit.Lasso), ("elasticnet", CollinearFit.ElasticNet) })
                {
                    var theirs = effects.GetProperty(name)[d].Doubles();
                    for (int j = 0; j < MulticollinearityExperiment.Columns; j++)
                    {
                        // Standardized effects of size 30–60; both solvers stop at a duality gap, which at r = 0.99 leaves
                        // ~1e-3 in the poorly determined direction area − rooms.
                        Assert.Equal(theirs[j], ours.Effects[fit][d][j], 1e-2);
                        Assert.Equal(theirs[j] == 0, ours.Effects[fit][d][j] == 0);
                    }
                }
            }
        }
    }

    [Fact]
    public void Ridge_and_elastic_net_steady_the_correlated_pair_and_lasso_sometimes_drops_one()
    {
        var high = Section.Tables[1].Rows.Where(r => r[0].Text == "r = 0.99").ToDictionary(r => r[1].Text!);
        // Spread (sd) of the area effect: least squares > lasso > ridge ≈ elastic net.
        Assert.True(high["least squares"][3].Value > 3 * high["ridge"][3].Value);
        Assert.True(high["lasso"][3].Value > 2 * high["elastic net"][3].Value);
        var kappa = Section.Tables[0].Rows;
        Assert.True(kappa[^1][2].Value > 100 && kappa[0][2].Value < 3, "median condition number rises with r");
        var verdicts = Section.Verdicts.ToDictionary(v => v.ClaimId);
        Assert.Equal(VerdictOutcome.Supported, verdicts["l2-multicollinearity"].Outcome);
        Assert.Contains("r = 0.99: error lasso − ridge", verdicts["l2-more-stable"].Reason);
        var kept = Section.Tables[2].Rows.Single(r => r[0].Text == "r = 0.99" && r[1].Text == "lasso");
        Assert.True(kept[2].Value + kept[3].Value > 0, "lasso keeps one feature of the pair in some data sets");
        Assert.True(kept[6].Value > 0, "lasso drops the irrelevant lot in some data sets");
        Assert.Equal(0, Computed.Levels[^1].LotZeroed(CollinearFit.Ridge));
        Assert.Contains("elastic net sets the irrelevant lot exactly to 0", verdicts["elastic-net-combines"].Reason);
    }

    [Fact]
    public void Same_seeds_give_a_byte_identical_result_json()
    {
        Determinism.AssertReproducible(() => new MulticollinearityExperiment(), 3);
    }

    private static double Correlation(double[] x)
    {
        int n = x.Length / 2;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) { ma += x[2 * i]; mb += x[2 * i + 1]; }
        ma /= n; mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++)
        {
            double a = x[2 * i] - ma, b = x[2 * i + 1] - mb;
            sab += a * b; saa += a * a; sbb += b * b;
        }
        return sab / Math.Sqrt(saa * sbb);
    }

    private sealed class RelativeComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)));

        public int GetHashCode(double obj) => 0;
    }
}
