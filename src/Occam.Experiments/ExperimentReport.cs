using System.Globalization;
using Occam.Reports;
using Occam.Serialization;

namespace Occam.Experiments;

/// <summary>
/// Builds the one-file HTML report of <c>occam report</c>: runs every experiment, or reuses its saved
/// <c>RESULTS/NAME/result.json</c> when a results folder is given (missing ones are run and saved there).
/// </summary>
public static class ExperimentReport
{
    /// <summary>The report's title.</summary>
    public const string Title = "Occam: the claims of the regularization notes, tested";

    /// <summary>
    /// The results of <paramref name="experiments"/>, in order: loaded from <paramref name="resultsFolder"/>/NAME/result.json
    /// when that file exists, otherwise run with <paramref name="options"/> (and saved there when a folder is given).
    /// </summary>
    public static IReadOnlyList<ExperimentResult> Collect(IReadOnlyList<Experiment> experiments, ExperimentOptions options, string? resultsFolder,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ExperimentResult>(experiments.Count);
        foreach (var experiment in experiments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? folder = resultsFolder is null ? null : Path.Combine(resultsFolder, experiment.Name);
            if (folder is not null && File.Exists(Path.Combine(folder, ResultFile.FileName)))
            {
                var saved = ResultFile.Load(folder);
                if (saved.Name != experiment.Name)
                    throw new OccamException($"{Path.Combine(folder, ResultFile.FileName)} holds experiment '{saved.Name}', not '{experiment.Name}'; remove it or fix --results.");
                progress?.Report($"{experiment.Name}: reusing {Path.Combine(folder, ResultFile.FileName)} ({saved.Profile}, {saved.Seeds} seeds)");
                results.Add(saved);
                continue;
            }
            progress?.Report($"{experiment.Name}: running");
            var result = experiment.Run(options, progress, cancellationToken);
            if (folder is not null) ResultFile.Save(result, folder);
            results.Add(result);
        }
        return results;
    }

    /// <summary>The self-contained HTML page of <paramref name="results"/>; each section's protocol starts with how it was run.</summary>
    public static string Html(IReadOnlyList<ExperimentResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var sections = results.Select(r => r.Section with
        {
            Protocol = [new ProtocolEntry("run", Provenance(r)), .. r.Section.Protocol],
        }).ToArray();
        var counts = sections.SelectMany(s => s.Verdicts).GroupBy(v => v.Outcome).ToDictionary(g => g.Key, g => g.Count());
        string Count(VerdictOutcome o) => counts.GetValueOrDefault(o).ToString(CultureInfo.InvariantCulture);
        return HtmlReport.Render(Title, sections,
        [
            "Each section tests claims made in the notes Occam was started from (notes 000–004), as stated: the claim in the original Chinese and in English, the protocol, " +
            "the results with their uncertainty (Wilson 95 % intervals for rates, mean ± standard error otherwise), the plots, and a verdict computed from the statistics " +
            "by the rule in docs/experiments.md (supported if the 95 % interval lies inside the claimed region under every tested condition, not supported if outside under every one, conditional otherwise).",
            $"Verdicts: {Count(VerdictOutcome.Supported)} supported, {Count(VerdictOutcome.Conditional)} conditional, {Count(VerdictOutcome.NotSupported)} not supported.",
        ]);
    }

    /// <summary>Writes <paramref name="html"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, string html) => AtomicFile.WriteAllText(path, html);

    /// <summary>How a result was produced, as a command line.</summary>
    public static string Provenance(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string quick = result.Profile == "quick" ? " --quick" : "";
        string seedBase = result.SeedBase == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $" --seed-base {result.SeedBase}");
        return string.Create(CultureInfo.InvariantCulture, $"occam experiment {result.Name}{quick} --seeds {result.Seeds}{seedBase} ({result.Profile} profile)");
    }
}
