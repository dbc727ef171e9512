using System.Text.Json;
using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;

namespace Occam.Serialization;

/// <summary>
/// Reads and writes the <c>occam-mlp/1</c> JSON model format (see docs/formats.md):
/// <code>
/// {"format":"occam-mlp/1","task":"regression|binary|multiclass","inputs":N,
///  "layers":[{"type":"dense","weight":[[..in..] per output row],"bias":[..]},
///            {"type":"relu|tanh|sigmoid|identity"},{"type":"dropout","p":0.5}, ...],
///  "standardizer":{"mean":[..],"scale":[..]},   // optional
///  "targetStandardizer":{"mean":[..],"scale":[..]},   // optional, regression: prediction = raw·scale + mean
///  "classes":[..],                               // optional, for classification
///  "features":[..], "target":"name"}             // optional (Occam extension): column names
/// </code>
/// Weights are <c>[out][in]</c> like <c>torch.nn.Linear.weight</c>. Floats are written in their shortest
/// round-trip form, so save → load is exact and the same model always gives the same bytes. Saving is
/// atomic (temporary file, then rename). Loading validates everything and reports the first problem with
/// its JSON path.
/// </summary>
public static class MlpJson
{
    /// <summary>The format tag.</summary>
    public const string Format = "occam-mlp/1";

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(Mlp model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.Write(path, stream => Write(model, stream));
    }

    /// <summary>Serializes <paramref name="model"/> to a string.</summary>
    public static string ToJson(Mlp model)
    {
        using var ms = new MemoryStream();
        Write(model, ms);
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Writes the JSON of <paramref name="model"/> to <paramref name="stream"/>.</summary>
    public static void Write(Mlp model, Stream stream)
    {
        foreach (var d in model.DenseLayers)
            if (!AllFinite(d.Weight) || !AllFinite(d.Bias))
                throw new OccamException("the model has NaN or infinite weights and was not saved; retrain with a lower learning rate.");
        var options = JsonText.WriterOptions(indented: false);
        using var w = new Utf8JsonWriter(stream, options);
        w.WriteStartObject();
        w.WriteString("format", Format);
        w.WriteString("task", TaskKinds.Name(model.Task));
        w.WriteNumber("inputs", model.Inputs);
        w.WriteStartArray("layers");
        foreach (var layer in model.Layers)
        {
            w.WriteStartObject();
            switch (layer)
            {
                case Dense d:
                    w.WriteString("type", "dense");
                    w.WriteStartArray("weight");
                    FloatRowsJson.Write(w, d.Weight, d.Outputs, d.Inputs, options);
                    w.WriteEndArray();
                    w.WritePropertyName("bias");
                    WriteArray(w, d.Bias);
                    break;
                case ActivationLayer a:
                    w.WriteString("type", Activation.Name(a.Kind));
                    break;
                case Dropout dr:
                    w.WriteString("type", "dropout");
                    w.WriteNumber("p", dr.P);
                    break;
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (model.Standardizer is { } s) WriteStandardizer(w, "standardizer", s);
        if (model.TargetStandardizer is { } ts) WriteStandardizer(w, "targetStandardizer", ts);
        if (model.Classes is { } classes) WriteStrings(w, "classes", classes);
        if (model.FeatureNames is { } names) WriteStrings(w, "features", names);
        if (model.TargetName is { } target) w.WriteString("target", target);
        w.WriteEndObject();
        w.Flush();
        stream.WriteByte((byte)'\n');
    }

    /// <summary>Loads and validates a model file; problems are reported as <see cref="OccamException"/> naming the file.</summary>
    public static Mlp Load(string path) => Parse(ModelFile.ReadText(path), path);

    /// <summary>Parses model JSON; <paramref name="source"/> names it in error messages.</summary>
    public static Mlp Parse(string json, string source = "model")
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, ModelFile.DocumentOptions(16));
        }
        catch (JsonException e)
        {
            throw new OccamException(ModelFile.InvalidJson(source, json, e, "is this an occam-mlp/1 model file?"));
        }
        using (doc)
        {
            try
            {
                return Read(doc.RootElement, source);
            }
            catch (ArgumentException e)
            {
                throw new OccamException($"{source}: {e.Message}");
            }
        }
    }

