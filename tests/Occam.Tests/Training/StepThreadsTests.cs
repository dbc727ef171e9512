using Occam.Data;
using Occam.Nn;
using Occam.Numerics;
using Occam.Numerics.Activations;
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
[Collection(nameof(GemmThreadSettingsCollection))]
public class StepThreadsTests
{
    /// <summary>
    /// Also with the update's ranges cut as plain chunks rather than the weight-gradient product's row blocks
    /// (<see cref="Trainer.AlignsUpdates"/>; both weights, 20480 and 65536 floats, are ≥ <see cref="Trainer.UpdateChunk"/>,
    /// so both are cut into row blocks, with padding items at 3 threads) and with the products' pack items shared
    /// rather than owned (<see cref="GemmDriver.OwnedPackItems"/>). With <paramref name="unsplit"/> every step is the
    /// unsplit one (<see cref="Trainer.SplitStepMinimum"/> out of reach), whose update runs in ranges over the helpers;
    /// its first weight's forward product (128 × 40 × 512) splits columns in items, so the update of that weight runs in
    /// the forward's column pieces (<see cref="Trainer.AlignsUpdatesToForward"/>) unless <paramref name="toForward"/> is off.
    /// </summary>
    [Theory]
    [InlineData(2, true, true, false, true)]
    [InlineData(3, true, true, false, true)]
    [InlineData(2, false, false, false, true)]
    [InlineData(3, true, false, false, true)]
    [InlineData(2, true, true, true, true)]
    [InlineData(3, true, true, true, true)]
    [InlineData(2, true, true, true, false)]
    [InlineData(3, true, false, true, false)]
    public void OneAndMoreThreadsGiveBitIdenticalModels(int threads, bool alignsUpdates, bool ownsPackItems, bool unsplit, bool toForward)
    {
        Assert.True(128L * 512 >= RowPasses.MinimumEntries);
        Assert.True(40L * 512 + 512 * 128 >= Trainer.ParallelUpdateMinimum);
        Assert.True(40 * 512 >= Trainer.UpdateChunk);
        var one = Train(threads: 1);
        bool savedAlign = Trainer.AlignsUpdates, savedPack = GemmDriver.OwnedPackItems, savedForward = Trainer.AlignsUpdatesToForward;
        long savedMinimum = Trainer.SplitStepMinimum;
        float[][] more;
        try
        {
            Trainer.AlignsUpdates = alignsUpdates;
            GemmDriver.OwnedPackItems = ownsPackItems;
            Trainer.AlignsUpdatesToForward = toForward;
            if (unsplit)
            {
                Trainer.SplitStepMinimum = long.MaxValue;
                Assert.True(Gemm.SplitsForwardColumns(128, 512, 40, threads, out _));
            }
            more = Train(threads);
        }
        finally
        {
            Trainer.AlignsUpdates = savedAlign;
            GemmDriver.OwnedPackItems = savedPack;
            Trainer.AlignsUpdatesToForward = savedForward;
            Trainer.SplitStepMinimum = savedMinimum;
        }
        Assert.Equal(one.Length, more.Length);
        for (int i = 0; i < one.Length; i++) TestVectors.AssertBitwise(one[i], more[i], $"parameter {i}");
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
            AssertAllocationFree(() => trainer.Step(x, y, rows, dropout, out _));
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
        return [.. model.Parameters().Select(p => (float[])p.Value.Clone())];
    }

    /// <summary>
    /// Nets whose step splits by data ownership at ≥ 2 threads (<see cref="Trainer.SplitStepMinimum"/> ≤ rows · Σ
    /// inputs·outputs; <see cref="StepSplit"/>): 1 thread (the unsplit step) against
    /// 2 and 3 threads, bit for bit — losses, correct counts and every parameter after 24 steps, split in parts or (the
    /// probes of <see cref="Trainer.SplitChoiceCycle"/>) the other way: as one part, or for a large net (≥
    /// <see cref="Trainer.SplitStepMaximum"/>) unsplit — and no allocation. Rows
    /// that do not divide evenly, widths that are not whole 32-wide steps (the bias in the product, not in the fused pass),
    /// one output unit (a part with no units at 3 threads), two hidden layers (the row-local backward phase), tanh.
    /// </summary>
    [Theory]
    [InlineData("64-128-10", 128, TaskKind.Multiclass, 0.2, ActivationKind.Relu)]
    [InlineData("32-96-64-10", 127, TaskKind.Multiclass, 0.2, ActivationKind.Relu)]
    [InlineData("40-100-1", 131, TaskKind.Binary, 0.1, ActivationKind.Relu)]
    [InlineData("48-80-40-3", 150, TaskKind.Regression, 0.0, ActivationKind.Tanh)]
    [InlineData("40-512-128-10", 128, TaskKind.Multiclass, 0.2, ActivationKind.Relu)]   // large: the probe's other way is the unsplit step
    public void SplitStepEqualsTheOneThreadStepBitwise(string net, int rows, TaskKind task, double dropout, ActivationKind activation)
    {
        int[] sizes = [.. net.Split('-').Select(int.Parse)];
        long work = 0;
        for (int i = 1; i < sizes.Length; i++) work += (long)sizes[i - 1] * sizes[i] * rows;
        Assert.True(work >= Trainer.SplitStepMinimum);
        bool large = work >= Trainer.SplitStepMaximum;
        var (one, oneLosses, oneSplit) = TrainSmall(sizes, rows, task, dropout, activation, threads: 1, cycle: 0);
        Assert.Equal(0, oneSplit);
        foreach (int threads in new[] { 2, 3 })
            foreach (int cycle in new[] { 0, 2 * Trainer.SplitProbeSteps + 2 })
            {
                // cycle 0: every step in parts; otherwise parts, then one part on the caller (the probes), then the choice.
                var (many, losses, split) = TrainSmall(sizes, rows, task, dropout, activation, threads, cycle);
                if (!large || cycle == 0) Assert.Equal(Steps + AllocationRounds, split);
                else
                {
                    // Not counted: the unsplit probes (8), and the 2 steps of the cycle after them when the unsplit way won.
                    long inParts = Steps + AllocationRounds - Trainer.SplitProbeSteps;
                    Assert.Contains(split, new[] { inParts, inParts - 2 });
                }
                for (int i = 0; i < oneLosses.Length; i++)
                    Assert.True(oneLosses[i].Equals(losses[i]), $"{threads} threads, cycle {cycle}: value {i} (step {i / 2}) is {losses[i]:R}, {oneLosses[i]:R} at 1 thread");
                for (int i = 0; i < one.Length; i++) TestVectors.AssertBitwise(one[i], many[i], $"{threads} threads, cycle {cycle}, parameter {i}");
            }
        Assert.Contains(one[0], w => w == 0f);   // the prox produced exact zeros: the L1 path ran
    }

