using System.ComponentModel;
using System.Globalization;
using Occam.Data;
using Occam.Cli.Output;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands;

public sealed class InspectSettings : JsonSettings
{
    [CommandArgument(0, "<MODEL>")]
    [Description("An occam-mlp/1 model file.")]
    public string Model { get; init; } = "";
}

/// <summary><c>occam inspect MODEL</c>: the architecture and the sparsity report (exact zeros, dead units, inputs kept).</summary>
public sealed class InspectCommand : Command<InspectSettings>
{
    public override int Execute(CommandContext context, InspectSettings settings, CancellationToken cancellationToken)
    {
        var model = MlpJson.Load(settings.Model);
        var sparsity = SparsityReport.Of(model);
        if (settings.Json)
        {
            JsonOut.Print(w =>
            {
                w.WriteString("model", settings.Model);
                w.WriteString("task", TaskKinds.Name(model.Task));
                w.WriteNumber("inputs", model.Inputs);
                w.WriteNumber("outputs", model.Outputs);
                w.WriteNumber("parameters", model.ParameterCount);
                w.WriteBoolean("standardized", model.Standardizer is not null);
                if (model.Task == Data.TaskKind.Regression) w.WriteBoolean("targetStandardized", model.TargetStandardizer is not null);
                w.WriteStartArray("layers");
                foreach (var l in model.Layers) w.WriteStringValue(Describe(l));
                w.WriteEndArray();
                if (model.Classes is { } classes)
                {
                    w.WriteStartArray("classes");
                    foreach (var c in classes) w.WriteStringValue(c);
                    w.WriteEndArray();
                }
                JsonOut.Sparsity(w, sparsity);
            });
            return 0;
        }
        var table = new Table().Title($"{Markup.Escape(settings.Model)}: {TaskKinds.Name(model.Task)} MLP").AddColumns("#", "layer", "parameters");
        int i = 0;
        foreach (var l in model.Layers)
            table.AddRow(i++.ToString(CultureInfo.InvariantCulture), Describe(l),
                l is Dense d ? (d.Weight.Length + d.Bias.Length).ToString(CultureInfo.InvariantCulture) : "");
        table.Caption($"{model.Inputs} inputs{(model.Standardizer is null ? "" : " (standardized)")}, {model.Outputs} outputs{(model.TargetStandardizer is null ? "" : " (target standardized)")}, {model.ParameterCount} parameters"
            + (model.Classes is { } cls ? $", classes: {Markup.Escape(string.Join(", ", cls))}" : ""));
        AnsiConsole.Write(table);
        AnsiConsole.Write(Tables.Sparsity(sparsity));
        if (sparsity.CutFeatures.Count > 0 && sparsity.CutFeatures.Count <= 64)
            AnsiConsole.MarkupLineInterpolated($"inputs cut off: {string.Join(", ", sparsity.CutFeatures)}");
        return 0;
    }

    internal static string Describe(Layer layer) => layer switch
    {
        Dense d => $"dense {d.Inputs}→{d.Outputs}",
        ActivationLayer a => Activation.Name(a.Kind),
        Dropout dr => $"dropout p={dr.P.ToString(CultureInfo.InvariantCulture)}",
        _ => layer.GetType().Name,
    };
}
