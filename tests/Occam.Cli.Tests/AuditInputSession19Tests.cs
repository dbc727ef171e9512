using System.Buffers.Binary;
using System.Text;

namespace Occam.Cli.Tests;

/// <summary>
/// Session 19's audit: counts that would run out of memory or for hours (<c>--seeds</c>, <c>--jobs</c>), a key given twice
/// in a JSON file Occam reads (the last one used to win without a word), and messages that said "1 predictions".
/// </summary>
public partial class AuditInputTests
{
    [Theory]
    [InlineData("experiment", "xor-width")]
    [InlineData("report", null)]
    public void AHugeSeedCountIsRefusedWithTheBound(string command, string? name)
    {
        Assert.Equal(100_000, Occam.Experiments.ExperimentOptions.MaxSeeds); // first: with a larger bound the runs below would take hours
        using var dir = new TempDir();
        string[] head = name is null ? [command] : [command, name];
        foreach (string seeds in new[] { "2000000000", "100001" })
            AssertFails(Cli.Run([.. head, "--seeds", seeds, "--out", dir.File("out")]), ExitCodes.Usage,
                $"--seeds {seeds} is more than 100000: each seed's results are kept for the statistics", dir.File("out"));
        Assert.False(Directory.Exists(dir.File("out")));

        // The library refuses it too (the CLI only says so first).
        var experiment = Occam.Experiments.ExperimentRegistry.All[0];
        var e = Assert.Throws<OccamException>(() => experiment.Run(new Occam.Experiments.ExperimentOptions { Seeds = 100_001 }));
        Assert.Equal(OccamErrorKind.Usage, e.Kind);
    }

    [Fact]
    public void AHugeJobCountIsRefusedWithTheBound()
    {
        Assert.Equal(1024, Occam.Selection.SweepRunOptions.MaxJobs);
        using var dir = new TempDir();
        string data = dir.Write("d.csv", Small);
        string study = dir.File("s.db");
        AssertFails(Cli.Run("sweep", "--data", data, "--target", "y", "--search", "l1=0,0.1", "--folds", "2", "--jobs", "1000000", "--study", study, "--out", dir.File("m.json")),
            ExitCodes.Usage, "--jobs 1000000 is more than 1024: each job is a thread running one trial", dir.File("m.json"), study);
        AssertFails(Cli.Run("sweep", "worker", "--study", study, "--data", data, "--jobs", "1025"),
            ExitCodes.Usage, "--jobs 1025 is more than 1024", study);

        // The library refuses it before it opens the study.
        var sweep = new Occam.Selection.Sweep { Space = Occam.Selection.SearchSpace.Parse("l1=0,0.1") };
        var set = Occam.Data.CsvLoader.Load(data, "y");
        var e = Assert.Throws<OccamException>(() => Occam.Selection.SweepRunner.Run(Occam.Studies.StudyStores.Open(study), sweep, set,
            new Occam.Selection.SweepRunOptions { Jobs = Occam.Selection.SweepRunOptions.MaxJobs + 1 }));
        Assert.Contains("--jobs 1025 is more than 1024", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(study));
    }

    [Fact]
    public void AModelFileWithAKeyGivenTwiceIsRefusedNamingTheFileAndTheKey()
    {
        using var dir = new TempDir();
        string model = TrainSmall(dir);
        string data = dir.File("train.csv");
        string text = File.ReadAllText(model);

        // Top level: a second "inputs" (the last used to win); written as an escape it is the same key.
        string top = dir.Write("top.json", text.Replace("\"task\":", "\"inputs\":2,\"task\":", StringComparison.Ordinal));
        AssertFails(Cli.Run("predict", top, "--data", data, "--out", dir.File("p.csv")), ExitCodes.Data,
            "top.json: $ has the key \"inputs\" twice (line 1); a key may appear once in an object", dir.File("p.csv"));
        string escaped = dir.Write("escaped.json", text.Replace("\"task\":", "\"\\u0069nputs\":2,\"task\":", StringComparison.Ordinal));
        AssertFails(Cli.Run("inspect", escaped), ExitCodes.Data, "escaped.json: $ has the key \"inputs\" twice");

        // Nested, on another line: the path names the object.
        int bias = text.IndexOf("\"bias\":", StringComparison.Ordinal);
        string nested = dir.Write("nested.json", text[..bias] + "\"bias\":[0,0,0,0],\n" + text[bias..]);
        AssertFails(Cli.Run("eval", nested, "--data", data), ExitCodes.Data, "nested.json: $.layers[0] has the key \"bias\" twice (lines 1 and 2)");
        string twoLines = dir.Write("lines.json", text.Replace("{\"format\":", "{\"target\":\"y\",\n\"format\":", StringComparison.Ordinal));
        AssertFails(Cli.Run("prune", twoLines, "--out", dir.File("pr.json")), ExitCodes.Data, "$ has the key \"target\" twice (lines 1 and 2)", dir.File("pr.json"));

        // A linear model.
        string linear = dir.File("lin.json");
        var fit = Cli.Run("linear", "fit", "--data", data, "--target", "y", "--alpha", "0.01", "--out", linear);
        Assert.True(fit.ExitCode is 0 or 2, fit.Err);
        string linearText = File.ReadAllText(linear);
        string dupLinear = dir.Write("duplin.json", "{\"alpha\":1," + linearText.TrimStart()[1..]);
        AssertFails(Cli.Run("predict", dupLinear, "--data", data, "--out", dir.File("p.csv")), ExitCodes.Data,
            "duplin.json: $ has the key \"alpha\" twice", dir.File("p.csv"));

        // The same keys in different objects are fine, and the model is unchanged by the check.
        Assert.Equal(0, Cli.Run("predict", model, "--data", data, "--out", dir.File("p.csv")).ExitCode);
    }

