using System.Diagnostics;
using Occam.Tests;
using static Occam.Cli.Tests.ErrorBoundaryTests;

namespace Occam.Cli.Tests;

/// <summary>Regression tests for the crash, lost-data and silently-wrong defects of issue 11 (each run in-process).</summary>
[Collection("console")]
public class DefectRegressionTests
{
    private const string Csv = "a,b,y\n1,2,0.5\n3,4,1.5\n5,6,2.5\n7,8,3.5\n";

    private static string Model(TempDir dir)
    {
        string data = dir.Write("d.csv", Csv);
        var r = Cli.Run("train", "--data", data, "--target", "y", "--hidden", "4", "--epochs", "2", "--out", dir.File("m.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        return dir.File("m.json");
    }

    private static bool Test(string flag, string path)
    {
        using var p = Process.Start(new ProcessStartInfo("test", [flag, path]))!;
        p.WaitForExit();
        return p.ExitCode == 0;
    }

    // ---- option parsing ----

    [Fact]
    public void OptionWithoutValueAtTheEndIsRejected()
    {
        using var dir = new TempDir();
        string model = Model(dir);
        string cwd = Environment.CurrentDirectory;
        Environment.CurrentDirectory = dir.Path;
        try
        {
            AssertError(Cli.Run("predict", model, "--data", dir.File("d.csv"), "--out"), ExitCodes.Usage, "--out needs a value");
            Assert.False(File.Exists(dir.File("__default_command")));
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
        }
    }

    [Fact]
    public void OptionFollowedByAnotherOptionIsRejected()
    {
        using var dir = new TempDir();
        string model = Model(dir);
        AssertError(Cli.Run("predict", model, "--out", "--json", "--data", dir.File("d.csv")), ExitCodes.Usage, "--out needs a value");
        Assert.False(File.Exists("--json"));
    }

    [Theory]
    [InlineData("--hidden")]
    [InlineData("--lr")]
    [InlineData("--l1")]
    [InlineData("--target")]
    [InlineData("--task")]
    public void EmptyTrainValuesAreErrors(string option)
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", Csv);
        string[] args = ["train", "--data", data, "--target", "y", "--epochs", "2", "--out", dir.File("m.json")];
        AssertError(Cli.Run([.. args, option, ""]), ExitCodes.Usage, $"{option} has an empty value");
        AssertError(Cli.Run([.. args, option + "="]), ExitCodes.Usage, $"{option} has an empty value");
        AssertError(Cli.Run([.. args, option, "  "]), ExitCodes.Usage, $"{option} has an empty value");
        Assert.False(File.Exists(dir.File("m.json")));
    }

    [Fact]
    public void RepeatedOptionIsAnError()
    {
        using var dir = new TempDir();
        string model = Model(dir);
        AssertError(Cli.Run("predict", model, "--data", dir.File("d.csv"), "--out", dir.File("p1.csv"), "--out=" + dir.File("p2.csv")),
            ExitCodes.Usage, "--out is given twice");
        Assert.False(File.Exists(dir.File("p1.csv")) || File.Exists(dir.File("p2.csv")));
    }

    [Fact]
    public void EmptyPolyColumnsIsAnError()
    {
        AssertError(Cli.Run("linear", "fit", "--data", Repo.Data("diabetes.csv"), "--target", "progression", "--alpha", "0.1", "--degree", "2", "--poly-columns", ""),
            ExitCodes.Usage, "--poly-columns has an empty value");
    }

    [Theory]
    [InlineData("--seed", "-1", "whole number >= 0")]
    [InlineData("--seed", "1.5", "whole number >= 0")]
    [InlineData("--epochs", "99999999999", "whole number <= 2147483647")]
    [InlineData("--epochs", "ten", "a whole number")]
    [InlineData("--lr", "fast", "a number")]
    public void ConversionErrorsSayWhatTheValueMustBe(string option, string value, string mention)
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", Csv);
        var r = Cli.Run("train", "--data", data, "--target", "y", "--out", dir.File("m.json"), option, value);
        AssertError(r, ExitCodes.Usage, $"{option} '{value}' is not valid: it must be a");
        Assert.Contains(mention, r.Err);
    }

