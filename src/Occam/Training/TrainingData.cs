using Occam.Data;
using Occam.Nn;
using Occam.Numerics;
using Occam.Numerics.Conversion;

namespace Occam.Training;

/// <summary>
/// Training rows as the engine consumes them: float32 inputs already prepared for the model (standardized when
/// the model has a standardizer), <c>[Rows][Inputs]</c>, and targets <c>[Rows][TargetWidth]</c> — regression
/// values, 0/1 for binary, or the class index for multiclass (width 1 for classification). Byte data prepared with
/// <c>keepBytes</c> keeps its rows as bytes (<see cref="Bytes"/>): the trainer reads them standardized on the fly, and the
/// float32 matrix <see cref="X"/> — the same floats — is built only if something asks for it.
/// </summary>
internal sealed class TrainingData
{
    private float[]? _x;
    private readonly object _build = new();

    public TrainingData(float[] x, float[] y, int rows, int inputs, int targetWidth)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != rows * inputs) throw new ArgumentException($"x has {x.Length} values for {rows}×{inputs}.", nameof(x));
        if (y.Length != rows * targetWidth) throw new ArgumentException($"y has {y.Length} values for {rows}×{targetWidth}.", nameof(y));
        _x = x;
        Y = y;
        Rows = rows;
        Inputs = inputs;
        TargetWidth = targetWidth;
    }

    private TrainingData(InputBytes bytes, float[] y, int rows, int inputs)
    {
        Bytes = bytes;
        Y = y;
        Rows = rows;
        Inputs = inputs;
        TargetWidth = 1;
    }

    /// <summary>The prepared float32 rows (for data kept as <see cref="Bytes"/>: converted from them on first use, then kept).</summary>
    public float[] X => _x ?? BuildFromBytes();

    /// <summary>Null, or the rows as unsigned bytes with the exact on-the-fly standardization that gives <see cref="X"/>'s floats.</summary>
    public InputBytes? Bytes { get; }

    public float[] Y { get; }
    public int Rows { get; }
    public int Inputs { get; }
    public int TargetWidth { get; }

    /// <summary>
    /// Prepares <paramref name="data"/> for <paramref name="model"/> (standardizes inputs, and regression targets when the
    /// model has a target standardizer; converts to float32). <paramref name="keepBytes"/>: byte data
    /// (<see cref="Dataset.HasBytes"/>) whose standardization <see cref="ByteAffine.TryCreate"/> reproduces exactly keeps
    /// its bytes (<see cref="Bytes"/>) and builds no float32 matrix now (31 MB for MNIST-10k, 7 700 fresh pages); otherwise,
    /// and for other data, the float32 rows are built here.
    /// </summary>
    public static TrainingData From(Mlp model, Dataset data, bool keepBytes = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Features != model.Inputs)
            throw new OccamException($"the data has {data.Features} feature columns but the model expects {model.Inputs}; use data with the model's columns.");
        if (keepBytes && data.HasBytes && data.Rows > 0
            && ByteAffine.TryCreate(model.Standardizer?.Mean ?? [], model.Standardizer?.Scale ?? [], data.Features, out var shift, out var factor))
            return new TrainingData(new InputBytes(data.Bytes, shift, factor), LabelMap.Targets(model, data), data.Rows, data.Features);
        var x = GC.AllocateUninitializedArray<float>(data.Rows * data.Features);   // every value is written below
        PrepareInputs(model, data, x);
        var y = LabelMap.Targets(model, data);
        return new TrainingData(x, y, data.Rows, data.Features, 1);
    }

    /// <summary>Builds <see cref="X"/> from <see cref="Bytes"/> once (any thread; a second caller waits for the first).</summary>
    private float[] BuildFromBytes()
    {
        lock (_build)
        {
            if (_x is { } built) return built;
            var bytes = Bytes!;
            var x = GC.AllocateUninitializedArray<float>(Rows * Inputs);
            for (int r = 0; r < Rows; r++) bytes.Convert(r, x.AsSpan(r * Inputs, Inputs));
            return _x = x;
        }
    }

    /// <summary>Below this many values the inputs are prepared on the calling thread.</summary>
    internal const int ParallelMinimum = 1 << 20;

    /// <summary>
    /// <see cref="Mlp.PrepareInputs(ReadOnlySpan{double}, Span{float})"/> over every row — on the bytes themselves for
    /// byte data (<see cref="Dataset.HasBytes"/>: the same floats, without the float64 copy) —; for large data in one
    /// contiguous block of rows per thread, run as items on the GEMM helpers (<see cref="GemmThreadPool.RunObjectItems"/>:
    /// the threads the steps use next; the .NET thread pool's first <c>Parallel.For</c> costs a CLI 6–8 ms); each value is
    /// converted on its own, so the floats are the same bits. If a block meets a value it cannot use, the whole data is
    /// prepared again on this thread, so that the error names the first such row exactly as the single pass does.
    /// </summary>
    private static unsafe void PrepareInputs(Mlp model, Dataset data, float[] x)
    {
        int rows = data.Rows;
        int blocks = Math.Min(Gemm.MaxThreads, rows);
        if (blocks < 2 || x.Length < ParallelMinimum)
        {
            PrepareRows(model, data, x, 0, rows);
            return;
        }
        var job = new BlockPreparation(model, data, x, blocks);
        GemmThreadPool.RunObjectItems(&PrepareBlock, job, blocks, blocks);
        if (job.Failed != 0) PrepareRows(model, data, x, 0, rows);
    }

    /// <summary>What the row blocks of <see cref="PrepareInputs(Mlp, Dataset, float[])"/> share; <see cref="Failed"/> is set by a block that met an unusable value.</summary>
    private sealed class BlockPreparation(Mlp model, Dataset data, float[] x, int blocks)
    {
        public Mlp Model { get; } = model;
        public Dataset Data { get; } = data;
        public float[] X { get; } = x;
        public int Blocks { get; } = blocks;
        public int Failed;
    }

    /// <summary>Row block <paramref name="block"/> of a <see cref="BlockPreparation"/> (any thread).</summary>
    private static void PrepareBlock(int block, object state)
    {
        var job = (BlockPreparation)state;
        int rows = job.Data.Rows;
        int first = (int)((long)rows * block / job.Blocks), last = (int)((long)rows * (block + 1) / job.Blocks);
        try
        {
            PrepareRows(job.Model, job.Data, job.X, first, last);
        }
        catch (OccamException)
        {
            Interlocked.Exchange(ref job.Failed, 1);
        }
    }

    /// <summary>Rows <paramref name="first"/>..<paramref name="last"/>−1 of <paramref name="data"/> into the same rows of <paramref name="x"/>.</summary>
    private static void PrepareRows(Mlp model, Dataset data, float[] x, int first, int last)
    {
        int p = data.Features;
        var destination = x.AsSpan(first * p, (last - first) * p);
        if (data.HasBytes)
            model.PrepareInputs(data.Bytes.Span.Slice(first * p, (last - first) * p), destination, first);
        else
            model.PrepareInputs(data.X.AsSpan(first * p, (last - first) * p), destination);
    }
}

