using System.ComponentModel;
using Occam.Cli.Output;
using Occam.Nn;
using Occam.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands;

public sealed class PruneSettings : JsonSettings
{
    [CommandArgument(0, "<MODEL>")]
    [Description("An occam-mlp/1 model file.")]
    public string Model { get; init; } = "";

    [CommandOption("--out <MODEL>")]
    [Description("Required. Where to write the pruned model.")]
    public string? Out { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out is required: give the path of the pruned model to write.") : ValidationResult.Success();
}

/// <summary><c>occam prune MODEL --out SMALL</c>: removes dead units and cut inputs (see <see cref="Pruning"/>); same predictions.</summary>
public sealed class PruneCommand : Command<PruneSettings>
{
    public override int Execute(CommandContext context, PruneSettings settings, CancellationToken cancellationToken)
    {
        OutputFiles.Check(settings.Out);
        var model = Occam.Model.Load(settings.Model) switch
        {
            MlpModel mlp => mlp.Network,
            _ => throw new OccamException($"{settings.Model} is a linear model (occam-linear/1); prune removes dead hidden units and unused inputs of networks ({MlpJson.Format}). A linear model's zero coefficients cost nothing already: 'occam inspect' lists them."),
        };
        var pruned = Pruning.RemoveDeadUnits(model);
        MlpJson.Save(pruned, settings.Out!);
        var before = SparsityReport.Of(model);
        if (settings.Json)
        {
            JsonOut.Print(w =>
            {
                w.WriteString("model", settings.Model);
                w.WriteString("out", Path.GetFullPath(settings.Out!));
                w.WriteNumber("parametersBefore", model.ParameterCount);
                w.WriteNumber("parametersAfter", pruned.ParameterCount);
                w.WriteNumber("inputsBefore", model.Inputs);
                w.WriteNumber("inputsAfter", pruned.Inputs);
                w.WriteStartArray("hiddenBefore");
                foreach (var d in model.DenseLayers.Take(model.DenseLayers.Count - 1)) w.WriteNumberValue(d.Outputs);
                w.WriteEndArray();
                w.WriteStartArray("hiddenAfter");
                foreach (var d in pruned.DenseLayers.Take(pruned.DenseLayers.Count - 1)) w.WriteNumberValue(d.Outputs);
                w.WriteEndArray();
                w.WriteNumber("deadUnitsRemoved", before.DeadUnits);
            });
            return 0;
        }
        string Shape(Mlp m) => string.Join("-", new[] { m.Inputs }.Concat(m.DenseLayers.Select(d => d.Outputs)));
        Output.Tables.Line($"{Shape(model)} ({model.ParameterCount} parameters) → {Shape(pruned)} ({pruned.ParameterCount} parameters); written to {settings.Out}");
        return 0;
    }
}
