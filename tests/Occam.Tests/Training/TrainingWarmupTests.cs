using Occam.Training;

namespace Occam.Tests.Training;

/// <summary><see cref="TrainingWarmup"/>: the preparation warm-up prepares both kinds of data, and starting it twice is harmless.</summary>
[Collection(nameof(InputPipelineTests))]
public class TrainingWarmupTests
{
    [Fact]
    public void ThePreparationWarmupPreparesByteAndFloat64Data()
    {
        Assert.Equal(4, TrainingWarmup.RunPreparation());   // 2 rows of each kind
        TrainingWarmup.StartPreparation();   // returns at once; a second call does nothing
        TrainingWarmup.StartPreparation();
    }
}
