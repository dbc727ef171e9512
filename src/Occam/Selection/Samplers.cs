using Occam.Numerics.Random;

namespace Occam.Selection;

/// <summary>Which trials a sweep runs.</summary>
public enum SamplerKind
{
    /// <summary>Every point of the grid (ranges need counts), first dimension outermost.</summary>
    Grid,
    /// <summary><see cref="SamplerSettings.Trials"/> points drawn independently from the space (ranges: log-uniform or uniform; lists: uniform).</summary>
    Random,
    /// <summary>Synchronous successive halving on epochs (Jamieson and Talwalkar 2016; one bracket of Hyperband, Li et al. 2018).</summary>
    Halving,
}

/// <summary>The sampler of a sweep: its kind, trial count (random, halving), reduction factor η (halving) and seed.</summary>
public sealed record SamplerSettings
{
    public SamplerKind Kind { get; init; } = SamplerKind.Grid;

    /// <summary>Random: trials to draw. Halving: configurations in the first rung (n₀ ≥ η). Default 20.</summary>
    public int Trials { get; init; } = 20;

    /// <summary>Halving: each rung keeps the best ⌊n/η⌋ and trains them η times longer. Default 3.</summary>
    public int Eta { get; init; } = 3;

    /// <summary>Seed of the random draws (random, halving).</summary>
    public ulong Seed { get; init; }

    /// <summary>The name used on the command line and in studies (grid, random, halving).</summary>
    public string Name => Kind.ToString().ToLowerInvariant();
}

/// <summary>
/// Turns a search space into trial plans. <see cref="Plans"/> is a pure function of the study's trials: given the same
/// records it returns the same plans, so any worker may add them (<see cref="IStudyStore.AddTrials"/> ignores plans that
/// exist) and the study does not depend on scheduling.
/// </summary>
public abstract class Sampler
{
    /// <summary>The largest grid a sweep accepts.</summary>
    public const int MaxTrials = 100_000;

    private protected Sampler(SearchSpace space, TrainingRecipe recipe)
    {
        Space = space;
        Recipe = recipe;
    }

    protected SearchSpace Space { get; }

    protected TrainingRecipe Recipe { get; }

    /// <summary>Every trial that should exist given the trials recorded so far (<paramref name="trials"/>, any order).</summary>
    public abstract IReadOnlyList<TrialPlan> Plans(IReadOnlyList<TrialRecord> trials);

    /// <summary>Creates the sampler <paramref name="settings"/> describe; bad combinations are <see cref="OccamException"/>s naming the option.</summary>
    public static Sampler Create(SamplerSettings settings, SearchSpace space, TrainingRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(recipe);
        if (settings.Kind != SamplerKind.Grid && settings.Trials < 1)
            throw OccamException.Usage($"--trials must be >= 1 (got {settings.Trials}).");
        if (settings.Trials > MaxTrials) throw OccamException.Usage($"--trials {settings.Trials} is more than {MaxTrials}; split the sweep.");
        return settings.Kind switch
        {
            SamplerKind.Grid => new GridSampler(space, recipe),
            SamplerKind.Random => new RandomSampler(space, recipe, settings.Trials, settings.Seed),
            _ => new HalvingSampler(space, recipe, settings.Trials, settings.Eta, settings.Seed),
        };
    }

    /// <summary>A plan for <paramref name="settings"/> with the epochs the recipe gives them as budget.</summary>
    private protected TrialPlan PlanOf(int number, TrialSettings settings) =>
        new(number, settings.ToJson(), Recipe.With(settings).Epochs, null);
}

/// <summary>Every grid point, numbered 1.. in grid order.</summary>
internal sealed class GridSampler : Sampler
{
    private readonly TrialPlan[] _plans;

    public GridSampler(SearchSpace space, TrainingRecipe recipe) : base(space, recipe)
    {
        foreach (var d in space.Dimensions)
            if (d is RangeDimension { Count: null } r)
                throw OccamException.Usage($"--search {d.Parameter.Name()}={r.Text()} has no count; the grid sampler needs one, e.g. {d.Parameter.Name()}={(r.IsLog ? "log" : "lin")}({RangeDimension.Format(r.Min)},{RangeDimension.Format(r.Max)},5), or use --sampler random.");
        if (space.GridSize > MaxTrials) throw OccamException.Usage($"the grid has {space.GridSize} points, more than {MaxTrials}; use fewer values or --sampler random.");
        _plans = space.Grid().Select((s, i) => PlanOf(i + 1, s)).ToArray();
    }

    public override IReadOnlyList<TrialPlan> Plans(IReadOnlyList<TrialRecord> trials) => _plans;
}

