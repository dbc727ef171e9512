using System.Numerics.Tensors;
using Occam.Data;
using Occam.Nn;
using Occam.Numerics;
using Occam.Numerics.Activations;
using Occam.Numerics.Conversion;
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
/// <para>Why: the kernels test <c>Vector512</c> or carry <c>AggressiveOptimization</c>, so ReadyToRun code does not cover
/// them (crossgen2 produces no usable code for methods that test Vector512) and the runtime compiles them, fully
/// optimized, at their first call. Compiled first on another thread while the job reads its data (the gunzip keeps one
/// core busy, the other is idle), that compilation leaves the job's critical path; a thread that calls a method being
/// compiled waits for that compilation instead of doing it again.</para>
/// <para><see cref="Start"/> (a caller about to load data for training calls it) prepares a tiny dataset of the job's
/// kind, compiles the step's kernels without running them (<see cref="Precompile"/>, <see cref="GemmPrecompile"/>: no
/// throwaway step — session 5's step warm-up ran one epoch beside the data preparation and bought nothing, session 6),
/// those of the network's products once <see cref="MlpFitter.Prepare"/> has built it (<see cref="ModelBuilt"/>), and
/// writes a tiny model's JSON (the save at the end of the job) once the data is prepared (<see cref="DataPrepared"/>).</para>
/// </remarks>
public static class TrainingWarmup
{
    private static int s_started;
    private static readonly ManualResetEventSlim s_dataPrepared = new(false);
    private static readonly ManualResetEventSlim s_modelBuilt = new(false);
    private static (Mlp Model, int Rows, int BatchSize, bool ByteRows)? s_shapes;

    /// <summary>How long the warm-up waits for <see cref="ModelBuilt"/> before it skips the products.</summary>
    private static readonly TimeSpan ShapesDelay = TimeSpan.FromSeconds(10);

    /// <summary>How long the warm-up waits for <see cref="DataPrepared"/> before it compiles the JSON writing anyway.</summary>
    private static readonly TimeSpan SaveWarmupDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Starts the warm-up of a training job on one background thread, once per process, on machines with at least two
    /// cores; returns at once. Call it before loading the job's data. In order, the thread compiles:
    /// <list type="number">
    /// <item>the data preparation (<see cref="RunPreparation"/>: standardizer fit, training rows, targets) of the job's
    /// kind — <paramref name="idxImages"/>: IDX images (byte pixels and classes), otherwise float64 CSV data —, which
    /// the job runs right after the read;</item>
    /// <item>on AVX-512 machines (<see cref="Simd.Use512"/>), the step's kernels that do not depend on the shapes
    /// (<see cref="CompileStepKernels"/>), then, once the network is built (<see cref="ModelBuilt"/>), the GEMM kernels
    /// of its products (<see cref="CompileProducts"/>) — on AVX2 machines ReadyToRun code covers most of the step and
    /// the few kernels left cost less than compiling them beside the data preparation (measured, startup.md);</item>
    /// <item>once the data is prepared (<see cref="DataPrepared"/>), the model's JSON writing (<see cref="RunSave"/>),
    /// for the save at the end.</item>
    /// </list>
    /// One thread, not one per part: while the data is read the gunzip holds one core and the warm-up the other, and a
    /// second warm-up thread beside them lengthened the read (docs/algorithms/startup.md, "Compiling ahead").
    /// </summary>
    public static void Start(bool idxImages = false)
    {
        if (Environment.ProcessorCount < 2 || Interlocked.Exchange(ref s_started, 1) != 0) return;
        new Thread(() => Swallow(() =>
        {
            var model = RunPreparation(idxImages);
            if (Simd.Use512)
            {
                CompileStepKernels();
                if (s_modelBuilt.Wait(ShapesDelay))
                {
                    var (network, rows, batchSize, byteRows) = s_shapes!.Value;
                    s_shapes = null;   // the static must not keep the job's network alive
                    CompileProducts(network, rows, batchSize, byteRows);
                }
            }
            s_dataPrepared.Wait(SaveWarmupDelay);
            RunSave(model);
        })) { IsBackground = true, Name = "occam training warm-up" }.Start();
    }

    /// <summary>
    /// The network to train and its training rows are known (called by <see cref="MlpFitter.Prepare"/> once it has
    /// built the network, before it prepares the rows): the warm-up (<see cref="Start"/>) may compile the products' kernels now.
    /// </summary>
    internal static void ModelBuilt(Mlp model, int rows, int batchSize, bool byteRows)
    {
        if (Volatile.Read(ref s_started) == 0 || !Simd.Use512 || s_modelBuilt.IsSet) return;   // only the AVX-512 warm-up compiles the products
        s_shapes = (model, rows, batchSize, byteRows);
        s_modelBuilt.Set();
    }

