using System.Text.RegularExpressions;
using Occam.Cli.Commands;
using Occam.Tests;
using Spectre.Console.Cli;

namespace Occam.Cli.Tests;

/// <summary>
/// <see cref="DirectLine"/> binds a plain <c>occam train</c> line as Spectre.Console.Cli binds it, and leaves every other
/// line to Spectre: its table is <see cref="TrainSettings"/>' options, a line it takes gives settings equal, property by
/// property, to Spectre's, and a line Spectre reads its own way it does not take.
/// </summary>
[Collection("console")]
public sealed partial class TrainDirectLineTests
{
    private static readonly string Images = Repo.Data("mnist-10k-images-idx3-ubyte.gz");
    private static readonly string Labels = Repo.Data("mnist-10k-labels-idx1-ubyte.gz");
    private static readonly string Digits = Repo.Data("digits.csv");

    [Fact]
    public void TheTableHoldsEveryOptionOfTheSettingsWithItsKind() =>
        SpectreBinding.AssertTableMatches(typeof(TrainSettings), DirectLine.Train.Select(o => (o.Name, o.Kind)));

    /// <summary>Every option given once, with plain values: the direct path takes it. "I"/"L": the MNIST files, "C": digits.csv.</summary>
    public static TheoryData<string> PlainLines => new()
    {
        "train --data I --labels L --hidden 512,256 --epochs 10 --batch-size 256 --optimizer adam --lr 1e-3 --l1 1e-4 --dropout 0.2 --seed 1 --json --timings --out m.json",
        "train --data C --target digit --out m.json",
        "train --out m.json --target digit --data C --task multiclass --hidden none --activation tanh --optimizer nesterov --momentum 0.5",
        "train --data C --target digit --out m.json --optimizer sgd --lr .5 --batch-size 0 --epochs 3 --l1-ratio 0.25 --elastic-net 1e-3,0",
        "train --data C --target digit --out m.json --val-split 0.2 --early-stopping 3 --no-shuffle --no-standardize --no-standardize-target",
        "train --data C --target digit --out m.json --l1 0 --l1-mode subgradient --l2 1e-4 --group-lasso 1e-3 --weight-decay 1e-2",
        "train --data C --target digit --out m.json --init model.json --seed 18446744073709551615 --dropout 0",
        "train --data C --target digit --out dir/with_space.json --hidden 007 --lr +2.5e-3",
    };

    /// <summary>Lines the direct path must leave to Spectre (and that Spectre takes or rejects its own way).</summary>
    public static TheoryData<string> OtherLines => new()
    {
        "train --data C --target digit --out=m.json",
        "train --data C --target digit --out m.json --lr -1",
        "train --data C --target digit --out m.json --json true",
        "train --data C --target digit --out m.json --epochs 0x2",
        "train --data C --target digit --out m.json --epochs -1",
        "train --data C --target digit --out m.json --epochs 2147483648",
        "train --data C --target digit --out m.json --batch-size 1.5",
        "train --data C --target digit --out m.json --lr 0,5",
        "train --data C --target digit --out m.json --lr NaN",
        "train --data C --target digit --out m.json --dropout 1",
        "train --data C --target digit",
        "train --data C --target digit --out m.json --alpha 3",
        "train --data C --target digit --out m.json extra",
        "train --data C --target digit --out m.json --help",
        "train --data C --target digit --out m.json -h",
        "train --data C --target digit --out m.json --json --json",
        "train --data C --target digit --out m.json --Json",
        "train --data C --target digit --out m.json --",
        "train --data C --target digit --out m.json --optimizer rmsprop",
        "train --data C --target digit --out m.json --seed -1",
        "train --data C --target digit --out m.json --seed 18446744073709551616",
        "train --data C --target digit --out m.json --timings 1",
        "train --data C --target digit --out m.json --l1 -1",
        "Train --data C --target digit --out m.json",
        "train",
    };

    /// <summary>The words of a test line: "I", "L" and "C" the data files, "_" a space inside a word.</summary>
    private static string[] Words(string line) =>
        [.. line.Split(' ').Select(w => w switch { "I" => Images, "L" => Labels, "C" => Digits, _ => w.Replace('_', ' ') })];

    [Theory]
    [MemberData(nameof(PlainLines))]
    public void APlainLineBindsAsSpectreBindsIt(string line)
    {
        string[] args = Words(line);
        Assert.True(DirectLine.TryBind(args, 1, DirectLine.Train, out var direct));
        SpectreBinding.AssertBindsAlike(Spectre(args), direct);
    }

    [Theory]
    [MemberData(nameof(OtherLines))]
    public void AnyOtherLineIsLeftToSpectre(string line)
    {
        string[] args = Words(line);
        Assert.False(args is ["train", ..] && DirectLine.TryBind(args, 1, DirectLine.Train, out _));
        Assert.False(DirectLine.TryRun(args, _ => throw new InvalidOperationException("ran"), out _));
    }

    [Fact]
    public void APlainLineRunsTheCommandAndWritesWhatSpectresLineWrites()
    {
        // --out=… is Spectre's (the direct path takes "--out FILE" only): the same model bytes and the same JSON.
        using var dir = new TempDir();
        string[] common = ["train", "--data", Digits, "--target", "digit", "--hidden", "16", "--epochs", "2", "--batch-size", "64",
            "--l1", "1e-4", "--dropout", "0.1", "--seed", "3", "--json"];
        var direct = Cli.Run([.. common, "--out", dir.File("direct.json")]);
        var spectre = Cli.Run([.. common, "--out=" + dir.File("spectre.json")]);
        Assert.True(direct.ExitCode == 0, direct.Err);
        Assert.True(spectre.ExitCode == 0, spectre.Err);
        Assert.Equal(File.ReadAllBytes(dir.File("spectre.json")), File.ReadAllBytes(dir.File("direct.json")));
        Assert.Equal(Untimed(spectre.Out).Replace("spectre.json", "direct.json", StringComparison.Ordinal), Untimed(direct.Out));
        Assert.Equal(spectre.Err, direct.Err);
    }

    [Fact]
    public void ADirectLineWithAnErrorReportsItAsSpectresLineDoes()
    {
        // The data file is missing: the command's own error, the same text and exit code on both paths.
        using var dir = new TempDir();
        string missing = dir.File("none.csv");
        var direct = Cli.Run("train", "--data", missing, "--target", "digit", "--out", dir.File("m.json"));
        var spectre = Cli.Run("train", "--data", missing, "--target", "digit", "--out=" + dir.File("m.json"));
        Assert.Equal(ExitCodes.InputMissing, direct.ExitCode);
        Assert.Equal(spectre.ExitCode, direct.ExitCode);
        Assert.Equal(spectre.Err, direct.Err);
        Assert.Contains("none.csv", direct.Err, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"""(?:trainSeconds|seconds)"": [0-9.eE+-]+")]
    private static partial Regex Seconds();

    private static string Untimed(string output) => Seconds().Replace(output, "T");

    /// <summary>The settings Spectre.Console.Cli binds and validates for <paramref name="args"/> (configured as <see cref="OccamApp"/> configures it), or null when it rejects the line.</summary>
    private static CommandSettings? Spectre(string[] args) => SpectreBinding.Bind(args, config => { foreach (var command in OccamCommands.For(args)) command.Register(config); });
}
