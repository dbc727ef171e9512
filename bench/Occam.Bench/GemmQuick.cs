using System.Diagnostics;
using System.Globalization;
using Occam.Numerics;
using Occam.Numerics.Random;

namespace Occam.Bench;

/// <summary>
/// `gemm-quick`: a Stopwatch best-of-N timing of SGEMM, one JSON line per shape and thread count:
/// <c>{"shape":"512x512x512","m":512,"k":512,"n":512,"op":"NN","threads":1,"gflops":...}</c>.
/// Shapes are m×k×n. Options: <c>--seconds S</c> (time per case, default 1.5),
/// <c>--op NN|NT|TN|TT|all</c> (default NN), <c>--shape MxKxN</c> (repeatable), <c>--threads 1,2</c>,
/// <c>--path auto|direct|packed</c>.
/// </summary>
internal static class GemmQuick
{
    public static int Run(string[] args)
    {
        double seconds = 1.5;
        var ops = new List<string> { "NN" };
        var shapes = new List<(int M, int K, int N)>();
        var threadCounts = new List<int> { 1, 2 };
        var path = GemmPath.Auto;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--op":
                    string op = args[++i].ToUpperInvariant();
                    ops = op == "ALL" ? ["NN", "NT", "TN", "TT"] : [op];
                    break;
                case "--shape":
                    int[] d = args[++i].Split('x').Select(int.Parse).ToArray();
                    shapes.Add((d[0], d[1], d[2]));
                    break;
                case "--path": path = Enum.Parse<GemmPath>(args[++i], ignoreCase: true); break;
                case "--threads": threadCounts = args[++i].Split(',').Select(int.Parse).ToList(); break;
                default: Console.Error.WriteLine($"gemm-quick: unknown option {args[i]}"); return 2;
            }
        }
        bool defaults = shapes.Count == 0;
        if (defaults) shapes = [(512, 512, 512), (256, 784, 512)];

        foreach (var (m, k, n) in shapes)
            foreach (string op in ops)
                foreach (int threads in threadCounts)
                {
                    double best = Time(m, k, n, op[0] == 'T', op[1] == 'T', new GemmOptions(Threads: threads, Path: path), seconds);
                    double gflops = 2.0 * m * n * k / best / 1e9;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{{\"shape\":\"{m}x{k}x{n}\",\"m\":{m},\"k\":{k},\"n\":{n},\"op\":\"{op}\",\"threads\":{threads},\"gflops\":{gflops:F1},\"bestUs\":{best * 1e6:F2}}}"));
                }
        if (defaults) TinyMlp(seconds);
        return 0;
    }

    /// <summary>
    /// The five products of one training step of a 2-8-1 MLP at batch 4 (forward X·W1ᵀ, H·W2ᵀ;
    /// backward dW2 = dYᵀ·H, dH = dY·W2, dW1 = dZᵀ·X): best nanoseconds for all five together.
    /// </summary>
    private static void TinyMlp(double seconds)
    {
        var rng = new Rng(7UL);
        float[] x = Random(rng, 8), w1 = Random(rng, 16), w2 = Random(rng, 8), h = new float[32], y = new float[4];
        float[] dy = Random(rng, 4), dw2 = new float[8], dh = new float[32], dw1 = new float[16];
        void Step()
        {
            Gemm.Multiply(false, true, 4, 8, 2, 1f, x, 2, w1, 2, 0f, h, 8);
            Gemm.Multiply(false, true, 4, 1, 8, 1f, h, 8, w2, 8, 0f, y, 1);
            Gemm.Multiply(true, false, 1, 8, 4, 1f, dy, 1, h, 8, 0f, dw2, 8);
            Gemm.Multiply(false, false, 4, 8, 1, 1f, dy, 1, w2, 8, 0f, dh, 8);
            Gemm.Multiply(true, false, 8, 2, 4, 1f, dh, 8, x, 2, 0f, dw1, 2);
        }
        for (int i = 0; i < 1000; i++) Step();
        const int batch = 1000;
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < batch; i++) Step();
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds / batch);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"shape\":\"mlp-2-8-1-batch4\",\"calls\":5,\"threads\":1,\"nsPerStep\":{best * 1e9:F0}}}"));
    }

    /// <summary>Best seconds per call over repeated calls for about <paramref name="seconds"/>.</summary>
    private static double Time(int m, int k, int n, bool ta, bool tb, GemmOptions options, double seconds)
    {
        var rng = new Rng(12345UL);
        float[] a = Random(rng, m * k), b = Random(rng, k * n), c = new float[m * n];
        int lda = ta ? m : k, ldb = tb ? k : n;
        for (int w = 0; w < 3; w++) Gemm.Multiply(options, ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        int reps = 0;
        while (total.Elapsed.TotalSeconds < seconds || reps < 10)
        {
            long t0 = Stopwatch.GetTimestamp();
            Gemm.Multiply(options, ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
            reps++;
        }
        return best;
    }

    private static float[] Random(Rng rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextSingle() * 2 - 1;
        return x;
    }
}
