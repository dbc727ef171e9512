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
        for (int i = m - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < m; k++) s -= l[k * m + i] * b[k];
            b[i] = s / l[i * m + i];
        }
    }
}
