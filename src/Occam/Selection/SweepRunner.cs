using System.Diagnostics;
using Occam.Data;
using Occam.Numerics;
using Occam.Training;

namespace Occam.Selection;

/// <summary>How a sweep process runs its trials.</summary>
public sealed record SweepRunOptions
{
    /// <summary>Trials run at once in this process, each on one thread, 1 to <see cref="MaxJobs"/>. Default: the number of cores.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The most jobs one process runs: 1024. Each job is an operating-system thread (with its stack, and a count against
    /// the user's process limit, which is shared with every other program of the user), holds one trial's training
    /// buffers and reads the study every time it looks for work; a trial is one thread, so jobs beyond the hardware
    /// threads only take turns (1024 is above the hardware threads of any current server), and more capacity comes from
    /// more workers (<c>occam sweep worker</c>) on other machines.
    /// </summary>
    public const int MaxJobs = 1024;

    /// <summary>The usage message for a job count outside 1..<see cref="MaxJobs"/>.</summary>
    public static string JobsError(long jobs) => jobs < 1
        ? $"--jobs must be >= 1 (got {jobs})."
        : $"--jobs {jobs} is more than {MaxJobs}: each job is a thread running one trial, so jobs beyond the cores ({Environment.ProcessorCount} here) only take turns; use at most {MaxJobs}, and more machines with 'occam sweep worker'.";

    /// <summary>How long a claimed trial stays this worker's without a heartbeat (heartbeats come every third of it). Default 60 s.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a worker waits before looking again when no trial is runnable but the sweep is not done. Default 200 ms.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>This process's worker name (threads add "#1", "#2", …). Default host:pid.</summary>
    public string Worker { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>The study's name when this run creates it. Default "sweep".</summary>
    public string StudyName { get; init; } = "sweep";
}

/// <summary>A trial this process finished (complete or failed), with the study's progress at that moment.</summary>
public sealed record TrialEvent(TrialRecord Trial, int Finished, int Planned);

/// <summary>The study after a run: every trial in number order, how many this process ran, and the choice.</summary>
public sealed record SweepOutcome(IReadOnlyList<TrialRecord> Trials, int RanHere, SweepChoice? Choice);

/// <summary>
/// Runs a sweep over an <see cref="IStudyStore"/> and nothing else: opens (or creates) the study, then
/// <see cref="SweepRunOptions.Jobs"/> threads each loop — read the trials, add the plans the sampler derives from them,
/// claim one runnable trial, evaluate it (<see cref="TrialEvaluator"/>) with a heartbeat, record the result — until
/// every planned trial has finished. Trials finished earlier (a resumed sweep) or by other workers are not run again.
/// During the run every matrix product is single-threaded (<see cref="Gemm.MaxThreads"/> = 1; restored after), so a
/// trial is one thread, and its result depends only on the data, the folds, its settings and the seed: any number of
/// jobs and workers gives the same study.
/// </summary>
public static class SweepRunner
{
    private static readonly Lock GemmGate = new();
    private static int s_running;
    private static int s_savedThreads;

