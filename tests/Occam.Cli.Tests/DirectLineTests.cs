using System.Text.RegularExpressions;
using Occam.Cli.Commands.Linear;
using Spectre.Console.Cli;

namespace Occam.Cli.Tests;

/// <summary>
/// <see cref="DirectLine"/> binds a plain <c>occam linear</c> line as Spectre.Console.Cli binds it, and leaves every
/// other line to Spectre: its option tables are the settings classes' options, a line it takes gives settings equal,
/// property by property, to Spectre's, and a line Spectre rejects it does not take.
/// </summary>
[Collection("console")]
public sealed partial class DirectLineTests
{
    private static readonly string Diabetes = Occam.Tests.Repo.Data("diabetes.csv");

    public static TheoryData<Type> SettingsTypes => [typeof(LinearFitSettings), typeof(LinearPathSettings), typeof(LinearCvSettings)];

    private static IReadOnlyList<(string Name, DirectLine.ValueKind Kind)> Table(Type settings) =>
        settings == typeof(LinearFitSettings) ? [.. DirectLine.LinearFit.Select(o => (o.Name, o.Kind))]
        : settings == typeof(LinearPathSettings) ? [.. DirectLine.LinearPath.Select(o => (o.Name, o.Kind))]
        : [.. DirectLine.LinearCv.Select(o => (o.Name, o.Kind))];

    [Theory]
    [MemberData(nameof(SettingsTypes))]
    public void TheTablesHoldEveryOptionOfTheSettingsWithItsKind(Type settings) => SpectreBinding.AssertTableMatches(settings, Table(settings));

    /// <summary>Every option given once, with plain values: the direct path takes it.</summary>
    public static TheoryData<string> PlainLines => new()
    {
        "linear fit --data D --target progression --alpha 0.5",
        "linear fit --data D --target progression --penalty lasso --alpha 0.5",
        "linear fit --alpha 1e-3 --target progression --data D --json",
        "linear fit --data D --target progression --task regression --penalty elasticnet --l1-ratio 0.25 --no-standardize --degree 2 --poly-columns bmi,bp --tol 1E-6 --max-iter 50 --out m.json --json --alpha .5",
        "linear fit --data D --target progression --penalty ridge --alpha 0 --grouped",
        "linear fit --data D --target progression --alpha +2.5e+1 --degree 007",
        "linear fit --data D --target progression --alpha 5. --tol 0.001",
        "linear fit --data D --target progression --alpha 1 --out dir/with_space.json",
        "linear path --data D --target progression --n-alphas 20 --eps 0.01 --json",
        "linear path --data D --target progression --penalty elasticnet --l1-ratio 0.5",
        "linear cv --data D --target progression --folds 3 --shuffle --seed 18446744073709551615 --stratify --model-out m.json",
        "linear cv --data D --target progression --n-alphas 5 --eps 1e-2 --folds 10 --seed 0",
    };

    /// <summary>Lines the direct path must leave to Spectre (and that Spectre takes or rejects its own way).</summary>
    public static TheoryData<string> OtherLines => new()
    {
        "linear fit --data D --target progression --alpha=0.5",
        "linear fit --data D --target progression --alpha:0.5",
        "linear fit --data D --target progression --alpha -1",
        "linear fit --data D --target progression --alpha 0.5 --json true",
        "linear fit --data D --target progression --alpha 0.5 --json false",
        "linear fit --data D --target progression --alpha 0.5 --degree 0x2",
        "linear fit --data D --target progression --alpha 0.5 --degree -1",
        "linear fit --data D --target progression --alpha 0.5 --degree 2147483648",
        "linear fit --data D --target progression --alpha 0.5 --max-iter 1.5",
        "linear fit --data D --target progression --alpha 0,5",
        "linear fit --data D --target progression --alpha NaN",
        "linear fit --data D --target progression --alpha Infinity",
        "linear fit --data D --target progression",
        "linear fit --data D --target progression --alpha 0.5 --n-alphas 3",
        "linear fit --data D --target progression --alpha 0.5 extra",
        "linear fit --data D --target progression --alpha 0.5 --help",
        "linear fit --data D --target progression --alpha 0.5 -h",
        "linear fit --data D --target progression --alpha 0.5 --json --json",
        "linear fit --data D --target progression --alpha 0.5 --Json",
        "linear fit --data D --target progression --alpha 0.5 --",
        "linear fit --data D --target progression --alpha 0.5 --penalty huber",
        "linear fit --data D --target progression --alpha 0.5 --tol 0",
        "linear fit --data D --target progression --alpha 0.5 --grouped yes",
        "linear path --data D --target progression --eps 1",
        "linear cv --data D --target progression --folds 1",
        "linear cv --data D --target progression --seed -1",
        "linear cv --data D --target progression --seed 18446744073709551616",
        "linear cv --data D --target progression --shuffle 1",
        "linear Fit --data D --target progression --alpha 0.5",
        "linear --data D --target progression --alpha 0.5",
    };

    /// <summary>The words of a test line: "D" is the diabetes file, "_" a space inside a word.</summary>
    private static string[] Words(string line) =>
        [.. line.Split(' ').Select(w => w == "D" ? Diabetes : w.Replace('_', ' '))];

    [Theory]
    [MemberData(nameof(PlainLines))]
    public void APlainLineBindsAsSpectreBindsIt(string line)
    {
        string[] args = Words(line);
        SpectreBinding.AssertBindsAlike(Spectre(args), Direct(args));
    }

    [Theory]
    [MemberData(nameof(OtherLines))]
    public void AnyOtherLineIsLeftToSpectre(string line)
    {
        string[] args = Words(line);
        Assert.Null(Direct(args));
        Assert.False(DirectLine.TryRun(args, _ => throw new InvalidOperationException("ran"), out _));
    }

    [Fact]
    public void ALineSpectreTakesPrintsTheSameAsTheDirectLine()
    {
        // --alpha=0.5 is Spectre's (the direct path takes "--alpha 0.5" only): the same fit, table and JSON.
        foreach (string[] tail in new[] { new[] { "--json" }, [] })
        {
            var direct = Cli.Run(["linear", "fit", "--data", Diabetes, "--target", "progression", "--alpha", "0.5", .. tail]);
            var spectre = Cli.Run(["linear", "fit", "--data", Diabetes, "--target", "progression", "--alpha=0.5", .. tail]);
            Assert.Equal(0, direct.ExitCode);
            Assert.Equal(0, spectre.ExitCode);
            Assert.Equal(Untimed(spectre.Out), Untimed(direct.Out));
            Assert.Equal(spectre.Err, direct.Err);
        }
    }

    [GeneratedRegex(@"\d+\.\d+ s\b|""seconds"": [0-9.eE+-]+")]
    private static partial Regex Seconds();

    private static string Untimed(string output) => Seconds().Replace(output, "T");

    private static CommandSettings? Direct(string[] args)
    {
        if (args is not ["linear", var name, ..]) return null;
        return name switch
        {
            "fit" => DirectLine.TryBind(args, 2, DirectLine.LinearFit, out var fit) ? fit : null,
            "path" => DirectLine.TryBind(args, 2, DirectLine.LinearPath, out var path) ? path : null,
            "cv" => DirectLine.TryBind(args, 2, DirectLine.LinearCv, out var cv) ? cv : null,
            _ => null,
        };
    }

    /// <summary>The settings Spectre.Console.Cli binds and validates for <paramref name="args"/> (configured as <see cref="OccamApp"/> configures it), or null when it rejects the line.</summary>
    private static CommandSettings? Spectre(string[] args) => SpectreBinding.Bind(args, LinearCommands.Register);
}
