namespace Occam.Cli.Tests;

/// <summary>
/// Session 18's audit of odd and bad input, command by command: each case once did something other than docs/cli.md
/// says (a documented default refused, an option silently ignored, a missing file read as an empty study, work done
/// before an output was refused, a truncated file reported in parser jargon). Every failure is one line, the right
/// exit code, and no output file.
/// </summary>
[Collection("console")]
public partial class AuditInputTests
{
    private const string Small = "a,b,y\n0,2,0\n0.1,4,1\n0,6,0\n0.1,8,1\n0,3,0\n0.1,5,1\n";

    private static string AssertFails(Cli.Result r, int exitCode, string mustMention, params string[] noFiles)
    {
        Assert.True(r.ExitCode == exitCode, $"exit {r.ExitCode}, expected {exitCode}: {r.Err}");
        string err = r.Err.Trim();
        Assert.StartsWith("error:", err);
        Assert.DoesNotContain("\n", err);
        Assert.DoesNotContain("   at ", r.Err + r.Out);
        Assert.Contains(mustMention, err, StringComparison.Ordinal);
        foreach (string file in noFiles) Assert.False(File.Exists(file), $"{file} must not be written");
        return err;
    }

    private static string TrainSmall(TempDir dir, string name = "m.json")
    {
        string data = dir.Write("train.csv", Small);
        string model = dir.File(name);
        var r = Cli.Run("train", "--data", data, "--target", "y", "--hidden", "4", "--epochs", "2", "--seed", "1", "--out", model);
        Assert.True(r.ExitCode == 0, r.Err);
        return model;
    }

    [Fact]
    public void TrainInitTakesTheModelsTargetColumnWhenTargetIsLeftOut()
    {
        using var dir = new TempDir();
        string model = TrainSmall(dir);
        string next = dir.File("next.json");
        var r = Cli.Run("train", "--data", dir.File("train.csv"), "--init", model, "--epochs", "1", "--out", next);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal("y", Occam.Serialization.MlpJson.Load(next).TargetName);

        string unnamed = dir.Write("unnamed.json", File.ReadAllText(model).Replace(",\"target\":\"y\"", "", StringComparison.Ordinal));
        Assert.Null(Occam.Serialization.MlpJson.Load(unnamed).TargetName);
        AssertFails(Cli.Run("train", "--data", dir.File("train.csv"), "--init", unnamed, "--out", dir.File("n.json")),
            ExitCodes.Usage, "--target is required: the --init model", dir.File("n.json"));
    }