    private static Mlp Read(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Bad(source, "$", "the top level must be a JSON object");
        string format = GetString(root, "format", source, "$");
        if (format != Format) throw Bad(source, "$.format", $"is '{format}'; this reader understands '{Format}'");
        string taskText = GetString(root, "task", source, "$");
        if (!TaskKinds.TryParse(taskText, out var task))
            throw Bad(source, "$.task", $"is '{taskText}'; use {TaskKinds.Listing(TaskKinds.Names)}");
        int inputs = GetInt(root, "inputs", source, "$");
        if (inputs <= 0) throw Bad(source, "$.inputs", "must be a positive integer");
        if (!root.TryGetProperty("layers", out var layersEl) || layersEl.ValueKind != JsonValueKind.Array)
            throw Bad(source, "$.layers", "is missing or not an array");
        var layers = new List<Layer>();
        int width = inputs, index = 0;
        foreach (var el in layersEl.EnumerateArray())
        {
            string at = $"$.layers[{index}]";
            if (el.ValueKind != JsonValueKind.Object) throw Bad(source, at, "must be an object");
            string type = GetString(el, "type", source, at);
            if (type == "dense")
            {
                if (!el.TryGetProperty("weight", out var wEl) || wEl.ValueKind != JsonValueKind.Array)
                    throw Bad(source, at + ".weight", "is missing or not an array of rows");
                int outputs = wEl.GetArrayLength();
                if (outputs == 0) throw Bad(source, at + ".weight", "has no rows");
                var weight = new float[outputs * width];
                int row = 0;
                foreach (var rEl in wEl.EnumerateArray())
                {
                    ReadFloats(rEl, weight.AsSpan(row * width, width), source, $"{at}.weight[{row}]", "the layer's input width");
                    row++;
                }
                if (!el.TryGetProperty("bias", out var bEl)) throw Bad(source, at + ".bias", "is missing");
                var bias = new float[outputs];
                ReadFloats(bEl, bias, source, at + ".bias", "the number of weight rows");
                layers.Add(new Dense(width, outputs, weight, bias));
                width = outputs;
            }
            else if (type == "dropout")
            {
                if (!el.TryGetProperty("p", out var pEl) || pEl.ValueKind != JsonValueKind.Number)
                    throw Bad(source, at + ".p", "is missing or not a number");
                double p = pEl.GetDouble();
                if (!(p >= 0 && p < 1)) throw Bad(source, at + ".p", $"is {p}; a dropout probability must be in [0, 1)");
                layers.Add(new Dropout(p));
            }
            else if (Activation.TryParse(type, out var kind))
            {
                layers.Add(new ActivationLayer(kind));
            }
            else
            {
                throw Bad(source, at + ".type", $"is '{type}'; use dense, relu, tanh, sigmoid, identity or dropout");
            }
            index++;
        }
        if (layers.Count == 0 || layers[^1] is not Dense)
            throw Bad(source, "$.layers", "must end with a dense layer (it emits the raw scores)");
        var standardizer = ReadStandardizer(root, "standardizer", inputs, "one per input", source);
        var targetStandardizer = ReadStandardizer(root, "targetStandardizer", width, "one per output", source);
        if (targetStandardizer is not null && task != TaskKind.Regression)
            throw Bad(source, "$.targetStandardizer", $"is only for regression models (this one is {TaskKinds.Name(task)}); remove it");
        var classes = ReadStrings(root, "classes", source);
        var features = ReadStrings(root, "features", source);
        string? target = root.TryGetProperty("target", out var tEl) && tEl.ValueKind == JsonValueKind.String ? tEl.GetString() : null;
        if (task == TaskKind.Binary && width != 1) throw Bad(source, "$.layers", $"a binary model must end in 1 output (it ends in {width})");
        if (task == TaskKind.Multiclass && width < 2) throw Bad(source, "$.layers", $"a multiclass model must end in one output per class (it ends in {width})");
        if (classes is not null && task == TaskKind.Multiclass && classes.Length != width)
            throw Bad(source, "$.classes", $"has {Counted.Of(classes.Length, "label")} but the last layer has {Counted.Of(width, "output")}");
        if (classes is not null && task == TaskKind.Binary && classes.Length != 2)
            throw Bad(source, "$.classes", $"has {Counted.Of(classes.Length, "label")}; a binary model has 2");
        if (features is not null && features.Length != inputs)
            throw Bad(source, "$.features", $"has {Counted.Of(features.Length, "name")} for {Counted.Of(inputs, "input")}");
        if (classes is not null && ClassMatcher.FirstDuplicate(classes) is (int c1, int c2))
            throw Bad(source, $"$.classes[{c2}]", $"'{classes[c2]}' is the same label as $.classes[{c1}] '{classes[c1]}'; every class label must be distinct");
        if (features is not null && ColumnNames.FirstDuplicate(features) is (int f1, int f2))
            throw Bad(source, $"$.features[{f2}]", $"'{features[f2]}' repeats $.features[{f1}]; every input column needs its own name");
        if (task == TaskKind.Binary) classes ??= ["0", "1"];
        if (task == TaskKind.Multiclass) classes ??= Enumerable.Range(0, width).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new Mlp(inputs, task, layers, standardizer, classes, features, target, targetStandardizer);
    }

