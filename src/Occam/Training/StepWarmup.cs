using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Random;

namespace Occam.Training;

/// <summary>
/// Compiles the code of a training job's epoch before the job needs it: one epoch of one full batch, on a throwaway
/// network of the job's shape (same layers, batch size, optimizer and penalties; zero inputs, class 0 or target 0), run
/// on a background thread while the job prepares its data and builds its network.
/// </summary>
/// <remarks>
/// <para>Why: the step's kernels test <c>Vector512</c> or carry <c>AggressiveOptimization</c>, so ReadyToRun code does
/// not cover them and the runtime compiles them, fully optimized, at their first call — in the job's first step, on the
/// thread that would otherwise compute it (≈ 0.1 s of compilation for a 784-512-256-10 job with Adam, L1 and dropout).
/// Run first on another thread, most of that compilation happens while the job is still preparing (one core is then
/// mostly idle) and the rest on two threads at once: a thread that calls a method being compiled waits for that
/// compilation instead of doing it again.</para>
/// <para>Nothing is shared with the job: the throwaway network, trainer, data and random streams are the warm-up's
/// own; the GEMM helper threads serve one product at a time and a product that finds them busy runs on its caller, with
/// the same bits (products are bit-identical whatever the thread count). So the job's results do not depend on the
/// warm-up (test: <c>StepWarmupTests</c>). It runs once per shape of job in a process (layers, batch, optimizer,
/// penalties, dropout, validation), for jobs of at least
/// <see cref="MinimumWork"/> multiply-adds, and an error in it is dropped (the job meets the same error itself and
/// reports it).</para>
/// </remarks>
internal sealed class StepWarmup : IDisposable
{
    /// <summary>Jobs with fewer multiply-adds (rows × epochs × Σ layer weights) get no warm-up: they compile little.</summary>
    internal static long MinimumWork { get; set; } = 1L << 31;

    /// <summary>The shapes warmed up so far in this process (<see cref="Shape"/>).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> s_shapes = new();

    private readonly Thread _thread;

    private StepWarmup(Thread thread) => _thread = thread;

    /// <summary>Whether the warm-up ran its epoch to the end (after <see cref="Dispose"/>).</summary>
    internal bool Completed { get; private set; }

    /// <summary>
    /// Starts the warm-up for training on <paramref name="data"/> with <paramref name="settings"/>, or returns null:
    /// the job is small, a job of the same shape was warmed up before in this process, or there is a single core.
    /// </summary>
    internal static StepWarmup? Start(Dataset data, FitSettings settings)
    {
        if (Environment.ProcessorCount < 2 || Work(data, settings) < MinimumWork) return null;
        if (!s_shapes.TryAdd(Shape(data, settings), true)) return null;
        StepWarmup? warmup = null;
        var thread = new Thread(() => warmup!.Run(data, settings)) { IsBackground = true, Name = "occam step warm-up" };
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

    /// <summary>What decides which code an epoch runs: the layers, batch, task, optimizer, penalties, dropout and validation.</summary>
    private static string Shape(Dataset data, FitSettings settings) => string.Join('|',
        settings.Init is { } init ? string.Join(',', init.DenseLayers.Select(d => $"{d.Inputs}x{d.Outputs}")) + init.Layers.OfType<Dropout>().Any()
            : $"{data.Features}:{string.Join(',', settings.Hidden)}:{MlpFitter.OutputsFor(data)}:{settings.Activation}:{settings.Dropout > 0}",
        data.Task, Math.Min(settings.Training.BatchSize, data.Rows), settings.Training.Optimizer.Kind, settings.ValidationSplit > 0,
        string.Join(',', settings.Regularization));

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

    private void Run(Dataset data, FitSettings settings)
    {
        try
        {
            settings.Validate();
            Mlp model = settings.Init?.Clone() ?? Mlp.Create(MlpFitter.SpecFor(data, settings), new Rng(0));
            int batch = settings.Training.BatchSize;
            int rows = Math.Max(1, batch == 0 ? data.Rows : Math.Min(batch, data.Rows));
            var regularization = MlpFitter.Expand(settings.Regularization, model.DenseLayers.Count);
            var trainer = new Trainer(model, settings.Training, regularization, rows);
            var x = new TrainingData(new float[rows * model.Inputs], new float[rows * Trainer.TargetWidth(model)], rows, model.Inputs, Trainer.TargetWidth(model));
            var validation = settings.ValidationSplit > 0 ? x : null;
            Completed = trainer.Begin(x, validation, new Rng(0)).Next() is not null;
        }
        catch (Exception)
        {
            // Dropped (an exception escaping a background thread would end the process): the job itself validates the
            // same settings, runs the same code and reports any error.
        }
    }
}
