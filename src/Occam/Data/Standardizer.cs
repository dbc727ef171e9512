using System.Runtime.CompilerServices;
using Occam.Numerics;
using Occam.Numerics.Standardization;

namespace Occam.Data;

/// <summary>
/// Per-feature standardization <c>z_j = (x_j − mean_j) / scale_j</c>.
/// </summary>
/// <remarks>
/// <para><see cref="Fit(Dataset, ReadOnlySpan{int})"/> computes, over the given rows only (the
/// training part: never fit on validation or test rows),
/// <c>mean_j = (1/n) Σ_i x_ij</c> and the population standard deviation
/// <c>std_j = sqrt((1/n) Σ_i (x_ij − mean_j)²)</c> (divide by n, like scikit-learn's
/// <c>StandardScaler</c>; two passes for accuracy), and sets <c>scale_j = std_j</c>.</para>
/// <para>Constant columns: when every fitted value of a feature is identical, <c>mean_j</c> is that
/// value exactly and <c>scale_j = 1</c>, so the column becomes exactly 0 after centring rather than
/// NaN (scikit-learn does the same). The mean and scale are saved in the model file
/// (<c>"standardizer": {"mean": [...], "scale": [...]}</c>) and applied before prediction.</para>
/// <para>See docs/algorithms/standardization.md.</para>
/// </remarks>
public sealed class Standardizer
{
    /// <summary>Creates a standardizer from saved parameters.</summary>
    /// <param name="mean">Per-feature mean; finite.</param>
    /// <param name="scale">Per-feature scale; finite and &gt; 0, same length as <paramref name="mean"/>.</param>
    public Standardizer(double[] mean, double[] scale)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        if (mean.Length != scale.Length)
            throw new ArgumentException($"mean has {mean.Length} values but scale has {scale.Length}; give one mean and one scale per feature.", nameof(scale));
        if (mean.Length == 0)
            throw new ArgumentException("mean and scale are empty; a standardizer needs at least one feature.", nameof(mean));
        for (int j = 0; j < mean.Length; j++)
        {
            if (!double.IsFinite(mean[j]))
                throw new ArgumentException($"mean[{j}] = {mean[j]} is not finite; every mean must be a finite number.", nameof(mean));
            if (!(scale[j] > 0) || !double.IsFinite(scale[j]))
                throw new ArgumentException($"scale[{j}] = {scale[j]} must be a finite number > 0.", nameof(scale));
        }
        Mean = mean;
        Scale = scale;
    }

    /// <summary>Per-feature mean that is subtracted.</summary>
    public double[] Mean { get; }

    /// <summary>Per-feature divisor (population standard deviation, or 1 for a constant column).</summary>
    public double[] Scale { get; }

    /// <summary>Number of features.</summary>
    public int Features => Mean.Length;

    /// <summary>Fits on all rows of <paramref name="data"/>.</summary>
    public static Standardizer Fit(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Features == 0)
            throw new ArgumentException("the dataset has no features to standardize.", nameof(data));
        if (data.Rows == 0)
            throw new ArgumentException("no rows to fit the standardizer on; pass at least one training row.", nameof(data));
        return FitInBlocks(data, null);
    }

    /// <summary>Fits on every row of a row-major matrix of <paramref name="columns"/> columns.</summary>
    public static Standardizer Fit(ReadOnlySpan<double> matrix, int columns)
    {
        if (columns <= 0)
            throw new ArgumentOutOfRangeException(nameof(columns), columns, "a standardizer needs at least one column.");
        var rows = new int[matrix.Length / columns];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = i;
        return Fit(matrix, columns, rows);
    }

    /// <summary>Fits on the listed rows of <paramref name="data"/> only (the training part).</summary>
    public static Standardizer Fit(Dataset data, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Features == 0)
            throw new ArgumentException("the dataset has no features to standardize.", nameof(data));
        CheckRows(data.Rows * data.Features, data.Features, rows);
        return FitInBlocks(data, rows.ToArray());
    }

    /// <summary>
    /// Fits on the listed rows of a row-major matrix of <paramref name="columns"/> columns (e.g. the regression
    /// targets, one column: see <see cref="Training.FitSettings.StandardizeTarget"/>).
    /// </summary>
    public static Standardizer Fit(ReadOnlySpan<double> matrix, int columns, ReadOnlySpan<int> rows)
    {
        CheckRows(matrix.Length, columns, rows);
        var mean = new double[columns];
        var scale = new double[columns];
        FitColumns(new SpanRows(matrix, columns, 0, columns), rows, 0, columns, mean, scale, null);
        return new Standardizer(mean, scale);
    }

    private static void CheckRows(int length, int columns, ReadOnlySpan<int> rows)
    {
        if (columns <= 0)
            throw new ArgumentOutOfRangeException(nameof(columns), columns, "a standardizer needs at least one column.");
        if (rows.Length == 0)
            throw new ArgumentException("no rows to fit the standardizer on; pass at least one training row.", nameof(rows));
        int total = length / columns;
        foreach (int r in rows)
        {
            if ((uint)r >= (uint)total)
                throw new ArgumentOutOfRangeException(nameof(rows), r, $"row index {r} is outside 0..{total - 1}.");
        }
    }

    /// <summary>
    /// The fit over the listed <paramref name="rows"/> (null: every row) of a large matrix, split into blocks of columns
    /// fitted by different threads. Every column's sums run over the same rows in the same order whatever the block,
    /// so the result is the single-threaded one bit for bit. Byte data (<see cref="Dataset.HasBytes"/>) is read as
    /// bytes, each row's block widened to float64 in a small buffer before the same kernels run on it: the same values
    /// in the same order as on <see cref="Dataset.X"/>, so the same mean and scale, without the float64 copy. When every
    /// row is fitted and the loader left the bytes' column sums, minima and maxima (<see cref="Dataset.ByteStatistics"/>,
    /// computed inside the IDX reader's gunzip loop), the first pass is taken from them — the same numbers: a float64 sum
    /// of bytes is an exact integer, and a column is constant exactly when its minimum equals its maximum, its mean then
    /// that value (the first row's) — and only the second pass reads the data. The blocks
    /// run as items on the GEMM helper threads (<see cref="GemmThreadPool.RunObjectItems"/>, the threads the training
    /// steps use next), not with <c>Parallel.For</c>: in the CLI the .NET thread pool's first loop cost 6–8 ms before a
    /// block started (its generic code compiled at tier 0, its first worker created), twice the blocks' own work.
    /// Blocks run only from <see cref="ParallelMinimum"/> values, or <see cref="ParallelMinimumSecondPassOnly"/> when only
    /// the second pass is left: that pass alone (MNIST-10k: 0.9 ms on one core) cost more on two threads than on the caller
    /// (in <c>occam train</c> the second core compiles the network's products at that moment), docs/algorithms/startup.md,
    /// "The input pipeline (session 11)".
    /// </summary>
    private static unsafe Standardizer FitInBlocks(Dataset data, int[]? rows)
    {
        int columns = data.Features;
        var statistics = rows is null ? data.ByteStatistics : null;
        if (rows is null)
        {
            rows = new int[data.Rows];
            for (int i = 0; i < rows.Length; i++) rows[i] = i;
        }
        var mean = new double[columns];
        var scale = new double[columns];
        bool[]? constant = null;
        if (statistics is not null)
        {
            constant = new bool[columns];
            double n = rows.Length;
            for (int j = 0; j < columns; j++)
            {
                constant[j] = statistics.Min[j] == statistics.Max[j];
                mean[j] = constant[j] ? statistics.Min[j] : statistics.Sum[j] / n;
            }
        }
        long minimum = constant is null ? ParallelMinimum : ParallelMinimumSecondPassOnly;
        int parts = (long)rows.Length * columns >= minimum ? Math.Min(Gemm.MaxThreads, columns / (2 * BlockAlign)) : 1;
        if (parts <= 1)
        {
            FitBlock(data, rows, 0, columns, mean, scale, constant);
            return new Standardizer(mean, scale);
        }
        GemmThreadPool.RunObjectItems(&FitItem, new BlockFit(data, rows, mean, scale, constant, parts), parts, parts);
        return new Standardizer(mean, scale);
    }

    /// <summary>One Vector512&lt;double&gt;: column blocks start on whole vectors.</summary>
    private const int BlockAlign = 8;

    /// <summary>Values (rows × columns) from which <see cref="FitInBlocks"/> fits both passes in column blocks on several threads.</summary>
    internal const long ParallelMinimum = 1 << 20;

    /// <summary>
    /// Values from which <see cref="FitInBlocks"/> runs the second pass alone (the first one taken from
    /// <see cref="Dataset.ByteStatistics"/>) in column blocks. MNIST-10k's 7.8 M bytes took 2.3 ms on the caller and
    /// 5.2–6.2 ms in two blocks (in process, best of 15, 2 shared vCPUs), and 0.9 ms on the caller since the pass widens
    /// the bytes in registers (<see cref="SquaredDeviations.AddBytes"/>); 16 Mi values are ≈ 2 ms of it on one core.
    /// Whether two threads win above that was not measured.
    /// </summary>
    internal const long ParallelMinimumSecondPassOnly = 1 << 24;

    /// <summary>What the column blocks of <see cref="FitInBlocks"/> share.</summary>
    private sealed record BlockFit(Dataset Data, int[] Rows, double[] Mean, double[] Scale, bool[]? Constant, int Parts);

    /// <summary>Column block <paramref name="part"/> of a <see cref="BlockFit"/> (any thread).</summary>
    private static void FitItem(int part, object state)
    {
        var f = (BlockFit)state;
        int columns = f.Data.Features, parts = f.Parts;
        int first = (int)((long)columns * part / parts) / BlockAlign * BlockAlign;
        int last = part == parts - 1 ? columns : (int)((long)columns * (part + 1) / parts) / BlockAlign * BlockAlign;
        FitBlock(f.Data, f.Rows, first, last, f.Mean, f.Scale, f.Constant);
    }

    /// <summary><see cref="FitColumns"/> for columns <paramref name="first"/>..<paramref name="last"/>−1 of the data's own storage.</summary>
    private static void FitBlock(Dataset data, int[] rows, int first, int last, double[] mean, double[] scale, bool[]? constant)
    {
        if (data.HasBytes)
            FitColumns(new ByteRows(data.Bytes.Span, data.Features, first, new double[last - first]), rows, first, last, mean, scale, constant);
        else
            FitColumns(new SpanRows(data.X, data.Features, first, last - first), rows, first, last, mean, scale, constant);
    }

    /// <summary>Columns <c>first..first+width−1</c> of row r of a row-major matrix, as float64.</summary>
    private interface IRowBlocks
    {
        ReadOnlySpan<double> Row(int r);

        /// <summary><see cref="SquaredDeviations.Add"/> of row r's columns.</summary>
        void AddSquaredDeviations(int r, ReadOnlySpan<double> mean, Span<double> acc);
    }

    /// <summary>Rows of a float64 matrix, read in place.</summary>
    private readonly ref struct SpanRows(ReadOnlySpan<double> matrix, int columns, int first, int width) : IRowBlocks
    {
        private readonly ReadOnlySpan<double> _matrix = matrix;

        public ReadOnlySpan<double> Row(int r) => _matrix.Slice(r * columns + first, width);

        public void AddSquaredDeviations(int r, ReadOnlySpan<double> mean, Span<double> acc) => SquaredDeviations.Add(Row(r), mean, acc);
    }

    /// <summary>Rows of a byte matrix, widened to float64 into one buffer (valid until the next call); the second pass reads the bytes themselves (<see cref="SquaredDeviations.AddBytes"/>: the same bits).</summary>
    private readonly ref struct ByteRows(ReadOnlySpan<byte> matrix, int columns, int first, double[] buffer) : IRowBlocks
    {
        private readonly ReadOnlySpan<byte> _matrix = matrix;

        public ReadOnlySpan<double> Row(int r)
        {
            Numerics.Conversion.WidenBytes.Apply(_matrix.Slice(r * columns + first, buffer.Length), buffer);
            return buffer;
        }

        public void AddSquaredDeviations(int r, ReadOnlySpan<double> mean, Span<double> acc) =>
            SquaredDeviations.AddBytes(_matrix.Slice(r * columns + first, buffer.Length), mean, acc);
    }

    /// <summary>
    /// Both passes for the columns <paramref name="first"/>..<paramref name="last"/>−1 of the listed rows, writing those
    /// columns of <paramref name="mean"/> and <paramref name="scale"/> (the formulas of the class remarks).
    /// <paramref name="source"/> gives those columns of a row. With <paramref name="constant"/> given, the first pass was
    /// done elsewhere: <paramref name="mean"/> holds the means already and <paramref name="constant"/> says which columns
    /// are constant; only the second pass runs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per process: skip tier-0
    private static void FitColumns<TRows>(TRows source, ReadOnlySpan<int> rows, int first, int last,
        double[] mean, double[] scale, bool[]? constant) where TRows : IRowBlocks, allows ref struct
    {
        int w = last - first;
        double n = rows.Length;
        var sum = mean.AsSpan(first, w);
        var acc = scale.AsSpan(first, w);
        Span<bool> same;
        if (constant is null)
        {
            // Pass 1: column sums, and min/max to find constant columns (min == max ⇔ every value equals the first).
            double[] head = source.Row(rows[0]).ToArray();
            var min = (double[])head.Clone();
            var max = (double[])head.Clone();
            foreach (int r in rows)
                ColumnSums.Add(source.Row(r), sum, min, max);
            same = new bool[w];
            for (int j = 0; j < w; j++)
            {
                same[j] = min[j] == max[j];
                sum[j] = same[j] ? head[j] : sum[j] / n;
            }
        }
        else
        {
            same = constant.AsSpan(first, w);
        }

        // Pass 2: squared deviations from the mean.
        foreach (int r in rows)
            source.AddSquaredDeviations(r, sum, acc);
        for (int j = 0; j < w; j++)
        {
            double std = Math.Sqrt(acc[j] / n);
            acc[j] = same[j] || !(std > 0) ? 1.0 : std;
        }
    }

    /// <summary>Standardizes a row-major block of rows (each <paramref name="features"/> wide) in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Transform(Span<double> x, int features)
    {
        if (features != Features)
            throw new ArgumentException($"the data has {features} features but the standardizer was fitted on {Features}.", nameof(features));
        if (x.Length % features != 0)
            throw new ArgumentException($"x has {x.Length} values, not a multiple of {features} features.", nameof(x));
        for (int start = 0; start < x.Length; start += features)
        {
            Span<double> row = x.Slice(start, features);
            for (int j = 0; j < features; j++)
                row[j] = (row[j] - Mean[j]) / Scale[j];
        }
    }

    /// <summary>Undoes <see cref="Transform(Span{double}, int)"/> in place: <c>x_j = z_j·scale_j + mean_j</c>.</summary>
    public void InverseTransform(Span<double> z, int features)
    {
        if (features != Features)
            throw new ArgumentException($"the data has {features} features but the standardizer was fitted on {Features}.", nameof(features));
        if (z.Length % features != 0)
            throw new ArgumentException($"z has {z.Length} values, not a multiple of {features} features.", nameof(z));
        for (int start = 0; start < z.Length; start += features)
        {
            Span<double> row = z.Slice(start, features);
            for (int j = 0; j < features; j++)
                row[j] = row[j] * Scale[j] + Mean[j];
        }
    }

    /// <summary>A standardized copy of <paramref name="data"/> (targets, names and classes unchanged).</summary>
    public Dataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Features != Features)
            throw new ArgumentException($"the data has {data.Features} features but the standardizer was fitted on {Features}.", nameof(data));
        var x = (double[])data.X.Clone();
        Transform(x, data.Features);
        return new Dataset(x, (double[])data.Y.Clone(), data.Rows, data.Features, data.FeatureNames, data.TargetName, data.Task, data.Classes);
    }
}