    [Fact]
    public void ValidationSplitOfOneRowIsAClearError()
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", "a,y\n1,0.5\n");
        var r = Cli.Run("train", "--data", data, "--target", "y", "--epochs", "1", "--val-split", "0.5", "--out", dir.File("m.json"));
        AssertError(r, ExitCodes.Usage, "at least 2 rows");
        Assert.DoesNotContain("cannot be greater", r.Err);
    }

    [Fact]
    public void SynthTooFewRowsIsAUsageError() =>
        AssertError(Cli.Run("synth", "spiral", "--rows", "4", "--classes", "3", "--out", Path.Combine(Path.GetTempPath(), "never.csv")), ExitCodes.Usage, "at least 6 rows");

    // ---- options that were silently ignored ----

    [Fact]
    public void EvalTaskMustMatchTheModel()
    {
        using var dir = new TempDir();
        string model = Model(dir);
        AssertError(Cli.Run("eval", model, "--data", dir.File("d.csv"), "--task", "binary"), ExitCodes.Usage, "--task binary contradicts the model");
        Assert.Equal(0, Cli.Run("eval", model, "--data", dir.File("d.csv"), "--task", "regression").ExitCode);
    }

    [Fact]
    public void InitContradictingOptionsAreErrors()
    {
        using var dir = new TempDir();
        string model = Model(dir);
        string[] args = ["train", "--data", dir.File("d.csv"), "--target", "y", "--epochs", "1", "--init", model, "--out", dir.File("m2.json")];
        AssertError(Cli.Run([.. args, "--task", "binary"]), ExitCodes.Usage, "--task binary contradicts the --init model");
        AssertError(Cli.Run([.. args, "--hidden", "8"]), ExitCodes.Usage, "--hidden 8 but the --init model");
        AssertError(Cli.Run([.. args, "--activation", "tanh"]), ExitCodes.Usage, "--activation tanh but the --init model");
        AssertError(Cli.Run([.. args, "--dropout", "0.5"]), ExitCodes.Usage, "--dropout 0.5 but the --init model");
        AssertError(Cli.Run([.. args, "--no-standardize"]), ExitCodes.Usage, "--no-standardize but the --init model");
        Assert.False(File.Exists(dir.File("m2.json")));
        var same = Cli.Run([.. args, "--hidden", "4", "--task", "regression", "--activation", "relu"]);
        Assert.True(same.ExitCode == 0, same.Err);
    }

    [Fact]
    public void TaskAndTargetDoNotApplyToIdxData()
    {
        using var dir = new TempDir();
        string images = dir.File("i.idx"), labels = dir.File("l.idx");
        File.WriteAllBytes(images, [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 1, 2, 3, 4]);
        File.WriteAllBytes(labels, [0, 0, 8, 1, 0, 0, 0, 2, 0, 1]);
        string[] args = ["train", "--data", images, "--labels", labels, "--epochs", "1", "--out", dir.File("m.json")];
        AssertError(Cli.Run([.. args, "--task", "regression"]), ExitCodes.Usage, "--task regression does not apply to IDX data");
        AssertError(Cli.Run([.. args, "--target", "y"]), ExitCodes.Usage, "--target does not apply to IDX data");
        var ok = Cli.Run([.. args, "--task", "multiclass"]);
        Assert.True(ok.ExitCode == 0, ok.Err);
    }

    // ---- sizes ----

    [Theory]
    [InlineData("100000000", "32", "dense layer 2's packed matrix block (100000000 inputs × 32)")]
    [InlineData("100000,100000", "32", "dense layer 2 (100000 inputs × 100000 units)")]
    public void HugeNetworksAreRefusedUpFront(string hidden, string batch, string mention)
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", Csv);
        var r = Cli.Run("train", "--data", data, "--target", "y", "--hidden", hidden, "--batch-size", batch, "--out", dir.File("m.json"));
        AssertError(r, ExitCodes.Usage, mention);
        Assert.False(File.Exists(dir.File("m.json")));
    }

    [Fact]
    public void BatchTimesHiddenOverTwoToThe31IsRefused()
    {
        using var dir = new TempDir();
        Assert.Equal(0, Cli.Run("synth", "xor", "--rows", "40000", "--out", dir.File("x.csv")).ExitCode);
        var r = Cli.Run("train", "--data", dir.File("x.csv"), "--target", "y", "--hidden", "60000", "--batch-size", "40000", "--out", dir.File("m.json"));
        AssertError(r, ExitCodes.Usage, "a batch of 40000 rows × 60000 units");
    }

    [Fact]
    public void SynthTwoBillionRowsIsRefused()
    {
        using var dir = new TempDir();
        AssertError(Cli.Run("synth", "xor", "--rows", "2000000000", "--out", dir.File("x.csv")), ExitCodes.Usage, "2000000000 rows × 2 features");
        Assert.False(File.Exists(dir.File("x.csv")));
    }

    // ---- output files ----

    [Fact]
    public void DevNullIsNotReplaced()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/dev/null")) return;
        using var dir = new TempDir();
        string model = Model(dir);
        AssertError(Cli.Run("predict", model, "--data", dir.File("d.csv"), "--out", "/dev/null"), ExitCodes.Output, "character device");
        Assert.True(Test("-c", "/dev/null"));
    }

    [Fact]
    public void FifoIsNotReplaced()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDir();
        using (var p = Process.Start("mkfifo", dir.File("pipe"))) p.WaitForExit();
        AssertError(Cli.Run("synth", "xor", "--out", dir.File("pipe")), ExitCodes.Output, "FIFO");
        Assert.True(Test("-p", dir.File("pipe")));
    }

    [Fact]
    public void SymlinkIsWrittenThrough()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("target.csv"), "old");
        File.CreateSymbolicLink(dir.File("link.csv"), dir.File("target.csv"));
        Assert.Equal(0, Cli.Run("synth", "xor", "--rows", "10", "--out", dir.File("link.csv")).ExitCode);
        Assert.StartsWith("x1,x2,y", File.ReadAllText(dir.File("target.csv")));
        Assert.NotNull(new FileInfo(dir.File("link.csv")).LinkTarget);
    }

    [Fact]
    public void ReadOnlyFileIsNotReplaced()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDir();
        string model = Model(dir);
        File.WriteAllText(dir.File("ro.csv"), "keep");
        File.SetUnixFileMode(dir.File("ro.csv"), UnixFileMode.UserRead);
        AssertError(Cli.Run("predict", model, "--data", dir.File("d.csv"), "--out", dir.File("ro.csv")), ExitCodes.Output, "read-only");
        Assert.Equal("keep", File.ReadAllText(dir.File("ro.csv")));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void OutputFolderIsCheckedBeforeTraining()
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", Csv);
        var r = Cli.Run("train", "--data", data, "--target", "y", "--epochs", "100000", "--out", dir.File("missing/m.json"));
        AssertError(r, ExitCodes.Output, "does not exist");
    }

    [Fact]
    public void LinearCvWritesAllOutputsOrNone()
    {
        using var dir = new TempDir();
        string[] args = ["linear", "cv", "--data", Repo.Data("diabetes.csv"), "--target", "progression", "--folds", "3", "--n-alphas", "5"];
        AssertError(Cli.Run([.. args, "--out", dir.File("cv.json"), "--model-out", dir.File("missing/m.json")]), ExitCodes.Output, "missing");
        Assert.False(File.Exists(dir.File("cv.json")), "cv.json must not be written when the model cannot be");
        AssertError(Cli.Run([.. args, "--out", dir.File("same.json"), "--model-out", dir.File("same.json")]), ExitCodes.Output, "same file");
        var ok = Cli.Run([.. args, "--out", dir.File("cv.json"), "--model-out", dir.File("m.json")]);
        Assert.True(ok.ExitCode is 0 or 2, ok.Err);
        Assert.True(File.Exists(dir.File("cv.json")) && File.Exists(dir.File("m.json")));
    }

    [Fact]
    public void OutputOverAnInputIsRefused()
    {
        using var dir = new TempDir();
        string model = Model(dir);
        string data = dir.File("d.csv");
        AssertError(Cli.Run("predict", model, "--data", data, "--out", data), ExitCodes.Output, "is also an input");
        AssertError(Cli.Run("predict", model, "--data", data, "--out", model), ExitCodes.Output, "is also an input");
        AssertError(Cli.Run("train", "--data", data, "--target", "y", "--epochs", "1", "--out", data), ExitCodes.Output, "is also an input");
        string modelText = File.ReadAllText(model);
        AssertError(Cli.Run("export", model, "--out", model), ExitCodes.Output, "is also an input");
        Assert.Equal(modelText, File.ReadAllText(model));
        Assert.Equal(Csv, File.ReadAllText(data));
        // Continuing training in place is allowed: the model is read before it is replaced.
        var again = Cli.Run("train", "--data", data, "--target", "y", "--epochs", "1", "--init", model, "--out", model);
        Assert.True(again.ExitCode == 0, again.Err);
    }

    [Theory]
    [InlineData("--hidden", "0", "not a positive integer")]
    [InlineData("--l1", "1,2,3", "--l1 has 3 values but the network has 2 dense layers")]
    [InlineData("--l2", "x", "is not a number")]
    public void BadListValuesAreUsageErrors(string option, string value, string mention)
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", Csv);
        AssertError(Cli.Run("train", "--data", data, "--target", "y", option, value, "--out", dir.File("m.json")), ExitCodes.Usage, mention);
    }

    [Fact]
    public void NesterovWithoutMomentumIsAUsageError()
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", Csv);
        AssertError(Cli.Run("train", "--data", data, "--target", "y", "--optimizer", "nesterov", "--momentum", "0", "--out", dir.File("m.json")),
            ExitCodes.Usage, "--optimizer nesterov needs --momentum > 0");
    }

    [Fact]
    public void DemoOutputThatIsAFileIsAnError()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("f"), "x");
        AssertError(Cli.Run("demo", "--out", dir.File("f"), "--epochs", "1"), ExitCodes.Output, "is a file, not a folder");
    }
}
