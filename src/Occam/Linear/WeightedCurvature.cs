using System.Diagnostics;
using System.Numerics.Tensors;
using Occam.Numerics.LinearAlgebra;

namespace Occam.Linear;

/// <summary>
/// The curvature matrix of a logistic Newton step over a column set C at fixed weights ω (docs/algorithms/logistic-regression.md,
/// "Covariance Newton steps"), with X̃ column-major n × p (column j at [j·n, (j + 1)·n)):
/// <code>H = [Σᵢωᵢ, 1ᵀΩX̃_C; X̃_CᵀΩ1, X̃_CᵀΩX̃_C] / n</code>
/// stored row-major with row stride <c>hs</c>: position 0 is the intercept, position a (1 ≤ a ≤ m) the column
/// <c>columns[a]</c>. <see cref="Build"/> computes it with the Gram tile kernel (n(m + 1)²/2 multiply-adds);
/// <see cref="Extend"/> appends columns at the same weights with dot products (n·(m + k) per new column), so that a
/// matrix built for C and extended by F equals, to rounding, the matrix built for C ∪ F.
/// </summary>
internal static class WeightedCurvature
{
    /// <summary>
    /// H over <c>columns[1..m]</c> at the weights ω into <paramref name="h"/> (stride <paramref name="hs"/> ≥ m + 1).
    /// <paramref name="sqrtWeights"/> (length n) and <paramref name="dense"/> ((m + 1)² or more, grown if smaller) are scratch.
    /// </summary>
    public static void Build(double[] x, int n, ReadOnlySpan<int> columns, int m, ReadOnlySpan<double> weights, double[] sqrtWeights, ref double[] dense, double[] h, int hs)
    {
        Debug.Assert(hs >= m + 1 && h.Length >= (m + 1) * hs && columns.Length > m);
        int q = m + 1;
        TensorPrimitives.Sqrt(weights[..n], sqrtWeights.AsSpan(0, n));
        if (dense.Length < q * q) dense = new double[q * q];
        Gram.ComputeColumns(x, n, columns.Slice(1, m), sqrtWeights, appendOnes: true, dense);
        // Gram.ComputeColumns puts the ones column last; H keeps the intercept at position 0.
        double inv = 1.0 / n;
        for (int r = 0; r < q; r++)
        {
            var src = dense.AsSpan(r * q, q);
            var dst = h.AsSpan((r < m ? r + 1 : 0) * hs, q);
            dst[0] = src[m] * inv;
            for (int c = 0; c < m; c++) dst[c + 1] = src[c] * inv;
        }
    }

    /// <summary>
    /// Appends the columns <paramref name="fresh"/> at positions m + 1, …, m + k of H (already holding <c>columns[1..m]</c>
    /// at the weights ω) and writes them into <c>columns[m + 1..m + k]</c>: H[f, c] = Σᵢωᵢx̃ᵢ_f·x̃ᵢc/n and H[f, 0] = Σᵢωᵢx̃ᵢ_f/n.
    /// Up to 8 new columns share one pass over the old ones; <paramref name="scratch"/> (8n, grown if smaller) holds ω∘x̃_f.
    /// </summary>
    public static void Extend(double[] x, int n, int[] columns, int m, ReadOnlySpan<int> fresh, ReadOnlySpan<double> weights, ref double[] scratch, double[] h, int hs)
    {
        const int Block = 8;
        Debug.Assert(hs >= m + fresh.Length + 1 && columns.Length > m + fresh.Length);
        if (scratch.Length < Block * n) scratch = new double[Block * n];
        double inv = 1.0 / n;
        for (int f0 = 0; f0 < fresh.Length; f0 += Block)
        {
            int k = Math.Min(Block, fresh.Length - f0), old = m;
            for (int f = 0; f < k; f++)
            {
                var t = scratch.AsSpan(f * n, n);
                TensorPrimitives.Multiply(weights[..n], x.AsSpan(fresh[f0 + f] * n, n), t);
                int pf = old + 1 + f;
                columns[pf] = fresh[f0 + f];
                double s = TensorPrimitives.Sum(t) * inv;
                h[pf * hs] = s;
                h[pf] = s;
            }
            m += k;
            // The block's rows against every column already in H and against each other (pairs f ≤ c within the block).
            for (int c = 1; c <= m; c++)
            {
                var xc = x.AsSpan(columns[c] * n, n);
                int fEnd = c > old ? c - old : k, f = 0;
                // Two new columns per read of x̃_c: each value has the bits of its own Dot.Compute.
                for (; f + 2 <= fEnd; f += 2)
                {
                    DotColumns.Two(scratch.AsSpan(f * n, n), scratch.AsSpan((f + 1) * n, n), xc, out double d0, out double d1);
                    Set(h, hs, old + 1 + f, c, d0 * inv);
                    Set(h, hs, old + 2 + f, c, d1 * inv);
                }
                if (f < fEnd) Set(h, hs, old + 1 + f, c, Dot.Compute(scratch.AsSpan(f * n, n), xc) * inv);
            }
        }
    }

    private static void Set(double[] h, int hs, int a, int b, double v)
    {
        h[a * hs + b] = v;
        h[b * hs + a] = v;
    }
}
