using System.Text.Json;
using Occam.Serialization;
using Occam.Tests;

namespace Occam.Cli.Tests;

[Collection("console")]
public class CommandTests
{
    private static readonly string Digits = Repo.Data("digits.csv");

    [Theory]
    [InlineData("train")]
    [InlineData("eval")]
    [InlineData("predict")]
    [InlineData("inspect")]
    [InlineData("demo")]
    [InlineData("synth")]
    [InlineData("prune")]
    public void HelpWorksForEveryCommand(string command)
    {
        var r = Cli.Run(command, "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--json", r.Out);
    }

    [Fact]
    public void SameSeedSameCommandGivesByteIdenticalModelFiles()
    {
        using var dir = new TempDir();
        string[] Args(string output) => ["train", "--data", Digits, "--target", "digit", "--hidden", "16", "--epochs", "3",
            "--l1", "1e-3", "--dropout", "0.2", "--val-split", "0.2", "--seed", "7", "--out", output];
        Assert.Equal(0, Cli.Run(Args(dir.File("a.json"))).ExitCode);
        Assert.Equal(0, Cli.Run(Args(dir.File("b.json"))).ExitCode);
        Assert.Equal(File.ReadAllBytes(dir.File("a.json")), File.ReadAllBytes(dir.File("b.json")));
    }

    [Fact]
    public void TrainJsonEvalPredictInspectRoundTrip()
    {
        using var dir = new TempDir();
        string model = dir.File("m.json");
        var train = Cli.Run("train", "--data", Digits, "--target", "digit", "--hidden", "32", "--epochs", "15", "--l1", "1e-3",
            "--val-split", "0.2", "--early-stopping", "5", "--seed", "1", "--out", model, "--json");
        Assert.True(train.ExitCode == 0, train.Err);
        using (var doc = JsonDocument.Parse(train.Out))
        {
            var root = doc.RootElement;
            foreach (var key in new[] { "epochs", "steps", "trainSeconds", "trainLoss", "valLoss", "history", "sparsity" })
                Assert.True(root.TryGetProperty(key, out _), $"--json output lacks '{key}'");
            Assert.True(root.GetProperty("valMetric").GetDouble() > 0.85);
            Assert.True(root.GetProperty("sparsity").GetProperty("zeroFraction").GetDouble() > 0.1);
            Assert.Equal(root.GetProperty("epochs").GetInt32(), root.GetProperty("history").GetArrayLength());
        }

        var eval = Cli.Run("eval", model, "--data", Digits, "--json");
        Assert.True(eval.ExitCode == 0, eval.Err);
        using (var doc = JsonDocument.Parse(eval.Out))
        {
            Assert.True(doc.RootElement.GetProperty("accuracy").GetDouble() > 0.9);
            var confusion = doc.RootElement.GetProperty("confusion");
            Assert.Equal(10, confusion.GetArrayLength());
            Assert.Equal(1797, confusion.EnumerateArray().Sum(r => r.EnumerateArray().Sum(v => v.GetInt32())));
        }

        string preds = dir.File("preds.csv");
        var predict = Cli.Run("predict", model, "--data", Digits, "--out", preds);
        Assert.True(predict.ExitCode == 0, predict.Err);
        var lines = File.ReadAllLines(preds);
        Assert.Equal(1798, lines.Length);
        Assert.StartsWith("prediction,p_0,p_1", lines[0]);

        var inspect = Cli.Run("inspect", model, "--json");
        Assert.True(inspect.ExitCode == 0, inspect.Err);
        using (var doc = JsonDocument.Parse(inspect.Out))
        {
            var s = doc.RootElement.GetProperty("sparsity");
            Assert.Equal(64, s.GetProperty("inputs").GetInt32());
            Assert.Equal(32, s.GetProperty("hiddenUnits").GetInt32());
        }
        Assert.Equal(0, Cli.Run("inspect", model).ExitCode);
        Assert.Equal(0, Cli.Run("eval", model, "--data", Digits).ExitCode);
    }

