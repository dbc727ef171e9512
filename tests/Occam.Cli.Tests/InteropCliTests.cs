using System.Text.Json;
using Occam.Tests;

namespace Occam.Cli.Tests;

/// <summary><c>occam export</c> and <c>occam import</c>: files written, JSON summaries, and bad input (one line, exit ≠ 0, no file).</summary>
[Collection("console")]
public class InteropCliTests
{
    private static string Golden(string name) => Repo.Golden(Path.Combine("safetensors", name));

    private static void AssertFails(Cli.Result r, string mustMention, params string[] noFiles)
    {
        Assert.NotEqual(0, r.ExitCode);
        string err = r.Err.Trim();
        Assert.StartsWith("error:", err);
        Assert.DoesNotContain("\n", err);
        Assert.DoesNotContain("   at ", r.Err + r.Out);
        Assert.Contains(mustMention, err, StringComparison.Ordinal);
        foreach (var f in noFiles) Assert.False(File.Exists(f), $"no output file may be written ({f})");
    }

    [Fact]
    public void ExportOnnxAndSafetensorsThenImportGivesTheSameModel()
    {
        using var dir = new TempDir();
        string model = Golden("occam_digits.json");
        var onnx = Cli.Run("export", model, "--format", "onnx", "--probabilities", "--out", dir.File("m.onnx"), "--json");
        Assert.Equal(0, onnx.ExitCode);
        Assert.True(JsonDocument.Parse(onnx.Out).RootElement.GetProperty("bytes").GetInt64() > 1000);
        Assert.True(new FileInfo(dir.File("m.onnx")).Length > 1000);
        var st = Cli.Run("export", model, "--format", "safetensors", "--out", dir.File("m.safetensors"));
        Assert.Equal(0, st.ExitCode);
        Assert.True(File.Exists(dir.File("m.safetensors.json")));
        var back = Cli.Run("import", dir.File("m.safetensors"), "--out", dir.File("back.json"), "--json");
        Assert.Equal(0, back.ExitCode);
        Assert.Equal("16-relu-dropout:0.1-10", JsonDocument.Parse(back.Out).RootElement.GetProperty("arch").GetString());
        Assert.Equal(File.ReadAllText(model), File.ReadAllText(dir.File("back.json")));
    }

    [Fact]
    public void MulticlassLinearModelExportsToOnnxButNotToSafetensors()
    {
        using var dir = new TempDir();
        string model = dir.File("iris.json");
        var fit = Cli.Run("linear", "fit", "--data", Repo.Data("iris.csv"), "--target", "species", "--alpha", "0.01", "--out", model);
        Assert.True(fit.ExitCode == 0, fit.Err);
        var onnx = Cli.Run("export", model, "--probabilities", "--out", dir.File("iris.onnx"), "--json");
        Assert.True(onnx.ExitCode == 0, onnx.Err);
        Assert.Equal(new FileInfo(dir.File("iris.onnx")).Length, JsonDocument.Parse(onnx.Out).RootElement.GetProperty("bytes").GetInt64());
        AssertFails(Cli.Run("export", model, "--format", "safetensors", "--out", dir.File("iris.st")), "export linear models with --format onnx",
            dir.File("iris.st"), dir.File("iris.st.json"));
    }

    [Fact]
    public void ImportWithArchAndTask()
    {
        using var dir = new TempDir();
        var r = Cli.Run("import", Golden("torch_diabetes.safetensors"), "--arch", "16-sigmoid-identity-1", "--task", "regression", "--out", dir.File("d.json"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("\"task\":\"regression\"", File.ReadAllText(dir.File("d.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownModelFormat()
    {
        using var dir = new TempDir();
        string model = dir.Write("m.json", """{"format":"occam-forest/1"}""");
        AssertFails(Cli.Run("export", model, "--out", dir.File("m.onnx")), "'occam-forest/1'", dir.File("m.onnx"));
        AssertFails(Cli.Run("export", model, "--format", "safetensors", "--out", dir.File("m.st")), "'occam-forest/1'", dir.File("m.st"), dir.File("m.st.json"));
        AssertFails(Cli.Run("export", model, "--format", "tflite", "--out", dir.File("m.x")), "--format must be onnx or safetensors", dir.File("m.x"));
    }

    [Fact]
    public void OutputPathsAreCheckedFirst()
    {
        using var dir = new TempDir();
        AssertFails(Cli.Run("export", Golden("occam_digits.json"), "--format", "safetensors", "--out", dir.File("m.st"), "--sidecar", dir.File("m.st")),
            "m.st", dir.File("m.st"));
        AssertFails(Cli.Run("export", Golden("occam_digits.json"), "--out", dir.File("nope/m.onnx")), "nope", dir.File("nope/m.onnx"));
        AssertFails(Cli.Run("import", Golden("torch_iris.safetensors"), "--out", dir.File("nope/m.json")), "nope", dir.File("nope/m.json"));
    }

    [Fact]
    public void ImportSpecThatDoesNotFit()
    {
        using var dir = new TempDir();
        AssertFails(Cli.Run("import", Golden("torch_diabetes.safetensors"), "--arch", "32-sigmoid-identity-1", "--task", "regression", "--out", dir.File("d.json")),
            "'0.weight' has shape [16, 10] but architecture '32-sigmoid-identity-1' needs [32, in]", dir.File("d.json"));
        AssertFails(Cli.Run("import", Golden("torch_diabetes.safetensors"), "--arch", "16-sigmoid-1", "--task", "regression", "--out", dir.File("d.json")),
            "'3.weight' is not in architecture", dir.File("d.json"));
        AssertFails(Cli.Run("import", Golden("torch_diabetes.safetensors"), "--arch", "16-sigmoid-identity-1", "--out", dir.File("d.json")),
            "--task", dir.File("d.json"));
        AssertFails(Cli.Run("import", Golden("torch_diabetes.safetensors"), "--task", "regression", "--out", dir.File("d.json")),
            "--arch", dir.File("d.json"));
    }

    [Fact]
    public void DamagedSafetensors()
    {
        using var dir = new TempDir();
        byte[] bytes = File.ReadAllBytes(Golden("torch_diabetes.safetensors"));
        string truncated = dir.File("t.safetensors");
        File.WriteAllBytes(truncated, bytes[..^10]);
        AssertFails(Cli.Run("import", truncated, "--arch", "16-sigmoid-identity-1", "--task", "regression", "--out", dir.File("d.json")), "truncated", dir.File("d.json"));
        string text = System.Text.Encoding.Latin1.GetString(bytes).Replace("\"F32\"", "\"I32\"", StringComparison.Ordinal);
        string wrongType = dir.File("w.safetensors");
        File.WriteAllBytes(wrongType, System.Text.Encoding.Latin1.GetBytes(text));
        AssertFails(Cli.Run("import", wrongType, "--arch", "16-sigmoid-identity-1", "--task", "regression", "--out", dir.File("d.json")), "is I32; Occam reads float32", dir.File("d.json"));
        AssertFails(Cli.Run("import", dir.File("missing.safetensors"), "--arch", "1", "--task", "regression", "--out", dir.File("d.json")), "file not found", dir.File("d.json"));
    }
}
