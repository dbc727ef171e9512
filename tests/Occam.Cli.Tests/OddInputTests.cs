namespace Occam.Cli.Tests;

/// <summary>
/// Issue 11, odd input found by trying the tool: each case once gave a wrong result with exit 0, a leaked .NET
/// message or a hint that could not work. Every failure is one line naming the problem and a fix.
/// </summary>
[Collection("console")]
public class OddInputTests
{
    private const string Small = "a,b,y\n0,2,0\n0.1,4,1\n0,6,0\n0.1,8,1\n0,3,0\n0.1,5,1\n";

    private static string AssertFails(Cli.Result r, string mustMention, string? outFile = null)
    {
        Assert.NotEqual(0, r.ExitCode);
        string err = r.Err.Trim();
        Assert.StartsWith("error:", err);
        Assert.DoesNotContain("\n", err);
        Assert.DoesNotContain("   at ", r.Err + r.Out);
        Assert.Contains(mustMention, err, StringComparison.Ordinal);
        if (outFile is not null) Assert.False(File.Exists(outFile), "no output file may be written");
        return err;
    }

    private static string TrainSmall(TempDir dir)
    {
        string data = dir.Write("train.csv", Small);
        string model = dir.File("m.json");
        var r = Cli.Run("train", "--data", data, "--target", "y", "--hidden", "4", "--epochs", "3", "--seed", "1", "--out", model);
        Assert.True(r.ExitCode == 0, r.Err);
        return model;
    }

    // ---- 1. values beyond float32 -----------------------------------------------------------

    [Fact]
    public void CellBeyondFloat32IsRefusedByTrainPredictAndEval()
    {
        using var dir = new TempDir();
        string model = TrainSmall(dir);
        string big = dir.Write("big.csv", "a,b,y\n1e39,2,0\n0,4,1\n");
        AssertFails(Cli.Run("predict", model, "--data", big, "--out", dir.File("p.csv")), "line 2, column 'a': '1e39' is outside the float32 range (±3.4028235E+38)", dir.File("p.csv"));
        AssertFails(Cli.Run("eval", model, "--data", big), "line 2, column 'a'");
        AssertFails(Cli.Run("train", "--data", big, "--target", "y", "--out", dir.File("m2.json")), "float32 range", dir.File("m2.json"));
    }

    [Fact]
    public void ValueThatOverflowsAfterStandardizingIsAnErrorNotNaN()
    {
        // Column a has scale 0.05 in training: 3e38 / 0.05 overflows float32 although the cell itself fits.
        using var dir = new TempDir();
        string model = TrainSmall(dir);
        string far = dir.Write("far.csv", "a,b,y\n0,2,0\n3e38,4,1\n");
        AssertFails(Cli.Run("predict", model, "--data", far, "--out", dir.File("p.csv")), "row 2, input 'a'", dir.File("p.csv"));
        AssertFails(Cli.Run("eval", model, "--data", far), "row 2, input 'a'");
    }
}
