using Occam.Data;
using Occam.Nn;
using Occam.Numerics;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Serialization;
using Occam.Training;

namespace Occam.Tests.Training;

/// <summary>
/// The input pipeline around the steps split over threads (the batch gather on the GEMM helpers, the float32 rows
/// prepared in row blocks) changes no number: the same models, the same prepared rows, the same error messages.
/// These tests run alone (not beside other test classes): they switch <see cref="Trainer.ParallelGatherMinimum"/> and keep
/// the GEMM helpers busy; run beside them under heavy load, a zero-allocation test of another class (a step, an
/// inference call) failed once each while passing alone.
/// </summary>
[Collection(nameof(InputPipelineTests))]
public class InputPipelineTests
{
    private static FitSettings Settings() => new()
    {
        Hidden = [32],
        Dropout = 0.1,
        Regularization = [new LayerRegularization(ElasticNetPenalty.Lasso(1e-3))],
        Seed = 3,
        Training = new TrainingOptions { Epochs = 3, BatchSize = 256, Optimizer = new OptimizerOptions { LearningRate = 1e-2 } },
    };

    [Fact]
    public void GatherSplitOverThreadsGivesTheSameModel()
    {
        // 256 rows × 128 inputs per batch ≥ ParallelGatherMinimum; 700 rows: two full batches and a short one per epoch.
        var data = Synthetic.Blobs(700, 4, 128, 1.0, new Rng(9UL));
        Assert.True(256L * 128 >= Trainer.ParallelGatherMinimum);
        int savedThreads = Gemm.MaxThreads;
        long savedMinimum = Trainer.ParallelGatherMinimum;
        try
        {
            if (savedThreads < 2) Gemm.MaxThreads = 2;   // the split needs two threads (the default on a 2-core machine)
            Trainer.ParallelGatherMinimum = long.MaxValue;
            var one = MlpFitter.Fit(data, Settings());
            Trainer.ParallelGatherMinimum = 0;
            var split = MlpFitter.Fit(data, Settings());
            Assert.Equal(MlpJson.ToJson(one.Model), MlpJson.ToJson(split.Model));
            Assert.Equal(one.Result.History.Select(h => h.TrainLoss), split.Result.History.Select(h => h.TrainLoss));
        }
        finally
        {
            Gemm.MaxThreads = savedThreads;
            Trainer.ParallelGatherMinimum = savedMinimum;
        }
    }

    [Fact]
    public void LargeDataIsPreparedInBlocksWithTheSameBits()
    {
        // 2100 rows × 512 features ≥ TrainingData.ParallelMinimum: prepared in row blocks
        const int rows = 2100, features = 512;
        Assert.True(rows * features >= TrainingData.ParallelMinimum);
        var data = Synthetic.Blobs(rows, 3, features, 2.0, new Rng(10UL));
        var model = Mlp.Create(new MlpSpec(features, [8], 3, TaskKind.Multiclass), new Rng(1UL), Standardizer.Fit(data));
        var blocks = TrainingData.From(model, data);
        var single = new float[rows * features];
        model.PrepareInputs(data.X, single);
        TestVectors.AssertBitwise(single, blocks.X, "prepared rows");
    }

    [Fact]
    public void AnUnusableValueInALaterBlockNamesTheSameRowAsTheSinglePass()
    {
        const int rows = 2100, features = 512;
        var data = Synthetic.Blobs(rows, 3, features, 2.0, new Rng(11UL));
        var model = Mlp.Create(new MlpSpec(features, [8], 3, TaskKind.Multiclass), new Rng(1UL), Standardizer.Fit(data));
        data.X[1900 * features + 7] = 1e300;   // row 1901, input 8: outside float32
        data.X[2000 * features + 3] = 1e300;
        var expected = Assert.Throws<OccamException>(() => model.PrepareInputs(data.X, new float[rows * features]));
        var actual = Assert.Throws<OccamException>(() => TrainingData.From(model, data));
        Assert.Equal(expected.Message, actual.Message);
        Assert.Contains("row 1901", actual.Message);
    }
}

/// <summary>Runs <see cref="InputPipelineTests"/> without other test classes in parallel.</summary>
[CollectionDefinition(nameof(InputPipelineTests), DisableParallelization = true)]
public sealed class InputPipelineTestsCollection;
