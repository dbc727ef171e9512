using System.Diagnostics;
using System.Globalization;
using Occam.Numerics.LinearAlgebra;

/// <summary>
/// `LinearBench dots [n] [p] [windows]`: the logistic solvers' full gradient pass (DotColumns, X̃ᵀu/n over a
/// column-major n × p double matrix) on one thread and on two, interleaved window by window; best and median µs per pass.
/// </summary>
internal static class Dots
{
    public static int Run(string[] args)
    {
        int n = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10000;
        int p = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
        int windows = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 40;
        var rng = new Random(1);
        var x = new double[n * p];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() - 0.5;
        var u = new double[n];
        for (int i = 0; i < n; i++) u[i] = rng.NextDouble() - 0.5;
        var excluded = new bool[p];
        var c = new double[p];
        int[] threads = [1, 2];
        var times = threads.Select(_ => new List<double>()).ToArray();
        for (int w = 0; w < windows + 2; w++)
            for (int t = 0; t < threads.Length; t++)
            {
                int calls = 0;
                var sw = Stopwatch.StartNew();
                while (sw.Elapsed.TotalMilliseconds < 20 || calls < 3)
                {
                    DotColumns.Compute(x, n, u, excluded, n, c, 1, 0, threads[t]);
                    calls++;
                }
                if (w >= 2) times[t].Add(sw.Elapsed.TotalMicroseconds / calls);
            }
        for (int t = 0; t < threads.Length; t++)
        {
            var s = times[t].Order().ToArray();
            Console.WriteLine($"{n}x{p} threads {threads[t]}: best {s[0]:F1} us, median {s[s.Length / 2]:F1} us ({8.0 * n * p / s[0] / 1e3:F1} GB/s best)");
        }
        return 0;
    }
}
