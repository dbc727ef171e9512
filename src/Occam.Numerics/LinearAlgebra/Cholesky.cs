using System.Diagnostics;

namespace Occam.Numerics.LinearAlgebra;

/// <summary>
/// Cholesky factorization A = L·Lᵀ of a symmetric positive definite row-major m × m matrix (in place, lower
/// triangle) and the matching solve. Returns false when a pivot is not positive (A singular or indefinite).
/// </summary>
internal static class Cholesky
{
    public static bool Factor(Span<double> a, int m)
    {
        Debug.Assert(a.Length >= m * m);
        for (int j = 0; j < m; j++)
        {
            double d = a[j * m + j];
            for (int k = 0; k < j; k++) d -= a[j * m + k] * a[j * m + k];
            if (!(d > 0)) return false;
            double ljj = Math.Sqrt(d);
            a[j * m + j] = ljj;
            for (int i = j + 1; i < m; i++)
            {
                double s = a[i * m + j];
                for (int k = 0; k < j; k++) s -= a[i * m + k] * a[j * m + k];
                a[i * m + j] = s / ljj;
            }
        }
        return true;
    }

    /// <summary>Solves L·Lᵀ·x = b in place in <paramref name="b"/>, given the factor from <see cref="Factor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> l, int m, Span<double> b)
    {
        for (int i = 0; i < m; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * m + k] * b[k];
            b[i] = s / l[i * m + i];
        }
        for (int i = m - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < m; k++) s -= l[k * m + i] * b[k];
            b[i] = s / l[i * m + i];
        }
    }
}
