using System.Numerics.Tensors;
using Occam.Data;
using Occam.Nn;
using Occam.Numerics;
using Occam.Numerics.Activations;
using Occam.Numerics.Conversion;
using Occam.Numerics.Functions;
using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Losses;
using Occam.Numerics.Random;
using Occam.Numerics.Reductions;
using Occam.Numerics.Standardization;
using Occam.Optimizers;
using Occam.Regularization;

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
/// those of the network's products once <see cref="MlpFitter.Prepare"/> knows its shapes (<see cref="NetworkKnown"/>,
/// <see cref="ModelBuilt"/>), the epoch record's code, and writes a tiny model's JSON (the save at the end of the job)
/// where it does not slow the first epoch.</para>
/// </remarks>
public static class TrainingWarmup
{
    private static int s_started;
    private static readonly ManualResetEventSlim s_dataPrepared = new(false);
    private static readonly ManualResetEventSlim s_modelBuilt = new(false);
    private static readonly ManualResetEventSlim s_firstEpochEnded = new(false);
    private static ((int Inputs, int Outputs)[] Dense, bool FirstDense, int Rows, int BatchSize, bool ByteRows)? s_shapes;

    /// <summary>How long the warm-up waits for the network's shapes (<see cref="NetworkKnown"/>, <see cref="ModelBuilt"/>) before it skips the products.</summary>
    private static readonly TimeSpan ShapesDelay = TimeSpan.FromSeconds(10);

    /// <summary>How long the warm-up waits for <see cref="DataPrepared"/> (AVX2) or <see cref="FirstEpochEnded"/> (AVX-512) before it compiles the JSON writing anyway.</summary>
    private static readonly TimeSpan SaveWarmupDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Starts the warm-up of a training job on one background thread, once per process, on machines with at least two
    /// cores; returns at once. Call it before loading the job's data. In order, the thread compiles:
    /// <list type="number">
    /// <item>for IDX images, the column-sum kernel that the read runs inside its gunzip loop (<see cref="ByteColumnSums"/>);
    /// then the data preparation (<see cref="RunPreparation"/>: standardizer fit, training rows, targets) of the job's
    /// kind — <paramref name="idxImages"/>: IDX images (byte pixels and classes), otherwise float64 CSV data —, which
    /// the job runs right after the read;</item>
    /// <item>on AVX-512 machines (<see cref="Simd.Use512"/>), in the order the job needs them: the step's kernels that do
    /// not depend on the shapes (<see cref="CompileStepKernels"/>); while the shapes are not known yet, the products'
    /// shape-free row-table packing and in-place driver (<see cref="CompileRowTableKernels"/>) and the epoch record
    /// (<see cref="RunRecord"/>); once they are (<see cref="NetworkKnown"/>, before the standardizer fit, or
    /// <see cref="ModelBuilt"/>), the GEMM kernels of the network's products, last needed first
    /// (<see cref="CompileProducts(Mlp, int, int, bool)"/>); the epoch record if not done; then the model's JSON writing
    /// (<see cref="RunSave"/>) at once if the job is still preparing its rows (<see cref="DataPrepared"/> not yet),
    /// else after the first epoch (<see cref="FirstEpochEnded"/>), whose steps it would slow. On AVX2 machines ReadyToRun
    /// code covers most of the step and the few kernels left cost less than compiling them beside the data preparation
    /// (measured, startup.md), so the thread only writes the JSON once the data is prepared.</item>
    /// </list>
    /// One thread, not one per part: while the data is read the gunzip holds one core and the warm-up the other, and a
    /// second warm-up thread beside them lengthened the read (docs/algorithms/startup.md, "Compiling ahead").
    /// </summary>
    public static void Start(bool idxImages = false)
    {
        if (Environment.ProcessorCount < 2 || Interlocked.Exchange(ref s_started, 1) != 0) return;
        new Thread(() => Swallow(() =>
        {
            // The IDX reader's column sums run inside its gunzip loop from the first 64 KiB on: compiled first.
            if (idxImages) Precompile.Method(typeof(ByteColumnSums), nameof(ByteColumnSums.Add));
            var model = RunPreparation(idxImages);
            if (!Simd.Use512)
            {
                s_dataPrepared.Wait(SaveWarmupDelay);
                RunSave(model);
                return;
            }
            CompileStepKernels();
            // While the job still reads its data (one core busy) and the network's shapes are not known yet: the products'
            // shape-free kernels and the epoch record's code.
            if (!s_modelBuilt.IsSet) CompileRowTableKernels(idxImages);
            if (!s_modelBuilt.IsSet) RunRecord(model);
            if (s_modelBuilt.Wait(ShapesDelay))
            {
                var (dense, firstDense, rows, batchSize, byteRows) = s_shapes!.Value;
                CompileProducts(dense, firstDense, rows, batchSize, byteRows);
            }
            RunRecord(model);   // nothing left to compile when it ran above
            // The save's code is needed only at the end: now if the job is still preparing its rows (one core busy), else
            // after the first epoch, whose steps it would slow (the products above and the buffers' first touches make that
            // epoch the longest already).
            if (s_dataPrepared.IsSet) s_firstEpochEnded.Wait(SaveWarmupDelay);
            RunSave(model);
        })) { IsBackground = true, Name = "occam training warm-up" }.Start();
    }

