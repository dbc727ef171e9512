using System.ComponentModel;
using System.Text;
using Occam.Data;
using Occam.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands;

public sealed class PredictSettings : JsonSettings
{
    [CommandArgument(0, "<MODEL>")]
    [Description("A model file (occam-mlp/1 or occam-linear/1).")]
    public string Model { get; init; } = "";

    [CommandOption("--data <FILE>")]
    [Description("Required. CSV with the model's feature columns (by name when the model has names; other columns are ignored).")]
    public string? Data { get; init; }

    [CommandOption("--labels <FILE>")]
    [Description("IDX label file, when --data is an IDX image file.")]
    public string? Labels { get; init; }

    [CommandOption("--out <FILE>")]
    [Description("Required. Where to write the predictions CSV.")]
    public string? Out { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Data)) return ValidationResult.Error("--data is required: give the CSV file to predict for.");
        if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out is required: give the path of the predictions CSV to write.");
        return ValidationResult.Success();
    }
}

/// <summary>
/// <c>occam predict MODEL --data F --out preds.csv</c>: one row per input row. Regression: <c>prediction</c>;
/// binary: <c>prediction,probability</c> (of the second class); multiclass: <c>prediction,p_CLASS…</c> (softmax).
/// </summary>
public sealed class PredictCommand : Command<PredictSettings>
{
    public override int Execute(CommandContext context, PredictSettings settings, CancellationToken cancellationToken)
    {
        OutputFiles.Check([settings.Out], [settings.Model, settings.Data, settings.Labels]);
        var model = Occam.Model.Load(settings.Model);
        var (names, target) = ModelColumns.Of(model);
        var data = settings.Labels is not null
            ? IdxLoader.Load(settings.Data!, settings.Labels)
            : CsvLoader.LoadFeatures(settings.Data!, names, target);
        if (names is null && data.Features != model.FeatureNames.Count)
            throw new OccamException($"{settings.Data} has {data.Features} feature columns but the model takes {model.FeatureNames.Count}; give the columns the model was trained on.");
        var csv = Format(model, data);
        AtomicFile.WriteAllText(settings.Out!, csv);
        if (settings.Json)
            Output.JsonOut.Print(w =>
            {
                w.WriteString("model", settings.Model);
                w.WriteNumber("rows", data.Rows);
                w.WriteString("out", Path.GetFullPath(settings.Out!));
            });
        else
            Output.Tables.Line($"{Counted.Of(data.Rows, "prediction")} written to {settings.Out}");
        return 0;
    }

    /// <summary>The predictions CSV: labels (or values) from the library, probabilities in round-trip form.</summary>
    internal static string Format(IModel model, Dataset data)
    {
        var sb = new StringBuilder();
        var labels = model.PredictLabels(data);
        if (model.Classes is not { } classes)
        {
            int k = labels.Length / Math.Max(1, data.Rows);
            sb.AppendLine(k == 1 ? "prediction" : string.Join(',', Enumerable.Range(0, k).Select(j => $"prediction{j}")));
            for (int r = 0; r < data.Rows; r++) sb.AppendLine(CsvField.Join(labels.AsSpan(r * k, k).ToArray()));
            return sb.ToString();
        }
        var proba = model.PredictProba(data);
        int c = classes.Count;
        if (c == 2 && model.Task == TaskKind.Binary)
        {
            sb.AppendLine("prediction,probability");
            for (int r = 0; r < data.Rows; r++)
                sb.Append(CsvField.Format(labels[r])).Append(',').AppendLine(PredictionText.Format(proba[2 * r + 1]));
            return sb.ToString();
        }
        sb.AppendLine(CsvField.Join(classes.Select(name => "p_" + name).Prepend("prediction")));
        for (int r = 0; r < data.Rows; r++)
        {
            sb.Append(CsvField.Format(labels[r]));
            for (int j = 0; j < c; j++) sb.Append(',').Append(PredictionText.Format(proba[r * c + j]));
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
