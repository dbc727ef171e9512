using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Selection;
using Occam.Serialization;
using Occam.Training;

namespace Occam.Tests.Training;

public class TrainerTests
{
    private static Dataset Blobs(int n = 300, ulong seed = 5) => Synthetic.Blobs(n, 3, 4, 1.0, new Rng(seed));

    private static FitSettings Settings(params LayerRegularization[] reg) => new()
    {
        Hidden = [16],
        Regularization = reg,
        Seed = 11,
        Training = new TrainingOptions { Epochs = 20, BatchSize = 16, Optimizer = new OptimizerOptions { LearningRate = 1e-2 } },
    };

    [Fact]
    public void SameSeedGivesByteIdenticalModels()
    {
        var data = Blobs();
        var s = Settings(new LayerRegularization(ElasticNetPenalty.Lasso(1e-3))) with { Dropout = 0.2, ValidationSplit = 0.2 };
        string a = MlpJson.ToJson(MlpFitter.Fit(data, s).Model);
        string b = MlpJson.ToJson(MlpFitter.Fit(data, s).Model);
        Assert.Equal(a, b);
        string c = MlpJson.ToJson(MlpFitter.Fit(data, s with { Seed = 12 }).Model);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void LearnsSeparableBlobs()
    {
        var outcome = MlpFitter.Fit(Blobs(), Settings());
        Assert.True(outcome.Result.Last.TrainMetric > 0.95, $"train accuracy {outcome.Result.Last.TrainMetric}");
        Assert.True(outcome.Result.Last.TrainLoss < outcome.Result.History[0].TrainLoss);
    }

    [Fact]
    public void StepsAllocateNothingInSteadyState()
    {
        var data = Blobs(256);
        var model = Mlp.Create(new MlpSpec(4, [32, 16], 3, TaskKind.Multiclass, Dropout: 0.2), new Rng(1UL));
        var options = new TrainingOptions
        {
            Optimizer = new OptimizerOptions { Kind = OptimizerKind.Adam },
            BatchSize = 64,
            Regularization = NetworkRegularization.Uniform(new LayerRegularization(new ElasticNetPenalty(1e-3, 1e-3), new GroupLasso(1e-4), WeightDecay: 1e-4), 3),
        };
        var trainer = new Trainer(model, options, 64);
        var prepared = TrainingData.From(model, data);
        var rng = new Rng(2UL);
        var x = prepared.X.AsSpan(0, 64 * 4).ToArray();
        var y = prepared.Y.AsSpan(0, 64).ToArray();
        for (int i = 0; i < 5; i++) trainer.Step(x, y, 64, rng, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++) trainer.Step(x, y, 64, rng, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void EarlyStoppingRestoresTheBestWeights()
    {
        // A tiny noisy regression that overfits: the validation loss turns up, training stops, best weights return.
        var data = Synthetic.Polynomial(40, 3, 0.5, new Rng(3UL));
        var settings = new FitSettings
        {
            Hidden = [64, 64],
            ValidationSplit = 0.5,
            Seed = 4,
            Training = new TrainingOptions { Epochs = 400, BatchSize = 4, EarlyStoppingPatience = 10, Optimizer = new OptimizerOptions { LearningRate = 1e-2 } },
        };
        var outcome = MlpFitter.Fit(data, settings);
        var r = outcome.Result;
        Assert.True(r.StoppedEarly);
        Assert.Equal(r.BestEpoch + 10, r.Epochs);
        double bestVal = r.History.Min(e => e.ValidationLoss!.Value);
        Assert.Equal(bestVal, r.Best.ValidationLoss!.Value);
        // The returned model is the best epoch's: re-evaluating it gives the best validation loss.
        var (_, valRows) = Holdout.Split(data.Rows, 0.5, true, new Rng(4UL).Fork());
        var eval = new Evaluator(outcome.Model, 64).Evaluate(TrainingData.From(outcome.Model, data.Subset(valRows)));
        Assert.Equal(bestVal, eval.Loss, 1e-6);
    }

    [Fact]
    public void DivergenceNamesEpochAndStep()
    {
        var data = Synthetic.Polynomial(64, 2, 0.1, new Rng(3UL));
        var settings = Settings() with
        {
            Standardize = false,
            Training = new TrainingOptions { Epochs = 50, BatchSize = 8, Optimizer = new OptimizerOptions { Kind = OptimizerKind.Sgd, LearningRate = 1e4 } },
        };
        var e = Assert.Throws<OccamException>(() => MlpFitter.Fit(data, settings));
        Assert.Matches("diverged at epoch [0-9]+, step [0-9]+", e.Message);
        Assert.Contains("learning rate", e.Message);
    }

    [Fact]
    public void ProxGivesExactZerosAndSubgradientDoesNot()
    {
        var data = CsvLoader.Load(Repo.Data("digits.csv"), "digit", TaskKind.Multiclass);
        LayerRegularization L1(L1Mode mode) => new(ElasticNetPenalty.Lasso(1e-3, mode));
        var settings = new FitSettings
        {
            Hidden = [32],
            Seed = 1,
            Training = new TrainingOptions { Epochs = 15, BatchSize = 32, Optimizer = new OptimizerOptions { LearningRate = 3e-3 } },
        };
        var prox = MlpFitter.Fit(data, settings with { Regularization = [L1(L1Mode.Prox)] });
        var sub = MlpFitter.Fit(data, settings with { Regularization = [L1(L1Mode.Subgradient)] });
        var proxFirst = SparsityReport.Of(prox.Model).Layers[0];
        var subFirst = SparsityReport.Of(sub.Model).Layers[0];
        Assert.True(proxFirst.ZeroFraction > 0.3, $"prox zeros {proxFirst.ZeroFraction:P1}");
        Assert.True(subFirst.ZeroFraction < 0.01, $"subgradient zeros {subFirst.ZeroFraction:P1}");
        Assert.True(prox.Result.Last.TrainMetric > 0.9, $"prox train accuracy {prox.Result.Last.TrainMetric}");
    }

    [Fact]
    public void GroupLassoKillsWholeUnits()
    {
        var data = Blobs(400);
        var outcome = MlpFitter.Fit(data, Settings(new LayerRegularization(ElasticNetPenalty.None, new GroupLasso(3e-2))) with
        {
            Hidden = [32],
            Training = new TrainingOptions { Epochs = 30, BatchSize = 32, Optimizer = new OptimizerOptions { Kind = OptimizerKind.Sgd, LearningRate = 0.1 } },
        });
        var report = SparsityReport.Of(outcome.Model);
        var first = outcome.Model.DenseLayers[0];
        int zeroRows = Enumerable.Range(0, first.Outputs).Count(j => first.Row(j).ToArray().All(w => w == 0f));
        Assert.True(zeroRows >= 8, $"only {zeroRows} units died");
        Assert.Equal(zeroRows, report.Layers[0].ZeroIncomingUnits);
        Assert.True(report.DeadUnits >= zeroRows);
        Assert.True(report.ParametersAfterPruning < report.Parameters);
        Assert.True(outcome.Result.Last.TrainMetric > 0.9, $"accuracy {outcome.Result.Last.TrainMetric}");
    }

    [Fact]
    public void BiasesAreNeverPenalizedUnlessAsked()
    {
        // With zero data gradient (constant target 0, zero weights) only penalties move parameters.
        var model = Mlp.Create(new MlpSpec(2, [], 1, TaskKind.Regression), new Rng(1UL));
        model.DenseLayers[0].Weight[0] = 1f;
        model.DenseLayers[0].Bias[0] = 1f;
        var x = new float[] { 0, 0 };
        var y = new float[] { 1 };
        var reg = new LayerRegularization(new ElasticNetPenalty(0.1, 0.1), WeightDecay: 0.1);
        var trainer = new Trainer(model, new TrainingOptions { Optimizer = new OptimizerOptions { Kind = OptimizerKind.Sgd, LearningRate = 0.1 },
            Regularization = NetworkRegularization.Uniform(reg, 1) }, 1);
        trainer.Step(x, y, 1, new Rng(1UL), out _);
        Assert.Equal(1f, model.DenseLayers[0].Bias[0]);      // prediction = bias = target: no data gradient, no penalty
        Assert.True(model.DenseLayers[0].Weight[0] < 1f);   // the weight was shrunk by L2, decay and prox
    }
}
