namespace Occam.Selection;

/// <summary>
/// An <see cref="IStudyStore"/> held in memory (one lock around every call): for tests, and for sweeps that need no
/// record beyond the process. Leases are read from the <see cref="TimeProvider"/> passed in, so tests move time
/// instead of sleeping. A running trial whose lease has lapsed reads as <see cref="TrialState.Stale"/> until it is
/// claimed again; the lapsed attempt stays in <see cref="History"/>.
/// </summary>
public sealed class InMemoryStudyStore : IStudyStore
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly SortedDictionary<int, Entry> _trials = [];
    private readonly List<AttemptRecord> _history = [];
    private StudyInfo? _study;

    /// <summary>A store that reads lease times from <paramref name="clock"/> (default the system clock).</summary>
    public InMemoryStudyStore(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    /// <summary>One attempt at a trial: who ran it, how it ended (Complete, Failed, Stale, or Running while it runs).</summary>
    public sealed record AttemptRecord(int Number, int Attempt, string Worker, TrialState Outcome);

    /// <summary>Every attempt so far, in the order they were claimed.</summary>
    public IReadOnlyList<AttemptRecord> History
    {
        get
        {
            lock (_gate) return _history.ToArray();
        }
    }

    public StudyInfo Open(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        lock (_gate)
        {
            if (_study is null)
            {
                _study = new StudyInfo(definition.Name, definition.Fingerprint, definition.DefinitionJson, 1, _clock.GetUtcNow());
                return _study;
            }
            if (_study.Fingerprint != definition.Fingerprint)
                throw new OccamException(StudyDefinitions.Mismatch(_study.Name, _study.DefinitionJson, definition.DefinitionJson));
            return _study;
        }
    }

    public StudyInfo? Read()
    {
        lock (_gate) return _study;
    }

    public void AddTrials(IReadOnlyList<TrialPlan> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        lock (_gate)
        {
            if (_study is null) throw new InvalidOperationException("open the study before adding trials.");
            foreach (var t in trials)
                _trials.TryAdd(t.Number, new Entry(t));
        }
    }

    public TrialClaim? Claim(string worker, TimeSpan lease)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            foreach (var e in _trials.Values)
            {
                bool lapsed = e.State == TrialState.Running && e.LeaseUntil <= now;
                if (e.State != TrialState.Pending && !lapsed) continue;
                if (lapsed) MarkAttempt(e, TrialState.Stale);
                e.State = TrialState.Running;
                e.Attempts++;
                e.Worker = worker;
                e.LeaseUntil = now + lease;
                _history.Add(new AttemptRecord(e.Plan.Number, e.Attempts, worker, TrialState.Running));
                return new TrialClaim(e.Plan.Number, e.Attempts, worker, e.Plan.SettingsJson, e.Plan.Budget);
            }
            return null;
        }
    }

    public bool Heartbeat(TrialClaim claim, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(claim);
        lock (_gate)
        {
            if (!Holds(claim, out var e)) return false;
            e.LeaseUntil = _clock.GetUtcNow() + lease;
            return true;
        }
    }

    public void Complete(TrialClaim claim, TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            if (!_trials.TryGetValue(claim.Number, out var e) || e.State is TrialState.Complete or TrialState.Failed) return;
            e.State = TrialState.Complete;
            e.Result = result;
            e.Worker = claim.Worker;
            SetOutcome(claim, TrialState.Complete);
        }
    }

    public void Fail(TrialClaim claim, string error)
    {
        ArgumentNullException.ThrowIfNull(claim);
        lock (_gate)
        {
            if (!_trials.TryGetValue(claim.Number, out var e) || e.State is TrialState.Complete or TrialState.Failed) return;
            e.State = TrialState.Failed;
            e.Error = error;
            e.Worker = claim.Worker;
            SetOutcome(claim, TrialState.Failed);
        }
    }

    public IReadOnlyList<TrialRecord> ReadTrials(int afterNumber, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            return _trials.Values.Where(e => e.Plan.Number > afterNumber).Take(limit).Select(e => new TrialRecord(
                e.Plan.Number, e.State == TrialState.Running && e.LeaseUntil <= now ? TrialState.Stale : e.State,
                e.Plan.SettingsJson, e.Plan.Budget, e.Plan.PromotedFrom, e.Attempts, e.Worker, e.Result, e.Error)).ToArray();
        }
    }

    public void Dispose()
    {
    }

    private bool Holds(TrialClaim claim, out Entry entry) =>
        _trials.TryGetValue(claim.Number, out entry!) && entry.State == TrialState.Running
        && entry.Attempts == claim.Attempt && entry.Worker == claim.Worker;

    private void MarkAttempt(Entry e, TrialState outcome)
    {
        int i = _history.FindLastIndex(a => a.Number == e.Plan.Number && a.Attempt == e.Attempts);
        if (i >= 0) _history[i] = _history[i] with { Outcome = outcome };
    }

    private void SetOutcome(TrialClaim claim, TrialState outcome)
    {
        int i = _history.FindLastIndex(a => a.Number == claim.Number && a.Attempt == claim.Attempt);
        if (i >= 0 && _history[i].Outcome == TrialState.Running) _history[i] = _history[i] with { Outcome = outcome };
    }

    private sealed class Entry(TrialPlan plan)
    {
        public TrialPlan Plan { get; } = plan;
        public TrialState State { get; set; } = TrialState.Pending;
        public int Attempts { get; set; }
        public string? Worker { get; set; }
        public DateTimeOffset LeaseUntil { get; set; }
        public TrialResult? Result { get; set; }
        public string? Error { get; set; }
    }
}
