using System.Text.Json;
using Occam.Data;
using Occam.Selection;
using Occam.Serialization;
using Occam.Tests;

namespace Occam.Cli.Tests.Paths;

/// <summary><c>occam path</c>: the CLI formats what <see cref="NetworkPath"/> computes; --take round trip; bad input.</summary>
[Collection("console")]
public class PathCliTests
{
    private static string[] Small(params string[] extra) =>
        ["path", "--data", Repo.Data("breast_cancer.csv"), "--target", "benign", "--hidden", "8", "--epochs", "5", "--lr", "1e-2",
         "--batch-size", "64", "--val-split", "0.25", "--seed", "3", "--n-lambdas", "5", "--lambda-min-ratio", "1e-3", .. extra];

    [Fact]
    public void ThePathWritesTheChosenModelThePathFileAndThePlotsAndMatchesTheLibrary()
    {
        using var dir = new TempDir();
        var r = Cli.Run(Small("--out", dir.File("m.json"), "--path-out", dir.File("p.json"), "--plots", dir.File("plots"), "--json"));
        Assert.True(r.ExitCode == 0, r.Err);
        using var json = JsonDocument.Parse(r.Out);
        var root = json.RootElement;
        int index1se = root.GetProperty("index1se").GetInt32();
        Assert.Equal(index1se, root.GetProperty("taken").GetInt32());
        Assert.True(root.GetProperty("lambda1se").GetDouble() >= root.GetProperty("lambdaMin").GetDouble());
        Assert.Equal(5, root.GetProperty("points").GetArrayLength());
        foreach (string f in new[] { "validation-curve.png", "validation-curve.svg", "path.png", "path.svg" })
            Assert.True(File.Exists(Path.Combine(dir.File("plots"), f)), f);

        // The same path from the library: same λ grid, same chosen network, bit for bit.
        var data = CsvLoader.Load(Repo.Data("breast_cancer.csv"), target: "benign");
        var est = new MlpClassifier
        {
            Hidden = [8], Activation = Numerics.Activations.ActivationKind.Tanh, Optimizer = Optimizers.Optim.Adam(lr: 1e-2),
            Epochs = 5, BatchSize = 64, ValidationSplit = 0.25, Seed = 3,
        };
        var lib = NetworkPath.Fit(est, data, new NetworkPathOptions { Count = 5, LambdaMinRatio = 1e-3 });
        Assert.Equal(lib.LambdaMax, root.GetProperty("lambdaMax").GetDouble());
        Assert.Equal(lib.Index1se, index1se);
        Assert.Equal(MlpJson.ToJson(lib.ModelAt(lib.Index1se).Network), File.ReadAllText(dir.File("m.json")));
        Assert.Equal(lib.Points.Select(p => p.Lambda), NetworkPathResult.Load(dir.File("p.json")).Lambdas);
    }

    [Fact]
    public void TakeFromASavedPathWritesTheNearestPointsNetwork()
    {
        using var dir = new TempDir();
        Assert.Equal(0, Cli.Run(Small("--path-out", dir.File("p.json"))).ExitCode);
        var path = NetworkPathResult.Load(dir.File("p.json"));
        double near3 = path.Points[3].Lambda * 1.1;
        var r = Cli.Run("path", "--from", dir.File("p.json"), "--take", near3.ToString("R", System.Globalization.CultureInfo.InvariantCulture), "--out", dir.File("t.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal(MlpJson.ToJson(path.ModelAt(3).Network), File.ReadAllText(dir.File("t.json")));
        Assert.Contains("written to", r.Out, StringComparison.Ordinal);
        Assert.Equal(0, Cli.Run("path", "--from", dir.File("p.json"), "--take", "min", "--out", dir.File("min.json")).ExitCode);
        Assert.Equal(MlpJson.ToJson(path.ModelAt(path.IndexMin).Network), File.ReadAllText(dir.File("min.json")));

        var outside = Cli.Run("path", "--from", dir.File("p.json"), "--take", "1e9", "--out", dir.File("x.json"));
        Assert.Equal(64, outside.ExitCode);
        Assert.Contains("outside the path", outside.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("x.json")));
    }

    public static TheoryData<string[], int, string> BadLines => new()
    {
        { ["path", "--data", Repo.Data("breast_cancer.csv"), "--target", "benign"], 64, "--val-split" },
        { Small("--folds", "1"), 64, "--folds" },
        { Small("--lambda-min-ratio", "2"), 64, "--lambda-min-ratio" },
        { Small("--penalty", "l3"), 64, "--penalty" },
        { Small("--penalty", "elastic-net", "--l1-ratio", "0"), 64, "--l1-ratio" },
        { Small("--take", "soon"), 64, "--take" },
        { Small("--l1", "1e-3"), 64, "unknown option '--l1' for 'occam path'; 'occam path --help' lists the options." },
        { ["path", "--data", Repo.Data("breast_cancer.csv"), "--target", "benign", "--hidden", "none", "--val-split", "0.2", "--penalty", "group-lasso"], 64, "no hidden layer" },
        { ["path", "--from", Repo.Data("iris.csv"), "--out", "never.json"], 65, "not valid JSON" },
        { ["path", "--from", Repo.Data("iris.csv")], 64, "--out" },
        { ["path", "--from", Repo.Data("iris.csv"), "--out", "never.json", "--epochs", "3"], 64, "--epochs does not apply with --from" },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public void BadInputIsAOneLineErrorAndWritesNothing(string[] args, int code, string mentions)
    {
        using var dir = new TempDir();
        var r = Cli.Run(args.Contains("--from") ? args : [.. args, "--path-out", dir.File("p.json")]);
        Assert.Equal(code, r.ExitCode);
        Assert.Contains(mentions, r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.False(File.Exists(dir.File("p.json")));
    }
}
