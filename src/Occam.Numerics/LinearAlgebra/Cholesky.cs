using System.Diagnostics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// Cholesky factorization A = L·Lᵀ of a symmetric positive definite row-major m × m matrix (in place, lower
/// triangle) and the matching solve. Returns false when a pivot is not positive (A singular or indefinite).
/// </summary>
internal static class Cholesky
{
    /// <remarks>
    /// Row-oriented (Cholesky–Banachiewicz): every inner product runs over two contiguous row prefixes, so it is one
    /// vectorized <see cref="Dot.Compute"/> call (the same sums as the scalar loop up to summation order).
    /// </remarks>
    public static bool Factor(Span<double> a, int m)
    {
        Debug.Assert(a.Length >= m * m);
        for (int j = 0; j < m; j++)
        {
            var rowJ = a.Slice(j * m, j);
            double d = a[j * m + j] - Dot.Compute(rowJ, rowJ);
            if (!(d > 0)) return false;
            double ljj = Math.Sqrt(d);
            a[j * m + j] = ljj;
            for (int i = j + 1; i < m; i++)
                a[i * m + j] = (a[i * m + j] - Dot.Compute(a.Slice(i * m, j), rowJ)) / ljj;
        }
        return true;
    }

    /// <summary>Solves L·Lᵀ·x = b in place in <paramref name="b"/>, given the factor from <see cref="Factor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> l, int m, Span<double> b)
    {
        for (int i = 0; i < m; i++)
            b[i] = (b[i] - Dot.Compute(l.Slice(i * m, i), b[..i])) / l[i * m + i];
        // Lᵀx = y, column by column of Lᵀ (= row by row of L): once xᵢ is known, its terms leave the rows above it in one
        // vectorized axpy over the contiguous row prefix L[i, 0..i).
        for (int i = m - 1; i >= 0; i--)
        {
            double xi = b[i] / l[i * m + i];
            b[i] = xi;
            if (xi != 0) Axpy.Compute(-xi, l.Slice(i * m, i), b[..i]);
        }
    }

    /// <summary>
    /// Given the factor L of an m × m matrix A (from <see cref="Factor"/>), writes in place the factor of A with row and
    /// column <paramref name="k"/> removed, as an (m−1) × (m−1) row-major matrix: its lower triangle compacted (the upper one
    /// is neither read nor kept by these routines), then the
    /// trailing block updated by the rank-one term of the removed column, L₂₂'L₂₂'ᵀ = L₂₂L₂₂ᵀ + xxᵀ with x = L[k+1.., k]
    /// (Givens-style update, Golub and Van Loan §6.5.4): O(m²) instead of a new factorization's m³/6.
    /// <paramref name="scratch"/> needs m − k − 1 values.
    /// </summary>
    public static void DeleteRowColumn(Span<double> l, int m, int k, Span<double> scratch)
    {
        Debug.Assert(k >= 0 && k < m && l.Length >= m * m && scratch.Length >= m - k - 1);
        int t = m - k - 1;
        var x = scratch[..t];
        for (int a = 0; a < t; a++) x[a] = l[(k + 1 + a) * m + k];
        int q = m - 1;
        // Compaction of the lower triangle (the only part any routine here reads) in increasing row order: every
        // destination index is at most its source index, and a row's destination ends before the next row's source.
        for (int i = 1; i < m; i++)
        {
            if (i < k) l.Slice(i * m, i + 1).CopyTo(l.Slice(i * q, i + 1));
            else if (i > k)
            {
                l.Slice(i * m, k).CopyTo(l.Slice((i - 1) * q, k));
                l.Slice(i * m + k + 1, i - k).CopyTo(l.Slice((i - 1) * q + k, i - k));
            }
        }
        for (int a = 0; a < t; a++)
        {
            int i = k + a;
            double lii = l[i * q + i], xa = x[a];
            double r = Math.Sqrt(lii * lii + xa * xa);
            double cos = r / lii, sin = xa / lii;
            l[i * q + i] = r;
            for (int b = a + 1; b < t; b++)
            {
                int j = k + b;
                double v = (l[j * q + i] + sin * x[b]) / cos;
                l[j * q + i] = v;
                x[b] = cos * x[b] - sin * v;
            }
        }
    }
    /// <summary>
    /// Given the factor L of an m × m matrix A (row-major, stride m, from <see cref="Factor"/>), writes in place the factor
    /// of the (m+1) × (m+1) matrix [A, b; bᵀ, d] (row-major, stride m + 1; <paramref name="l"/> needs (m+1)² values):
    /// rows re-strided, then the new row ℓ solves L·ℓ = b (forward substitution) and its diagonal is √(d − ‖ℓ‖²).
    /// O(m²) instead of a new factorization's m³/6. Returns false (factor unspecified) when d − ‖ℓ‖² ≤ 1e-12·d, the
    /// bordered matrix not positive definite to rounding. <paramref name="b"/> is overwritten with ℓ.
    /// </summary>
    public static bool Append(Span<double> l, int m, Span<double> b, double d)
    {
        Debug.Assert(l.Length >= (m + 1) * (m + 1) && b.Length >= m);
        // Re-stride from the last row down: row i moves to a higher offset, never over a row not yet moved.
        for (int i = m - 1; i > 0; i--)
            l.Slice(i * m, i + 1).CopyTo(l.Slice(i * (m + 1), i + 1));
        var row = b[..m];
        for (int i = 0; i < m; i++)
            row[i] = (row[i] - Dot.Compute(l.Slice(i * (m + 1), i), row[..i])) / l[i * (m + 1) + i];
        double e = d - Dot.Compute(row, row);
        if (!(e > 1e-12 * d)) return false;
        row.CopyTo(l.Slice(m * (m + 1), m));
        l[m * (m + 1) + m] = Math.Sqrt(e);
        return true;
    }
}
