using Occam.Experiments;
using Occam.Reports;

namespace Occam.Experiments.Tests;

public class NonConvexityTests
{
    private static readonly ExperimentResult Result = new NonConvexity().Run(new ExperimentOptions { Quick = true, Seeds = 6 });

    private static IReadOnlyList<Cell> Row(string activation) => Result.Section.Tables[0].Rows.Single(r => r[0].Text == activation);

    [Fact]
    public void Segments_between_solutions_rise_above_the_chord()
    {
        foreach (string a in new[] { "tanh", "sigmoid" })
        {
            var row = Row(a);
            Assert.True(row[1].Value >= 4, $"{a}: only {row[1].Value} solved pairs");
            Assert.True(row[4].Value > 1e-3, $"{a}: largest convexity gap {row[4].Value}");   // one violation disproves convexity
        }
        Assert.Equal(VerdictOutcome.Supported, Result.Section.Verdicts.Single(v => v.ClaimId == "non-convex").Outcome);
    }

    [Fact]
    public void Solutions_differ_beyond_the_permutation_and_sign_symmetries()
    {
        foreach (string a in new[] { "tanh", "sigmoid" })
            Assert.True(Row(a)[5].Value > 0.5, $"{a}: distinct rate {Row(a)[5].Value}");
    }

    [Fact]
    public void Loss_curves_start_and_end_low()
    {
        var figure = Result.Section.Figures.Single(f => f.Name == "loss-along-segment");
        Assert.NotEmpty(figure.Series);
        foreach (var s in figure.Series)
        {
            Assert.True(s.Y[0] < 0.2 && s.Y[^1] < 0.2, $"{s.Label}: ends {s.Y[0]}, {s.Y[^1]}");
            Assert.True(s.Y.Max() >= Math.Max(s.Y[0], s.Y[^1]));
        }
    }

    [Fact]
    public void Same_seeds_same_result_json() =>
        Assert.Equal(ResultFile.ToJson(Result), ResultFile.ToJson(new NonConvexity().Run(new ExperimentOptions { Quick = true, Seeds = 6 })));
}
