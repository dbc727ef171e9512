using System.Globalization;
using System.Text.Json;
using Occam.Data;
using Occam.Nn;
using Occam.Serialization;

namespace Occam.Interop.Safetensors;

/// <summary>How <see cref="SafetensorsModel.Import"/> learns what the tensors mean.</summary>
public sealed record SafetensorsImportOptions
{
    /// <summary>The Sequential's architecture (<see cref="SequentialSpec"/>), e.g. <c>64-relu-64-relu-10</c>; null = the sidecar's.</summary>
    public string? Arch { get; init; }

    /// <summary>A sidecar written by <see cref="SafetensorsModel.Export"/> (or by hand); null = none.</summary>
    public string? SidecarPath { get; init; }

    /// <summary>The task; null = the sidecar's (required when there is no sidecar).</summary>
    public TaskKind? Task { get; init; }
}

/// <summary>
/// Occam MLPs as PyTorch weights: a safetensors file whose tensors are named as a <c>torch.nn.Sequential</c> state_dict
/// (<c>"{i}.weight"</c> float32 [out, in], <c>"{i}.bias"</c> [out], i = the module's index, exactly Occam's layer index)
/// plus a JSON sidecar <c>occam-sequential/1</c> with what a state_dict lacks: the architecture spec, task, input
/// width, input standardizer, regression target standardizer, classes, feature and target names (docs/formats.md).
/// </summary>
public static class SafetensorsModel
{
    /// <summary>The sidecar's format tag.</summary>
    public const string SidecarFormat = "occam-sequential/1";

    /// <summary>Where the sidecar goes when no path is given: the tensor file's path + <c>.json</c>.</summary>
    public static string DefaultSidecarPath(string tensorsPath) => tensorsPath + ".json";

    /// <summary>The state_dict tensors of a model, in layer order.</summary>
    public static IReadOnlyList<SafeTensor> Tensors(Mlp model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = new List<SafeTensor>();
        foreach (var p in model.Parameters())   // named "{i}.weight" / "{i}.bias", the state_dict keys
        {
            if (!p.Value.All(float.IsFinite))
                throw new OccamException("the model has NaN or infinite weights and cannot be exported; retrain with a lower learning rate.");
            var d = p.Layer!;
            tensors.Add(p.Kind == ParameterKind.Weight
                ? SafeTensor.FromFloats(p.Name, p.Value, d.Outputs, d.Inputs)
                : SafeTensor.FromFloats(p.Name, p.Value, d.Outputs));
        }
        return tensors;
    }

