using System.Diagnostics;
using Occam.Numerics.LinearAlgebra;

/// <summary>`LinearBench kernels [n]`: scalar vs vectorized logistic row kernels, interleaved, best of 200 windows (ns/row).</summary>
internal static class Kernels
{
    public static int Run(string[] args)
    {
        int n = args.Length > 1 ? int.Parse(args[1]) : 10000;
        var rng = new Random(1);
        var eta = new double[n];
        var y = new double[n];
        var p = new double[n];
        var s = new double[n];
        for (int i = 0; i < n; i++) { eta[i] = 3 * (rng.NextDouble() - 0.5); y[i] = rng.Next(2); s[i] = rng.NextDouble(); }
        var cases = new (string Name, Func<double> F)[]
        {
            ("terms scalar", () => LogisticTerms.Scalar(eta, y, p)),
            ("terms simd", () => LogisticTerms.Compute(eta, y, p)),
            ("entropy scalar", () => BinaryEntropy.Scalar(s)),
            ("entropy simd", () => BinaryEntropy.Compute(s)),
        };
        var best = new double[cases.Length];
        Array.Fill(best, double.PositiveInfinity);
        double sink = 0;
        int windows = args.Length > 2 ? int.Parse(args[2]) : 200;
        for (int w = 0; w < windows; w++)
            for (int c = 0; c < cases.Length; c++)
            {
                var sw = Stopwatch.StartNew();
                for (int k = 0; k < 5; k++) sink += cases[c].F();
                best[c] = Math.Min(best[c], sw.Elapsed.TotalNanoseconds / 5 / n);
            }
        for (int c = 0; c < cases.Length; c++) Console.WriteLine($"{cases[c].Name,-16} {best[c],6:F2} ns/row");
        return sink == 0.5 ? 1 : 0;
    }
}
