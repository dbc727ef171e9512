using Occam.Experiments;
using Occam.Reports;

namespace Occam.Experiments.Tests;

public class VerdictRuleTests
{
    [Theory]
    [InlineData(0.95, 0.97, VerdictOutcome.Supported)]      // interval inside [0.9, ∞)
    [InlineData(0.85, 0.95, VerdictOutcome.Conditional)]    // straddles 0.9: cannot decide
    [InlineData(0.5, 0.89, VerdictOutcome.NotSupported)]    // entirely below
    public void One_condition_compares_the_interval_with_the_region(double low, double high, VerdictOutcome expected) =>
        Assert.Equal(expected, VerdictRule.Judge(new Estimate((low + high) / 2, low, high), Expectation.AtLeast(0.9)));

    [Fact]
    public void Exact_values_and_nan()
    {
        Assert.Equal(VerdictOutcome.Supported, VerdictRule.Judge(Estimate.Exact(0), Expectation.AtMost(0)));
        Assert.Equal(VerdictOutcome.NotSupported, VerdictRule.Judge(Estimate.Exact(1e-9), Expectation.AtMost(0)));
        Assert.Equal(VerdictOutcome.Conditional, VerdictRule.Judge(new Estimate(double.NaN, 0, 1), Expectation.AtMost(2)));
        Assert.Equal(VerdictOutcome.Supported, VerdictRule.Judge(new Estimate(0.1, 0.05, 0.15), Expectation.Between(0.05, 0.2)));
    }

    [Fact]
    public void Several_conditions_combine_to_supported_only_if_all_are()
    {
        var s = VerdictOutcome.Supported;
        var n = VerdictOutcome.NotSupported;
        var c = VerdictOutcome.Conditional;
        Assert.Equal(s, VerdictRule.Combine([s, s]));
        Assert.Equal(n, VerdictRule.Combine([n, n]));
        Assert.Equal(c, VerdictRule.Combine([s, n]));
        Assert.Equal(c, VerdictRule.Combine([s, c]));
        Assert.Throws<ArgumentException>(() => VerdictRule.Combine([]));
    }

    [Fact]
    public void Claim_test_reason_lists_every_condition_with_its_numbers()
    {
        var verdict = new ClaimTest("w4")
            .Check("sigmoid", Stats.Wilson(500, 500), Expectation.AtLeast(0.95, "≥ 95 %"))
            .Check("relu", Stats.Wilson(300, 500), Expectation.AtLeast(0.95, "≥ 95 %"))
            .Verdict();
        Assert.Equal("w4", verdict.ClaimId);
        Assert.Equal(VerdictOutcome.Conditional, verdict.Outcome);
        Assert.Equal("sigmoid: 100.0 % [99.2, 100.0] vs ≥ 95 % → supported; relu: 60.0 % [55.6, 64.2] vs ≥ 95 % → not supported.", verdict.Reason);
    }
}
