using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Occam.Selection;
using Occam.Studies.TestWorker;

namespace Occam.Studies.Tests;

/// <summary>What only the SQLite store does: the file's format and locking, refusing foreign or damaged files, and
/// resuming after a real <c>kill -9</c>.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private static readonly StudyDefinition Definition = new("t", "f1", """{"data":"d"}""");
    private readonly TempFolder _folder = new();

    private string StudyFile => _folder.File("study.db");

    public void Dispose() => _folder.Dispose();

    private static SqliteConnection Raw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public void A_study_file_is_wal_with_occams_application_id_and_schema_version_one()
    {
        using (var store = StudyStores.Open(StudyFile)) store.Open(Definition);
        using var raw = Raw(StudyFile);
        Assert.Equal("wal", Scalar(raw, "PRAGMA journal_mode"));
        Assert.Equal((long)SqliteStudyStore.ApplicationId, Scalar(raw, "PRAGMA application_id"));
        Assert.Equal(1L, Scalar(raw, "SELECT MAX(version) FROM schema_version"));
        Assert.Equal("ok", Scalar(raw, "PRAGMA integrity_check"));
    }

    [Fact]
    public void Read_of_a_missing_file_is_null_and_creates_nothing()
    {
        using var store = StudyStores.Open(StudyFile);
        Assert.Null(store.Read());
        Assert.False(File.Exists(StudyFile));
    }

    [Fact]
    public void A_writer_waits_for_another_process_lock_then_fails_in_one_line_after_the_busy_timeout()
    {
        using (var store = StudyStores.Open(StudyFile)) store.Open(Definition);
        using var slow = new SqliteStudyStore(StudyFile, null, TimeSpan.FromSeconds(1));
        slow.Read();
        using var holder = Raw(StudyFile);
        using (var transaction = holder.BeginTransaction(deferred: false)) // BEGIN IMMEDIATE: holds the write lock
        {
            // Released within the timeout: the write waits and succeeds.
            var release = new Thread(() =>
            {
                Thread.Sleep(300);
                transaction.Commit();
            });
            release.Start();
            slow.AddTrials([new TrialPlan(0, "{}", 1, null)]);
            release.Join();
        }
        Assert.Single(slow.ReadTrials(-1, 10));
        using var held = holder.BeginTransaction(deferred: false);
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<OccamException>(() => slow.AddTrials([new TrialPlan(1, "{}", 1, null)]));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"gave up after {watch.Elapsed}");
        Assert.Equal(OccamErrorKind.InputMissing, e.Kind);
        Assert.Contains("is locked by another process for more than 1 s", e.Message, StringComparison.Ordinal);
        Assert.Contains(StudyFile, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Single(slow.ReadTrials(-1, 10)); // readers are not blocked by the writer (WAL)
    }

    [Fact]
    public void Only_claims_of_gone_processes_in_this_pid_namespace_are_taken_before_their_lease_lapses()
    {
        using var store = StudyStores.Open(StudyFile);
        store.Open(Definition);
        store.AddTrials([new TrialPlan(0, "{}", 1, null), new TrialPlan(1, "{}", 1, null)]);
        var mine = store.Claim("me", TimeSpan.FromHours(1))!;
        var other = store.Claim("other-machine", TimeSpan.FromHours(1))!;
        using (var raw = Raw(StudyFile))
        {
            // Trial 0: this (live) process's pid, but another start time — the pid was reused, the claimant is gone.
            Scalar(raw, $"UPDATE attempts SET pid_start = pid_start - 1 WHERE number = {mine.Number}");
            // Trial 1: claimed in another pid namespace (another machine or container): only its lease can free it.
            Scalar(raw, $"UPDATE attempts SET host = 'elsewhere', pid = 1 WHERE number = {other.Number}");
        }
        using var second = StudyStores.Open(StudyFile);
        second.Read();
        var taken = second.Claim("second", TimeSpan.FromHours(1))!;
        Assert.Equal((0, 2), (taken.Number, taken.Attempt));
        Assert.Null(second.Claim("second", TimeSpan.FromHours(1))); // trial 1 keeps its lease; this process's own claim is alive
        Assert.Equal([(0, 1, "stale"), (0, 2, "running"), (1, 1, "running")],
            ((SqliteStudyStore)second).History().Select(h => (h.Number, h.Attempt, h.State)));
    }

    [Fact]
    public void A_file_that_is_not_sqlite_is_refused_and_left_unchanged()
    {
        File.WriteAllText(StudyFile, "number,settings\n1,{}\n");
        var e = Assert.Throws<OccamException>(() => StudyStores.Open(StudyFile));
        Assert.Equal(OccamErrorKind.Data, e.Kind);
        Assert.Equal($"--study {StudyFile} is not an Occam study file (not an SQLite database); pass another path, or a new file name to start a study", e.Message);
        Assert.Equal("number,settings\n1,{}\n", File.ReadAllText(StudyFile));
    }

    [Fact]
    public void A_damaged_study_file_is_a_one_line_error()
    {
        using (var store = StudyStores.Open(StudyFile))
        {
            store.Open(Definition);
            store.AddTrials(Enumerable.Range(0, 200).Select(n => new TrialPlan(n, new string('x', 100), 1, null)).ToArray());
        }
        Assert.False(File.Exists(StudyFile + "-wal") && new FileInfo(StudyFile + "-wal").Length > 0); // checkpointed on close
        byte[] bytes = File.ReadAllBytes(StudyFile);
        new Random(1).NextBytes(bytes.AsSpan(100, 4000)); // page 1 after the header: the schema's b-tree
        File.WriteAllBytes(StudyFile, bytes);
        using var damaged = StudyStores.Open(StudyFile);
        var e = Assert.Throws<OccamException>(() => damaged.Read());
        Assert.Equal(OccamErrorKind.Data, e.Kind);
        Assert.StartsWith($"{StudyFile} is damaged or not an SQLite database (", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("; restore it from a backup or start a new --study file", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void An_sqlite_file_of_another_program_is_refused()
    {
        using (var raw = Raw(StudyFile))
        using (var command = raw.CreateCommand())
        {
            command.CommandText = "CREATE TABLE users (id integer, name text)";
            command.ExecuteNonQuery();
        }
        using var store = StudyStores.Open(StudyFile);
        var e = Assert.Throws<OccamException>(() => store.Open(Definition));
        Assert.Equal($"{StudyFile} holds tables of another program (users), not an Occam study; pass another --study", e.Message);
        using (var raw = Raw(StudyFile)) Assert.Equal(0L, Scalar(raw, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'trials'"));

        string other = _folder.File("other.db");
        using (var raw = Raw(other)) Scalar(raw, "PRAGMA application_id = 1234");
        using var otherStore = StudyStores.Open(other);
        e = Assert.Throws<OccamException>(() => otherStore.Read());
        Assert.Equal($"{other} is an SQLite database of another program (application_id 0x000004D2), not an Occam study; pass another --study file", e.Message);
    }

    [Fact]
    public void A_newer_schema_is_refused()
    {
        using (var store = StudyStores.Open(StudyFile)) store.Open(Definition);
        using (var raw = Raw(StudyFile)) Scalar(raw, "INSERT INTO schema_version (version, applied) VALUES (2, 0)");
        using var newer = StudyStores.Open(StudyFile);
        var e = Assert.Throws<OccamException>(() => newer.Open(Definition));
        Assert.Equal(OccamErrorKind.Data, e.Kind);
        Assert.Equal($"{StudyFile} has study schema version 2, newer than this Occam understands (1); update Occam to use it", e.Message);
        Assert.Throws<OccamException>(() => newer.Read());
    }

    [Fact]
    public void Folders_and_missing_folders_are_refused_before_anything_is_written()
    {
        var e = Assert.Throws<OccamException>(() => StudyStores.Open(_folder.Path));
        Assert.Equal(OccamErrorKind.InputMissing, e.Kind);
        Assert.StartsWith($"--study {_folder.Path} is a folder; pass a study file", e.Message, StringComparison.Ordinal);
        string missing = Path.Combine(_folder.Path, "no", "study.db");
        e = Assert.Throws<OccamException>(() => StudyStores.Open(missing));
        Assert.Equal(OccamErrorKind.Output, e.Kind);
        Assert.Equal($"--study {missing}: the folder {Path.GetDirectoryName(missing)} does not exist; create it or pass another path", e.Message);
    }

    /// <summary>
    /// The check: kill -9 in the middle of a sweep, run the same command again: no finished trial lost, none
    /// duplicated, the running ones re-run. Three real worker processes are killed with SIGKILL — two in the middle of
    /// a trial, one at an arbitrary moment (possibly inside a transaction) — then a fourth finishes the study at once:
    /// the leases are 10 minutes, so the killed trials are re-run because their claimant's pid is gone.
    /// </summary>
    [Fact]
    public void A_sweep_killed_with_sigkill_resumes_without_losing_or_duplicating_trials()
    {
        const int Trials = 40, LeaseMs = 600_000, WorkMs = 25; // a 10-minute lease: the dead claimant's pid is what frees its trial
        var finishedBefore = new Dictionary<int, int>(); // trial → attempts, for trials finished before a kill
        var killedMidTrial = new List<int>();
        for (int round = 0; round < 3; round++)
        {
            using var worker = new WorkerProcess(StudyFile, Trials, "w" + round, LeaseMs, WorkMs, hangAfter: round < 2 ? 4 : null);
            worker.WaitFor(l => l == "ready", TimeSpan.FromSeconds(60));
            if (round < 2)
            {
                // The worker completes 4 trials, claims a fifth and never finishes it: killed mid-trial.
                for (int done = 0; done < 4; done++) worker.WaitFor(l => l.StartsWith("done ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
                string claimed = worker.WaitFor(l => l.StartsWith("claimed ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
                worker.Kill();
                killedMidTrial.Add(int.Parse(claimed.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                Thread.Sleep(150 + Random.Shared.Next(100));
                worker.Kill(); // anywhere, possibly inside a write transaction
            }
            using var store = new SqliteStudyStore(StudyFile, null);
            Assert.NotNull(store.Read());
            var trials = StoreContractTests.All(store);
            Assert.Equal(Enumerable.Range(0, Trials), trials.Select(t => t.Number)); // the plan survives
            foreach (var (number, attempts) in finishedBefore)
                Assert.Equal((TrialState.Complete, attempts), (trials[number].State, trials[number].Attempts)); // nothing finished is lost or re-run
            foreach (var t in trials.Where(t => t.State == TrialState.Complete))
            {
                Assert.Equal(TestStudy.Result(t.Number), t.Result);
                finishedBefore[t.Number] = t.Attempts;
            }
            using var raw = Raw(StudyFile);
            Assert.Equal("ok", Scalar(raw, "PRAGMA integrity_check"));
        }
        Assert.Equal(2, killedMidTrial.Count);
        Assert.All(killedMidTrial, n => Assert.False(finishedBefore.ContainsKey(n) && finishedBefore[n] == 1, $"trial {n} was killed mid-run"));

        using (var last = new WorkerProcess(StudyFile, Trials, "final", LeaseMs, WorkMs))
            Assert.Equal(0, last.WaitForExit(TimeSpan.FromSeconds(90)));

        using var final = new SqliteStudyStore(StudyFile, null);
        final.Read();
        var all = StoreContractTests.All(final);
        Assert.All(all, t => Assert.Equal((TrialState.Complete, TestStudy.Result(t.Number)), (t.State, t.Result)));
        var history = final.History();
        // Exactly one finished attempt per trial; every other attempt is one a kill interrupted (stale).
        Assert.All(history.GroupBy(a => a.Number), g => Assert.Equal(1, g.Count(a => a.State == "complete")));
        Assert.All(history, a => Assert.Contains(a.State, new[] { "complete", "stale" }));
        foreach (int n in killedMidTrial)
        {
            var attempts = history.Where(a => a.Number == n).ToArray();
            Assert.True(attempts.Length >= 2, $"trial {n} was killed mid-run but has {attempts.Length} attempt(s)");
            Assert.Equal("stale", attempts[0].State);
            Assert.Equal("complete", attempts[^1].State);
        }
        foreach (var (number, attempts) in finishedBefore) Assert.Equal(attempts, all[number].Attempts);
    }
}