    /// <summary>The sidecar JSON of a model (one line, UTF-8, trailing newline).</summary>
    public static string Sidecar(Mlp model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, JsonText.WriterOptions(indented: false)))
        {
            w.WriteStartObject();
            w.WriteString("format", SidecarFormat);
            w.WriteString("arch", SequentialSpec.Format(model));
            w.WriteNumber("inputs", model.Inputs);
            w.WriteString("task", TaskKinds.Name(model.Task));
            if (model.Standardizer is { } s) MlpJson.WriteStandardizer(w, "standardizer", s);
            if (model.TargetStandardizer is { } ts) MlpJson.WriteStandardizer(w, "targetStandardizer", ts);
            if (model.Classes is { } c) MlpJson.WriteStrings(w, "classes", c);
            if (model.FeatureNames is { } f) MlpJson.WriteStrings(w, "features", f);
            if (model.TargetName is { } t) w.WriteString("target", t);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    /// <summary>Writes the tensors to <paramref name="path"/> and the sidecar beside them, both atomically, both or neither.</summary>
    public static void Export(Mlp model, string path, string? sidecarPath = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var tensors = Tensors(model);
        string sidecar = Sidecar(model);
        sidecarPath ??= DefaultSidecarPath(path);
        if (Path.GetFullPath(sidecarPath) == Path.GetFullPath(path))
            throw new OccamException($"the sidecar path '{sidecarPath}' is the tensor file itself; choose another --sidecar.");
        AtomicFile.WriteAll([
            (path, s => SafetensorsFile.Write(s, tensors, new Dictionary<string, string> { ["format"] = "pt" })),
            (sidecarPath, s => s.Write(new System.Text.UTF8Encoding(false).GetBytes(sidecar))),
        ]);
    }

    /// <summary>Exports an <c>occam-mlp/1</c> model file; other formats are an <see cref="OccamException"/>.</summary>
    public static void ExportFile(string modelPath, string path, string? sidecarPath = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(path);
        sidecarPath ??= DefaultSidecarPath(path);
        foreach (var target in new[] { path, sidecarPath })
            if (Path.GetFullPath(target) == Path.GetFullPath(modelPath))
                throw new OccamException($"'{target}' is the model file itself; choose another output path.");
        if (ModelFiles.Read(modelPath) is not Mlp model)
            throw new OccamException($"{modelPath}: safetensors export is for occam-mlp/1 networks; export linear models with --format onnx.");
        Export(model, path, sidecarPath);
    }

    /// <summary>
    /// Reads a safetensors state_dict of a Sequential into an Occam MLP. The architecture comes from
    /// <see cref="SafetensorsImportOptions.Arch"/> or the sidecar (both: they must agree); every tensor must be F32 with
    /// the shape the architecture implies, and there must be no other tensors.
    /// </summary>
    public static Mlp Import(string path, SafetensorsImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        var sidecar = options.SidecarPath is { } sp ? ReadSidecar(sp) : null;
        string spec = options.Arch ?? sidecar?.Arch
            ?? throw OccamException.Usage($"{path}: the architecture is unknown; give --arch (e.g. 64-relu-64-relu-10) or --sidecar FILE.");
        var modules = SequentialSpec.Parse(spec);
        if (options.Arch is not null && sidecar is not null && !SequentialSpec.Parse(sidecar.Arch).SequenceEqual(modules))
            throw OccamException.Usage($"--arch '{options.Arch}' differs from the sidecar's '{sidecar.Arch}' ({options.SidecarPath}); leave one out.");
        if (options.Task is { } asked && sidecar?.Task is { } recorded && asked != recorded)
            throw OccamException.Usage($"--task {TaskKinds.Name(asked)} contradicts the sidecar ({options.SidecarPath}), which records a {TaskKinds.Name(recorded)} model; leave --task out.");
        var task = options.Task ?? sidecar?.Task
            ?? throw OccamException.Usage($"{path}: the task is unknown without a sidecar; give --task regression, binary or multiclass.");
        var (tensors, _) = SafetensorsFile.Read(path);
        var byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < modules.Count; i++)
            if (modules[i] is SpecModule.Linear) { expected.Add($"{i}.weight"); expected.Add($"{i}.bias"); }
        foreach (var t in tensors)
            if (!expected.Contains(t.Name))
                throw new OccamException($"{path}: tensor '{t.Name}' is not in architecture '{spec}' (it expects {string.Join(", ", Order(expected))}); check --arch.");

        var layers = new List<Layer>();
        int? inputs = null;
        int width = 0;
        for (int i = 0; i < modules.Count; i++)
        {
            switch (modules[i])
            {
                case SpecModule.Linear lin:
                    var w = Tensor(byName, $"{i}.weight", path, spec);
                    var b = Tensor(byName, $"{i}.bias", path, spec);
                    if (w.Shape.Length != 2)
                        throw new OccamException($"{path}: tensor '{w.Name}' has shape [{string.Join(", ", w.Shape)}]; a Linear weight is 2-D [out, in].");
                    int inWidth = inputs is null ? checked((int)w.Shape[1]) : width;
                    if (w.Shape[0] != lin.Outputs || w.Shape[1] != inWidth || inWidth == 0)
                        throw new OccamException($"{path}: tensor '{w.Name}' has shape [{string.Join(", ", w.Shape)}] but architecture '{spec}' needs [{lin.Outputs}, {(inputs is null ? "in" : inWidth.ToString(CultureInfo.InvariantCulture))}]; check --arch.");
                    if (b.Shape.Length != 1 || b.Shape[0] != lin.Outputs)
                        throw new OccamException($"{path}: tensor '{b.Name}' has shape [{string.Join(", ", b.Shape)}] but architecture '{spec}' needs [{lin.Outputs}]; check --arch.");
                    inputs ??= inWidth;
                    var wv = w.ToFloats();
                    var bv = b.ToFloats();
                    if (!wv.All(float.IsFinite) || !bv.All(float.IsFinite))
                        throw new OccamException($"{path}: tensor '{(wv.All(float.IsFinite) ? b.Name : w.Name)}' holds NaN or infinite values; export a trained, finite model.");
                    layers.Add(new Dense(inWidth, lin.Outputs, wv, bv));
                    width = lin.Outputs;
                    break;
                case SpecModule.Activation a:
                    layers.Add(new ActivationLayer(a.Kind));
                    break;
                case SpecModule.Dropout d:
                    layers.Add(new Dropout(d.P));
                    break;
            }
        }
        if (sidecar?.Inputs is { } n && n != inputs)
            throw new OccamException($"{path}: the first weight has {inputs} inputs but the sidecar says {n}; the sidecar belongs to another model.");
        try
        {
            return new Mlp(inputs!.Value, task, layers, sidecar?.Standardizer, sidecar?.Classes, sidecar?.Features, sidecar?.Target,
                sidecar?.TargetStandardizer);
        }
        catch (ArgumentException e)
        {
            throw new OccamException($"{path}: {e.Message.Split(" (Parameter", 2)[0]} Check --arch and --task.");
        }
    }

    private static IEnumerable<string> Order(IEnumerable<string> names) =>
        names.OrderBy(n => int.Parse(n.Split('.')[0], CultureInfo.InvariantCulture)).ThenBy(n => n, StringComparer.Ordinal);

    private static SafeTensor Tensor(Dictionary<string, SafeTensor> byName, string name, string path, string spec)
    {
        if (!byName.TryGetValue(name, out var t))
            throw new OccamException($"{path}: tensor '{name}' is missing; architecture '{spec}' has a Linear (with bias) at index {name.Split('.')[0]}; check --arch.");
        if (t.DType != "F32")
            throw new OccamException($"{path}: tensor '{name}' is {t.DType}; Occam reads float32 (save the model after model.float()).");
        return t;
    }

    private sealed record SidecarInfo(string Arch, int? Inputs, TaskKind? Task, Standardizer? Standardizer,
        Standardizer? TargetStandardizer, string[]? Classes, string[]? Features, string? Target);

    private static SidecarInfo ReadSidecar(string path)
    {
        string text = InputFile.ReadAllText(path, "the sidecar (.json) written by occam export");
        if (ModelFile.DuplicateKeyMessage(path, text) is { } duplicate) throw new OccamException(duplicate);
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException("the top level is not an object");
            string format = Str(root, "format") ?? throw new FormatException("no \"format\"");
            if (format != SidecarFormat) throw new FormatException($"format is '{format}', expected '{SidecarFormat}'");
            string arch = Str(root, "arch") ?? throw new FormatException("no \"arch\"");
            int? inputs = root.TryGetProperty("inputs", out var i) ? i.GetInt32() : null;
            TaskKind? task = Str(root, "task") is { } t ? (TaskKinds.TryParse(t, out var k) ? k : throw new FormatException($"unknown task '{t}'")) : null;
            return new SidecarInfo(arch, inputs, task, StandardizerOf(root, "standardizer"), StandardizerOf(root, "targetStandardizer"),
                Strings(root, "classes"), Strings(root, "features"), Str(root, "target"));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new OccamException($"{path}: not a valid {SidecarFormat} sidecar ({e.Message.Split(" (Parameter", 2)[0].TrimEnd('.')}); pass the .json written by occam export, or use --arch.");
        }
    }

    private static Standardizer? StandardizerOf(JsonElement root, string name) =>
        root.TryGetProperty(name, out var s) && s.ValueKind != JsonValueKind.Null ? new Standardizer(Numbers(s, "mean"), Numbers(s, "scale")) : null;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetString() ?? throw new FormatException($"\"{name}\" is not a string") : null;

    private static double[] Numbers(JsonElement e, string name) =>
        e.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static string[]? Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.EnumerateArray().Select(x => x.GetString() ?? throw new FormatException($"a value of \"{name}\" is not a string")).ToArray()
            : null;
}
