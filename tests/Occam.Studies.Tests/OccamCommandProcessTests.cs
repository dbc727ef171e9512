using System.Globalization;
using Occam.Selection;
using Occam.Tests;

namespace Occam.Studies.Tests;

/// <summary>
/// The issue's checks with the real <c>occam</c> command (Occam.Cli.dll built next to the tests, run as separate
/// processes): a sweep on an SQLite study killed with SIGKILL and run again, and <c>occam sweep</c> plus <c>occam sweep
/// worker</c> sharing one PostgreSQL study. What ran is read back from the store's attempts history.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OccamCommandProcessTests(PostgresServer server) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>digits, 3-fold, a small network: a trial takes a few tenths of a second, so kills land mid-trial.</summary>
    private static string[] Sweep(string study, int points, int epochs) =>
        ["sweep", "--data", Repo.Data("digits.csv"), "--target", "digit", "--search", $"l1=log(1e-4,1e-1,{points})",
         "--folds", "3", "--hidden", "16", "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--jobs", "1", "--seed", "3", "--study", study];

    private static List<TrialRecord> Trials(SqlStudyStore store) => store.Read() is null ? [] : StoreContractTests.All(store);

    [Fact]
    public void An_occam_sweep_killed_with_sigkill_and_run_again_loses_and_duplicates_no_trial()
    {
        const int Points = 8;
        string study = _folder.File("digits.db");
        var finished = new Dictionary<int, TrialRecord>();
        var killedRunning = new List<int>();
        using var observer = new SqliteStudyStore(study, null);
        for (int round = 0; round < 2; round++)
        {
            using (var sweep = new WorkerProcess("Occam.Cli.dll", Sweep(study, Points, 4)))
            {
                // Kill once 2 more trials have finished and one is running.
                int target = finished.Count + 2;
                Assert.True(SpinWait.SpinUntil(() =>
                {
                    var t = Trials(observer);
                    return t.Count(x => x.State == TrialState.Complete) >= target && t.Any(x => x.State == TrialState.Running);
                }, TimeSpan.FromSeconds(60)), $"round {round}: the sweep did not get going; stderr: {string.Join(" | ", sweep.Errors)}");
                sweep.Kill();
            }
            var trials = Trials(observer);
            killedRunning.AddRange(trials.Where(t => t.State == TrialState.Running).Select(t => t.Number));
            foreach (var (number, before) in finished)
                Assert.Equal(before, trials.Single(t => t.Number == number)); // nothing finished is lost, changed or re-run
            foreach (var t in trials.Where(t => t.State == TrialState.Complete)) finished[t.Number] = t;
        }
        Assert.NotEmpty(killedRunning); // at least one kill landed in the middle of a trial

        using (var again = new WorkerProcess("Occam.Cli.dll", Sweep(study, Points, 4)))
            Assert.Equal(0, again.WaitForExit(TimeSpan.FromSeconds(120)));

        var all = Trials(observer);
        Assert.Equal(Enumerable.Range(1, Points), all.Select(t => t.Number));
        Assert.All(all, t => Assert.Equal(TrialState.Complete, t.State));
        foreach (var (number, before) in finished) Assert.Equal(before, all.Single(t => t.Number == number));
        var history = observer.History();
        Assert.All(history.GroupBy(h => h.Number), g => Assert.Equal(1, g.Count(h => h.State == "complete")));
        Assert.All(history, h => Assert.Contains(h.State, new[] { "complete", "stale" }));
        foreach (int n in killedRunning)
            Assert.Equal(["stale", "complete"], history.Where(h => h.Number == n).Select(h => h.State));
    }

    /// <summary>
    /// The issue's check: two workers on one PostgreSQL study finish a 40-trial sweep with every trial exactly once.
    /// Each trial trains 40 epochs (≈ 0.1 s; ≈ 4 s for the sweep on one worker) so that the second process, started
    /// only once the study exists, joins long before the first could run out of trials: with 3 epochs (≈ 2.7 s in all)
    /// a loaded machine started it too late once, and the first worker had run all 40.
    /// </summary>
    [Fact]
    public void Occam_sweep_and_occam_sweep_worker_share_a_postgresql_study_running_every_trial_exactly_once()
    {
        string url = server.Url();
        using var observer = new PostgresStudyStore(PostgresUrl.Parse(url), null);
        using var first = new WorkerProcess("Occam.Cli.dll", Sweep(url, 40, 40));
        Assert.True(SpinWait.SpinUntil(() => observer.Read() is not null, TimeSpan.FromSeconds(60)),
            "occam sweep did not create the study; stderr: " + string.Join(" | ", first.Errors));
        using var second = new WorkerProcess("Occam.Cli.dll", ["sweep", "worker", "--study", url, "--data", Repo.Data("digits.csv"), "--jobs", "1"]);
        Assert.Equal(0, second.WaitForExit(TimeSpan.FromSeconds(120)));
        Assert.Equal(0, first.WaitForExit(TimeSpan.FromSeconds(120)));

        var history = observer.History();
        Assert.Equal(Enumerable.Range(1, 40), history.Select(h => h.Number)); // one attempt per trial, no more
        Assert.All(history, h => Assert.Equal((1, "complete"), (h.Attempt, h.State)));
        var pids = history.Select(h => h.Worker.Split(':')[^1].Split('#')[0]).ToHashSet();
        Assert.Equal(new[] { first.Id, second.Id }.Select(p => p.ToString(CultureInfo.InvariantCulture)).Order(), pids.Order()); // both ran trials
        Assert.All(StoreContractTests.All(observer), t => Assert.Equal(TrialState.Complete, t.State));
    }
}
