using System.Text.Json;
using Occam.Data;
using Occam.Linear;

namespace Occam.Cli.Tests.Linear;

/// <summary><c>occam linear fit</c> on multiclass targets: the occam-linear/1 file with a class × feature matrix, read back for prediction.</summary>
[Collection("console")]
public sealed class MultinomialCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "occam-multinomial-cli-" + Guid.NewGuid().ToString("N"));

    public MultinomialCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string DataFile(string name) => Occam.Tests.Repo.Data(name);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FitWritesAClassMatrixThatPredictsLikeTheLibrary(bool grouped)
    {
        string model = Path.Combine(_dir, "iris.json");
        string[] args = ["linear", "fit", "--data", DataFile("iris.csv"), "--target", "species", "--alpha", "0.01", "--tol", "1e-8", "--out", model];
        var r = Cli.Run(grouped ? [.. args, "--grouped"] : args);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("multiclass", r.Out, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(model));
        var root = doc.RootElement;
        Assert.Equal("multiclass", root.GetProperty("task").GetString());
        Assert.Equal(3, root.GetProperty("coef").GetArrayLength());
        Assert.All(root.GetProperty("coef").EnumerateArray(), row => Assert.Equal(4, row.GetArrayLength()));
        Assert.Equal(3, root.GetProperty("intercept").GetArrayLength());
        Assert.Equal(grouped, root.GetProperty("grouped").GetBoolean());

        // The file predicts what the library's solver fitted, and evaluates through IModel.
        var d = CsvLoader.Load(DataFile("iris.csv"), "species", TaskKind.Multiclass);
        var direct = MultinomialRegression.Fit(d.X, d.Rows, d.Features, d.Y, 0.01, new LinearOptions { Tolerance = 1e-8, Grouped = grouped }).Model;
        var loaded = Model.Load(model);
        Assert.Equal(TaskKind.Multiclass, loaded.Task);
        var expected = direct.PredictProba(d.X, d.Rows);
        var actual = loaded.PredictProba(d);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
        var e = loaded.Evaluate(d);
        Assert.True(e.Accuracy > 0.9, $"accuracy {e.Accuracy}");
        Assert.Equal(direct.PredictClass(d.X, d.Rows).Select(c => d.Classes![c]), loaded.PredictLabels(d));
        // Saved again, the document is the same.
        Assert.Equal(File.ReadAllText(model), ((LinearModel)loaded).ToJson());
    }

    [Fact]
    public void CvOfAMulticlassTargetMatchesTheLibraryAndWritesALoadableModel()
    {
        string model = Path.Combine(_dir, "wine-cv.json"), report = Path.Combine(_dir, "wine-cv-report.json");
        var r = Cli.Run("linear", "cv", "--data", DataFile("wine.csv"), "--target", "cultivar", "--grouped", "--folds", "5", "--stratify", "--shuffle",
            "--seed", "7", "--n-alphas", "20", "--json", "--out", report, "--model-out", model);
        Assert.True(r.ExitCode == 0, r.Err);
        var doc = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal(File.ReadAllText(report), r.Out);
        Assert.Equal("multiclass", doc.GetProperty("task").GetString());
        Assert.Equal("logloss", doc.GetProperty("measure").GetString());

        var d = CsvLoader.Load(DataFile("wine.csv"), "cultivar", TaskKind.Multiclass);
        var co = new CvOptions { Folds = 5, Stratify = true, Shuffle = true, Seed = 7, Path = new PathOptions { Count = 20 } };
        var (cv, fitted) = new LogisticRegression { Grouped = true }.CrossValidate(d, co);
        Assert.Equal(cv.AlphaMin, doc.GetProperty("alphaMin").GetDouble());
        Assert.Equal(cv.Alpha1se, doc.GetProperty("alpha1se").GetDouble());
        Assert.Equal(cv.Alphas, doc.GetProperty("alphas").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(cv.MeanError, doc.GetProperty("meanLogLoss").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(cv.StandardError, doc.GetProperty("seLogLoss").EnumerateArray().Select(v => v.GetDouble()));
        Assert.True(cv.Alpha1se >= cv.AlphaMin);

        // The model file is the refit at α_min, the same document as the report's "model", and it loads and predicts.
        Assert.Equal(fitted.ToJson(), File.ReadAllText(model));
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(File.ReadAllText(model)).RootElement), JsonSerializer.Serialize(doc.GetProperty("model")));
        var loaded = Model.Load(model);
        Assert.Equal(TaskKind.Multiclass, loaded.Task);
        Assert.Equal(fitted.PredictLabels(d), loaded.PredictLabels(d));
        Assert.True(loaded.Score(d) > 0.95, $"accuracy {loaded.Score(d)}");
        string predictions = Path.Combine(_dir, "wine-predictions.csv");
        var predict = Cli.Run("predict", model, "--data", DataFile("wine.csv"), "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.Err);
        Assert.Equal(d.Rows + 1, File.ReadAllLines(predictions).Length);

        // Text output marks α_min and α_1se.
        var text = Cli.Run("linear", "cv", "--data", DataFile("wine.csv"), "--target", "cultivar", "--stratify", "--n-alphas", "10", "--eps", "0.01");
        Assert.True(text.ExitCode == 0, text.Err);
        Assert.Contains("alpha_min", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void CvFoldWhoseTrainingRowsMissAClassIsAOneLineError()
    {
        // iris.csv is sorted by species: contiguous folds hold out whole classes.
        string model = Path.Combine(_dir, "never.json");
        var r = Cli.Run("linear", "cv", "--data", DataFile("iris.csv"), "--target", "species", "--folds", "3", "--model-out", model);
        Assert.NotEqual(0, r.ExitCode);
        Assert.StartsWith("error: fold 1 of 3: its training rows (100) miss class 0 of the 3 classes", r.Err, StringComparison.Ordinal);
        Assert.Contains("--stratify", r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void GroupedOnABinaryTargetIsAOneLineError()
    {
        var r = Cli.Run("linear", "fit", "--data", DataFile("breast_cancer.csv"), "--target", "benign", "--alpha", "0.01", "--grouped");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--grouped is for multiclass targets", r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.Trim().Split('\n'));
    }

    [Fact]
    public void DamagedMulticlassFilesAreOneLineErrors()
    {
        string model = Path.Combine(_dir, "m.json");
        Assert.Equal(0, Cli.Run("linear", "fit", "--data", DataFile("iris.csv"), "--target", "species", "--alpha", "0.05", "--out", model).ExitCode);
        string text = File.ReadAllText(model);
        string bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, text.Replace("\"intercept\": [", "\"intercept\": [1,", StringComparison.Ordinal));
        Assert.Contains("one intercept per class", Assert.Throws<OccamException>(() => Model.Load(bad)).Message);
        using var doc = JsonDocument.Parse(text);
        File.WriteAllText(bad, text.Replace("\"classes\": [", "\"classes\": [\"extra\",", StringComparison.Ordinal));
        Assert.Contains("$.classes", Assert.Throws<OccamException>(() => Model.Load(bad)).Message);
    }

    [Fact]
    public void PathWritesAClassMatrixPerAlphaAsTheLibrary()
    {
        string file = Path.Combine(_dir, "path.json");
        var r = Cli.Run("linear", "path", "--data", DataFile("wine.csv"), "--target", "cultivar", "--grouped", "--n-alphas", "8", "--eps", "0.05", "--out", file);
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var root = doc.RootElement;
        Assert.Equal("multiclass", root.GetProperty("task").GetString());
        Assert.True(root.GetProperty("grouped").GetBoolean());
        var coefs = root.GetProperty("coefs");
        Assert.Equal(8, coefs.GetArrayLength());
        var d = CsvLoader.Load(DataFile("wine.csv"), "cultivar", TaskKind.Multiclass);
        var lib = MultinomialRegression.Path(d.X, d.Rows, d.Features, d.Y, new LinearOptions { Grouped = true }, new PathOptions { Count = 8, Eps = 0.05 });
        int a = 0;
        foreach (var perAlpha in coefs.EnumerateArray())
        {
            Assert.Equal(3, perAlpha.GetArrayLength());
            int k = 0;
            foreach (var row in perAlpha.EnumerateArray())
                Assert.Equal(lib.Coefs[a][k++], row.EnumerateArray().Select(v => v.GetDouble()).ToArray());
            a++;
        }
        Assert.Equal(lib.Intercepts.Length, root.GetProperty("intercepts").GetArrayLength());
        Assert.Equal(0, lib.NonZero[0]);
    }
}
