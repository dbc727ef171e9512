using System.Diagnostics;
using System.Globalization;
using Occam.Data;
using Occam.Linear;
using Occam.Numerics.LinearAlgebra;

/// <summary>
/// `LinearBench parts CSV TARGET [repeats]`: where the set-up time of a Gaussian path goes. Times, best of
/// <c>repeats</c> interleaved rounds: the column statistics (ColumnStats.Compute), the centred Gram matrix
/// (Gram.ComputeCentered, its production path), and the whole GaussianProblem.Create, in milliseconds.
/// </summary>
internal static class Parts
{
    public static int Run(string[] args)
    {
        var data = CsvLoader.Load(args[1], args[2], TaskKind.Regression);
        int repeats = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20;
        int n = data.Rows, p = data.Features;
        var rows = Enumerable.Range(0, n).ToArray();
        var o = new LinearOptions { Standardize = false };
        var stats = ColumnStats.Compute(data.X, p, rows, true, false);
        var inv = new double[p];
        Array.Fill(inv, 1.0);
        var yc = new double[n];
        var g = new double[p * p];
        var xty = new double[p];
        var names = new[] { "stats", "gram", "create" };
        var actions = new Action[]
        {
            () => ColumnStats.Compute(data.X, p, rows, true, false),
            () => Gram.ComputeCentered(data.X, rows, p, stats.Mean, inv, yc, g, xty),
            () => GaussianProblem.Create(data.X, p, data.Y, rows, o),
        };
        var best = new double[actions.Length];
        Array.Fill(best, double.PositiveInfinity);
        for (int r = 0; r < repeats + 1; r++)
            for (int a = 0; a < actions.Length; a++)
            {
                var sw = Stopwatch.StartNew();
                actions[a]();
                if (r > 0) best[a] = Math.Min(best[a], sw.Elapsed.TotalMilliseconds);
            }
        double flops = (double)n * p * (p + 1); // multiply-adds of the upper triangle, x2
        for (int a = 0; a < actions.Length; a++)
            Console.WriteLine(FormattableString.Invariant($"{names[a],-8} {best[a],9:F3} ms{(a == 1 ? $"  ({flops / best[a] / 1e6:F1} GFLOP/s on the upper triangle)" : "")}"));
        return 0;
    }
}
