using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Occam.Data;
using Occam.Serialization;

namespace Occam.Selection;

/// <summary>
/// A hyper-parameter sweep over an MLP: the search space, the sampler, the evaluation (holdout or k-fold), the metric
/// and the training settings that are not searched. <see cref="Define"/> turns it into the study definition stored with
/// the trials (the dataset's SHA-256 and the fold assignment included), and <see cref="FromDefinition"/> reads it back,
/// so a worker or a later run needs only the study and the data. See docs/algorithms/model-selection.md.
/// </summary>
public sealed record Sweep
{
    /// <summary>The definition format written into studies.</summary>
    public const string Format = "occam-study/1";

    public required SearchSpace Space { get; init; }
    public SamplerSettings Sampler { get; init; } = new();
    public Evaluation Evaluation { get; init; } = new();
    public SweepMetric Metric { get; init; } = SweepMetric.Loss;
    public TrainingRecipe Recipe { get; init; } = new();

    /// <summary>
    /// The study definition for <paramref name="data"/>: checks the whole sweep (recipe, sampler, folds against the rows)
    /// and writes <c>{"format","data","space","sampler","evaluation","metric","fixed"}</c>; Fingerprint = its SHA-256.
    /// </summary>
    public StudyDefinition Define(Dataset data, string name = "sweep")
    {
        ArgumentNullException.ThrowIfNull(data);
        Recipe.Validate();
        Selection.Sampler.Create(Sampler, Space, Recipe);
        if (Metric == SweepMetric.Accuracy && data.Task == TaskKind.Regression)
            throw OccamException.Usage("--metric accuracy needs class labels, but the target is a regression target; use --metric loss or r2.");
        if (Metric == SweepMetric.R2 && data.Task != TaskKind.Regression)
            throw OccamException.Usage("--metric r2 is for regression targets, but the target holds class labels; use --metric loss or accuracy.");
        var folds = Evaluation.Splits(data);
        var root = new JsonObject
        {
            ["format"] = Format,
            ["data"] = new JsonObject
            {
                ["sha256"] = DataHash(data),
                ["rows"] = data.Rows,
                ["features"] = data.Features,
                ["target"] = data.TargetName,
                ["task"] = TaskKinds.Name(data.Task),
            },
            ["space"] = JsonNode.Parse(Space.ToJson()),
            ["sampler"] = new JsonObject
            {
                ["kind"] = Sampler.Name,
                ["trials"] = Sampler.Kind == SamplerKind.Grid ? null : Sampler.Trials,
                ["eta"] = Sampler.Kind == SamplerKind.Halving ? Sampler.Eta : null,
                ["seed"] = Sampler.Kind == SamplerKind.Grid ? null : Sampler.Seed,
            },
            ["evaluation"] = new JsonObject
            {
                ["folds"] = Evaluation.Folds,
                ["valSplit"] = Evaluation.Folds == 0 ? Evaluation.ValidationSplit : null,
                ["shuffle"] = Evaluation.Shuffle,
                ["stratify"] = Evaluation.Stratify && data.Task != TaskKind.Regression,
                ["seed"] = Evaluation.Seed,
                ["assignment"] = Evaluation.Assignment(folds),
            },
            ["metric"] = TrialEvaluator.Name(Metric),
            ["fixed"] = JsonNode.Parse(Recipe.ToJson()),
        };
        RemoveNulls(root);
        string json = root.ToJsonString();
        return new StudyDefinition(name, StudyDefinitions.Fingerprint(json), json);
    }

    /// <summary>
    /// Reads a stored definition back (for <c>sweep worker</c>, <c>study show</c>, <c>study export</c>); a definition
    /// this version cannot read is an <see cref="OccamException"/> (Kind Data).
    /// </summary>
    public static Sweep FromDefinition(string definitionJson)
    {
        ArgumentNullException.ThrowIfNull(definitionJson);
        try
        {
            var root = JsonNode.Parse(definitionJson, documentOptions: ModelFile.DocumentOptions(64))!.AsObject();
            if ((string?)root["format"] != Format)
                throw new FormatException($"format is '{root["format"]}', this version reads '{Format}'");
            var sampler = root["sampler"]!.AsObject();
            var evaluation = root["evaluation"]!.AsObject();
            if (!TrialEvaluator.TryParse((string)root["metric"]!, out var metric)) throw new FormatException($"unknown metric {root["metric"]}");
            if (!Enum.TryParse<SamplerKind>((string)sampler["kind"]!, ignoreCase: true, out var kind)) throw new FormatException($"unknown sampler {sampler["kind"]}");
            return new Sweep
            {
                Space = SearchSpace.FromJson(root["space"]!.ToJsonString(), "the study's search space"),
                Sampler = new SamplerSettings
                {
                    Kind = kind,
                    Trials = (int?)sampler["trials"] ?? 20,
                    Eta = (int?)sampler["eta"] ?? 3,
                    Seed = (ulong?)sampler["seed"] ?? 0,
                },
                Evaluation = new Evaluation
                {
                    Folds = (int)evaluation["folds"]!,
                    ValidationSplit = (double?)evaluation["valSplit"] ?? 0,
                    Shuffle = (bool)evaluation["shuffle"]!,
                    Stratify = (bool)evaluation["stratify"]!,
                    Seed = (ulong)evaluation["seed"]!,
                },
                Metric = metric,
                Recipe = TrainingRecipe.FromJson(root["fixed"]!.ToJsonString()),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NullReferenceException or OccamException)
        {
            throw new OccamException($"the study's definition cannot be read ({e.Message}); it was written by another version of occam or damaged.");
        }
    }

    /// <summary>
    /// Checks that <paramref name="data"/> is the dataset a stored definition was made with (its SHA-256), naming both
    /// when it is not.
    /// </summary>
    public static void CheckData(string definitionJson, Dataset data, string dataName)
    {
        ArgumentNullException.ThrowIfNull(definitionJson);
        ArgumentNullException.ThrowIfNull(data);
        var d = JsonNode.Parse(definitionJson)?["data"];
        string? hash = (string?)d?["sha256"];
        if (hash != DataHash(data))
            throw new OccamException($"{dataName} is not the dataset of this study (the study was made on {d?["rows"]} rows × {d?["features"]} features, target '{d?["target"]}', SHA-256 {hash?[..12]}…; this data has {data.Rows} × {data.Features}, SHA-256 {DataHash(data)[..12]}…); give the study's data.");
    }

    /// <summary>
    /// SHA-256 (hex) of a dataset: task, target name, feature names, class labels and every value of X and Y (IEEE-754
    /// bits), so any change to the data gives another study.
    /// </summary>
    public static string DataHash(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{TaskKinds.Name(data.Task)}\n{data.TargetName}\n{string.Join('\u001f', data.FeatureNames)}\n{string.Join('\u001f', data.Classes ?? [])}\n{data.Rows}x{data.Features}\n"));
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.X.AsSpan()));
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.Y.AsSpan()));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void RemoveNulls(JsonObject o)
    {
        foreach (var key in o.Where(kv => kv.Value is null).Select(kv => kv.Key).ToArray()) o.Remove(key);
        foreach (var child in o.Select(kv => kv.Value).OfType<JsonObject>()) RemoveNulls(child);
    }
}
