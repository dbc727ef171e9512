using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Random;

namespace Occam.Training;

/// <summary>
/// Compiles the code of a training job before the job runs it, on a background thread, so that the runtime's
/// just-in-time compilation leaves the job's critical path. Optional: it changes no result.
/// </summary>
/// <remarks>
/// <para>Why: the data-preparation and step kernels test <c>Vector512</c> or carry <c>AggressiveOptimization</c>, so
/// ReadyToRun code does not cover them and the runtime compiles them, fully optimized, at their first call — in the
/// job's data preparation and first step, on the thread that would otherwise compute them (≈ 0.1 s for a
/// 784-512-256-10 job with Adam, L1 and dropout). Run first on another thread, most of that compilation happens while
/// the job reads or prepares its data (one core is then mostly idle), and the rest on two threads at once: a thread that
/// calls a method being compiled waits for that compilation instead of doing it again.</para>
/// <para><see cref="StartPreparation"/> (a caller about to load data for training calls it) prepares a tiny byte and
/// a tiny float64 dataset (standardizer fit, float32 rows) and writes a tiny model's JSON. <see cref="MlpFitter.Fit"/> starts a step warm-up itself
/// (<see cref="StepWarmup"/>).</para>
/// </remarks>
public static class TrainingWarmup
{
    private static int s_preparation;

    /// <summary>
    /// Starts compiling the data-preparation code of training (standardizer fit, float32 rows, for byte and float64 data)
    /// and the model's JSON writing on a background thread, once per process; returns at once. Call it before loading the
    /// data of a training job.
    /// </summary>
    public static void StartPreparation()
    {
        if (Environment.ProcessorCount < 2 || Interlocked.Exchange(ref s_preparation, 1) != 0) return;
        new Thread(() => Swallow(() => RunPreparation())) { IsBackground = true, Name = "occam preparation warm-up" }.Start();
    }

    /// <summary>
    /// What <see cref="StartPreparation"/> runs: both data kinds through the standardizer fit and the float32 rows, and a
    /// model written as JSON (the writer's first use initializes its text encoder); returns the rows it prepared.
    /// </summary>
    internal static int RunPreparation()
    {
        const int rows = 2, features = 64;
        var names = new string[features];
        for (int j = 0; j < features; j++) names[j] = "x";
        var bytes = new byte[rows * features];
        bytes[1] = 1;
        int prepared = 0;
        foreach (var data in new[]
        {
            new Dataset(bytes, 0, new double[rows], rows, features, names, "y", TaskKind.Regression),
            new Dataset(new double[rows * features], new double[rows], rows, features, names, "y", TaskKind.Regression),
        })
        {
            var model = Mlp.Create(new MlpSpec(features, [], 1, TaskKind.Regression), new Rng(0), Standardizer.Fit(data));
            prepared += TrainingData.From(model, data).Rows;
            Serialization.MlpJson.Write(model, Stream.Null);   // the JSON writer and its text encoder (the save at the end)
        }
        return prepared;
    }

    /// <summary>
    /// Runs <paramref name="work"/> and drops any exception: one escaping a background thread would end the process,
    /// and the job itself runs the same code and reports any error.
    /// </summary>
    internal static void Swallow(Action work)
    {
        try
        {
            work();
        }
        catch (Exception)
        {
        }
    }
}

/// <summary>
/// The step part of <see cref="TrainingWarmup"/>: one epoch of one full batch, on a throwaway network of the job's shape
/// (same layers, batch size, optimizer and penalties; zero inputs, class 0 or target 0), on a background thread while
/// the job prepares its data and builds its network.
/// </summary>
/// <remarks>
/// Nothing is shared with the job: the throwaway network, trainer, data and random streams are the warm-up's own; the
/// GEMM helper threads serve one product at a time and a product that finds them busy runs on its caller, with the same
/// bits (products are bit-identical whatever the thread count). So the job's results do not depend on the warm-up
/// (test: <c>StepWarmupTests</c>). It runs once per shape of job in a process (layers, batch, optimizer, penalties,
/// dropout, validation), for jobs of at least <see cref="MinimumWork"/> multiply-adds; an error in it is dropped.
/// </remarks>
internal sealed class StepWarmup : IDisposable
{
    /// <summary>Jobs with fewer multiply-adds (rows × epochs × Σ layer weights) get no warm-up: they compile little.</summary>
    internal static long MinimumWork { get; set; } = 1L << 31;

