using System.Text.Json;
using Occam.Linear;
using Occam.Serialization;

namespace Occam.Interop;

/// <summary>Reads a model file of either Occam format, chosen by its <c>"format"</c> field.</summary>
internal static class ModelFiles
{
    /// <summary>An <see cref="Nn.Mlp"/> (occam-mlp/1) or a <see cref="LinearModelFile"/> (occam-linear/1).</summary>
    public static object Read(string path)
    {
        string format = Format(path);
        return format switch
        {
            MlpJson.Format => MlpJson.Load(path),
            "occam-linear/1" => LinearModelFile.Read(path),
            _ => throw new OccamException($"{path}: unknown model format '{format}'; Occam exports occam-mlp/1 and occam-linear/1 model files."),
        };
    }

    /// <summary>The <c>"format"</c> of a JSON model file; an <see cref="OccamException"/> when it has none.</summary>
    public static string Format(string path)
    {
        if (!File.Exists(path)) throw new OccamException($"model file '{path}' does not exist; check the path.");
        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 16 });
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String)
                return f.GetString()!;
            throw new OccamException($"{path}: no \"format\" field; pass an occam-mlp/1 or occam-linear/1 model file.");
        }
        catch (JsonException e)
        {
            throw new OccamException($"{path}: not a JSON model file (line {e.LineNumber + 1}); pass an occam-mlp/1 or occam-linear/1 model file.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OccamException($"cannot read model file '{path}': {e.Message}");
        }
    }
}
