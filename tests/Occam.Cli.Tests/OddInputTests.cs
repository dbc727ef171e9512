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

    // ---- 2, 3. duplicate names ------------------------------------------------------------------

    [Fact]
    public void ModelWithDuplicateClassesIsRefusedByEveryCommand()
    {
        using var dir = new TempDir();
        string model = dir.Write("dup.json", """{"format":"occam-mlp/1","task":"multiclass","inputs":2,"layers":[{"type":"dense","weight":[[1,2],[3,4],[5,6]],"bias":[0,0,0]}],"classes":["a","b","a"]}""");
        string data = dir.Write("d.csv", "x1,x2,y\n1,2,a\n3,4,b\n");
        const string Where = "dup.json: $.classes[2] 'a' is the same label as $.classes[0] 'a'";
        AssertFails(Cli.Run("eval", model, "--data", data, "--target", "y"), Where);
        AssertFails(Cli.Run("predict", model, "--data", data, "--out", dir.File("p.csv")), Where, dir.File("p.csv"));
        AssertFails(Cli.Run("inspect", model), Where);
    }

    [Fact]
    public void PolynomialFeatureCollidingWithAColumnIsRefused()
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", "bmi,bmi^2,y\n1,5,1\n2,3,2\n3,8,4\n4,1,3\n5,2,6\n");
        AssertFails(Cli.Run("linear", "fit", "--data", data, "--target", "y", "--degree", "2", "--poly-columns", "bmi", "--alpha", "0.1", "--out", dir.File("m.json")),
            "the polynomial feature 'bmi^2' (a power of 'bmi') has the name of the column 'bmi^2'", dir.File("m.json"));
        // The other column may be expanded: its powers are named bmi^2^2.
        Assert.Equal(0, Cli.Run("linear", "fit", "--data", data, "--target", "y", "--degree", "2", "--poly-columns", "bmi^2", "--alpha", "0.1", "--out", dir.File("m.json")).ExitCode);
    }

    // ---- 4. predictions CSV quoting ------------------------------------------------------------

    [Fact]
    public void PredictionsQuoteLabelsWithCommasAndQuotesInHeaderAndCells()
    {
        using var dir = new TempDir();
        string[] labels = ["a,b", "say \"hi\"", "plain"];
        var rows = new System.Text.StringBuilder("x1,x2,y\n");
        for (int i = 0; i < 30; i++) rows.Append($"{i % 3},{(i * 7) % 5},{Occam.Data.CsvField.Format(labels[i % 3])}\n");
        string data = dir.Write("d.csv", rows.ToString());
        Assert.Equal(0, Cli.Run("train", "--data", data, "--target", "y", "--hidden", "4", "--epochs", "5", "--out", dir.File("m.json")).ExitCode);
        var r = Cli.Run("predict", dir.File("m.json"), "--data", data, "--out", dir.File("p.csv"));
        Assert.True(r.ExitCode == 0, r.Err);
        string[] lines = File.ReadAllLines(dir.File("p.csv"));
        Assert.Equal("prediction,\"p_a,b\",p_plain,\"p_say \"\"hi\"\"\"", lines[0]); // classes in ordinal order
        // Read back with the loader: 4 columns in every row, each prediction one of the labels.
        var back = Occam.Data.CsvLoader.Load(dir.File("p.csv"), "prediction", Occam.Data.TaskKind.Multiclass);
        Assert.Equal(["p_a,b", "p_plain", "p_say \"hi\""], back.FeatureNames);
        Assert.Equal(30, back.Rows);
        Assert.All(back.Classes!, c => Assert.Contains(c, labels));
    }

    // ---- 6. JSON writes characters, stays valid -------------------------------------------------

    [Fact]
    public void JsonOutputAndModelFilesWriteNonAsciiAsCharactersAndStayValid()
    {
        using var dir = new TempDir();
        string data = dir.Write("u.csv", "café,\"q\"\"uote\",y\n1,2,0\n3,4,1\n2,2,0\n4,4,1\n");
        var train = Cli.Run("train", "--data", data, "--target", "y", "--hidden", "3", "--epochs", "2", "--out", dir.File("m.json"), "--json");
        Assert.True(train.ExitCode == 0, train.Err);
        string model = File.ReadAllText(dir.File("m.json"));
        Assert.Contains("\"features\":[\"café\",\"q\\\"uote\"]", model, StringComparison.Ordinal);
        var inspect = Cli.Run("inspect", dir.File("m.json"), "--json");
        Assert.Contains("\"dense 2→3\"", inspect.Out, StringComparison.Ordinal);
        foreach (string json in new[] { train.Out, model, inspect.Out })
        {
            Assert.DoesNotContain("\\u", json, StringComparison.Ordinal);
            using var doc = System.Text.Json.JsonDocument.Parse(json); // valid JSON
        }
        using var parsed = System.Text.Json.JsonDocument.Parse(model);
        Assert.Equal("q\"uote", parsed.RootElement.GetProperty("features")[1].GetString());
    }
}
