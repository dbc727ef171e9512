using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Occam.Nn;

/// <summary>
/// Work items of one inference call shared between the calling thread and up to <c>threads − 1</c> helpers. Item i
/// is first offered to thread <c>i·threads/items</c> (the caller is thread 0), so that in steady state each core runs
/// the same items on every call and keeps reading the same part of the weights from its own caches; a thread that
/// has finished its own items takes any item nobody has claimed, so a helper that the operating system delays costs
/// only its absence. Results never depend on who ran an item. Hand-off is the GEMM pool's (spin about 50 µs after a
/// job, then block); only one call uses the helpers at a time, a concurrent caller runs its items alone. Nothing is
/// allocated per call once the helpers exist. An exception in an item is rethrown on the caller (the one of the
/// lowest item when several fail).
/// </summary>
internal static class InferenceThreads
{
    /// <summary>What the items do.</summary>
    public interface IWork
    {
        /// <summary>Runs item <paramref name="item"/> on thread <paramref name="thread"/> (0 = caller).</summary>
        void Execute(int item, int thread);
    }

    /// <summary>Most items per call.</summary>
    public const int MaxItems = 16;

    /// <summary>Most helpers (the caller is the other thread).</summary>
    public const int MaxHelpers = 7;

    private const int Closed = 1 << 30;
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000; // 50 µs
    private static readonly object s_gate = new();
    private static readonly int[] s_claimed = new int[MaxItems];
    private static readonly Exception?[] s_errors = new Exception?[MaxItems];
    private static IWork? s_work;
    private static int s_items, s_threads, s_done, s_state = Closed;
    private static long s_generation;
    private static Helper[] s_helpers = [];

    /// <summary>Runs items 0..items−1 of <paramref name="work"/> on up to <paramref name="threads"/> threads and returns when all are done.</summary>
    public static void Run(IWork work, int items, int threads)
    {
        Debug.Assert(items >= 0 && items <= MaxItems);
        threads = Math.Min(Math.Min(threads, items), MaxHelpers + 1);
        if (threads <= 1 || !Monitor.TryEnter(s_gate))
        {
            for (int i = 0; i < items; i++) work.Execute(i, 0);
            return;
        }
        try
        {
            EnsureHelpers(threads - 1);
            // Helpers of the previous call may still be on their way out.
            var spinner = new SpinWait();
            while ((Volatile.Read(ref s_state) & ~Closed) != 0) spinner.SpinOnce(sleep1Threshold: -1);
            s_work = work;
            s_items = items;
            s_threads = threads;
            s_done = 0;
            for (int i = 0; i < items; i++) { s_claimed[i] = 0; s_errors[i] = null; }
            Interlocked.Exchange(ref s_state, 0); // open, with a full fence after the fields
            long generation = Interlocked.Increment(ref s_generation);
            for (int h = 0; h < threads - 1; h++) s_helpers[h].Post(generation);

            Work(0);
            while (Volatile.Read(ref s_done) < items) spinner.SpinOnce(sleep1Threshold: -1);
            int state;
            do state = Volatile.Read(ref s_state);
            while (Interlocked.CompareExchange(ref s_state, state | Closed, state) != state);
            for (int i = 0; i < items; i++)
                if (s_errors[i] is { } error)
                {
                    s_errors[i] = null;
                    ExceptionDispatchInfo.Throw(error);
                }
        }
        finally
        {
            s_work = null;
            Monitor.Exit(s_gate);
        }
    }

    /// <summary>Thread <paramref name="thread"/>'s share: its own items first, then any unclaimed one.</summary>
    private static void Work(int thread)
    {
        int items = s_items, threads = s_threads;
        var work = s_work!;
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i < items; i++)
            {
                if (pass == 0 && i * threads / items != thread) continue;
                if (Interlocked.CompareExchange(ref s_claimed[i], 1, 0) != 0) continue;
                try
                {
                    work.Execute(i, thread);
                }
                catch (Exception e)
                {
                    s_errors[i] = e;
                }
                Interlocked.Increment(ref s_done);
            }
    }

    private static void EnsureHelpers(int count)
    {
        if (s_helpers.Length >= count) return;
        var helpers = new Helper[count];
        Array.Copy(s_helpers, helpers, s_helpers.Length);
        for (int i = s_helpers.Length; i < count; i++) helpers[i] = new Helper(i + 1);
        s_helpers = helpers;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Helpers live for the whole process (background threads); the event is never released.")]
    private sealed class Helper
    {
        private readonly ManualResetEventSlim _wake = new(false, 0);
        private readonly int _thread;
        private long _posted;
        private long _seen;
        private int _sleeping;

        public Helper(int thread)
        {
            _thread = thread;
            new Thread(Loop) { IsBackground = true, Name = $"Occam inference helper {thread}" }.Start();
        }

        public void Post(long generation)
        {
            Interlocked.Exchange(ref _posted, generation);
            if (Volatile.Read(ref _sleeping) == 1) _wake.Set();
        }

        private void Loop()
        {
            while (true)
            {
                WaitForPost();
                if (!TryJoin()) continue; // the call was finished without us
                try
                {
                    if (_thread < Volatile.Read(ref s_threads)) Work(_thread);
                }
                finally
                {
                    Interlocked.Decrement(ref s_state);
                }
            }
        }

        private static bool TryJoin()
        {
            while (true)
            {
                int state = Volatile.Read(ref s_state);
                if ((state & Closed) != 0) return false;
                if (Interlocked.CompareExchange(ref s_state, state + 1, state) == state) return true;
            }
        }

        private void WaitForPost()
        {
            long start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _posted) == _seen)
            {
                if (Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(16);
                    continue;
                }
                // Publish "sleeping" with a full fence, then re-check: either this thread sees the post or Post sees it asleep.
                _wake.Reset();
                Interlocked.Exchange(ref _sleeping, 1);
                if (Volatile.Read(ref _posted) == _seen) _wake.Wait();
                Interlocked.Exchange(ref _sleeping, 0);
                start = Stopwatch.GetTimestamp();
            }
            _seen = Volatile.Read(ref _posted);
        }
    }
}
