using System.Diagnostics;
using System.Globalization;
using Occam.Numerics;
using Occam.Numerics.Random;

namespace Occam.Bench;

/// <summary>
/// `gemm-quick`: best-of-N Stopwatch timing of SGEMM, Occam's <see cref="Gemm"/> or OpenBLAS's <c>cblas_sgemm</c>
/// called in-process through a function pointer (the same harness, buffers and data for both), one JSON line per
/// case:
/// <c>{"impl":"occam","set":"step","label":"784-512-256-10 fwd1","op":"NT","shape":"256x784x512","m":256,"k":784,"n":512,"threads":1,"gflops":...,"bestUs":...}</c>.
/// Shapes are m×k×n of <c>C[m×n] = op(A)[m×k]·op(B)[k×n]</c>; op NT is A·Bᵀ (the forward product of a dense layer),
/// TN is Aᵀ·B (its weight gradient), NN is A·B (its input gradient).
/// Options: <c>--impl occam|openblas</c>, <c>--openblas LIB</c> (path of libopenblas.so for <c>openblas</c>),
/// <c>--set headline|step|small|all</c> (default headline; see <see cref="Cases"/>), <c>--shape MxKxN</c> and
/// <c>--op NN|NT|TN|TT|all</c> (instead of a set), <c>--threads 1,2</c>, <c>--seconds S</c> per case (default 1.5),
/// <c>--path auto|direct|packed|packedb|fewrows|inplace|tiny</c> (Occam only).
/// <c>--impl both</c> (needs <c>--openblas</c>): Occam and OpenBLAS alternate on each case, <c>--rounds R</c> rounds
/// (default 3) of <c>seconds / (2·R)</c> each, best of all windows per side; both JSON lines are printed plus one
/// <c>{"impl":"ratio",...,"ratio":occam GFLOP/s ÷ OpenBLAS GFLOP/s}</c> line. For A/B checks on a loaded machine:
/// a disturbance hits both sides instead of one. <c>--variant split=shared|columns|auto[,path=…]</c> (with both): a third side,
/// Occam with those <see cref="GemmOptions"/>, in the same rounds, printed as <c>"impl":"ratio-VARIANT"</c>; with one impl,
/// the variant's options for all of it; its knobs <c>align=0|1</c>, <c>windows=0|1</c>, <c>wide=0|1</c>, <c>ownpack=0</c> and
/// <c>half=0|1</c> (<see cref="GemmDriver.HalfTiles"/>) switch those settings for the variant's side only. <c>--trace</c> (threads ≥ 2): 200 more calls per Occam side with
/// <see cref="GemmThreadPool.Trace"/> set, one line of medians (call, helper join after the post, each thread's spin
/// waits, items per thread). <c>--byte-rows</c>: Occam's products with a non-transposed A read its rows through a row
/// table from standardized bytes (<see cref="Gemm.MultiplyRowsWith"/>, a training step's first layer on IDX data;
/// OpenBLAS still multiplies floats).
/// Threads: Occam's products run with <see cref="Gemm.MaxThreads"/> = t (the setting a training run uses; small
/// products stay single-threaded by design); OpenBLAS with <c>openblas_set_num_threads(t)</c>.
/// </summary>
internal static unsafe class GemmQuick
{
    /// <summary>One product to time.</summary>
    internal sealed record Case(string Set, string Label, string Op, int M, int K, int N);