    [Fact]
    public void GroupLassoLeavesDeadUnitsThatInspectCounts()
    {
        using var dir = new TempDir();
        string model = dir.File("g.json");
        var train = Cli.Run("train", "--data", Digits, "--target", "digit", "--hidden", "64", "--epochs", "30",
            "--group-lasso", "2e-3", "--lr", "3e-3", "--seed", "1", "--out", model);
        Assert.True(train.ExitCode == 0, train.Err);
        var m = MlpJson.Load(model);
        var first = m.DenseLayers[0];
        int zeroRows = Enumerable.Range(0, first.Outputs).Count(j => first.Row(j).ToArray().All(w => w == 0f));
        Assert.True(zeroRows >= 10, $"only {zeroRows} dead units");
        var inspect = Cli.Run("inspect", model, "--json");
        using var doc = JsonDocument.Parse(inspect.Out);
        Assert.True(doc.RootElement.GetProperty("sparsity").GetProperty("deadUnits").GetInt32() >= zeroRows);

        // prune removes them; eval gives the same accuracy and predict the same classes.
        string small = dir.File("small.json");
        var prune = Cli.Run("prune", model, "--out", small, "--json");
        Assert.True(prune.ExitCode == 0, prune.Err);
        Assert.True(MlpJson.Load(small).DenseLayers[0].Outputs <= 64 - zeroRows);
        var e1 = Cli.Run("eval", model, "--data", Digits, "--json").Out;
        var e2 = Cli.Run("eval", small, "--data", Digits, "--json").Out;
        using var d1 = JsonDocument.Parse(e1);
        using var d2 = JsonDocument.Parse(e2);
        Assert.Equal(d1.RootElement.GetProperty("accuracy").GetDouble(), d2.RootElement.GetProperty("accuracy").GetDouble());
    }

    [Fact]
    public void PredictBinaryAndRegressionFormats()
    {
        using var dir = new TempDir();
        string data = Repo.Data("breast_cancer.csv");
        string model = dir.File("b.json");
        Assert.Equal(0, Cli.Run("train", "--data", data, "--target", "benign", "--hidden", "8", "--epochs", "5", "--out", model).ExitCode);
        Assert.Equal(0, Cli.Run("predict", model, "--data", data, "--out", dir.File("b.csv")).ExitCode);
        Assert.Equal("prediction,probability", File.ReadLines(dir.File("b.csv")).First());
        string reg = dir.File("r.json");
        Assert.Equal(0, Cli.Run("train", "--data", Repo.Data("diabetes.csv"), "--target", "progression", "--epochs", "5", "--out", reg).ExitCode);
        var eval = Cli.Run("eval", reg, "--data", Repo.Data("diabetes.csv"), "--json");
        Assert.Contains("\"r2\"", eval.Out);
        Assert.Equal(0, Cli.Run("predict", reg, "--data", Repo.Data("diabetes.csv"), "--out", dir.File("r.csv")).ExitCode);
        Assert.Equal("prediction", File.ReadLines(dir.File("r.csv")).First());
    }

