using Occam.Data;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Serialization;
using Occam.Training;

namespace Occam.Tests.Training;

/// <summary>
/// <see cref="StepWarmup"/> (<see cref="TrainingWarmup"/>): the warm-up epoch runs to the end for every kind of job (so it compiles what the job's
/// epochs run), and a fit with a warm-up beside it gives the model a fit without one gives, bit for bit.
/// </summary>
[Collection(nameof(InputPipelineTests))]
public class StepWarmupTests
{
    private static FitSettings Settings(double validation) => new()
    {
        Hidden = [48, 32],
        Dropout = 0.2,
        ValidationSplit = validation,
        Regularization = [new LayerRegularization(ElasticNetPenalty.Lasso(1e-3))],
        Seed = 4,
        Training = new TrainingOptions { Epochs = 3, BatchSize = 128, Optimizer = new OptimizerOptions { LearningRate = 1e-2 } },
    };

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    public void AFitWithAWarmupGivesTheSameModel(double validation)
    {
        var data = Synthetic.Blobs(700, 4, 96, 1.0, new Rng(21UL));
        long saved = StepWarmup.MinimumWork;
        try
        {
            StepWarmup.MinimumWork = long.MaxValue;
            var without = MlpFitter.Fit(data, Settings(validation));
            StepWarmup.MinimumWork = 0;   // this shape was never warmed up: the next fit starts a warm-up
            var with = MlpFitter.Fit(data, Settings(validation));
            Assert.Equal(MlpJson.ToJson(without.Model), MlpJson.ToJson(with.Model));
            Assert.Equal(without.Result.History.Select(h => (h.TrainLoss, h.ValidationLoss)), with.Result.History.Select(h => (h.TrainLoss, h.ValidationLoss)));
        }
        finally
        {
            StepWarmup.MinimumWork = saved;
        }
    }

    [Fact]
    public void TheWarmupEpochRunsForEveryKindOfJob()
    {
        var blobs = Synthetic.Blobs(300, 3, 20, 1.0, new Rng(22UL));
        Assert.True(StepWarmup.RunHere(blobs, Settings(0.2)));
        Assert.True(StepWarmup.RunHere(blobs, Settings(0) with { Training = new TrainingOptions { BatchSize = 0, Shuffle = false } }));
        var regression = Synthetic.Plane(200, 0.1, new Rng(23UL));
        Assert.True(StepWarmup.RunHere(regression, Settings(0) with { Hidden = [16] }));
        var init = MlpFitter.Fit(blobs, Settings(0) with { Training = new TrainingOptions { Epochs = 1 } }).Model;
        Assert.True(StepWarmup.RunHere(blobs, Settings(0) with { Init = init }));
        // Settings the job itself rejects: the warm-up stops quietly (the job reports the error).
        Assert.False(StepWarmup.RunHere(blobs, Settings(0) with { Dropout = 1.5 }));
    }

    [Fact]
    public void ThePreparationWarmupPreparesByteAndFloat64Data()
    {
        Assert.Equal(4, TrainingWarmup.RunPreparation());   // 2 rows of each kind
        TrainingWarmup.StartPreparation();   // returns at once; a second call does nothing
        TrainingWarmup.StartPreparation();
    }
}
