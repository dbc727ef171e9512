using Occam.Data;
using Occam.Nn;
using Occam.Numerics;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Training;

namespace Occam.Tests.Training;

/// <summary>
/// <see cref="Trainer.Step"/> gives bit-identical models whatever <see cref="Gemm.MaxThreads"/> is: the matrix
/// products are bit-identical across thread counts and every other pass of the step (dropout masks, the fused
/// ReLU·dropout passes split by rows, the optimizer with its prox split by coordinate ranges) does not depend on how
/// work is split. The net is large enough for every split: 128 × 512 hidden entries (≥ RowPasses.MinimumEntries),
/// 87k parameters (≥ Trainer.ParallelUpdateMinimum), products of ≥ 2²⁰ multiply-adds.
/// </summary>
public class StepThreadsTests
{
    [Fact]
    public void OneAndTwoThreadsGiveBitIdenticalModels()
    {
        Assert.True(128L * 512 >= RowPasses.MinimumEntries);
        Assert.True(40L * 512 + 512 * 128 >= Trainer.ParallelUpdateMinimum);
        var one = Train(threads: 1);
        var two = Train(threads: 2);
        Assert.Equal(one.Length, two.Length);
        for (int i = 0; i < one.Length; i++) TestVectors.AssertBitwise(one[i], two[i], $"parameter {i}");
        Assert.Contains(one[0], w => w == 0f);   // the prox produced exact zeros: the L1 path ran
    }

    private static float[][] Train(int threads)
    {
        const int inputs = 40, rows = 128, classes = 10;
        var rng = new Rng(77UL);
        var model = Mlp.Create(new MlpSpec(inputs, [512, 128], classes, TaskKind.Multiclass, Dropout: 0.2), rng);
        var options = new TrainingOptions { Optimizer = new OptimizerOptions { Kind = OptimizerKind.Adam, LearningRate = 1e-2 }, BatchSize = rows };
        var reg = NetworkRegularization.Uniform(new LayerRegularization(new ElasticNetPenalty(1e-2, 1e-3)), model.DenseLayers.Count);
        var trainer = new Trainer(model, options, reg, rows);
        var x = new float[rows * inputs];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextNormal();
        var y = new float[rows];
        for (int i = 0; i < rows; i++) y[i] = rng.NextInt(classes);
        var dropout = new Rng(78UL);
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = threads;
            for (int s = 0; s < 4; s++) trainer.Step(x, y, rows, dropout, out _);
            // The split passes allocate nothing on the calling thread either (the helpers' work is static code on spans).
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Step(x, y, rows, dropout, out _);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
        return [.. model.Parameters().Select(p => (float[])p.Value.Clone())];
    }
}
