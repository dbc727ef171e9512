using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Occam.Numerics;

/// <summary>
/// A small static pool of dedicated worker threads for large products. The calling thread always
/// works on the product itself; helpers join when they wake and take items that nobody has claimed
/// yet (see <see cref="GemmDriver"/>), so a helper that starts late costs nothing but its absence.
/// Hand-off is spin-then-wait: after a product a helper spins for about 50 µs watching for the
/// next one (back-to-back products, as in a training step, pay no wake-up), then blocks on an
/// event and costs nothing while idle. Only one product uses the pool at a time; a concurrent
/// caller runs single-threaded instead of waiting. Nothing is allocated per call once the helpers
/// exist.
/// </summary>
internal static unsafe class GemmThreadPool
{
    /// <summary>
    /// A product's description and counters, plus its join state: bit 30 set = closed to new
    /// helpers, low bits = helpers inside. Two slots alternate, so a helper that is still leaving
    /// one product (reading only its slot) never sees the next one's fields change under it.
    /// </summary>
    private sealed class Slot
    {
        public GemmJob Job;
        public int State = Closed;
    }

    private const int Closed = 1 << 30;
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000; // 50 µs
    private static readonly object s_gate = new();
    private static readonly Slot[] s_slots = [new Slot(), new Slot()];
    private static int s_nextSlot;
    private static long s_generation;
    private static Worker[] s_workers = [];
    private static Exception? s_error;

    /// <summary>Runs <paramref name="job"/> on the caller plus up to <paramref name="threads"/> − 1 helpers; false if the pool is busy.</summary>
    public static bool TryRun(ref GemmJob job, int threads)
    {
        if (!Monitor.TryEnter(s_gate)) return false;
        try
        {
            int helpers = threads - 1;
            EnsureWorkers(helpers);
            Slot slot = s_slots[s_nextSlot];
            s_nextSlot ^= 1;
            // Helpers that joined this slot's previous product may still be on their way out.
            var spinner = new SpinWait();
            while ((Volatile.Read(ref slot.State) & ~Closed) != 0) spinner.SpinOnce(sleep1Threshold: -1);

            slot.Job = job;
            s_error = null;
            Interlocked.Exchange(ref slot.State, 0); // open, with a full fence after the job's fields
            long generation = Interlocked.Increment(ref s_generation);
            for (int i = 0; i < helpers; i++) s_workers[i].Post(slot, generation);

            GemmDriver.Execute(ref slot.Job);

            int state;
            do state = Volatile.Read(ref slot.State);
            while (Interlocked.CompareExchange(ref slot.State, state | Closed, state) != state);
            if (Volatile.Read(ref slot.Job.Failed) != 0)
            {
                // Let the failing helper finish recording its exception before reading it.
                while ((Volatile.Read(ref slot.State) & ~Closed) != 0) spinner.SpinOnce(sleep1Threshold: -1);
                if (s_error is { } error) ExceptionDispatchInfo.Throw(error);
                throw new InvalidOperationException("A GEMM worker thread failed.");
            }
            return true;
        }
        finally
        {
            Monitor.Exit(s_gate);
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (s_workers.Length >= count) return;
        var workers = new Worker[count];
        Array.Copy(s_workers, workers, s_workers.Length);
        for (int i = s_workers.Length; i < count; i++) workers[i] = new Worker(i + 1);
        s_workers = workers;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Workers live for the whole process (background threads); the event is never released.")]
    private sealed class Worker
    {
        private readonly ManualResetEventSlim _wake = new(false, 0);
        private Slot? _slot;
        private long _posted;
        private long _seen;
        private int _sleeping;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Occam GEMM worker {index}" };
            thread.Start();
        }

        /// <summary>Posts a product to this helper and wakes it if it blocked.</summary>
        public void Post(Slot slot, long generation)
        {
            Volatile.Write(ref _slot, slot);
            Interlocked.Exchange(ref _posted, generation);
            if (Volatile.Read(ref _sleeping) == 1) _wake.Set();
        }

        private void Loop()
        {
            while (true)
            {
                WaitForPost();
                Slot slot = Volatile.Read(ref _slot)!;
                if (!TryJoin(slot)) continue; // the product was already finished without us
                try
                {
                    GemmDriver.Execute(ref slot.Job);
                }
                catch (Exception e)
                {
                    s_error = e;
                    Volatile.Write(ref slot.Job.Failed, 1);
                }
                finally
                {
                    Interlocked.Decrement(ref slot.State);
                }
            }
        }

        private static bool TryJoin(Slot slot)
        {
            while (true)
            {
                int state = Volatile.Read(ref slot.State);
                if ((state & Closed) != 0) return false;
                if (Interlocked.CompareExchange(ref slot.State, state + 1, state) == state) return true;
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
                // Hand-shake with Post: publish "sleeping" with a full fence, then re-check, so
                // either this thread sees the new post or Post sees it asleep and sets the event.
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
