using Occam.Training;

namespace Occam.Tests.Training;

/// <summary><see cref="TrainingWarmup"/>: the preparation warm-up prepares both kinds of data, and starting it twice is harmless.</summary>
[Collection(nameof(InputPipelineTests))]
public class TrainingWarmupTests
{
    [Fact]
    public void ThePreparationWarmupPreparesByteAndFloat64Data()
    {
        Assert.Equal(2, TrainingWarmup.RunPreparation(idxImages: true));   // 2 rows of byte pixels with classes
        Assert.Equal(2, TrainingWarmup.RunPreparation(idxImages: false));   // 2 rows of float64 with a regression target
        TrainingWarmup.StartPreparation();   // returns at once; a second call does nothing
        TrainingWarmup.StartPreparation();
    }
}
