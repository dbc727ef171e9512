using System.ComponentModel;
using System.Globalization;
using System.Text;
using Occam.Data;
using Occam.Numerics.Random;
using Occam.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands;

public sealed class SynthSettings : JsonSettings
{
    [CommandArgument(0, "<KIND>")]
    [Description("xor, circles, spiral, blobs or polynomial.")]
    public string Kind { get; init; } = "";

    [CommandOption("--rows <N>")]
    [Description("Rows to generate (at least 2; default 200).")]
    [DefaultValue(200)]
    public int Rows { get; init; } = 200;

    [CommandOption("--noise <SD>")]
    [Description("Noise standard deviation (default 0.1).")]
    [DefaultValue(0.1)]
    public double Noise { get; init; } = 0.1;

    [CommandOption("--classes <K>")]
    [Description("Classes for spiral and blobs (default 3).")]
    [DefaultValue(3)]
    public int Classes { get; init; } = 3;

    [CommandOption("--features <P>")]
    [Description("Features for blobs (default 2).")]
    [DefaultValue(2)]
    public int Features { get; init; } = 2;

    [CommandOption("--degree <D>")]
    [Description("Degree for polynomial (default 3).")]
    [DefaultValue(3)]
    public int Degree { get; init; } = 3;

    [CommandOption("--seed <SEED>")]
    [Description("Seed of the generator: the same seed gives the same file byte for byte (default 0).")]
    [DefaultValue(0UL)]
    public ulong Seed { get; init; }

    [CommandOption("--out <FILE>")]
    [Description("Required. The CSV to write (features x1, x2, … or x, and target y).")]
    public string? Out { get; init; }

    public override ValidationResult Validate()
    {
        if (Kind is not ("xor" or "circles" or "spiral" or "blobs" or "polynomial"))
            return ValidationResult.Error($"unknown synthetic set '{Kind}'; use xor, circles, spiral, blobs or polynomial.");
        if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out is required: give the path of the CSV to write.");
        if (Rows < 2) return ValidationResult.Error($"--rows must be at least 2 (got {Rows}).");
        if (!(Noise >= 0) || double.IsInfinity(Noise)) return ValidationResult.Error($"--noise must be a number >= 0 (got {Noise}).");
        if (Classes < 2) return ValidationResult.Error($"--classes must be at least 2 (got {Classes}).");
        if (Features < 1) return ValidationResult.Error($"--features must be at least 1 (got {Features}).");
        if (Degree < 0) return ValidationResult.Error($"--degree must be >= 0 (got {Degree}).");
        return ValidationResult.Success();
    }
}

/// <summary><c>occam synth KIND --out F.csv</c>: writes a seeded synthetic dataset (see <see cref="Synthetic"/>) as CSV.</summary>
public sealed class SynthCommand : Command<SynthSettings>
{
    /// <summary>The options only some kinds read; given for another kind they are an error, never ignored.</summary>
    private static readonly (string Option, string[] Kinds)[] Applies =
    [
        ("--classes", ["spiral", "blobs"]),
        ("--features", ["blobs"]),
        ("--degree", ["polynomial"]),
    ];

    public override int Execute(CommandContext context, SynthSettings s, CancellationToken cancellationToken)
    {
        foreach (var (option, kinds) in Applies)
            if (!kinds.Contains(s.Kind) && GivenOptions.Has(context, option))
                throw OccamException.Usage($"{option} does not apply to '{s.Kind}' (only to {string.Join(" and ", kinds)}); leave it out.");
        OutputFiles.Check(s.Out);
        var rng = new Rng(s.Seed);
        var data = s.Kind switch
        {
            "xor" => Synthetic.Xor(s.Rows, s.Noise, rng),
            "circles" => Synthetic.Circles(s.Rows, s.Noise, 0.5, rng),
            "spiral" => Synthetic.Spiral(s.Rows, s.Classes, s.Noise, rng),
            "blobs" => Synthetic.Blobs(s.Rows, s.Classes, s.Features, Math.Max(s.Noise, 1e-12), rng),
            _ => Synthetic.Polynomial(s.Rows, s.Degree, s.Noise, rng),
        };
        AtomicFile.Write(s.Out!, stream => CsvWriter.Write(data, stream));
        if (s.Json)
            Output.JsonOut.Print(w =>
            {
                w.WriteString("kind", s.Kind);
                w.WriteNumber("rows", data.Rows);
                w.WriteNumber("features", data.Features);
                w.WriteString("task", TaskKinds.Name(data.Task));
                w.WriteString("out", Path.GetFullPath(s.Out!));
            });
        else
            Output.Tables.Line($"{Counted.Of(data.Rows, "row")} × {Counted.Of(data.Features, "feature")} ({TaskKinds.Name(data.Task)}, target '{data.TargetName}') written to {s.Out}");
        return 0;
    }
}
