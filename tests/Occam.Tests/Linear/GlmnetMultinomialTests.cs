using System.Text.Json;
using Occam.Data;
using Occam.Linear;

namespace Occam.Tests.Linear;

/// <summary>
/// Multinomial logistic regression against glmnet 4.1-6 (tests/golden/linear/glmnet_multinomial.R) at every λ of its
/// paths. Compared: the fitted class probabilities on the training rows (computed from each side's coefficients), the
/// centred coefficients (each feature's mean over classes subtracted) and centred intercepts, which are unique although
/// the raw coefficients are not (a shift of βⱼ by c·1 does not change the loss); and, for the grouped penalty, whose rows
/// both glmnet and Occam centre, the raw coefficients too.
/// </summary>
public class GlmnetMultinomialTests
{
    public static TheoryData<string> Cases() =>
    [
        "iris_lasso", "iris_enet", "iris_groupedLasso", "iris_groupedEnet",
        "wine_lasso", "wine_enet", "wine_groupedLasso", "wine_groupedEnet",
        "digits_lasso", "digits_enet", "digits_groupedLasso", "digits_groupedEnet",
    ];

    internal static Dataset Load(JsonElement g)
    {
        var d = CsvLoader.Load(Path.Combine(LinearTestData.RepoRoot, "data", g.GetProperty("data").GetString()!), g.GetProperty("target").GetString()!, TaskKind.Multiclass);
        // glmnet orders classes as R's factor levels; map Occam's class indices onto them.
        var levels = g.GetProperty("classes").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(levels.OrderBy(s => s, StringComparer.Ordinal), d.Classes!.OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal(levels, d.Classes);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PathMatchesGlmnet(string name)
    {
        var g = LinearTestData.Golden("glmnet_multinomial.json").GetProperty(name);
        var d = Load(g);
        var alphas = g.GetProperty("alphas").Doubles();
        var o = new LinearOptions
        {
            L1Ratio = g.GetProperty("l1Ratio").GetDouble(),
            Grouped = g.GetProperty("grouped").GetBoolean(),
            // The gap of digits (n·K = 17970 entropy terms) cannot be evaluated much below 1e-12.
            Tolerance = name.StartsWith("digits", StringComparison.Ordinal) ? 1e-12 : 1e-13,
            MaxIterations = 10_000_000,
        };
        var path = MultinomialRegression.Path(d.X, d.Rows, d.Features, d.Y, o, new PathOptions { Alphas = alphas }, d.FeatureNames);
        // Converged, or stopped for lack of progress with a small gap: for the lasso on digits the κ-scaled gap stalls
        // near 1e-8 while the coefficients already agree with glmnet to 1e-7 (the dual point, not the primal, lags).
        for (int a = 0; a < alphas.Length; a++)
            Assert.True(path.ConvergedAt[a] || path.DualGaps[a] < 1e-7, $"alpha #{a}: gap {path.DualGaps[a]:G3}; {string.Join("; ", path.Warnings)}");
        var coefs = g.GetProperty("coefs").EnumerateArray().Select(a => a.Matrix()).ToArray();
        var intercepts = g.GetProperty("intercepts").Matrix();
        var devRatio = g.GetProperty("devRatio").Doubles();
        // Raw coefficients: glmnet's grouped rows are centred like ours; its ungrouped rows can carry another per-feature
        // shift (same probabilities), so only the centred ones are compared there.
        bool rawComparable = o.Grouped;
        double worstP = 0, worstC = 0;
        for (int a = 0; a < alphas.Length; a++)
        {
            var ours = path.ModelAt(a);
            var theirs = new MultinomialModel(coefs[a], intercepts[a], alphas[a], o.L1Ratio, o.Grouped);
            var pOurs = ours.PredictProba(d.X, d.Rows);
            var pTheirs = theirs.PredictProba(d.X, d.Rows);
            double dp = pOurs.Zip(pTheirs, (u, v) => Math.Abs(u - v)).Max();
            double dc = CoefDifference(ours.CenteredCoef(), theirs.CenteredCoef(), Center(ours.Intercepts), Center(theirs.Intercepts));
            if (rawComparable) dc = Math.Max(dc, CoefDifference(ours.Coef, theirs.Coef, ours.Intercepts, theirs.Intercepts));
            worstP = Math.Max(worstP, dp);
            worstC = Math.Max(worstC, dc);
            Assert.True(dp < 1e-5, $"{name} alpha #{a} ({alphas[a]:G4}): probabilities differ by {dp:G3}");
            Assert.True(dc < 1e-5, $"{name} alpha #{a} ({alphas[a]:G4}): coefficients differ by {dc:G3} (relative)");
            Assert.Equal(devRatio[a], path.DevianceExplained[a], 1e-6);
            Assert.Equal(theirs.NonZero, ours.NonZero);
        }
        Console.WriteLine($"{name}: max |Δp| {worstP:G3}, max relative Δcoef {worstC:G3}");
    }

    private static double[] Center(double[] v)
    {
        double m = v.Average();
        return v.Select(x => x - m).ToArray();
    }

    /// <summary>max |a − b| over coefficients and intercepts, relative to max(1, max |b|).</summary>
    private static double CoefDifference(double[][] a, double[][] b, double[] ia, double[] ib)
    {
        double d = 0, m = 1;
        for (int k = 0; k < a.Length; k++)
        {
            for (int j = 0; j < a[k].Length; j++) { d = Math.Max(d, Math.Abs(a[k][j] - b[k][j])); m = Math.Max(m, Math.Abs(b[k][j])); }
            d = Math.Max(d, Math.Abs(ia[k] - ib[k]));
            m = Math.Max(m, Math.Abs(ib[k]));
        }
        return d / m;
    }
}
