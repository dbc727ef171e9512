using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Occam.Numerics;

namespace Occam.Bench;

/// <summary>
/// `infer-probe`: what the machine can do for the inference cases, measured in the same process.
/// <list type="bullet">
/// <item><c>bw</c>: read bandwidth by working set (16 KiB .. 64 MiB): one thread, and two threads at once each reading a
/// buffer of its own (the case of a row split in two halves of the weights); each buffer is read again and again, so a
/// set that fits a cache level is served from it. Best of windows, GB/s per thread and in all.</item>
/// <item><c>bw-nta</c> (only when asked for; session 23): 1070 and 2140 KiB read again and again, the first
/// <c>residentKib</c> plainly and the rest through <c>prefetchnta</c> 2 KiB ahead of the loads, against plain reads
/// (first and last line of each size): whether non-temporal prefetches keep a streamed part from evicting a resident
/// part of L2 (on Zen 5 they do not), µs per pass, one thread and two at once.</item>
/// <item><c>fma</c>: the core's peak of fused multiply-adds (16 independent Vector512 or Vector256 chains, registers
/// only), GFLOP/s on one thread: the ceiling of any product.</item>
/// <item><c>handoff</c>: one <see cref="GemmThreadPool.RunItems"/> call of two items of 2 µs each on two threads, minus
/// those 2 µs (what a split layer of the row path pays beyond its work), µs, best and median of many calls back to
/// back, and the share of calls whose second item ran on the helper.</item>
/// <item><c>layers</c>: each product of a 784-512-256-10 batch of 256, and of its pruned 784-256-128-10 (the `infer`
/// pruned case), through <see cref="GemmPanels.Multiply"/> alone (panels already packed), GFLOP/s, one thread: W read
/// in place (<c>us</c>) and packed (<see cref="GemmPanels.PackWeights"/>, <c>packedUs</c>, what a predictor reads); the
/// shapes take turns call by call (since session 17), each timed call after an untimed one of the same layer, so its
/// weights are in L2.</item>
/// </list>
/// One JSON line per figure.
/// </summary>
internal static unsafe class InferProbe
{
    public static int Run(string[] args)
    {
        string what = args.Length > 0 ? args[0] : "all";
        if (what is "bw" or "all") Bandwidth();
        if (what is "bw-nta") BandwidthNta();
        if (what is "fma" or "all") FmaPeak();
        if (what is "layers" or "all") Layers();
        if (what is "handoff" or "all") HandOff();
        if (what is "pack" or "all") PackInputs();
        if (what is "tile" or "all") TileRate();
        return 0;
    }