    /// <summary>The shapes warmed up so far in this process (<see cref="FirstOfItsShape"/>).</summary>
    private static readonly HashSet<string> s_shapes = [];

    private readonly Thread _thread;

    private StepWarmup(Thread thread) => _thread = thread;

    /// <summary>Whether the warm-up ran its epoch to the end (after <see cref="Dispose"/>).</summary>
    internal bool Completed { get; private set; }

    /// <summary>
    /// Starts the warm-up for training on <paramref name="data"/> with <paramref name="settings"/>, or returns null: the
    /// job is small or there is a single core. (A job of a shape warmed up before in this process makes the thread end
    /// at once.)
    /// </summary>
    internal static StepWarmup? Start(Dataset data, FitSettings settings)
    {
        if (Environment.ProcessorCount < 2 || Work(data, settings) < MinimumWork) return null;
        StepWarmup? warmup = null;
        var thread = new Thread(() =>
        {
            if (FirstOfItsShape(data, settings)) warmup!.Run(data, settings);
        }) { IsBackground = true, Name = "occam step warm-up" };
        warmup = new StepWarmup(thread);
        thread.Start();
        return warmup;
    }

    /// <summary>Runs a warm-up on the calling thread (tests); true if its epoch ran to the end.</summary>
    internal static bool RunHere(Dataset data, FitSettings settings)
    {
        var warmup = new StepWarmup(Thread.CurrentThread);
        warmup.Run(data, settings);
        return warmup.Completed;
    }

    /// <summary>Waits for the warm-up to end.</summary>
    public void Dispose()
    {
        if (_thread != Thread.CurrentThread) _thread.Join();
    }

    /// <summary>
    /// Whether no job of this shape was warmed up before in this process; the shape is what decides which code an epoch
    /// runs: the layers, batch, task, optimizer, penalties, dropout and validation.
    /// </summary>
    private static bool FirstOfItsShape(Dataset data, FitSettings settings)
    {
        string layers = settings.Init is { } init
            ? string.Join(',', init.DenseLayers.Select(d => $"{d.Inputs}x{d.Outputs}")) + init.Layers.OfType<Dropout>().Any()
            : $"{data.Features}:{string.Join(',', settings.Hidden)}:{MlpFitter.OutputsFor(data)}:{settings.Activation}:{settings.Dropout > 0}";
        string shape = string.Join('|', layers, data.Task, Math.Min(settings.Training.BatchSize, data.Rows), settings.Training.Optimizer.Kind,
            settings.ValidationSplit > 0, string.Join(',', settings.Regularization));
        lock (s_shapes) return s_shapes.Add(shape);
    }

    /// <summary>Multiply-adds of the job's forward products: rows × epochs × Σ (inputs × outputs) of its dense layers.</summary>
    private static long Work(Dataset data, FitSettings settings)
    {
        long weights = 0;
        if (settings.Init is { } init)
        {
            foreach (var d in init.DenseLayers) weights += (long)d.Inputs * d.Outputs;
        }
        else
        {
            int width = data.Features;
            foreach (int h in settings.Hidden)
            {
                weights += (long)width * h;
                width = h;
            }
            weights += (long)width * MlpFitter.OutputsFor(data);
        }
        return weights * data.Rows * Math.Max(1, settings.Training.Epochs);
    }

    private void Run(Dataset data, FitSettings settings) => TrainingWarmup.Swallow(() =>
    {
        settings.Validate();
        Mlp model = settings.Init?.Clone() ?? Mlp.Create(MlpFitter.SpecFor(data, settings), new Rng(0));
        int batch = settings.Training.BatchSize;
        int rows = Math.Max(1, batch == 0 ? data.Rows : Math.Min(batch, data.Rows));
        var regularization = MlpFitter.Expand(settings.Regularization, model.DenseLayers.Count);
        var trainer = new Trainer(model, settings.Training, regularization, rows);
        int width = Trainer.TargetWidth(model);
        var x = new TrainingData(new float[rows * model.Inputs], new float[rows * width], rows, model.Inputs, width);
        var validation = settings.ValidationSplit > 0 ? x : null;
        Completed = trainer.Begin(x, validation, new Rng(0)).Next() is not null;
    });
}
