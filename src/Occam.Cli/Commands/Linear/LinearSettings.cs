using System.ComponentModel;
using System.Globalization;
using Occam.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands.Linear;

/// <summary>Options shared by <c>occam linear fit|path|cv</c>.</summary>
internal class LinearSettings : CommandSettings
{
    [CommandOption("--data <FILE>")]
    [Description("Required. CSV file with a header row.")]
    public string? Data { get; set; }

    [CommandOption("--target <COLUMN>")]
    [Description("Required. Name of the target column; every other column is a feature.")]
    public string? Target { get; set; }

    [CommandOption("--task <TASK>")]
    [Description("auto (default: inferred from the target), regression, binary (penalized logistic regression) or multiclass (multinomial).")]
    [DefaultValue("auto")]
    public string Task { get; set; } = "auto";

    [CommandOption("--grouped")]
    [Description("Multiclass targets: penalize each feature's class coefficients as one group (in or out for all classes), glmnet's type.multinomial = \"grouped\".")]
    public bool Grouped { get; set; }

    [CommandOption("--penalty <PENALTY>")]
    [Description("lasso, ridge or elasticnet (default: elasticnet when --l1-ratio is given, lasso otherwise).")]
    public string? PenaltyOption { get; set; }

    /// <summary>The penalty asked for, with the default resolved.</summary>
    public string Penalty => PenaltyOption ?? (L1Ratio is null ? "lasso" : "elasticnet");

    [CommandOption("--l1-ratio <R>")]
    [Description("Elastic-net mixing ρ in [[0, 1]] (default 0.5 for elasticnet; lasso is 1, ridge 0).")]
    public double? L1Ratio { get; set; }

    [CommandOption("--no-standardize")]
    [Description("Do not scale columns to unit population standard deviation before fitting.")]
    public bool NoStandardize { get; set; }

    [CommandOption("--degree <D>")]
    [Description("Append powers 2..D of the polynomial columns (default 1: none).")]
    [DefaultValue(1)]
    public int Degree { get; set; } = 1;

    [CommandOption("--poly-columns <NAMES>")]
    [Description("Comma-separated feature names to expand with --degree (default: every feature).")]
    public string? PolyColumns { get; set; }

    [CommandOption("--tol <TOL>")]
    [Description("Duality-gap tolerance, scikit-learn style (default 1e-4).")]
    [DefaultValue(1e-4)]
    public double Tol { get; set; } = 1e-4;

    [CommandOption("--max-iter <N>")]
    [Description("Maximum coordinate sweeps per alpha (default 1000).")]
    [DefaultValue(1000)]
    public int MaxIter { get; set; } = 1000;

    [CommandOption("--out <FILE>")]
    [Description("Write the result as JSON to this file (atomically).")]
    public string? Out { get; set; }

    [CommandOption("--json")]
    [Description("Print the result as JSON on standard output instead of tables.")]
    public bool Json { get; set; }

    public double ResolvedL1Ratio => Penalty switch
    {
        "ridge" => 0,
        "lasso" => 1,
        _ => L1Ratio ?? 0.5,
    };

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Data)) return ValidationResult.Error("--data is required: give the CSV file to fit.");
        if (string.IsNullOrWhiteSpace(Target)) return ValidationResult.Error("--target is required: give the name of the target column.");
        if (Task != "auto" && !TaskKinds.TryParse(Task, out _))
            return ValidationResult.Error($"--task must be auto, regression, binary or multiclass (got '{Task}').");
        if (Penalty is not ("lasso" or "ridge" or "elasticnet"))
            return ValidationResult.Error($"--penalty must be lasso, ridge or elasticnet (got '{Penalty}').");
        if (L1Ratio is double r)
        {
            if (!(r >= 0 && r <= 1)) return ValidationResult.Error($"--l1-ratio must be in [0, 1] (got {r.ToString(CultureInfo.InvariantCulture)}).");
            if (Penalty == "lasso" && r != 1) return ValidationResult.Error("--l1-ratio other than 1 needs --penalty elasticnet (lasso is l1-ratio 1).");
            if (Penalty == "ridge" && r != 0) return ValidationResult.Error("--l1-ratio other than 0 needs --penalty elasticnet (ridge is l1-ratio 0).");
        }
        if (Degree < 1) return ValidationResult.Error($"--degree must be at least 1 (got {Degree}).");
        if (PolyColumns is not null && Degree < 2) return ValidationResult.Error("--poly-columns needs --degree 2 or more.");
        if (!(Tol > 0) || double.IsInfinity(Tol)) return ValidationResult.Error($"--tol must be a positive number (got {Tol.ToString(CultureInfo.InvariantCulture)}).");
        if (MaxIter < 1) return ValidationResult.Error($"--max-iter must be at least 1 (got {MaxIter}).");
        return ValidationResult.Success();
    }
}

