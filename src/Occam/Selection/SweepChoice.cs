namespace Occam.Selection;

/// <summary>
/// The trials a sweep picks: <see cref="Best"/> (lowest mean objective) and <see cref="OneSe"/>, the most regularized
/// trial whose mean objective is at most mean(best) + SE(best) (<see cref="OneStandardError"/>). "More regularized"
/// compares trials by the searched hyper-parameters in the order of the search space, each in its regularization
/// direction (<see cref="HyperParameters.RegularizationDirection"/>: larger l1/l2/elastic-net/group-lasso/weight-decay/
/// dropout/l1-ratio first, fewer hidden units and epochs first; lr, batch-size, optimizer and activation are skipped);
/// the first parameter that differs decides, the lower trial number breaks a full tie. Candidates are the complete
/// trials — for successive halving only those of the highest rung any trial completed (earlier rungs had less budget).
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
        var c = OneStandardError.Choose(done.Select(t => t.Result!.Objective).ToArray(), done.Select(t => t.Result!.ObjectiveSe).ToArray(),
            (a, b) => MoreRegularizedFirst(sweep.Space, settings[a], settings[b]));
        return new SweepChoice(done[c.Best], done[c.OneSe], c.Threshold);
    }

    /// <summary>Negative when <paramref name="a"/> is more regularized than <paramref name="b"/> (see the class remarks), 0 when neither.</summary>
    public static int MoreRegularizedFirst(SearchSpace space, TrialSettings a, TrialSettings b)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        foreach (var d in space.Dimensions)
        {
            int direction = d.Parameter.RegularizationDirection();
            if (direction == 0) continue;
            double x = a[d.Parameter]?.Number ?? double.NaN, y = b[d.Parameter]?.Number ?? double.NaN;
            int c = x.CompareTo(y);
            if (c != 0) return -direction * c;
        }
        return 0;
    }
}
