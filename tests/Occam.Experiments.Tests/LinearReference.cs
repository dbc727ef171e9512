using System.Text.Json;
using Occam.Tests;

namespace Occam.Experiments.Tests;

/// <summary>
/// tests/golden/experiments/linear_reference.json: numpy / scipy / scikit-learn on the same generated data sets
/// (written by linear_reference.py, which re-implements Occam's generator).
/// </summary>
internal static class LinearReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Repo.Golden(Path.Combine("experiments", "linear_reference.json")))));

    public static JsonElement Section(string name) => Document.Value.RootElement.GetProperty(name);

    public static double[] Doubles(this JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static int[] Ints(this JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static double[][] Rows(this JsonElement e) => e.EnumerateArray().Select(Doubles).ToArray();
}
