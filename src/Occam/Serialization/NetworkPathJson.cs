using System.Text.Json;
using Occam.Data;
using Occam.Selection;

namespace Occam.Serialization;

/// <summary>
/// The <c>occam-path/1</c> file of a network λ path (docs/formats.md): the settings, λ_max, the choice (indexMin,
/// index1se) and one entry per λ with its metrics and its network as an embedded <c>occam-mlp/1</c> object, so any
/// point can be written out as a model later (<c>occam path --from FILE --take λ</c>).
/// </summary>
internal static class NetworkPathJson
{
    public const string Format = "occam-path/1";

    public static void Save(NetworkPathResult path, string file)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(file, stream => Write(path, stream));
    }

    public static void Write(NetworkPathResult path, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, JsonText.WriterOptions(indented: false));
        w.WriteStartObject();
        WriteFields(w, path, includeModels: true);
        w.WriteEndObject();
        w.Flush();
        stream.WriteByte((byte)'\n');
    }

    /// <summary>
    /// The fields of the file into an open object; without <paramref name="includeModels"/> the <c>format</c> tag and
    /// every point's <c>model</c> are left out (the summary <c>occam path --json</c> prints).
    /// </summary>
    public static void WriteFields(Utf8JsonWriter w, NetworkPathResult path, bool includeModels)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(path);
        if (includeModels) w.WriteString("format", Format);
        w.WriteString("task", TaskKinds.Name(path.Task));
        w.WriteString("penalty", NetworkPathPenalties.Name(path.Penalty));
        if (path.L1Ratio is double rho) w.WriteNumber("l1Ratio", rho);
        w.WriteNumber("lambdaMax", path.LambdaMax);
        w.WriteString("selection", path.Selection);
        w.WriteNumber("folds", path.Folds);
        w.WriteNumber("indexMin", path.IndexMin);
        w.WriteNumber("index1se", path.Index1se);
        w.WriteNumber("lambdaMin", path.LambdaMin);
        w.WriteNumber("lambda1se", path.Lambda1se);
        w.WriteStartArray("points");
        for (int k = 0; k < path.Points.Count; k++)
        {
            var p = path.Points[k];
            w.WriteStartObject();
            w.WriteNumber("lambda", p.Lambda);
            w.WriteNumber("trainLoss", p.TrainLoss);
            Optional(w, "trainScore", p.TrainScore);
            Optional(w, "validationLoss", p.ValidationLoss);
            Optional(w, "validationScore", p.ValidationScore);
            w.WriteNumber("selectionLoss", p.SelectionLoss);
            w.WriteNumber("selectionSe", p.SelectionSe);
            w.WriteNumber("zeroWeights", p.ZeroWeights);
            w.WriteNumber("weights", p.Weights);
            w.WriteNumber("firstLayerZeros", p.FirstLayerZeros);
            w.WriteNumber("firstLayerWeights", p.FirstLayerWeights);
            w.WriteNumber("deadUnits", p.DeadUnits);
            w.WriteNumber("hiddenUnits", p.HiddenUnits);
            w.WriteNumber("inputsKept", p.InputsKept);
            w.WriteNumber("inputs", p.Inputs);
            w.WriteNumber("parametersAfterPruning", p.ParametersAfterPruning);
            w.WriteNumber("epochs", p.Epochs);
            w.WriteNumber("seconds", p.Seconds);
            if (includeModels)
            {
                w.WritePropertyName("model");
                w.WriteRawValue(MlpJson.ToJson(path.ModelAt(k).Network).TrimEnd('\n'), skipInputValidation: true);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static NetworkPathResult Load(string file)
    {
        string text = ModelFile.ReadText(file);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, ModelFile.DocumentOptions(32));
        }
        catch (JsonException e)
        {
            throw new OccamException(ModelFile.InvalidJson(file, text, e, $"is this an {Format} file written by 'occam path --path-out'?"));
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Bad(file, "$", "the top level must be a JSON object");
            string format = String(root, "format", file, "$");
            if (format != Format)
                throw Bad(file, "$.format", $"is '{format}'; this reader understands '{Format}'" + (format == MlpJson.Format ? " (this is a single model: use it directly)" : ""));
            string taskText = String(root, "task", file, "$");
            if (!TaskKinds.TryParse(taskText, out var task)) throw Bad(file, "$.task", $"is '{taskText}'; use {TaskKinds.Listing(TaskKinds.Names)}");
            string penaltyText = String(root, "penalty", file, "$");
            var penalty = NetworkPathPenalties.TryParse(penaltyText) ?? throw Bad(file, "$.penalty", $"is '{penaltyText}'; use l1, group-lasso, l2 or elastic-net");
            double? l1Ratio = root.TryGetProperty("l1Ratio", out _) ? Number(root, "l1Ratio", file, "$") : null;
            double lambdaMax = Number(root, "lambdaMax", file, "$");
            int folds = Int(root, "folds", file, "$");
            int indexMin = Int(root, "indexMin", file, "$");
            int index1se = Int(root, "index1se", file, "$");
            if (!root.TryGetProperty("points", out var pointsEl) || pointsEl.ValueKind != JsonValueKind.Array || pointsEl.GetArrayLength() == 0)
                throw Bad(file, "$.points", "is missing, not an array or empty");
            var points = new List<NetworkPathPoint>();
            var models = new List<MlpModel>();
            int k = 0;
            foreach (var el in pointsEl.EnumerateArray())
            {
                string at = $"$.points[{k}]";
                if (el.ValueKind != JsonValueKind.Object) throw Bad(file, at, "must be an object");
                points.Add(new NetworkPathPoint(Number(el, "lambda", file, at), Number(el, "trainLoss", file, at), OptionalNumber(el, "trainScore", file, at),
                    OptionalNumber(el, "validationLoss", file, at), OptionalNumber(el, "validationScore", file, at),
                    Number(el, "selectionLoss", file, at), Number(el, "selectionSe", file, at),
                    Int(el, "zeroWeights", file, at), Int(el, "weights", file, at), Int(el, "firstLayerZeros", file, at), Int(el, "firstLayerWeights", file, at),
                    Int(el, "deadUnits", file, at), Int(el, "hiddenUnits", file, at), Int(el, "inputsKept", file, at), Int(el, "inputs", file, at),
                    Int(el, "parametersAfterPruning", file, at), Int(el, "epochs", file, at), Number(el, "seconds", file, at)));
                if (!el.TryGetProperty("model", out var modelEl) || modelEl.ValueKind != JsonValueKind.Object)
                    throw Bad(file, at + ".model", "is missing or not an object");
                var network = MlpJson.Parse(modelEl.GetRawText(), $"{file} {at}.model");
                if (network.Task != task) throw Bad(file, at + ".model", $"is a {TaskKinds.Name(network.Task)} model in a {TaskKinds.Name(task)} path");
                models.Add(new MlpModel(network));
                k++;
            }
            for (int i = 1; i < points.Count; i++)
                if (!(points[i].Lambda < points[i - 1].Lambda)) throw Bad(file, $"$.points[{i}].lambda", "must be smaller than the previous point's (λ descending)");
            if ((uint)indexMin >= (uint)points.Count || (uint)index1se > (uint)indexMin)
                throw Bad(file, "$.index1se", $"and $.indexMin ({index1se}, {indexMin}) must satisfy 0 ≤ index1se ≤ indexMin < {points.Count}");
            return new NetworkPathResult(task, penalty, l1Ratio, lambdaMax, folds, points, models, indexMin, index1se);
        }
    }

    private static void Optional(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v) w.WriteNumber(name, v);
    }

    private static string String(JsonElement el, string name, string file, string at) =>
        el.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Bad(file, $"{at}.{name}", "is missing or not a string");

    private static double Number(JsonElement el, string name, string file, string at) =>
        el.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d)
            ? d : throw Bad(file, $"{at}.{name}", "is missing or not a finite number");

    private static double? OptionalNumber(JsonElement el, string name, string file, string at) =>
        el.TryGetProperty(name, out _) ? Number(el, name, file, at) : null;

    private static int Int(JsonElement el, string name, string file, string at) =>
        el.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) && i >= 0
            ? i : throw Bad(file, $"{at}.{name}", "is missing or not a whole number >= 0");

    private static OccamException Bad(string file, string at, string what) => new($"{file}: {at} {what}.");
}
