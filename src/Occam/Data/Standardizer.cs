using System.Runtime.CompilerServices;
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
        return FitInBlocks(data.X, data.Features, null);
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
        CheckRows(data.X.Length, data.Features, rows);
        return FitInBlocks(data.X, data.Features, rows.ToArray());
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
        FitColumns(matrix, columns, rows, 0, columns, mean, scale);
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
    /// so the result is the single-threaded one bit for bit.
    /// </summary>
    private static Standardizer FitInBlocks(double[] matrix, int columns, int[]? rows)
    {
        rows ??= Enumerable.Range(0, matrix.Length / columns).ToArray();
        var mean = new double[columns];
        var scale = new double[columns];
        const int Align = 8;   // one Vector512<double>: blocks start on whole vectors
        int parts = (long)rows.Length * columns >= 1 << 20 ? Math.Min(Environment.ProcessorCount, columns / (2 * Align)) : 1;
        if (parts <= 1)
        {
            FitColumns(matrix, columns, rows, 0, columns, mean, scale);
            return new Standardizer(mean, scale);
        }
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            int first = (int)((long)columns * part / parts) / Align * Align;
            int last = part == parts - 1 ? columns : (int)((long)columns * (part + 1) / parts) / Align * Align;
            FitColumns(matrix, columns, rows, first, last, mean, scale);
        });
        return new Standardizer(mean, scale);
    }

    /// <summary>
    /// Both passes for the columns <paramref name="first"/>..<paramref name="last"/>−1 of the listed rows, writing those
    /// columns of <paramref name="mean"/> and <paramref name="scale"/> (the formulas of the class remarks).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per process: skip tier-0
    private static void FitColumns(ReadOnlySpan<double> matrix, int columns, ReadOnlySpan<int> rows, int first, int last,
        double[] mean, double[] scale)
    {
        int p = columns, w = last - first;
        double n = rows.Length;
        var sum = mean.AsSpan(first, w);
        var acc = scale.AsSpan(first, w);
        // Pass 1: column sums, and min/max to find constant columns (min == max ⇔ every value equals the first).
        ReadOnlySpan<double> head = matrix.Slice(rows[0] * p + first, w);
        var min = head.ToArray();
        var max = head.ToArray();
        foreach (int r in rows)
            ColumnSums.Add(matrix.Slice(r * p + first, w), sum, min, max);
        for (int j = 0; j < w; j++)
            sum[j] = min[j] == max[j] ? head[j] : sum[j] / n;

        // Pass 2: squared deviations from the mean.
        foreach (int r in rows)
            SquaredDeviations.Add(matrix.Slice(r * p + first, w), sum, acc);
        for (int j = 0; j < w; j++)
        {
            double std = Math.Sqrt(acc[j] / n);
            acc[j] = min[j] == max[j] || !(std > 0) ? 1.0 : std;
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
