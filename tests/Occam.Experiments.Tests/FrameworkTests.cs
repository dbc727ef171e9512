using System.Text.RegularExpressions;
using Occam.Experiments;

namespace Occam.Experiments.Tests;

public class FrameworkTests
{
    [Fact]
    public void Registry_names_are_unique_file_safe_and_findable()
    {
        var names = ExperimentRegistry.All.Select(e => e.Name).ToArray();
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", n));
        Assert.All(ExperimentRegistry.All, e => Assert.Same(e, ExperimentRegistry.Find(e.Name)));
        var error = Assert.Throws<OccamException>(() => ExperimentRegistry.Find("nope"));
        Assert.Equal(OccamErrorKind.Usage, error.Kind);
        Assert.Contains("relu-scale-symmetry", error.Message);
    }

    [Fact]
    public void Every_claim_quotes_its_note_in_chinese_and_english()
    {
        foreach (var e in ExperimentRegistry.All)
        {
            Assert.NotEmpty(e.Claims);
            Assert.Equal(e.Claims.Count, e.Claims.Select(c => c.Id).Distinct().Count());
            foreach (var c in e.Claims)
            {
                Assert.Matches("^00[0-4]$", c.Note);
                Assert.Matches("\\p{IsCJKUnifiedIdeographs}", c.Original);
                Assert.False(string.IsNullOrWhiteSpace(c.English));
            }
        }
    }

    [Fact]
    public void Seeds_below_one_are_a_usage_error()
    {
        var e = Assert.Throws<OccamException>(() => new ReluScaleSymmetry().Run(new ExperimentOptions { Quick = true, Seeds = 0 }));
        Assert.Equal(OccamErrorKind.Usage, e.Kind);
        Assert.Contains("--seeds", e.Message);
    }

    [Fact]
    public void Result_json_round_trips_and_names_a_bad_file()
    {
        var result = new ReluScaleSymmetry().Run(new ExperimentOptions { Quick = true, Seeds = 3 });
        string json = ResultFile.ToJson(result);
        var back = ResultFile.FromJson(json, "x/result.json");
        Assert.Equal(json, ResultFile.ToJson(back));
        Assert.Contains("\"format\": \"occam-experiment/1\"", json);
        Assert.DoesNotMatch("(?i)\"(time|elapsed|date|duration)", json);
        var e = Assert.Throws<OccamException>(() => ResultFile.FromJson("{\"format\":\"other\"}", "x/result.json"));
        Assert.Contains("x/result.json", e.Message);
        Assert.Throws<OccamException>(() => ResultFile.FromJson("not json", "y/result.json"));
    }

    [Fact]
    public void Save_writes_result_json_and_a_png_and_svg_per_figure()
    {
        var result = new ReluScaleSymmetry().Run(new ExperimentOptions { Quick = true, Seeds = 2 });
        string dir = Path.Combine(Path.GetTempPath(), "occam-exp-" + Guid.NewGuid().ToString("N"));
        try
        {
            var written = ResultFile.Save(result, dir);
            Assert.Equal(1 + 2 * result.Section.Figures.Count, written.Count);
            Assert.All(written, p => Assert.True(new FileInfo(p).Length > 0, p));
            Assert.Equal(ResultFile.ToJson(result), File.ReadAllText(Path.Combine(dir, "result.json")));
            Assert.Equal(ResultFile.ToJson(result), ResultFile.ToJson(ResultFile.Load(dir)));
            Assert.Equal(OccamErrorKind.InputMissing, Assert.Throws<OccamException>(() => ResultFile.Load(Path.Combine(dir, "missing"))).Kind);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
