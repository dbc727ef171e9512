using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Random;

namespace Occam.Training;

/// <summary>
/// Compiles the code of a training job before the job runs it, on a background thread, so that the runtime's
/// just-in-time compilation leaves the job's critical path. Optional: it changes no result.
/// </summary>
/// <remarks>
/// <para>Why: the data-preparation kernels test <c>Vector512</c> or carry <c>AggressiveOptimization</c>, so ReadyToRun
/// code does not cover them and the runtime compiles them, fully optimized, at their first call. Run first on another
/// thread while the job reads its data (the gunzip keeps one core busy, the other is idle), that compilation leaves the
/// job's critical path; a thread that calls a method being compiled waits for that compilation instead of doing it again.</para>
/// <para><see cref="StartPreparation"/> (a caller about to load data for training calls it) prepares a tiny dataset of
/// the job's kind (bytes with classes for IDX images, else float64: standardizer fit, float32 rows, targets) and, once
/// <see cref="MlpFitter.Fit"/> says the job's data is prepared (<see cref="DataPrepared"/>), writes a tiny model's JSON
/// (the save at the end of the job) while the network is built.</para>
/// <para>There is no such warm-up for the step (session 6, docs/algorithms/training-loop.md, "JIT"): a throwaway epoch
/// on a background thread during the data preparation competed with the preparation's two threads for the two cores and
/// bought no measurable wall time.</para>
/// </remarks>
public static class TrainingWarmup
{
    private static int s_preparation;
    private static readonly ManualResetEventSlim s_dataPrepared = new(false);

    /// <summary>How long the warm-up waits for <see cref="DataPrepared"/> before it compiles the JSON writing anyway.</summary>
    private static readonly TimeSpan SaveWarmupDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Starts compiling the data-preparation code of training (standardizer fit, float32 rows, targets) on a background
    /// thread, once per process, and then, once the job's data is prepared (<see cref="DataPrepared"/>), the model's JSON
    /// writing; returns at once. Call it before loading the data of a training job. <paramref name="idxImages"/>: the job
    /// reads IDX images (byte pixels and classes), so only that path is compiled; otherwise the float64 path of CSV data.
    /// </summary>
    public static void StartPreparation(bool idxImages = false)
    {
        if (Environment.ProcessorCount < 2 || Interlocked.Exchange(ref s_preparation, 1) != 0) return;
        new Thread(() => Swallow(() =>
        {
            var model = RunPreparation(idxImages);
            // The save comes at the end of the job: its compilation waits until the data preparation, which uses both
            // cores (the two-block fit and conversion), is done, and runs while the network is built.
            s_dataPrepared.Wait(SaveWarmupDelay);
            RunSave(model);
        })) { IsBackground = true, Name = "occam preparation warm-up" }.Start();
    }

    /// <summary>The job's data is prepared (called by <see cref="MlpFitter.Fit"/>): the warm-up may compile the save now.</summary>
    internal static void DataPrepared() => s_dataPrepared.Set();

    /// <summary>
    /// What <see cref="StartPreparation"/> runs first: a 2-row dataset of the job's kind (bytes with classes, or float64
    /// with a regression target) through the standardizer fit, the float32 rows and the targets; returns the tiny model
    /// it prepared them for. Compiling the other kind too would only take the second core from the job: the IDX job
    /// needs it for its two-block fit and conversion.
    /// </summary>
    internal static Mlp RunPreparation(bool idxImages)
    {
        const int rows = 2, features = 64;
        var names = new string[features];
        for (int j = 0; j < features; j++) names[j] = "x";
        var bytes = new byte[rows * features];
        bytes[1] = 1;
        var data = idxImages
            ? new Dataset(bytes, 0, [0, 1], rows, features, names, "label", TaskKind.Multiclass, ["0", "1"])
            : new Dataset(new double[rows * features], new double[rows], rows, features, names, "y", TaskKind.Regression);
        var model = Mlp.Create(new MlpSpec(features, [], idxImages ? 2 : 1, data.Task), new Rng(0), Standardizer.Fit(data), data.Classes);
        _ = TrainingData.From(model, data);
        return model;
    }

    /// <summary>What <see cref="StartPreparation"/> runs last: <paramref name="model"/> written as JSON (the writer's first use initializes its text encoder).</summary>
    internal static void RunSave(Mlp model) => Serialization.MlpJson.Write(model, Stream.Null);

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
