using Occam.Reports;

namespace Occam.Experiments;

/// <summary>How to run an experiment: the profile, the number of seeds (null = the profile's default) and the first seed.</summary>
public sealed record ExperimentOptions
{
    /// <summary>The quick profile (small sizes for tests and <c>occam report --quick</c>); false = the full profile the statistics need.</summary>
    public bool Quick { get; init; }

    /// <summary>Number of seeds (repetitions), 1 to <see cref="MaxSeeds"/>; null = the experiment's default for the profile.</summary>
    public int? Seeds { get; init; }

    /// <summary>
    /// The most seeds a run takes: 100000, 50 times the largest default (geometry's 2000 in the full profile). Every
    /// experiment keeps one result per seed (and some a figure point per seed) for its statistics, and some derive a
    /// second stream of data sets from seed + 500000 (bias) or + 1000000 (geometry), which more seeds would overlap;
    /// 100000 seeds already put a rate's standard error under 0.002, finer than any verdict rule reads.
    /// </summary>
    public const int MaxSeeds = 100_000;

    /// <summary>The usage message for a seed count outside 1..<see cref="MaxSeeds"/>.</summary>
    public static string SeedsError(long seeds) => seeds < 1
        ? $"--seeds must be at least 1 (got {seeds})."
        : $"--seeds {seeds} is more than {MaxSeeds}: each seed's results are kept for the statistics, and the defaults are at most 2000 (occam experiment list); use at most {MaxSeeds}.";

    /// <summary>Seed of repetition i is <c>SeedBase + i</c>. Default 1.</summary>
    public ulong SeedBase { get; init; } = 1;
}

/// <summary>
/// What one run of an experiment knows: the profile, the seeds, and a progress sink. Experiments read their sizes
/// from <see cref="Quick"/> and draw every random choice from <see cref="Seed"/>, so the same context gives the same result.
/// </summary>
public sealed class ExperimentContext
{
    internal ExperimentContext(bool quick, int seeds, ulong seedBase, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        Quick = quick;
        Seeds = seeds;
        SeedBase = seedBase;
        Progress = progress;
        CancellationToken = cancellationToken;
    }

    /// <summary>The quick profile.</summary>
    public bool Quick { get; }

    /// <summary>Number of seeds (repetitions) to run.</summary>
    public int Seeds { get; }

    /// <summary>The first seed.</summary>
    public ulong SeedBase { get; }

    /// <summary>Where to report progress lines (may be null).</summary>
    public IProgress<string>? Progress { get; }

    /// <summary>Cancels the run.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The seed of repetition <paramref name="index"/> (0-based): <c>SeedBase + index</c>.</summary>
    public ulong Seed(int index) => SeedBase + (ulong)index;

    /// <summary>The profile's name: "quick" or "full".</summary>
    public string Profile => Quick ? "quick" : "full";
}

/// <summary>
/// An experiment: one claim (or a few related ones) of the notes, tested with statistics. Implement it in one file under
/// src/Occam.Experiments that reads like its protocol, add it to <see cref="ExperimentRegistry.All"/>, and test its
/// direction and statistic (never pixels) in tests/Occam.Experiments.Tests.
/// </summary>
public abstract class Experiment
{
    /// <summary>The command name (lower-case letters, digits and dashes), e.g. <c>xor-width</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The report title.</summary>
    public abstract string Title { get; }

    /// <summary>The note the claims come from, e.g. "000".</summary>
    public abstract string Note { get; }

    /// <summary>The claims as stated (Chinese original and English).</summary>
    public abstract IReadOnlyList<Claim> Claims { get; }

    /// <summary>Default number of seeds in the quick and the full profile.</summary>
    public abstract (int Quick, int Full) DefaultSeeds { get; }

    /// <summary>
    /// Runs the protocol and returns the report section: protocol, tables, figures, findings and one verdict per claim
    /// computed with <see cref="ClaimTest"/> / <see cref="VerdictRule"/>. Must be deterministic given the context.
    /// </summary>
    protected abstract ReportSection Execute(ExperimentContext context);

    /// <summary>
    /// Runs the experiment with <paramref name="options"/> (validated: seeds ≥ 1) and checks its section (name, one
    /// verdict per claim, no verdict for an unknown claim).
    /// </summary>
    public ExperimentResult Run(ExperimentOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        int seeds = options.Seeds ?? (options.Quick ? DefaultSeeds.Quick : DefaultSeeds.Full);
        if (seeds is < 1 or > ExperimentOptions.MaxSeeds) throw OccamException.Usage(ExperimentOptions.SeedsError(seeds));
        var context = new ExperimentContext(options.Quick, seeds, options.SeedBase, progress, cancellationToken);
        var section = Execute(context);
        Check(section);
        return new ExperimentResult
        {
            Name = Name,
            Note = Note,
            Profile = context.Profile,
            Seeds = seeds,
            SeedBase = options.SeedBase,
            Section = section,
        };
    }

    private void Check(ReportSection section)
    {
        if (section.Name != Name)
            throw new InvalidOperationException($"experiment '{Name}' returned a section named '{section.Name}'.");
        foreach (var claim in Claims)
        {
            int n = section.Verdicts.Count(v => v.ClaimId == claim.Id);
            if (n != 1) throw new InvalidOperationException($"experiment '{Name}' gave {n} verdicts for claim '{claim.Id}'; it needs exactly one.");
        }
        foreach (var v in section.Verdicts)
            if (Claims.All(c => c.Id != v.ClaimId))
                throw new InvalidOperationException($"experiment '{Name}' gave a verdict for unknown claim '{v.ClaimId}'.");
    }
}

/// <summary>The outcome of one run: which experiment, profile and seeds, and its report section. Saved as result.json.</summary>
public sealed record ExperimentResult
{
    /// <summary>The file format tag.</summary>
    public string Format { get; init; } = ResultFile.FormatTag;

    /// <summary>The experiment's name.</summary>
    public required string Name { get; init; }

    /// <summary>The note number.</summary>
    public required string Note { get; init; }

    /// <summary>"quick" or "full".</summary>
    public required string Profile { get; init; }

    /// <summary>Number of seeds run.</summary>
    public required int Seeds { get; init; }

    /// <summary>The first seed.</summary>
    public required ulong SeedBase { get; init; }

    /// <summary>The report section (claims, protocol, tables, figures as data, findings, verdicts).</summary>
    public required ReportSection Section { get; init; }
}