    [Fact]
    public void RegressionTargetIsStandardizedUnlessTurnedOff()
    {
        using var dir = new TempDir();
        string data = Repo.Data("diabetes.csv");
        var target = Occam.Data.CsvLoader.Load(data, "progression").Y;
        foreach (var (name, extra, expectStandardizer) in new[] { ("std", Array.Empty<string>(), true), ("raw", ["--no-standardize-target"], false) })
        {
            string model = dir.File(name + ".json");
            var train = Cli.Run(["train", "--data", data, "--target", "progression", "--hidden", "16", "--epochs", "30", "--seed", "1", "--out", model, .. extra]);
            Assert.True(train.ExitCode == 0, train.Err);
            var mlp = MlpJson.Load(model);
            Assert.Equal(expectStandardizer, mlp.TargetStandardizer is not null);
            Assert.Equal(expectStandardizer, File.ReadAllText(model).Contains("\"targetStandardizer\"", StringComparison.Ordinal));
            string preds = dir.File(name + ".csv");
            Assert.Equal(0, Cli.Run("predict", model, "--data", data, "--out", preds).ExitCode);
            var lines = File.ReadLines(preds).Skip(1).ToArray();
            Assert.Equal(new Occam.MlpModel(mlp).PredictLabels(Occam.Data.CsvLoader.Load(data, "progression")), lines);
            var values = lines.Select(l => double.Parse(l, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            if (expectStandardizer)
                Assert.Equal(target.Average(), values.Average(), 10.0);   // predictions in the target's units (mean ≈ 152)
        }
        using var std = JsonDocument.Parse(Cli.Run("eval", dir.File("std.json"), "--data", data, "--json").Out);
        using var raw = JsonDocument.Parse(Cli.Run("eval", dir.File("raw.json"), "--data", data, "--json").Out);
        Assert.True(std.RootElement.GetProperty("r2").GetDouble() > 0.3, std.RootElement.ToString());
        Assert.True(std.RootElement.GetProperty("r2").GetDouble() > raw.RootElement.GetProperty("r2").GetDouble() + 0.2);
    }

    [Theory]
    [InlineData("--l1", "1e-3,0,0")]
    [InlineData("--weight-decay", "1,2,3")]
    public void PerLayerListOfTheWrongLengthIsAUsageError(string option, string values)
    {
        using var dir = new TempDir();
        var r = Cli.Run("train", "--data", Repo.Data("breast_cancer.csv"), "--target", "benign", "--hidden", "8", "--epochs", "1", option, values, "--out", dir.File("m.json"));
        Assert.Equal(64, r.ExitCode);
        Assert.Equal($"error: {option} has 3 values but the network has 2 dense layers; give one value or exactly 2.", r.Err.Trim());
        Assert.False(File.Exists(dir.File("m.json")));
    }

    [Fact]
    public void DemoWritesModelsAndSummary()
    {
        using var dir = new TempDir();
        var r = Cli.Run("demo", "--epochs", "2", "--out", dir.Path, "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(6, doc.RootElement.GetProperty("runs").GetArrayLength());
        foreach (var name in new[] { "none", "l2", "l1", "l1-subgradient", "group-lasso", "dropout" })
            Assert.True(File.Exists(dir.File(name + ".json")), name);
        Assert.True(File.Exists(dir.File("summary.json")));
        Assert.Contains("| run |", File.ReadAllText(dir.File("summary.md")));
    }

    [Theory]
    [InlineData("xor", "binary")]
    [InlineData("circles", "binary")]
    [InlineData("spiral", "multiclass")]
    [InlineData("blobs", "multiclass")]
    [InlineData("polynomial", "regression")]
    public void SynthWritesATrainableCsv(string kind, string task)
    {
        using var dir = new TempDir();
        string csv = dir.File(kind + ".csv");
        var r = Cli.Run("synth", kind, "--rows", "300", "--seed", "3", "--out", csv, "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains($"\"task\": \"{task}\"", r.Out);
        Assert.Equal(301, File.ReadAllLines(csv).Length);
        var train = Cli.Run("train", "--data", csv, "--target", "y", "--hidden", "16", "--epochs", "30", "--lr", "0.01", "--out", dir.File("m.json"), "--json");
        Assert.True(train.ExitCode == 0, train.Err);
        Assert.Contains($"\"task\": \"{task}\"", train.Out);
        var again = dir.File("again.csv");
        Cli.Run("synth", kind, "--rows", "300", "--seed", "3", "--out", again);
        Assert.Equal(File.ReadAllBytes(csv), File.ReadAllBytes(again));
    }

    [Fact]
    public void TrainsOnMnistIdxFiles()
    {
        using var dir = new TempDir();
        var r = Cli.Run("train", "--data", Repo.Data("mnist-10k-images-idx3-ubyte.gz"), "--labels", Repo.Data("mnist-10k-labels-idx1-ubyte.gz"),
            "--hidden", "32", "--epochs", "2", "--batch-size", "64", "--val-split", "0.2", "--l1", "1e-4", "--out", dir.File("mnist.json"), "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
        Assert.True(doc.RootElement.GetProperty("valMetric").GetDouble() > 0.85, r.Out);
        Assert.Equal(784, doc.RootElement.GetProperty("sparsity").GetProperty("inputs").GetInt32());
    }
}
