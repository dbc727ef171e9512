using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Occam.Interop.Tests;

/// <summary>Runs an exported model in ONNX Runtime (CPU) and returns every output, widened to double.</summary>
internal static class Ort
{
    public static Dictionary<string, double[]> Run(byte[] model, double[] x, int rows, int columns, bool doubleInput)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var input = doubleInput
            ? OrtValue.CreateTensorValueFromMemory(x, [rows, columns])
            : OrtValue.CreateTensorValueFromMemory(x.Select(v => (float)v).ToArray(), [rows, columns]);
        var names = session.OutputNames.ToArray();
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [OnnxExport.InputName], [input], names);
        var outputs = new Dictionary<string, double[]>();
        for (int i = 0; i < names.Length; i++)
        {
            var info = results[i].GetTensorTypeAndShape();
            outputs[names[i]] = info.ElementDataType switch
            {
                TensorElementType.Float => results[i].GetTensorDataAsSpan<float>().ToArray().Select(v => (double)v).ToArray(),
                TensorElementType.Double => results[i].GetTensorDataAsSpan<double>().ToArray(),
                TensorElementType.Int64 => results[i].GetTensorDataAsSpan<long>().ToArray().Select(v => (double)v).ToArray(),
                var t => throw new InvalidOperationException($"unexpected output type {t}"),
            };
        }
        return outputs;
    }

    /// <summary>max |a − b| / max(1, |b|) and max |a − b|.</summary>
    public static (double Relative, double Absolute) MaxDifference(double[] a, double[] b)
    {
        Assert.Equal(b.Length, a.Length);
        double rel = 0, abs = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = Math.Abs(a[i] - b[i]);
            abs = Math.Max(abs, d);
            rel = Math.Max(rel, d / Math.Max(1, Math.Abs(b[i])));
        }
        return (rel, abs);
    }
}
