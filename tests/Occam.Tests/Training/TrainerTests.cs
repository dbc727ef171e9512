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
        };
        var reg = NetworkRegularization.Uniform(new LayerRegularization(new ElasticNetPenalty(1e-3, 1e-3), new GroupLasso(1e-4), WeightDecay: 1e-4), 3);
        var trainer = new Trainer(model, options, reg, 64);
        var prepared = TrainingData.From(model, data);
        var rng = new Rng(2UL);
        var x = prepared.X.AsSpan(0, 64 * 4).ToArray();
        var y = prepared.Y.AsSpan(0, 64).ToArray();
        for (int i = 0; i < 5; i++) trainer.Step(x, y, 64, rng, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++) trainer.Step(x, y, 64, rng, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A tiny noisy regression (40 rows, half held out) that a 64-64 net overfits, stopped after 10 epochs without progress.</summary>
    private static (Dataset Data, FitSettings Settings) OverfittingRegression(int epochs) =>
        (Synthetic.Polynomial(40, 3, 0.5, new Rng(3UL)), new FitSettings
        {
            Hidden = [64, 64],
            ValidationSplit = 0.5,
            Seed = 4,
            Training = new TrainingOptions { Epochs = epochs, BatchSize = 4, EarlyStoppingPatience = 10, Optimizer = new OptimizerOptions { LearningRate = 1e-2 } },
        });

    [Fact]
    public void EarlyStoppingRestoresTheBestWeights()
    {
        // A tiny noisy regression that overfits: the validation loss turns up, training stops, best weights return.
        var (data, settings) = OverfittingRegression(epochs: 400);
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
    public void AHugeEpochCountIsNotAllocatedUpFront()
    {
        // 2·10⁹ epochs ended by early stopping: the history must not reserve room for every requested epoch
        // (it did: `occam train --epochs 2000000000` failed at once with out of memory).
        var (data, settings) = OverfittingRegression(epochs: 2_000_000_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var r = MlpFitter.Fit(data, settings).Result;
        Assert.True(r.StoppedEarly);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1L << 30, "allocated ≥ 1 GiB");
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
        var trainer = new Trainer(model, new TrainingOptions { Optimizer = new OptimizerOptions { Kind = OptimizerKind.Sgd, LearningRate = 0.1 } },
            NetworkRegularization.Uniform(reg, 1), 1);
        trainer.Step(x, y, 1, new Rng(1UL), out _);
        Assert.Equal(1f, model.DenseLayers[0].Bias[0]);      // prediction = bias = target: no data gradient, no penalty
        Assert.True(model.DenseLayers[0].Weight[0] < 1f);   // the weight was shrunk by L2, decay and prox
    }

    [Theory]
    [InlineData(OptimizerKind.Adam, 3e-2)]
    [InlineData(OptimizerKind.Nesterov, 0.3)]
    public void ProxFoldedIntoTheUpdateEqualsThePenaltysProxAfterIt(OptimizerKind kind, double l1)
    {
        // The trainer's fused fast path and the general path (step, then ElasticNetPenalty.Prox with the optimizer's
        // per-coordinate steps) give the same model bit for bit, including L1 on the bias and group lasso.
        var data = Blobs(200);
        var model = Mlp.Create(new MlpSpec(4, [16, 8], 3, TaskKind.Multiclass), new Rng(7UL));
        var reg = NetworkRegularization.Uniform(new LayerRegularization(new ElasticNetPenalty(l1, 1e-3), new GroupLasso(1e-3),
            Bias: ElasticNetPenalty.Lasso(l1), WeightDecay: 1e-3), 3);
        var options = new TrainingOptions { Optimizer = new OptimizerOptions { Kind = kind, LearningRate = 1e-2 }, BatchSize = 32 };
        var prepared = TrainingData.From(model, data);
        Mlp Train(bool fused)
        {
            var m = model.Clone();
            var trainer = new Trainer(m, options, reg, 32) { FusedProx = fused };
            var rng = new Rng(8UL);
            for (int epoch = 0; epoch < 5; epoch++)
                for (int first = 0; first + 32 <= prepared.Rows; first += 32)
                    trainer.Step(prepared.X.AsSpan(first * 4, 32 * 4), prepared.Y.AsSpan(first, 32), 32, rng, out _);
            return m;
        }
        var a = Train(fused: true);
        var b = Train(fused: false);
        Assert.Equal(MlpJson.ToJson(a), MlpJson.ToJson(b));
        int zeros = a.Parameters().Sum(p => p.Value.Count(w => w == 0f));
        Assert.True(zeros > 20, $"only {zeros} exact zeros: the prox barely acted");
    }

    [Fact]
    public void ThePenaltyGivenIsThePenaltyApplied()
    {
        // Penalties are set in one place (FitSettings.Regularization; TrainingOptions has none to be dropped silently):
        // the history's penalty is exactly the value of the given penalty on the trained weights, and a stronger L1
        // gives more zeros than a weaker one.
        Assert.DoesNotContain(typeof(TrainingOptions).GetProperties(), p => p.PropertyType.Namespace == typeof(NetworkRegularization).Namespace);
        var data = Blobs();
        var given = new LayerRegularization(new ElasticNetPenalty(2e-2, 1e-3), new GroupLasso(1e-3));
        var outcome = MlpFitter.Fit(data, Settings(given));
        double expected = NetworkRegularization.Uniform(given, 2).Value(outcome.Model);
        Assert.True(expected > 0);
        Assert.Equal(expected, outcome.Result.Last.Penalty);

        var none = MlpFitter.Fit(data, Settings());
        Assert.Equal(0, none.Result.Last.Penalty);
        int Zeros(FitOutcome o) => o.Model.DenseLayers.Sum(d => d.Weight.Count(w => w == 0f));
        Assert.True(Zeros(outcome) > Zeros(none) + 10, $"{Zeros(outcome)} zeros with L1 2e-2, {Zeros(none)} without");

        // Per layer: L1 only on the first layer leaves the output layer dense.
        var perLayer = MlpFitter.Fit(data, Settings(new LayerRegularization(ElasticNetPenalty.Lasso(5e-2)), LayerRegularization.None));
        Assert.Contains(0f, perLayer.Model.DenseLayers[0].Weight);
        Assert.Equal(0, perLayer.Model.DenseLayers[1].Weight.Count(w => w == 0f));
    }

    [Fact]
    public void TheTrainerAppliesTheRegularizationItIsGiven()
    {
        var model = Mlp.Create(new MlpSpec(2, [3], 1, TaskKind.Regression), new Rng(9UL));
        var reg = NetworkRegularization.Uniform(new LayerRegularization(ElasticNetPenalty.Ridge(0.1)), 2);
        var trainer = new Trainer(model, new TrainingOptions(), reg, 4);
        Assert.Same(reg, trainer.Regularization);
        Assert.Equal(0, new Trainer(model, new TrainingOptions(), null, 4).Regularization.Value(model));
        var e = Assert.Throws<ArgumentException>(() => new Trainer(model, new TrainingOptions(), NetworkRegularization.None(3), 4));
        Assert.Contains("3 layers but the model has 2 dense layers", e.Message);
    }

    [Fact]
    public void FitSettingsRegularizationIsBroadcastOrChecked()
    {
        var one = new LayerRegularization(ElasticNetPenalty.Lasso(1e-3));
        Assert.All(MlpFitter.Expand([one], 2).Layers, l => Assert.Same(one, l));
        Assert.All(MlpFitter.Expand([], 2).Layers, l => Assert.True(l.IsNone));
        var e = Assert.Throws<OccamException>(() => MlpFitter.Fit(Blobs(), Settings(one, one, one)));
        Assert.Contains("has 3 values but the network has 2 dense layers", e.Message);
    }

    [Fact]
    public void EngineInternalsAreNotPublicApi()
    {
        foreach (var type in new[] { typeof(Workspace), typeof(Backprop), typeof(Occam.Losses.TaskLoss), typeof(Evaluator), typeof(TrainingData),
                     typeof(DropoutMask), typeof(Occam.Numerics.Preconditions) })
            Assert.False(type.IsPublic, $"{type.FullName} is public");
        Assert.True(typeof(Trainer).IsPublic);
        Assert.True(typeof(Parameter).IsPublic);
    }
}
