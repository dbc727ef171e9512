using System.ComponentModel;
using Occam.Cli.Output;
using Occam.Data;
using Occam.Interop.Safetensors;
using Occam.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands;

public sealed class ImportSettings : JsonSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("A safetensors file holding a torch.nn.Sequential state_dict (\"0.weight\", \"0.bias\", ...; float32).")]
    public string File { get; init; } = "";

    [CommandOption("--arch <SPEC>")]
    [Description("The Sequential's modules in order, e.g. 64-relu-64-relu-10 (widths, relu, tanh, sigmoid, identity, dropout or dropout:P).")]
    public string? Arch { get; init; }

    [CommandOption("--sidecar <FILE>")]
    [Description("The JSON sidecar written by 'occam export --format safetensors' (default: FILE.json when --arch is not given).")]
    public string? Sidecar { get; init; }

    [CommandOption("--task <TASK>")]
    [Description("regression, binary or multiclass (default: the sidecar's; required without one).")]
    public string? Task { get; init; }

    [CommandOption("--out <MODEL>")]
    [Description("Required. Where to write the occam-mlp/1 model.")]
    public string? Out { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out is required: give the path of the occam-mlp/1 model to write.");
        if (Task is not null && !TaskKinds.TryParse(Task, out _))
            return ValidationResult.Error($"--task must be {TaskKinds.Listing(TaskKinds.Names)} (got '{Task}').");
        return base.Validate();
    }
}

/// <summary><c>occam import FILE.safetensors --arch SPEC | --sidecar FILE --out MODEL</c>: see <see cref="SafetensorsModel.Import"/>.</summary>
public sealed class ImportCommand : Command<ImportSettings>
{
    public override int Execute(CommandContext context, ImportSettings settings, CancellationToken cancellationToken)
    {
        Occam.Serialization.OutputFiles.Check([settings.Out], [settings.File, settings.Sidecar]);
        string? sidecar = settings.Sidecar;
        if (sidecar is null && settings.Arch is null && System.IO.File.Exists(SafetensorsModel.DefaultSidecarPath(settings.File)))
            sidecar = SafetensorsModel.DefaultSidecarPath(settings.File);
        var model = SafetensorsModel.Import(settings.File, new SafetensorsImportOptions
        {
            Arch = settings.Arch,
            SidecarPath = sidecar,
            Task = settings.Task is null ? null : TaskKinds.Parse(settings.Task),
        });
        MlpJson.Save(model, settings.Out!);
        string arch = SequentialSpec.Format(model);
        if (settings.Json)
        {
            JsonOut.Print(w =>
            {
                w.WriteString("file", settings.File);
                if (sidecar is not null) w.WriteString("sidecar", sidecar);
                w.WriteString("arch", arch);
                w.WriteNumber("inputs", model.Inputs);
                w.WriteNumber("parameters", model.ParameterCount);
                w.WriteString("out", Path.GetFullPath(settings.Out!));
            });
            return 0;
        }
        AnsiConsole.MarkupLineInterpolated($"{Counted.Of(model.Inputs, "input")}, {arch} ({model.ParameterCount} parameters) written to [bold]{settings.Out}[/]");
        return 0;
    }
}
