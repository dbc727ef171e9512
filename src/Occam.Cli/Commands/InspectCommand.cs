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
    [Description("A model file (occam-mlp/1 or occam-linear/1).")]
    public string Model { get; init; } = "";
}

/// <summary><c>occam inspect MODEL</c>: the architecture and the sparsity report (exact zeros, dead units, inputs kept).</summary>
public sealed class InspectCommand : Command<InspectSettings>
{
    public override int Execute(CommandContext context, InspectSettings settings, CancellationToken cancellationToken)
    {
        switch (Occam.Model.Load(settings.Model))
        {
            case LinearModel linear: return InspectLinear(settings, linear);
            case MlpModel mlp: return InspectMlp(settings, mlp.Network);
            default: throw new OccamException($"{settings.Model}: inspect does not know this kind of model.");
        }
    }

    private static int InspectLinear(InspectSettings settings, LinearModel model)
    {
        var s = model.Sparsity;
        if (settings.Json)
        {
            JsonOut.Print(w =>
            {
                w.WriteString("model", settings.Model);
                w.WriteString("format", "occam-linear/1");
                w.WriteString("task", TaskKinds.Name(model.Task));
                w.WriteString("penalty", model.Penalty);
                w.WriteNumber("alpha", model.Alpha);
                w.WriteNumber("l1Ratio", model.L1Ratio);
                w.WriteNumber("degree", model.Pipeline.Degree);
                w.WriteNumber("inputs", s.Inputs);
                w.WriteNumber("inputsKept", s.InputsKept);
                w.WriteNumber("coefficients", s.Coefficients);
                w.WriteNumber("nonzero", s.NonZero);
                JsonOut.Number(w, "zeroFraction", s.ZeroFraction);
                w.WriteStartArray("cutFeatures");
                foreach (var c in s.CutFeatures) w.WriteStringValue(c);
                w.WriteEndArray();
                if (model.Classes is { } classes)
                {
                    w.WriteStartArray("classes");
                    foreach (var c in classes) w.WriteStringValue(c);
                    w.WriteEndArray();
                }
                w.WriteBoolean("converged", model.Converged);
                w.WriteNumber("iterations", model.Iterations);
            });
            return 0;
        }
        var table = new Table().AddColumn("feature");
        if (model.ClassCoef is { } rows)
        {
            // Multiclass: one column per class; the features with a non-zero coefficient in some class.
            foreach (string c in model.Classes!) table.AddColumn(new TableColumn(Markup.Escape(c)).RightAligned());
            table.AddRow(["(intercept)", .. model.ClassIntercepts!.Select(b => Tables.F(b, "G6"))]);
            for (int j = 0; j < model.Features.Count; j++)
                if (rows.Any(r => r[j] != 0)) table.AddRow([Markup.Escape(model.Features[j]), .. rows.Select(r => Tables.F(r[j], "G6"))]);
        }
        else
        {
            table.AddColumn(new TableColumn("coef").RightAligned());
            table.AddRow("(intercept)", Tables.F(model.Intercept, "G6"));
            for (int j = 0; j < model.Coef.Count; j++)
                if (model.Coef[j] != 0) table.AddRow(Markup.Escape(model.Features[j]), Tables.F(model.Coef[j], "G6"));
        }
        AnsiConsole.MarkupLine($"{Markup.Escape(settings.Model)}: {TaskKinds.Name(model.Task)} linear model ({model.Penalty}, alpha={Tables.F(model.Alpha, "G6")})");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape($"{s.NonZero} of {Counted.Of(s.Coefficients, "coefficient")} non-zero ({Tables.Pct(s.ZeroFraction)} zeros), inputs kept {s.InputsKept}/{s.Inputs}"
            + (model.Pipeline.Degree > 1 ? $", degree {model.Pipeline.Degree}" : "") + (model.Converged ? "" : ", NOT CONVERGED")
            + (model.Classes is { } cls ? $", classes: {string.Join(", ", cls)}" : "")));
        if (s.CutFeatures.Count > 0 && s.CutFeatures.Count <= 64)
            AnsiConsole.MarkupLineInterpolated($"inputs cut off: {string.Join(", ", s.CutFeatures)}");
        return 0;
    }

    private static int InspectMlp(InspectSettings settings, Mlp model)
    {
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
        var table = new Table().AddColumns("#", "layer", "parameters");
        int i = 0;
        foreach (var l in model.Layers)
            table.AddRow(i++.ToString(CultureInfo.InvariantCulture), Describe(l),
                l is Dense d ? (d.Weight.Length + d.Bias.Length).ToString(CultureInfo.InvariantCulture) : "");
        var notes = new List<string>
        {
            $"{Counted.Of(model.Inputs, "input")}{(model.Standardizer is null ? "" : " (standardized)")}, {Counted.Of(model.Outputs, "output")}{(model.TargetStandardizer is null ? "" : " (target standardized)")}, {model.ParameterCount} parameters",
        };
        if (model.Classes is { } cls) notes.Add($"classes: {string.Join(", ", cls)}");
        Tables.Show($"{settings.Model}: {TaskKinds.Name(model.Task)} MLP", table, notes);
        Tables.ShowSparsity(sparsity);
        if (sparsity.CutFeatures.Count > 0 && sparsity.CutFeatures.Count <= 64)
            Tables.Line($"inputs cut off: {string.Join(", ", sparsity.CutFeatures)}");
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
