using Occam.Experiments;
using Occam.Reports;

namespace Occam.Experiments.Tests;

/// <summary>
/// The pattern for every experiment test: run the quick profile with a few seeds, then assert the direction of the
/// effect and the statistic behind each verdict (never pixels), and that the same seeds give byte-identical result.json.
/// </summary>
public class ReluScaleSymmetryTests
{
    private static readonly ExperimentResult Result = new ReluScaleSymmetry().Run(new ExperimentOptions { Quick = true, Seeds = 8 });

    private static IReadOnlyList<Cell> Row(string activation, string biases) =>
        Result.Section.Tables[0].Rows.Single(r => r[0].Text == activation && r[1].Text == biases);

    [Fact]
    public void Relu_outputs_are_bit_identical_after_the_exact_rescaling()
    {
        var row = Row("relu", "kept");
        Assert.Equal(1.0, row[2].Value);      // every network bit-identical
        Assert.Equal(0.0, row[4].Value);      // largest relative change
    }

    [Fact]
    public void Tanh_and_sigmoid_outputs_change_and_so_does_relu_with_the_second_bias_halved()
    {
        foreach (var (activation, biases) in new[] { ("tanh", "kept"), ("sigmoid", "kept"), ("relu", "halved") })
        {
            var row = Row(activation, biases);
            Assert.Equal(0.0, row[2].Value);   // no network unchanged
            Assert.True(row[3].Value > 1e-3, $"{activation}/{biases}: mean relative change {row[3].Value}");
        }
    }

    [Fact]
    public void Verdicts_follow_from_the_numbers()
    {
        var verdicts = Result.Section.Verdicts.ToDictionary(v => v.ClaimId);
        // ReLU invariance holds with layer 2's biases kept but not with them halved as the note words it.
        Assert.Equal(VerdictOutcome.Conditional, verdicts["relu-invariant"].Outcome);
        Assert.Contains("biases kept: largest relative change 0 vs = 0 (bit-identical) → supported", verdicts["relu-invariant"].Reason);
        Assert.Equal(VerdictOutcome.Supported, verdicts["not-sigmoid-tanh"].Outcome);
    }

    [Fact]
    public void L2_training_ends_at_the_scale_l2_prefers_and_the_closed_form_rescaling_keeps_the_output()
    {
        var table = Result.Section.Tables[1];
        var none = table.Rows.Single(r => r[0].Text == "no penalty");
        var l2 = table.Rows.Single(r => r[0].Text!.StartsWith("L2", StringComparison.Ordinal));
        // Penalty after balancing / before: < 1 without L2 (balancing would save a few %), ≈ 1 with L2 (already at the optimum).
        Assert.True(none[4].Value < 0.99, $"without L2 ratio {none[4].Value}");
        Assert.InRange(l2[4].Value, 0.999, 1.0);
        Assert.True(l2[5].Value <= 1e-9 && none[5].Value <= 1e-9);   // the balancing rescaling leaves the output unchanged
        var reason = Result.Section.Verdicts.Single(v => v.ClaimId == "l2-balances").Reason;
        Assert.Contains("(float64): largest relative output change", reason);
        Assert.Contains("(at the scale L2 prefers) → supported", reason);
    }

    [Fact]
    public void Same_seeds_give_a_byte_identical_result_json()
    {
        var again = new ReluScaleSymmetry().Run(new ExperimentOptions { Quick = true, Seeds = 8 });
        Assert.Equal(ResultFile.ToJson(Result), ResultFile.ToJson(again));
        var other = new ReluScaleSymmetry().Run(new ExperimentOptions { Quick = true, Seeds = 8, SeedBase = 100 });
        Assert.NotEqual(ResultFile.ToJson(Result), ResultFile.ToJson(other));
    }
}