    private const int Steps = 2 * Trainer.SplitProbeSteps + 4;

    /// <summary>Steps <see cref="AssertAllocationFree"/> runs (always all of them, so every thread count takes the same steps).</summary>
    internal const int AllocationRounds = 4;

    /// <summary>
    /// Runs <paramref name="step"/> <see cref="AllocationRounds"/> times and asserts that at least one run allocated nothing
    /// on this thread: a per-step allocation shows in every run, while the runtime may allocate once on this thread when
    /// tiered compilation promotes a method (as GemmTests' rounds allow; one run in four failed under load, session 20).
    /// </summary>
    internal static void AssertAllocationFree(Action step)
    {
        var allocated = new long[AllocationRounds];
        for (int i = 0; i < allocated.Length; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            step();
            allocated[i] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.True(allocated.Min() == 0, $"every step allocated on the calling thread: {string.Join(", ", allocated)} bytes");
    }

    private static (float[][] Parameters, double[] Losses, long SplitSteps) TrainSmall(int[] sizes, int rows, TaskKind task, double dropout, ActivationKind activation, int threads, int cycle)
    {
        int inputs = sizes[0], outputs = sizes[^1];
        var rng = new Rng(91UL);
        var model = Mlp.Create(new MlpSpec(inputs, sizes[1..^1], outputs, task, Dropout: dropout, Activation: activation), rng);
        var options = new TrainingOptions { Optimizer = new OptimizerOptions { Kind = OptimizerKind.Adam, LearningRate = 3e-2 }, BatchSize = rows };
        var reg = NetworkRegularization.Uniform(new LayerRegularization(new ElasticNetPenalty(1e-2, 1e-3)), model.DenseLayers.Count);
        var trainer = new Trainer(model, options, reg, rows);
        var x = new float[rows * inputs];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextNormal();
        int targets = task == TaskKind.Regression ? outputs : 1;
        var y = new float[rows * targets];
        for (int i = 0; i < y.Length; i++)
            y[i] = task switch { TaskKind.Binary => rng.NextInt(2), TaskKind.Multiclass => rng.NextInt(outputs), _ => (float)rng.NextNormal() };
        var drops = new Rng(92UL);
        var losses = new List<double>();
        int saved = Gemm.MaxThreads, savedCycle = Trainer.SplitChoiceCycle;
        try
        {
            Gemm.MaxThreads = threads;
            Trainer.SplitChoiceCycle = cycle;
            for (int s = 0; s < Steps; s++)
            {
                losses.Add(trainer.Step(x, y, rows, drops, out double metric));
                losses.Add(metric);
            }
            AssertAllocationFree(() =>
            {
                losses.Add(trainer.Step(x, y, rows, drops, out double last));
                losses.Add(last);
            });
            losses.Add(drops.NextUInt64());   // the same draws from the dropout generator
        }
        finally
        {
            Gemm.MaxThreads = saved;
            Trainer.SplitChoiceCycle = savedCycle;
        }
        return ([.. model.Parameters().Select(p => (float[])p.Value.Clone())], [.. losses], trainer.SplitSteps);
    }
}

/// <summary>
/// Test classes that set the process-wide <see cref="Gemm.MaxThreads"/> (and <see cref="Trainer.SplitChoiceCycle"/>) run
/// without other classes in parallel: <see cref="InferenceTests"/> setting 1 thread while <see cref="StepThreadsTests"/>
/// counted its split steps made 15 of 21 steps run unsplit (a fresh-clone CI run, session 12).
/// </summary>
[CollectionDefinition(nameof(GemmThreadSettingsCollection), DisableParallelization = true)]
public sealed class GemmThreadSettingsCollection;
