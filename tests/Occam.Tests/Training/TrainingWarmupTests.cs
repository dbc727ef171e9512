using Occam.Data;
using Occam.Nn;
using Occam.Numerics;
using Occam.Numerics.Random;
using Occam.Training;

namespace Occam.Tests.Training;

/// <summary>
/// <see cref="TrainingWarmup"/>: the preparation warm-up prepares both kinds of data, and starting it twice is harmless;
/// the step warm-up finds every kernel it names (its thread drops errors, so a stale name would only be seen here) for
/// the bench job's network, a small one and a full-batch regression, with full and short last batches.
/// </summary>
[Collection(nameof(InputPipelineTests))]
public class TrainingWarmupTests
{
    [Fact]
    public void ThePreparationWarmupPreparesByteAndFloat64Data()
    {
        var pixels = TrainingWarmup.RunPreparation(idxImages: true);   // byte pixels with classes
        Assert.Equal((TaskKind.Multiclass, 2), (pixels.Task, pixels.Classes!.Count));
        var csv = TrainingWarmup.RunPreparation(idxImages: false);   // float64 with a regression target
        Assert.Equal((TaskKind.Regression, 64), (csv.Task, csv.Inputs));
        TrainingWarmup.RunSave(pixels);
        TrainingWarmup.DataPrepared();
        TrainingWarmup.Start();   // returns at once; a second call does nothing
        TrainingWarmup.Start();
    }

    [Theory]
    [InlineData(784, new[] { 512, 256 }, 10, 10000, 256)]   // the bench job: rows read in place, a short last batch
    [InlineData(64, new[] { 128 }, 10, 1797, 128)]
    [InlineData(8, new[] { 4 }, 1, 50, 0)]   // full batch, regression
    public void TheStepWarmupFindsEveryKernelItNames(int inputs, int[] hidden, int outputs, int rows, int batchSize)
    {
        var task = outputs == 1 ? TaskKind.Regression : TaskKind.Multiclass;
        var classes = task == TaskKind.Multiclass ? Enumerable.Range(0, outputs).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray() : null;
        var model = Mlp.Create(new MlpSpec(inputs, hidden, outputs, task), new Rng(1), null, classes);
        TrainingWarmup.CompileStepKernels();
        TrainingWarmup.CompileRowTableKernels(idxImages: true);
        TrainingWarmup.CompileRowTableKernels(idxImages: false);
        TrainingWarmup.RunRecord(model);
        TrainingWarmup.CompileProducts(model, rows, batchSize, byteRows: false);
        TrainingWarmup.CompileProducts(model, rows, batchSize, byteRows: true);
        TrainingWarmup.CompileProducts(model, 0, batchSize, byteRows: false);   // no rows: nothing
        // The shapes the warm-up gets from the spec before the network is built are the built network's.
        Assert.Equal(TrainingWarmup.DenseShapes(model), TrainingWarmup.DenseShapes(new MlpSpec(inputs, hidden, outputs, task)));
    }

    [Fact]
    public void TheStepsProductsAreListedInTheOrderTheEpochRunsThem()
    {
        // The bench job: 784-512-256-10, 10 000 rows in batches of 256 (the last one 16 rows), rows read through a table.
        (int, int)[] dense = [(784, 512), (512, 256), (256, 10)];
        var table = GemmRowSource.Bytes;
        var none = GemmRowSource.None;
        TrainingWarmup.StepProduct[] Step(int r) =>
        [
            new(false, true, r, 512, 784, table), new(false, true, r, 256, 512, none), new(false, true, r, 10, 256, none),   // forward
            new(true, false, 10, 256, r, none), new(false, false, r, 256, 10, none),   // output layer: ∂W, ∂X
            new(true, false, 256, 512, r, none), new(false, false, r, 512, 256, none),
            new(true, false, 512, 784, r, table),   // first layer: ∂W only
        ];
        Assert.Equal([.. Step(256), .. Step(16)], TrainingWarmup.StepProducts(dense, true, 10000, 256, table));
        Assert.Equal(Step(256), TrainingWarmup.StepProducts(dense, true, 2560, 256, table));   // no short batch
        var plain = TrainingWarmup.StepProducts(dense, false, 256, 256, table);   // the first layer is not the first dense one
        Assert.Equal(Step(256).Select(p => p with { Rows = none }), plain);
    }
}
