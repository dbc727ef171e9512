using System.Diagnostics;
using System.Numerics.Tensors;
using Occam.Numerics.LinearAlgebra;

/// <summary>
/// `LinearBench walk [p] [windows]`: the kernels on the index-walk driver, best of <c>windows</c> short windows (ns per
/// call): ReferenceBounds.Compute over p features (m = 6 reference rows: the wide solver's certificate) and, per row of
/// 200 features, CenteredRow.Compute against the three passes it replaced (TensorPrimitives Subtract, Multiply, Axpy).
/// Also Axpy on 200 and 10 values. Same source in the builds being compared (the old passes are public calls in both).
/// </summary>
internal static class Walk
{
    public static int Run(string[] args)
    {
        int p = args.Length > 1 ? int.Parse(args[1]) : 10000;
        int windows = args.Length > 2 ? int.Parse(args[2]) : 400;
        const int m = 6, row = 200;
        var rng = new Random(3);
        double[] Values(int k) => Enumerable.Range(0, k).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var c = Values(m * p);
        var a = Values(m);
        var iv = Values(p).Select(v => v + 1).ToArray();
        var b = Values(p).Select(Math.Abs).ToArray();
        double[] est = new double[p], ratio = new double[p], bound = new double[p];
        var x = Values(row);
        var mean = Values(row);
        var inv = Values(row);
        var d = new double[row];
        var xty = new double[row];
        double sink = 0;
        var cases = new (string Name, Action F)[]
        {
            ($"ReferenceBounds p={p}", () => sink += ReferenceBounds.Compute(c, p, a, iv, b, 0.1, 1e-3, 0.5, est, ratio, bound, out _, out _)),
            ("CenteredRow 200", () => CenteredRow.Compute(x, mean, inv, 0.3, d, xty)),
            ("Axpy 200", () => Axpy.Compute(0.3, x, xty)),
            ("Axpy 10", () => Axpy.Compute(0.3, x.AsSpan(0, 10), xty.AsSpan(0, 10))),
            ("three passes 200", () =>
            {
                TensorPrimitives.Subtract(x, mean, d);
                TensorPrimitives.Multiply(d, inv, d);
                Axpy.Compute(0.3, d, xty);
            }),
        };
        var best = new double[cases.Length];
        Array.Fill(best, double.PositiveInfinity);
        for (int w = 0; w < windows; w++)
            for (int k = 0; k < cases.Length; k++)
            {
                int reps = k == 0 ? 4 : 200;
                var sw = Stopwatch.StartNew();
                for (int r = 0; r < reps; r++) cases[k].F();
                best[k] = Math.Min(best[k], sw.Elapsed.TotalNanoseconds / reps);
            }
        for (int k = 0; k < cases.Length; k++) Console.WriteLine($"{cases[k].Name,-24} {best[k],10:F1} ns");
        return sink == 0.125 && xty[0] == 0.5 ? 1 : 0;
    }
}