/// <summary>
/// Training rows kept as unsigned bytes, row-major, with the per-column shift and factor of <see cref="ByteAffine"/> that
/// give, bit for bit, the standardized floats <see cref="Mlp.PrepareInputs(ReadOnlySpan{double}, Span{float})"/> would
/// write (checked for every byte value of every column by <see cref="ByteAffine.TryCreate"/>).
/// </summary>
internal sealed class InputBytes(ReadOnlyMemory<byte> values, double[] shift, double[] factor)
{
    /// <summary>The bytes, <c>[rows][Columns]</c>.</summary>
    public ReadOnlyMemory<byte> Values { get; } = values;

    public double[] Shift { get; } = shift;
    public double[] Factor { get; } = factor;
    public int Columns => Shift.Length;

    /// <summary>The rows as the GEMM's row-table operand (<see cref="Gemm.MultiplyRows"/>).</summary>
    public StandardizedBytes Rows => new(Values.Span, Columns, Shift, Factor);

    /// <summary>Row <paramref name="row"/> standardized into <paramref name="destination"/> (<see cref="ByteAffine.Apply"/>).</summary>
    public void Convert(int row, Span<float> destination) =>
        ByteAffine.Apply(Values.Span.Slice(row * Columns, Columns), Shift, Factor, destination);
}
