using System.Diagnostics;

namespace Occam.Numerics;

/// <summary>
/// Instrumentation of <see cref="GemmThreadPool"/> for the bench (<c>Occam.Bench steps --trace</c>): while
/// <see cref="GemmThreadPool.Trace"/> holds an instance, every multi-threaded call (a product or an item list) records
/// one <see cref="Call"/> with <see cref="Stopwatch"/> timestamps — when the caller entered, when the helper joined and
/// left, how long each thread spun waiting for the other (inside a product: <c>GemmDriver</c>'s waits for the pack and
/// compute counters; after an item list: the caller's wait for the last item) and how many items each ran. Nothing is
/// recorded (and nothing costs more than one static read per call) while the field is null. Records are preallocated;
/// when they are used up, further calls are not recorded. One helper is assumed (two threads), which is what this
/// machine kind has.
/// </summary>
internal sealed class GemmPoolTrace
{
    /// <summary>One pool call. Times are <see cref="Stopwatch.GetTimestamp"/> ticks; HelperJoin = 0: the helper did not join.</summary>
    internal struct Call
    {
        /// <summary>0: a GEMM product (M, N, K set); 1: an item list (Items set).</summary>
        public int Kind;
        public int M, N, K, Items;
        /// <summary>The caller entered the pool, posted the work, finished.</summary>
        public long Start, Posted, End;
        /// <summary>The helper was blocked on its event (not spinning) when the work was posted: it had to be woken.</summary>
        public bool HelperAsleep;
        /// <summary>The helper joined (0: it arrived after the call was closed, or never), left.</summary>
        public long HelperJoin, HelperLeave;
        /// <summary>Ticks each thread spent spinning for the other inside the call.</summary>
        public long CallerWait, HelperWait;
        /// <summary>Items (GEMM: pack and compute items) each thread ran.</summary>
        public int CallerItems, HelperItems;
    }

    private readonly Call[] _calls;
    private int _count;

    /// <summary>Room for <paramref name="capacity"/> calls.</summary>
    public GemmPoolTrace(int capacity) => _calls = new Call[capacity];

    /// <summary>The calls recorded so far, in order.</summary>
    public ReadOnlySpan<Call> Calls => _calls.AsSpan(0, Volatile.Read(ref _count));

    /// <summary>Forgets the calls recorded so far (between measurements; no helper may be inside a call).</summary>
    public void Clear() => Volatile.Write(ref _count, 0);

    /// <summary>The next record's index, or −1 when full (caller thread, under the pool's gate).</summary>
    internal int Begin(int kind, int m, int n, int k, int items)
    {
        int i = _count;
        if (i >= _calls.Length) return -1;
        _calls[i] = new Call { Kind = kind, M = m, N = n, K = k, Items = items, Start = Stopwatch.GetTimestamp() };
        Volatile.Write(ref _count, i + 1);
        t_wait = 0;
        t_items = 0;
        return i;
    }

    internal ref Call this[int index] => ref _calls[index];

    /// <summary>Per-thread counters of the call the thread is in (reset when it enters one).</summary>
    [ThreadStatic] internal static long t_wait;
    [ThreadStatic] internal static int t_items;
}
