using System.ComponentModel;
using Occam.Cli.Output;
using Occam.Interop;
using Occam.Interop.Safetensors;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands;

public sealed class ExportSettings : JsonSettings
{
    [CommandArgument(0, "<MODEL>")]
    [Description("An occam-mlp/1 or occam-linear/1 model file.")]
    public string Model { get; init; } = "";

    [CommandOption("--format <FORMAT>")]
    [Description("onnx (default; MLPs and linear models) or safetensors (MLPs: torch.nn.Sequential state_dict + JSON sidecar).")]
    [DefaultValue("onnx")]
    public string Format { get; init; } = "onnx";

    [CommandOption("--out <FILE>")]
    [Description("Required. Where to write the exported model.")]
    public string? Out { get; init; }

    [CommandOption("--probabilities")]
    [Description("onnx, classification: add a 'probabilities' output (softmax, or sigmoid for binary).")]
    public bool Probabilities { get; init; }

    [CommandOption("--sidecar <FILE>")]
    [Description("safetensors: where to write the JSON sidecar (default: OUT.json).")]
    public string? Sidecar { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out is required: give the path of the file to write.");
        if (Format is not ("onnx" or "safetensors")) return ValidationResult.Error($"--format must be onnx or safetensors (got '{Format}').");
        if (Format == "onnx" && Sidecar is not null) return ValidationResult.Error("--sidecar is for --format safetensors; leave it out for onnx.");
        if (Format == "safetensors" && Probabilities) return ValidationResult.Error("--probabilities is for --format onnx; leave it out for safetensors.");
        return base.Validate();
    }
}

/// <summary><c>occam export MODEL --format onnx|safetensors --out FILE</c>: see <see cref="OnnxExport"/> and <see cref="SafetensorsModel"/>.</summary>
public sealed class ExportCommand : Command<ExportSettings>
{
    public override int Execute(CommandContext context, ExportSettings settings, CancellationToken cancellationToken)
    {
        string? sidecar = settings.Format == "safetensors" ? settings.Sidecar ?? SafetensorsModel.DefaultSidecarPath(settings.Out!) : null;
        Occam.Serialization.OutputFiles.Check([settings.Out, sidecar], [settings.Model]);
        if (settings.Format == "onnx")
        {
            OnnxExport.SaveFile(settings.Model, settings.Out!, new OnnxExportOptions { Probabilities = settings.Probabilities });
        }
        else
        {
            SafetensorsModel.ExportFile(settings.Model, settings.Out!, sidecar);
        }
        long bytes = new FileInfo(settings.Out!).Length;
        if (settings.Json)
        {
            JsonOut.Print(w =>
            {
                w.WriteString("model", settings.Model);
                w.WriteString("format", settings.Format);
                w.WriteString("out", Path.GetFullPath(settings.Out!));
                w.WriteNumber("bytes", bytes);
                if (sidecar is not null) w.WriteString("sidecar", Path.GetFullPath(sidecar));
            });
            return 0;
        }
        AnsiConsole.MarkupLineInterpolated($"{settings.Format} written to [bold]{settings.Out}[/] ({bytes} bytes){(sidecar is null ? "" : $", sidecar {sidecar}")}");
        return 0;
    }
}
