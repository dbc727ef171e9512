namespace Occam.Selection;

/// <summary>The candidates a cross-validation picks: the best one and the one-standard-error choice (indices into the candidates).</summary>
/// <param name="Best">The candidate with the lowest mean error (on ties, the one earliest in the regularization order).</param>
/// <param name="OneSe">The most regularized candidate whose mean error is at most mean(best) + se(best).</param>
/// <param name="Threshold">mean(best) + se(best).</param>
public sealed record OneSeChoice(int Best, int OneSe, double Threshold);

/// <summary>
/// The one-standard-error rule (Breiman, Friedman, Olshen, Stone, "Classification and Regression Trees", 1984, §3.4.3;
/// Hastie, Tibshirani, Friedman, "The Elements of Statistical Learning", 2nd ed., §7.10): among candidates with mean
/// cross-validated error m_i and standard error s_i, let b = argmin m_i; choose the most regularized candidate i with
/// m_i ≤ m_b + s_b. "Most regularized" is an order the caller gives (most regularized first): for one penalty λ it is
/// descending λ, so the rule picks the <em>largest</em> λ within one SE (glmnet's <c>lambda.1se</c>). The one home
/// of the rule: linear cross-validation (<see cref="Linear.CrossValidation"/>) and sweeps use it.
/// See docs/algorithms/model-selection.md.
/// </summary>
public static class OneStandardError
{
    /// <summary>
    /// Applies the rule to candidates listed most regularized first (index 0 = most regularized): the best is the lowest
    /// mean (the earliest on ties), the choice the earliest candidate within one SE of it. NaN means are never chosen.
    /// </summary>
    public static OneSeChoice Choose(IReadOnlyList<double> mean, IReadOnlyList<double> se)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(se);
        if (mean.Count != se.Count) throw new ArgumentException($"{mean.Count} means but {se.Count} standard errors.", nameof(se));
        int best = -1;
        for (int i = 0; i < mean.Count; i++)
            if (!double.IsNaN(mean[i]) && (best < 0 || mean[i] < mean[best])) best = i;
        if (best < 0) throw new ArgumentException("no candidate has a finite mean error.", nameof(mean));
        double threshold = mean[best] + (double.IsNaN(se[best]) ? 0 : se[best]);
        int oneSe = best;
        for (int i = 0; i < best; i++)
            if (mean[i] <= threshold) { oneSe = i; break; }
        return new OneSeChoice(best, oneSe, threshold);
    }

    /// <summary>
    /// Mean and standard error of per-fold values e_1..e_K: mean = (1/K)·Σ e_k, se = sd/√K with the sample standard
    /// deviation sd = √(Σ (e_k − mean)²/(K − 1)) (glmnet's <c>cvsd</c> without fold weights); se = 0 for one value.
    /// </summary>
    public static (double Mean, double Se) MeanAndSe(ReadOnlySpan<double> values)
    {
        int k = values.Length;
        if (k == 0) throw new ArgumentException("no values to average.", nameof(values));
        double sum = 0;
        foreach (double v in values) sum += v;
        double mean = sum / k;
        if (k == 1) return (mean, 0);
        double ss = 0;
        foreach (double v in values) ss += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(ss / (k - 1) / k));
    }

    /// <summary>
    /// Applies the rule to candidates in any order: <paramref name="moreRegularizedFirst"/> orders two candidate indices
    /// (negative when the first is more regularized); the returned indices are into the original lists.
    /// </summary>
    public static OneSeChoice Choose(IReadOnlyList<double> mean, IReadOnlyList<double> se, Comparison<int> moreRegularizedFirst)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(se);
        ArgumentNullException.ThrowIfNull(moreRegularizedFirst);
        var order = Enumerable.Range(0, mean.Count).ToArray();
        Array.Sort(order, (a, b) => moreRegularizedFirst(a, b) is var c and not 0 ? c : a.CompareTo(b));
        var c = Choose(order.Select(i => mean[i]).ToArray(), order.Select(i => se[i]).ToArray());
        return new OneSeChoice(order[c.Best], order[c.OneSe], c.Threshold);
    }
}