    private static void Bandwidth()
    {
        long[] sizes = [256 << 10, 512 << 10, 768 << 10, 900 << 10, 1000 << 10, 1070 << 10, 1536 << 10, 2140 << 10, 4 << 20, 16 << 20, 64 << 20];
        foreach (long bytes in sizes)
        {
            double one = BestSeconds(1, bytes);
            double two = BestSeconds(2, bytes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"bench\":\"infer-probe\",\"probe\":\"bw\",\"kib\":{bytes >> 10},\"gbs1\":{bytes / one / 1e9:F1},\"gbs2PerThread\":{bytes / two / 1e9:F1},\"gbs2All\":{2 * bytes / two / 1e9:F1},\"us1\":{one * 1e6:F2},\"us2\":{two * 1e6:F2}}}"));
        }
    }

    /// <summary>
    /// Repeated reads of a buffer larger than L2 whose first <c>resident</c> bytes are read plainly and the rest through
    /// <c>prefetchnta</c> ahead of the loads, so that the streamed part might not evict the resident part from L2.
    /// </summary>
    private static void BandwidthNta()
    {
        s_ntaFrom = 0;
        BestSeconds(1, 256 << 10);   // both loops of Sum compiled optimized before the first figure
        s_ntaFrom = int.MaxValue;
        BestSeconds(1, 256 << 10);
        foreach (long bytes in new long[] { 1070 << 10, 2140 << 10 })
            foreach (long resident in new long[] { -1, 0, 512 << 10, 640 << 10, 768 << 10, 896 << 10, -1 })
            {
                if (resident > bytes) continue;
                s_ntaFrom = resident < 0 ? int.MaxValue : (int)(resident / 4);
                double one = BestSeconds(1, bytes);
                double two = BestSeconds(2, bytes);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"bench\":\"infer-probe\",\"probe\":\"bw-nta\",\"kib\":{bytes >> 10},\"residentKib\":{(resident < 0 ? "\"plain\"" : (resident >> 10).ToString(CultureInfo.InvariantCulture))},\"us1\":{one * 1e6:F2},\"us2\":{two * 1e6:F2}}}"));
            }
        s_ntaFrom = int.MaxValue;
    }

    private static int s_ntaFrom = int.MaxValue;

    /// <summary>Best time of one pass over <paramref name="bytes"/> per thread, with every thread reading its own buffer at once.</summary>
    private static double BestSeconds(int threads, long bytes)
    {
        int n = (int)(bytes / 4);
        var buffers = new float*[threads];
        for (int t = 0; t < threads; t++)
        {
            buffers[t] = (float*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
            for (int i = 0; i < n; i++) buffers[t][i] = 1e-3f * (i & 1023);
        }
        int passes = (int)Math.Max(1, (64L << 20) / bytes);
        double best = double.MaxValue;
        var sink = new float[threads];
        var start = new Barrier(threads);
        var times = new double[threads];
        for (int window = 0; window < 40; window++)
        {
            var workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                int id = t;
                workers[t] = new Thread(() =>
                {
                    float* b = buffers[id];
                    Sum(b, n); // warm
                    start.SignalAndWait();
                    long t0 = Stopwatch.GetTimestamp();
                    float s = 0;
                    for (int p = 0; p < passes; p++) s += Sum(b, n);
                    times[id] = (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency / passes;
                    sink[id] += s;
                });
                workers[t].Start();
            }
            foreach (var w in workers) w.Join();
            best = Math.Min(best, times.Max());
        }
        for (int t = 0; t < threads; t++) NativeMemory.AlignedFree(buffers[t]);
        GC.KeepAlive(sink);
        return best;
    }

    /// <summary>Sum of n floats (n a multiple of 64), 4 independent Vector512 chains: a pure read stream.</summary>
    private static float Sum(float* p, int n)
    {
        Vector512<float> a = default, b = default, c = default, d = default;
        int from = Math.Min(n, s_ntaFrom) & ~63;
        for (int i = from; i < n; i += 64)
        {
            System.Runtime.Intrinsics.X86.Sse.PrefetchNonTemporal(p + i + 512);
            a += Vector512.Load(p + i);
            b += Vector512.Load(p + i + 16);
            c += Vector512.Load(p + i + 32);
            d += Vector512.Load(p + i + 48);
        }
        n = from;
        for (int i = 0; i < n; i += 64)
        {
            a += Vector512.Load(p + i);
            b += Vector512.Load(p + i + 16);
            c += Vector512.Load(p + i + 32);
            d += Vector512.Load(p + i + 48);
        }
        return Vector512.Sum(a + b + c + d);
    }

    private static void FmaPeak()
    {
        const int Steps = 1 << 20;
        double best512 = double.MaxValue, best256 = double.MaxValue;
        for (int w = 0; w < 30; w++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Fma512(Steps);
            best512 = Math.Min(best512, (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency);
            t0 = Stopwatch.GetTimestamp();
            Fma256(Steps);
            best256 = Math.Min(best256, (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"infer-probe\",\"probe\":\"fma\",\"gflops512\":{Steps * 16.0 * 32 / best512 / 1e9:F1},\"gflops256\":{Steps * 16.0 * 16 / best256 / 1e9:F1}}}"));
    }

    private static float Fma512(int steps)
    {
        var m = Vector512.Create(0.999f);
        var a = Vector512.Create(1e-3f);
        Vector512<float> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a, c12 = a, c13 = a, c14 = a, c15 = a;
        for (int i = 0; i < steps; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a); c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a); c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a); c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a); c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a); c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            c10 = Vector512.FusedMultiplyAdd(c10, m, a); c11 = Vector512.FusedMultiplyAdd(c11, m, a);
            c12 = Vector512.FusedMultiplyAdd(c12, m, a); c13 = Vector512.FusedMultiplyAdd(c13, m, a);
            c14 = Vector512.FusedMultiplyAdd(c14, m, a); c15 = Vector512.FusedMultiplyAdd(c15, m, a);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }

    private static float Fma256(int steps)
    {
        var m = Vector256.Create(0.999f);
        var a = Vector256.Create(1e-3f);
        Vector256<float> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a, c12 = a, c13 = a, c14 = a, c15 = a;
        for (int i = 0; i < steps; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, a); c1 = Vector256.FusedMultiplyAdd(c1, m, a);
            c2 = Vector256.FusedMultiplyAdd(c2, m, a); c3 = Vector256.FusedMultiplyAdd(c3, m, a);
            c4 = Vector256.FusedMultiplyAdd(c4, m, a); c5 = Vector256.FusedMultiplyAdd(c5, m, a);
            c6 = Vector256.FusedMultiplyAdd(c6, m, a); c7 = Vector256.FusedMultiplyAdd(c7, m, a);
            c8 = Vector256.FusedMultiplyAdd(c8, m, a); c9 = Vector256.FusedMultiplyAdd(c9, m, a);
            c10 = Vector256.FusedMultiplyAdd(c10, m, a); c11 = Vector256.FusedMultiplyAdd(c11, m, a);
            c12 = Vector256.FusedMultiplyAdd(c12, m, a); c13 = Vector256.FusedMultiplyAdd(c13, m, a);
            c14 = Vector256.FusedMultiplyAdd(c14, m, a); c15 = Vector256.FusedMultiplyAdd(c15, m, a);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }

    /// <summary>
    /// The 8×32 Vector512 micro-kernel's own rate (kc = 256, β = 0): <c>hot</c> — one Ã and one B̃ micro-panel (40 KiB,
    /// in L1) again and again; <c>macro</c> — a 128-row Ã block and 16 B̃ micro-panels (896 KiB with C, in L2) walked as
    /// the macro-kernel walks them (B̃ panel outer, Ã panels inner). GFLOP/s, one thread, best of windows.
    /// </summary>
    private static void TileRate()
    {
        if (!Vector512.IsHardwareAccelerated) { Console.WriteLine("{\"bench\":\"infer-probe\",\"probe\":\"tile\",\"skipped\":\"no Vector512\"}"); return; }
        const int Kc = 256, Mc = 128, Panels = 16;
        float* a = (float*)NativeMemory.AlignedAlloc((nuint)(Mc * Kc * 4), 64);
        float* b = (float*)NativeMemory.AlignedAlloc((nuint)(Panels * 32 * Kc * 4), 64);
        float* c = (float*)NativeMemory.AlignedAlloc((nuint)(Mc * Panels * 32 * 4), 64);
        for (int i = 0; i < Mc * Kc; i++) a[i] = 1e-3f * (i % 7);
        for (int i = 0; i < Panels * 32 * Kc; i++) b[i] = 1e-3f * (i % 5);
        double bestHot = double.MaxValue, bestMacro = double.MaxValue;
        const int HotCalls = 4000, MacroRounds = 40;
        for (int w = 0; w < 40; w++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int r = 0; r < HotCalls; r++) GemmTileV512.Tile8x32(Kc, a, b, c, 32, 1f, 0f);
            bestHot = Math.Min(bestHot, (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency);
            t0 = Stopwatch.GetTimestamp();
            for (int r = 0; r < MacroRounds; r++)
                for (int q = 0; q < Panels; q++)
                    for (int ir = 0; ir < Mc; ir += 8)
                        GemmTileV512.Tile8x32(Kc, a + ir * Kc, b + q * 32 * Kc, c + ir * Panels * 32 + q * 32, Panels * 32, 1f, 0f);
            bestMacro = Math.Min(bestMacro, (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency);
        }
        double flopsTile = 2.0 * 8 * 32 * Kc;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"infer-probe\",\"probe\":\"tile\",\"kernel\":\"8x32\",\"hotGflops\":{flopsTile * HotCalls / bestHot / 1e9:F1},\"macroGflops\":{flopsTile * MacroRounds * Panels * (Mc / 8) / bestMacro / 1e9:F1}}}"));
        NativeMemory.AlignedFree(a); NativeMemory.AlignedFree(b); NativeMemory.AlignedFree(c);
    }

    private static void HandOff()
    {
        // Each item works for 2 µs (a spin on the clock), so that the helper has time to take item 1: the figure is
        // the call's time minus those 2 µs, and the share of calls whose item 1 ran on another thread than the caller.
        var times = new double[20000];
        int helped = 0;
        for (int i = 0; i < times.Length; i++)
        {
            s_item1Thread = 0;
            long t0 = Stopwatch.GetTimestamp();
            GemmThreadPool.RunItems(&Spin2us, 0, 2, 2);
            times[i] = (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency - 2e-6;
            if (s_item1Thread != Environment.CurrentManagedThreadId) helped++;
        }
        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"infer-probe\",\"probe\":\"handoff\",\"bestUs\":{times[0] * 1e6:F2},\"medianUs\":{times[times.Length / 2] * 1e6:F2},\"item1OnHelper\":{helped / (double)times.Length:F3}}}"));
    }

    private static int s_item1Thread;

    private static void Spin2us(int item, nint state)
    {
        long end = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 500_000;
        while (Stopwatch.GetTimestamp() < end) { }
        if (item == 1) s_item1Thread = Environment.CurrentManagedThreadId;
    }

    /// <summary>
    /// The input side of a batch of 256 × 784 float rows: the non-finite check and the packing into panels, one after
    /// the other (the path before session 23) and as one checked packing (<c>GemmPanels.PackRowsChecked</c>), with x
    /// warm and after a 16 MiB sweep has evicted it from L2 (<c>…FromL3Us</c>).
    /// </summary>
    private static void PackInputs()
    {
        var kernel = GemmPanels.Resolve(GemmKernel.Auto);
        int nr = GemmPanels.Shape(kernel).NR, rows = 256, k = 784;
        var x = new float[rows * k];
        var rng = new Random(3);
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        var panels = new float[(rows + nr - 1) / nr * nr * k];
        double bestPack = double.MaxValue, bestCheck = double.MaxValue, bestCold = double.MaxValue;
        double bestChecked = double.MaxValue, bestCheckedCold = double.MaxValue;
        var flush = new float[4 << 20];   // 16 MiB: evicts x and the panels from L2
        fixed (float* px = x, pp = panels)
            for (int window = 0; window < 400; window++)
            {
                bool cold = window % 2 == 1, fused = window % 4 >= 2;
                if (cold)
                    for (int i = 0; i < flush.Length; i += 16) flush[i] += 1;
                long t0 = Stopwatch.GetTimestamp();
                bool finite;
                long t1 = t0;
                if (fused) finite = GemmPanels.PackRowsChecked(pp, px, k, rows, k, nr);
                else
                {
                    finite = Occam.Numerics.Conversion.NonFinite.IndexOf(x) < 0;
                    t1 = Stopwatch.GetTimestamp();
                    GemmPanels.PackRows(pp, px, k, rows, k, nr);
                }
                long t2 = Stopwatch.GetTimestamp();
                if (!finite) throw new InvalidOperationException();
                double whole = (t2 - t0) / (double)Stopwatch.Frequency;
                if (fused && cold) bestCheckedCold = Math.Min(bestCheckedCold, whole);
                else if (fused) bestChecked = Math.Min(bestChecked, whole);
                else if (cold) bestCold = Math.Min(bestCold, whole);
                else
                {
                    bestCheck = Math.Min(bestCheck, (t1 - t0) / (double)Stopwatch.Frequency);
                    bestPack = Math.Min(bestPack, (t2 - t1) / (double)Stopwatch.Frequency);
                }
            }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"infer-probe\",\"probe\":\"pack\",\"rows\":{rows},\"k\":{k},\"checkUs\":{bestCheck * 1e6:F1},\"packUs\":{bestPack * 1e6:F1},\"bothFromL3Us\":{bestCold * 1e6:F1},\"checkedPackUs\":{bestChecked * 1e6:F1},\"checkedPackFromL3Us\":{bestCheckedCold * 1e6:F1}}}"));
    }

    private static void Layers()
    {
        var kernel = GemmPanels.Resolve(GemmKernel.Auto);
        int nr = GemmPanels.Shape(kernel).NR, panels = 256 / nr;
        // The full 784-512-256-10 and the pruned 784-256-128-10 of `infer`; the shapes (in place and packed) take
        // turns call by call, so that a slow phase of the host falls on all of them alike.
        (int n, int k)[] shapes = [(512, 784), (256, 512), (10, 256), (256, 784), (128, 256), (10, 128)];
        var rng = new Random(1);
        var buffers = new List<(int N, int K, int Padded, float[] W, float[] Bias, float[] X, float[] Y, float[] Packed)>();
        foreach (var (n, k) in shapes)
        {
            int padded = GemmPanels.PaddedUnits(kernel, n);
            var w = GC.AllocateArray<float>(n * k, pinned: true);
            var bias = GC.AllocateArray<float>(n, pinned: true);
            var x = GC.AllocateArray<float>(panels * k * nr, pinned: true);
            var y = GC.AllocateArray<float>(panels * padded * nr, pinned: true);
            var packed = GC.AllocateArray<float>((int)GemmPanels.PackedLength(kernel, n, k), pinned: true);
            for (int i = 0; i < w.Length; i++) w[i] = (float)rng.NextDouble() - 0.5f;
            for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
            fixed (float* pw = w, pp = packed) GemmPanels.PackWeights(kernel, n, k, pw, k, pp);
            buffers.Add((n, k, padded, w, bias, x, y, packed));
        }
        var best = new double[shapes.Length, 2];
        for (int i = 0; i < shapes.Length; i++) best[i, 0] = best[i, 1] = double.MaxValue;
        for (int window = 0; window < 200; window++)
            for (int i = 0; i < shapes.Length; i++)
                for (int side = 0; side < 2; side++)
                {
                    var b = buffers[i];
                    fixed (float* pw = b.W, pb = b.Bias, px = b.X, py = b.Y, pp = b.Packed)
                    {
                        float* packed = side == 1 ? pp : null;
                        // One untimed call first: the layer's weights back in L2 after the other layers' calls.
                        GemmPanels.Multiply(kernel, b.N, b.K, pw, b.K, pb, px, (nint)b.K * nr, py, (nint)b.Padded * nr, 0, panels, packed: packed);
                        long t0 = Stopwatch.GetTimestamp();
                        GemmPanels.Multiply(kernel, b.N, b.K, pw, b.K, pb, px, (nint)b.K * nr, py, (nint)b.Padded * nr, 0, panels, packed: packed);
                        best[i, side] = Math.Min(best[i, side], (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency);
                    }
                }
        for (int i = 0; i < shapes.Length; i++)
        {
            var (n, k) = shapes[i];
            double flops = 2.0 * n * k * 256;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"bench\":\"infer-probe\",\"probe\":\"layer\",\"n\":{n},\"k\":{k},\"us\":{best[i, 0] * 1e6:F1},\"gflops\":{flops / best[i, 0] / 1e9:F1},\"packedUs\":{best[i, 1] * 1e6:F1},\"packedGflops\":{flops / best[i, 1] / 1e9:F1}}}"));
        }
    }
}
