using System.Text;
using System.Text.Json;
using Occam.Serialization;

namespace Occam.Selection;

/// <summary>
/// The searched values of one trial, in the search space's order; stored as <see cref="TrialPlan.SettingsJson"/>,
/// e.g. <c>{"l1":0.001,"dropout":0.2,"hidden":[128,64],"optimizer":"adam"}</c>.
/// </summary>
public sealed class TrialSettings
{
    /// <summary>Settings from (parameter, value) pairs, in order.</summary>
    public TrialSettings(IReadOnlyList<KeyValuePair<HyperParameter, ParamValue>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = values.ToArray();
    }

    /// <summary>The (parameter, value) pairs, in the search space's order.</summary>
    public IReadOnlyList<KeyValuePair<HyperParameter, ParamValue>> Values { get; }

    /// <summary>The value of <paramref name="p"/>, or null when the trial does not set it.</summary>
    public ParamValue? this[HyperParameter p] => Values.FirstOrDefault(kv => kv.Key == p).Value;

    /// <summary>"l1=0.001 dropout=0.2" (for tables and logs).</summary>
    public override string ToString() => string.Join(' ', Values.Select(kv => $"{kv.Key.Name()}={kv.Value}"));

    /// <summary>The JSON object stored in the study.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (p, v) in Values)
            {
                w.WritePropertyName(p.Name());
                WriteValue(w, v);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads <see cref="ToJson"/>'s output (a study's SettingsJson); a malformed one is an <see cref="OccamException"/> (Kind Data).</summary>
    public static TrialSettings FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json, ModelFile.DocumentOptions(64));
            var values = new List<KeyValuePair<HyperParameter, ParamValue>>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!HyperParameters.TryParse(prop.Name, out var p)) throw new FormatException($"unknown hyper-parameter '{prop.Name}'");
                var v = ReadValue(p, prop.Value);
                if (p.Check(v) is { } error) throw new FormatException(error);
                values.Add(new(p, v));
            }
            return new TrialSettings(values);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new OccamException($"a trial's settings in the study are not valid ({e.Message}): {json}; the study was written by another program or damaged.");
        }
    }

    internal static void WriteValue(Utf8JsonWriter w, ParamValue v)
    {
        if (v.Word is { } word) w.WriteStringValue(word);
        else if (v.Layers is { } layers)
        {
            if (layers.Count == 1) w.WriteNumberValue(layers[0]);
            else
            {
                w.WriteStartArray();
                foreach (int s in layers) w.WriteNumberValue(s);
                w.WriteEndArray();
            }
        }
        else w.WriteNumberValue(v.Number);
    }

    /// <summary>Reads one JSON value of <paramref name="p"/>; <see cref="FormatException"/> says what is expected.</summary>
    internal static ParamValue ReadValue(HyperParameter p, JsonElement e)
    {
        switch (p.KindOf())
        {
            case ValueKind.Word:
                return e.ValueKind == JsonValueKind.String ? ParamValue.OfWord(e.GetString()!) : throw new FormatException($"{p.Name()} takes names in quotes (got {e.GetRawText()})");
            case ValueKind.Layers:
                if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int one)) return ParamValue.OfLayers([one]);
                if (e.ValueKind == JsonValueKind.String && e.GetString() == "none") return ParamValue.OfLayers([]);
                if (e.ValueKind == JsonValueKind.Array)
                    return ParamValue.OfLayers(e.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out int n) ? n
                        : throw new FormatException($"hidden layer sizes are whole numbers (got {s.GetRawText()})")).ToArray());
                throw new FormatException($"hidden takes a layer size like 64 or a list like [128, 64] (got {e.GetRawText()})");
            default:
                return e.ValueKind == JsonValueKind.Number ? ParamValue.Of(e.GetDouble()) : throw new FormatException($"{p.Name()} takes numbers (got {e.GetRawText()})");
        }
    }
}
