using Occam.Reports;

namespace Occam.Experiments.Tests;

public class GeometryExperimentTests
{
    private static readonly GeometryProtocol Protocol = new();

    private static readonly ReportSection Section = new GeometryExperiment().Report(GeometryExperiment.Run(new GeometryProtocol { Problems = 500, HighDimProblems = 4 }));

    /// <summary>
    /// KKT conditions of min ½(w − w*)ᵀH(w − w*) s.t. ‖w‖ ≤ t with the optimum on the boundary: −g = μ·s for some μ ≥ 0 and
    /// s in the norm's subdifferential. L1: −gⱼ = μ·sign(wⱼ) where wⱼ ≠ 0, |gⱼ| ≤ μ where wⱼ = 0. L2: −g = μ·w/‖w‖.
    /// </summary>
    [Fact]
    public void Both_optima_satisfy_the_optimality_conditions_on_many_random_problems()
    {
        for (int d = 0; d < 300; d++)
        {
            var p = GeometryExperiment.Draw(Protocol, d);
            var w = p.Optimum;
            foreach (double s in Protocol.Budgets)
            {
                double t1 = s * (Math.Abs(w[0]) + Math.Abs(w[1]));
                var a = GeometryExperiment.L1BallOptimum(p, t1);
                var g = p.Gradient(a);
                Assert.Equal(t1, Math.Abs(a[0]) + Math.Abs(a[1]), 1e-12 * t1);
                double mu = a[0] != 0 ? -g[0] * Math.Sign(a[0]) : -g[1] * Math.Sign(a[1]);
                Assert.True(mu > 0, $"problem {d}, s = {s}: multiplier {mu}");
                for (int j = 0; j < 2; j++)
                    if (a[j] != 0) Assert.Equal(mu, -g[j] * Math.Sign(a[j]), 1e-9 * (1 + mu));
                    else Assert.True(Math.Abs(g[j]) <= mu * (1 + 1e-12), $"problem {d}, s = {s}: |g{j}| = {Math.Abs(g[j])} > μ = {mu}");

                double t2 = s * Math.Sqrt(w[0] * w[0] + w[1] * w[1]);
                var b = GeometryExperiment.L2BallOptimum(p, t2);
                var h = p.Gradient(b);
                double norm = Math.Sqrt(b[0] * b[0] + b[1] * b[1]);
                Assert.Equal(t2, norm, 1e-12 * t2);
                double nu = -(h[0] * b[0] + h[1] * b[1]) / norm;
                Assert.True(nu > 0);
                Assert.Equal(-h[0], nu * b[0] / norm, 1e-9 * (1 + nu));
                Assert.Equal(-h[1], nu * b[1] / norm, 1e-9 * (1 + nu));
            }
        }
    }

    [Fact]
    public void Loose_budgets_and_inside_points_are_handled_exactly()
    {
        var p = new TwoWeightProblem([2, 0, 0, 1], [1, -0.5]);
        Assert.Equal([1, -0.5], GeometryExperiment.L1BallOptimum(p, 2));
        Assert.Equal([1, -0.5], GeometryExperiment.L2BallOptimum(p, 2));
        // Diagonal H = diag(2, 1), w* = (1, −0.5), t = 0.5: the L1 optimum is the corner (0.5, 0)
        // (g = (−1, 0.5), |g₂| ≤ μ = 1); the L2 optimum is w(μ) = (2/(2+μ), −0.5/(1+μ)) with ‖w‖ = 0.5.
        Assert.Equal([0.5, 0], GeometryExperiment.L1BallOptimum(p, 0.5));
        var b = GeometryExperiment.L2BallOptimum(p, 0.5);
        Assert.NotEqual(0, b[0]);
        Assert.NotEqual(0, b[1]);
        Assert.False(GeometryExperiment.OnAxisL2(b, 0.5));
    }

    [Fact]
    public void Optima_and_axis_counts_agree_with_lars_and_brentq_on_the_same_problems()
    {
        var reference = LinearReference.Section("geometry");
        var l1 = reference.GetProperty("l1_optima").EnumerateArray().Select(e => e.Rows()).ToArray();
        var l2 = reference.GetProperty("l2_optima").EnumerateArray().Select(e => e.Rows()).ToArray();
        int problems = reference.GetProperty("problems").GetInt32();
        var l1Axis = new int[Protocol.Budgets.Length];
        var l2Axis = new int[Protocol.Budgets.Length];
        for (int d = 0; d < problems; d++)
        {
            var p = GeometryExperiment.Draw(Protocol, d);
            var w = p.Optimum;
            for (int b = 0; b < Protocol.Budgets.Length; b++)
            {
                double s = Protocol.Budgets[b];
                double t2 = s * Math.Sqrt(w[0] * w[0] + w[1] * w[1]);
                var a = GeometryExperiment.L1BallOptimum(p, s * (Math.Abs(w[0]) + Math.Abs(w[1])));
                var c = GeometryExperiment.L2BallOptimum(p, t2);
                if (a[0] == 0 || a[1] == 0) l1Axis[b]++;
                if (GeometryExperiment.OnAxisL2(c, t2)) l2Axis[b]++;
                if (d < l1.Length)
                    for (int j = 0; j < 2; j++)
                    {
                        Assert.Equal(l1[d][b][j], a[j], 1e-9);
                        Assert.Equal(l1[d][b][j] == 0, a[j] == 0);
                        Assert.Equal(l2[d][b][j], c[j], 1e-9);
                    }
            }
        }
        Assert.Equal(reference.GetProperty("l1_on_axis").Ints(), l1Axis);
        Assert.Equal(reference.GetProperty("l2_on_axis").Ints(), l2Axis);
    }

    [Fact]
    public void Verdicts_follow_from_the_numbers()
    {
        var verdicts = Section.Verdicts.ToDictionary(v => v.ClaimId);
        var axis = Section.Tables[0].Rows;
        // The L1 on-axis rate falls as the budget loosens; L2 is never on an axis.
        for (int b = 1; b < axis.Count; b++) Assert.True(axis[b][1].Value < axis[b - 1][1].Value);
        Assert.All(axis, row => Assert.Equal(0, row[2].Value));
        Assert.True(axis[0][1].Low > 0.5 && axis[^1][1].High < 0.5);
        Assert.Equal(VerdictOutcome.Conditional, verdicts["l1-on-axis"].Outcome);
        Assert.Equal(VerdictOutcome.Supported, verdicts["l2-off-axis"].Outcome);
        // High dimension: ridge never zeroes a weight; lasso zeroes all at α_max and fewer as α shrinks.
        var path = Section.Tables[1].Rows;
        Assert.Equal(50, path[0][1].Value);
        Assert.All(path.SkipLast(1), row => Assert.Equal(0, row[2].Value));
        for (int a = 1; a < path.Count - 1; a++) Assert.True(path[a][1].Value <= path[a - 1][1].Value);
        Assert.Contains("high-dim-zeros", verdicts.Keys);
    }

    [Fact]
    public void Same_seeds_give_a_byte_identical_result_json()
    {
        Determinism.AssertReproducible(() => new GeometryExperiment(), 3);
    }
}
