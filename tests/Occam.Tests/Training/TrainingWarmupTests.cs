using Occam.Data;
using Occam.Nn;
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
        TrainingWarmup.CompileProducts(model, rows, batchSize, byteRows: false);
        TrainingWarmup.CompileProducts(model, rows, batchSize, byteRows: true);
        TrainingWarmup.CompileProducts(model, 0, batchSize, byteRows: false);   // no rows: nothing
    }
}
