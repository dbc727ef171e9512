using System.Net;
using System.Net.Sockets;
using Npgsql;
using Occam.Selection;
using Occam.Tests.Selection;
using Occam.Studies.TestWorker;

namespace Occam.Studies.Tests;

/// <summary>What only the PostgreSQL store does: many worker processes on one study, dead workers' trials reclaimed,
/// retries on transient errors, schema versioning under concurrency, clear errors for unreachable servers.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresServer server)
{
    private static readonly StudyDefinition Definition = new("t", "f1", """{"data":"d"}""");
    private static readonly RetryPolicy Fast = new(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));

    private static PostgresStudyStore Store(string url, RetryPolicy? retry = null, TimeProvider? clock = null) =>
        new(PostgresUrl.Parse(url), clock, retry);

    private static string SchemaOf(string url) => url[(url.IndexOf("schema=", StringComparison.Ordinal) + 7)..];

    private void Admin(string url, string sql)
    {
        using var connection = new NpgsqlConnection(server.ConnectionString + ";Search Path=" + SchemaOf(url));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private long Count(string url, string sql)
    {
        using var connection = new NpgsqlConnection(server.ConnectionString + ";Search Path=" + SchemaOf(url));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The issue's check: two workers (real processes) on one PostgreSQL study finish a 40-trial sweep with
    /// every trial exactly once — verified from the attempts history.</summary>
    [Fact]
    public void Two_worker_processes_finish_a_40_trial_study_with_every_trial_exactly_once()
    {
        string url = server.Url();
        using (var store = StudyStores.Open(url))
        {
            store.Open(TestStudy.Definition); // created first, so neither worker races the other to create it
            store.AddTrials(TestStudy.Plans(40));
        }
        using var a = new WorkerProcess(url, 40, "a", 60_000, 15, waitForGo: true);
        using var b = new WorkerProcess(url, 40, "b", 60_000, 15, waitForGo: true);
        a.WaitFor(l => l == "ready", TimeSpan.FromSeconds(60));
        b.WaitFor(l => l == "ready", TimeSpan.FromSeconds(60));
        a.Go(); // both claim from the same moment on
        b.Go();
        Assert.Equal(0, a.WaitForExit(TimeSpan.FromSeconds(90)));
        Assert.Equal(0, b.WaitForExit(TimeSpan.FromSeconds(90)));

        using var check = Store(url);
        check.Read();
        var history = check.History();
        Assert.Equal(Enumerable.Range(0, 40), history.Select(h => h.Number)); // one attempt per trial, no more
        Assert.All(history, h => Assert.Equal((1, "complete"), (h.Attempt, h.State)));
        Assert.True(history.Any(h => h.Worker == "a") && history.Any(h => h.Worker == "b"),
            $"both workers should have run trials: a {history.Count(h => h.Worker == "a")}, b {history.Count(h => h.Worker == "b")}");
        var claimedByProcesses = a.Seen.Concat(b.Seen).Where(l => l.StartsWith("claimed ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(40, claimedByProcesses.Length); // what the processes say they ran agrees with the store
        Assert.All(StoreContractTests.All(check), t => Assert.Equal((TrialState.Complete, TestStudy.Result(t.Number)), (t.State, t.Result)));
    }

    /// <summary>A worker killed with SIGKILL mid-trial: its lease lapses, the other worker reclaims the trial, the dead
    /// attempt stays in the history as stale (not failed).</summary>
    [Fact]
    public void A_killed_workers_trial_is_reclaimed_after_its_lease_and_its_attempt_marked_stale()
    {
        string url = server.Url();
        using (var store = StudyStores.Open(url))
        {
            store.Open(TestStudy.Definition);
            store.AddTrials(TestStudy.Plans(30));
        }
        using var doomed = new WorkerProcess(url, 30, "doomed", 800, 20, hangAfter: 2); // hangs in its third trial
        for (int done = 0; done < 2; done++) doomed.WaitFor(l => l.StartsWith("done ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        string claimed = doomed.WaitFor(l => l.StartsWith("claimed ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        doomed.Kill();
        int lost = int.Parse(claimed.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        using var survivor = new WorkerProcess(url, 30, "survivor", 800, 20, leaseOnly: true); // as if on another machine
        Assert.Equal(0, survivor.WaitForExit(TimeSpan.FromSeconds(90)));

        using var check = Store(url);
        check.Read();
        var history = check.History();
        Assert.All(history.GroupBy(h => h.Number), g => Assert.Equal(1, g.Count(h => h.State == "complete")));
        var attempts = history.Where(h => h.Number == lost).ToArray();
        Assert.Equal([("doomed", "stale"), ("survivor", "complete")], attempts.Select(h => (h.Worker, h.State)));
        Assert.All(StoreContractTests.All(check), t => Assert.Equal(TrialState.Complete, t.State));
    }

    [Fact]
    public void Dropped_connections_are_retried()
    {
        string url = server.Url() + "&application_name=drop_test";
        using var store = Store(url, Fast);
        store.Open(Definition);
        store.AddTrials([new TrialPlan(0, "{}", 1, null), new TrialPlan(1, "{}", 1, null)]);
        Admin(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'drop_test'");
        Assert.True(SpinWait.SpinUntil(() => Count(url, "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'drop_test'") == 0,
            TimeSpan.FromSeconds(10)), "the store's connections did not end");
        var claim = store.Claim("w", TimeSpan.FromMinutes(1));
        Assert.Equal(0, claim!.Number);
        Assert.True(store.Retries >= 1, "the pooled connection was killed, so the claim must have been retried");
        Assert.Equal([("w", "running")], store.History().Select(h => (h.Worker, h.State)));
    }

    [Theory]
    [InlineData("40001")] // serialization_failure
    [InlineData("40P01")] // deadlock_detected
    public void Serialization_failures_and_deadlocks_are_retried_and_leave_no_trace(string sqlState)
    {
        string url = server.Url();
        using var store = Store(url, Fast);
        store.Open(Definition);
        store.AddTrials([new TrialPlan(0, "{}", 1, null)]);
        // The server raises the error in the first two claims' transactions (a sequence is not rolled back with them).
        Admin(url, $"""
            CREATE SEQUENCE fault_count;
            CREATE FUNCTION fault() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF nextval('fault_count') <= 2 THEN RAISE EXCEPTION 'injected fault' USING ERRCODE = '{sqlState}'; END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER fault BEFORE INSERT ON attempts FOR EACH ROW EXECUTE FUNCTION fault();
            """);
        var claim = store.Claim("w", TimeSpan.FromMinutes(1));
        Assert.Equal((0, 1), (claim!.Number, claim.Attempt));
        Assert.Equal(2, store.Retries);
        Assert.Equal([(0, 1, "running")], store.History().Select(h => (h.Number, h.Attempt, h.State)));
    }

    [Fact]
    public void A_persistent_transient_error_ends_in_a_one_line_error_after_the_retries()
    {
        string url = server.Url();
        using var store = Store(url, Fast);
        store.Open(Definition);
        store.AddTrials([new TrialPlan(0, "{}", 1, null)]);
        Admin(url, """
            CREATE FUNCTION fault() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'injected fault' USING ERRCODE = '40001'; END $$;
            CREATE TRIGGER fault BEFORE INSERT ON attempts FOR EACH ROW EXECUTE FUNCTION fault();
            """);
        var e = Assert.Throws<OccamException>(() => store.Claim("w", TimeSpan.FromMinutes(1)));
        Assert.Equal(3, store.Retries);
        Assert.Equal($"{PostgresUrl.Parse(url).Display}: PostgreSQL error 40001: injected fault", e.Message);
        Assert.Equal(TrialState.Pending, store.ReadTrials(-1, 1).Single().State);
    }

    [Fact]
    public void Concurrent_first_opens_migrate_once_and_a_newer_schema_is_refused()
    {
        string url = server.Url();
        var stores = Enumerable.Range(0, 4).Select(_ => Store(url)).ToArray();
        using var start = new Barrier(stores.Length);
        var infos = new StudyInfo[stores.Length];
        var threads = Enumerable.Range(0, stores.Length).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            infos[i] = stores[i].Open(Definition);
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.All(infos, info => Assert.Equal(infos[0], info)); // one study, created once
        Assert.Equal(1L, Count(url, "SELECT COUNT(*) FROM schema_version"));
        foreach (var s in stores) s.Dispose();

        Admin(url, "INSERT INTO schema_version (version, applied) VALUES (7, 0)");
        using var newer = Store(url);
        var e = Assert.Throws<OccamException>(() => newer.Open(Definition));
        Assert.Equal(OccamErrorKind.Data, e.Kind);
        Assert.Equal($"{PostgresUrl.Parse(url).Display} has study schema version 7, newer than this Occam understands (1); update Occam to use it", e.Message);
    }

    [Fact]
    public void A_schema_holding_other_tables_is_refused()
    {
        string url = server.Url();
        string schema = SchemaOf(url);
        using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}; CREATE TABLE {schema}.invoices (id int)", connection);
            command.ExecuteNonQuery();
        }
        using var store = Store(url);
        var e = Assert.Throws<OccamException>(() => store.Open(Definition));
        Assert.Equal($"{PostgresUrl.Parse(url).Display} holds tables of another program (invoices), not an Occam study; pass another --study", e.Message);
    }

    [Fact]
    public void An_unreachable_server_is_a_one_line_error_without_the_password()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port; // free once the listener stops: nothing listens there
        }
        using var store = Store($"postgresql://occam:s3cret@127.0.0.1:{port}/studies", Fast);
        var e = Assert.Throws<OccamException>(() => store.Open(Definition));
        Assert.Equal(OccamErrorKind.InputMissing, e.Kind);
        Assert.StartsWith($"cannot reach the PostgreSQL study postgresql://occam@127.0.0.1:{port}/studies (", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("); check that the server runs and the URL's host and port", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(3, store.Retries);
    }

    [Fact]
    public void A_missing_database_is_a_one_line_error()
    {
        using var store = Store($"postgresql://postgres@127.0.0.1:{server.Port}/nosuchdb", Fast);
        var e = Assert.Throws<OccamException>(() => store.Read());
        Assert.Equal(OccamErrorKind.InputMissing, e.Kind);
        Assert.Equal($"postgresql://postgres@127.0.0.1:{server.Port}/nosuchdb: database \"nosuchdb\" does not exist; create the database first (createdb) or name another one in the URL", e.Message);
    }

    [Fact]
    public void The_attempts_history_keeps_stale_and_failed_attempts_apart()
    {
        var clock = new ManualClock();
        using var store = Store(server.Url(), clock: clock);
        store.Open(Definition);
        store.AddTrials([new TrialPlan(0, "{}", 1, null), new TrialPlan(1, "{}", 1, null)]);
        var a = store.Claim("a", TimeSpan.FromSeconds(5))!;
        clock.Advance(TimeSpan.FromSeconds(10));
        var b = store.Claim("b", TimeSpan.FromSeconds(5))!; // trial 0 again: a's lease lapsed
        store.Fail(b, "out of memory");
        var c = store.Claim("c", TimeSpan.FromSeconds(5))!;
        store.Complete(c, new TrialResult(1, 0, "{}", 1));
        Assert.Equal((0, 0, 1), (a.Number, b.Number, c.Number));
        Assert.Equal([(0, 1, "a", "stale", null), (0, 2, "b", "failed", "out of memory"), (1, 1, "c", "complete", null)],
            store.History().Select(h => (h.Number, h.Attempt, h.Worker, h.State, h.Error)));
        Assert.All(store.History(), h => Assert.NotNull(h.Ended));
    }
}
