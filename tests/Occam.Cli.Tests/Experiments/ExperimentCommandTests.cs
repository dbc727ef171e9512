using System.Text.Json;

namespace Occam.Cli.Tests.Experiments;

[Collection("console")]
public class ExperimentCommandTests
{
    [Fact]
    public void List_names_every_experiment()
    {
        var r = Cli.Run("experiment", "list", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var names = doc.RootElement.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToArray();
        Assert.Contains("xor-width", names);
        Assert.Contains("relu-scale-symmetry", names);
    }

    [Fact]
    public void Running_one_writes_result_json_and_figures_and_prints_the_verdicts()
    {
        using var dir = new TempDir();
        string outDir = Path.Combine(dir.Path, "relu");
        var r = Cli.Run("experiment", "relu-scale-symmetry", "--quick", "--seeds", "3", "--out", outDir);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("relu-invariant", r.Out);
        Assert.Contains("quick profile, 3 seeds", r.Out);
        Assert.True(File.Exists(Path.Combine(outDir, "result.json")));
        Assert.True(File.Exists(Path.Combine(outDir, "relative-change.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "relative-change.svg")));
        string first = File.ReadAllText(Path.Combine(outDir, "result.json"));
        Assert.Equal(0, Cli.Run("experiment", "relu-scale-symmetry", "--quick", "--seeds", "3", "--out", outDir).ExitCode);
        Assert.Equal(first, File.ReadAllText(Path.Combine(outDir, "result.json")));
    }

    [Theory]
    [InlineData("experiment", "nope")]
    [InlineData("experiment", "relu-scale-symmetry", "--seeds", "0")]
    [InlineData("experiment", "list", "--quick")]
    [InlineData("report", "--seeds", "0")]
    public void Bad_usage_is_one_line_and_exit_64(params string[] args)
    {
        var r = Cli.Run(args);
        Assert.Equal(64, r.ExitCode);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void Report_reuses_saved_results_and_refuses_a_bad_one()
    {
        using var dir = new TempDir();
        string results = Path.Combine(dir.Path, "results");
        // Save one experiment's result; the report reuses it (the other experiments would be run: give them all).
        foreach (string name in Occam.Experiments.ExperimentRegistry.All.Select(e => e.Name))
            Assert.Equal(0, Cli.Run("experiment", name, "--quick", "--seeds", "2", "--out", Path.Combine(results, name)).ExitCode);
        string html = Path.Combine(dir.Path, "r.html");
        var r = Cli.Run("report", "--results", results, "--out", html, "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("<svg", File.ReadAllText(html));
        using (var doc = JsonDocument.Parse(r.Out))
            Assert.All(doc.RootElement.GetProperty("experiments").EnumerateArray(), e => Assert.Equal(2, e.GetProperty("seeds").GetInt32()));
        File.WriteAllText(Path.Combine(results, "xor-width", "result.json"), "{ broken");
        var bad = Cli.Run("report", "--results", results, "--out", html);
        Assert.Equal(65, bad.ExitCode);
        Assert.Contains(Path.Combine("xor-width", "result.json"), bad.Err);
    }
}
