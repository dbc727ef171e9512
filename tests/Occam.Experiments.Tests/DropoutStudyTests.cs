using System.Text.Json;
using Occam.Experiments;
using Occam.Reports;

namespace Occam.Experiments.Tests;

/// <summary>
/// Dropout: p = 0.5 switches off half of the units (the engine's masks), the large net overfits its 200 training rows,
/// every verdict follows from the table's paired differences, and the same seeds give the same result.json.
/// </summary>
public class DropoutStudyTests
{
    private static readonly Lazy<ExperimentResult> Result = new(() => new DropoutStudy().Run(new ExperimentOptions { Quick = true, Seeds = 1 }));

    [Fact]
    public void Half_the_units_are_off_at_p_one_half()
    {
        var m = DropoutStudy.CountMasks(0.5, seeds: 2, seedBase: 1, steps: 20);
        double rate = (double)m.Off / m.Total;
        Assert.Equal(2L * 20 * 32 * DropoutStudy.MaskUnits, m.Total);
        Assert.InRange(rate, 0.49, 0.51);   // SE = 0.5/√327680 ≈ 0.0009
        Assert.InRange((double)DropoutStudy.CountMasks(0.2, 1, 1, 20).Off / (20 * 32 * DropoutStudy.MaskUnits), 0.19, 0.21);
        Assert.Equal(VerdictOutcome.Supported, Result.Value.Section.Verdicts.Single(v => v.ClaimId == "half-off").Outcome);
    }

    [Fact]
    public void The_unregularized_net_overfits_and_verdicts_follow_from_the_paired_differences()
    {
        var table = Result.Value.Section.Tables[1];
        var none = table.Rows.Single(r => r[0].Text == "none");
        Assert.True(none[2].Value > none[1].Value + 0.02, $"test error {none[2].Value} vs train error {none[1].Value}");
        var verdicts = Result.Value.Section.Verdicts.ToDictionary(v => v.ClaimId);
        foreach (var (kind, claim) in new[] { ("dropout", "dropout-less-overfitting"), ("L2", "l2-less-overfitting"), ("L1", "l1-less-overfitting") })
        {
            // With one seed the paired difference has no SE: its interval is (−∞, ∞) and the rule cannot decide.
            var cells = table.Rows.Where(r => r[0].Text!.StartsWith(kind, StringComparison.Ordinal)).Select(r => r[4]).ToArray();
            Assert.Equal(3, cells.Length);
            Assert.All(cells, c => Assert.True(double.IsNaN(c.StandardError)));
            Assert.Equal(VerdictOutcome.Conditional, verdicts[claim].Outcome);
        }
    }

    [Fact]
    public void Same_seeds_give_a_byte_identical_result_json() =>
        Assert.Equal(ResultFile.ToJson(Result.Value), ResultFile.ToJson(new DropoutStudy().Run(new ExperimentOptions { Quick = true, Seeds = 1 })));

    [Fact]
    public void Same_seeds_give_the_same_errors()
    {
        var digits = Data.CsvLoader.Load(Occam.Tests.Repo.Data("digits.csv"), "digit");
        Regularizer[] configs = [DropoutStudy.Configurations[0], DropoutStudy.Configurations[2]];
        var a = DropoutStudy.Overfitting(digits, 1, 5, 5, 64, configs);
        var b = DropoutStudy.Overfitting(digits, 1, 5, 5, 64, configs);
        Assert.Equal(a, b);
        Assert.NotEqual(a[0].TestError, a[1].TestError);   // dropout changes the training
    }

    [Fact]
    public void Mask_rates_agree_with_torch_dropout()
    {
        // tests/golden/experiments/torch_zeros_dropout.py: torch.nn.Dropout(p) in training mode on ones(32, 256), 500 times.
        using var doc = JsonDocument.Parse(File.ReadAllText(Occam.Tests.Repo.Golden("experiments/torch_zeros_dropout.json")));
        foreach (var e in doc.RootElement.GetProperty("dropout").EnumerateArray())
        {
            double p = e.GetProperty("p").GetDouble();
            long torchOff = e.GetProperty("off").GetInt64(), torchTotal = e.GetProperty("total").GetInt64();
            var m = DropoutStudy.CountMasks(p, seeds: 2, seedBase: 1, steps: 50);
            double a = (double)m.Off / m.Total, b = (double)torchOff / torchTotal;
            double se = Math.Sqrt(p * (1 - p) * (1.0 / m.Total + 1.0 / torchTotal));
            Assert.True(Math.Abs(a - b) <= 4 * se, $"p = {p}: Occam {a}, torch {b}, SE {se}");
        }
    }
}