    /// <summary>Runs (or resumes, or joins) the sweep; returns the study and the choice once every trial has finished.</summary>
    public static SweepOutcome Run(IStudyStore store, Sweep sweep, Dataset data, SweepRunOptions? options = null,
        IProgress<TrialEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(data);
        var o = options ?? new SweepRunOptions();
        if (o.Jobs is < 1 or > SweepRunOptions.MaxJobs) throw OccamException.Usage(SweepRunOptions.JobsError(o.Jobs));
        var definition = sweep.Define(data, o.StudyName);
        store.Open(definition);
        var folds = sweep.Evaluation.Splits(data);
        var sampler = Sampler.Create(sweep.Sampler, sweep.Space, sweep.Recipe);
        int ran = 0;
        Exception? failure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        SingleThreadedGemm(enter: true);
        try
        {
            var threads = Enumerable.Range(1, o.Jobs).Select(j => new Thread(() =>
            {
                try
                {
                    string worker = o.Jobs == 1 ? o.Worker : $"{o.Worker}#{j}";
                    while (Step(store, sampler, sweep, data, folds, worker, o, progress, stop.Token)) Interlocked.Increment(ref ran);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                    stop.Cancel();
                }
            })
            { IsBackground = true, Name = $"occam-sweep-{j}" }).ToArray();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
        }
        finally
        {
            SingleThreadedGemm(enter: false);
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        var trials = ReadAll(store);
        return new SweepOutcome(trials, ran, SweepChoice.Of(sweep, trials));
    }

    /// <summary>Every trial of the study, in number order (read in pages).</summary>
    public static IReadOnlyList<TrialRecord> ReadAll(IStudyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var all = new List<TrialRecord>();
        while (true)
        {
            var page = store.ReadTrials(all.Count == 0 ? 0 : all[^1].Number, 1000);
            all.AddRange(page);
            if (page.Count < 1000) return all;
        }
    }

    /// <summary>
    /// Fits the chosen trial's settings (its epochs = its budget) on every row of <paramref name="data"/>, with the
    /// sweep's seed: the model to write.
    /// </summary>
    public static MlpModel Refit(Sweep sweep, Dataset data, TrialRecord trial, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trial);
        var recipe = sweep.Recipe.With(TrialSettings.FromJson(trial.SettingsJson)) with { Epochs = trial.Budget };
        var outcome = MlpFitter.Fit(data, recipe.ToFitSettings(), null, cancellationToken);
        return new MlpModel(outcome.Model, outcome.Result);
    }

    /// <summary>One turn of a worker: plan, claim, run, record. False when the sweep is done.</summary>
    private static bool Step(IStudyStore store, Sampler sampler, Sweep sweep, Dataset data, IReadOnlyList<Fold> folds, string worker,
        SweepRunOptions o, IProgress<TrialEvent>? progress, CancellationToken cancel)
    {
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            var trials = ReadAll(store);
            var plans = sampler.Plans(trials);
            var known = trials.Select(t => t.Number).ToHashSet();
            var missing = plans.Where(p => !known.Contains(p.Number)).ToArray();
            if (missing.Length > 0) store.AddTrials(missing);
            else if (trials.All(t => t.State is TrialState.Complete or TrialState.Failed) && plans.All(p => known.Contains(p.Number)))
                return false;
            if (store.Claim(worker, o.Lease) is { } claim)
            {
                Run(store, sweep, data, folds, claim, o, progress, plans.Count, cancel);
                return true;
            }
            if (missing.Length == 0) cancel.WaitHandle.WaitOne(o.Poll);
        }
    }

    private static void Run(IStudyStore store, Sweep sweep, Dataset data, IReadOnlyList<Fold> folds, TrialClaim claim,
        SweepRunOptions o, IProgress<TrialEvent>? progress, int planned, CancellationToken cancel)
    {
        var beat = o.Lease / 3;
        using var heartbeat = new Timer(_ => store.Heartbeat(claim, o.Lease), null, beat, beat);
        TrialResult? result = null;
        string? error = null;
        var clock = Stopwatch.StartNew();
        try
        {
            var recipe = sweep.Recipe.With(TrialSettings.FromJson(claim.SettingsJson)) with { Epochs = claim.Budget };
            result = TrialEvaluator.Evaluate(data, folds, recipe, sweep.Metric, cancel);
        }
        catch (OccamException e)
        {
            error = e.Message; // e.g. a diverging fit: recorded, the sweep goes on
        }
        heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
        if (result is not null) store.Complete(claim, result);
        else store.Fail(claim, error ?? $"failed after {clock.Elapsed.TotalSeconds:0.0} s");
        if (progress is null) return;
        var trials = ReadAll(store);
        var mine = trials.First(t => t.Number == claim.Number);
        progress.Report(new TrialEvent(mine, trials.Count(t => t.State is TrialState.Complete or TrialState.Failed), planned));
    }

    /// <summary>Reference-counted <see cref="Gemm.MaxThreads"/> = 1 while any sweep runs in this process.</summary>
    private static void SingleThreadedGemm(bool enter)
    {
        lock (GemmGate)
        {
            if (enter)
            {
                if (s_running++ == 0)
                {
                    s_savedThreads = Gemm.MaxThreads;
                    Gemm.MaxThreads = 1;
                }
            }
            else if (--s_running == 0)
            {
                Gemm.MaxThreads = s_savedThreads;
            }
        }
    }
}