    private static void ReadFloats(JsonElement el, Span<float> destination, string source, string at, string expected)
    {
        if (el.ValueKind != JsonValueKind.Array) throw Bad(source, at, "must be an array of numbers");
        int n = el.GetArrayLength();
        if (n != destination.Length) throw Bad(source, at, $"has {n} values; expected {destination.Length} ({expected})");
        int i = 0;
        foreach (var v in el.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetSingle(out float f) || !float.IsFinite(f))
                throw Bad(source, $"{at}[{i}]", "must be a finite number");
            destination[i++] = f;
        }
    }

    /// <summary>An optional <c>{"mean":[..],"scale":[..]}</c> object of <paramref name="count"/> columns; null when absent.</summary>
    private static Standardizer? ReadStandardizer(JsonElement root, string name, int count, string expected, string source)
    {
        if (!root.TryGetProperty(name, out var sEl) || sEl.ValueKind == JsonValueKind.Null) return null;
        string at = "$." + name;
        if (sEl.ValueKind != JsonValueKind.Object) throw Bad(source, at, "must be an object with \"mean\" and \"scale\"");
        var mean = new double[count];
        var scale = new double[count];
        if (!sEl.TryGetProperty("mean", out var mEl)) throw Bad(source, at + ".mean", "is missing");
        if (!sEl.TryGetProperty("scale", out var scEl)) throw Bad(source, at + ".scale", "is missing");
        ReadDoubles(mEl, mean, source, at + ".mean", expected);
        ReadDoubles(scEl, scale, source, at + ".scale", expected);
        for (int i = 0; i < count; i++)
            if (!(scale[i] > 0)) throw Bad(source, $"{at}.scale[{i}]", $"is {scale[i]}; scales must be > 0");
        return new Standardizer(mean, scale);
    }

    /// <summary>Writes <c>"name": {"mean": [...], "scale": [...]}</c> (also used by the safetensors sidecar).</summary>
    internal static void WriteStandardizer(Utf8JsonWriter w, string name, Standardizer s)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("mean");
        foreach (double v in s.Mean) w.WriteNumberValue(v);
        w.WriteEndArray();
        w.WriteStartArray("scale");
        foreach (double v in s.Scale) w.WriteNumberValue(v);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void ReadDoubles(JsonElement el, Span<double> destination, string source, string at, string expected)
    {
        if (el.ValueKind != JsonValueKind.Array) throw Bad(source, at, "must be an array of numbers");
        int n = el.GetArrayLength();
        if (n != destination.Length) throw Bad(source, at, $"has {n} values; expected {destination.Length} ({expected})");
        int i = 0;
        foreach (var v in el.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble()))
                throw Bad(source, $"{at}[{i}]", "must be a finite number");
            destination[i++] = v.GetDouble();
        }
    }

    private static string[]? ReadStrings(JsonElement root, string name, string source)
    {
        if (!root.TryGetProperty(name, out var el) || el.ValueKind == JsonValueKind.Null) return null;
        if (el.ValueKind != JsonValueKind.Array) throw Bad(source, "$." + name, "must be an array");
        var list = new List<string>();
        foreach (var v in el.EnumerateArray())
            list.Add(v.ValueKind switch
            {
                JsonValueKind.String => v.GetString()!,
                JsonValueKind.Number => v.GetRawText(),
                _ => throw Bad(source, $"$.{name}[{list.Count}]", "must be a string or a number"),
            });
        return list.ToArray();
    }

    private static string GetString(JsonElement el, string name, string source, string at)
    {
        if (!el.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String)
            throw Bad(source, $"{at}.{name}", "is missing or not a string");
        return v.GetString()!;
    }

    private static int GetInt(JsonElement el, string name, string source, string at)
    {
        if (!el.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int i))
            throw Bad(source, $"{at}.{name}", "is missing or not an integer");
        return i;
    }

    private static void WriteArray(Utf8JsonWriter w, ReadOnlySpan<float> values) => FloatRowsJson.WriteRow(w, values);

    /// <summary>Writes <c>"name": ["...", ...]</c> (also used by the safetensors sidecar).</summary>
    internal static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>No NaN or infinity in <paramref name="values"/> (the SIMD scan the data path uses, not a scalar loop).</summary>
    private static bool AllFinite(ReadOnlySpan<float> values) => Numerics.Conversion.NonFinite.IndexOf(values) < 0;

    private static OccamException Bad(string source, string at, string problem) => new($"{source}: {at} {problem}.");
}
