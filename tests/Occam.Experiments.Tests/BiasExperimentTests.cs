using Occam.Data;
using Occam.Reports;

namespace Occam.Experiments.Tests;

public class BiasExperimentTests
{
    private static readonly BiasResult Computed = BiasExperiment.Run(new BiasProtocol { Datasets = 12, NetworkSeeds = 12 });

    private static readonly ReportSection Section = new BiasExperiment().Report(Computed);

    [Fact]
    public void Free_biases_leave_the_best_constant_and_penalized_biases_leave_zero()
    {
        foreach (var f in Computed.Regression.Where(f => f.Model == BiasModel.LassoFreeBias))
        {
            Assert.Equal(0, f.MaxAbsWeight);
            Assert.Equal(f.FreeBiasConstant, f.Intercept, 1e-12);
        }
        foreach (var f in Computed.Regression.Where(f => f.Model is BiasModel.LassoPenalizedBias or BiasModel.RidgePenalizedBias))
            Assert.Equal(0, f.Intercept, 1e-6);
        foreach (var f in Computed.Binary.Where(f => f.Model == BiasModel.LassoFreeBias))
            Assert.Equal(f.FreeBiasConstant, f.Intercept, 1e-9);
        foreach (var n in Computed.Networks)
        {
            Assert.True(n.AllWeightsZero);
            Assert.Equal(0, n.PredictionSpread);
            Assert.Equal(n.BiasPenalized, n.AllBiasesZero);
            double expected = n.BiasPenalized ? (n.Task == TaskKind.Binary ? 0.5 : 0) : n.FreeBiasConstant;
            Assert.Equal(expected, n.MeanPrediction, 1e-4);
        }
    }

    [Fact]
    public void The_constants_agree_with_scikit_learn()
    {
        var reference = LinearReference.Section("biases");
        var intercept = reference.GetProperty("logistic_intercept").Doubles();
        var logOdds = reference.GetProperty("log_odds").Doubles();
        var ours = Computed.Binary.Where(f => f.Model == BiasModel.LassoFreeBias).ToArray();
        for (int d = 0; d < ours.Length; d++)
        {
            Assert.Equal(logOdds[d], ours[d].FreeBiasConstant, 12);
            Assert.Equal(intercept[d], ours[d].Intercept, 1e-7);
        }
        var meanY = LinearReference.Section("polynomial").GetProperty("ridge_huge_intercept").Doubles();
        var ridge = Computed.Regression.Where(f => f.Model == BiasModel.RidgeFreeBias).ToArray();
        for (int d = 0; d < ridge.Length; d++) Assert.Equal(meanY[d], ridge[d].Intercept, 1e-7);
    }

    [Fact]
    public void Training_loss_is_the_mean_squared_error_or_the_mean_log_loss()
    {
        Assert.Equal((1 + 4) / 2.0, BiasExperiment.TrainingLoss(TaskKind.Regression, [0, 0], [1, -2]), 15);
        Assert.Equal(Math.Log(2), BiasExperiment.TrainingLoss(TaskKind.Binary, [0.5, 0.5], [1, 0]), 15);
        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.9)) / 2, BiasExperiment.TrainingLoss(TaskKind.Binary, [0.8, 0.1], [1, 0]), 15);
    }

    [Fact]
    public void Verdicts_follow_from_the_numbers()
    {
        var verdicts = Section.Verdicts.ToDictionary(v => v.ClaimId);
        Assert.Equal(VerdictOutcome.Supported, verdicts["bias-adjusts"].Outcome);
        Assert.Equal(VerdictOutcome.Supported, verdicts["no-bias-penalty"].Outcome);
        // 12 seeds cannot push a Wilson interval above 90 %: 12/12 gives [75.8 %, 100 %], so the rule says conditional.
        Assert.Equal(VerdictOutcome.Conditional, verdicts["constant-model"].Outcome);
        Assert.Contains("100.0 % [75.8, 100.0]", verdicts["constant-model"].Reason);
        var nets = Section.Tables[1].Rows;
        Assert.Equal(0.5, nets.Single(r => r[0].Text!.StartsWith("MLP classifier", StringComparison.Ordinal) && r[1].Text != "free")[4].Value, 6);
    }

    [Fact]
    public void Same_seeds_give_a_byte_identical_result_json()
    {
        Determinism.AssertReproducible(() => new BiasExperiment(), 2);
    }
}