    /// <summary>
    /// Compiles, without running them, the kernels a training step runs whatever the shapes: the GEMM's packed path
    /// (its row-table forms come with the shapes, <see cref="CompileProducts"/>), the fused ReLU·dropout forward and backward,
    /// the bias rows, the softmax cross-entropy (with TensorPrimitives' exponentials, run once on a scratch block), the
    /// GEMM's entry, the bias gradient (sum of rows), the Adam update, and the epoch record's zero count and penalty sums.
    /// </summary>
    internal static void CompileStepKernels()
    {
        GemmPrecompile.Packed();
        Precompile.Method(typeof(ReluDropout), nameof(ReluDropout.Forward));
        Precompile.Method(typeof(ReluDropout), "RunWholeSteps");
        Precompile.Method(typeof(RowBroadcast), nameof(RowBroadcast.Fill));
        Precompile.Method(typeof(SoftmaxCrossEntropy), nameof(SoftmaxCrossEntropy.Compute));
        Precompile.Method(typeof(SoftmaxCrossEntropy), "ComputeNarrow");
        // The softmax's exponentials: TensorPrimitives.Exp's instantiation is private to System.Numerics.Tensors and its
        // Vector512 code is compiled (tier 0) at its first call, ≈ 4 ms on the step's thread: one call on a scratch
        // block of the size ComputeNarrow passes (64 rows of 10 classes) compiles the same code here.
        var scratch = new float[640];
        TensorPrimitives.Exp(scratch, scratch.AsSpan());
        Precompile.Method(typeof(Gemm), nameof(Gemm.Multiply));   // tier 0 (it tests Vector512), on the step's thread otherwise
        Precompile.Method(typeof(SumOfRows), nameof(SumOfRows.Compute));
        Precompile.Method(typeof(ReluDropout), nameof(ReluDropout.Backward));
        if (Simd.Use512) Precompile.Method(typeof(AdamW), "Update512");
        Precompile.Method(typeof(AdamW), nameof(AdamW.Update));
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
    /// (<see cref="Trainer.RowViewPays"/>), over byte rows when <paramref name="byteRows"/> (the training rows kept as
    /// bytes, <see cref="TrainingData.Bytes"/>; gathered batches are then converted by <see cref="ByteAffine"/>). A
    /// product whose path or tiles are not those the step takes only costs its compilation: nothing here changes what
    /// the step computes.
    /// </summary>
    internal static void CompileProducts(Mlp model, int rows, int batchSize, bool byteRows)
    {
        if (rows <= 0) return;
        int batch = batchSize <= 0 ? rows : Math.Min(batchSize, rows);
        bool rowTable = Trainer.ReadsBatchRowsInPlace && Trainer.RowViewPays(model, batch);
        if (byteRows && !rowTable) Precompile.Method(typeof(ByteAffine), Simd.Use512 ? nameof(ByteAffine.ApplyV512) : nameof(ByteAffine.ApplyV256));
        var table = !rowTable ? GemmRowSource.None : byteRows ? GemmRowSource.Bytes : GemmRowSource.Floats;
        for (int pass = 0; pass < 2; pass++)
        {
            int r = pass == 0 ? batch : rows % batch;
            if (r == 0) continue;
            for (int i = 0; i < model.DenseLayers.Count; i++)
            {
                var d = model.DenseLayers[i];
                var source = i == 0 && model.Layers[0] == d ? table : GemmRowSource.None;
                GemmPrecompile.Product(false, true, r, d.Outputs, d.Inputs, source);
                GemmPrecompile.Product(true, false, d.Outputs, d.Inputs, r, source);
                if (i > 0) GemmPrecompile.Product(false, false, r, d.Inputs, d.Outputs);
            }
        }
    }

    /// <summary>The job's data is prepared (called by <see cref="MlpFitter.Fit"/>): the warm-up may compile the save now.</summary>
    internal static void DataPrepared() => s_dataPrepared.Set();

    /// <summary>
    /// What <see cref="Start"/> runs first: a 2-row dataset of the job's kind (bytes with classes, or float64
    /// with a regression target) through the standardizer fit, the training rows (bytes kept, as the IDX job keeps them,
    /// or float32 rows) and the targets; returns the tiny model it prepared them for. Compiling the other kind too would only take the second core from the job: the IDX job
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
        _ = TrainingData.From(model, data, keepBytes: idxImages);   // as MlpFitter.Prepare: IDX rows stay bytes
        return model;
    }

    /// <summary>What <see cref="Start"/> runs last: <paramref name="model"/> written as JSON (the writer's first use initializes its text encoder).</summary>
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
