using System.Text.Json;
using Occam.Linear;

namespace Occam.Interop.Tests;

/// <summary>Writes a fitted linear model as an occam-linear/1 file (the fields docs/formats.md lists) and reads it back.</summary>
internal static class LinearFiles
{
    public static LinearModelFile Write(LinearCoefficients model, string[] inputs, string[] features, int degree, string[] polynomialColumns, string[]? classes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"occam-linear-{Guid.NewGuid():N}.json");
        var json = new Dictionary<string, object?>
        {
            ["format"] = "occam-linear/1",
            ["task"] = model.Task == Data.TaskKind.Binary ? "binary" : "regression",
            ["features"] = features,
            ["coef"] = model.Coef,
            ["intercept"] = model.Intercept,
            ["alpha"] = model.Alpha,
            ["l1Ratio"] = model.L1Ratio,
            ["degree"] = degree,
            ["inputs"] = inputs,
            ["polynomialColumns"] = polynomialColumns,
        };
        if (classes is not null) json["classes"] = classes;
        File.WriteAllText(path, JsonSerializer.Serialize(json));
        try
        {
            return LinearModelFile.Read(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
