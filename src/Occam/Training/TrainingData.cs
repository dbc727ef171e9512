using Occam.Data;
using Occam.Nn;

namespace Occam.Training;

/// <summary>
/// Training rows as the engine consumes them: float32 inputs already prepared for the model (standardized when
/// the model has a standardizer), <c>[Rows][Inputs]</c>, and targets <c>[Rows][TargetWidth]</c> — regression
/// values, 0/1 for binary, or the class index for multiclass (width 1 for classification).
/// </summary>
internal sealed class TrainingData
{
    public TrainingData(float[] x, float[] y, int rows, int inputs, int targetWidth)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != rows * inputs) throw new ArgumentException($"x has {x.Length} values for {rows}×{inputs}.", nameof(x));
        if (y.Length != rows * targetWidth) throw new ArgumentException($"y has {y.Length} values for {rows}×{targetWidth}.", nameof(y));
        X = x;
        Y = y;
        Rows = rows;
        Inputs = inputs;
        TargetWidth = targetWidth;
    }

    public float[] X { get; }
    public float[] Y { get; }
    public int Rows { get; }
    public int Inputs { get; }
    public int TargetWidth { get; }

    /// <summary>Prepares <paramref name="data"/> for <paramref name="model"/> (standardizes inputs, and regression targets when the model has a target standardizer; converts to float32).</summary>
    public static TrainingData From(Mlp model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Features != model.Inputs)
            throw new OccamException($"the data has {data.Features} feature columns but the model expects {model.Inputs}; use data with the model's columns.");
        var x = GC.AllocateUninitializedArray<float>(data.Rows * data.Features);   // every value is written below
        PrepareInputs(model, data, x);
        var y = LabelMap.Targets(model, data);
        return new TrainingData(x, y, data.Rows, data.Features, 1);
    }

    /// <summary>Below this many values the inputs are prepared on the calling thread.</summary>
    internal const int ParallelMinimum = 1 << 20;

    /// <summary>
    /// <see cref="Mlp.PrepareInputs(ReadOnlySpan{double}, Span{float})"/> over every row — on the bytes themselves for
    /// byte data (<see cref="Dataset.HasBytes"/>: the same floats, without the float64 copy) —; for large data in one
    /// contiguous block of rows per core (each value is converted on its own, so the floats are the same bits). If a
    /// block meets a value it cannot use, the whole data is prepared again on this thread, so that the error names the
    /// first such row exactly as the single pass does.
    /// </summary>
    private static void PrepareInputs(Mlp model, Dataset data, float[] x)
    {
        int p = data.Features, rows = data.Rows;
        int blocks = Math.Min(Environment.ProcessorCount, rows);
        if (blocks < 2 || x.Length < ParallelMinimum)
        {
            PrepareRows(model, data, x, 0, rows);
            return;
        }
        int failed = 0;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = blocks }, b =>
        {
            int first = (int)((long)rows * b / blocks), last = (int)((long)rows * (b + 1) / blocks);
            try
            {
                PrepareRows(model, data, x, first, last);
            }
            catch (OccamException)
            {
                Interlocked.Exchange(ref failed, 1);
            }
        });
        if (failed != 0) PrepareRows(model, data, x, 0, rows);
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
