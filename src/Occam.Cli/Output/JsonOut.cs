using System.Text;
using System.Text.Json;
using Occam.Nn;
using Occam.Training;

namespace Occam.Cli.Output;

/// <summary>Writes the machine-readable (--json) output of the commands.</summary>
internal static class JsonOut
{
    /// <summary>Builds one JSON object with <paramref name="write"/> and prints it to standard output.</summary>
    public static void Print(Action<Utf8JsonWriter> write)
    {
        Console.Out.WriteLine(Build(write));
        Console.Out.Flush();
    }

    /// <summary>Builds one indented JSON object with <paramref name="write"/>.</summary>
    public static string Build(Action<Utf8JsonWriter> write)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, Occam.Serialization.JsonText.WriterOptions(indented: true)))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    public static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v && double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    public static void Sparsity(Utf8JsonWriter w, SparsityReport s)
    {
        w.WriteStartObject("sparsity");
        w.WriteNumber("weights", s.TotalWeights);
        w.WriteNumber("zeroWeights", s.ZeroWeights);
        w.WriteNumber("zeroFraction", s.ZeroFraction);
        w.WriteNumber("hiddenUnits", s.HiddenUnits);
        w.WriteNumber("deadUnits", s.DeadUnits);
        w.WriteNumber("inputs", s.Inputs);
        w.WriteNumber("inputsKept", s.InputsKept);
        w.WriteNumber("parameters", s.Parameters);
        w.WriteNumber("parametersAfterPruning", s.ParametersAfterPruning);
        w.WriteStartArray("cutFeatures");
        foreach (var f in s.CutFeatures) w.WriteStringValue(f);
        w.WriteEndArray();
        w.WriteStartArray("layers");
        foreach (var l in s.Layers)
        {
            w.WriteStartObject();
            w.WriteNumber("index", l.Index);
            w.WriteNumber("inputs", l.Inputs);
            w.WriteNumber("outputs", l.Outputs);
            w.WriteNumber("weights", l.Weights);
            w.WriteNumber("zeroWeights", l.ZeroWeights);
            w.WriteNumber("zeroFraction", l.ZeroFraction);
            w.WriteNumber("zeroIncomingUnits", l.ZeroIncomingUnits);
            w.WriteNumber("deadUnits", l.DeadUnits);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void History(Utf8JsonWriter w, IReadOnlyList<EpochRecord> history)
    {
        w.WriteStartArray("history");
        foreach (var e in history)
        {
            w.WriteStartObject();
            w.WriteNumber("epoch", e.Epoch);
            w.WriteNumber("steps", e.Steps);
            Number(w, "trainLoss", e.TrainLoss);
            Number(w, "trainMetric", e.TrainMetric);
            Number(w, "penalty", e.Penalty);
            Number(w, "valLoss", e.ValidationLoss);
            Number(w, "valMetric", e.ValidationMetric);
            w.WriteNumber("zeroFraction", e.ZeroFraction);
            w.WriteNumber("deadUnits", e.DeadUnits);
            w.WriteNumber("seconds", e.Seconds);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
