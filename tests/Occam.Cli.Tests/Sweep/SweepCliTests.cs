using System.Text.Json;
using Occam.Data;
using Occam.Selection;

namespace Occam.Cli.Tests.Sweep;

/// <summary>Runs <c>occam sweep</c> and <c>occam study …</c> in-process on iris (small networks, few epochs).</summary>
[Collection("console")]
public sealed class SweepCliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly string Iris = Occam.Tests.Repo.Data("iris.csv");

    private static string[] Base(params string[] more) => Jobs("2", more);

    private static string[] Jobs(string jobs, params string[] more) =>
        ["sweep", "--data", Iris, "--target", "species", "--hidden", "8", "--epochs", "8", "--lr", "0.01", "--folds", "3", "--jobs", jobs, .. more];

    [Fact]
    public void SweepWritesTheOneSeModelAndJsonListsTheChoice()
    {
        string model = _dir.File("m.json");
        var r = Cli.Run(Base("--search", "l1=log(1e-4,1e-1,4);dropout=0,0.3", "--out", model, "--json"));
        Assert.True(r.ExitCode == 0, r.Err);
        var doc = JsonDocument.Parse(r.Out).RootElement;
        int oneSe = doc.GetProperty("oneSe").GetInt32();
        Assert.Equal(oneSe, doc.GetProperty("refitTrial").GetInt32());
        var trials = doc.GetProperty("trials").EnumerateArray().ToArray();
        Assert.Equal(8, trials.Length);
        var objectives = trials.Select(t => t.GetProperty("objective").GetDouble()).ToArray();
        Assert.Equal(objectives.Order(), objectives); // sorted
        Assert.Contains("1se", trials.Single(t => t.GetProperty("number").GetInt32() == oneSe).GetProperty("chosen").GetString(), StringComparison.Ordinal);
        // The model is the chosen trial refitted on all rows: the same as the library's refit.
        var sweep = new Occam.Selection.Sweep
        {
            Space = SearchSpace.Parse("l1=log(1e-4,1e-1,4);dropout=0,0.3"),
            Evaluation = new Evaluation { Folds = 3 },
            Recipe = new TrainingRecipe { Hidden = [8], Epochs = 8, Lr = 0.01 },
        };
        var data = CsvLoader.Load(Iris, "species");
        var chosen = trials.Single(t => t.GetProperty("number").GetInt32() == oneSe);
        var record = new TrialRecord(oneSe, TrialState.Complete, chosen.GetProperty("settings").GetRawText(), 8, null, 1, null, null, null);
        var expected = SweepRunner.Refit(sweep, data, record);
        Assert.Equal(expected.PredictProba(data), MlpModel.Load(model).PredictProba(data));
    }

    [Fact]
    public void TheTableMarksBestAndOneSeAndJobsDoNotChangeResults()
    {
        var a = Cli.Run(Jobs("1", "--search", "l1=0.0001,0.01,0.1", "--json"));
        var b = Cli.Run(Jobs("2", "--search", "l1=0.0001,0.01,0.1", "--json"));
        Assert.True(a.ExitCode == 0 && b.ExitCode == 0, a.Err + b.Err);
        static string Strip(string json) => string.Join('\n', JsonDocument.Parse(json).RootElement.GetProperty("trials").EnumerateArray()
            .Select(t => $"{t.GetProperty("number")} {t.GetProperty("objective")} {t.GetProperty("objectiveSe")} {t.GetProperty("metrics").GetRawText()}"));
        Assert.Equal(Strip(a.Out), Strip(b.Out));
        var text = Cli.Run(Base("--search", "l1=0.0001,0.01,0.1"));
        Assert.True(text.ExitCode == 0, text.Err);
        Assert.Contains("best #", text.Out, StringComparison.Ordinal);
        Assert.Contains("1se #", text.Out, StringComparison.Ordinal);
        Assert.Contains("objective = validation loss (mean ± SE)", text.Out, StringComparison.Ordinal);
        var plotted = Cli.Run(Base("--search", "l1=0.0001,0.01,0.1;optimizer=adam", "--plots", _dir.File("plots")));
        Assert.True(plotted.ExitCode == 0, plotted.Err);
        Assert.Equal(["sweep-l1.png", "sweep-l1.svg"], Directory.GetFiles(_dir.File("plots")).Select(Path.GetFileName).Order());
        Assert.True(new FileInfo(_dir.File("plots/sweep-l1.png")).Length > 1000);
    }

    [Fact]
    public void SearchFileJsonIsTheSameSpace()
    {
        string file = _dir.Write("space.json", "{\"l1\": [0.0001, 0.01]}");
        var a = Cli.Run(Base("--search-file", file, "--json"));
        var b = Cli.Run(Base("--search", "l1=0.0001,0.01", "--json"));
        Assert.True(a.ExitCode == 0, a.Err);
        Assert.Equal(JsonDocument.Parse(a.Out).RootElement.GetProperty("fingerprint").GetString(), JsonDocument.Parse(b.Out).RootElement.GetProperty("fingerprint").GetString());
    }

    [Fact]
    public void SearchFileYamlIsTheSameSpaceAndItsErrorsNameTheLine()
    {
        string yaml = _dir.Write("space.yaml", "# the space\nl1: [0.0001, 0.01]\n");
        var a = Cli.Run(Base("--search-file", yaml, "--json"));
        var b = Cli.Run(Base("--search", "l1=0.0001,0.01", "--json"));
        Assert.True(a.ExitCode == 0, a.Err);
        Assert.Equal(JsonDocument.Parse(a.Out).RootElement.GetProperty("fingerprint").GetString(), JsonDocument.Parse(b.Out).RootElement.GetProperty("fingerprint").GetString());
        string bad = _dir.Write("bad.yml", "l1: [0.1\ndropout: 0\n");
        var e = Cli.Run(Base("--search-file", bad));
        Assert.Equal(64, e.ExitCode);
        Assert.Contains("bad.yml: not valid YAML", e.Err, StringComparison.Ordinal);
        e = Cli.Run(Base("--search-file", _dir.Write("tab.yaml", "l1: [1, 2]\n  - x: : y\n")));
        Assert.Equal(64, e.ExitCode);
        Assert.Contains("tab.yaml: not valid YAML at line", e.Err, StringComparison.Ordinal);
        string range = _dir.Write("range.yaml", "l1: {log: [0.1, 0.001, 3]}\n");
        e = Cli.Run(Base("--search-file", range));
        Assert.Contains("range.yaml: \"l1\": l1: min 0.1 > max 0.001", e.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64, "--search has an empty value", "--search", " ")]
    [InlineData(64, "--search holds no hyper-parameter; give NAME=VALUES items", "--search", ";")]
    [InlineData(64, "at character 9 ('log(1e-1,1e-5,9)'): dropout: min 0.1 > max 1e-05", "--search", "dropout=log(1e-1,1e-5,9)")]
    [InlineData(64, "at character 1 ('nope'): unknown hyper-parameter 'nope'", "--search", "nope=1,2")]
    [InlineData(64, "at character 9 ('('): parentheses group hidden layer sizes; l1 takes plain values", "--search", "l1=1e-3,(")]
    [InlineData(64, "at character 9 (the end): the spec ends where a value of l1 is expected", "--search", "l1=1e-3,")]
    [InlineData(64, "--folds 200 is more than the 150 rows", "--search", "l1=0,1e-3", "--folds", "200")]
    [InlineData(64, "--search and --search-file both give a search space", "--search", "l1=0", "--search-file", "x.json")]
    [InlineData(64, "--l1 '0.1,0.2': a sweep takes one strength for every layer", "--search", "dropout=0,0.5", "--l1", "0.1,0.2")]
    [InlineData(64, "--folds and --val-split both say how to evaluate", "--search", "l1=0", "--val-split", "0.2", "--folds", "3")]
    [InlineData(64, "--metric r2 is for regression targets", "--search", "l1=0", "--metric", "r2")]
    [InlineData(64, "has no count; the grid sampler needs one", "--search", "l1=log(1e-4,1e-1)")]
    [InlineData(66, "x-missing.json", "--search-file", "x-missing.json")]
    public void BadInputIsOneLineAndWritesNoModel(int exit, string message, params string[] args)
    {
        string model = _dir.File("m.json");
        string[] line = ["sweep", "--data", Iris, "--target", "species", "--epochs", "2", "--out", model, .. args];
        var r = Cli.Run(line);
        Assert.Equal(exit, r.ExitCode);
        Assert.Contains(message, r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void StudyCommandsOnAStoreWithoutAStudySayHowToStartOne()
    {
        // A missing file is most likely a mistyped path (66, AuditInputTests); an existing store without a study says how to start one.
        var missing = Cli.Run("study", "show", _dir.File("none.db"));
        Assert.Equal(66, missing.ExitCode);
        Assert.Contains("file not found; check the path (a study file is made by 'occam sweep ... --study", missing.Err, StringComparison.Ordinal);
        File.WriteAllBytes(_dir.File("none.db"), []);
        var show = Cli.Run("study", "show", _dir.File("none.db"));
        Assert.Equal(65, show.ExitCode);
        Assert.Contains("holds no study yet; start one with 'occam sweep ... --study", show.Err, StringComparison.Ordinal);
        var worker = Cli.Run("sweep", "worker", "--study", _dir.File("none.db"), "--data", Iris);
        Assert.Equal(65, worker.ExitCode);
        var export = Cli.Run("study", "export", _dir.File("none.db"));
        Assert.Equal(64, export.ExitCode);
        Assert.Contains("--out is required", export.Err, StringComparison.Ordinal);
    }
}
