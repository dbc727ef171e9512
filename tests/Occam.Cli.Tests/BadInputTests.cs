namespace Occam.Cli.Tests;

/// <summary>
/// Bad input never crashes: a one-line error on standard error that names the problem, a non-zero exit code,
/// no stack trace, and no output file.
/// </summary>
[Collection("console")]
public class BadInputTests
{
    private const string Good = "a,b,y\n1,2,0.5\n3,4,1.5\n5,6,2.5\n7,8,3.5\n";

    private static void AssertFails(Cli.Result r, string mustMention, string? outFile)
    {
        Assert.NotEqual(0, r.ExitCode);
        string err = r.Err.Trim();
        Assert.StartsWith("error:", err);
        Assert.DoesNotContain("\n", err);
        Assert.DoesNotContain("   at ", r.Err + r.Out);
        Assert.Contains(mustMention, err, StringComparison.OrdinalIgnoreCase);
        if (outFile is not null) Assert.False(File.Exists(outFile), "no output file may be written");
    }

    private static Cli.Result Train(TempDir dir, string csv, params string[] extra)
    {
        string data = dir.Write("d.csv", csv);
        return Cli.Run(["train", "--data", data, "--target", "y", "--epochs", "2", "--out", dir.File("m.json"), .. extra]);
    }

    [Fact]
    public void MissingFile()
    {
        using var dir = new TempDir();
        AssertFails(Cli.Run("train", "--data", dir.File("nope.csv"), "--target", "y", "--out", dir.File("m.json")), "nope.csv", dir.File("m.json"));
    }

    [Fact]
    public void UnknownTargetColumn()
    {
        using var dir = new TempDir();
        AssertFails(Train(dir, Good.Replace("y", "z")), "'y'", dir.File("m.json"));
    }

    [Theory]
    [InlineData("a,b,y\n1,2,0.5\n3,x4,1.5\n5,6,2.5\n", "line 3")]
    [InlineData("a,b,y\n1,2,0.5\n3,,1.5\n5,6,2.5\n", "line 3")]
    [InlineData("a,b,y\n1,2,0.5\n3,NaN,1.5\n5,6,2.5\n", "line 3")]
    [InlineData("a,b,y\n1,2,0.5\n3,4,inf\n5,6,2.5\n", "line 3")]
    [InlineData("a,b,y\n1,2,0.5\n3,4\n5,6,2.5\n", "line 3")]
    [InlineData("", "empty")]
    [InlineData("a,b,y\n", "no")]
    public void BadCsv(string csv, string mention)
    {
        using var dir = new TempDir();
        AssertFails(Train(dir, csv, "--task", "regression"), mention, dir.File("m.json"));
    }

    [Theory]
    [InlineData("--l1", "-1", "--l1")]
    [InlineData("--l2", "-0.5", "--l2")]
    [InlineData("--group-lasso", "-1", "--group-lasso")]
    [InlineData("--dropout", "1", "--dropout")]
    [InlineData("--dropout", "-0.1", "--dropout")]
    [InlineData("--lr", "0", "--lr")]
    [InlineData("--lr", "-1", "--lr")]
    [InlineData("--epochs", "0", "--epochs")]
    [InlineData("--val-split", "1.5", "--val-split")]
    [InlineData("--optimizer", "rmsprop", "--optimizer")]
    [InlineData("--activation", "gelu", "--activation")]
    [InlineData("--l1-mode", "exact", "--l1-mode")]
    [InlineData("--hidden", "64,x", "--hidden")]
    [InlineData("--lr", "abc", "--lr")]
    [InlineData("--epochs", "1.5", "--epochs")]
    [InlineData("--l1", "1e-3,1e-3,1e-3,1e-3", "--l1")]
    public void BadOption(string option, string value, string mention)
    {
        using var dir = new TempDir();
        AssertFails(Train(dir, Good, option, value), mention, dir.File("m.json"));
    }

    [Fact]
    public void UnknownOptionIsRejected()
    {
        using var dir = new TempDir();
        AssertFails(Train(dir, Good, "--nope"), "nope", dir.File("m.json"));
    }

    [Fact]
    public void EarlyStoppingNeedsValidation()
    {
        using var dir = new TempDir();
        AssertFails(Train(dir, Good, "--early-stopping", "3"), "--val-split", dir.File("m.json"));
    }

    [Fact]
    public void InitModelWithOtherInputWidth()
    {
        using var dir = new TempDir();
        string wide = dir.Write("wide.csv", "a,b,c,y\n1,2,3,0.5\n3,4,5,1.5\n5,6,7,2.5\n");
        Assert.Equal(0, Cli.Run("train", "--data", wide, "--target", "y", "--epochs", "1", "--out", dir.File("init.json")).ExitCode);
        AssertFails(Train(dir, Good, "--init", dir.File("init.json")), "3 inputs", dir.File("m.json"));
        // Without column names in the model, the width itself is checked.
        var m = Occam.Serialization.MlpJson.Load(dir.File("init.json"));
        Occam.Serialization.MlpJson.Save(m.With(m.Layers, m.Standardizer, m.Inputs, null), dir.File("init2.json"));
        string unnamed = dir.Write("init2.json", File.ReadAllText(dir.File("init2.json")).Replace(",\"features\":[\"a\",\"b\",\"c\"]", ""));
        AssertFails(Train(dir, Good, "--init", unnamed), "3 inputs", dir.File("m.json"));
    }

    [Fact]
    public void CorruptInitModel()
    {
        using var dir = new TempDir();
        string init = dir.Write("init.json", "{\"format\":\"occam-mlp/1\",\"task\":\"regression\",\"inputs\":2,\"layers\":[{\"type\":\"dense\",\"weight\":[[1]],\"bias\":[0]}]}");
        AssertFails(Train(dir, Good, "--init", init), "weight[0]", dir.File("m.json"));
    }

    [Fact]
    public void IdxLabelCountDiffers()
    {
        using var dir = new TempDir();
        string images = dir.File("img.idx");
        string labels = dir.File("lbl.idx");
        File.WriteAllBytes(images, [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8]);
        File.WriteAllBytes(labels, [0, 0, 8, 1, 0, 0, 0, 3, 0, 1, 1]);
        AssertFails(Cli.Run("train", "--data", images, "--labels", labels, "--epochs", "1", "--out", dir.File("m.json")), "label", dir.File("m.json"));
    }

    [Fact]
    public void ExistingModelIsNotClobberedByAFailedRun()
    {
        using var dir = new TempDir();
        string model = dir.Write("m.json", "keep me");
        AssertFails(Train(dir, "a,b,y\n1,2,x\n", "--task", "regression"), "line 2", null);
        Assert.Equal("keep me", File.ReadAllText(model));
    }

    [Fact]
    public void EvalAndPredictWithMissingModel()
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", Good);
        AssertFails(Cli.Run("eval", dir.File("none.json"), "--data", data), "none.json", null);
        AssertFails(Cli.Run("predict", dir.File("none.json"), "--data", data, "--out", dir.File("p.csv")), "none.json", dir.File("p.csv"));
        AssertFails(Cli.Run("inspect", dir.File("none.json")), "none.json", null);
    }
}
