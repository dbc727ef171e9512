using System.Globalization;
using System.Text;
using Occam.Reports;

namespace Occam.Experiments;

/// <summary>
/// The region of a statistic that a claim asserts: [<see cref="Min"/>, <see cref="Max"/>] (either end may be open),
/// with the text the report prints, e.g. "≥ 90 %". Build with <see cref="AtLeast"/>, <see cref="AtMost"/>, <see cref="Between"/>.
/// </summary>
public sealed record Expectation(double Min, double Max, string Text)
{
    /// <summary>The claim says the statistic is at least <paramref name="min"/>.</summary>
    public static Expectation AtLeast(double min, string? text = null) => new(min, double.PositiveInfinity, text ?? "≥ " + Show(min));

    /// <summary>The claim says the statistic is at most <paramref name="max"/>.</summary>
    public static Expectation AtMost(double max, string? text = null) => new(double.NegativeInfinity, max, text ?? "≤ " + Show(max));

    /// <summary>The claim says the statistic lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Expectation Between(double min, double max, string? text = null) =>
        min <= max ? new(min, max, text ?? $"in [{Show(min)}, {Show(max)}]") : throw new ArgumentException($"empty region [{min}, {max}].", nameof(max));

    private static string Show(double x) => Numbers.Significant(x, 3);
}

/// <summary>
/// The verdict rule (docs/experiments.md), the only way an experiment decides a verdict:
/// <list type="number">
/// <item>One condition (e.g. one activation): with the statistic's 95 % interval I and the claimed region R,
/// <b>supported</b> if I ⊆ R, <b>not supported</b> if I ∩ R = ∅, otherwise <b>conditional</b> (the data cannot decide at
/// this sample size). A NaN estimate is "cannot decide".</item>
/// <item>A claim tested under several conditions: <b>supported</b> if every condition is supported, <b>not supported</b>
/// if every condition is not supported, otherwise <b>conditional</b> (the reason lists where it holds and where not).</item>
/// </list>
/// </summary>
public static class VerdictRule
{
    /// <summary>Rule 1: the outcome of one condition.</summary>
    public static VerdictOutcome Judge(Estimate estimate, Expectation expectation)
    {
        ArgumentNullException.ThrowIfNull(expectation);
        if (double.IsNaN(estimate.Value) || double.IsNaN(estimate.Low) || double.IsNaN(estimate.High)) return VerdictOutcome.Conditional;
        if (estimate.Low >= expectation.Min && estimate.High <= expectation.Max) return VerdictOutcome.Supported;
        if (estimate.High < expectation.Min || estimate.Low > expectation.Max) return VerdictOutcome.NotSupported;
        return VerdictOutcome.Conditional;
    }

    /// <summary>Rule 2: the outcome of a claim from its conditions' outcomes (at least one).</summary>
    public static VerdictOutcome Combine(IReadOnlyCollection<VerdictOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0) throw new ArgumentException("a verdict needs at least one checked condition.", nameof(outcomes));
        if (outcomes.All(o => o == VerdictOutcome.Supported)) return VerdictOutcome.Supported;
        if (outcomes.All(o => o == VerdictOutcome.NotSupported)) return VerdictOutcome.NotSupported;
        return VerdictOutcome.Conditional;
    }
}

/// <summary>
/// Collects the checks of one claim and computes its <see cref="Verdict"/> with <see cref="VerdictRule"/>:
/// <code>
/// var verdict = new ClaimTest("width-4")
///     .Check("sigmoid", Stats.Wilson(k, n), Expectation.AtLeast(0.95, "≥ 95 %"))
///     .Check("tanh", Stats.Wilson(k2, n), Expectation.AtLeast(0.95, "≥ 95 %"))
///     .Verdict();
/// </code>
/// The reason lists every condition as "condition: shown value vs region → outcome".
/// </summary>
public sealed class ClaimTest(string claimId)
{
    private readonly List<(string Condition, string Shown, Expectation Expectation, VerdictOutcome Outcome)> _checks = [];

    /// <summary>The claim this test decides.</summary>
    public string ClaimId { get; } = claimId;

    /// <summary>Checks <paramref name="statistic"/> against <paramref name="expectation"/> under <paramref name="condition"/>.</summary>
    public ClaimTest Check(string condition, IStatistic statistic, Expectation expectation)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        return Check(condition, statistic.Interval, statistic.ToCell().Display(), expectation);
    }

    /// <summary>Checks an estimate (shown as <paramref name="shown"/>) against <paramref name="expectation"/> under <paramref name="condition"/>.</summary>
    public ClaimTest Check(string condition, Estimate estimate, string shown, Expectation expectation)
    {
        ArgumentNullException.ThrowIfNull(expectation);
        _checks.Add((condition, shown, expectation, VerdictRule.Judge(estimate, expectation)));
        return this;
    }

    /// <summary>The verdict from all checks (rule 2), with the reason.</summary>
    public Verdict Verdict()
    {
        var outcome = VerdictRule.Combine(_checks.Select(c => c.Outcome).ToArray());
        var reason = new StringBuilder();
        foreach (var c in _checks)
        {
            if (reason.Length > 0) reason.Append("; ");
            reason.Append(CultureInfo.InvariantCulture, $"{c.Condition}: {c.Shown} vs {c.Expectation.Text} → {HtmlReport.Label(c.Outcome)}");
        }
        reason.Append('.');
        return new Verdict(ClaimId, outcome, reason.ToString());
    }
}
