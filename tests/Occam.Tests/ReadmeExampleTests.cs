using Occam.Data;
using Occam.Nn;
using Occam.Regularization;
using Occam.Serialization;
using Occam.Training;

namespace Occam.Tests;

/// <summary>The C# example of the README, kept compiling and working (fewer epochs).</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeApiExampleWorks()
    {
        var data = CsvLoader.Load(Repo.Data("digits.csv"), target: "digit");
        var outcome = MlpFitter.Fit(data, new FitSettings
        {
            Hidden = [64],
            Regularization = [new LayerRegularization(ElasticNetPenalty.Lasso(1e-3))],   // L1, prox mode: exact zeros
            ValidationSplit = 0.2,
            Seed = 1,
            Training = new TrainingOptions { Epochs = 10, EarlyStoppingPatience = 10 },
        });
        double zeros = SparsityReport.Of(outcome.Model).ZeroFraction;
        string path = Path.Combine(Path.GetTempPath(), $"readme-{Guid.NewGuid():N}.json");
        try
        {
            MlpJson.Save(outcome.Model, path);
            var eval = ModelEvaluation.Of(MlpJson.Load(path), data);
            Assert.True(zeros > 0.05, $"zero fraction {zeros}");
            Assert.True(eval.Accuracy > 0.9, $"accuracy {eval.Accuracy}");
            Assert.Equal(10, eval.Confusion!.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
