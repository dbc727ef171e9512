using System.Diagnostics;
using System.Globalization;
using Occam.Data;
using Occam.Numerics;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Serialization;
using Occam.Training;

namespace Occam.Bench;

/// <summary>
/// `train`: where the time of <c>occam train</c> on the shipped MNIST-10k goes, in process. The job is the one
/// bench/all.sh times through the CLI (784-512-256-10, batch 256, Adam lr 1e-3, L1 1e-4 prox, dropout 0.2, seed 1,
/// standardized inputs; <c>--epochs E</c>, default 10), run <c>--repeats R</c> times (default 3) in one process:
/// the first run pays the JIT like a fresh CLI process (but without ReadyToRun code), the later ones show the warm
/// cost of each phase. Phases: <c>read</c> (IdxLoader: gunzip; the pixels stay bytes), <c>prepare</c> (MlpFitter.Prepare: split,
/// standardizer, network, float32 rows, labels), <c>loop</c> (the epochs; of it <c>steps</c> is the time inside
/// Trainer.Step, the rest is shuffling, gathering, per-epoch metrics), <c>save</c> (MlpJson.Save, atomic, to a
/// temporary folder). Then the best-of-windows time of one step on the same shapes and threads (the `steps`
/// mode's figure), so that <c>loop ÷ (steps·t_step)</c> is read in one process. One JSON line per run, and one for
/// the step. <c>--ab [--rounds N]</c>: the pipeline pieces against their previous code instead (<see cref="PipelineAb"/>).
/// <c>--threads T</c>: the GEMM's thread bound (<see cref="Gemm.MaxThreads"/>; default: one per core). <c>--cpu</c> (with
/// <c>--ab --threads 1</c>): pieces timed by the thread's CPU time, so that a shared machine's other load counts less.
/// </summary>
internal static class TrainQuick
{
    public static int Run(string[] args)
    {
        int epochs = 10, repeats = 3, rounds = 15;
        double seconds = 1;
        string root = ".";
        bool ab = false, probe = false;
        HashSet<string>? pieces = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--epochs": epochs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeats": repeats = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--root": root = args[++i]; break;
                case "--ab": ab = true; break;
                case "--probe": probe = true; break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--pieces": pieces = args[++i].Split(',').ToHashSet(); break;
                case "--threads": Gemm.MaxThreads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--cpu": PipelineAb.ThreadCpuTime = true; break;
                default:
                    Console.Error.WriteLine($"train: unknown option {args[i]}");
                    return 2;
            }
        }
        string images = Path.Combine(root, "data/mnist-10k-images-idx3-ubyte.gz");
        string labels = Path.Combine(root, "data/mnist-10k-labels-idx1-ubyte.gz");
        if (ab) return PipelineAb.Run(images, labels, rounds, pieces);
        if (probe) return TrainLoopProbe.Run(images, labels, rounds, pieces);
        string dir = Directory.CreateTempSubdirectory("occam-bench-train").FullName;
        try
        {
            for (int r = 1; r <= repeats; r++)
                Console.WriteLine(Once(images, labels, epochs, Path.Combine(dir, "model.json"), r));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        // The reference: one step on the same net and batch, best of short windows (bench/all.sh's t_step).
        var net = StepsQuick.Nets.Single(n => n.Name == "784-512-256-10");
        var (us, median, mean) = TimeStep(net, seconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"train-parts\",\"case\":\"step\",\"threads\":{Gemm.MaxThreads},\"usPerStep\":{us:F1},\"medianUs\":{median:F1},\"meanUs\":{mean:F1}}}"));
        return 0;
    }

    /// <summary>
    /// Best µs of one step over short windows after a warm-up, as the `steps` mode times it; and the median and mean of
    /// the same windows (what a loop of steps pays on average: the best is the least disturbed step).
    /// </summary>
    private static (double Best, double Median, double Mean) TimeStep(StepsQuick.Net net, double seconds)
    {
        var (trainer, x, y, rng) = StepsQuick.Setup(net);
        var sw = Stopwatch.StartNew();
        int warm = 0;
        while (sw.Elapsed.TotalSeconds < Math.Min(1.0, seconds / 2) || warm < 50)
        {
            trainer.Step(x, y, net.Batch, rng, out _);
            warm++;
        }
        var windows = new List<double>(4096);
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            long t0 = Stopwatch.GetTimestamp();
            trainer.Step(x, y, net.Batch, rng, out _);
            windows.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
        }
        windows.Sort();
        return (windows[0], windows[windows.Count / 2], windows.Average());
    }

    /// <summary>The settings bench/all.sh gives <c>occam train</c>.</summary>
    internal static FitSettings Settings(int epochs) => new()
    {
        Hidden = [512, 256],
        Dropout = 0.2,
        Regularization = Penalty.L1(1e-4).ForNetwork(3).Layers,
        Seed = 1,
        Training = new TrainingOptions
        {
            Optimizer = new OptimizerOptions { Kind = OptimizerKind.Adam, LearningRate = 1e-3 },
            BatchSize = 256,
            Epochs = epochs,
        },
    };

    private static string Once(string images, string labels, int epochs, string modelPath, int run)
    {
        long t0 = Stopwatch.GetTimestamp();
        var data = IdxLoader.Load(images, labels);
        long t1 = Stopwatch.GetTimestamp();
        var settings = Settings(epochs);
        var job = MlpFitter.Prepare(data, settings);
        long t2 = Stopwatch.GetTimestamp();
        var trainer = new Trainer(job.Model, settings.Training, job.Regularization, job.Train.Rows);
        var loop = trainer.Begin(job.Train, job.Validation, job.TrainRng);
        var epochSeconds = new double[epochs];
        double last = 0, trainLoss = 0;
        for (int e = 0; e < epochs; e++)
        {
            var record = loop.Next()!;
            trainLoss = record.TrainLoss;
            epochSeconds[e] = record.Seconds - last;
            last = record.Seconds;
        }
        long t3 = Stopwatch.GetTimestamp();
        MlpJson.Save(job.Model, modelPath);
        long t4 = Stopwatch.GetTimestamp();
        double S(long a, long b) => Stopwatch.GetElapsedTime(a, b).TotalSeconds;
        // Sub-phases, timed apart (not part of totalS): gunzip of both files, and the model's JSON into memory.
        long g0 = Stopwatch.GetTimestamp();
        IdxLoader.ReadMaybeGzip(images);
        IdxLoader.ReadMaybeGzip(labels);
        long g1 = Stopwatch.GetTimestamp();
        using (var ms = new MemoryStream(8 << 20)) MlpJson.Write(job.Model, ms);
        long g2 = Stopwatch.GetTimestamp();
        long steps = trainer.Optimizer.StepCount;
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"train-parts\",\"run\":{run},\"epochs\":{epochs},\"steps\":{steps},\"readS\":{S(t0, t1):F4},\"prepareS\":{S(t1, t2):F4}," +
            $"\"loopS\":{S(t2, t3):F4},\"stepsS\":{loop.StepSeconds:F4},\"saveS\":{S(t3, t4):F4},\"gunzipS\":{S(g0, g1):F4},\"jsonToMemoryS\":{S(g1, g2):F4},\"totalS\":{S(t0, t4):F4}," +
            $"\"modelBytes\":{new FileInfo(modelPath).Length},\"trainLoss\":{trainLoss:R}," +
            $"\"epochS\":[{string.Join(",", epochSeconds.Select(s => s.ToString("F4", CultureInfo.InvariantCulture)))}]}}");
    }
}
