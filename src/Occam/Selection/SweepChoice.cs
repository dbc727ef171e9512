namespace Occam.Selection;

/// <summary>
/// The trials a sweep picks: <see cref="Best"/> (lowest mean objective) and <see cref="OneSe"/>, the most regularized
/// trial whose mean objective is at most mean(best) + SE(best) (<see cref="OneStandardError"/>). "More regularized" is
/// decided by the first of these keys that differs (docs/algorithms/model-selection.md):
/// (1) the sparsity-inducing penalties searched (l1, elastic-net, group-lasso, l1-ratio), in the order of the search
/// space, larger first — so for one λ the rule picks the largest λ within one SE;
/// (2) the measured sparsity: fewer parameters after pruning, then more exact zeros (means over folds) — so a
/// shrinking regularizer that works against exact zeros (dropout, l2) cannot make the choice less sparse;
/// (3) the other searched parameters with a direction (<see cref="HyperParameters.RegularizationDirection"/>: larger
/// l2/weight-decay/dropout, fewer hidden units and epochs), in the order of the search space;
/// (4) the lower trial number. lr, batch-size, optimizer and activation are not used.
/// Candidates are the complete trials — for successive halving only those of the highest rung any trial completed
/// (earlier rungs had less budget).
/// </summary>
public sealed record SweepChoice(TrialRecord Best, TrialRecord OneSe, double Threshold)
{
    /// <summary>The choice among <paramref name="trials"/>; null when no trial is complete.</summary>
    public static SweepChoice? Of(Sweep sweep, IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(trials);
        var done = trials.Where(t => t.State == TrialState.Complete && t.Result is not null && !double.IsNaN(t.Result.Objective)).OrderBy(t => t.Number).ToList();
        if (done.Count == 0) return null;
        if (sweep.Sampler.Kind == SamplerKind.Halving)
        {
            int top = done.Max(t => t.Budget);
            done = done.Where(t => t.Budget == top).ToList();
        }
        var settings = done.Select(t => TrialSettings.FromJson(t.SettingsJson)).ToArray();
        var metrics = done.Select(t => TrialMetrics.FromJson(t.Result!.MetricsJson)).ToArray();
        var c = OneStandardError.Choose(done.Select(t => t.Result!.Objective).ToArray(), done.Select(t => t.Result!.ObjectiveSe).ToArray(),
            (a, b) => MoreRegularizedFirst(sweep.Space, settings[a], metrics[a], settings[b], metrics[b]));
        return new SweepChoice(done[c.Best], done[c.OneSe], c.Threshold);
    }

    /// <summary>Negative when trial a is more regularized than trial b (the keys of the class remarks), 0 when no key tells them apart.</summary>
    public static int MoreRegularizedFirst(SearchSpace space, TrialSettings a, TrialMetrics? metricsA, TrialSettings b, TrialMetrics? metricsB)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int c = ByParameters(space, a, b, sparsity: true);
        if (c != 0) return c;
        if (metricsA is not null && metricsB is not null)
        {
            c = metricsA.ParametersAfterPruning.CompareTo(metricsB.ParametersAfterPruning);
            if (c != 0) return c;
            c = metricsB.ZeroFraction.CompareTo(metricsA.ZeroFraction);
            if (c != 0) return c;
        }
        return ByParameters(space, a, b, sparsity: false);
    }

    private static int ByParameters(SearchSpace space, TrialSettings a, TrialSettings b, bool sparsity)
    {
        foreach (var d in space.Dimensions)
        {
            int direction = d.Parameter.RegularizationDirection();
            if (direction == 0 || d.Parameter.IsSparsityInducing() != sparsity) continue;
            double x = a[d.Parameter]?.Number ?? double.NaN, y = b[d.Parameter]?.Number ?? double.NaN;
            int c = x.CompareTo(y);
            if (c != 0) return -direction * c;
        }
        return 0;
    }
}
