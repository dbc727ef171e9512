using System.ComponentModel;
using System.Globalization;
using Occam.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands;

/// <summary>Options every command has.</summary>
public class JsonSettings : CommandSettings
{
    [CommandOption("--json")]
    [Description("Print one JSON object to standard output instead of tables.")]
    public bool Json { get; set; }
}

/// <summary>Where the data comes from: a CSV with a target column, or IDX images with an IDX label file.</summary>
public class DataSettings : JsonSettings
{
    [CommandOption("--data <FILE>")]
    [Description("Required. CSV file with a header row, or an IDX image file (with --labels).")]
    public string? Data { get; set; }

    [CommandOption("--labels <FILE>")]
    [Description("IDX label file; makes --data an IDX image file (e.g. MNIST).")]
    public string? Labels { get; set; }

    [CommandOption("--target <COLUMN>")]
    [Description("Name of the target column in the CSV (train: needed for CSV data; eval: default the model's target).")]
    public string? Target { get; set; }

    [CommandOption("--task <TASK>")]
    [Description("auto (default), regression, binary or multiclass.")]
    [DefaultValue("auto")]
    public string Task { get; set; } = "auto";

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Data)) return ValidationResult.Error("--data is required: give the CSV (or IDX image) file to use.");
        if (ParseTask(Task, out var task) is { } error) return ValidationResult.Error(error);
        if (Labels is not null && task is { } t && t != Occam.Data.TaskKind.Multiclass)
            return ValidationResult.Error($"--task {Task} does not apply to IDX data: IDX labels are always multiclass; leave --task out.");
        if (Labels is not null && Target is not null)
            return ValidationResult.Error("--target does not apply to IDX data: the labels come from --labels; leave --target out.");
        return base.Validate();
    }

    /// <summary>The task the user asked for; null = infer.</summary>
    public TaskKind? TaskKind
    {
        get
        {
            ParseTask(Task, out var task);
            return task;
        }
    }

    private static string? ParseTask(string text, out TaskKind? task)
    {
        task = TaskKinds.TryParse(text, out var parsed) ? parsed : null;
        return task is null && text != "auto" ? $"--task must be auto, {TaskKinds.Listing(TaskKinds.Names)} (got '{text}')." : null;
    }

    /// <summary>
    /// Loads the labelled data the settings name. The target column is --target, else
    /// <paramref name="defaultTarget"/> (the one a model was trained on).
    /// </summary>
    public Dataset Load(TaskKind? forced = null, string? defaultTarget = null)
    {
        if (Labels is not null) return IdxLoader.Load(Data!, Labels);
        string target = Target ?? defaultTarget
            ?? throw OccamException.Usage("--target is required for CSV data: give the name of the column to predict.");
        return CsvLoader.Load(Data!, target, forced ?? TaskKind);
    }

    /// <summary>
    /// Loads labelled data for an existing model: its feature columns by name and its class labels (matched by
    /// text, or by numeric value), so a test file that lacks some classes keeps the model's class indices.
    /// </summary>
    public Dataset LoadFor(IModel model)
    {
        if (Labels is not null) return IdxLoader.Load(Data!, Labels, model.Classes);
        var (names, recorded) = ModelColumns.Of(model);
        string target = Target ?? recorded
            ?? throw OccamException.Usage("--target is required: the model does not record its target column; give the name of the column to predict.");
        if (names is not null) return CsvLoader.LoadForModel(Data!, names, target, model.Task, model.Classes);
        return CsvLoader.Load(Data!, target, model.Task);
    }
}

/// <summary>Which options the command line gave explicitly.</summary>
internal static class GivenOptions
{
    /// <summary>Whether <paramref name="option"/> (e.g. "--hidden") is on the command line, as "--hidden 64" or "--hidden=64".</summary>
    public static bool Has(CommandContext context, string option) =>
        context.Arguments.Any(a => a == option || a.StartsWith(option + "=", StringComparison.Ordinal));

}

/// <summary>The columns a model file records: its named inputs (null when unnamed, e.g. trained on IDX images) and its target.</summary>
internal static class ModelColumns
{
    public static (IReadOnlyList<string>? Features, string? Target) Of(IModel model) => model switch
    {
        MlpModel m => (m.Network.FeatureNames, m.Network.TargetName),
        LinearModel l => (l.FeatureNames, l.TargetName),
        _ => (model.FeatureNames, null),
    };
}

/// <summary>Parsing helpers for list-valued options.</summary>
internal static class OptionParsing
{
    /// <summary>Parses "1e-3" or "1e-3,0,0" (one value per dense layer); every value must be finite and ≥ 0.</summary>
    public static double[] NonNegativeList(string option, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                throw OccamException.Usage($"{option} '{text}': '{parts[i]}' is not a number; give a value like 1e-4, or one per dense layer separated by commas.");
            if (values[i] < 0)
                throw OccamException.Usage($"{option} must be >= 0 (got {parts[i]}); a penalty strength cannot be negative.");
        }
        return values;
    }

    /// <summary>Parses "128,64" into positive layer sizes; "" or "none" gives no hidden layer.</summary>
    public static int[] LayerSizes(string option, string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text == "none") return [];
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] <= 0)
                throw OccamException.Usage($"{option} '{text}': '{parts[i]}' is not a positive integer; give sizes like 128,64.");
        return sizes;
    }
}