    /// <summary>
    /// The network to train and its training rows are known (called by <see cref="MlpFitter.Prepare"/> once it has
    /// built the network, before it prepares the rows): the warm-up (<see cref="Start"/>) may compile the products' kernels
    /// now. Nothing when <see cref="NetworkKnown"/> came first.
    /// </summary>
    internal static void ModelBuilt(Mlp model, int rows, int batchSize, bool byteRows)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (Wanted) ShapesKnown(DenseShapes(model), Backprop.ReadsInputRows(model), rows, batchSize, byteRows);
    }

    /// <summary>
    /// <see cref="ModelBuilt"/> from the network's spec, before the network exists (a fresh network's first layer is
    /// dense, <see cref="Mlp.Create"/>): <see cref="MlpFitter.Prepare"/> calls it as soon as the data is split, so that the
    /// warm-up compiles the products while the job fits the standardizer and initializes the weights (session 10: on the
    /// bench job ≈ 20 ms earlier than <see cref="ModelBuilt"/>; docs/algorithms/startup.md, "The first epoch").
    /// </summary>
    internal static void NetworkKnown(MlpSpec spec, int rows, int batchSize, bool byteRows)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Wanted) ShapesKnown(DenseShapes(spec), true, rows, batchSize, byteRows);
    }

    /// <summary>Inputs and outputs of each dense layer <see cref="Mlp.Create"/> builds from <paramref name="spec"/>, in order.</summary>
    internal static (int Inputs, int Outputs)[] DenseShapes(MlpSpec spec)
    {
        var dense = new (int Inputs, int Outputs)[spec.Hidden.Count + 1];
        int width = spec.Inputs;
        for (int i = 0; i < spec.Hidden.Count; i++) dense[i] = (width, width = spec.Hidden[i]);
        dense[^1] = (width, spec.Outputs);
        return dense;
    }

    /// <summary>Whether the shapes are still wanted: the AVX-512 warm-up runs and has not had them (only it compiles the products).</summary>
    private static bool Wanted => Volatile.Read(ref s_started) != 0 && Simd.Use512 && !s_modelBuilt.IsSet;

    private static void ShapesKnown((int Inputs, int Outputs)[] dense, bool firstDense, int rows, int batchSize, bool byteRows)
    {
        if (!Wanted) return;
        s_shapes = (dense, firstDense, rows, batchSize, byteRows);
        s_modelBuilt.Set();
    }

    /// <summary>Inputs and outputs of each dense layer of <paramref name="model"/>, in order.</summary>
    internal static (int Inputs, int Outputs)[] DenseShapes(Mlp model)
    {
        var dense = new (int Inputs, int Outputs)[model.DenseLayers.Count];
        for (int i = 0; i < dense.Length; i++) dense[i] = (model.DenseLayers[i].Inputs, model.DenseLayers[i].Outputs);
        return dense;
    }

    /// <summary>
    /// Compiles, without running them, the kernels a training step runs whatever the shapes: the GEMM's packed path
    /// (its row-table forms come with the shapes, <see cref="CompileProducts(Mlp, int, int, bool)"/>), the fused ReLU·dropout forward and backward,
    /// the bias rows, the softmax cross-entropy (with TensorPrimitives' exponentials, run once on a scratch block), the
    /// GEMM's entry, the bias gradient (sum of rows) and the Adam update (the epoch record's kernels: <see cref="RunRecord"/>).
    /// </summary>
    internal static void CompileStepKernels()
    {
        GemmPrecompile.Packed();
        Precompile.Method(typeof(ReluDropout), nameof(ReluDropout.Forward));
        // The bias rows' pass of this machine's vectors (ReluDropout.Forward takes one of the two).
        Precompile.Method(typeof(ReluDropout), Simd.Use512 ? "RunWholeSteps" : "RunWholeSteps256");
        Precompile.Method(typeof(RowBroadcast), nameof(RowBroadcast.Fill));
        Precompile.Method(typeof(SoftmaxCrossEntropy), nameof(SoftmaxCrossEntropy.Compute));
        Precompile.Method(typeof(SoftmaxCrossEntropy), "ComputeNarrow");
        Precompile.Method(typeof(Exp), nameof(Exp.Apply));   // the softmax's exponentials
        Precompile.Method(typeof(Gemm), nameof(Gemm.Multiply));   // tier 0 (it tests Vector512), on the step's thread otherwise
        Precompile.Method(typeof(SumOfRows), nameof(SumOfRows.Compute));
        Precompile.Method(typeof(ReluDropout), nameof(ReluDropout.Backward));
        if (Simd.Use512) Precompile.Method(typeof(AdamW), "Update512");
        Precompile.Method(typeof(AdamW), nameof(AdamW.Update));
    }

    /// <summary>
    /// Compiles, without running them, the GEMM kernels of the products of a training step of <paramref name="model"/>
    /// (<see cref="GemmPrecompile.Product"/>) for full batches of <paramref name="batchSize"/> rows (0: all
    /// <paramref name="rows"/>) and the last, shorter batch of an epoch: per dense layer the forward product
    /// <c>X·Wᵀ</c>, the weight gradient <c>∂Yᵀ·X</c> and, but for the first layer, the input gradient <c>∂Y·W</c>
    /// (<see cref="Backprop"/>); the first layer's through a row table when the loop reads batch rows in place
    /// (<see cref="Trainer.RowViewPays(Mlp, int)"/>), over byte rows when <paramref name="byteRows"/> (the training rows kept as
    /// bytes, <see cref="TrainingData.Bytes"/>; gathered batches are then converted by <see cref="ByteAffine"/>). A
    /// product whose path or tiles are not those the step takes only costs its compilation: nothing here changes what
    /// the step computes.
    /// </summary>
    internal static void CompileProducts(Mlp model, int rows, int batchSize, bool byteRows)
    {
        ArgumentNullException.ThrowIfNull(model);
        CompileProducts(DenseShapes(model), Backprop.ReadsInputRows(model), rows, batchSize, byteRows);
    }

    /// <summary>
    /// <see cref="CompileProducts(Mlp, int, int, bool)"/> for a network given by the inputs and outputs of its dense
    /// layers, in order (<paramref name="firstDense"/>: the first layer is the first dense one,
    /// <see cref="Backprop.ReadsInputRows"/>).
    /// </summary>
    internal static void CompileProducts((int Inputs, int Outputs)[] dense, bool firstDense, int rows, int batchSize, bool byteRows)
    {
        if (rows <= 0 || dense.Length == 0) return;
        int batch = batchSize <= 0 ? rows : Math.Min(batchSize, rows);
        bool rowTable = Trainer.ReadsBatchRowsInPlace && firstDense && Trainer.RowViewPays(batch, dense[0].Inputs, dense[0].Outputs);
        if (byteRows && !rowTable) Precompile.Method(typeof(ByteAffine), Simd.Use512 ? nameof(ByteAffine.ApplyV512) : nameof(ByteAffine.ApplyV256));
        var table = !rowTable ? GemmRowSource.None : byteRows ? GemmRowSource.Bytes : GemmRowSource.Floats;
        var products = StepProducts(dense, firstDense, rows, batch, table);
        for (int i = products.Count - 1; i >= 0; i--)
        {
            var p = products[i];
            GemmPrecompile.Product(p.TransposeA, p.TransposeB, p.M, p.N, p.K, p.Rows);
        }
    }

    /// <summary>One GEMM product of a training step, as <see cref="GemmPrecompile.Product"/> takes it.</summary>
    internal readonly record struct StepProduct(bool TransposeA, bool TransposeB, int M, int N, int K, GemmRowSource Rows);

    /// <summary>
    /// The products of an epoch of a network whose dense layers have these inputs and outputs (<paramref name="dense"/>,
    /// in order; <paramref name="firstDense"/>: the network's first layer is the first of them) on <paramref name="rows"/> rows in batches of
    /// <paramref name="batch"/> (1 ≤ batch ≤ rows), in the order the epoch first runs them: a full batch's step (the
    /// forward <c>X·Wᵀ</c> of every dense layer, first to last, then from the last layer back to the first its weight
    /// gradient <c>∂Yᵀ·X</c> and, but for the first layer, its input gradient <c>∂Y·W</c>, <see cref="Backprop"/>), then
    /// the last, shorter batch's step when <paramref name="batch"/> does not divide <paramref name="rows"/>. The first
    /// layer's products read <paramref name="firstLayer"/> rows (a row table, or none).
    /// </summary>
    /// <remarks><see cref="CompileProducts(Mlp, int, int, bool)"/> compiles them last first: a first step that starts while the warm-up is still
    /// compiling meets the products it needs first not yet begun and compiles them on its own thread, while the warm-up
    /// compiles those it needs later, instead of waiting for the warm-up to reach the end of the list (the two cores
    /// compile from both ends).</remarks>
    internal static List<StepProduct> StepProducts((int Inputs, int Outputs)[] dense, bool firstDense, int rows, int batch, GemmRowSource firstLayer)
    {
        var products = new List<StepProduct>();
        for (int pass = 0; pass < 2; pass++)
        {
            int r = pass == 0 ? batch : rows % batch;
            if (r == 0) continue;
            for (int i = 0; i < dense.Length; i++)
                products.Add(new StepProduct(false, true, r, dense[i].Outputs, dense[i].Inputs, Source(i)));
            for (int i = dense.Length - 1; i >= 0; i--)
            {
                products.Add(new StepProduct(true, false, dense[i].Outputs, dense[i].Inputs, r, Source(i)));
                if (i > 0) products.Add(new StepProduct(false, false, r, dense[i].Inputs, dense[i].Outputs, GemmRowSource.None));
            }
        }
        return products;

        GemmRowSource Source(int i) => i == 0 && firstDense ? firstLayer : GemmRowSource.None;
    }

    /// <summary>
    /// Compiles, without running them, the GEMM kernels of a step's products that do not depend on the shapes: the packed
    /// path's row-table forms over the rows a job of this kind keeps (<paramref name="idxImages"/>: byte rows, else float
    /// rows; <see cref="Trainer.RowViewPays(Mlp, int)"/>) and the in-place driver. What <see cref="Start"/> compiles while the job
    /// still reads its data; <see cref="CompileProducts(Mlp, int, int, bool)"/> compiles them too (for the rows the job has), at no cost when
    /// they are compiled already. A form the job does not take only costs its compilation.
    /// </summary>
    internal static void CompileRowTableKernels(bool idxImages)
    {
        GemmPrecompile.Packed(idxImages ? GemmRowSource.Bytes : GemmRowSource.Floats);
        GemmPrecompile.InPlaceDriver();
    }

    /// <summary>The job's data is prepared (called by <see cref="MlpFitter.Fit"/>): the warm-up may compile the save now (on AVX2 machines).</summary>
    internal static void DataPrepared() => s_dataPrepared.Set();

    /// <summary>
    /// A training loop finished its first epoch (called by the trainer's epoch loop): on AVX-512 machines the warm-up
    /// compiles the save now if it could not before the network was built (<see cref="Start"/>). Costs a flag test after that.
    /// </summary>
    internal static void FirstEpochEnded()
    {
        if (!s_firstEpochEnded.IsSet) s_firstEpochEnded.Set();
    }

    /// <summary>
    /// What an epoch's record computes, compiled and run on <paramref name="model"/>: the kernels of the zero count and
    /// the penalty sums (L1 and L2), then the sparsity report (unit liveness, zero counts) and the penalty value — these
    /// two with generic instantiations over the framework's types that ReadyToRun code does not hold, ≈ 2 ms of tier-0
    /// compiling in the first record otherwise. Needed at the first epoch's end only, so <see cref="Start"/> compiles
    /// them after the products unless it is waiting for the shapes anyway.
    /// </summary>
    internal static void RunRecord(Mlp model)
    {
        Precompile.Method(typeof(CountZeros), nameof(CountZeros.Count));
        Precompile.Method(typeof(SumOfMagnitudes), nameof(SumOfMagnitudes.Sum));
        Precompile.Method(typeof(SumOfSquares), nameof(SumOfSquares.Sum));
        var sparsity = SparsityReport.Of(model);
        _ = (sparsity.ZeroFraction, sparsity.DeadUnits, sparsity.HiddenUnits);
        _ = NetworkRegularization.Uniform(new LayerRegularization(ElasticNetPenalty.Lasso(1e-4)), model.DenseLayers.Count).Value(model);
    }

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
        var data = idxImages   // as IdxLoader: the pixels' column statistics come with the bytes
            ? new Dataset(bytes, 0, [0, 1], rows, features, names, "label", TaskKind.Multiclass, ["0", "1"], ByteColumnStatistics.Of(bytes, rows, features))
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
