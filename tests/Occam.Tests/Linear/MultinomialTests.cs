using Occam.Data;
using Occam.Linear;

namespace Occam.Tests.Linear;

/// <summary>
/// Multinomial logistic regression: optimality (KKT) at every α of a path, recomputed here from the original data and
/// the reported coefficients; K = 2 against the binary solver; identifiability conventions; bad input.
/// </summary>
public class MultinomialTests
{
    internal static Dataset Iris() => CsvLoader.Load(Path.Combine(LinearTestData.RepoRoot, "data", "iris.csv"), "species", TaskKind.Multiclass);

    internal static Dataset Wine() => CsvLoader.Load(Path.Combine(LinearTestData.RepoRoot, "data", "wine.csv"), "cultivar", TaskKind.Multiclass);

    /// <summary>
    /// Largest violation of the optimality conditions of the standardized problem, and the largest |Σᵢ(yᵢₖ − pᵢₖ)|/n:
    /// ungrouped, per coefficient 0 ∈ −cⱼₖ + α(1−ρ)wⱼₖ + αρ·∂|wⱼₖ|; grouped, per feature
    /// −cⱼ + α(1−ρ)wⱼ + αρ·wⱼ/‖wⱼ‖ = 0 (wⱼ ≠ 0) or ‖cⱼ‖₂ ≤ αρ (wⱼ = 0), with cⱼₖ = x̃ⱼᵀ(yₖ − pₖ)/n.
    /// </summary>
    internal static (double Kkt, double Intercept) Violation(Dataset d, MultinomialModel m, bool grouped)
    {
        int n = d.Rows, p = d.Features, K = m.Classes;
        var proba = m.PredictProba(d.X, n);
        var mean = new double[p];
        var scale = new double[p];
        for (int j = 0; j < p; j++)
        {
            for (int i = 0; i < n; i++) mean[j] += d.X[i * p + j];
            mean[j] /= n;
            double ss = 0;
            for (int i = 0; i < n; i++) ss += (d.X[i * p + j] - mean[j]) * (d.X[i * p + j] - mean[j]);
            scale[j] = Math.Sqrt(ss / n);
        }
        double l1 = m.Alpha * m.L1Ratio, l2 = m.Alpha * (1 - m.L1Ratio), viol = 0, icpt = 0;
        for (int k = 0; k < K; k++)
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += (d.Y[i] == k ? 1 : 0) - proba[i * K + k];
            icpt = Math.Max(icpt, Math.Abs(s) / n);
        }
        for (int j = 0; j < p; j++)
        {
            if (scale[j] == 0) { Assert.All(m.Coef, r => Assert.Equal(0.0, r[j])); continue; }
            var c = new double[K];
            var w = new double[K];
            for (int k = 0; k < K; k++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += (d.X[i * p + j] - mean[j]) / scale[j] * ((d.Y[i] == k ? 1 : 0) - proba[i * K + k]);
                c[k] = s / n;
                w[k] = m.Coef[k][j] * scale[j];
            }
            if (grouped)
            {
                double norm = Math.Sqrt(w.Sum(v => v * v));
                if (norm == 0) viol = Math.Max(viol, Math.Max(0, Math.Sqrt(c.Sum(v => v * v)) - l1));
                else
                    for (int k = 0; k < K; k++) viol = Math.Max(viol, Math.Abs(-c[k] + l2 * w[k] + l1 * w[k] / norm));
            }
            else
            {
                for (int k = 0; k < K; k++)
                {
                    double g = -c[k] + l2 * w[k];
                    viol = Math.Max(viol, w[k] != 0 ? Math.Abs(g + l1 * Math.Sign(w[k])) : Math.Max(0, Math.Abs(g) - l1));
                }
            }
        }
        return (viol, icpt);
    }

    [Theory]
    [InlineData(false, 1.0)]
    [InlineData(false, 0.5)]
    [InlineData(false, 0.0)]
    [InlineData(true, 1.0)]
    [InlineData(true, 0.3)]
    public void KktHoldsAtEveryAlphaOfAPath(bool grouped, double rho)
    {
        var d = Wine();
        var o = new LinearOptions { L1Ratio = rho, Grouped = grouped, Tolerance = 1e-9, MaxIterations = 1_000_000 };
        var path = MultinomialRegression.Path(d.X, d.Rows, d.Features, d.Y, o, new PathOptions { Count = 20, Eps = 1e-2 });
        Assert.True(path.Converged, string.Join("; ", path.Warnings));
        Assert.Equal(20, path.Alphas.Length);
        if (rho > 0)
        {
            Assert.Equal(0, path.NonZero[0]);
            Assert.True(path.NonZero[^1] > path.NonZero[0]);
        }
        for (int a = 0; a < path.Alphas.Length; a++)
        {
            Assert.True(path.DualGaps[a] <= path.GapTolerances[a]);
            var (kkt, icpt) = Violation(d, path.ModelAt(a), grouped);
            // A gap g bounds the gradient-mapping norm by √(2·L·g), L ≤ ½ + α(1−ρ) on standardized columns.
            double bound = Math.Max(1e-6, 2 * Math.Sqrt(2 * (0.5 + path.Alphas[a] * (1 - rho)) * path.DualGaps[a]));
            Assert.True(kkt < bound, $"alpha #{a} ({path.Alphas[a]:G4}): KKT violation {kkt:G3} > {bound:G3}");
            Assert.True(icpt < 1e-10, $"alpha #{a}: intercept gradient {icpt:G3}");
        }
        // Deviance explained grows along the path.
        for (int a = 1; a < path.Alphas.Length; a++)
            Assert.True(path.DevianceExplained[a] >= path.DevianceExplained[a - 1] - 1e-9);
    }

    [Fact]
    public void GroupedSelectsWholeFeatures()
    {
        var d = Wine();
        var o = new LinearOptions { Grouped = true, Tolerance = 1e-10 };
        var path = MultinomialRegression.Path(d.X, d.Rows, d.Features, d.Y, o, new PathOptions { Count = 15, Eps = 1e-2 });
        foreach (var coef in path.Coefs)
            for (int j = 0; j < d.Features; j++)
            {
                int nz = coef.Count(r => r[j] != 0);
                Assert.True(nz == 0 || nz == coef.Length, $"feature {j}: {nz} of {coef.Length} classes non-zero");
            }
        // The ungrouped lasso zeroes single class coefficients somewhere on the same path.
        var ungrouped = MultinomialRegression.Path(d.X, d.Rows, d.Features, d.Y, o with { Grouped = false }, new PathOptions { Count = 15, Eps = 1e-2 });
        Assert.Contains(ungrouped.Coefs, coef => Enumerable.Range(0, d.Features).Any(j => coef.Count(r => r[j] != 0) is > 0 and < 3));
    }

    [Fact]
    public void CoefficientsFollowThePenaltyCentre()
    {
        // ρ = 0 and grouped: every row of the coefficients has mean 0 (the minimizer of Σₖ(βⱼₖ − c)² and of
        // ‖βⱼ − c1‖₂); the standardized intercepts sum to 0, so the original-unit ones, b − Σⱼ x̄ⱼ·coef·ⱼ, do too.
        var d = Iris();
        foreach (var o in new[] { new LinearOptions { L1Ratio = 0 }, new LinearOptions { Grouped = true } })
        {
            var m = MultinomialRegression.Fit(d.X, d.Rows, d.Features, d.Y, 0.01, o with { Tolerance = 1e-12 }).Model;
            for (int j = 0; j < d.Features; j++)
                Assert.Equal(0, m.Coef.Sum(r => r[j]), 1e-12);
            Assert.Equal(0, m.Intercepts.Sum(), 1e-9);
        }
        // Lasso, K = 3: the median of each row is 0, so every non-zero feature has a zero in some class.
        var lasso = MultinomialRegression.Fit(d.X, d.Rows, d.Features, d.Y, 0.01, new LinearOptions { Tolerance = 1e-12 }).Model;
        for (int j = 0; j < d.Features; j++)
            Assert.Contains(lasso.Coef, r => r[j] == 0);
    }

    [Theory]
    [InlineData(false, 1.0)]
    [InlineData(false, 0.5)]
    [InlineData(true, 1.0)]
    [InlineData(true, 0.5)]
    public void TwoClassesEqualTheBinaryModel(bool grouped, double rho)
    {
        // K = 2: probabilities depend on w = β₁ − β₀; at the penalty centre β = (−w/2, w/2), so the multinomial penalty
        // α[ρ‖β‖_q + (1−ρ)/2‖β‖²] is the binary α'[ρ'|w| + (1−ρ')/2 w²] with α'ρ' = αρ·c_q, α'(1−ρ') = α(1−ρ)/2,
        // c₁ = 1 (ungrouped: |−w/2| + |w/2| = |w|), c₂ = 1/√2 (grouped: ‖(−w/2, w/2)‖₂ = |w|/√2).
        var d = LinearTestData.BreastCancer();
        double alpha = 0.02, cq = grouped ? 1 / Math.Sqrt(2) : 1;
        double l1 = alpha * rho * cq, l2 = alpha * (1 - rho) / 2, alphaB = l1 + l2, rhoB = l1 / alphaB;
        var o = new LinearOptions { L1Ratio = rho, Grouped = grouped, Tolerance = 1e-12, MaxIterations = 1_000_000 };
        var multi = MultinomialRegression.Fit(d.X, d.Rows, d.Features, d.Y, alpha, o).EnsureConverged().Model;
        var binary = BinaryLogisticRegression.Fit(d.X, d.Rows, d.Features, d.Y, alphaB, new LinearOptions { L1Ratio = rhoB, Tolerance = 1e-12, MaxIterations = 1_000_000 }).Model;
        var w = new double[d.Features];
        for (int j = 0; j < d.Features; j++) w[j] = multi.Coef[1][j] - multi.Coef[0][j];
        // Both solvers stop at a duality gap of 1e-12·L₀, which bounds coefficient errors to about 1e-5 here.
        Assert.True(LinearTestData.RelativeError(w, binary.Coef) < 1e-5, $"relative error {LinearTestData.RelativeError(w, binary.Coef):G3}");
        Assert.True(Math.Abs(binary.Intercept - (multi.Intercepts[1] - multi.Intercepts[0])) < 1e-5 * Math.Max(1, Math.Abs(binary.Intercept)));
        var pm = multi.PredictProba(d.X, d.Rows);
        var pb = binary.Predict(d.X, d.Rows);
        for (int i = 0; i < d.Rows; i++) Assert.Equal(pb[i], pm[2 * i + 1], 1e-6);
        Assert.Equal(binary.NonZero, multi.NonZero);
    }

    [Fact]
    public void ConstantColumnsGetZeroAndAWarning()
    {
        var d = CsvLoader.Load(Path.Combine(LinearTestData.RepoRoot, "data", "digits.csv"), "digit", TaskKind.Multiclass);
        var fit = MultinomialRegression.Fit(d.X, d.Rows, d.Features, d.Y, 0.05, new LinearOptions(), d.FeatureNames);
        Assert.True(fit.Converged);
        int p00 = Array.IndexOf(d.FeatureNames, "p00");
        Assert.All(fit.Model.Coef, r => Assert.Equal(0.0, r[p00]));
        Assert.Contains(fit.Warnings, w => w.Contains("'p00'", StringComparison.Ordinal) && w.Contains("constant", StringComparison.Ordinal));
        Assert.Equal(10, fit.Model.Classes);
    }

    [Fact]
    public void IterationLimitIsReportedNotHidden()
    {
        var d = Wine();
        var fit = MultinomialRegression.Fit(d.X, d.Rows, d.Features, d.Y, 1e-4, new LinearOptions { MaxIterations = 3, Tolerance = 1e-12 });
        Assert.False(fit.Converged);
        Assert.True(fit.DualGap > fit.GapTolerance);
        Assert.Contains(fit.Warnings, w => w.StartsWith("did not converge", StringComparison.Ordinal));
        Assert.Throws<OccamException>(() => fit.EnsureConverged());
    }

    [Fact]
    public void BadInputIsAnArgumentError()
    {
        double[] x = [1, 2, 3, 4, 5, 6];
        Assert.Contains("class indices", Assert.Throws<ArgumentException>(() => MultinomialRegression.Fit(x, 3, 2, [0, 1.5, 2], 0.1)).Message);
        Assert.Contains("class indices", Assert.Throws<ArgumentException>(() => MultinomialRegression.Fit(x, 3, 2, [0, -1, 2], 0.1)).Message);
        Assert.Contains("single class", Assert.Throws<ArgumentException>(() => MultinomialRegression.Fit(x, 3, 2, [0, 0, 0], 0.1)).Message);
        Assert.Contains("class 1 has no rows", Assert.Throws<ArgumentException>(() => MultinomialRegression.Fit(x, 3, 2, [0, 2, 2], 0.1)).Message);
        Assert.Contains("alpha must be > 0", Assert.Throws<ArgumentException>(() => MultinomialRegression.Fit(x, 3, 2, [0, 1, 2], 0)).Message);
        Assert.Contains("non-finite", Assert.Throws<ArgumentException>(() => MultinomialRegression.Fit([1, 2, double.NaN, 4, 5, 6], 3, 2, [0, 1, 2], 0.1)).Message);
        Assert.Contains("one per row", Assert.Throws<ArgumentException>(() => MultinomialRegression.Path(x, 3, 2, [0, 1], null)).Message);
        Assert.Throws<ArgumentException>(() => new MultinomialModel([[1.0, 2.0]], [0.0], 0.1, 1, false));
    }

    [Theory]
    [InlineData(new[] { 3.0, -1.0, 2.0 }, 1.0, 2.0)]
    [InlineData(new[] { 3.0, -1.0, 2.0, 0.0 }, 1.0, 1.0)]
    [InlineData(new[] { 3.0, -1.0, 2.0 }, 0.0, 4.0 / 3)]
    public void PenaltyCentreMinimizesThePenalty(double[] a, double rho, double expected)
    {
        Assert.Equal(expected, MultinomialSolver.PenaltyCenter((double[])a.Clone(), rho), 12);
        // Elastic net: no c nearby gives a smaller penalty.
        foreach (double r in new[] { 0.2, 0.5, 0.9 })
        {
            double c = MultinomialSolver.PenaltyCenter((double[])a.Clone(), r);
            double Pen(double s) => a.Sum(v => (1 - r) / 2 * (v - s) * (v - s) + r * Math.Abs(v - s));
            for (double dc = -1; dc <= 1; dc += 0.01)
                Assert.True(Pen(c) <= Pen(c + dc) + 1e-12, $"rho {r}: centre {c} beaten by {c + dc}");
        }
    }
}