/// <summary><c>n</c> independent draws, trial i from the i-th draw of one seeded stream.</summary>
internal sealed class RandomSampler : Sampler
{
    private readonly TrialPlan[] _plans;

    public RandomSampler(SearchSpace space, TrainingRecipe recipe, int trials, ulong seed) : base(space, recipe)
    {
        var rng = new Rng(seed);
        _plans = Enumerable.Range(1, trials).Select(i => PlanOf(i, space.Sample(rng))).ToArray();
    }

    public override IReadOnlyList<TrialPlan> Plans(IReadOnlyList<TrialRecord> trials) => _plans;
}

/// <summary>
/// Synchronous successive halving (Jamieson and Talwalkar, "Non-stochastic Best Arm Identification and Hyperparameter
/// Optimization", AISTATS 2016; the rungs of one Hyperband bracket, Li et al., JMLR 18(185), 2018) with epochs as the
/// budget. n₀ configurations are drawn as by the random sampler; there are R = ⌊log_η n₀⌋ + 1 rungs; rung i holds
/// n_i = ⌊n₀/η^i⌋ trials trained from scratch for r_i = E·η^(i−R+1) epochs (E = the recipe's epochs, the last rung's
/// budget). Rung i+1 is planned only once every trial of rung i has finished (complete or failed): it takes the n_(i+1)
/// complete trials with the lowest objective, ties broken by the lower trial number, so promotions depend only on
/// results, never on timing. Trials are numbered rung after rung; a promoted trial records the trial it came from.
/// </summary>
internal sealed class HalvingSampler : Sampler
{
    private readonly int[] _sizes;
    private readonly int[] _budgets;
    private readonly TrialPlan[] _first;

    public HalvingSampler(SearchSpace space, TrainingRecipe recipe, int trials, int eta, ulong seed) : base(space, recipe)
    {
        if (space.Find(HyperParameter.Epochs) is not null)
            throw OccamException.Usage("--search epochs: epochs are the budget of successive halving; fix the last rung's epochs with --epochs instead.");
        if (eta < 2) throw OccamException.Usage($"--eta must be >= 2 (got {eta}).");
        if (trials < eta) throw OccamException.Usage($"--trials {trials} is less than --eta {eta}: successive halving needs at least eta configurations in its first rung.");
        var sizes = new List<int>();
        for (long n = trials; n >= 1; n /= eta) sizes.Add((int)n);
        _sizes = sizes.ToArray();
        int rungs = _sizes.Length;
        double shrink = Math.Pow(eta, rungs - 1);
        if (recipe.Epochs < shrink)
            throw OccamException.Usage($"--epochs {recipe.Epochs} is too few for {rungs} rungs with --eta {eta}: the first rung would train for {recipe.Epochs}/{shrink} < 1 epoch; use --epochs >= {shrink} or fewer --trials.");
        _budgets = Enumerable.Range(0, rungs).Select(i => (int)Math.Round(recipe.Epochs / Math.Pow(eta, rungs - 1 - i))).ToArray();
        var rng = new Rng(seed);
        _first = Enumerable.Range(1, trials).Select(i => PlanOf(i, space.Sample(rng)) with { Budget = _budgets[0] }).ToArray();
    }

    /// <summary>Trials per rung, first to last.</summary>
    public IReadOnlyList<int> RungSizes => _sizes;

    /// <summary>Epochs per rung, first to last.</summary>
    public IReadOnlyList<int> RungBudgets => _budgets;

    public override IReadOnlyList<TrialPlan> Plans(IReadOnlyList<TrialRecord> trials)
    {
        var byNumber = trials.ToDictionary(t => t.Number);
        var plans = new List<TrialPlan>(_first);
        var rung = _first;
        int next = _first.Length + 1;
        for (int i = 0; i + 1 < _sizes.Length; i++)
        {
            var done = new List<TrialRecord>(rung.Length);
            foreach (var p in rung)
            {
                if (!byNumber.TryGetValue(p.Number, out var t) || t.State is not (TrialState.Complete or TrialState.Failed)) return plans;
                if (t.State == TrialState.Complete) done.Add(t);
            }
            int start = next;
            rung = done.OrderBy(t => double.IsNaN(t.Result!.Objective) ? double.PositiveInfinity : t.Result.Objective).ThenBy(t => t.Number).Take(_sizes[i + 1])
                .Select((t, j) => new TrialPlan(start + j, t.SettingsJson, _budgets[i + 1], t.Number)).ToArray();
            plans.AddRange(rung);
            next += _sizes[i + 1];
        }
        return plans;
    }
}
