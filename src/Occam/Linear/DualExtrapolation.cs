using System.Diagnostics;
using Occam.Numerics.LinearAlgebra;

namespace Occam.Linear;

/// <summary>
/// Dual extrapolation (Massias, Gramfort, Salmon 2018, "Celer: a fast solver for the Lasso with dual extrapolation",
/// Def. 1): from the last K + 1 residuals r₀ … r_K of coordinate descent (oldest first), with
/// U = [r₁ − r₀, …, r_K − r_{K−1}] (n × K),
///
///     z = (UᵀU)⁻¹·1_K,   c = z / (1ᵀz),   r_acc = Σₖ₌₁..K cₖ·rₖ.
///
/// Once the support and signs are fixed, a coordinate-descent sweep is an affine map r ↦ Tr + b, and r_acc is the
/// vector-extrapolated (Anderson/RRE) limit: exact when the sequence rₜ = r* + Σᵢ λᵢᵗ·vᵢ has fewer than K terms (then
/// Σₖ cₖ(rₖ − rₖ₋₁) = 0 has a solution with Σcₖ = 1; UᵀU gets a ridge of 1e-10·trace/K so that the solve stays defined). The
/// result is only a candidate dual point: the caller measures its dual objective, so a poor extrapolation costs
/// nothing but the evaluation.
/// </summary>
internal static class DualExtrapolation
{
    /// <summary>
    /// Writes r_acc into <paramref name="result"/> (length n) from <paramref name="residuals"/> ((k+1)·n values, residual
    /// t at [t·n, (t+1)·n), oldest first). <paramref name="scratch"/> needs k·n + k·k + k values. Returns false (result
    /// unspecified) when UᵀU + ridge is not positive definite to rounding (UᵀU = 0) or 1ᵀz = 0.
    /// </summary>
    public static bool Compute(ReadOnlySpan<double> residuals, int n, int k, Span<double> result, Span<double> scratch)
    {
        Debug.Assert(residuals.Length >= (k + 1) * n && result.Length >= n && scratch.Length >= k * n + k * k + k);
        var u = scratch[..(k * n)];
        var m = scratch.Slice(k * n, k * k);
        var z = scratch.Slice(k * n + k * k, k);
        for (int t = 0; t < k; t++)
        {
            var d = u.Slice(t * n, n);
            var next = residuals.Slice((t + 1) * n, n);
            var prev = residuals.Slice(t * n, n);
            for (int i = 0; i < n; i++) d[i] = next[i] - prev[i];
        }
        double trace = 0;
        for (int a = 0; a < k; a++)
        {
            for (int b = 0; b <= a; b++)
                m[a * k + b] = m[b * k + a] = Dot.Compute(u.Slice(a * n, n), u.Slice(b * n, n));
            trace += m[a * k + a];
        }
        // Converging coordinate descent makes UᵀU nearly singular; a ridge of 1e-10 of its mean eigenvalue keeps the solve
        // defined and leaves z along the near-null direction, which is the extrapolating one.
        for (int a = 0; a < k; a++) m[a * k + a] += 1e-10 * trace / k;
        if (!Cholesky.Factor(m, k)) return false;
        z.Fill(1);
        Cholesky.Solve(m, k, z);
        double sum = 0;
        for (int t = 0; t < k; t++) sum += z[t];
        if (!(Math.Abs(sum) > 0) || !double.IsFinite(sum)) return false;
        var r = result[..n];
        r.Clear();
        for (int t = 0; t < k; t++) Axpy.Compute(z[t] / sum, residuals.Slice((t + 1) * n, n), r);
        return true;
    }
}
