using Occam.Data;
using Occam.Nn;
using Occam.Numerics;
using Occam.Numerics.Activations;
using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Losses;
using Occam.Numerics.Random;
using Occam.Numerics.Reductions;
using Occam.Optimizers;

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
    private static int s_step;
    private static readonly ManualResetEventSlim s_modelBuilt = new(false);
    private static (Mlp Model, int Rows, int BatchSize)? s_shapes;

    /// <summary>How long the step warm-up waits for <see cref="ModelBuilt"/> before it stops.</summary>
    private static readonly TimeSpan ShapesDelay = TimeSpan.FromSeconds(10);

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

    /// <summary>
    /// Starts compiling the kernels of a training step (<see cref="CompileStepKernels"/>) on a background thread, once
    /// per process, and then, once the network and its training rows are known (<see cref="ModelBuilt"/>), the
    /// shape-dependent GEMM kernels of its products (<see cref="CompileProducts"/>); returns at once. Call it as early as
    /// possible in a process that will train (the <c>occam train</c> command line calls it before parsing its options).
    /// </summary>
    public static void StartStep()
    {
        if (Environment.ProcessorCount < 2 || Interlocked.Exchange(ref s_step, 1) != 0) return;
        new Thread(() => Swallow(() =>
        {
            CompileStepKernels();
            if (!s_modelBuilt.Wait(ShapesDelay)) return;
            var (model, rows, batchSize) = s_shapes!.Value;
            CompileProducts(model, rows, batchSize);
        })) { IsBackground = true, Name = "occam step warm-up" }.Start();
    }

    /// <summary>
    /// The network to train and its training rows are known (called by <see cref="MlpFitter.Prepare"/> once it has
    /// built a fresh network): the step warm-up (<see cref="StartStep"/>) may compile the products' kernels now.
    /// </summary>
    internal static void ModelBuilt(Mlp model, int rows, int batchSize)
    {
        if (Volatile.Read(ref s_step) == 0 || s_modelBuilt.IsSet) return;
        s_shapes = (model, rows, batchSize);
        s_modelBuilt.Set();
    }

    /// <summary>
    /// Compiles, without running them, the kernels a training step runs whatever the shapes: the GEMM's packed path
    /// (with row tables: the first layer reads the batch rows in place), the fused ReLU·dropout forward and backward,
    /// the bias rows, the softmax cross-entropy, the bias gradient (sum of rows), the Adam update, and the epoch record's
    /// zero count and penalty sums.
    /// </summary>
    internal static void CompileStepKernels()
    {
        GemmPrecompile.Packed(rowTable: true);
        Precompile.Method(typeof(ReluDropout), nameof(ReluDropout.Forward));
        Precompile.Method(typeof(ReluDropout), "RunWholeSteps");
        Precompile.Method(typeof(RowBroadcast), nameof(RowBroadcast.Fill));
        Precompile.Method(typeof(SoftmaxCrossEntropy), nameof(SoftmaxCrossEntropy.Compute));
        Precompile.Method(typeof(SoftmaxCrossEntropy), "ComputeNarrow");
        Precompile.Method(typeof(SumOfRows), nameof(SumOfRows.Compute));
        Precompile.Method(typeof(ReluDropout), nameof(ReluDropout.Backward));
        if (Simd.Use512) Precompile.Method(typeof(AdamW), "Update512");
        Precompile.Method(typeof(CountZeros), nameof(CountZeros.Count));
        Precompile.Method(typeof(SumOfMagnitudes), nameof(SumOfMagnitudes.Sum));
        Precompile.Method(typeof(SumOfSquares), nameof(SumOfSquares.Sum));
    }

    /// <summary>
    /// Compiles, without running them, the GEMM kernels of the products of a training step of <paramref name="model"/>
    /// (<see cref="GemmPrecompile.Product"/>) for full batches of <paramref name="batchSize"/> rows (0: all
    /// <paramref name="rows"/>) and the last, shorter batch of an epoch: per dense layer the forward product
    /// <c>X·Wᵀ</c>, the weight gradient <c>∂Yᵀ·X</c> and, but for the first layer, the input gradient <c>∂Y·W</c>
    /// (<see cref="Backprop"/>); the first layer's through a row table when the loop reads batch rows in place
    /// (<see cref="Trainer.RowViewPays"/>). A product whose path or tiles are not those the step takes only costs its
    /// compilation: nothing here changes what the step computes.
    /// </summary>
    internal static void CompileProducts(Mlp model, int rows, int batchSize)
    {
        if (rows <= 0) return;
        int batch = batchSize <= 0 ? rows : Math.Min(batchSize, rows);
        bool rowTable = Trainer.ReadsBatchRowsInPlace && Trainer.RowViewPays(model, batch);
        for (int pass = 0; pass < 2; pass++)
        {
            int r = pass == 0 ? batch : rows % batch;
            if (r == 0) continue;
            for (int i = 0; i < model.DenseLayers.Count; i++)
            {
                var d = model.DenseLayers[i];
                bool table = rowTable && i == 0 && model.Layers[0] == d;
                GemmPrecompile.Product(false, true, r, d.Outputs, d.Inputs, table);
                GemmPrecompile.Product(true, false, d.Outputs, d.Inputs, r, table);
                if (i > 0) GemmPrecompile.Product(false, false, r, d.Inputs, d.Outputs);
            }
        }
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
