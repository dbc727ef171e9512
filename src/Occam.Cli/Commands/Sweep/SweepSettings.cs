using System.ComponentModel;
using Occam.Selection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands.Sweep;

/// <summary>Options of <c>occam sweep</c>: the data, the fixed training settings, the search space and how trials are run and chosen.</summary>
public sealed class SweepSettings : NetworkSettings
{
    [CommandOption("--search <SPEC>")]
    [Description("The search space, e.g. \"l1=log(1e-5,1e-1,9);dropout=0,0.2,0.5\" (grammar in docs/cli.md). Or --search-file.")]
    public string? Search { get; init; }

    [CommandOption("--search-file <FILE>")]
    [Description("The search space as a JSON file, {\"l1\": {\"log\": [1e-5, 0.1, 9]}, \"dropout\": [0, 0.5]}, or YAML (.yaml/.yml).")]
    public string? SearchFile { get; init; }

    [CommandOption("--sampler <NAME>")]
    [Description("grid (default: every point), random (--trials draws) or halving (successive halving on epochs; --epochs is the last rung's).")]
    [DefaultValue("grid")]
    public string Sampler { get; init; } = "grid";

    [CommandOption("--trials <N>")]
    [Description("random: trials to draw; halving: configurations in the first rung. Default 20.")]
    [DefaultValue(20)]
    public int Trials { get; init; } = 20;

    [CommandOption("--eta <ETA>")]
    [Description("halving: keep the best 1/eta of each rung and train them eta times longer (>= 2). Default 3.")]
    [DefaultValue(3)]
    public int Eta { get; init; } = 3;

    [CommandOption("--folds <K>")]
    [Description("K-fold cross-validation (>= 2; stratified for class labels). Default 5; --val-split instead for a holdout.")]
    public int? Folds { get; init; }

    [CommandOption("--val-split <FRACTION>")]
    [Description("Evaluate on one holdout of this fraction of the rows instead of k-fold, in (0, 1).")]
    public double? ValSplit { get; init; }

    [CommandOption("--contiguous")]
    [Description("Folds (or the holdout) in row order instead of seeded shuffled rows.")]
    public bool Contiguous { get; init; }

    [CommandOption("--no-stratify")]
    [Description("Do not keep class proportions in the folds (by default they are kept for class labels).")]
    public bool NoStratify { get; init; }

    [CommandOption("--metric <NAME>")]
    [Description("What trials minimize: loss (default: validation loss), accuracy (1 − accuracy) or r2 (1 − R²).")]
    [DefaultValue("loss")]
    public string Metric { get; init; } = "loss";

    [CommandOption("--choose <RULE>")]
    [Description("Which trial --out refits: 1se (default: the most regularized within one SE of the best) or best.")]
    [DefaultValue("1se")]
    public string Choose { get; init; } = "1se";

    [CommandOption("--out <MODEL>")]
    [Description("Refit the chosen trial on all rows and write it (occam-mlp/1, atomic). Default: no model.")]
    public string? Out { get; init; }

    [CommandOption("--plots <DIR>")]
    [Description("Write a scatter of the objective (± SE, best and 1-SE marked) per numeric searched hyper-parameter into DIR (PNG and SVG).")]
    public string? Plots { get; init; }

    [CommandOption("--study <STUDY>")]
    [Description("Where trials are recorded: a SQLite file or postgresql://… URL; rerun to resume. Default: memory only.")]
    public string? Study { get; init; }

    [CommandOption("--jobs <N>")]
    [Description("Trials run at once, each on one thread (1 to 1024). Default: the number of cores.")]
    public int? Jobs { get; init; }

    [CommandOption("--lease <SECONDS>")]
    [Description("A running trial is taken over by another worker after this long without a heartbeat. Default 60.")]
    [DefaultValue(60.0)]
    public double Lease { get; init; } = 60;

    [CommandOption("--l1 <LAMBDA>")]
    [Description("L1 strength when not searched (one value for every layer).")]
    public string? L1 { get; init; }

    [CommandOption("--l1-mode <MODE>")]
    [Description("prox (default: soft-thresholding, exact zeros) or subgradient.")]
    [DefaultValue("prox")]
    public string L1Mode { get; init; } = "prox";

    [CommandOption("--l2 <LAMBDA>")]
    [Description("L2 strength when not searched (one value).")]
    public string? L2 { get; init; }

    [CommandOption("--elastic-net <ALPHA>")]
    [Description("Elastic-net α when not searched (one value); with --l1-ratio.")]
    public string? ElasticNet { get; init; }

    [CommandOption("--group-lasso <LAMBDA>")]
    [Description("Group-lasso λ when not searched (one value).")]
    public string? GroupLasso { get; init; }