/// <summary><c>occam linear fit</c>.</summary>
internal sealed class LinearFitSettings : LinearSettings
{
    [CommandOption("--alpha <A>")]
    [Description("Required. Penalty strength α ≥ 0.")]
    public double? Alpha { get; set; }

    public override ValidationResult Validate()
    {
        var v = base.Validate();
        if (!v.Successful) return v;
        if (Alpha is null) return ValidationResult.Error("--alpha is required: give the penalty strength (use 'occam linear cv' to choose it).");
        if (!(Alpha >= 0) || double.IsInfinity(Alpha.Value)) return ValidationResult.Error($"--alpha must be a finite number >= 0 (got {Alpha.Value.ToString(CultureInfo.InvariantCulture)}).");
        return ValidationResult.Success();
    }
}

/// <summary><c>occam linear path</c>.</summary>
internal class LinearPathSettings : LinearSettings
{
    [CommandOption("--n-alphas <N>")]
    [Description("Number of α values on the grid (default 100).")]
    [DefaultValue(100)]
    public int NAlphas { get; set; } = 100;

    [CommandOption("--eps <EPS>")]
    [Description("Smallest α as a fraction of α_max (default 1e-3).")]
    [DefaultValue(1e-3)]
    public double Eps { get; set; } = 1e-3;

    public override ValidationResult Validate()
    {
        var v = base.Validate();
        if (!v.Successful) return v;
        if (NAlphas < 1) return ValidationResult.Error($"--n-alphas must be at least 1 (got {NAlphas}).");
        if (!(Eps > 0 && Eps < 1)) return ValidationResult.Error($"--eps must be in (0, 1) (got {Eps.ToString(CultureInfo.InvariantCulture)}).");
        return ValidationResult.Success();
    }
}

/// <summary><c>occam linear cv</c>.</summary>
internal sealed class LinearCvSettings : LinearPathSettings
{
    [CommandOption("--folds <K>")]
    [Description("Number of folds (default 5), contiguous unless --shuffle.")]
    [DefaultValue(5)]
    public int Folds { get; set; } = 5;

    [CommandOption("--shuffle")]
    [Description("Shuffle rows (seeded) before splitting into folds.")]
    public bool Shuffle { get; set; }

    [CommandOption("--seed <S>")]
    [Description("Seed for --shuffle (default 0).")]
    [DefaultValue(0UL)]
    public ulong Seed { get; set; }

    [CommandOption("--stratify")]
    [Description("Stratified folds (binary and multiclass targets): every fold keeps the class proportions.")]
    public bool Stratify { get; set; }

    [CommandOption("--model-out <FILE>")]
    [Description("Also write the refitted model (occam-linear/1) to this file.")]
    public string? ModelOut { get; set; }

    public override ValidationResult Validate()
    {
        var v = base.Validate();
        if (!v.Successful) return v;
        if (Folds < 2) return ValidationResult.Error($"--folds must be at least 2 (got {Folds}).");
        return ValidationResult.Success();
    }
}
