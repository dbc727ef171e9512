using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Occam.Experiments;
using Occam.Reports;
using Spectre.Console;
using Table = Spectre.Console.Table;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands.Experiments;

public sealed class ExperimentSettings : JsonSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The experiment to run, or 'list' to list them.")]
    public string Name { get; init; } = "";

    [CommandOption("--seeds <N>")]
    [Description("Seeds (repetitions) per condition, 1 to 100000; default: the experiment's default for the profile.")]
    public int? Seeds { get; init; }

    [CommandOption("--seed-base <SEED>")]
    [Description("Repetition i uses seed SEED + i (default 1).")]
    [DefaultValue(1UL)]
    public ulong SeedBase { get; init; } = 1;

    [CommandOption("--quick")]
    [Description("The quick profile: small sizes and few seeds (what the tests and `occam report --quick` run).")]
    public bool Quick { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("Folder for result.json and the PNG + SVG figures (default experiments/NAME).")]
    public string? Out { get; init; }

    public override ValidationResult Validate()
    {
        if (Name == "list")
            return Seeds is not null || Quick || Out is not null || SeedBase != 1
                ? ValidationResult.Error("'occam experiment list' takes no --seeds, --seed-base, --quick or --out; give them with an experiment's name.")
                : ValidationResult.Success();
        if (Seeds is < 1 or > ExperimentOptions.MaxSeeds) return ValidationResult.Error(ExperimentOptions.SeedsError(Seeds.Value));
        if (Out is not null && string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out is empty; give the folder to write the results to.");
        return ValidationResult.Success();
    }
}

/// <summary><c>occam experiment list</c> and <c>occam experiment NAME</c>: list or run the experiments of <see cref="ExperimentRegistry"/>.</summary>
public sealed class ExperimentCommand : Command<ExperimentSettings>
{
    public override int Execute(CommandContext context, ExperimentSettings s, CancellationToken cancellationToken)
    {
        if (s.Name == "list") return List(s.Json);
        var experiment = ExperimentRegistry.Find(s.Name);
        string folder = s.Out ?? Path.Combine("experiments", experiment.Name);
        // The output folder is checked (and made) before the run, which may take hours: a file there, or a folder that
        // cannot be made or written, is refused first; a folder made here is removed again if the run fails.
        if (File.Exists(folder))
            throw OccamException.Output($"--out {folder} is a file; give a folder for result.json and the figures (it is created if missing).");
        bool made = !Directory.Exists(folder);
        Serialization.OutputFiles.CreateFolder(folder);
        var clock = Stopwatch.StartNew();
        ExperimentResult result;
        IReadOnlyList<string> written;
        try
        {
            Serialization.OutputFiles.Check(Path.Combine(folder, ResultFile.FileName));
            result = experiment.Run(new ExperimentOptions { Quick = s.Quick, Seeds = s.Seeds, SeedBase = s.SeedBase }, Progress(s.Json), cancellationToken);
            written = ResultFile.Save(result, folder);
        }
        catch
        {
            if (made) RemoveIfEmpty(folder);
            throw;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        if (s.Json)
        {
            Output.JsonOut.Print(w =>
            {
                w.WriteString("experiment", result.Name);
                w.WriteString("profile", result.Profile);
                w.WriteNumber("seeds", result.Seeds);
                w.WriteNumber("seedBase", result.SeedBase);
                w.WriteStartArray("verdicts");
                foreach (var v in result.Section.Verdicts)
                {
                    w.WriteStartObject();
                    w.WriteString("claim", v.ClaimId);
                    w.WriteString("verdict", HtmlReport.Label(v.Outcome));
                    w.WriteString("reason", v.Reason);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("files");
                foreach (string f in written) w.WriteStringValue(Path.GetFullPath(f));
                w.WriteEndArray();
                w.WriteNumber("seconds", Math.Round(seconds, 2));
            });
            return ExitCodes.Success;
        }
        ShowVerdicts(result);
        Output.Tables.Line(string.Create(CultureInfo.InvariantCulture,
            $"{result.Name}: {result.Profile} profile, {Counted.Of(result.Seeds, "seed")}, {seconds:0.0} s; {Counted.Of(written.Count, "file")} written to {folder} (result.json + PNG/SVG figures)"));
        return ExitCodes.Success;
    }

    /// <summary>Removes <paramref name="folder"/> if it is empty (best effort).</summary>
    private static void RemoveIfEmpty(string folder)
    {
        try
        {
            if (!Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind: an empty folder is all there is to clean up.
        }
    }

    /// <summary>Progress lines on standard error (standard output stays for the result).</summary>
    internal static IProgress<string> Progress(bool quiet) => new SyncProgress(quiet ? null : Console.Error);

    /// <summary>Prints the verdict table of one result.</summary>
    internal static void ShowVerdicts(ExperimentResult result)
    {
        var table = new Table().AddColumns("claim", "verdict", "reason");
        foreach (var v in result.Section.Verdicts)
            table.AddRow(Markup.Escape(v.ClaimId), Markup.Escape(HtmlReport.Label(v.Outcome)), Markup.Escape(v.Reason));
        Output.Tables.Show($"{result.Section.Title} (note {result.Note})", table);
    }

    private static int List(bool json)
    {
        var all = ExperimentRegistry.All;
        if (json)
        {
            Output.JsonOut.Print(w =>
            {
                w.WriteStartArray("experiments");
                foreach (var e in all)
                {
                    w.WriteStartObject();
                    w.WriteString("name", e.Name);
                    w.WriteString("note", e.Note);
                    w.WriteString("title", e.Title);
                    w.WriteNumber("claims", e.Claims.Count);
                    w.WriteNumber("quickSeeds", e.DefaultSeeds.Quick);
                    w.WriteNumber("fullSeeds", e.DefaultSeeds.Full);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
            return ExitCodes.Success;
        }
        var table = new Table().AddColumns("name", "note", "claims", "seeds quick/full", "title");
        foreach (var e in all)
            table.AddRow(e.Name, e.Note, e.Claims.Count.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{e.DefaultSeeds.Quick}/{e.DefaultSeeds.Full}"), Markup.Escape(e.Title));
        Output.Tables.Show($"{all.Count} experiments (run one with `occam experiment NAME`, all with `occam report`)", table);
        return ExitCodes.Success;
    }

    /// <summary>Writes each progress line at once, on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(TextWriter? writer) : IProgress<string>
    {
        private readonly Lock _lock = new();

        public void Report(string value)
        {
            if (writer is null) return;
            lock (_lock) writer.WriteLine(value);
        }
    }
}
