using System.Text;
using System.Text.Json;
using Occam.Data;

namespace Occam.Serialization;

/// <summary>Reads and writes <c>occam-linear/1</c> (docs/formats.md): a <see cref="LinearModel"/> with its pipeline and solver report.</summary>
internal static class LinearJson
{
    public const string Format = "occam-linear/1";

    /// <summary>The document, indented, ending with a newline.</summary>
    public static string Write(LinearModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, JsonText.WriterOptions(indented: true)))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("task", TaskKinds.Name(model.Task));
            Strings(w, "features", model.Features);
            if (model.ClassCoef is { } rows)
            {
                // Multiclass: one row per class ([class][feature], torch's [out][in]) and one intercept per class.
                w.WriteStartArray("coef");
                foreach (var row in rows)
                {
                    w.WriteStartArray();
                    foreach (double v in row) w.WriteNumberValue(v);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteStartArray("intercept");
                foreach (double v in model.ClassIntercepts!) w.WriteNumberValue(v);
                w.WriteEndArray();
                w.WriteBoolean("grouped", model.Grouped);
            }
            else
            {
                w.WriteStartArray("coef");
                foreach (double v in model.Coef) w.WriteNumberValue(v);
                w.WriteEndArray();
                w.WriteNumber("intercept", model.Intercept);
            }
            w.WriteNumber("alpha", model.Alpha);
            w.WriteNumber("l1Ratio", model.L1Ratio);
            w.WriteString("penalty", model.Penalty);
            w.WriteBoolean("standardize", model.Standardize);
            w.WriteNumber("degree", model.Pipeline.Degree);
            Strings(w, "inputs", model.Pipeline.Inputs);
            Strings(w, "polynomialColumns", model.Pipeline.Columns);
            if (model.Classes is { } classes) Strings(w, "classes", classes);
            w.WriteString("target", model.TargetName);
            w.WriteNumber("iterations", model.Iterations);
            w.WriteNumber("dualGap", model.DualGap);
            w.WriteNumber("gapTolerance", model.GapTolerance);
            w.WriteBoolean("converged", model.Converged);
            w.WriteNumber("devianceExplained", model.DevianceExplained);
            Strings(w, "warnings", model.Warnings);
            if (model.Seconds is double s) w.WriteNumber("seconds", s);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>Parses and checks a document; any problem is an <see cref="OccamException"/> naming <paramref name="source"/> and the field.</summary>
    public static LinearModel Parse(string text, string source)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(text, ModelFile.DocumentOptions(64));
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new OccamException(ModelFile.InvalidJson(source, text, e, "pass a model written by Occam."));
        }
        if (root.ValueKind != JsonValueKind.Object) throw Bad(source, "$", "the top level must be a JSON object");
        string format = Text(root, "format", source);
        if (format != Format) throw Bad(source, "$.format", $"is '{format}'; this reader understands '{Format}'");
        string taskText = Text(root, "task", source);
        if (!TaskKinds.TryParse(taskText, out var task))
            throw Bad(source, "$.task", $"is '{taskText}'; use regression, binary or multiclass");
        var features = Strings(root, "features", source, required: true)!;
        double[] coef = [];
        double[][] classCoef = [];
        if (task == TaskKind.Multiclass)
        {
            if (!root.TryGetProperty("coef", out var rows) || rows.ValueKind != JsonValueKind.Array)
                throw Bad(source, "$.coef", "is missing or not an array of coefficient rows (one per class)");
            classCoef = new double[rows.GetArrayLength()][];
            int r = 0;
            foreach (var row in rows.EnumerateArray())
            {
                classCoef[r] = NumberArray(row, $"coef[{r}]", source);
                if (classCoef[r].Length != features.Length)
                    throw Bad(source, $"$.coef[{r}]", $"has {Counted.Of(classCoef[r].Length, "value")} for {Counted.Of(features.Length, "feature")}; give one coefficient per feature");
                r++;
            }
        }
        else
        {
            coef = Numbers(root, "coef", source);
            if (coef.Length != features.Length)
                throw Bad(source, "$.coef", $"has {Counted.Of(coef.Length, "value")} for {Counted.Of(features.Length, "feature")}; give one coefficient per feature");
        }
        var inputs = Strings(root, "inputs", source, required: false) ?? features;
        int degree = 1;
        if (root.TryGetProperty("degree", out var d))
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out degree) || degree < 1)
                throw Bad(source, "$.degree", "must be an integer >= 1");
        var poly = Strings(root, "polynomialColumns", source, required: false) ?? [];
        string[]? classes = Strings(root, "classes", source, required: false);
        if (task == TaskKind.Binary && classes is not { Length: 2 })
            throw Bad(source, "$.classes", "a binary model needs exactly 2 class labels");
        if (task == TaskKind.Multiclass && (classes is null || classes.Length < 2 || classes.Length != classCoef.Length))
            throw Bad(source, "$.classes", $"a multiclass model needs one class label per coefficient row ({classCoef.Length})");
        Distinct(features, "features", source);
        Distinct(inputs, "inputs", source);
        Distinct(poly, "polynomialColumns", source);
        if (classes is not null && ClassMatcher.FirstDuplicate(classes) is (int c1, int c2))
            throw new OccamException($"{source}: $.classes[{c2}] '{classes[c2]}' is the same label as $.classes[{c1}] '{classes[c1]}'; every class label must be distinct.");
        PolynomialPipeline pipeline;
        try
        {
            pipeline = PolynomialPipeline.Create(inputs, degree, degree > 1 ? poly : null);
        }
        catch (OccamException e)
        {
            throw Bad(source, "$.polynomialColumns", e.Message.TrimEnd('.'));
        }
        if (!pipeline.Features.SequenceEqual(features))
            throw Bad(source, "$.features", "do not match inputs, degree and polynomialColumns; the file is damaged");
        double intercept = 0;
        double[] intercepts = [];
        if (task == TaskKind.Multiclass)
        {
            intercepts = Numbers(root, "intercept", source);
            if (intercepts.Length != classCoef.Length)
                throw Bad(source, "$.intercept", $"has {Counted.Of(intercepts.Length, "value")} for {Counted.Of(classCoef.Length, "class", "classes")}; give one intercept per class");
        }
        else
        {
            intercept = Number(root, "intercept", source, 0, required: true);
        }
        bool grouped = root.TryGetProperty("grouped", out var gr) && gr.ValueKind == JsonValueKind.True;
        double alpha = Number(root, "alpha", source, 0, required: false);
        double l1Ratio = Number(root, "l1Ratio", source, 1, required: false);
        string penalty = root.TryGetProperty("penalty", out var pe) && pe.ValueKind == JsonValueKind.String ? pe.GetString()! : (l1Ratio == 1 ? "lasso" : l1Ratio == 0 ? "ridge" : "elasticnet");
        bool standardize = !root.TryGetProperty("standardize", out var st) || st.ValueKind != JsonValueKind.False;
        string target = root.TryGetProperty("target", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "y";
        var report = new LinearReport(
            (int)Number(root, "iterations", source, 0, required: false),
            Number(root, "dualGap", source, 0, required: false),
            Number(root, "gapTolerance", source, 0, required: false),
            !root.TryGetProperty("converged", out var c) || c.ValueKind != JsonValueKind.False,
            Number(root, "devianceExplained", source, 0, required: false),
            Strings(root, "warnings", source, required: false) ?? [],
            root.TryGetProperty("seconds", out var sec) && sec.ValueKind == JsonValueKind.Number ? sec.GetDouble() : null);
        return task == TaskKind.Multiclass
            ? new LinearModel(pipeline, classCoef, intercepts, penalty, alpha, l1Ratio, grouped, standardize, classes!, target, report)
            : new LinearModel(task, pipeline, coef, intercept, penalty, alpha, l1Ratio, standardize, classes, target, report);
    }

    private static OccamException Bad(string source, string at, string problem) =>
        new($"{source}: {at} {problem}; pass an occam-linear/1 model written by 'occam linear fit'.");

    private static string Text(JsonElement root, string name, string source) =>
        root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Bad(source, "$." + name, "is missing or not a string");

    private static string[]? Strings(JsonElement root, string name, string source, bool required)
    {
        if (!root.TryGetProperty(name, out var e))
            return required ? throw Bad(source, "$." + name, "is missing") : null;
        if (e.ValueKind != JsonValueKind.Array) throw Bad(source, "$." + name, "must be an array of strings");
        var result = new string[e.GetArrayLength()];
        int i = 0;
        foreach (var v in e.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.String) throw Bad(source, $"$.{name}[{i}]", "must be a string");
            result[i++] = v.GetString()!;
        }
        return result;
    }

    private static double[] Numbers(JsonElement root, string name, string source)
    {
        if (!root.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.Array) throw Bad(source, "$." + name, "is missing or not an array of numbers");
        return NumberArray(e, name, source);
    }

    private static double[] NumberArray(JsonElement e, string name, string source)
    {
        if (e.ValueKind != JsonValueKind.Array) throw Bad(source, "$." + name, "must be an array of numbers");
        var result = new double[e.GetArrayLength()];
        int i = 0;
        foreach (var v in e.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out result[i]) || !double.IsFinite(result[i]))
                throw Bad(source, $"$.{name}[{i}]", "must be a finite number");
            i++;
        }
        return result;
    }

    private static double Number(JsonElement root, string name, string source, double fallback, bool required)
    {
        if (!root.TryGetProperty(name, out var e))
            return required ? throw Bad(source, "$." + name, "is missing") : fallback;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double v) || !double.IsFinite(v))
            throw Bad(source, "$." + name, "must be a finite number");
        return v;
    }

    private static void Distinct(string[] names, string field, string source)
    {
        if (ColumnNames.FirstDuplicate(names) is (int first, int second))
            throw new OccamException($"{source}: $.{field}[{second}] '{names[second]}' repeats $.{field}[{first}]; every column needs its own name.");
    }
}
