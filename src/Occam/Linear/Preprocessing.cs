using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using Occam.Numerics;
using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Standardization;

namespace Occam.Linear;

/// <summary>
/// Column statistics used to centre and scale X before solving and to map coefficients back:
/// x̃ᵢⱼ = (xᵢⱼ − meanⱼ)/scaleⱼ, so wⱼ = w̃ⱼ/scaleⱼ and b = ȳ − Σ meanⱼ·wⱼ (Gaussian) in original units.
/// </summary>
internal sealed class ColumnStats
{
    public required double[] Mean { get; init; }
    public required double[] Scale { get; init; }
    /// <summary>Columns left out of the fit with coefficient 0: constant columns with an intercept, all-zero columns without one.</summary>
    public required bool[] Excluded { get; init; }

    /// <summary>
    /// Means (zero when no intercept) and scales (population standard deviation when standardizing, else 1) of the
    /// selected rows. Throws on NaN or infinity.
    /// </summary>
    public static ColumnStats Compute(double[] x, int p, int[] rows, bool center, bool standardize)
    {
        int n = rows.Length;
        var (mean, min, max, scale, excluded) = Allocate(p);
        // Row by row with the standardizer's vectorized kernels: the same sums in the same order as a scalar loop.
        foreach (int r in rows) ColumnSums.Add(x.AsSpan(r * p, p), mean, min, max);
        if (!AllFinite(mean, min, max)) ThrowFirstNonFinite(x, p, rows);
        Finish(mean, min, max, n, center, excluded);
        if (standardize)
        {
            var ss = new double[p];
            foreach (int r in rows) SquaredDeviations.Add(x.AsSpan(r * p, p), mean, ss);
            Scales(ss, excluded, n, scale);
        }
        if (!center) Array.Clear(mean);
        return new ColumnStats { Mean = mean, Scale = scale, Excluded = excluded };
    }

    /// <summary>
    /// <see cref="Compute"/> and <see cref="ColumnMajor(double[], int, int[], double[])"/> in one pass over X, by blocks of
    /// columns small enough to stay in cache (about 256 KB of X): each block's rows are summed (<see cref="ColumnSums"/>,
    /// and <see cref="SquaredDeviations"/> when standardizing), then centred, scaled and transposed into
    /// <paramref name="result"/> while they are still in cache. Every column's statistics come from the same operations in
    /// the same row order as in <see cref="Compute"/>, so the statistics and the copy are the same values as the two
    /// separate passes. <paramref name="onBlock"/>(from, to) runs as soon as columns [from, to) of
    /// <paramref name="result"/> are final (e.g. for their norms, while the block is in cache). With
    /// <paramref name="threads"/> &gt; 1 the columns are split into up to 4·threads contiguous ranges of whole blocks run as
    /// work items on up to that many threads of the GEMM pool (columns are independent: the same values on any number of
    /// threads; <paramref name="onBlock"/> must then accept concurrent calls on disjoint ranges).
    /// </summary>
    public static ColumnStats ComputeColumnMajor(double[] x, int p, int[] rows, bool center, bool standardize, double[] result,
        Action<int, int>? onBlock = null, int threads = 1)
    {
        int n = rows.Length;
        if (result.Length < (long)n * p) throw new ArgumentException("the column-major buffer is too short.", nameof(result));
        var (mean, min, max, scale, excluded) = Allocate(p);
        var ss = standardize ? new double[p] : null;
        int width = Math.Clamp(32768 / Math.Max(n, 1) / 8 * 8, 8, 512);
        threads = Math.Clamp(threads, 1, Math.Max(1, p / width));
        bool finite = true;
        void Range(int from, int to)
        {
            var inv = new double[width];
            for (int j0 = from; j0 < to; j0 += width)
            {
                int w = Math.Min(to - j0, width);
                var sum = mean.AsSpan(j0, w);
                var lo = min.AsSpan(j0, w);
                var hi = max.AsSpan(j0, w);
                foreach (int r in rows) ColumnSums.Add(x.AsSpan(r * p + j0, w), sum, lo, hi);
                if (!AllFinite(sum, lo, hi)) { finite = false; return; }
                var ex = excluded.AsSpan(j0, w);
                Finish(sum, lo, hi, n, center, ex);
                if (ss is not null)
                {
                    var acc = ss.AsSpan(j0, w);
                    foreach (int r in rows) SquaredDeviations.Add(x.AsSpan(r * p + j0, w), sum, acc);
                    Scales(acc, ex, n, scale.AsSpan(j0, w));
                }
                if (!center) sum.Clear();
                for (int j = 0; j < w; j++) inv[j] = 1 / scale[j0 + j];
                // The block's n × w values, centred, scaled and transposed as in ColumnMajor.
                ScaledTranspose.Compute(x, p, rows, j0, w, sum, inv, result.AsSpan(j0 * n, w * n));
                for (int j = j0; j < j0 + w; j++)
                    if (excluded[j]) result.AsSpan(j * n, n).Clear();
                onBlock?.Invoke(j0, j0 + w);
            }
        }
        if (threads == 1) Range(0, p);
        else
        {
            // Contiguous ranges of whole blocks, 4 per thread, run as work items on the GEMM pool: the caller takes over the
            // items of a helper that starts late (fixed halves waited for it).
            int blocks = (p + width - 1) / width;
            var items = new BlockRanges(Range, p, width, blocks, Math.Min(blocks, 4 * threads));
            unsafe { GemmThreadPool.RunObjectItems(&BlockRanges.Run, items, items.Count, threads); }
        }
        if (!finite) ThrowFirstNonFinite(x, p, rows);
        return new ColumnStats { Mean = mean, Scale = scale, Excluded = excluded };
    }

