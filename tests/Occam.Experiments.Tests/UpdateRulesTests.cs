using Occam.Experiments;
using Occam.Reports;

namespace Occam.Experiments.Tests;

/// <summary>
/// The update-rule experiment: the rules the closed forms describe (SGD with L2 or decoupled decay multiplies by
/// 1 − ηλ, AdamW's decay too; SGD's L1 subtracts ηλ; the prox stops at exactly 0) hold on every draw, the others (momentum,
/// Adam with a coupled penalty) do not, and the run is deterministic.
/// </summary>
public class UpdateRulesTests
{
    private static readonly UpdateRulesResult Result = UpdateRules.Run(draws: 12, steps: 1000, seed: 7);

    private static RuleOutcome Outcome(string id) => Result.Outcomes.Single(o => o.Rule.Id == id);

    [Theory]
    [InlineData("sgd-l2")]
    [InlineData("sgd-decay")]
    [InlineData("adamw-decay")]
    [InlineData("sgd-l1-subgradient")]
    [InlineData("sgd-l1-prox")]
    [InlineData("sgd-l2-quadratic")]
    [InlineData("sgd-l1-prox-quadratic")]
    public void ClosedFormHoldsOnEveryDraw(string id)
    {
        var o = Outcome(id);
        Assert.Equal(o.Draws, o.Holds);
        Assert.True(o.MaxDeviation <= UpdateRules.RelativeTolerance, $"{id}: max deviation {o.MaxDeviation}");
    }

    [Theory]
    [InlineData("momentum-l2")]
    [InlineData("adam-l2")]
    [InlineData("adam-l1-subgradient")]
    public void ClosedFormFailsOnEveryDraw(string id)
    {
        var o = Outcome(id);
        Assert.Equal(0, o.Holds);
        Assert.True(o.MaxDeviation > 100 * UpdateRules.RelativeTolerance, $"{id}: max deviation {o.MaxDeviation}");
    }

    [Fact]
    public void ProxReachesExactZeroAndTheSubgradientDoesNot()
    {
        Assert.Equal(Outcome("sgd-l1-prox").Draws, Outcome("sgd-l1-prox").ExactZeroDraws);
        Assert.Equal(0, Outcome("sgd-l1-subgradient").ExactZeroDraws);
        Assert.Equal(0, Outcome("sgd-l2").ExactZeroDraws);
        var prox = Result.Examples.Single(e => e.Rule == "sgd-l1-prox");
        Assert.Equal(0.0, prox.Measured[^1]);
    }

    [Fact]
    public void SgdSubtractsEtaLambdaAndAdamSubtractsEta()
    {
        Assert.Equal(1.0, Outcome("sgd-l1-subgradient").MeanStepOverEtaLambda!.Value, 4);
        // Adam normalizes the constant gradient λ·sign(w): the step is η·λ/(λ + ε) ≈ η, i.e. ηλ·(1/λ) with 1 ≤ 1/λ ≤ 5.
        double adam = Outcome("adam-l1-subgradient").MeanStepOverEtaLambda!.Value;
        Assert.InRange(adam, 1.0 / 1.0 + 0.01, 1.0 / 0.1995);
    }

    [Fact]
    public void SgdL2StepRatioIsOneMinusEtaLambda()
    {
        var e = Result.Examples.Single(x => x.Rule == "sgd-l2");
        double expected = 1 - e.Problem.LearningRate * e.Problem.Lambda;
        for (int t = 0; t < 50; t++) Assert.Equal(expected, e.Measured[t + 1] / e.Measured[t], 5);
    }

    [Fact]
    public void StepsAreConstantBeforeTheCrossing()
    {
        foreach (var id in new[] { "sgd-l1-subgradient", "sgd-l1-prox", "adam-l1-subgradient" })
            Assert.True(Outcome(id).StepVariation < UpdateRules.ConstantStepTolerance, $"{id}: {Outcome(id).StepVariation}");
    }

    [Fact]
    public void Verdicts_follow_from_the_numbers_and_result_json_is_deterministic()
    {
        var result = new UpdateRules().Run(new ExperimentOptions { Quick = true, Seeds = 10 });
        var verdicts = result.Section.Verdicts.ToDictionary(v => v.ClaimId);
        Assert.Equal(VerdictOutcome.Conditional, verdicts["l2-multiplies"].Outcome);     // SGD and decoupled decay yes, momentum and Adam no
        Assert.Contains("SGD, L2 in the loss (λ/2·w², gradient λw):", verdicts["l2-multiplies"].Reason);
        Assert.Contains("→ not supported", verdicts["l2-multiplies"].Reason);
        Assert.Equal(VerdictOutcome.Supported, verdicts["l1-subtracts"].Outcome);        // a constant: ηλ for SGD, η for Adam
        Assert.Equal(VerdictOutcome.Conditional, verdicts["l1-reaches-zero"].Outcome);   // the prox stops at 0, the subgradient never lands on it
        Assert.Equal(ResultFile.ToJson(result), ResultFile.ToJson(new UpdateRules().Run(new ExperimentOptions { Quick = true, Seeds = 10 })));
    }

    [Fact]
    public void SameSeedSameResult()
    {
        var again = UpdateRules.Run(draws: 12, steps: 1000, seed: 7);
        Assert.Equal(Result.Outcomes, again.Outcomes);
        Assert.Equal(Result.Examples[3].Measured, again.Examples[3].Measured);
    }
}
