using System.Text.Json;
using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Training;

namespace Occam.Playground;

/// <summary>
/// One frame of a session as the page draws it (the JSON format is in docs/playground.md): the network's weights and
/// which units are alive, the sparsity counters, the boundary (or surface) on a grid over the domain, every hidden
/// unit's output on a coarser grid, and the losses. Grids are row-major from the top row (largest y) and sent as
/// base64 bytes: 0–255 over the range given next to them.
/// </summary>
internal static class Snapshot
{
    /// <summary>The grid's cell centres as (x, y) pairs, row 0 at the top.</summary>
    public static double[] GridPoints(Domain d, int size)
    {
        var xy = new double[2 * size * size];
        for (int r = 0; r < size; r++)
            for (int c = 0; c < size; c++)
            {
                int i = r * size + c;
                xy[2 * i] = d.XMin + (c + 0.5) / size * (d.XMax - d.XMin);
                xy[2 * i + 1] = d.YMax - (r + 0.5) / size * (d.YMax - d.YMin);
            }
        return xy;
    }

    /// <summary>
    /// What the model predicts on the grid: P(class 1) for binary, the class index and its probability for multiclass,
    /// the value for regression (one array; two for multiclass).
    /// </summary>
    public static (double[] Main, double[]? Confidence) Predict(Mlp model, double[] gridXy, int cells)
    {
        var x = FeatureMap.Rows(gridXy, cells, model.FeatureNames!);
        if (model.Task == TaskKind.Regression) return (model.PredictValues(x, cells), null);
        var scores = model.PredictScores(x, cells);
        if (model.Task == TaskKind.Binary) return (scores.Select(s => (double)Sigmoid.Scalar(s)).ToArray(), null);
        int k = model.Outputs;
        var cls = new double[cells];
        var conf = new double[cells];
        for (int i = 0; i < cells; i++)
        {
            var row = scores.AsSpan(i * k, k);
            float max = float.NegativeInfinity;
            int arg = 0;
            for (int j = 0; j < k; j++) if (row[j] > max) { max = row[j]; arg = j; }
            double sum = 0;
            for (int j = 0; j < k; j++) sum += Math.Exp(row[j] - max);
            cls[i] = arg;
            conf[i] = 1 / sum;
        }
        return (cls, conf);
    }

