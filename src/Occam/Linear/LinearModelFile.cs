using System.Text.Json;
using Occam.Data;

namespace Occam.Linear;

/// <summary>
/// A model read from an <c>occam-linear/1</c> file (docs/formats.md): the fitted <see cref="LinearCoefficients"/> over the
/// expanded features plus what is needed to rebuild those features from the raw input columns.
/// </summary>
public sealed class LinearModelFile
{
    private LinearModelFile(LinearCoefficients model, string[] features, string[] inputs, int degree, string[] polynomialColumns, string[]? classes)
    {
        Model = model;
        Features = features;
        Inputs = inputs;
        Degree = degree;
        PolynomialColumns = polynomialColumns;
        Classes = classes;
    }

    public LinearCoefficients Model { get; }
    /// <summary>Names of the model's columns (after polynomial expansion), one per coefficient.</summary>
    public string[] Features { get; }
    /// <summary>Raw input columns, in the order <see cref="Predict"/> expects them.</summary>
    public string[] Inputs { get; }
    public int Degree { get; }
    public string[] PolynomialColumns { get; }
    /// <summary>Binary models: the label text of class index 0 and 1.</summary>
    public string[]? Classes { get; }

    /// <summary>Reads and checks a model file; any problem is an <see cref="OccamException"/> naming the file.</summary>
    public static LinearModelFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text = InputFile.ReadAllText(path, "a model file");
        try
        {
            var root = JsonDocument.Parse(text).RootElement;
            string format = root.GetProperty("format").GetString() ?? "";
            if (format != "occam-linear/1")
                throw new OccamException($"{path}: format is '{format}', expected 'occam-linear/1'; pass a model written by 'occam linear fit'.");
            string? taskText = root.GetProperty("task").GetString();
            if (!TaskKinds.TryParse(taskText, out var task) || task == TaskKind.Multiclass)
                throw new OccamException($"{path}: unknown task '{taskText}'; expected regression or binary.");
            var features = Strings(root, "features");
            var coef = root.GetProperty("coef").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            if (coef.Length != features.Length)
                throw new OccamException($"{path}: {coef.Length} coefficients for {features.Length} features; the file is damaged.");
            var inputs = root.TryGetProperty("inputs", out _) ? Strings(root, "inputs") : features;
            int degree = root.TryGetProperty("degree", out var d) ? d.GetInt32() : 1;
            var poly = root.TryGetProperty("polynomialColumns", out _) ? Strings(root, "polynomialColumns") : [];
            string[]? classes = root.TryGetProperty("classes", out _) ? Strings(root, "classes") : null;
            var model = new LinearCoefficients(task, coef, root.GetProperty("intercept").GetDouble(),
                root.GetProperty("alpha").GetDouble(), root.GetProperty("l1Ratio").GetDouble());
            RefuseDuplicates(path, "features", features);
            RefuseDuplicates(path, "inputs", inputs);
            RefuseDuplicates(path, "polynomialColumns", poly);
            if (classes is not null && ClassMatcher.FirstDuplicate(classes) is (int c1, int c2))
                throw new OccamException($"{path}: $.classes[{c2}] '{classes[c2]}' is the same label as $.classes[{c1}] '{classes[c1]}'; every class label must be distinct.");
            var file = new LinearModelFile(model, features, inputs, degree, poly, classes);
            var expected = degree > 1 ? PolynomialFeatures.Names(inputs, degree, file.PolyIndices()) : inputs;
            if (!expected.SequenceEqual(features))
                throw new OccamException($"{path}: features do not match inputs, degree and polynomialColumns; the file is damaged.");
            return file;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new OccamException($"{path}: not a valid occam-linear/1 model ({e.Message}).");
        }
    }

    private static void RefuseDuplicates(string path, string name, string[] names)
    {
        if (ColumnNames.FirstDuplicate(names) is (int first, int second))
            throw new OccamException($"{path}: $.{name}[{second}] '{names[second]}' repeats $.{name}[{first}]; every column needs its own name.");
    }

    private static string[] Strings(JsonElement root, string name) =>
        root.GetProperty(name).EnumerateArray().Select(v => v.GetString() ?? throw new FormatException($"null in '{name}'")).ToArray();

    private int[] PolyIndices() => PolynomialColumns.Select(c =>
    {
        int i = Array.IndexOf(Inputs, c);
        return i >= 0 ? i : throw new FormatException($"polynomial column '{c}' is not an input");
    }).ToArray();

    /// <summary>
    /// Predictions for raw input rows (row-major, columns in <see cref="Inputs"/> order): regression values or, for
    /// binary models, P(class index 1). Polynomial columns are expanded as when fitting.
    /// </summary>
    public double[] Predict(double[] x, int rows)
    {
        var expanded = Degree > 1 ? PolynomialFeatures.Expand(x, rows, Inputs.Length, Degree, PolyIndices()) : x;
        return Model.Predict(expanded, rows);
    }
}
