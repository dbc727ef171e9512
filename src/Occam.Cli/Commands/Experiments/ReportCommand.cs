using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Occam.Experiments;
using Occam.Reports;
using Spectre.Console;
using Table = Spectre.Console.Table;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands.Experiments;

public sealed class ReportSettings : JsonSettings
{
    [CommandOption("--out <FILE>")]
    [Description("The HTML file to write (default report.html).")]
    [DefaultValue("report.html")]
    public string Out { get; init; } = "report.html";

    [CommandOption("--quick")]
    [Description("Run the experiments in their quick profile (under 3 minutes for all on 2 cores).")]
    public bool Quick { get; init; }

    [CommandOption("--seeds <N>")]
    [Description("Seeds per condition for every experiment run, 1 to 100000 (default: each experiment's default for the profile).")]
    public int? Seeds { get; init; }

    [CommandOption("--results <DIR>")]
    [Description("Reuse DIR/NAME/result.json where it exists; run the others and save them there.")]
    public string? Results { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out is empty; give the HTML file to write.");
        if (Seeds is < 1 or > ExperimentOptions.MaxSeeds) return ValidationResult.Error(ExperimentOptions.SeedsError(Seeds.Value));
        if (Results is not null && string.IsNullOrWhiteSpace(Results)) return ValidationResult.Error("--results is empty; give the folder of saved results.");
        return ValidationResult.Success();
    }
}

/// <summary><c>occam report</c>: every experiment (run or reused) in one self-contained HTML file.</summary>
public sealed class ReportCommand : Command<ReportSettings>
{
    public override int Execute(CommandContext context, ReportSettings s, CancellationToken cancellationToken)
    {
        Serialization.OutputFiles.Check(s.Out);
        if (s.Results is { } saved && File.Exists(saved))
            throw OccamException.Output($"--results {saved} is a file; give the folder of saved results (DIR/NAME/result.json; it is created if missing).");
        var clock = Stopwatch.StartNew();
        var results = ExperimentReport.Collect(ExperimentRegistry.All, new ExperimentOptions { Quick = s.Quick, Seeds = s.Seeds }, s.Results,
            ExperimentCommand.Progress(s.Json), cancellationToken);
        ExperimentReport.Write(s.Out, ExperimentReport.Html(results));
        double seconds = clock.Elapsed.TotalSeconds;
        if (s.Json)
        {
            Output.JsonOut.Print(w =>
            {
                w.WriteString("out", Path.GetFullPath(s.Out));
                w.WriteStartArray("experiments");
                foreach (var r in results)
                {
                    w.WriteStartObject();
                    w.WriteString("name", r.Name);
                    w.WriteString("profile", r.Profile);
                    w.WriteNumber("seeds", r.Seeds);
                    w.WriteStartObject("verdicts");
                    foreach (var v in r.Section.Verdicts) w.WriteString(v.ClaimId, HtmlReport.Label(v.Outcome));
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteNumber("seconds", Math.Round(seconds, 2));
            });
            return ExitCodes.Success;
        }
        var table = new Table().AddColumns("experiment", "profile", "seeds", "supported", "conditional", "not supported");
        foreach (var r in results)
        {
            int Count(VerdictOutcome o) => r.Section.Verdicts.Count(v => v.Outcome == o);
            table.AddRow(r.Name, r.Profile, r.Seeds.ToString(CultureInfo.InvariantCulture), Count(VerdictOutcome.Supported).ToString(CultureInfo.InvariantCulture),
                Count(VerdictOutcome.Conditional).ToString(CultureInfo.InvariantCulture), Count(VerdictOutcome.NotSupported).ToString(CultureInfo.InvariantCulture));
        }
        Output.Tables.Show("Experiments", table, string.Create(CultureInfo.InvariantCulture, $"report written to {s.Out} in {seconds:0.0} s"));
        return ExitCodes.Success;
    }
}