    /// <summary>
    /// The named sets. headline: 512³ and 256×784×512 in every transpose case of a dense layer (NN, NT, TN).
    /// step: exactly the products one training step of each <see cref="StepsQuick.Nets"/> network makes
    /// (per dense layer: forward NT batch×in×out, weight gradient TN out×batch×in, input gradient NN batch×out×in except
    /// for the first layer) — their OpenBLAS times add up to the reference of the step efficiency E.
    /// small: 128×64×128 and 4×2×8 in NN, NT and TN.
    /// </summary>
    internal static List<Case> Cases(string set)
    {
        var cases = new List<Case>();
        if (set is "headline" or "all")
            foreach (var (m, k, n) in new[] { (512, 512, 512), (256, 784, 512) })
                foreach (string op in new[] { "NN", "NT", "TN" })
                    cases.Add(new("headline", $"{m}x{k}x{n}", op, m, k, n));
        if (set is "step" or "all")
            foreach (var net in StepsQuick.Nets)
                cases.AddRange(StepCases(net));
        if (set is "small" or "all")
            foreach (var (m, k, n) in new[] { (128, 64, 128), (4, 2, 8) })
                foreach (string op in new[] { "NN", "NT", "TN" })
                    cases.Add(new("small", $"{m}x{k}x{n}", op, m, k, n));
        return cases;
    }

    /// <summary>The products of one training step of <paramref name="net"/> (see <c>Backprop</c>).</summary>
    internal static IEnumerable<Case> StepCases(StepsQuick.Net net)
    {
        int batch = net.Batch;
        for (int l = 0; l + 1 < net.Sizes.Length; l++)
        {
            int inputs = net.Sizes[l], outputs = net.Sizes[l + 1];
            yield return new("step", $"{net.Name} fwd{l + 1}", "NT", batch, inputs, outputs);
            yield return new("step", $"{net.Name} dW{l + 1}", "TN", outputs, batch, inputs);
            if (l > 0) yield return new("step", $"{net.Name} dX{l + 1}", "NN", batch, outputs, inputs);
        }
    }

