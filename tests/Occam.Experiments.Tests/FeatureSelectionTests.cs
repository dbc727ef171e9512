using Occam.Data;
using Occam.Experiments;
using Occam.Reports;
using Occam.Tests;

namespace Occam.Experiments.Tests;

/// <summary>
/// Feature selection: a strong group lasso on the inputs cuts whole pixels, a weak penalty keeps all 64, the pixels kept
/// come from exact zeros of whole columns, the verdict follows from the numbers, and the runs are deterministic.
/// </summary>
public class FeatureSelectionTests
{
    private static readonly Lazy<ExperimentResult> Result = new(() => new FeatureSelection().Run(new ExperimentOptions { Quick = true, Seeds = 1 }));

    [Fact]
    public void Strong_penalties_cut_pixels_weak_ones_keep_all()
    {
        var digits = CsvLoader.Load(Repo.Data("digits.csv"), "digit");
        var (train, test) = ExperimentData.StratifiedSplit(digits, 1197, 2);
        var weak = FeatureSelection.Fit(train, test, "group-inputs", 1e-4, 2, 4);
        var strong = FeatureSelection.Fit(train, test, "group-inputs", 0.03, 2, 4);
        Assert.Equal(64, weak.PixelsKept);
        Assert.True(strong.PixelsKept < 64, $"kept {strong.PixelsKept}");
        Assert.True(strong.ZeroFraction > 0);
        Assert.Equal(strong, FeatureSelection.Fit(train, test, "group-inputs", 0.03, 2, 4) with { Kept = strong.Kept });
        Assert.Equal(strong.Kept, FeatureSelection.Fit(train, test, "group-inputs", 0.03, 2, 4).Kept);
    }

    [Fact]
    public void The_verdict_follows_from_the_pixels_cut_at_the_chosen_lambda()
    {
        var section = Result.Value.Section;
        var verdict = section.Verdicts.Single();
        // One seed: a mean without an SE, so the interval is (−∞, ∞) and the rule cannot decide.
        Assert.Equal(VerdictOutcome.Conditional, verdict.Outcome);
        Assert.Contains("L1, λ* = ", verdict.Reason);
        var none = section.Tables[0].Rows[0];
        Assert.Equal(64.0, none[2].Value);
        Assert.True(none[3].Value > 0.9, $"baseline accuracy {none[3].Value}");
        Assert.Contains(section.Figures, f => f.Name == "pixels-kept-l1" && f.Series[0].Values!.Count == 8);
        Assert.Equal(ResultFile.ToJson(Result.Value), ResultFile.ToJson(new FeatureSelection().Run(new ExperimentOptions { Quick = true, Seeds = 1 })));
    }
}
