using System.Text.Json;
using System.Text.Json.Serialization;
using Occam.Reports;
using Occam.Serialization;

namespace Occam.Experiments;

/// <summary>
/// Saves and loads an experiment's output folder: <c>result.json</c> (format <c>occam-experiment/1</c>: the
/// <see cref="ExperimentResult"/> with its whole report section, figures as data) and each figure as
/// <c>NAME.png</c> and <c>NAME.svg</c>. result.json holds no timings or dates: the same experiment, profile and seeds
/// give a byte-identical file. All files of a folder are written atomically together.
/// </summary>
public static class ResultFile
{
    /// <summary>The format tag in result.json.</summary>
    public const string FormatTag = "occam-experiment/1";

    /// <summary>The result file's name inside an experiment's folder.</summary>
    public const string FileName = "result.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        AllowDuplicateProperties = false,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>The result as result.json text (deterministic).</summary>
    public static string ToJson(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return JsonSerializer.Serialize(result, Json) + "\n";
    }

    /// <summary>Reads result.json text; <paramref name="source"/> names it in errors.</summary>
    public static ExperimentResult FromJson(string json, string source)
    {
        ExperimentResult? result;
        try
        {
            result = JsonSerializer.Deserialize<ExperimentResult>(json, Json);
        }
        catch (JsonException e)
        {
            throw new OccamException($"{source}: not an {FormatTag} result file ({e.Message}); rerun the experiment to write it again.", e);
        }
        if (result is null || result.Format != FormatTag || result.Section is null)
            throw new OccamException($"{source}: not an {FormatTag} result file (format '{result?.Format}'); rerun the experiment to write it again.");
        return result;
    }

    /// <summary>
    /// Writes <paramref name="result"/> into <paramref name="folder"/> (created if missing): result.json plus a PNG and an
    /// SVG per figure. Returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> Save(ExperimentResult result, string folder)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OccamException.Output($"cannot create the folder '{folder}' ({e.Message}); choose another --out.", e);
        }
        var files = new List<(string Path, Action<Stream> Write)>();
        string json = ToJson(result);
        files.Add((Path.Combine(folder, FileName), s => s.Write(System.Text.Encoding.UTF8.GetBytes(json))));
        foreach (var figure in result.Section.Figures)
        {
            byte[] png = FigureRenderer.Png(figure);
            byte[] svg = System.Text.Encoding.UTF8.GetBytes(FigureRenderer.Svg(figure));
            files.Add((Path.Combine(folder, figure.Name + ".png"), s => s.Write(png)));
            files.Add((Path.Combine(folder, figure.Name + ".svg"), s => s.Write(svg)));
        }
        AtomicFile.WriteAll(files);
        return files.Select(f => f.Path).ToArray();
    }

    /// <summary>Loads <c>folder/result.json</c>; a missing or malformed file is an <see cref="OccamException"/> naming it.</summary>
    public static ExperimentResult Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OccamException.InputMissing($"cannot read '{path}' ({e.Message}); run the experiment first or fix --results.", e);
        }
        return FromJson(text, path);
    }
}
