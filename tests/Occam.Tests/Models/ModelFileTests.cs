using Occam.Data;
using Occam.Nn;
using Occam.Serialization;
using Occam.Tests.Data;

namespace Occam.Tests.Models;

/// <summary>occam-mlp/1 with and without "targetStandardizer", and <see cref="Model.Load"/>.</summary>
public class ModelFileTests
{
    // y = 2x + 1 on the network's scale.
    private const string Linear = """{"format":"occam-mlp/1","task":"regression","inputs":1,"layers":[{"type":"dense","weight":[[2]],"bias":[1]}],"features":["x"]""";

    [Fact]
    public void OldFileWithoutTargetStandardizerPredictsTheRawOutput()
    {
        using var files = new TestFiles();
        var model = Model.Load(files.Write("old.json", Linear + "}"));
        var data = Dataset.ForRegression(new double[,] { { 1 }, { -2 } }, [3, -3], ["x"]);
        Assert.Equal([3.0, -3.0], model.Predict(data));
        Assert.Equal(["3", "-3"], model.PredictLabels(data));
        Assert.Equal(1.0, model.Score(data));
        Assert.Null(((MlpModel)model).Network.TargetStandardizer);
    }

    [Fact]
    public void TargetStandardizerIsUndoneAtPredictionAndKeptBySaveAndPrune()
    {
        using var files = new TestFiles();
        string path = files.Write("new.json", Linear + ""","targetStandardizer":{"mean":[10],"scale":[3]}}""");
        var model = MlpModel.Load(path);
        var data = Dataset.ForRegression(new double[,] { { 1 }, { 0 } }, [19, 13], ["x"]);
        Assert.Equal([19.0, 13.0], model.Predict(data));   // (2x + 1)·3 + 10
        var e = model.Evaluate(data);
        Assert.Equal(0.0, e.Loss);
        Assert.Equal(1.0, e.RSquared);
        model.Save(files.PathOf("again.json"));
        Assert.Contains("\"targetStandardizer\":{\"mean\":[10],\"scale\":[3]}", File.ReadAllText(files.PathOf("again.json")), StringComparison.Ordinal);
        var pruned = Pruning.RemoveDeadUnits(model.Network);
        Assert.Equal(model.Network.TargetStandardizer!.Scale, pruned.TargetStandardizer!.Scale);
        Assert.Equal([19.0, 13.0], new MlpModel(pruned).Predict(data));
    }

    [Fact]
    public void BadTargetStandardizersAreNamed()
    {
        Assert.Contains("$.targetStandardizer.scale[0]", Assert.Throws<OccamException>(() => MlpJson.Parse(Linear + ""","targetStandardizer":{"mean":[0],"scale":[0]}}""")).Message, StringComparison.Ordinal);
        Assert.Contains("$.targetStandardizer.mean", Assert.Throws<OccamException>(() => MlpJson.Parse(Linear + ""","targetStandardizer":{"mean":[0,1],"scale":[1]}}""")).Message, StringComparison.Ordinal);
        Assert.Contains("$.targetStandardizer", Assert.Throws<OccamException>(() => MlpJson.Parse(Linear + ""","targetStandardizer":3}""")).Message, StringComparison.Ordinal);
        string binary = """{"format":"occam-mlp/1","task":"binary","inputs":1,"layers":[{"type":"dense","weight":[[2]],"bias":[1]}],"targetStandardizer":{"mean":[0],"scale":[1]}}""";
        Assert.Contains("only for regression", Assert.Throws<OccamException>(() => MlpJson.Parse(binary)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Mlp(1, TaskKind.Binary, [new Dense(1, 1)], targetStandardizer: new Standardizer([0], [1])));
    }

    [Fact]
    public void ModelLoadReportsUnknownFormatsAndBadFiles()
    {
        using var files = new TestFiles();
        Assert.Equal($"{files.PathOf("missing.json")}: file not found; check the path.", Assert.Throws<OccamException>(() => Model.Load(files.PathOf("missing.json"))).Message);
        Directory.CreateDirectory(files.PathOf("folder"));
        Assert.Equal($"{files.PathOf("folder")}: is a folder, not a file; pass the path of a model file.", Assert.Throws<OccamException>(() => Model.Load(files.PathOf("folder"))).Message);
        var unknown = files.Write("u.json", """{"layers":[1,{"a":[2]}],"format":"occam-tree/7"}""");
        Assert.Equal($"{unknown}: $.format is 'occam-tree/7'; this version of Occam reads occam-mlp/1 and occam-linear/1 model files.", Assert.Throws<OccamException>(() => Model.Load(unknown)).Message);
        Assert.Contains("not valid JSON", Assert.Throws<OccamException>(() => Model.Load(files.Write("bad.json", "{\"format\": "))).Message, StringComparison.Ordinal);
        Assert.Contains("$.format", Assert.Throws<OccamException>(() => Model.Load(files.Write("none.json", "{}"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainedRegressorWritesItsTargetStandardizer()
    {
        var (x, y) = MlpEstimatorTests.Smooth(50, 1, 100);
        var model = new MlpRegressor { Hidden = [4], Epochs = 2, Seed = 1 }.Fit(x, y);
        var ts = model.Network.TargetStandardizer!;
        double mean = y.Average();
        Assert.Equal(mean, ts.Mean[0], 9);
        Assert.Equal(Math.Sqrt(y.Select(v => (v - mean) * (v - mean)).Average()), ts.Scale[0], 9);
        var json = MlpJson.ToJson(model.Network);
        Assert.Contains("\"targetStandardizer\"", json, StringComparison.Ordinal);
        Assert.Equal(model.Predict(x), new MlpModel(MlpJson.Parse(json)).Predict(x));
        Assert.DoesNotContain("targetStandardizer", MlpJson.ToJson(new MlpRegressor { Hidden = [4], Epochs = 2, StandardizeTarget = false }.Fit(x, y).Network), StringComparison.Ordinal);
    }

    [Fact]
    public void PredictionTextIsRoundTrip()
    {
        Assert.Equal("0.1", PredictionText.Format(0.1f));
        Assert.Equal("0.1", PredictionText.Format(0.1));          // not a float32: double's form
        Assert.Equal("1000000123.4567", PredictionText.Format(1000000123.4567));
        Assert.Equal(0.1f, float.Parse(PredictionText.Format(0.1f), System.Globalization.CultureInfo.InvariantCulture));
    }
}