    public static int Run(string[] args)
    {
        double seconds = 1.5;
        string impl = "occam", set = "headline";
        int rounds = 3;
        string? openblasPath = null;
        var ops = new List<string> { "NN" };
        var shapes = new List<(int M, int K, int N)>();
        var threadCounts = new List<int> { 1, 2 };
        var path = GemmPath.Auto;
        string? variant = null;
        bool trace = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--impl": impl = args[++i]; break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--openblas": openblasPath = args[++i]; break;
                case "--set": set = args[++i]; break;
                case "--op":
                    string op = args[++i].ToUpperInvariant();
                    ops = op == "ALL" ? ["NN", "NT", "TN", "TT"] : [op];
                    break;
                case "--shape":
                    int[] d = args[++i].Split('x').Select(int.Parse).ToArray();
                    shapes.Add((d[0], d[1], d[2]));
                    break;
                case "--path": path = Enum.Parse<GemmPath>(args[++i], ignoreCase: true); break;
                case "--variant": variant = args[++i]; break;
                case "--trace": trace = true; break;
                case "--byte-rows": s_byteRows = true; break;
                case "--c-offset": s_cOffset = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--b-offset": s_bOffset = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threadCounts = args[++i].Split(',').Select(int.Parse).ToList(); break;
                default: Console.Error.WriteLine($"gemm-quick: unknown option {args[i]}"); return 2;
            }
        }
        if (impl is not ("occam" or "openblas" or "both"))
        {
            Console.Error.WriteLine($"gemm-quick: --impl must be occam, openblas or both, not '{impl}'");
            return 2;
        }
        OpenBlasLibrary? blas = null;
        if (impl is "openblas" or "both")
        {
            if (openblasPath is null)
            {
                Console.Error.WriteLine("gemm-quick: --impl openblas/both needs --openblas PATH (libopenblas.so; bench/openblas.sh finds one)");
                return 2;
            }
            blas = new OpenBlasLibrary(openblasPath);
        }
        var cases = shapes.Count > 0
            ? shapes.SelectMany(s => ops.Select(op => new Case("custom", $"{s.M}x{s.K}x{s.N}", op, s.M, s.K, s.N))).ToList()
            : Cases(set);
        if (cases.Count == 0)
        {
            Console.Error.WriteLine($"gemm-quick: unknown set '{set}' (headline, step, small, all)");
            return 2;
        }

        foreach (int threads in threadCounts)
        {
            int saved = Gemm.MaxThreads;
            Gemm.MaxThreads = threads;
            blas?.SetThreads(threads);
            try
            {
                foreach (var c in cases)
                {
                    // Networks timed at one thread only (the small ones) skip the 2-thread step products.
                    if (c.Set == "step" && !StepsQuick.Nets.Single(n => c.Label.StartsWith(n.Name + " ", StringComparison.Ordinal)).Threads.Contains(threads))
                        continue;
                    var options = new GemmOptions(Path: path);
                    if (impl != "both")
                    {
                        Print(impl, c, threads, Time(c, threads, impl == "openblas" ? blas : null, WithVariant(options, variant), seconds), null);
                        continue;
                    }
                    double bestOccam = double.MaxValue, bestBlas = double.MaxValue, bestVariant = double.MaxValue;
                    for (int r = 0; r < rounds; r++)
                    {
                        bestOccam = Math.Min(bestOccam, Time(c, threads, null, options, seconds / (2 * rounds)));
                        if (variant is not null)
                        {
                            bool savedAlign = GemmInPlace.AlignShallow, savedWindows = GemmInPlace.LineWindows, savedPack = GemmDriver.OwnedPackItems;
                            GemmInPlace.AlignShallow = Flag(variant, "align", savedAlign);
                            GemmInPlace.LineWindows = Flag(variant, "windows", savedWindows);
                            bool savedWide = GemmInPlace.WideShallowTiles;
                            GemmInPlace.WideShallowTiles = Flag(variant, "wide", savedWide);
                            GemmDriver.OwnedPackItems = !variant.Contains("ownpack=0", StringComparison.Ordinal);
                            bool savedHalf = GemmDriver.HalfTiles;
                            GemmDriver.HalfTiles = Flag(variant, "half", savedHalf);
                            bestVariant = Math.Min(bestVariant, Time(c, threads, null, WithVariant(options, variant), seconds / (2 * rounds)));
                            GemmDriver.HalfTiles = savedHalf;
                            GemmInPlace.AlignShallow = savedAlign;
                            GemmInPlace.LineWindows = savedWindows;
                            GemmInPlace.WideShallowTiles = savedWide;
                            GemmDriver.OwnedPackItems = savedPack;
                        }
                        bestBlas = Math.Min(bestBlas, Time(c, threads, blas, options, seconds / (2 * rounds)));
                    }
                    Print("occam", c, threads, bestOccam, null);
                    Print("openblas", c, threads, bestBlas, null);
                    Print("ratio", c, threads, bestOccam, bestBlas / bestOccam);
                    if (variant is not null) Print("ratio-" + variant, c, threads, bestVariant, bestBlas / bestVariant);
                    if (trace && threads > 1)
                    {
                        TraceCalls("occam", c, threads, options);
                        if (variant is not null) TraceCalls(variant, c, threads, WithVariant(options, variant));
                    }
                }
            }
            finally
            {
                Gemm.MaxThreads = saved;
            }
        }
        return 0;
    }

    /// <summary>A variant's <c>name=0</c> or <c>name=1</c> setting (<c>--variant align=1,windows=0</c>), else <paramref name="otherwise"/>.</summary>
    private static bool Flag(string variant, string name, bool otherwise)
    {
        foreach (string part in variant.Split(','))
        {
            if (part == name + "=0") return false;
            if (part == name + "=1") return true;
        }
        return otherwise;
    }

    /// <summary>
    /// <paramref name="options"/> with a variant's settings (<c>--variant</c>): <c>split=auto|shared|columns</c>
    /// (<see cref="GemmSplit"/>), <c>path=…</c> (<see cref="GemmPath"/>), <c>threads=N</c> (the exact thread count,
    /// <see cref="GemmOptions.Threads"/>), <c>align=0|1</c> (<see cref="GemmInPlace.AlignShallow"/> off or on), <c>windows=0|1</c> (<see cref="GemmInPlace.LineWindows"/> off or on),
    /// <c>wide=0|1</c> (<see cref="GemmInPlace.WideShallowTiles"/> off or on),
    /// comma-separated.
    /// </summary>
    private static GemmOptions WithVariant(GemmOptions options, string? spec)
    {
        if (spec is null) return options;
        foreach (string part in spec.Split(','))
        {
            string[] kv = part.Split('=');
            options = kv[0] switch
            {
                "split" => options with
                {
                    Split = kv[1] switch
                    {
                        "auto" => GemmSplit.Auto,
                        "shared" => GemmSplit.Shared,
                        "columns" => GemmSplit.ColumnsInItems,
                        _ => throw new ArgumentException($"gemm-quick: split must be auto, shared or columns, not '{kv[1]}'"),
                    },
                },
                "path" => options with { Path = Enum.Parse<GemmPath>(kv[1], ignoreCase: true) },
                "align" or "windows" or "ownpack" or "wide" or "half" => options,   // knobs set around the variant's calls (Run)
                "threads" => options with { Threads = int.Parse(kv[1], CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"gemm-quick: unknown variant setting '{kv[0]}'"),
            };
        }
        return options;
    }

    /// <summary>
    /// Traces 200 back-to-back calls (<see cref="GemmPoolTrace"/>) and prints medians, µs: the call, the helper's join
    /// after the post, each thread's spin waits inside the call, the caller's end after the helper left.
    /// </summary>
    private static void TraceCalls(string name, Case c, int threads, GemmOptions options)
    {
        var rng = new Rng(12345UL);
        bool ta = c.Op[0] == 'T', tb = c.Op[1] == 'T';
        int m = c.M, n = c.N, k = c.K;
        float[] a = Random(rng, m * k), b = Random(rng, k * n), cc = new float[m * n];
        int lda = ta ? m : k, ldb = tb ? k : n;
        for (int i = 0; i < 50; i++) Gemm.Multiply(options, ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, cc, n);
        var t = new GemmPoolTrace(256);
        GemmThreadPool.Trace = t;
        for (int i = 0; i < 200; i++) Gemm.Multiply(options, ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, cc, n);
        GemmThreadPool.Trace = null;
        var calls = t.Calls.ToArray().Where(x => x.Kind == 0).ToArray();
        double us = 1e6 / Stopwatch.Frequency;
        double Med(Func<GemmPoolTrace.Call, double> f)
        {
            var v = calls.Select(f).OrderBy(x => x).ToArray();
            return v.Length == 0 ? double.NaN : v[v.Length / 2];
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trace {name} {c.Op} {c.M}x{c.K}x{c.N} t{threads}: calls {calls.Length}, joined {calls.Count(x => x.HelperJoin != 0)}, " +
            $"median call {Med(x => (x.End - x.Start) * us):F1} us, join {Med(x => x.HelperJoin == 0 ? double.NaN : (x.HelperJoin - x.Posted) * us):F1}, " +
            $"caller wait {Med(x => x.CallerWait * us):F1}, helper wait {Med(x => x.HelperWait * us):F1}, " +
            $"end after helper left {Med(x => x.HelperJoin == 0 ? double.NaN : (x.End - x.HelperLeave) * us):F1}, " +
            $"items caller/helper {Med(x => x.CallerItems):F0}/{Med(x => x.HelperItems):F0}"));
    }

    private static void Print(string impl, Case c, int threads, double best, double? ratio)
    {
        double gflops = 2.0 * c.M * c.N * c.K / best / 1e9;
        string extra = ratio is { } r ? string.Create(CultureInfo.InvariantCulture, $",\"ratio\":{r:F3}") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"impl\":\"{impl}\",\"set\":\"{c.Set}\",\"label\":\"{c.Label}\",\"op\":\"{c.Op}\",\"shape\":\"{c.M}x{c.K}x{c.N}\",\"m\":{c.M},\"k\":{c.K},\"n\":{c.N},\"threads\":{threads},\"gflops\":{gflops:F2},\"bestUs\":{best * 1e6:F4}{extra}}}"));
    }

    /// <summary>
    /// Best seconds per call: warm-up, then windows of enough calls to last ≥ 20 µs, for about
    /// <paramref name="seconds"/> (at least 10 windows); the best window is the least disturbed one.
    /// </summary>
    private static double Time(Case c, int threads, OpenBlasLibrary? blas, GemmOptions options, double seconds)
    {
        var rng = new Rng(12345UL);
        bool ta = c.Op[0] == 'T', tb = c.Op[1] == 'T';
        int m = c.M, n = c.N, k = c.K;
        float[] a = Random(rng, m * k), b0 = Random(rng, k * n), cc = new float[m * n + 32];
        // --b-offset F: B's data copied to F floats past a 64-byte boundary (default: the array as allocated).
        float[] b = s_bOffset < 0 ? b0 : GC.AllocateArray<float>(k * n + 32, pinned: true);
        int lda = ta ? m : k, ldb = tb ? k : n;
        fixed (float* pa = a)
        fixed (float* pb0 = b)
        fixed (float* pc0 = cc)
        {
            float* pb = pb0;
            if (s_bOffset >= 0)
            {
                pb = (float*)(((nint)pb0 + 63) & ~(nint)63) + s_bOffset;
                b0.CopyTo(new Span<float>(pb, b0.Length));
            }
            // --c-offset F: C starts F floats past a 64-byte boundary (default: wherever the array's data lies).
            float* pc = s_cOffset < 0 ? pc0 : (float*)(((nint)pc0 + 63) & ~(nint)63) + s_cOffset;
            float* xa = pa, xb = pb, xc = pc;
            if (s_byteRows && blas is null && !ta)
            {
                // op(A)'s rows read through a row table from standardized bytes (a training step's first layer on IDX data).
                int stored = 2 * m + 7;
                var bytes = new byte[stored * k];
                for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)rng.NextInt(256);
                var shift = new double[k];
                var factor = new double[k];
                for (int j = 0; j < k; j++) { shift[j] = 33.3 + j % 7; factor[j] = 1 / (70.0 + j % 5); }
                var rows = new int[m];
                for (int i = 0; i < m; i++) rows[i] = rng.NextInt(stored);
                Action rowsCall = () => Gemm.MultiplyRowsWith(options, false, tb, m, n, k, 1f, [], k, rows, new ReadOnlySpan<float>(xb, b0.Length), ldb, [],
                    0f, new Span<float>(xc, m * n), n, default, new StandardizedBytes(bytes, k, shift, factor));
                return Best(rowsCall, seconds);
            }
            Action call = blas is null
                ? () => Gemm.Multiply(options, ta, tb, m, n, k, 1f, new ReadOnlySpan<float>(xa, a.Length), lda,
                    new ReadOnlySpan<float>(xb, b0.Length), ldb, 0f, new Span<float>(xc, m * n), n)
                : () => blas.Sgemm(ta, tb, m, n, k, xa, lda, xb, ldb, xc, n);
            return Best(call, seconds);
        }
    }

    /// <summary><c>--byte-rows</c>: Occam's non-transposed-A products read A's rows through a table from standardized bytes.</summary>
    private static bool s_byteRows;

    /// <summary><c>--b-offset F</c> (0..15): B starts F floats past a 64-byte boundary; −1 (default): where the array's data lies.</summary>
    private static int s_bOffset = -1;

    /// <summary><c>--c-offset F</c> (0..15): C starts F floats past a 64-byte boundary; −1 (default): where the array's data lies.</summary>
    private static int s_cOffset = -1;

    /// <summary>Best seconds per call over windows of ≈ 20 µs (at least 10), for about <paramref name="seconds"/>, after a warm-up.</summary>
    private static double Best(Action call, double seconds) =>
        Timing.BestOfWindows(call, Timing.WarmUp(call, 3, Math.Min(0.2, seconds / 4)), 20e-6, seconds, 10);

    private static float[] Random(Rng rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextSingle() * 2 - 1;
        return x;
    }
}
