using System.ComponentModel;
using System.Globalization;
using System.Text;
using Occam.Data;
using Occam.Numerics.Activations;
using Occam.Serialization;
using Occam.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands;

public sealed class PredictSettings : JsonSettings
{
    [CommandArgument(0, "<MODEL>")]
    [Description("An occam-mlp/1 model file.")]
    public string Model { get; init; } = "";

    [CommandOption("--data <FILE>")]
    [Description("CSV with the model's feature columns (by name when the model has names; other columns are ignored).")]
    public string? Data { get; init; }

    [CommandOption("--labels <FILE>")]
    [Description("IDX label file, when --data is an IDX image file.")]
    public string? Labels { get; init; }

    [CommandOption("--out <FILE>")]
    [Description("Where to write the predictions CSV.")]
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
        var model = MlpJson.Load(settings.Model);
        var data = settings.Labels is not null
            ? IdxLoader.Load(settings.Data!, settings.Labels)
            : CsvLoader.LoadFeatures(settings.Data!, model.FeatureNames, model.TargetName);
        if (data.Features != model.Inputs)
            throw new OccamException($"{settings.Data} has {data.Features} feature columns but the model takes {model.Inputs}; give the columns the model was trained on.");
        var scores = model.PredictScores(data.X, data.Rows);
        var csv = Format(model, scores, data.Rows);
        AtomicFile.WriteAllText(settings.Out!, csv);
        if (settings.Json)
            Output.JsonOut.Print(w =>
            {
                w.WriteString("model", settings.Model);
                w.WriteNumber("rows", data.Rows);
                w.WriteString("out", Path.GetFullPath(settings.Out!));
            });
        else
            AnsiConsole.MarkupLineInterpolated($"{data.Rows} predictions written to [bold]{settings.Out}[/]");
        return 0;
    }

    internal static string Format(Nn.Mlp model, float[] scores, int rows)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        int k = model.Outputs;
        switch (model.Task)
        {
            case TaskKind.Regression:
                sb.AppendLine(k == 1 ? "prediction" : string.Join(',', Enumerable.Range(0, k).Select(j => $"prediction{j}")));
                for (int r = 0; r < rows; r++)
                    sb.AppendLine(string.Join(',', Enumerable.Range(0, k).Select(j => scores[r * k + j].ToString("R", inv))));
                break;
            case TaskKind.Binary:
                sb.AppendLine("prediction,probability");
                for (int r = 0; r < rows; r++)
                {
                    float p = Sigmoid.Scalar(scores[r]);
                    sb.Append(CsvField.Format(model.Classes![scores[r] > 0f ? 1 : 0])).Append(',').AppendLine(p.ToString("R", inv));
                }
                break;
            default:
                sb.AppendLine(CsvField.Join(model.Classes!.Select(c => "p_" + c).Prepend("prediction")));
                var probs = new float[k];
                for (int r = 0; r < rows; r++)
                {
                    var z = scores.AsSpan(r * k, k);
                    System.Numerics.Tensors.TensorPrimitives.SoftMax(z, probs);
                    sb.Append(CsvField.Format(model.Classes![Metrics.PredictClass(model.Task, z)]));
                    foreach (float p in probs) sb.Append(',').Append(p.ToString("R", inv));
                    sb.AppendLine();
                }
                break;
        }
        return sb.ToString();
    }
}