    [CommandOption("--weight-decay <LAMBDA>")]
    [Description("Decoupled weight decay when not searched (one value).")]
    public string? WeightDecay { get; init; }

    public override ValidationResult Validate()
    {
        var baseResult = ValidateNetwork();
        if (!baseResult.Successful) return baseResult;
        if (Search is null == (SearchFile is null))
            return ValidationResult.Error(Search is null
                ? "--search is required: give the search space, e.g. --search \"l1=log(1e-5,1e-1,9);dropout=0,0.2,0.5\" (or --search-file FILE)."
                : "--search and --search-file both give a search space; give one.");
        if (Sampler is not ("grid" or "random" or "halving")) return ValidationResult.Error($"--sampler must be grid, random or halving (got '{Sampler}').");
        if (Trials < 1) return ValidationResult.Error($"--trials must be >= 1 (got {Trials}).");
        if (Eta < 2) return ValidationResult.Error($"--eta must be >= 2 (got {Eta}).");
        if (Folds is int k && k < 2) return ValidationResult.Error($"--folds must be >= 2 (got {k}); use --val-split for a holdout.");
        if (ValSplit is double v && !(v > 0 && v < 1)) return ValidationResult.Error($"--val-split must be in (0, 1) (got {v}).");
        if (Folds is not null && ValSplit is not null) return ValidationResult.Error("--folds and --val-split both say how to evaluate; give one (k-fold or a holdout).");
        if (!TrialEvaluator.TryParse(Metric, out _)) return ValidationResult.Error($"--metric must be loss, accuracy or r2 (got '{Metric}').");
        if (Choose is not ("1se" or "best")) return ValidationResult.Error($"--choose must be 1se or best (got '{Choose}').");
        if (Jobs is int j && j is < 1 or > SweepRunOptions.MaxJobs) return ValidationResult.Error(SweepRunOptions.JobsError(j));
        if (!(Lease > 0 && Lease <= 86400)) return ValidationResult.Error($"--lease must be in (0, 86400] seconds (got {Lease}).");
        return ValidationResult.Success();
    }
}

/// <summary>Options of <c>occam sweep worker</c>: a study to join and its data.</summary>
public sealed class SweepWorkerSettings : JsonSettings
{
    [CommandOption("--study <STUDY>")]
    [Description("Required. The study to join (a SQLite file or postgresql://… URL), made by 'occam sweep --study'.")]
    public string? Study { get; init; }

    [CommandOption("--data <FILE>")]
    [Description("Required. The study's data (CSV, or IDX images with --labels); checked against the study's SHA-256.")]
    public string? Data { get; init; }

    [CommandOption("--labels <FILE>")]
    [Description("IDX label file, when the study's data are IDX images.")]
    public string? Labels { get; init; }

    [CommandOption("--jobs <N>")]
    [Description("Trials run at once, each on one thread (1 to 1024). Default: the number of cores.")]
    public int? Jobs { get; init; }

    [CommandOption("--lease <SECONDS>")]
    [Description("A running trial is taken over by another worker after this long without a heartbeat. Default 60.")]
    [DefaultValue(60.0)]
    public double Lease { get; init; } = 60;

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Study)) return ValidationResult.Error("--study is required: give the study to join (a SQLite file or postgresql://… URL).");
        if (string.IsNullOrWhiteSpace(Data)) return ValidationResult.Error("--data is required: give the study's data file.");
        if (Jobs is int j && j is < 1 or > SweepRunOptions.MaxJobs) return ValidationResult.Error(SweepRunOptions.JobsError(j));
        if (!(Lease > 0 && Lease <= 86400)) return ValidationResult.Error($"--lease must be in (0, 86400] seconds (got {Lease}).");
        return base.Validate();
    }
}

/// <summary>Options of <c>occam study show</c>.</summary>
public sealed class StudyShowSettings : JsonSettings
{
    [CommandArgument(0, "<STUDY>")]
    [Description("The study: a SQLite file or postgresql://… URL.")]
    public string Study { get; init; } = "";

    [CommandOption("--top <N>")]
    [Description("Show only the N best trials (and the chosen ones). Default: all.")]
    public int? Top { get; init; }

    public override ValidationResult Validate() =>
        Top is int n && n < 1 ? ValidationResult.Error($"--top must be >= 1 (got {n}).") : base.Validate();
}

/// <summary>Options of <c>occam study export</c>.</summary>
public sealed class StudyExportSettings : CommandSettings
{
    [CommandArgument(0, "<STUDY>")]
    [Description("The study: a SQLite file or postgresql://… URL.")]
    public string Study { get; init; } = "";

    [CommandOption("--out <CSV>")]
    [Description("Required. Where to write the trials (CSV, one row per trial; columns in docs/formats.md).")]
    public string? Out { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out is required: give the CSV file to write.") : base.Validate();
}
