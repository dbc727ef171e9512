using Occam.Data;
using Occam.Nn;
using Occam.Serialization;
using Occam.Tests.Data;

namespace Occam.Tests.OddInput;

/// <summary>
/// Issue 11: a finite CSV cell too large for float32 (1e39) used to predict NaN with exit 0. Such cells are refused at
/// load, and a network never returns a non-finite prediction.
/// </summary>
public sealed class Float32RangeTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("1e39")]
    [InlineData("-3.5e38")]
    [InlineData("3.41e38")]
    public void FeatureCellBeyondFloat32IsRefusedWithFileLineColumnAndLimit(string cell)
    {
        string path = _files.Write("big.csv", $"a,b,y\n1,2,0\n3,{cell},1\n");
        var e = Assert.Throws<OccamException>(() => CsvLoader.Load(path, "y"));
        Assert.StartsWith($"{path} line 3, column 'b': '{cell}' is outside the float32 range (±3.4028235E+38)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Throws<OccamException>(() => CsvLoader.LoadFeatures(path, ["a", "b"]));
    }

    [Fact]
    public void Float32MaxItselfIsAccepted()
    {
        string path = _files.Write("max.csv", "a,y\n3.4028235E+38,0\n-3.4028235E+38,1\n");
        var d = CsvLoader.Load(path, "y");
        Assert.Equal(float.MaxValue, (float)d.X[0]);
    }

    [Fact]
    public void RegressionTargetBeyondFloat32IsRefused()
    {
        string path = _files.Write("bigy.csv", "a,y\n1,0.5\n2,1e39\n");
        var e = Assert.Throws<OccamException>(() => CsvLoader.Load(path, "y"));
        Assert.Contains("line 3, column 'y': '1e39' is outside the float32 range", e.Message);
    }

    [Fact]
    public void AsAnExplicitClassLabelItIsText()
    {
        string path = _files.Write("label.csv", "a,y\n1,1e39\n2,0\n");
        var d = CsvLoader.Load(path, "y", TaskKind.Binary);
        Assert.Equal(["0", "1e39"], d.Classes!);
    }

    private static Mlp Identity(Standardizer? standardizer) =>
        new(1, TaskKind.Regression, [new Dense(1, 1, [1f], [0f])], standardizer, featureNames: ["x"]);

    [Fact]
    public void InputThatOverflowsOnlyAfterStandardizingNamesRowAndInput()
    {
        var model = Identity(new Standardizer([0], [1e-30]));
        var e = Assert.Throws<OccamException>(() => model.PredictScores([1.0, 1e10], 2));
        Assert.StartsWith("row 2, input 'x': the value 10000000000 cannot be used: standardized with the model's mean 0 and scale 1E-30 it overflows float32", e.Message);
    }

    [Fact]
    public void NonFiniteOutputIsAnErrorNotNaN()
    {
        // Finite input, finite weights, but 3e38 · 10 overflows float32 in the layer.
        var model = new Mlp(1, TaskKind.Regression, [new Dense(1, 1, [10f], [0f])]);
        Assert.Equal([30f], model.PredictScores([3.0], 1));
        var e = Assert.Throws<OccamException>(() => model.PredictScores([1.0, 3e38], 2));
        Assert.StartsWith("row 2: the model's output is Infinity (float32 overflow)", e.Message);
    }

    [Fact]
    public void EvaluationDoesNotCountOverflowRowsAsClassZero()
    {
        var model = new Mlp(1, TaskKind.Binary, [new Dense(1, 1, [10f], [0f])], classes: ["0", "1"]);
        var data = new Dataset([1.0, -3e38], [1, 0], 2, 1, ["x"], "y", TaskKind.Binary, ["0", "1"]);
        Assert.Throws<OccamException>(() => Occam.Training.ModelEvaluation.Of(model, data));
    }

    [Fact]
    public void SavedModelStillRoundTripsAfterTheChecks()
    {
        var model = Identity(new Standardizer([1], [2]));
        var back = MlpJson.Parse(MlpJson.ToJson(model));
        Assert.Equal([2f], back.PredictScores([5.0], 1));
    }
}