    /// <summary>Item k of <see cref="ComputeColumnMajor"/>'s threaded pass: blocks [k·blocks/count, (k + 1)·blocks/count).</summary>
    private sealed class BlockRanges(Action<int, int> range, int p, int width, int blocks, int count)
    {
        public int Count => count;

        public static void Run(int k, object state) => ((BlockRanges)state).Run(k);

        private void Run(int k) =>
            range((int)Math.Min(p, (long)blocks * k / count * width), (int)Math.Min(p, (long)blocks * (k + 1) / count * width));
    }

    private static (double[] Mean, double[] Min, double[] Max, double[] Scale, bool[] Excluded) Allocate(int p)
    {
        var min = new double[p];
        var max = new double[p];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        var scale = new double[p];
        Array.Fill(scale, 1.0);
        return (new double[p], min, max, scale, new bool[p]);
    }

    /// <summary>A NaN or infinity in X makes its column's min, max or sum non-finite.</summary>
    private static bool AllFinite(ReadOnlySpan<double> sum, ReadOnlySpan<double> min, ReadOnlySpan<double> max)
    {
        for (int j = 0; j < sum.Length; j++)
            if (!double.IsFinite(min[j]) || !double.IsFinite(max[j]) || double.IsNaN(sum[j])) return false;
        return true;
    }

    /// <summary>Sums to means (in place) and the excluded columns.</summary>
    private static void Finish(Span<double> sum, ReadOnlySpan<double> min, ReadOnlySpan<double> max, int n, bool center, Span<bool> excluded)
    {
        for (int j = 0; j < sum.Length; j++) sum[j] /= n;
        // With an intercept a constant column duplicates it and is left out; without one, a constant non-zero column
        // (e.g. a column of ones standing for a penalized bias) is an ordinary feature and only all-zero columns are.
        for (int j = 0; j < sum.Length; j++) excluded[j] = center ? !(max[j] > min[j]) : max[j] == 0 && min[j] == 0;
    }

