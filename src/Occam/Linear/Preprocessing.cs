using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using Occam.Numerics;
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ColumnStats Compute(double[] x, int p, int[] rows, bool center, bool standardize)
    {
        int n = rows.Length;
        var mean = new double[p];
        var min = new double[p];
        var max = new double[p];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        // Row by row with the standardizer's vectorized kernels: the same sums in the same order as a scalar loop.
        foreach (int r in rows) ColumnSums.Add(x.AsSpan(r * p, p), mean, min, max);
        // A NaN or infinity in X makes its column's min, max or sum non-finite: find the first such cell for the message.
        for (int j = 0; j < p; j++)
            if (!double.IsFinite(min[j]) || !double.IsFinite(max[j]) || double.IsNaN(mean[j]))
                ThrowFirstNonFinite(x, p, rows);
        for (int j = 0; j < p; j++) mean[j] /= n;
        var scale = new double[p];
        Array.Fill(scale, 1.0);
        var excluded = new bool[p];
        // With an intercept a constant column duplicates it and is left out; without one, a constant non-zero column
        // (e.g. a column of ones standing for a penalized bias) is an ordinary feature and only all-zero columns are.
        for (int j = 0; j < p; j++) excluded[j] = center ? !(max[j] > min[j]) : max[j] == 0 && min[j] == 0;
        if (standardize)
        {
            var ss = new double[p];
            foreach (int r in rows) SquaredDeviations.Add(x.AsSpan(r * p, p), mean, ss);
            for (int j = 0; j < p; j++)
            {
                double s = Math.Sqrt(ss[j] / n);
                scale[j] = excluded[j] || s == 0 ? 1 : s;
            }
        }
        if (!center) Array.Clear(mean);
        return new ColumnStats { Mean = mean, Scale = scale, Excluded = excluded };
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
    /// <remarks>
    /// Tiles of 8 rows × 256 columns: each tile reads 8 row pieces of 2 KB and writes 8 consecutive values (one cache
    /// line when n·8 bytes is a multiple of 64) into each of its 256 columns, so the whole tile stays in L1 and every
    /// written line is complete before it leaves; the transpose streams X once (same values: one subtraction and one
    /// multiplication per cell either way).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double[] ColumnMajor(double[] x, int p, int[] rows)
    {
        // Every cell is written (excluded columns as zeros), so the 8·n·p bytes need no zeroing first.
        var result = GC.AllocateUninitializedArray<double>(checked(rows.Length * p));
        ColumnMajor(x, p, rows, result);
        return result;
    }

    /// <summary>The same into <paramref name="result"/> (at least n·p values; e.g. a pooled array).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void ColumnMajor(double[] x, int p, int[] rows, double[] result)
    {
        const int Block = 8, Tile = 256;
        int n = rows.Length;
        if (result.Length < (long)n * p) throw new ArgumentException("the column-major buffer is too short.", nameof(result));
        var inv = new double[p];
        for (int j = 0; j < p; j++) inv[j] = 1 / Scale[j];
        fixed (double* px = x, pr = result, pm = Mean, pi = inv)
        {
            for (int i0 = 0; i0 < n; i0 += Block)
            {
                int i1 = Math.Min(n, i0 + Block);
                for (int j0 = 0; j0 < p; j0 += Tile)
                {
                    int j1 = Math.Min(p, j0 + Tile);
                    for (int i = i0; i < i1; i++)
                    {
                        double* row = px + (long)rows[i] * p;
                        double* dst = pr + i;
                        for (int j = j0; j < j1; j++) dst[(long)j * n] = (row[j] - pm[j]) * pi[j];
                    }
                }
            }
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
