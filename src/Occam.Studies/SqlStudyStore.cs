using System.Data.Common;
using System.Globalization;
using Occam.Selection;

namespace Occam.Studies;

/// <summary>
/// The study-store logic shared by SQLite and PostgreSQL: one schema (<see cref="StudySchema"/>), the same
/// transactions for claim, heartbeat, complete and fail, the same keyset-paged reads. Each dialect supplies how a
/// write transaction is opened (SQLite: <c>BEGIN IMMEDIATE</c>; PostgreSQL: READ COMMITTED with retries on transient
/// errors), how claimed rows are locked (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>) and how its errors read.
/// </summary>
/// <remarks>
/// Trial states in the <c>trials</c> table: pending → running → complete | failed. A claim whose lease lapsed is reported
/// as <see cref="TrialState.Stale"/> by <see cref="ReadTrials"/> until another claim takes it; that claim marks the
/// lapsed attempt <c>stale</c> in <c>attempts</c> and starts a new one. Attempt states: running, complete, failed, stale,
/// superseded (an attempt still running when another attempt of the same trial recorded the result). Times are Unix
/// milliseconds from the <see cref="TimeProvider"/> passed in, so leases can be tested without sleeping.
/// </remarks>
internal abstract class SqlStudyStore : IStudyStore
{
    private volatile bool _ready;

    protected SqlStudyStore(string location, TimeProvider? clock)
    {
        Location = location;
        Clock = clock ?? TimeProvider.System;
    }

    /// <summary>The file path or the URL without its password, for messages.</summary>
    public string Location { get; }

    protected TimeProvider Clock { get; }

    /// <summary><c>FOR UPDATE SKIP LOCKED</c> where the dialect has row locks, else empty.</summary>
    protected abstract string SkipLocked { get; }

    /// <summary><c>FOR UPDATE</c> where the dialect has row locks, else empty.</summary>
    protected abstract string ForUpdate { get; }

    /// <summary>Runs <paramref name="work"/> in one write transaction and commits it.</summary>
    protected abstract T Write<T>(Func<DbConnection, DbTransaction, T> work);

    /// <summary>Runs <paramref name="work"/> on a connection (reads only, no explicit transaction).</summary>
    protected abstract T Read<T>(Func<DbConnection, T> work);

    /// <summary>Names of the tables where the study's tables live (empty when none), checking the place belongs to Occam.</summary>
    protected abstract IReadOnlyList<string> Tables(DbConnection connection, DbTransaction? transaction);

    /// <summary>Called first in the transaction that creates or migrates the schema (PostgreSQL: advisory lock, CREATE SCHEMA).</summary>
    protected virtual void BeforeMigrations(DbConnection connection, DbTransaction transaction) { }

    /// <summary>True when the store's place does not exist yet (an SQLite file not created), so reads need not open it.</summary>
    protected virtual bool Absent => false;

    public StudyInfo Open(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentException.ThrowIfNullOrWhiteSpace(definition.Name);
        ArgumentException.ThrowIfNullOrWhiteSpace(definition.Fingerprint);
        ArgumentNullException.ThrowIfNull(definition.DefinitionJson);
        var info = Write((c, t) =>
        {
            int version = Migrate(c, t);
            var stored = ReadStudy(c, t, version);
            if (stored is null)
            {
                long now = Now();
                Execute(c, t, "INSERT INTO study (id, name, fingerprint, definition_json, created) VALUES (1, @name, @fingerprint, @json, @created)",
                    ("name", definition.Name), ("fingerprint", definition.Fingerprint), ("json", definition.DefinitionJson), ("created", now));
                return new StudyInfo(definition.Name, definition.Fingerprint, definition.DefinitionJson, version,
                    DateTimeOffset.FromUnixTimeMilliseconds(now));
            }
            if (stored.Fingerprint != definition.Fingerprint)
                throw new OccamException(OccamErrorKind.Data,
                    $"{Location}: {StudyDefinitions.Mismatch(stored.Name, stored.DefinitionJson, definition.DefinitionJson)}");
            return stored;
        });
        _ready = true;
        return info;
    }

    public StudyInfo? Read()
    {
        if (Absent) return null;
        var info = Read(c =>
        {
            var tables = Tables(c, null);
            if (tables.Count == 0) return null;
            int version = CheckVersion(InstalledVersion(c, null, tables));
            return ReadStudy(c, null, version);
        });
        if (info is not null) _ready = true;
        return info;
    }

