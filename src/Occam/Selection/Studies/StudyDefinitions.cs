using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Occam.Selection;

/// <summary>
/// Helpers over <see cref="StudyDefinition.DefinitionJson"/> shared by every <see cref="IStudyStore"/>: the fingerprint
/// (lower-case hex SHA-256 of the UTF-8 JSON text) and the message that names what differs between two definitions.
/// A definition is a JSON object whose top-level keys are <c>format</c>, <c>data</c> (the dataset's hash and shape),
/// <c>space</c>, <c>sampler</c>, <c>evaluation</c> (holdout or k-fold, folds, seeds), <c>metric</c> and <c>fixed</c>
/// (the training settings that are not searched).
/// </summary>
public static class StudyDefinitions
{
    /// <summary>The fingerprint of a definition: SHA-256 of its UTF-8 text, 64 lower-case hex digits.</summary>
    public static string Fingerprint(string definitionJson)
    {
        ArgumentNullException.ThrowIfNull(definitionJson);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(definitionJson)));
    }

    /// <summary>The top-level keys whose values differ between two definitions, in words ("the dataset", "the search space", …).</summary>
    public static IReadOnlyList<string> Differences(string storedJson, string newJson)
    {
        var stored = TopLevel(storedJson);
        var fresh = TopLevel(newJson);
        return stored.Keys.Union(fresh.Keys).Order(StringComparer.Ordinal)
            .Where(k => stored.GetValueOrDefault(k) != fresh.GetValueOrDefault(k))
            .Select(Describe).ToArray();
    }

    /// <summary>
    /// The one-line refusal a store gives when asked to open a study with another fingerprint (Kind Data), naming what
    /// differs and how to go on.
    /// </summary>
    public static string Mismatch(string name, string storedJson, string newJson)
    {
        var diff = Differences(storedJson, newJson);
        string what = diff.Count == 0 ? "another definition" : string.Join(", ", diff);
        return $"the study '{name}' in this store was made with a different {what}; refusing to mix trials: use another --study, or the same data and options as the run that created it.";
    }

    private static string Describe(string key) => key switch
    {
        "data" => "dataset",
        "space" => "search space",
        "sampler" => "sampler",
        "evaluation" => "evaluation (holdout/k-fold, folds, seeds)",
        "metric" => "metric",
        "fixed" => "fixed training settings",
        _ => key,
    };

    private static Dictionary<string, string> TopLevel(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return new() { ["(definition)"] = json };
            return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText(), StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return new() { ["(definition)"] = json };
        }
    }
}
