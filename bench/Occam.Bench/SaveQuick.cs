using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Occam.Data;
using Occam.Nn;
using Occam.Serialization;
using Occam.Training;

namespace Occam.Bench;

/// <summary>
/// `save`: saving the model of <c>occam train</c>'s MNIST job (784-512-256-10, ~535k weights, ~5 MB of JSON) in
/// process. The model is the one <c>--model PATH</c> names (e.g. the file bench/all.sh's train section writes), or by
/// default the job's network after one epoch (trained digits and the L1 prox's exact zeros, like the real file).
/// Timed, interleaved in <c>--rounds R</c> rounds (default 15), best of each:
/// <list type="bullet">
/// <item><c>occam</c>: <see cref="MlpJson.Save"/> to a file in a temporary folder (atomic: temporary file, flush to
/// disk, rename over the previous file), what <c>occam train</c> does.</item>
/// <item><c>reference</c>: the same document written by System.Text.Json's serializer (<see cref="JsonSerializer"/>,
/// whose <see cref="Utf8JsonWriter"/> formats every float itself, with its own buffering) from the model as plain data
/// (jagged rows, built before timing), through the same atomic write. Its bytes are checked to equal Occam's before
/// timing.</item>
/// <item><c>memory</c>: <see cref="MlpJson.Write"/> into a reused in-memory stream (the formatting alone).</item>
/// </list>
/// Before them, <c>firstMs</c>: the first save in the process (code not yet compiled; pages not yet touched), closest
/// to what a fresh CLI process pays (the CLI's code is precompiled, this one's is not). Also, as information, loading the
/// file back with <see cref="Model.Load"/> (read, parse, validate; weights checked equal): <c>firstLoadMs</c> and the
/// best warm <c>loadMs</c>. One JSON line.
/// </summary>
internal static class SaveQuick
{
    public static int Run(string[] args)
    {
        int rounds = 15;
        string root = ".";
        string? modelPath = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--root": root = args[++i]; break;
                case "--model": modelPath = args[++i]; break;
                default:
                    Console.Error.WriteLine($"save: unknown option {args[i]}");
                    return 2;
            }
        }
        var model = modelPath is null ? OneEpochModel(root) : MlpJson.Load(modelPath);
        string dir = Directory.CreateTempSubdirectory("occam-bench-save").FullName;
        try
        {
            string occamFile = Path.Combine(dir, "occam.json"), referenceFile = Path.Combine(dir, "reference.json");
            long t0 = Stopwatch.GetTimestamp();
            MlpJson.Save(model, occamFile);
            double first = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            var plain = Plain(model);
            WriterSave(plain, referenceFile);
            byte[] bytes = File.ReadAllBytes(occamFile);
            if (!bytes.AsSpan().SequenceEqual(File.ReadAllBytes(referenceFile)))
                throw new InvalidOperationException("Occam's model file differs from the JSON writer's");
            // Loading it back (Model.Load: read, parse, validate), first call and warm.
            long l0 = Stopwatch.GetTimestamp();
            var loaded = Model.Load(occamFile);
            double firstLoad = Stopwatch.GetElapsedTime(l0).TotalSeconds;
            if (loaded is not MlpModel { Network: var back } || !back.DenseLayers.Select(d => d.Weight).SequenceEqual(model.DenseLayers.Select(d => d.Weight), new WeightsEqual()))
                throw new InvalidOperationException("the saved model does not load back to the same weights");
            double load = double.PositiveInfinity;
            var memory = new MemoryStream(bytes.Length + (1 << 20));
            double occam = double.PositiveInfinity, reference = double.PositiveInfinity, inMemory = double.PositiveInfinity;
            for (int r = 0; r < rounds; r++)
            {
                occam = Math.Min(occam, Time(() => MlpJson.Save(model, occamFile)));
                reference = Math.Min(reference, Time(() => WriterSave(plain, referenceFile)));
                load = Math.Min(load, Time(() => Model.Load(occamFile)));
                inMemory = Math.Min(inMemory, Time(() =>
                {
                    memory.SetLength(0);
                    MlpJson.Write(model, memory);
                }));
            }
            // The float formatting alone, one thread, every weight of the model: ShortestFloat vs .NET's own
            // (float.TryFormat into UTF-8, what the writer calls), CPU time of this thread.
            var all = model.DenseLayers.SelectMany(d => d.Weight.Concat(d.Bias)).ToArray();
            var text = new byte[ShortestFloat.MaxBytes];
            double shortest = double.PositiveInfinity, dotnet = double.PositiveInfinity;
            long sink = 0;
            for (int r = 0; r < rounds; r++)
            {
                double c0 = PipelineAb.ThreadSeconds();
                foreach (float v in all) sink += ShortestFloat.Format(v, text);
                double c1 = PipelineAb.ThreadSeconds();
                foreach (float v in all)
                {
                    v.TryFormat(text, out int n, default, CultureInfo.InvariantCulture);
                    sink += n;
                }
                double c2 = PipelineAb.ThreadSeconds();
                shortest = Math.Min(shortest, c1 - c0);
                dotnet = Math.Min(dotnet, c2 - c1);
            }
            GC.KeepAlive(sink);
            string shape = string.Join('-', model.DenseLayers.Select(d => d.Inputs).Append(model.DenseLayers[^1].Outputs));
            int weights = model.DenseLayers.Sum(d => d.Weight.Length + d.Bias.Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"bench\":\"save\",\"case\":\"{shape}\",\"values\":{weights},\"bytes\":{bytes.Length},\"occamMs\":{occam * 1e3:F2},\"referenceMs\":{reference * 1e3:F2}," +
                $"\"memoryMs\":{inMemory * 1e3:F2},\"firstMs\":{first * 1e3:F2},\"loadMs\":{load * 1e3:F2},\"firstLoadMs\":{firstLoad * 1e3:F2},\"speedup\":{reference / occam:F2},\"formatNsPerValue\":{shortest / all.Length * 1e9:F1},\"dotnetNsPerValue\":{dotnet / all.Length * 1e9:F1},\"rounds\":{rounds},\"threads\":{Environment.ProcessorCount}}}"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        return 0;
    }

    private sealed class WeightsEqual : IEqualityComparer<float[]>
    {
        public bool Equals(float[]? a, float[]? b) => a.AsSpan().SequenceEqual(b);
        public int GetHashCode(float[] a) => a.Length;
    }

    private static double Time(Action action)
    {
        long t0 = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    /// <summary>The bench's MNIST job (bench/all.sh's train section) after one epoch.</summary>
    private static Mlp OneEpochModel(string root)
    {
        var data = IdxLoader.Load(Path.Combine(root, "data/mnist-10k-images-idx3-ubyte.gz"), Path.Combine(root, "data/mnist-10k-labels-idx1-ubyte.gz"));
        var settings = TrainQuick.Settings(1);
        var job = MlpFitter.Prepare(data, settings);
        var trainer = new Trainer(job.Model, settings.Training, job.Regularization, job.Train.Rows);
        trainer.Begin(job.Train, null, job.TrainRng).Next();
        return job.Model;
    }

    /// <summary>
    /// The reference's input: the model as plain data (jagged float rows, dictionaries in the file's key order) for
    /// System.Text.Json's serializer, built once before timing.
    /// </summary>
    private static Dictionary<string, object> Plain(Mlp model)
    {
        static Dictionary<string, object> Scaler(Standardizer s) => new() { ["mean"] = s.Mean, ["scale"] = s.Scale };
        var layers = model.Layers.Select(layer => layer switch
        {
            Dense d => new Dictionary<string, object>
            {
                ["type"] = "dense",
                ["weight"] = Enumerable.Range(0, d.Outputs).Select(r => d.Weight.AsSpan(r * d.Inputs, d.Inputs).ToArray()).ToArray(),
                ["bias"] = d.Bias,
            },
            ActivationLayer a => new Dictionary<string, object> { ["type"] = Numerics.Activations.Activation.Name(a.Kind) },
            Dropout dr => new Dictionary<string, object> { ["type"] = "dropout", ["p"] = dr.P },
            _ => throw new InvalidOperationException($"no reference layout for {layer.GetType().Name}"),
        }).ToArray();
        var plain = new Dictionary<string, object> { ["format"] = MlpJson.Format, ["task"] = TaskKinds.Name(model.Task), ["inputs"] = model.Inputs, ["layers"] = layers };
        if (model.Standardizer is { } s) plain["standardizer"] = Scaler(s);
        if (model.TargetStandardizer is { } ts) plain["targetStandardizer"] = Scaler(ts);
        if (model.Classes is { } classes) plain["classes"] = classes;
        if (model.FeatureNames is { } names) plain["features"] = names;
        if (model.TargetName is { } target) plain["target"] = target;
        return plain;
    }

    /// <summary>
    /// The reference: the same file written by System.Text.Json's serializer (its writer formats every float) from
    /// <see cref="Plain"/> data, saved the same atomic way.
    /// </summary>
    private static void WriterSave(Dictionary<string, object> plain, string path) => AtomicFile.Write(path, stream =>
    {
        JsonSerializer.Serialize(stream, plain, JsonText.SerializerOptions);
        stream.WriteByte((byte)'\n');
    });
}
