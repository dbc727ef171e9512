using System.Diagnostics;
using System.Globalization;
using Occam.Numerics;
using Occam.Numerics.Random;

namespace Occam.Bench;

/// <summary>
/// <c>efficiency --openblas PATH [--seconds S] [--rounds R] [--net NAME] [--threads 1,2]</c>: the training-step
/// efficiency E of issue 10 with both of its terms timed in the same minutes of the same process.
/// <para>
/// E = (Σ over the step's products of OpenBLAS's best time for that product, same shapes and threads) ÷ (Occam's best
/// step time). The `steps` and `gemm-quick` sections time the two terms minutes apart, in different processes; on a
/// host whose speed drifts by tens of per cent from minute to minute (other tenants on a shared L3) the quotient then
/// mixes two machine states. Here each round times Occam's full step (Adam, L1 prox + L2, dropout 0.2: the same trainer
/// as `steps`) for S ÷ (2R) seconds, then every product of the step in OpenBLAS (<see cref="GemmQuick.StepCases"/>) for
/// the other half, and the rounds alternate. Reported: E from the best of all rounds on each side (the figure the
/// target is read on, as in `steps`/`gemm-quick`), each round's own E and their median (how stable the quotient is).
/// </para>
/// <para>
/// The process must run with <c>OPENBLAS_CORETYPE</c> and <c>OPENBLAS_L2_SIZE</c> unset (bench/all.sh does): they only
/// change OpenBLAS. Before each Occam phase the process sleeps 200 ms, so that OpenBLAS's worker threads, which spin for
/// a while after a call, have gone to sleep and do not take the second core from Occam's step.
/// </para>
/// </summary>
internal static unsafe class EfficiencyQuick
{
    public static int Run(string[] args)
    {
        string? openblasPath = null, only = null;
        double seconds = 6;
        int rounds = 6;
        List<int>? threadCounts = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--openblas": openblasPath = args[++i]; break;
                case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--net": only = args[++i]; break;
                case "--threads": threadCounts = args[++i].Split(',').Select(int.Parse).ToList(); break;
                default:
                    Console.Error.WriteLine($"efficiency: unknown option {args[i]}");
                    return 2;
            }
        }
        if (openblasPath is null)
        {
            Console.Error.WriteLine("efficiency: needs --openblas PATH (libopenblas.so; bench/openblas.sh finds one)");
            return 2;
        }
        if (rounds < 1 || seconds <= 0)
        {
            Console.Error.WriteLine("efficiency: --rounds must be ≥ 1 and --seconds > 0");
            return 2;
        }
        var blas = new OpenBlasLibrary(openblasPath);
        // E is a target for the nets whose steps are made of real products; the 2-8-1 step has a time target instead.
        foreach (var net in StepsQuick.Nets.Where(n => n.Name != "2-8-1" && (only is null || n.Name == only)))
            foreach (int threads in net.Threads.Where(t => threadCounts is null || threadCounts.Contains(t)))
                Console.WriteLine(Measure(net, threads, blas, seconds, rounds));
        return 0;
    }

    private static string Measure(StepsQuick.Net net, int threads, OpenBlasLibrary blas, double seconds, int rounds)
    {
        int saved = Gemm.MaxThreads;
        Gemm.MaxThreads = threads;
        blas.SetThreads(threads);
        var products = GemmQuick.StepCases(net).Select(c => new Product(c)).ToArray();
        try
        {
            var (trainer, x, y, rng) = StepsQuick.Setup(net);
            Action step = () => trainer.Step(x, y, net.Batch, rng, out _);
            // Warm-up: the JIT's tiers and the caches, on both sides.
            double perStep = Timing.WarmUp(step, 20, 0.5);
            foreach (var p in products) p.PerCall = Timing.WarmUp(() => p.Call(blas), 20, 0.05);
            double phase = seconds / (2 * rounds);
            var occam = new double[rounds];
            var reference = new double[rounds];
            var bestProduct = Enumerable.Repeat(double.PositiveInfinity, products.Length).ToArray();
            for (int r = 0; r < rounds; r++)
            {
                Thread.Sleep(200);
                occam[r] = Timing.BestOfWindows(step, perStep, Math.Max(0.002, perStep), phase, 5);
                reference[r] = 0;
                for (int i = 0; i < products.Length; i++)
                {
                    var p = products[i];
                    double t = Timing.BestOfWindows(() => p.Call(blas), p.PerCall, 20e-6, phase / products.Length, 5);
                    reference[r] += t;
                    bestProduct[i] = Math.Min(bestProduct[i], t);
                }
            }
            double occamBest = occam.Min(), referenceBest = bestProduct.Sum();
            var roundE = occam.Select((o, r) => reference[r] / o).ToArray();
            var sorted = roundE.Order().ToArray();
            double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
            return string.Create(CultureInfo.InvariantCulture,
                $"{{\"bench\":\"efficiency\",\"net\":\"{net.Name}\",\"batch\":{net.Batch},\"threads\":{threads},\"rounds\":{rounds}," +
                $"\"occamUs\":{occamBest * 1e6:F1},\"openblasUs\":{referenceBest * 1e6:F1},\"e\":{referenceBest / occamBest:F4}," +
                $"\"eMedian\":{median:F4},\"roundE\":[{string.Join(",", roundE.Select(e => e.ToString("F3", CultureInfo.InvariantCulture)))}]," +
                $"\"roundOccamUs\":[{string.Join(",", occam.Select(o => (o * 1e6).ToString("F1", CultureInfo.InvariantCulture)))}]," +
                $"\"roundOpenblasUs\":[{string.Join(",", reference.Select(o => (o * 1e6).ToString("F1", CultureInfo.InvariantCulture)))}]}}");
        }
        finally
        {
            Gemm.MaxThreads = saved;
            foreach (var p in products) p.Dispose();
        }
    }

    /// <summary>One product of the step with its operands, pinned for OpenBLAS (random values in [−1, 1), fixed seed).</summary>
    private sealed class Product : IDisposable
    {
        private readonly bool _ta, _tb;
        private readonly int _m, _n, _k, _lda, _ldb;
        private readonly float* _a, _b, _c;

        public Product(GemmQuick.Case c)
        {
            var rng = new Rng(12345UL);
            _ta = c.Op[0] == 'T';
            _tb = c.Op[1] == 'T';
            (_m, _n, _k) = (c.M, c.N, c.K);
            _lda = _ta ? _m : _k;
            _ldb = _tb ? _k : _n;
            _a = Allocate(rng, _m * _k);
            _b = Allocate(rng, _k * _n);
            _c = Allocate(rng, _m * _n);
        }

        public double PerCall { get; set; }

        public void Call(OpenBlasLibrary blas) => blas.Sgemm(_ta, _tb, _m, _n, _k, _a, _lda, _b, _ldb, _c, _n);

        private static float* Allocate(Rng rng, int count)
        {
            var p = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)Math.Max(1, count) * sizeof(float), 64);
            for (int i = 0; i < count; i++) p[i] = rng.NextSingle() * 2 - 1;
            return p;
        }

        public void Dispose()
        {
            System.Runtime.InteropServices.NativeMemory.AlignedFree(_a);
            System.Runtime.InteropServices.NativeMemory.AlignedFree(_b);
            System.Runtime.InteropServices.NativeMemory.AlignedFree(_c);
        }
    }
}
