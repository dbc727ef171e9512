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

    // ---- suggested fixes must be ones the user can apply ------------------------------------------

    [Fact]
    public void ConstantTargetPathSuggestsNoOptionTheCliLacks()
    {
        using var dir = new TempDir();
        string data = dir.Write("const.csv", "a,b,y\n1,2,5\n2,1,5\n3,4,5\n4,3,5\n5,5,5\n");
        string err = AssertFails(Cli.Run("linear", "path", "--data", data, "--target", "y", "--out", dir.File("p.json")), "is it constant?", dir.File("p.json"));
        Assert.DoesNotContain("explicit alphas", err, StringComparison.Ordinal);
    }

    [Fact]
    public void LogisticAlphaZeroNamesTheCliOption()
    {
        using var dir = new TempDir();
        string data = dir.Write("bin.csv", "a,b,y\n1,2,0\n2,1,1\n3,4,0\n4,3,1\n5,5,0\n");
        var r = Cli.Run("linear", "fit", "--data", data, "--target", "y", "--alpha", "0");
        AssertFails(r, "--alpha");
        Assert.Equal(64, r.ExitCode);
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

    // ---- 5. messages ----------------------------------------------------------------------------

    [Fact]
    public void HugeAlphaGivesZeroCoefficientsNotALeakedJsonMessage()
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", "a,b,y\n1,5,1\n2,3,2\n3,8,4\n4,1,3\n5,2,6\n");
        foreach (string penalty in new[] { "lasso", "ridge", "elasticnet" })
        {
            var r = Cli.Run("linear", "fit", "--data", data, "--target", "y", "--penalty", penalty, "--alpha", "1e308", "--json");
            Assert.True(r.ExitCode == 0, penalty + ": " + r.Err);
            using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
            Assert.All(doc.RootElement.GetProperty("coef").EnumerateArray(), c => Assert.True(Math.Abs(c.GetDouble()) < 1e-300)); // ridge: tiny, not exactly 0
            Assert.Equal(3.2, doc.RootElement.GetProperty("intercept").GetDouble(), 12);
            Assert.True(doc.RootElement.GetProperty("converged").GetBoolean());
        }
    }

    [Fact]
    public void FolderGivenAsModelOrDataSaysItIsAFolder()
    {
        using var dir = new TempDir();
        string model = TrainSmall(dir);
        string data = dir.File("train.csv");
        string folder = dir.File("sub");
        Directory.CreateDirectory(folder);
        string isFolder = $"{folder}: is a folder, not a file; pass the path of a model file.";
        AssertFails(Cli.Run("eval", folder, "--data", data), isFolder);
        AssertFails(Cli.Run("predict", folder, "--data", data, "--out", dir.File("p.csv")), isFolder, dir.File("p.csv"));
        AssertFails(Cli.Run("inspect", folder), isFolder);
        AssertFails(Cli.Run("prune", folder, "--out", dir.File("s.json")), isFolder, dir.File("s.json"));
        AssertFails(Cli.Run("train", "--data", data, "--target", "y", "--init", folder, "--out", dir.File("n.json")), isFolder, dir.File("n.json"));
        AssertFails(Cli.Run("eval", model, "--data", folder), $"{folder}: is a folder, not a file; pass the path of a CSV file.");
        AssertFails(Cli.Run("train", "--data", folder, "--target", "y", "--out", dir.File("n.json")), "is a folder", dir.File("n.json"));
    }

    [Theory]
    [InlineData(";", ";-separated")]
    [InlineData("\t", "tab-separated")]
    public void SemicolonOrTabSeparatedFileGetsADelimiterHint(string separator, string expected)
    {
        using var dir = new TempDir();
        string model = TrainSmall(dir);
        string data = dir.Write("d.csv", Small.Replace(",", separator, StringComparison.Ordinal));
        string hint = $"d.csv line 1: the file looks {expected}; Occam reads comma-separated CSV";
        AssertFails(Cli.Run("train", "--data", data, "--target", "y", "--out", dir.File("n.json")), hint, dir.File("n.json"));
        AssertFails(Cli.Run("predict", model, "--data", data, "--out", dir.File("p.csv")), hint, dir.File("p.csv"));
        AssertFails(Cli.Run("eval", model, "--data", data), hint);
        AssertFails(Cli.Run("linear", "fit", "--data", data, "--target", "y", "--alpha", "0.1"), hint);
    }

    [Fact]
    public void IdxFileWithoutLabelsIsRecognizedPlainOrGzip()
    {
        using var dir = new TempDir();
        string model = TrainSmall(dir);
        byte[] images = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 7, 9];
        byte[] labels = [0, 0, 8, 1, 0, 0, 0, 1, 3];
        File.WriteAllBytes(dir.File("img.idx"), images);
        File.WriteAllBytes(dir.File("lbl.idx"), labels);
        using (var gz = new System.IO.Compression.GZipStream(File.Create(dir.File("img.idx.gz")), System.IO.Compression.CompressionLevel.Fastest))
            gz.Write(images);
        const string Images = "this is an IDX image file (MNIST format), not CSV; read it with its label file (occam: --data IMAGES --labels LABELS).";
        foreach (string file in new[] { "img.idx", "img.idx.gz" })
        {
            string err = AssertFails(Cli.Run("predict", model, "--data", dir.File(file), "--out", dir.File("p.csv")), Images, dir.File("p.csv"));
            Assert.DoesNotContain("UTF-8", err, StringComparison.Ordinal);
            AssertFails(Cli.Run("eval", model, "--data", dir.File(file)), Images);
        }
        AssertFails(Cli.Run("eval", model, "--data", dir.File("lbl.idx")), "this is an IDX label file (MNIST format), not CSV");
        File.WriteAllBytes(dir.File("d.csv.gz"), File.ReadAllBytes(dir.File("img.idx.gz"))[..10]);
        AssertFails(Cli.Run("eval", model, "--data", dir.File("d.csv.gz")), "this is gzip-compressed data, not CSV text; decompress it first (gunzip).");
    }

    [Fact]
    public void EvalNeverSuggestsTrainingOptions()
    {
        using var dir = new TempDir();
        string model = TrainSmall(dir);
        // A model without column names reads every non-target column: 3 here, 2 in the model.
        string unnamed = dir.Write("unnamed.json", System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(model), ",\"features\":\\[[^\\]]*\\]", ""));
        string wide = dir.Write("wide.csv", "a,b,c,y\n1,2,3,0\n2,3,4,1\n");
        string err = AssertFails(Cli.Run("eval", unnamed, "--data", wide), "the model takes 2 inputs but the data has 3 feature columns; use data with the columns the model was trained on.");
        Assert.DoesNotContain("--init", err, StringComparison.Ordinal);
        AssertFails(Cli.Run("train", "--data", wide, "--target", "y", "--init", unnamed, "--out", dir.File("n.json")),
            "the --init model takes 2 inputs but the data has 3 feature columns; train on the columns the model was trained on, or drop --init", dir.File("n.json"));
    }

    [Fact]
    public void CrossValidationOnOneRowDoesNotSuggestOneFold()
    {
        using var dir = new TempDir();
        string data = dir.Write("one.csv", "a,y\n1,2\n");
        string err = AssertFails(Cli.Run("linear", "cv", "--data", data, "--target", "y"), "has 1 row; cross-validation needs at least 2 rows");
        Assert.DoesNotContain("at most 1 folds", err, StringComparison.Ordinal);
    }

    // ---- 6. summaries are whole lines when redirected ------------------------------------------

    private static string[] PlainLines(string output) =>
        output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && "┌│├└".IndexOf(l[0], StringComparison.Ordinal) < 0).ToArray();

    [Fact]
    public void RedirectedSummariesAreNotWrappedMidPhrase()
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", Small);
        string model = dir.File("a-model-file-with-a-rather-long-name-so-that-lines-exceed-eighty-columns.json");
        var train = Cli.Run("train", "--data", data, "--target", "y", "--hidden", "3", "--epochs", "2", "--out", model);
        Assert.True(train.ExitCode == 0, train.Err);
        Assert.Contains($"model written to {model}", PlainLines(train.Out));
        Assert.Contains(PlainLines(train.Out), l => l.StartsWith("zeros ", StringComparison.Ordinal) && l.EndsWith(" after pruning", StringComparison.Ordinal));

        var inspect = Cli.Run("inspect", model);
        string[] lines = PlainLines(inspect.Out);
        Assert.Equal($"{model}: binary MLP", lines[0]);
        Assert.Equal("2 inputs (standardized), 1 output, 13 parameters", lines[1]);
        Assert.Equal("classes: 0, 1", lines[2]);
        Assert.Equal("Sparsity (exact zeros)", lines[3]);
        Assert.StartsWith("zeros ", lines[4], StringComparison.Ordinal);
        Assert.EndsWith(" after pruning", lines[4], StringComparison.Ordinal);
        Assert.True(lines[4].Length > 80, "the summary is longer than 80 columns and still one line");

        var eval = Cli.Run("eval", model, "--data", data);
        Assert.Contains("Confusion matrix (rows: true class, columns: predicted)", PlainLines(eval.Out));

        var fit = Cli.Run("linear", "fit", "--data", data, "--target", "y", "--task", "regression", "--alpha", "0.01");
        Assert.Contains(PlainLines(fit.Out), l => l.StartsWith("regression lasso alpha=0.01", StringComparison.Ordinal) && l.Contains("deviance explained", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1e-320")]
    [InlineData("5e-324")]
    public void SubnormalAlphaIsNotAnInternalError(string alpha)
    {
        using var dir = new TempDir();
        string regression = dir.Write("r.csv", "a,b,y\n1,5,1.5\n2,3,2\n3,8,4.25\n4,1,3\n5,2,6\n");
        string binary = dir.Write("b.csv", Small);
        foreach (string data in new[] { regression, binary })
        {
            var r = Cli.Run("linear", "fit", "--data", data, "--target", "y", "--alpha", alpha, "--max-iter", "50", "--json");
            Assert.True(r.ExitCode is 0 or 2, r.Err); // 2: converged or not, the fit ran
            Assert.DoesNotContain("internal error", r.Err, StringComparison.Ordinal);
            using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
            Assert.Equal(double.Parse(alpha, System.Globalization.CultureInfo.InvariantCulture), doc.RootElement.GetProperty("alpha").GetDouble());
        }
    }

    [Fact]
    public void PolynomialPowerThatOverflowsNamesRowAndColumn()
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", "a,b,y\n1,0,1\n3,1,2\n2,0.5,4\n");
        AssertFails(Cli.Run("linear", "fit", "--data", data, "--target", "y", "--task", "regression", "--alpha", "0.1", "--degree", "1000"),
            "row 2, column 'a': the value 3 to the power 647 overflows double precision; lower the degree or rescale the column.");
    }

    [Fact]
    public void PruneOfALinearModelSaysWhatPruneIsFor()
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", "a,b,y\n1,5,1\n3,3,2\n2,8,4\n4,1,3\n");
        Assert.Equal(0, Cli.Run("linear", "fit", "--data", data, "--target", "y", "--task", "regression", "--alpha", "0.1", "--out", dir.File("lin.json")).ExitCode);
        AssertFails(Cli.Run("prune", dir.File("lin.json"), "--out", dir.File("p.json")), "is a linear model (occam-linear/1); prune removes dead hidden units", dir.File("p.json"));
    }

    [Fact]
    public void BinaryCrossValidationWithAOneClassFoldIsAnErrorNotACrash()
    {
        using var dir = new TempDir();
        string data = dir.Write("two.csv", "a,y\n1,2\n2,3\n"); // integers with 2 values: binary; each fold trains on 1 row
        AssertFails(Cli.Run("linear", "cv", "--data", data, "--target", "y", "--folds", "2"),
            "fold 1 of 2: its training rows (1) hold only class 1 of the binary target; every fold needs both classes");
    }

    [Fact]
    public void CsvGivenAsIdxImagesAndLinearModelGivenAsInitAreNamed()
    {
        using var dir = new TempDir();
        string data = dir.Write("d.csv", Small);
        File.WriteAllBytes(dir.File("lbl.idx"), [0, 0, 8, 1, 0, 0, 0, 1, 3]);
        AssertFails(Cli.Run("train", "--data", data, "--labels", dir.File("lbl.idx"), "--out", dir.File("m.json")),
            "d.csv: this is text (a CSV file?), not an IDX images (idx3-ubyte) file; read a CSV without --labels", dir.File("m.json"));
        Assert.Equal(0, Cli.Run("linear", "fit", "--data", data, "--target", "y", "--task", "regression", "--alpha", "0.1", "--out", dir.File("lin.json")).ExitCode);
        AssertFails(Cli.Run("train", "--data", data, "--target", "y", "--init", dir.File("lin.json"), "--out", dir.File("m.json")),
            "is a linear model (occam-linear/1); --init continues training a network (occam-mlp/1)", dir.File("m.json"));
    }
}
