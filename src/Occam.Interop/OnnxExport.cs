using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Occam.Data;
using Occam.Interop.Onnx;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Serialization;
using static Onnx.TensorProto.Types;

namespace Occam.Interop;

/// <summary>What to put into an exported ONNX graph besides the model's own outputs.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>
    /// Classification: add an output <c>probabilities</c> ([batch, classes]; binary: P(class 0), P(class 1)) computed
    /// in the graph by Softmax (multiclass) or Sigmoid (binary). Regression models have no probabilities; asking is an
    /// <see cref="OccamException"/>.
    /// </summary>
    public bool Probabilities { get; init; }
}

/// <summary>
/// Exports Occam models as ONNX (IR version 8, opset 17), written with the official schema's generated classes.
/// Graph layout (docs/formats.md, "ONNX export"):
/// <list type="bullet">
/// <item><c>occam-mlp/1</c>: input <c>input</c> float32 [batch, inputs] in raw units → Sub(mean) → Div(scale) when the
/// model has a standardizer → one Gemm per dense layer (<c>transB = 1</c>, initializers named like a
/// <c>torch.nn.Sequential</c> state_dict, <c>"{i}.weight"</c> [out, in] and <c>"{i}.bias"</c>) and Relu/Tanh/Sigmoid per
/// activation layer; dropout and identity layers add no node. Outputs: regression <c>prediction</c> float64 [batch, outputs]
/// (Cast, then <c>·scale + mean</c> of the target standardizer when the model has one, in double as Occam does);
/// classification <c>scores</c> (logits), <c>label</c> (int64 class index [batch]) and optionally <c>probabilities</c>.</item>
/// <item><c>occam-linear/1</c>: input <c>input</c> float64 [batch, inputs] → polynomial columns (Slice, Mul, Concat) when
/// the model has them → Gemm with the coefficients in original units → <c>prediction</c> (regression) or
/// <c>scores</c> = X·Wᵀ + b (W: <c>coef</c> [K, features], one row per class; K = 1 for regression and binary),
/// <c>label</c> and optionally <c>probabilities</c> (Sigmoid for binary, Softmax for multiclass), all float64 as Occam
/// computes them.</item>
/// </list>
/// The metadata properties <c>occam.task</c>, <c>occam.format</c>, <c>occam.features</c>, <c>occam.classes</c> and
/// <c>occam.target</c> (JSON) carry what the graph cannot.
/// </summary>
public static class OnnxExport
{
    /// <summary>Name of the graph input.</summary>
    public const string InputName = "input";

    /// <summary>Regression output name.</summary>
    public const string PredictionName = "prediction";

    /// <summary>Classification output: raw scores (one logit for binary, K logits for multiclass).</summary>
    public const string ScoresName = "scores";

    /// <summary>Classification output: the predicted class index (int64, [batch]).</summary>
    public const string LabelName = "label";

    /// <summary>Classification output (only with <see cref="OnnxExportOptions.Probabilities"/>).</summary>
    public const string ProbabilitiesName = "probabilities";

    /// <summary>Exports a model file of either format (read by its <c>"format"</c> field) to <paramref name="outPath"/>, atomically.</summary>
    public static void SaveFile(string modelPath, string outPath, OnnxExportOptions? options = null)
    {
        byte[] bytes = ModelFiles.Read(modelPath) switch
        {
            Mlp mlp => ToBytes(mlp, options),
            LinearModel linear => ToBytes(linear, options),
            var other => throw new InvalidOperationException($"unexpected model type {other.GetType().Name}"),
        };
        AtomicFile.Write(outPath, s => s.Write(bytes));
    }

