using System.Globalization;
using Occam.Selection;
using Occam.Studies;
using Occam.Studies.TestWorker;

// Usage: Occam.Studies.TestWorker STUDY TRIALS WORKER LEASE_MS WORK_MS [HANG_AFTER]
// Opens the study (creating it with TRIALS trials), then claims, "runs" (sleeps WORK_MS) and completes trials until
// none is pending or running. With HANG_AFTER = k, the trial claimed after k completed ones never finishes (the process
// waits to be killed mid-trial). With OCCAM_TEST_WORKER_WAIT=1 it waits for a line on stdin after "ready"; with
// OCCAM_TEST_WORKER_LEASE_ONLY=1 it does not take over trials of dead processes on this machine before their lease lapses. The result of trial n is a function of n only (objective n/2), as a real trial's result
// depends only on its settings and seed. Prints "claimed N A", "done N", "finished" on stdout, flushed per line.
if (args.Length is not (5 or 6))
{
    Console.Error.WriteLine("usage: Occam.Studies.TestWorker STUDY TRIALS WORKER LEASE_MS WORK_MS [HANG_AFTER]");
    return 64;
}
var culture = CultureInfo.InvariantCulture;
int trials = int.Parse(args[1], culture);
string worker = args[2];
var lease = TimeSpan.FromMilliseconds(int.Parse(args[3], culture));
int workMs = int.Parse(args[4], culture);
int hangAfter = args.Length == 6 ? int.Parse(args[5], culture) : int.MaxValue;
int completed = 0;

using var store = StudyStores.Open(args[0]);
if (Environment.GetEnvironmentVariable("OCCAM_TEST_WORKER_LEASE_ONLY") == "1")
    ((SqlStudyStore)store).ReclaimDeadLocalClaims = false; // reclaim only by lapsed leases, as a worker on another machine
store.Open(TestStudy.Definition);
store.AddTrials(TestStudy.Plans(trials));
Console.WriteLine("ready");
if (Environment.GetEnvironmentVariable("OCCAM_TEST_WORKER_WAIT") == "1") Console.ReadLine(); // start together with others
while (true)
{
    var claim = store.Claim(worker, lease);
    if (claim is null)
    {
        if (!Unfinished(store)) break;
        Thread.Sleep(50);
        continue;
    }
    Console.WriteLine($"claimed {claim.Number} {claim.Attempt}");
    Thread.Sleep(completed == hangAfter ? Timeout.Infinite : workMs);
    store.Complete(claim, TestStudy.Result(claim.Number));
    Console.WriteLine($"done {claim.Number}");
    completed++;
}
Console.WriteLine("finished");
return 0;

static bool Unfinished(IStudyStore store)
{
    for (int after = -1; ;)
    {
        var page = store.ReadTrials(after, 1000);
        if (page.Count == 0) return false;
        if (page.Any(t => t.State is TrialState.Pending or TrialState.Running or TrialState.Stale)) return true;
        after = page[^1].Number;
    }
}