    public void AddTrials(IReadOnlyList<TrialPlan> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        RequireReady();
        foreach (var trial in trials)
        {
            ArgumentNullException.ThrowIfNull(trial, nameof(trials));
            ArgumentOutOfRangeException.ThrowIfNegative(trial.Number, nameof(trials));
            ArgumentNullException.ThrowIfNull(trial.SettingsJson, nameof(trials));
        }
        if (trials.Count == 0) return;
        const int Chunk = 100;
        Write((c, t) =>
        {
            for (int start = 0; start < trials.Count; start += Chunk)
            {
                int count = Math.Min(Chunk, trials.Count - start);
                using var command = Command(c, t, InsertTrials(count));
                for (int i = 0; i < count; i++)
                {
                    var trial = trials[start + i];
                    AddParameter(command, "n" + i.ToString(CultureInfo.InvariantCulture), trial.Number);
                    AddParameter(command, "s" + i.ToString(CultureInfo.InvariantCulture), trial.SettingsJson);
                    AddParameter(command, "b" + i.ToString(CultureInfo.InvariantCulture), trial.Budget);
                    AddParameter(command, "p" + i.ToString(CultureInfo.InvariantCulture), trial.PromotedFrom);
                }
                command.ExecuteNonQuery();
            }
            return 0;
        });
    }