    /// <summary>Writes the ONNX form of an MLP to <paramref name="path"/> atomically.</summary>
    public static void Save(Mlp model, string path, OnnxExportOptions? options = null)
    {
        byte[] bytes = ToBytes(model, options);
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>Writes the ONNX form of a linear model to <paramref name="path"/> atomically.</summary>
    public static void Save(LinearModel model, string path, OnnxExportOptions? options = null)
    {
        byte[] bytes = ToBytes(model, options);
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>The serialized ONNX model of an MLP (float32 graph).</summary>
    public static byte[] ToBytes(Mlp model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        CheckProbabilities(model.Task, options);
        foreach (var d in model.DenseLayers)
            if (!d.Weight.All(float.IsFinite) || !d.Bias.All(float.IsFinite))
                throw new OccamException("the model has NaN or infinite weights and cannot be exported; retrain with a lower learning rate.");
        var g = new OnnxGraph("occam-mlp", $"Occam MLP ({TaskKinds.Name(model.Task)}): {Architecture(model)}");
        g.Input(InputName, DataType.Float, model.Inputs, "raw input columns in the order of occam.features");
        string x = InputName;
        if (model.Standardizer is { } s)
        {
            x = g.Node("Sub", [x, g.Constant("standardizer.mean", ToFloat(s.Mean), s.Mean.Length)]);
            x = g.Node("Div", [x, g.Constant("standardizer.scale", ToFloat(s.Scale), s.Scale.Length)]);
        }
        var lastDense = model.DenseLayers[^1];
        bool regression = model.Task == TaskKind.Regression;
        string scores = regression ? "raw" : ScoresName;
        var parameters = model.Parameters().ToLookup(p => p.LayerIndex);   // state_dict names "{i}.weight", "{i}.bias"
        for (int i = 0; i < model.Layers.Count; i++)
        {
            switch (model.Layers[i])
            {
                case Dense d:
                    string w = g.Constant(parameters[i].Single(p => p.Kind == ParameterKind.Weight).Name, d.Weight, d.Outputs, d.Inputs);
                    string b = g.Constant(parameters[i].Single(p => p.Kind == ParameterKind.Bias).Name, d.Bias, d.Outputs);
                    x = g.Node("Gemm", [x, w, b], ReferenceEquals(d, lastDense) ? scores : null, OnnxGraph.Int("transB", 1));
                    break;
                case ActivationLayer { Kind: ActivationKind.Identity }:
                case Dropout:
                    break;
                case ActivationLayer a:
                    x = g.Node(a.Kind switch
                    {
                        ActivationKind.Relu => "Relu",
                        ActivationKind.Tanh => "Tanh",
                        ActivationKind.Sigmoid => "Sigmoid",
                        var k => throw new InvalidOperationException($"no ONNX operator for activation {k}"),
                    }, [x]);
                    break;
            }
        }
        if (regression)
        {
            // Occam maps regression outputs back in double precision: raw·scale + mean (the target standardizer).
            string value = g.Node("Cast", [scores], model.TargetStandardizer is null ? PredictionName : null, OnnxGraph.Int("to", (long)DataType.Double));
            if (model.TargetStandardizer is { } t)
            {
                value = g.Node("Mul", [value, g.Constant("target.scale", t.Scale, t.Scale.Length)]);
                g.Node("Add", [value, g.Constant("target.mean", t.Mean, t.Mean.Length)], PredictionName);
            }
        }
        AddOutputs(g, model.Task, regression ? PredictionName : scores, model.Outputs, regression ? DataType.Double : DataType.Float, options);
        return g.Model(Metadata(MlpJson.Format, model.Task, model.FeatureNames, model.Classes, model.TargetName)).ToByteArray();
    }

    /// <summary>The serialized ONNX model of a linear model (float64 graph, as Occam computes it).</summary>
    public static byte[] ToBytes(LinearModel model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        var task = model.Task;
        CheckProbabilities(task, options);
        // One weight row per class (multiclass) or the single coefficient vector (regression, binary): [K, p].
        double[][] rows = model.ClassCoef is { } classCoef
            ? classCoef.Select(r => r.ToArray()).ToArray()
            : [model.Coef.ToArray()];
        double[] intercepts = model.ClassIntercepts is { } classIntercepts ? classIntercepts.ToArray() : [model.Intercept];
        int outputs = rows.Length, p = rows[0].Length;
        var pipeline = model.Pipeline;
        if (!rows.All(r => r.All(double.IsFinite)) || !intercepts.All(double.IsFinite))
            throw new OccamException("the linear model has NaN or infinite coefficients and cannot be exported; refit it.");
        var g = new OnnxGraph("occam-linear", $"Occam linear model ({TaskKinds.Name(task)}), {p} features{(outputs > 1 ? $", {outputs} classes" : "")}");
        g.Input(InputName, DataType.Double, pipeline.Inputs.Count, "raw input columns in the order of occam.features");
        string x = InputName;
        if (pipeline.Degree > 1 && pipeline.Columns.Count > 0)
        {
            var parts = new List<string> { InputName };
            string axes = g.Constant("poly.axes", [1L], 1);
            foreach (string column in pipeline.Columns)
            {
                int c = pipeline.Inputs.ToList().IndexOf(column);
                string start = g.Constant($"poly.{c}.start", [(long)c], 1);
                string end = g.Constant($"poly.{c}.end", [(long)c + 1], 1);
                string v = g.Node("Slice", [InputName, start, end, axes]);
                string power = v;
                for (int k = 2; k <= pipeline.Degree; k++)
                {
                    power = g.Node("Mul", [power, v]);   // x^k = x^(k-1)·x, the order Occam multiplies in
                    parts.Add(power);
                }
            }
            x = g.Node("Concat", [.. parts], null, OnnxGraph.Int("axis", 1));
        }
        // scores = X·Wᵀ + b with W [K, p] (row c: class c's coefficients; K = 1 for regression and binary), b [K].
        string weight = g.Constant("coef", rows.SelectMany(r => r).ToArray(), outputs, p);
        string intercept = g.Constant("intercept", intercepts, outputs);
        string scores = task == TaskKind.Regression ? PredictionName : ScoresName;
        g.Node("Gemm", [x, weight, intercept], scores, OnnxGraph.Int("transB", 1));
        AddOutputs(g, task, scores, outputs, DataType.Double, options);
        return g.Model(Metadata(LinearJson.Format, task, pipeline.Inputs, model.Classes, model.TargetName)).ToByteArray();
    }

    private static void AddOutputs(OnnxGraph g, TaskKind task, string scores, int outputs, DataType type, OnnxExportOptions options)
    {
        if (task == TaskKind.Regression)
        {
            g.Output(PredictionName, type, outputs, "predicted values");
            return;
        }
        g.Output(ScoresName, type, outputs, task == TaskKind.Binary ? "logit of the second class" : "class logits");
        if (task == TaskKind.Binary)
        {
            // Class 1 when the logit is > 0 (P(class 1) > 0.5), as Occam decides.
            string zero = type == DataType.Float ? g.Constant("zero", [0f]) : g.Constant("zero", [0d]);
            string positive = g.Node("Greater", [scores, zero]);
            string flat = g.Node("Reshape", [positive, g.Constant("label.shape", [-1L], 1)]);
            g.Node("Cast", [flat], LabelName, OnnxGraph.Int("to", (long)DataType.Int64));
        }
        else
        {
            g.Node("ArgMax", [scores], LabelName, OnnxGraph.Int("axis", 1), OnnxGraph.Int("keepdims", 0));
        }
        g.Output(LabelName, DataType.Int64, null, "predicted class index (into occam.classes)");
        if (!options.Probabilities) return;
        if (task == TaskKind.Binary)
        {
            string one = type == DataType.Float ? g.Constant("one", [1f]) : g.Constant("one", [1d]);
            string p1 = g.Node("Sigmoid", [scores]);
            string p0 = g.Node("Sub", [one, p1]);
            g.Node("Concat", [p0, p1], ProbabilitiesName, OnnxGraph.Int("axis", 1));
            g.Output(ProbabilitiesName, type, 2, "P(class 0), P(class 1)");
        }
        else
        {
            g.Node("Softmax", [scores], ProbabilitiesName, OnnxGraph.Int("axis", 1));
            g.Output(ProbabilitiesName, type, outputs, "class probabilities (softmax of the scores)");
        }
    }

    private static void CheckProbabilities(TaskKind task, OnnxExportOptions options)
    {
        if (options.Probabilities && task == TaskKind.Regression)
            throw new OccamException("--probabilities is for classification models; this is a regression model (leave the option out).");
    }

    private static Dictionary<string, string> Metadata(string format, TaskKind task, IReadOnlyList<string>? features,
        IReadOnlyList<string>? classes, string? target)
    {
        var meta = new Dictionary<string, string> { ["occam.format"] = format, ["occam.task"] = TaskKinds.Name(task) };
        if (features is not null) meta["occam.features"] = JsonSerializer.Serialize(features, JsonText.SerializerOptions);
        if (classes is not null) meta["occam.classes"] = JsonSerializer.Serialize(classes, JsonText.SerializerOptions);
        if (target is not null) meta["occam.target"] = target;
        return meta;
    }

    private static string Architecture(Mlp model) =>
        string.Join("-", new[] { model.Inputs }.Concat(model.DenseLayers.Select(d => d.Outputs)).Select(n => n.ToString(CultureInfo.InvariantCulture)));

    private static float[] ToFloat(double[] values) => values.Select(v => (float)v).ToArray();
}
