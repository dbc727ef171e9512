using Occam.Data;

namespace Occam.Tests.Models;

/// <summary>
/// <see cref="LinearWarmup"/>: its tiny table is read as a regression (the path of most CSV targets) and every
/// regression penalty fits it with a non-empty model (the lasso's sparse), so the warm-up runs the solver's sweeps and
/// active-set steps rather than stopping at α_max; <see cref="CsvLoader"/>'s text entry reads text as the file entry reads it.
/// </summary>
public class LinearWarmupTests
{
    [Theory]
    [InlineData("lasso", true)]
    [InlineData("ridge", false)]
    [InlineData("elasticnet", true)]
    public void TheWarmupFitsARegressionWithSomeNonZeroCoefficients(string penalty, bool json)
    {
        LinearEstimator estimator = penalty switch
        {
            "lasso" => new Lasso(),
            "ridge" => new Ridge(),
            _ => new ElasticNet { L1Ratio = 0.5 },
        };
        var model = LinearWarmup.Run(estimator, json);
        Assert.Equal(TaskKind.Regression, model.Task);
        Assert.True(model.Converged);
        // The lasso keeps some coefficients and zeroes others (sweeps and active-set steps run); the others keep some.
        Assert.InRange(model.Sparsity.NonZero, 1, penalty == "lasso" ? model.Sparsity.Coefficients - 1 : model.Sparsity.Coefficients);
    }

    [Fact]
    public void ParseReadsTextAsLoadReadsTheSameFile()
    {
        const string text = "a,b,y\n1,2.5,10\n-3,4e-2,20\n5,6,31\n7,8,45\n";
        string path = Path.Combine(Path.GetTempPath(), $"occam-parse-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        try
        {
            var fromFile = CsvLoader.Load(path, "y");
            var fromText = CsvLoader.Parse(text, "y");
            Assert.Equal(fromFile.X, fromText.X);
            Assert.Equal(fromFile.Y, fromText.Y);
            Assert.Equal(fromFile.FeatureNames, fromText.FeatureNames);
            Assert.Equal((fromFile.Rows, fromFile.Features, fromFile.Task), (fromText.Rows, fromText.Features, fromText.Task));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