    /// <summary>Writes the frame of <paramref name="model"/> (the fields listed in docs/playground.md).</summary>
    public static void WriteModel(Utf8JsonWriter w, Mlp model, PlaygroundData data, PlaygroundLimits limits, (double Min, double Max) valueRange)
    {
        var sparsity = SparsityReport.Of(model);
        var live = UnitLiveness.Of(model);
        w.WriteStartObject("counters");
        w.WriteNumber("weights", sparsity.TotalWeights);
        w.WriteNumber("zeros", sparsity.ZeroWeights);
        w.WriteNumber("hiddenUnits", sparsity.HiddenUnits);
        w.WriteNumber("deadUnits", sparsity.DeadUnits);
        w.WriteNumber("inputs", sparsity.Inputs);
        w.WriteNumber("inputsKept", sparsity.InputsKept);
        w.WriteNumber("parameters", sparsity.Parameters);
        w.WriteNumber("parametersAfterPruning", sparsity.ParametersAfterPruning);
        w.WriteEndObject();

        w.WriteStartObject("network");
        w.WriteStartArray("inputs");
        foreach (var n in model.FeatureNames!) w.WriteStringValue(n);
        w.WriteEndArray();
        w.WriteStartArray("layers");
        for (int k = 0; k < model.DenseLayers.Count; k++)
        {
            var d = model.DenseLayers[k];
            w.WriteStartObject();
            w.WriteNumber("inputs", d.Inputs);
            w.WriteNumber("units", d.Outputs);
            w.WriteStartArray("weights");
            foreach (float v in d.Weight) w.WriteNumberValue(v);
            w.WriteEndArray();
            w.WriteStartArray("bias");
            foreach (float v in d.Bias) w.WriteNumberValue(v);
            w.WriteEndArray();
            w.WriteStartArray("alive");
            for (int j = 0; j < d.Outputs; j++) w.WriteBooleanValue(k == model.DenseLayers.Count - 1 || live.Alive(k + 1, j));
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("inputsAlive");
        for (int i = 0; i < model.Inputs; i++) w.WriteBooleanValue(live.Useful[0][i]);
        w.WriteEndArray();
        w.WriteEndObject();

        int g = limits.GridSize, cells = g * g;
        var (main, confidence) = Predict(model, GridPoints(data.Domain, g), cells);
        w.WriteStartObject("grid");
        w.WriteNumber("size", g);
        w.WriteString("kind", model.Task switch { TaskKind.Binary => "probability", TaskKind.Multiclass => "class", _ => "value" });
        var range = model.Task switch { TaskKind.Binary => (0.0, 1.0), TaskKind.Multiclass => (0.0, 255.0), _ => valueRange };
        w.WriteNumber("min", range.Item1);
        w.WriteNumber("max", range.Item2);
        w.WriteBase64String("values", Quantize(main, range.Item1, range.Item2));
        if (confidence is not null) w.WriteBase64String("confidence", Quantize(confidence, 0, 1));
        w.WriteEndObject();

        int u = limits.UnitGridSize;
        var unitXy = GridPoints(data.Domain, u);
        var outputs = model.UnitOutputs(FeatureMap.Rows(unitXy, u * u, model.FeatureNames!), u * u);
        w.WriteNumber("unitGridSize", u);
        w.WriteStartArray("units");
        for (int k = 0; k < outputs.Count - 1; k++)
        {
            int units = model.DenseLayers[k].Outputs;
            w.WriteStartArray();
            for (int j = 0; j < units; j++)
            {
                var values = new double[u * u];
                for (int c = 0; c < values.Length; c++) values[c] = outputs[k][c * units + j];
                double lo = values.Min(), hi = values.Max();
                w.WriteStartObject();
                w.WriteNumber("min", lo);
                w.WriteNumber("max", hi);
                w.WriteBase64String("values", Quantize(values, lo, hi));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    /// <summary>Largest difference of two models' grids (probabilities, or values for regression; class disagreement counts 1).</summary>
    public static double GridDifference(Mlp a, Mlp b, PlaygroundData data, PlaygroundLimits limits)
    {
        int g = limits.GridSize;
        var xy = GridPoints(data.Domain, g);
        var (ma, ca) = Predict(a, xy, g * g);
        var (mb, cb) = Predict(b, xy, g * g);
        double worst = 0;
        for (int i = 0; i < ma.Length; i++)
        {
            double d = ca is null ? Math.Abs(ma[i] - mb[i]) : ma[i] != mb[i] ? 1 : Math.Abs(ca[i] - cb![i]);
            worst = Math.Max(worst, d);
        }
        return worst;
    }

    /// <summary>Maps values onto bytes: min → 0, max → 255 (clamped; a flat range gives 128).</summary>
    public static byte[] Quantize(ReadOnlySpan<double> values, double min, double max)
    {
        var bytes = new byte[values.Length];
        double span = max - min;
        for (int i = 0; i < values.Length; i++)
        {
            double t = span > 0 ? (values[i] - min) / span : 0.5;
            bytes[i] = (byte)Math.Round(255 * Math.Clamp(double.IsFinite(t) ? t : 0.5, 0, 1));
        }
        return bytes;
    }

    /// <summary>Writes the data points: x, y, the target (class index or value) and whether each is a training point.</summary>
    public static void WritePoints(Utf8JsonWriter w, SteppedFit fit, Dataset points)
    {
        w.WriteStartArray("points");
        Write(fit.TrainRows, true);
        Write(fit.ValidationRows, false);
        w.WriteEndArray();

        void Write(IReadOnlyList<int> rows, bool train)
        {
            foreach (int r in rows)
            {
                w.WriteStartArray();
                w.WriteNumberValue(points.X[2 * r]);
                w.WriteNumberValue(points.X[2 * r + 1]);
                w.WriteNumberValue(points.Y[r]);
                w.WriteNumberValue(train ? 1 : 0);
                w.WriteEndArray();
            }
        }
    }
}
