using Occam.Data;
using Occam.Training;

namespace Occam.Tests.Training;

/// <summary><see cref="TrainingWarmup"/>: the preparation warm-up prepares both kinds of data, and starting it twice is harmless.</summary>
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
        TrainingWarmup.StartPreparation();   // returns at once; a second call does nothing
        TrainingWarmup.StartPreparation();
    }
}