    [Fact]
    public void OtherJsonFilesOccamReadsRefuseAKeyGivenTwice()
    {
        using var dir = new TempDir();
        string model = TrainSmall(dir);
        string data = dir.File("train.csv");

        // The path file (occam-mlp-path/1), read by path --from.
        string pathFile = dir.File("p.json");
        var path = Cli.Run("path", "--data", data, "--target", "y", "--hidden", "2", "--epochs", "1", "--n-lambdas", "2", "--val-split", "0.3",
            "--path-out", pathFile, "--out", dir.File("pm.json"));
        Assert.True(path.ExitCode == 0, path.Err);
        string dupPath = dir.Write("duppath.json", "{\"task\":\"binary\"," + File.ReadAllText(pathFile).TrimStart()[1..]);
        var e = Assert.Throws<OccamException>(() => Occam.Selection.NetworkPathResult.Load(dupPath));
        Assert.Contains("duppath.json: $ has the key \"task\" twice", e.Message, StringComparison.Ordinal);

        // The safetensors sidecar and header (occam import).
        string st = dir.File("m.safetensors");
        Assert.Equal(0, Cli.Run("export", model, "--format", "safetensors", "--out", st).ExitCode);
        string sidecar = st + ".json";
        Assert.True(File.Exists(sidecar));
        string sidecarText = File.ReadAllText(sidecar);
        File.WriteAllText(sidecar, "{\"task\":\"regression\"," + sidecarText.TrimStart()[1..]);
        AssertFails(Cli.Run("import", st, "--out", dir.File("i.json")), ExitCodes.Data, "m.safetensors.json: $ has the key \"task\" twice", dir.File("i.json"));
        File.WriteAllText(sidecar, sidecarText);
        Assert.Equal(0, Cli.Run("import", st, "--out", dir.File("i.json")).ExitCode);
        File.Delete(dir.File("i.json"));
        byte[] bytes = File.ReadAllBytes(st);
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        string header = Encoding.UTF8.GetString(bytes, 8, n);
        int dtype = header.IndexOf("\"dtype\":", StringComparison.Ordinal);
        string twice = header[..dtype] + "\"dtype\":\"F64\"," + header[dtype..];
        byte[] newHeader = Encoding.UTF8.GetBytes(twice);
        var rewritten = new byte[8 + newHeader.Length + bytes.Length - 8 - n];
        BinaryPrimitives.WriteUInt64LittleEndian(rewritten, (ulong)newHeader.Length);
        newHeader.CopyTo(rewritten, 8);
        bytes.AsSpan(8 + n).CopyTo(rewritten.AsSpan(8 + newHeader.Length));
        File.WriteAllBytes(st, rewritten);
        AssertFails(Cli.Run("import", st, "--out", dir.File("i.json")), ExitCodes.Data, "m.safetensors: 'dtype' appears twice in $[\"0.weight\"] of the header", dir.File("i.json"));

        // A --search-file (a usage error: the user wrote it), nested.
        string space = dir.Write("space.json", "{\"l1\": {\"log\": [1e-5, 0.1, 3],\n \"log\": [1e-3, 1, 3]}}");
        AssertFails(Cli.Run("sweep", "--data", data, "--target", "y", "--search-file", space, "--folds", "2", "--out", dir.File("m2.json")),
            ExitCodes.Usage, "space.json: $.l1 has the key \"log\" twice (lines 1 and 2)", dir.File("m2.json"));

        // The study's JSON (settings, metrics, recipe, definition) and an experiment's result.json.
        var settings = Assert.Throws<OccamException>(() => Occam.Selection.TrialSettings.FromJson("{\"l1\":0.1,\"l1\":0.2}"));
        Assert.Contains("not valid", settings.Message, StringComparison.Ordinal);
        Assert.Equal("{\"l1\":0.1}", Occam.Selection.TrialSettings.FromJson("{\"l1\":0.1}").ToJson());
        var result = Assert.Throws<OccamException>(() => Occam.Experiments.ResultFile.FromJson("{\"format\":\"a\",\"format\":\"b\"}", "r.json"));
        Assert.Contains("r.json: not an occam-experiment/1 result file", result.Message, StringComparison.Ordinal);
        Assert.Contains("format", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExperimentOutThatIsAFileIsRefusedBeforeTheRun()
    {
        // The run (hours in the full profile) used to come first, then "cannot create the folder".
        using var dir = new TempDir();
        string file = dir.Write("out", "not a folder");
        string err = AssertFails(Cli.Run("experiment", "xor-width", "--quick", "--seeds", "1", "--out", file), ExitCodes.Output, "--out " + file + " is a file");
        Assert.DoesNotContain("solved", err, StringComparison.Ordinal);
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Fact]
    public void InspectShowsAMulticlassLinearModel()
    {
        // It failed with "a multiclass model has one intercept per class; use ClassIntercepts." (exit 65).
        using var dir = new TempDir();
        string data = dir.Write("m.csv", "a,b,y\n0,2,x\n0.1,4,y\n0,6,z\n0.1,8,x\n0.2,1,y\n0.3,3,z\n");
        string model = dir.File("l.json");
        var fit = Cli.Run("linear", "fit", "--data", data, "--target", "y", "--alpha", "0.01", "--out", model);
        Assert.True(fit.ExitCode is 0 or 2, fit.Err);
        var r = Cli.Run("inspect", model);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("multiclass linear model", r.Out, StringComparison.Ordinal);
        Assert.Contains("(intercept)", r.Out, StringComparison.Ordinal);
        Assert.Contains("of 6 coefficients non-zero", r.Out, StringComparison.Ordinal);
        Assert.Contains("classes: x, y, z", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void CountsOfOneAreSingular()
    {
        Assert.Equal("1 prediction", Counted.Of(1, "prediction"));
        Assert.Equal("0 predictions", Counted.Of(0, "prediction"));
        Assert.Equal("2 classes", Counted.Of(2, "class", "classes"));
        Assert.Equal("1 class", Counted.Of(1, "class", "classes"));

        using var dir = new TempDir();
        string model = TrainSmall(dir);
        string one = dir.Write("one.csv", "a,b,y\n0,2,0\n");
        var predict = Cli.Run("predict", model, "--data", one, "--out", dir.File("p.csv"));
        Assert.True(predict.ExitCode == 0, predict.Err);
        Assert.Contains("1 prediction written to", predict.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("predictions", predict.Out, StringComparison.Ordinal);

        string oneLabel = dir.Write("label.csv", "a,b,y\n0,2,x\n1,3,x\n");
        string err = AssertFails(Cli.Run("train", "--data", oneLabel, "--target", "y", "--task", "binary", "--out", dir.File("m2.json")),
            ExitCodes.Data, "target column 'y' has 1 distinct label ('x')", dir.File("m2.json"));

        string regression = dir.Write("r.csv", "a,b,y\n0,2,1.5\n1,3,2.5\n2,1,0.5\n");
        var train = Cli.Run("train", "--data", regression, "--target", "y", "--hidden", "2", "--epochs", "1", "--out", dir.File("r.json"));
        Assert.True(train.ExitCode == 0, train.Err);
        string inspect = Cli.Run("inspect", dir.File("r.json")).Out;
        Assert.Contains("2 inputs (standardized), 1 output", inspect, StringComparison.Ordinal);
        Assert.DoesNotContain("1 outputs", inspect, StringComparison.Ordinal);

        string oneRow = dir.Write("row.csv", "a,b,y\n1,2,3\n");
        AssertFails(Cli.Run("linear", "cv", "--data", oneRow, "--target", "y", "--folds", "2", "--out", dir.File("cv.json")),
            ExitCodes.Data, "row.csv has 1 row; cross-validation needs at least 2 rows", dir.File("cv.json"));
        AssertFails(Cli.Run("predict", model, "--data", dir.Write("cells.csv", "a,b,y\n1\n"), "--out", dir.File("p2.csv")),
            ExitCodes.Data, "line 2: 1 cell but the header has 3", dir.File("p2.csv"));
        _ = err;

        var oneSweep = Cli.Run("linear", "fit", "--data", regression, "--target", "y", "--alpha", "100", "--out", dir.File("l.json"));
        Assert.True(oneSweep.ExitCode == 0, oneSweep.Err);
        Assert.Contains(" 1 sweep, gap", oneSweep.Out, StringComparison.Ordinal);
    }
}
