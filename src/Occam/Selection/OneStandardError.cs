namespace Occam.Selection;

/// <summary>
/// The one-standard-error rule on a one-dimensional grid ordered from the most to the least regularized setting
/// (λ or α descending, as the linear and network paths are): with mean validation errors mᵢ (lower is better) and
/// their standard errors sᵢ,
/// <c>best = argminᵢ mᵢ</c> (the first, i.e. most regularized, on ties) and
/// <c>oneSe = min { i ≤ best : mᵢ ≤ m_best + s_best }</c> — the most regularized setting whose error is within one
/// standard error of the best. For a λ grid in descending order that is the <b>largest</b> such λ, so
/// λ_1se ≥ λ_min always. Reference: Hastie, Tibshirani, Friedman, "The Elements of Statistical Learning", 2nd ed.,
/// §7.10 (Breiman et al. 1984). Used by linear cross-validation and the network λ path; see
/// docs/algorithms/cross-validation.md.
/// </summary>
public static class OneStandardError
{
    /// <summary>The index of the best setting and of the 1-SE choice; see <see cref="OneStandardError"/>.</summary>
    public static (int Best, int OneSe) Choose(IReadOnlyList<double> mean, IReadOnlyList<double> se)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(se);
        if (mean.Count == 0) throw new ArgumentException("the grid is empty: nothing to choose from.", nameof(mean));
        if (se.Count != mean.Count) throw new ArgumentException($"{mean.Count} means but {se.Count} standard errors.", nameof(se));
        int best = 0;
        for (int a = 1; a < mean.Count; a++)
            if (mean[a] < mean[best]) best = a;
        int oneSe = best;
        for (int a = 0; a <= best; a++)
            if (mean[a] <= mean[best] + se[best]) { oneSe = a; break; }
        return (best, oneSe);
    }
}
