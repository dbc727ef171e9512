using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Occam.Cli.Commands.Sweep;

/// <summary>
/// Reads a search space written in YAML (<c>--search-file space.yaml</c>) into its JSON form, which
/// <see cref="Selection.SearchSpace.FromJson"/> then checks: mappings become objects, sequences arrays, plain scalars
/// that read as numbers numbers and every other scalar a string. E.g. <c>l1: {log: [1e-5, 0.1, 9]}</c>,
/// <c>dropout: [0, 0.2, 0.5]</c>, <c>hidden: [64, [128, 64]]</c>.
/// </summary>
internal static class YamlSpace
{
    /// <summary>Whether <paramref name="path"/> names a YAML file (.yaml or .yml).</summary>
    public static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>The JSON text of the first YAML document; a syntax error names the file, line and column.</summary>
    public static string ToJson(string yaml, string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
            return stream.Documents.Count == 0 ? "{}" : Convert(stream.Documents[0].RootNode)?.ToJsonString() ?? "null";
        }
        catch (YamlException e)
        {
            string message = (e.InnerException?.Message ?? e.Message).Split('\n')[0].Trim();
            throw OccamException.Usage($"{path}: not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (without a position) on some unterminated flow collections.
            throw OccamException.Usage($"{path}: not valid YAML (an unclosed bracket, brace or quote?); a search space is a mapping like 'l1: {{log: [1e-5, 0.1, 9]}}'.");
        }
        catch (ArgumentException e)
        {
            throw OccamException.Usage($"{path}: {e.Message.Split('\n')[0].Trim()} (a key given twice?); give each hyper-parameter once.");
        }
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(
            kv.Key is YamlScalarNode { Value: { } key } ? key : throw new YamlException(kv.Key.Start, kv.Key.End, "keys must be names"), Convert(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: { } v } when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => JsonValue.Create(d),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => throw new YamlException(node.Start, node.End, "anchors and aliases are not supported in a search space"),
    };
}
