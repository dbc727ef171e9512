namespace Occam.Selection;

/// <summary>Where a sweep's trials live: every trial is recorded as it finishes, so a sweep can be interrupted,
/// resumed, inspected and shared. Implementations: in-memory (Occam), SQLite and PostgreSQL (Occam.Studies).
/// All methods are safe to call from several threads and processes; all writes are transactional.</summary>
public interface IStudyStore : IDisposable
{
    /// <summary>Opens the study, creating it from <paramref name="definition"/> if the store has none; refuses with an
    /// OccamException (Kind Data) naming what differs when the store holds a study with another Fingerprint
    /// (another dataset, search space, evaluation or folds).</summary>
    StudyInfo Open(StudyDefinition definition);
    /// <summary>The stored study, or null when the store holds none yet (to inspect or join a study without its definition).</summary>
    StudyInfo? Read();
    /// <summary>Adds trials that are not there yet (matched by Number); existing ones are left as they are.</summary>
    void AddTrials(IReadOnlyList<TrialPlan> trials);
    /// <summary>Atomically claims one runnable trial for <paramref name="worker"/>: a pending one, or a running one whose
    /// lease has lapsed (that attempt is then recorded as stale). Null when none is runnable now.</summary>
    TrialClaim? Claim(string worker, TimeSpan lease);
    /// <summary>Extends the claim's lease; false when the trial is no longer this claim's (reclaimed or finished).</summary>
    bool Heartbeat(TrialClaim claim, TimeSpan lease);
    /// <summary>Records the result; recording the same trial twice is harmless (the first result stays).</summary>
    void Complete(TrialClaim claim, TrialResult result);
    /// <summary>Records that the attempt failed with an error (kept in the history; the trial is not retried).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords",
        Justification = "The study-store contract is shared verbatim with Occam.Studies; 'error' is the agreed name (VB's Error statement is not a concern for this library).")]
    void Fail(TrialClaim claim, string error);
    /// <summary>Trials in Number order with Number &gt; <paramref name="afterNumber"/>, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<TrialRecord> ReadTrials(int afterNumber, int limit);
}

/// <summary>What identifies a study. DefinitionJson holds the search space, evaluation (holdout/k-fold, folds, seeds),
/// metric, fixed training settings and the dataset's hash; Fingerprint is a hash of it.</summary>
public sealed record StudyDefinition(string Name, string Fingerprint, string DefinitionJson);
public sealed record StudyInfo(string Name, string Fingerprint, string DefinitionJson, int SchemaVersion, DateTimeOffset Created);
/// <summary>One trial to run: its settings as JSON, the budget (e.g. epochs, for successive halving) and the trial it
/// was promoted from, if any.</summary>
public sealed record TrialPlan(int Number, string SettingsJson, int Budget, int? PromotedFrom);
public sealed record TrialClaim(int Number, int Attempt, string Worker, string SettingsJson, int Budget);
/// <summary>Objective = the value the sampler minimizes (e.g. mean validation loss), with its standard error over
/// folds; MetricsJson holds every recorded metric.</summary>
public sealed record TrialResult(double Objective, double ObjectiveSe, string MetricsJson, double Seconds);
public enum TrialState { Pending, Running, Complete, Failed, Stale }
public sealed record TrialRecord(int Number, TrialState State, string SettingsJson, int Budget, int? PromotedFrom,
    int Attempts, string? Worker, TrialResult? Result, string? Error);
