namespace Occam.Numerics.Tests.Gemm;

/// <summary>
/// <see cref="GemmThreadPool.RunItems"/>: every item runs exactly once for any item and thread count, a list started
/// from inside an item (or a product inside an item) runs on the caller without deadlock, an exception in a body
/// reaches the caller, and steady-state calls allocate nothing; the bench's trace (<see cref="GemmPoolTrace"/>) records
/// each threaded call with ordered timestamps and item counts.
/// </summary>
/// <remarks>
/// Not run beside other test classes: a call made while another test's product holds the pool runs on the caller
/// alone and makes no threaded call for the trace to record (the trace test failed that way under a loaded full run).
/// </remarks>
[Collection(nameof(GemmThreadPoolTests))]
public unsafe class GemmThreadPoolTests
{
    private static void CountItem(int item, nint state) => Interlocked.Increment(ref ((int*)state)[item]);

    [Fact]
    public void EveryItemRunsExactlyOnce()
    {
        foreach (int threads in new[] { 1, 2, 3, 4 })
            foreach (int items in new[] { 0, 1, 2, 3, 7, 64, 65, 200 })
                for (int repeat = 0; repeat < 20; repeat++)
                {
                    var counts = new int[Math.Max(items, 1)];
                    fixed (int* p = counts)
                        GemmThreadPool.RunItems(&CountItem, (nint)p, items, threads);
                    for (int i = 0; i < items; i++)
                        Assert.True(counts[i] == 1, $"item {i} of {items} ran {counts[i]} times with {threads} threads");
                }
    }

    [Fact]
    public void TraceRecordsEachThreadedCall()
    {
        // Other tests may run pool calls meanwhile (they are recorded too): look for this test's own calls.
        var trace = new GemmPoolTrace(1 << 14);
        var counts = new int[37];
        var a = new float[256 * 300];
        var c = new float[256 * 200];
        Array.Fill(a, 0.5f);
        GemmThreadPool.Trace = trace;
        try
        {
            fixed (int* p = counts)
                GemmThreadPool.RunItems(&CountItem, (nint)p, 37, 2);
            Numerics.Gemm.Multiply(new GemmOptions(Threads: 2), false, true, 256, 200, 300, 1f, a, 300, a, 300, 0f, c, 200);
        }
        finally
        {
            GemmThreadPool.Trace = null;
        }
        // A helper writes its part of a record as it leaves the call, which may be just after the caller returned.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        GemmPoolTrace.Call[] calls;
        do calls = trace.Calls.ToArray();
        while (calls.Any(x => x.HelperJoin != 0 && x.HelperLeave == 0 || x.Kind == 1 && x.Items == 37 && x.CallerItems + x.HelperItems < 37)
            && DateTime.UtcNow < deadline);
        var list = Assert.Single(calls, x => x.Kind == 1 && x.Items == 37);
        var product = Assert.Single(calls, x => x.Kind == 0 && x is { M: 256, N: 200, K: 300 });
        foreach (var call in new[] { list, product })
        {
            Assert.True(call.Start <= call.Posted && call.Posted <= call.End, "caller's timestamps out of order");
            Assert.True(call.CallerWait >= 0 && call.HelperWait >= 0);
            if (call.HelperJoin != 0) Assert.True(call.HelperJoin <= call.HelperLeave);
        }
        Assert.Equal(37, list.CallerItems + list.HelperItems);
        Assert.True(product.CallerItems + product.HelperItems >= 2, "a product's pack and compute items are counted");
        Assert.All(counts, n => Assert.Equal(1, n));
        trace.Clear();
        Assert.Equal(0, trace.Calls.Length);
    }

    private struct Nested
    {
        public int* Counts;
        public float* C;
    }

    private static void NestedItem(int item, nint state)
    {
        var nested = (Nested*)state;
        // A list and a threaded product from inside an item: both must run (on this thread) and finish.
        GemmThreadPool.RunItems(&CountItem, (nint)(nested->Counts + 4 * item), 4, 2);
        var a = new float[128 * 128];
        Array.Fill(a, 1f);
        var c = new Span<float>(nested->C + item * 128 * 128, 128 * 128);
        Numerics.Gemm.Multiply(new GemmOptions(Threads: 2), false, false, 128, 128, 128, 1f, a, 128, a, 128, 0f, c, 128);
    }

    [Fact]
    public void ListsAndProductsInsideAnItemRunOnTheCaller()
    {
        const int items = 6;
        var counts = new int[4 * items];
        var c = new float[items * 128 * 128];
        fixed (int* pc = counts)
        fixed (float* pf = c)
        {
            var nested = new Nested { Counts = pc, C = pf };
            GemmThreadPool.RunItems(&NestedItem, (nint)(&nested), items, 2);
        }
        Assert.All(counts, x => Assert.Equal(1, x));
        Assert.All(c, x => Assert.Equal(128f, x));
    }

    private static void ThrowOnSeven(int item, nint state)
    {
        Interlocked.Increment(ref ((int*)state)[item]);
        if (item == 7) throw new InvalidOperationException("item 7");
    }

    [Fact]
    public void AnExceptionInABodyReachesTheCallerAndThePoolStaysUsable()
    {
        foreach (int threads in new[] { 1, 2 })
        {
            var counts = new int[16];
            var error = Assert.Throws<InvalidOperationException>(() =>
            {
                fixed (int* p = counts)
                    GemmThreadPool.RunItems(&ThrowOnSeven, (nint)p, 16, threads);
            });
            Assert.Equal("item 7", error.Message);
            Assert.All(counts, x => Assert.True(x <= 1));
            var again = new int[16];
            fixed (int* p = again)
                GemmThreadPool.RunItems(&CountItem, (nint)p, 16, threads);
            Assert.All(again, x => Assert.Equal(1, x));
        }
    }

    [Fact]
    public void SteadyStateListsAllocateNothing()
    {
        var counts = new int[32];
        fixed (int* p = counts)
        {
            GemmThreadPool.RunItems(&CountItem, (nint)p, 32, 2);
            // Up to 4 rounds of 100 lists, one of which must allocate nothing (the runtime may allocate once when
            // tiered compilation promotes a method; a per-call allocation shows in every round).
            var rounds = new List<long>();
            for (int round = 0; round < 4; round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 100; i++) GemmThreadPool.RunItems(&CountItem, (nint)p, 32, 2);
                rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
                if (rounds[^1] == 0) break;
            }
            Assert.True(rounds[^1] == 0, $"bytes allocated per round: {string.Join(", ", rounds)}");
            Assert.All(counts, x => Assert.Equal(1 + 100 * rounds.Count, x));
        }
    }
}

/// <summary>The pool's own tests run alone (<see cref="GemmThreadPoolTests"/>).</summary>
[CollectionDefinition(nameof(GemmThreadPoolTests), DisableParallelization = true)]
public sealed class GemmThreadPoolTestsCollection;