    public TrialClaim? Claim(string worker, TimeSpan lease)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        RequireReady();
        return Write((c, t) =>
        {
            long now = Now();
            if (ReclaimDeadLocalClaims) ExpireDeadLocalClaims(c, t, now);
            int number, attempts, budget;
            string state, settings;
            using (var command = Command(c, t,
                "SELECT number, state, attempts, settings_json, budget FROM trials WHERE state IN ('pending', 'running') "
                + "AND (state = 'pending' OR lease_until <= @now) ORDER BY number LIMIT 1" + SkipLocked, ("now", now)))
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read()) return null;
                number = reader.GetInt32(0);
                state = reader.GetString(1);
                attempts = reader.GetInt32(2);
                settings = reader.GetString(3);
                budget = reader.GetInt32(4);
            }
            if (state == "running")
                Execute(c, t, "UPDATE attempts SET state = 'stale', ended = @now WHERE number = @n AND attempt = @a AND state = 'running'",
                    ("now", now), ("n", number), ("a", attempts));
            int attempt = attempts + 1;
            Execute(c, t, "UPDATE trials SET state = 'running', attempts = @a, worker = @w, lease_until = @until WHERE number = @n",
                ("a", attempt), ("w", worker), ("until", now + LeaseMs(lease)), ("n", number));
            Execute(c, t, "INSERT INTO attempts (number, attempt, worker, state, started, host, pid, pid_start) "
                + "VALUES (@n, @a, @w, 'running', @now, @host, @pid, @start)",
                ("n", number), ("a", attempt), ("w", worker), ("now", now), ("host", LocalProcess.Namespace), ("pid", LocalProcess.Id),
                ("start", LocalProcess.StartTicks));
            return new TrialClaim(number, attempt, worker, settings, budget);
        });
    }

    public bool Heartbeat(TrialClaim claim, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        RequireReady();
        return Write((c, t) => Execute(c, t,
            "UPDATE trials SET lease_until = @until WHERE number = @n AND state = 'running' AND attempts = @a AND worker = @w",
            ("until", Now() + LeaseMs(lease)), ("n", claim.Number), ("a", claim.Attempt), ("w", claim.Worker)) == 1);
    }

    public void Complete(TrialClaim claim, TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(result.MetricsJson);
        Finish(claim, "complete", (c, t, now) => Execute(c, t,
            "UPDATE trials SET state = 'complete', worker = @w, lease_until = NULL, objective = @o, objective_se = @se, "
            + "metrics_json = @m, seconds = @sec, error = NULL, finished = @now WHERE number = @n",
            ("w", claim.Worker), ("o", Real(result.Objective)), ("se", Real(result.ObjectiveSe)), ("m", result.MetricsJson),
            ("sec", Real(result.Seconds)), ("now", now), ("n", claim.Number)), error: null);
    }

    public void Fail(TrialClaim claim, string error)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(error);
        Finish(claim, "failed", (c, t, now) => Execute(c, t,
            "UPDATE trials SET state = 'failed', worker = @w, lease_until = NULL, error = @e, finished = @now WHERE number = @n",
            ("w", claim.Worker), ("e", error), ("now", now), ("n", claim.Number)), error);
    }

    public IReadOnlyList<TrialRecord> ReadTrials(int afterNumber, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        RequireReady();
        return Read(c =>
        {
            long now = Now();
            using var command = Command(c, null,
                "SELECT number, state, settings_json, budget, promoted_from, attempts, worker, lease_until, objective, objective_se, "
                + "metrics_json, seconds, error FROM trials WHERE number > @after ORDER BY number LIMIT @limit",
                ("after", afterNumber), ("limit", limit));
            using var reader = command.ExecuteReader();
            var records = new List<TrialRecord>();
            while (reader.Read())
            {
                string state = reader.GetString(1);
                var trialState = state switch
                {
                    "pending" => TrialState.Pending,
                    "running" => !reader.IsDBNull(7) && reader.GetInt64(7) <= now ? TrialState.Stale : TrialState.Running,
                    "complete" => TrialState.Complete,
                    "failed" => TrialState.Failed,
                    _ => throw new OccamException(OccamErrorKind.Data, $"{Location}: trial {reader.GetInt32(0)} has an unknown state '{state}'"),
                };
                var result = trialState == TrialState.Complete
                    ? new TrialResult(RealOrNaN(reader, 8), RealOrNaN(reader, 9), reader.IsDBNull(10) ? "{}" : reader.GetString(10), RealOrNaN(reader, 11))
                    : null;
                records.Add(new TrialRecord(reader.GetInt32(0), trialState, reader.GetString(2), reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                    result, reader.IsDBNull(12) ? null : reader.GetString(12)));
            }
            return records;
        });
    }

    /// <summary>Every attempt in (number, attempt) order: the history tests and diagnostics read.</summary>
    internal IReadOnlyList<AttemptRow> History() => Read(c =>
    {
        using var command = Command(c, null, "SELECT number, attempt, worker, state, started, ended, error FROM attempts ORDER BY number, attempt");
        using var reader = command.ExecuteReader();
        var rows = new List<AttemptRow>();
        while (reader.Read())
            rows.Add(new AttemptRow(reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        return rows;
    });

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }

    /// <summary>The migrations this store applies (<see cref="StudySchema.Migrations"/>; tests add later ones to check
    /// the upgrade path).</summary>
    internal IReadOnlyList<string> Migrations { get; init; } = StudySchema.Migrations;

    /// <summary>
    /// Whether <see cref="Claim"/> takes, at once, a running trial whose claiming process ran on this machine (the same
    /// pid namespace) and is gone, as if its lease had lapsed (default true; see <see cref="LocalProcess"/>). Lets a
    /// sweep killed with <c>kill -9</c> resume immediately whatever its lease.
    /// </summary>
    internal bool ReclaimDeadLocalClaims { get; set; } = true;

    /// <summary>Ends the lease of every running trial whose claimant ran in this pid namespace and is gone.</summary>
    private void ExpireDeadLocalClaims(DbConnection c, DbTransaction t, long now)
    {
        if (LocalProcess.Namespace is null) return;
        var dead = new List<(int Number, int Attempt)>();
        using (var command = Command(c, t,
            "SELECT t.number, t.attempts, a.pid, a.pid_start FROM trials t JOIN attempts a ON a.number = t.number AND a.attempt = t.attempts "
            + "WHERE t.state IN ('pending', 'running') AND t.state = 'running' AND t.lease_until > @now AND a.host = @host "
            + "AND a.pid IS NOT NULL AND a.pid_start IS NOT NULL" + SkipLocked, ("now", now), ("host", LocalProcess.Namespace)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                if (LocalProcess.IsGone(reader.GetInt32(2), reader.GetInt64(3)))
                    dead.Add((reader.GetInt32(0), reader.GetInt32(1)));
        }
        foreach (var (number, attempt) in dead)
            Execute(c, t, "UPDATE trials SET lease_until = @now WHERE number = @n AND attempts = @a AND state = 'running'",
                ("now", now), ("n", number), ("a", attempt));
    }

    /// <summary>Complete and Fail: the first result stays; a late result of a reclaimed attempt still counts if the
    /// trial is not finished (results depend only on settings and seed), and the attempt then running is superseded.</summary>
    private void Finish(TrialClaim claim, string outcome, Action<DbConnection, DbTransaction, long> recordTrial, string? error)
    {
        RequireReady();
        Write((c, t) =>
        {
            long now = Now();
            string? trialState = Scalar<string>(c, t, "SELECT state FROM trials WHERE number = @n" + ForUpdate, ("n", claim.Number));
            string? attemptState = Scalar<string>(c, t, "SELECT state FROM attempts WHERE number = @n AND attempt = @a AND worker = @w",
                ("n", claim.Number), ("a", claim.Attempt), ("w", claim.Worker));
            if (trialState is null || attemptState is null)
                throw new InvalidOperationException($"{Location}: trial {claim.Number} attempt {claim.Attempt} was never claimed by '{claim.Worker}'");
            if (attemptState is "complete" or "failed") return 0;
            if (trialState is "complete" or "failed")
            {
                // The trial already has its result: keep this attempt in the history only.
                Execute(c, t, "UPDATE attempts SET state = @s, ended = @now, error = @e WHERE number = @n AND attempt = @a",
                    ("s", outcome == "failed" ? "failed" : attemptState == "running" ? "superseded" : attemptState),
                    ("now", now), ("e", error), ("n", claim.Number), ("a", claim.Attempt));
                return 0;
            }
            recordTrial(c, t, now);
            Execute(c, t, "UPDATE attempts SET state = @s, ended = @now, error = @e WHERE number = @n AND attempt = @a",
                ("s", outcome), ("now", now), ("e", error), ("n", claim.Number), ("a", claim.Attempt));
            Execute(c, t, "UPDATE attempts SET state = 'superseded', ended = @now WHERE number = @n AND attempt <> @a AND state = 'running'",
                ("now", now), ("n", claim.Number), ("a", claim.Attempt));
            return 0;
        });
    }

    /// <summary>Creates or migrates the schema inside the caller's transaction; returns the version now installed.</summary>
    private int Migrate(DbConnection c, DbTransaction t)
    {
        BeforeMigrations(c, t);
        var tables = Tables(c, t);
        int installed = tables.Count == 0 ? 0 : CheckVersion(InstalledVersion(c, t, tables));
        for (int version = installed + 1; version <= Migrations.Count; version++)
        {
            Execute(c, t, Migrations[version - 1]);
            Execute(c, t, "INSERT INTO schema_version (version, applied) VALUES (@v, @now)", ("v", version), ("now", Now()));
        }
        return Migrations.Count;
    }

    private int InstalledVersion(DbConnection c, DbTransaction? t, IReadOnlyList<string> tables)
    {
        if (!tables.Contains("schema_version"))
            throw new OccamException(OccamErrorKind.Data,
                $"{Location} holds tables of another program ({string.Join(", ", tables.Take(5))}), not an Occam study; pass another --study");
        return Scalar<int?>(c, t, "SELECT MAX(version) FROM schema_version") ?? 0;
    }

    private int CheckVersion(int installed)
    {
        if (installed > Migrations.Count)
            throw new OccamException(OccamErrorKind.Data,
                $"{Location} has study schema version {installed}, newer than this Occam understands ({Migrations.Count}); update Occam to use it");
        return installed;
    }

    private static StudyInfo? ReadStudy(DbConnection c, DbTransaction? t, int version)
    {
        using var command = Command(c, t, "SELECT name, fingerprint, definition_json, created FROM study WHERE id = 1");
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        return new StudyInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2), version,
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
    }

    private void RequireReady()
    {
        if (!_ready) throw new InvalidOperationException($"{Location}: call Open (or Read, for an existing study) before using the store");
    }

    private long Now() => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static long LeaseMs(TimeSpan lease) => Math.Max(1, (long)Math.Ceiling(lease.TotalMilliseconds));

    /// <summary>NaN is stored as NULL (SQLite cannot store NaN; PostgreSQL does the same for one documented format).</summary>
    private static double? Real(double value) => double.IsNaN(value) ? null : value;

    private static double RealOrNaN(DbDataReader reader, int column) => reader.IsDBNull(column) ? double.NaN : reader.GetDouble(column);

    private static string InsertTrials(int count)
    {
        var sql = new System.Text.StringBuilder("INSERT INTO trials (number, settings_json, budget, promoted_from, state) VALUES ");
        for (int i = 0; i < count; i++)
        {
            if (i > 0) sql.Append(", ");
            sql.Append(CultureInfo.InvariantCulture, $"(@n{i}, @s{i}, @b{i}, @p{i}, 'pending')");
        }
        return sql.Append(" ON CONFLICT (number) DO NOTHING").ToString();
    }

    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Every statement is a constant of this class or StudySchema; values always travel as parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters) AddParameter(command, name, value);
        return command;
    }

    protected static int Execute(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    protected static T? Scalar<T>(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        object? value = command.ExecuteScalar();
        if (value is null or DBNull) return default;
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
    }

    private static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>One row of the <c>attempts</c> table (times in Unix milliseconds).</summary>
internal sealed record AttemptRow(int Number, int Attempt, string Worker, string State, long Started, long? Ended, string? Error);