    /// <summary>Population standard deviations √(ssⱼ/n), 1 for excluded or zero-variance columns.</summary>
    private static void Scales(ReadOnlySpan<double> ss, ReadOnlySpan<bool> excluded, int n, Span<double> scale)
    {
        for (int j = 0; j < ss.Length; j++)
        {
            double s = Math.Sqrt(ss[j] / n);
            scale[j] = excluded[j] || s == 0 ? 1 : s;
        }
    }

    private static void ThrowFirstNonFinite(double[] x, int p, int[] rows)
    {
        foreach (int r in rows)
            for (int j = 0; j < p; j++)
            {
                double v = x[r * p + j];
                if (!double.IsFinite(v))
                    throw new ArgumentException($"x has a non-finite value ({v}) at row {r}, column {j}; remove or impute it first.", nameof(x));
            }
    }

    public IEnumerable<string> ConstantWarnings(string[]? names)
    {
        for (int j = 0; j < Excluded.Length; j++)
            if (Excluded[j])
                yield return $"column '{names?[j] ?? "x" + j}' is constant in the training rows; its coefficient is fixed at 0.";
    }

    /// <summary>Column-major copy (column j at [j·n, (j+1)·n)) of the selected rows, centred and scaled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double[] ColumnMajor(double[] x, int p, int[] rows)
    {
        // Every cell is written (excluded columns as zeros), so the 8·n·p bytes need no zeroing first.
        var result = GC.AllocateUninitializedArray<double>(checked(rows.Length * p));
        ColumnMajor(x, p, rows, result);
        return result;
    }

    /// <summary>The same into <paramref name="result"/> (at least n·p values; e.g. a pooled array).</summary>
    /// <remarks>
    /// By blocks of 256 columns (<see cref="ScaledTranspose"/>: tiles of 8 rows × 8 columns on AVX-512), so that each
    /// block's written lines are complete before they leave the cache.
    /// </remarks>
    public void ColumnMajor(double[] x, int p, int[] rows, double[] result)
    {
        const int Block = 256;
        int n = rows.Length;
        if (result.Length < (long)n * p) throw new ArgumentException("the column-major buffer is too short.", nameof(result));
        var inv = new double[p];
        for (int j = 0; j < p; j++) inv[j] = 1 / Scale[j];
        for (int j0 = 0; j0 < p; j0 += Block)
        {
            int w = Math.Min(Block, p - j0);
            ScaledTranspose.Compute(x, p, rows, j0, w, Mean.AsSpan(j0, w), inv.AsSpan(j0, w), result.AsSpan(j0 * n, w * n));
        }
        for (int j = 0; j < p; j++)
            if (Excluded[j]) result.AsSpan(j * n, n).Clear();
    }

    /// <summary>Maps standardized coefficients back to original units.</summary>
    public double[] Unscale(ReadOnlySpan<double> w)
    {
        var c = new double[w.Length];
        for (int j = 0; j < w.Length; j++) c[j] = Excluded[j] ? 0 : w[j] / Scale[j];
        return c;
    }

    /// <summary>Σⱼ meanⱼ·cⱼ for coefficients c in original units.</summary>
    public double MeanDot(ReadOnlySpan<double> coef) => TensorPrimitives.Dot(Mean, coef);
}

/// <summary>Shared argument checks for the public entry points.</summary>
internal static class Inputs
{
    public static int[] AllRows(int n)
    {
        var r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    public static void Check(double[] x, int rows, int features, double[] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        Preconditions.CheckPositive(rows);
        Preconditions.CheckPositive(features);
        Preconditions.Check((long)rows * features == x.Length, $"x has {x.Length} values; rows × features = {(long)rows * features}. Pass X row-major.", nameof(x));
        Preconditions.Check(y.Length == rows, $"y has {y.Length} values; give one per row ({rows}).", nameof(y));
        for (int i = 0; i < y.Length; i++)
            if (!double.IsFinite(y[i]))
                throw new ArgumentException($"y has a non-finite value ({y[i]}) at row {i}; remove or impute it first.", nameof(y));
    }

    public static void CheckAlpha(double alpha) => Preconditions.CheckNonNegative(alpha, nameof(alpha));
}
