using System.Diagnostics;
using System.Runtime.InteropServices;
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
/// <para>
/// The same helpers also run lists of independent work items for the rest of the library (<see cref="RunItems"/>:
/// element-wise passes of a training step, inference), so that one set of spinning threads serves everything on a
/// machine with few cores.
/// </para>
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
        /// <summary>Null for a GEMM product (<see cref="Job"/>); else the body of an item list (<see cref="RunItems"/>).</summary>
        public delegate*<int, nint, void> Body;
        public nint BodyState;
        public int Items, Threads, ItemsDone;
        /// <summary>Per item: 0 free, 1 claimed. Grown (under the gate) when a list has more items, then reused.</summary>
        public int[] Claimed = new int[64];
        /// <summary>The call's record in <see cref="Trace"/>, or −1.</summary>
        public int TraceIndex = -1;
    }

    /// <summary>Bench instrumentation: while set, every multi-threaded call is recorded there (<see cref="GemmPoolTrace"/>).</summary>
    internal static GemmPoolTrace? Trace;

    private const int Closed = 1 << 30;
    /// <summary>How long (Stopwatch ticks) a helper spins for the next call before it blocks; 50 µs (settable for the bench's A/B).</summary>
    internal static long SpinTicks { get; set; } = Stopwatch.Frequency / 20_000;
    private static readonly object s_gate = new();
    private static readonly Slot[] s_slots = [new Slot(), new Slot()];
    private static int s_nextSlot;
    private static long s_generation;
    private static Worker[] s_workers = [];
    private static Exception? s_error;

    /// <summary>Runs <paramref name="job"/> on the caller plus up to <paramref name="threads"/> − 1 helpers; false if the pool is busy.</summary>
    public static bool TryRun(ref GemmJob job, int threads)
    {
        // A product started from inside an item body on the caller's thread (which holds the gate) runs alone.
        if (Monitor.IsEntered(s_gate) || !Monitor.TryEnter(s_gate)) return false;
        try
        {
            int helpers = threads - 1;
            EnsureWorkers(helpers);
            Slot slot = s_slots[s_nextSlot];
            s_nextSlot ^= 1;
            // Helpers that joined this slot's previous product may still be on their way out.
            var spinner = new SpinWait();
            while ((Volatile.Read(ref slot.State) & ~Closed) != 0) spinner.SpinOnce(sleep1Threshold: -1);

            slot.Body = null;
            slot.Job = job;
            s_error = null;
            var trace = Trace;
            int traced = slot.TraceIndex = trace?.Begin(0, job.M, job.N, job.K, 0) ?? -1;
            Interlocked.Exchange(ref slot.State, 0); // open, with a full fence after the job's fields
            long generation = Interlocked.Increment(ref s_generation);
            bool asleep = false;
            for (int i = 0; i < helpers; i++) asleep |= s_workers[i].Post(slot, generation);
            if (traced >= 0) Posted(trace!, traced, asleep);

            GemmDriver.Execute(ref slot.Job);
            if (traced >= 0) Ended(trace!, traced);

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

    /// <summary>
    /// A hint that calls on up to <paramref name="threads"/> threads follow soon: helpers 1 … threads − 1 that spin keep
    /// spinning for another <see cref="SpinTicks"/> from now, and those that block on their event are woken and spin,
    /// so that the call does not pay their wake-up (a futex call here and the scheduler's latency there: 30 µs and more
    /// measured on this host) when it comes. Costs a timestamp and a store per helper; nothing when the helpers do not
    /// exist yet; a wake that races with a helper going to sleep is simply lost (the call's own post wakes it as before).
    /// </summary>
    public static void Wake(int threads)
    {
        var workers = s_workers;
        for (int i = 0; i < Math.Min(threads - 1, workers.Length); i++) workers[i].Wake();
    }

    /// <summary>
    /// <see cref="RunItems"/> with a managed object as the state: the object is
    /// held by a <see cref="GCHandle"/> for the call (no managed allocation) and handed to <paramref name="body"/> as is.
    /// </summary>
    public static void RunObjectItems(delegate*<int, object, void> body, object state, int items, int threads)
    {
        var handle = GCHandle.Alloc(state);
        try
        {
            var call = new ObjectCall { Body = body, State = GCHandle.ToIntPtr(handle) };
            RunItems(&ObjectItem, (nint)(&call), items, threads);
        }
        finally
        {
            handle.Free();
        }
    }

    private struct ObjectCall
    {
        public delegate*<int, object, void> Body;
        public nint State;
    }

    private static void ObjectItem(int item, nint call)
    {
        var c = (ObjectCall*)call;
        c->Body(item, GCHandle.FromIntPtr(c->State).Target!);
    }

    /// <summary>
    /// Runs <c>body(i, state)</c> for every item i in 0..<paramref name="items"/>−1, on the calling thread plus up to
    /// <paramref name="threads"/> − 1 helpers of the GEMM pool, and returns when all items are done. Thread t (the
    /// caller is 0) first takes its own items i ≡ t (mod threads), in order, so that repeated lists give each core the
    /// same data; then any item still unclaimed (a helper that the system delays loses its items to whoever runs).
    /// Each item runs exactly once; which thread runs it is not fixed, so items must not depend on that. Items run on
    /// the caller alone when threads ≤ 1, items ≤ 1, or the pool is busy (another product or list, or a call from
    /// inside an item). An exception in a body is rethrown on the caller after every thread has left the list.
    /// Allocates nothing in steady state.
    /// </summary>
    /// <param name="body">Called as <c>body(item, state)</c>; must not throw for ordinary inputs (it may run on any thread).</param>
    /// <param name="state">Passed through to <paramref name="body"/> (e.g. the address of a struct on the caller's stack).</param>
    /// <param name="items">Number of items.</param>
    /// <param name="threads">Most threads to use (1 runs everything on the caller).</param>
    public static void RunItems(delegate*<int, nint, void> body, nint state, int items, int threads)
    {
        Debug.Assert(body != null && items >= 0);
        threads = Math.Min(threads, items);
        if (threads <= 1 || Monitor.IsEntered(s_gate) || !Monitor.TryEnter(s_gate))
        {
            for (int i = 0; i < items; i++) body(i, state);
            return;
        }
        try
        {
            EnsureWorkers(threads - 1);
            Slot slot = s_slots[s_nextSlot];
            s_nextSlot ^= 1;
            var spinner = new SpinWait();
            while ((Volatile.Read(ref slot.State) & ~Closed) != 0) spinner.SpinOnce(sleep1Threshold: -1);

            if (slot.Claimed.Length < items) slot.Claimed = new int[Math.Max(items, 2 * slot.Claimed.Length)];
            Array.Clear(slot.Claimed, 0, items);
            slot.Body = body;
            slot.BodyState = state;
            slot.Items = items;
            slot.Threads = threads;
            slot.ItemsDone = 0;
            slot.Job.Failed = 0;
            s_error = null;
            var trace = Trace;
            int traced = slot.TraceIndex = trace?.Begin(1, 0, 0, 0, items) ?? -1;
            Interlocked.Exchange(ref slot.State, 0);
            long generation = Interlocked.Increment(ref s_generation);
            bool asleep = false;
            for (int i = 0; i < threads - 1; i++) asleep |= s_workers[i].Post(slot, generation);
            if (traced >= 0) Posted(trace!, traced, asleep);

            Exception? own = null;
            try
            {
                RunItemsOn(slot, 0);
            }
            catch (Exception e)
            {
                own = e;
                Volatile.Write(ref slot.Job.Failed, 1);
            }
            if (traced >= 0 && Volatile.Read(ref slot.ItemsDone) < items)
            {
                long waitStart = Stopwatch.GetTimestamp();
                while (Volatile.Read(ref slot.ItemsDone) < items && Volatile.Read(ref slot.Job.Failed) == 0)
                    spinner.SpinOnce(sleep1Threshold: -1);
                GemmPoolTrace.t_wait += Stopwatch.GetTimestamp() - waitStart;
            }
            while (Volatile.Read(ref slot.ItemsDone) < items && Volatile.Read(ref slot.Job.Failed) == 0)
                spinner.SpinOnce(sleep1Threshold: -1);
            if (traced >= 0) Ended(trace!, traced);
            int state0;
            do state0 = Volatile.Read(ref slot.State);
            while (Interlocked.CompareExchange(ref slot.State, state0 | Closed, state0) != state0);
            if (Volatile.Read(ref slot.Job.Failed) != 0)
            {
                while ((Volatile.Read(ref slot.State) & ~Closed) != 0) spinner.SpinOnce(sleep1Threshold: -1);
                if (own is not null) ExceptionDispatchInfo.Throw(own);
                if (s_error is { } error) ExceptionDispatchInfo.Throw(error);
                throw new InvalidOperationException("A GEMM pool worker thread failed.");
            }
        }
        finally
        {
            Monitor.Exit(s_gate);
        }
    }

    private static void Posted(GemmPoolTrace trace, int index, bool asleep)
    {
        ref var call = ref trace[index];
        call.Posted = Stopwatch.GetTimestamp();
        call.HelperAsleep = asleep;
    }

    private static void Ended(GemmPoolTrace trace, int index)
    {
        ref var call = ref trace[index];
        call.End = Stopwatch.GetTimestamp();
        call.CallerWait = GemmPoolTrace.t_wait;
        call.CallerItems = GemmPoolTrace.t_items;
    }

    /// <summary>Thread <paramref name="t"/>'s share of an item list: its own items first, then any left unclaimed.</summary>
    private static void RunItemsOn(Slot slot, int t)
    {
        int items = slot.Items, threads = slot.Threads;
        var body = slot.Body;
        int[] claimed = slot.Claimed;
        for (int i = t; i < items; i += threads) TryRunItem(slot, claimed, body, i);
        for (int i = 0; i < items; i++)
        {
            if (Volatile.Read(ref slot.Job.Failed) != 0) return;
            TryRunItem(slot, claimed, body, i);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void TryRunItem(Slot slot, int[] claimed, delegate*<int, nint, void> body, int i)
    {
        if (Volatile.Read(ref claimed[i]) != 0 || Interlocked.Exchange(ref claimed[i], 1) != 0) return;
        body(i, slot.BodyState);
        Interlocked.Increment(ref slot.ItemsDone);
        if (slot.TraceIndex >= 0) GemmPoolTrace.t_items++;
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

        private readonly int _index;

        public Worker(int index)
        {
            _index = index;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Occam GEMM worker {index}" };
            thread.Start();
        }

        /// <summary>Posts a product to this helper and wakes it if it blocked; true if it had to be woken.</summary>
        public bool Post(Slot slot, long generation)
        {
            Volatile.Write(ref _slot, slot);
            Interlocked.Exchange(ref _posted, generation);
            if (Volatile.Read(ref _sleeping) != 1) return false;
            _wake.Set();
            return true;
        }

        /// <summary>Restarts this helper's spin window, and wakes it if it blocked (it then spins for the next post).</summary>
        public void Wake()
        {
            Volatile.Write(ref _spinFrom, Stopwatch.GetTimestamp());
            if (Volatile.Read(ref _sleeping) == 1) _wake.Set();
        }

        /// <summary>The latest <see cref="Wake"/>: the spin window runs from it when it is later than the last post.</summary>
        private long _spinFrom;

        private void Loop()
        {
            while (true)
            {
                WaitForPost();
                Slot slot = Volatile.Read(ref _slot)!;
                if (!TryJoin(slot)) continue; // the product was already finished without us
                int traced = slot.TraceIndex;
                var trace = Trace;
                long joined = 0;
                if (traced >= 0 && trace is not null)
                {
                    joined = Stopwatch.GetTimestamp();
                    GemmPoolTrace.t_wait = 0;
                    GemmPoolTrace.t_items = 0;
                }
                try
                {
                    if (slot.Body != null)
                    {
                        if (_index < slot.Threads) RunItemsOn(slot, _index);
                    }
                    else
                    {
                        GemmDriver.Execute(ref slot.Job, _index);
                    }
                }
                catch (Exception e)
                {
                    s_error = e;
                    Volatile.Write(ref slot.Job.Failed, 1);
                }
                finally
                {
                    if (joined != 0)
                    {
                        ref var call = ref trace![traced];
                        call.HelperJoin = joined;
                        call.HelperLeave = Stopwatch.GetTimestamp();
                        call.HelperWait = GemmPoolTrace.t_wait;
                        call.HelperItems = GemmPoolTrace.t_items;
                    }
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
                if (Stopwatch.GetTimestamp() - Math.Max(start, Volatile.Read(ref _spinFrom)) < SpinTicks)
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
