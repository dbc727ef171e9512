using System.Text.Json;
using Occam.Tests;

namespace Occam.Cli.Tests;

/// <summary><c>occam train --timings</c>: the phase clock is reported, adds up, and changes nothing else.</summary>
[Collection("console")]
public class TrainTimingsTests
{
    private static readonly string Digits = Repo.Data("digits.csv");

    [Fact]
    public void JsonTimingsNameEveryPhaseAndAddUp()
    {
        using var dir = new TempDir();
        string[] Args(string output, params string[] extra) => ["train", "--data", Digits, "--target", "digit", "--hidden", "16", "--epochs", "3",
            "--batch-size", "64", "--val-split", "0.2", "--seed", "5", "--json", "--out", output, .. extra];
        var timed = Cli.Run(Args(dir.File("a.json"), "--timings"));
        Assert.True(timed.ExitCode == 0, timed.Err);
        using var doc = JsonDocument.Parse(timed.Out);
        var t = doc.RootElement.GetProperty("timings");
        double S(string name) => t.GetProperty(name).GetDouble();
        string[] phases = ["readSeconds", "prepareSeconds", "batchSeconds", "inputPipelineSeconds", "buildSeconds", "stepSeconds",
            "epochEndSeconds", "fitSeconds", "saveSeconds", "commandSeconds"];
        Assert.Equal(phases, t.EnumerateObject().Select(p => p.Name));
        foreach (string phase in phases) Assert.True(S(phase) >= 0, $"{phase} = {S(phase)}");
        Assert.True(S("stepSeconds") > 0);
        // each figure is rounded to 1 µs, so the sum of three parts and their rounded total differ by at most 2 µs
        double pipelineParts = S("readSeconds") + S("prepareSeconds") + S("batchSeconds");
        Assert.True(Math.Abs(pipelineParts - S("inputPipelineSeconds")) <= 2e-6, $"{pipelineParts} vs {S("inputPipelineSeconds")}");
        // the parts lie inside their wholes (rounded to 1 µs each)
        Assert.True(S("prepareSeconds") + S("buildSeconds") + S("batchSeconds") + S("stepSeconds") + S("epochEndSeconds") <= S("fitSeconds") + 1e-5);
        Assert.True(S("readSeconds") + S("fitSeconds") + S("saveSeconds") <= S("commandSeconds") + 1e-5);
        Assert.True(doc.RootElement.GetProperty("trainSeconds").GetDouble() <= S("fitSeconds") + 1e-5);

        // the same run without --timings: no timings object, the same model bytes
        var plain = Cli.Run(Args(dir.File("b.json")));
        Assert.True(plain.ExitCode == 0, plain.Err);
        using var plainDoc = JsonDocument.Parse(plain.Out);
        Assert.False(plainDoc.RootElement.TryGetProperty("timings", out _));
        Assert.Equal(File.ReadAllBytes(dir.File("a.json")), File.ReadAllBytes(dir.File("b.json")));
    }

    [Fact]
    public void TableOutputShowsTheTimings()
    {
        using var dir = new TempDir();
        var r = Cli.Run("train", "--data", Digits, "--target", "digit", "--hidden", "8", "--epochs", "1", "--timings", "--out", dir.File("m.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("Timings", r.Out);
        Assert.Contains("input pipeline (read + prepare + batch)", r.Out);
        Assert.Contains("save model", r.Out);
    }
}