    [Fact]
    public void GroupLassoWithoutAHiddenLayerIsAnError()
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", Small);
        AssertFails(Cli.Run("train", "--data", data, "--target", "y", "--hidden", "none", "--group-lasso", "0.1", "--out", dir.File("m.json")),
            ExitCodes.Usage, "--group-lasso removes hidden units", dir.File("m.json"));
        var zero = Cli.Run("train", "--data", data, "--target", "y", "--hidden", "none", "--group-lasso", "0", "--epochs", "1", "--out", dir.File("z.json"));
        Assert.True(zero.ExitCode == 0, zero.Err);
    }

    [Fact]
    public void PathL1RatioWithoutElasticNetIsAnError()
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", Small);
        AssertFails(Cli.Run("path", "--data", data, "--target", "y", "--val-split", "0.3", "--l1-ratio", "0.3", "--out", dir.File("m.json")),
            ExitCodes.Usage, "--l1-ratio is the elastic-net mix, but the path's penalty is l1", dir.File("m.json"));
    }

    [Fact]
    public void PathPlotsThatIsAFileIsRefusedBeforeAnythingIsWritten()
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", Small);
        string plots = dir.Write("plots", "not a folder");
        AssertFails(Cli.Run("path", "--data", data, "--target", "y", "--hidden", "2", "--epochs", "1", "--n-lambdas", "2", "--val-split", "0.3",
            "--plots", plots, "--out", dir.File("m.json"), "--path-out", dir.File("p.json")),
            ExitCodes.Output, "--plots " + plots + " is a file", dir.File("m.json"), dir.File("p.json"));
        Assert.Equal("not a folder", File.ReadAllText(plots));
    }

    [Theory]
    [InlineData("--trials", "5", "--trials is for --sampler random and halving")]
    [InlineData("--eta", "4", "--eta is for --sampler halving (the sampler is grid)")]
    [InlineData("--l1", "0.1", "--l1 is searched (--search l1=…)")]
    public void SweepOptionsThatWouldBeIgnoredAreErrors(string option, string value, string message)
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", Small);
        AssertFails(Cli.Run("sweep", "--data", data, "--target", "y", "--search", "l1=0,0.1", "--folds", "2", option, value, "--out", dir.File("m.json")),
            ExitCodes.Usage, message, dir.File("m.json"));
    }

    [Fact]
    public void AMissingStudyFileIsNotFoundForEveryCommandThatReadsOne()
    {
        using var dir = new TempDir();
        string study = dir.File("typo.db");
        AssertFails(Cli.Run("study", "show", study), ExitCodes.InputMissing, study + ": file not found", study);
        AssertFails(Cli.Run("study", "export", study, "--out", dir.File("t.csv")), ExitCodes.InputMissing, "file not found", study, dir.File("t.csv"));
        string data = dir.Write("d.csv", Small);
        AssertFails(Cli.Run("sweep", "worker", "--study", study, "--data", data), ExitCodes.InputMissing, "file not found", study);
    }

    [Fact]
    public void LinearCvSeedWithoutShuffleIsAnError()
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", "a,b,y\n1,2,3\n2,1,4\n3,5,2\n4,4,6\n5,3,5\n6,7,8\n");
        AssertFails(Cli.Run("linear", "cv", "--data", data, "--target", "y", "--folds", "2", "--seed", "3", "--out", dir.File("cv.json")),
            ExitCodes.Usage, "--seed seeds --shuffle", dir.File("cv.json"));
        var shuffled = Cli.Run("linear", "cv", "--data", data, "--target", "y", "--folds", "2", "--seed", "3", "--shuffle", "--out", dir.File("cv.json"));
        Assert.True(shuffled.ExitCode == 0, shuffled.Err);
        string help = System.Text.RegularExpressions.Regex.Replace(Cli.Run("linear", "cv", "--help").Out, @"\s+", " ");
        Assert.Contains("Stratified folds (binary and multiclass targets)", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xor", "--classes", "--classes does not apply to 'xor' (only to spiral and blobs)")]
    [InlineData("circles", "--features", "--features does not apply to 'circles' (only to blobs)")]
    [InlineData("blobs", "--degree", "--degree does not apply to 'blobs' (only to polynomial)")]
    public void SynthOptionsForOtherKindsAreErrors(string kind, string option, string message)
    {
        using var dir = new TempDir();
        AssertFails(Cli.Run("synth", kind, option, "4", "--out", dir.File("s.csv")), ExitCodes.Usage, message, dir.File("s.csv"));
    }

    [Fact]
    public void ImportTaskThatContradictsTheSidecarIsAnError()
    {
        using var dir = new TempDir();
        string model = TrainSmall(dir);
        string st = dir.File("m.safetensors");
        var export = Cli.Run("export", model, "--format", "safetensors", "--out", st);
        Assert.True(export.ExitCode == 0, export.Err);
        AssertFails(Cli.Run("import", st, "--task", "regression", "--out", dir.File("i.json")),
            ExitCodes.Usage, "--task regression contradicts the sidecar", dir.File("i.json"));
        AssertFails(Cli.Run("import", st, "--arch", "4-relu-1", "--out", dir.File("i.json")),
            ExitCodes.Usage, "the task is unknown without a sidecar", dir.File("i.json"));
        var same = Cli.Run("import", st, "--task", "binary", "--out", dir.File("i.json"));
        Assert.True(same.ExitCode == 0, same.Err);
    }

    [Fact]
    public void ReportResultsThatIsAFileIsRefusedBeforeAnyExperimentRuns()
    {
        using var dir = new TempDir();
        string results = dir.Write("results", "x");
        var err = AssertFails(Cli.Run("report", "--quick", "--results", results, "--out", dir.File("r.html")),
            ExitCodes.Output, "--results " + results + " is a file", dir.File("r.html"));
        Assert.DoesNotContain("running", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "train", "--foo", "3" }, "unknown option '--foo' for 'occam train'; 'occam train --help' lists the options.")]
    [InlineData(new[] { "linear", "cv", "--alpha=1" }, "unknown option '--alpha' for 'occam linear cv'; 'occam linear cv --help' lists the options.")]
    [InlineData(new[] { "study", "show", "s.db", "-x" }, "unknown option '-x' for 'occam study show'; 'occam study show --help' lists the options.")]
    [InlineData(new[] { "train", "extra" }, "unknown command 'extra' after 'occam train'; 'occam train --help' lists what it takes.")]
    [InlineData(new[] { "linear", "fitt" }, "unknown command 'fitt' after 'occam linear'; 'occam linear --help' lists what it takes.")]
    [InlineData(new[] { "--foo" }, "unknown option '--foo'; 'occam --help' lists the options and commands.")]
    [InlineData(new[] { "inspect", "m.json", "extra" }, "unexpected argument 'extra' for 'occam inspect'; 'occam inspect --help' lists what it takes (a value that starts with -- is written --option=--value).")]
    public void UnknownOptionsAndCommandsSayWhereToLook(string[] args, string message)
    {
        var r = Cli.Run(args);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Equal("error: " + message, r.Err.Trim());
    }

    [Fact]
    public void ALinearPathTooLargeToHoldIsRefusedBeforeAnyFit()
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", "a,b,y\n1,2,3\n2,1,4\n3,5,2\n4,4,6\n5,3,5\n6,7,8\n");
        AssertFails(Cli.Run("linear", "path", "--data", data, "--target", "y", "--n-alphas", "2000000000", "--out", dir.File("p.json")),
            ExitCodes.Usage, "--n-alphas 2000000000 with 3 coefficients per α would hold 6,000,000,000 numbers, more than the 16,777,216 a path may hold (about 1 GiB of memory); use at most 5592405 α values", dir.File("p.json"));
        AssertFails(Cli.Run("linear", "cv", "--data", data, "--target", "y", "--folds", "2", "--n-alphas", "10000000", "--degree", "3", "--out", dir.File("cv.json")),
            ExitCodes.Usage, "with 7 coefficients per α", dir.File("cv.json"));
    }

    [Fact]
    public void HugeGridsAndPathsAreRefusedBeforeAnyWork()
    {
        // The grid's repeated values were once dropped in quadratic time: two 10^5-value ranges never reached the size check.
        using var dir = new TempDir();
        string data = dir.Write("d.csv", Small);
        AssertFails(Cli.Run("sweep", "--data", data, "--target", "y", "--search", "l1=log(1e-3,1,100000);l2=log(1e-3,1,100000)", "--out", dir.File("m.json")),
            ExitCodes.Usage, "the grid has 10000000000 points, more than 100000", dir.File("m.json"));
        AssertFails(Cli.Run("path", "--data", data, "--target", "y", "--val-split", "0.3", "--n-lambdas", "2000000000", "--out", dir.File("m.json")),
            ExitCodes.Usage, "--n-lambdas must be at most 100000 (got 2000000000)", dir.File("m.json"));
        string linear = dir.Write("l.csv", "a,b,y\n1,2,3\n2,1,4\n3,5,2\n4,4,6\n");
        AssertFails(Cli.Run("linear", "fit", "--data", linear, "--target", "y", "--alpha", "0.1", "--degree", "2000000000", "--out", dir.File("l.json")),
            ExitCodes.Usage, "degree 2000000000 over 2 column(s) gives 4000000000 columns", dir.File("l.json"));
        var options = new Occam.Selection.NetworkPathOptions { Count = 100_001 };
        Assert.Contains("is more than 100000", Assert.Throws<OccamException>(options.Validate).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedModelFileIsNamedAsCutShort()
    {
        using var dir = new TempDir();
        string model = TrainSmall(dir);
        string text = File.ReadAllText(model);
        string data = dir.File("train.csv");
        foreach (int length in new[] { 1, 30, text.Length / 2, text.Length - 3 })
        {
            string cut = dir.Write("cut.json", text[..length]);
            AssertFails(Cli.Run("predict", cut, "--data", data, "--out", dir.File("p.csv")), ExitCodes.Data, "cut.json: not valid JSON: the file ends in the middle of the document", dir.File("p.csv"));
        }
        string linear = dir.File("lin.json");
        var fit = Cli.Run("linear", "fit", "--data", data, "--target", "y", "--alpha", "0.01", "--out", linear);
        Assert.True(fit.ExitCode is 0 or 2, fit.Err);
        string cutLinear = dir.Write("cutlin.json", File.ReadAllText(linear)[..40]);
        AssertFails(Cli.Run("eval", cutLinear, "--data", data), ExitCodes.Data, "cut short");
        string csv = dir.Write("notjson.json", "a,b\n1,2\n");
        AssertFails(Cli.Run("inspect", csv), ExitCodes.Data, "notjson.json: not valid JSON at line 1, byte 1");
    }
}
