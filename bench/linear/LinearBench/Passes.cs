using System.Diagnostics;
using System.Globalization;
using Occam.Data;
using Occam.Linear;

/// <summary>
/// `LinearBench passes CSV TARGET [repeats]`: the residual engine's set-up (GaussianProblem.Create: statistics,
/// column-major copy, float copy, norms) and the cost of one full gradient pass X̃ᵀr/n of the residual engine (p ≥ n),
/// best of <c>repeats</c> interleaved rounds, in milliseconds: exact (double dot products, one thread) and bounded (float
/// copy, ColumnDots, on one and on two threads) — the pass the Gaussian solver runs once per α or so on wide problems.
/// </summary>
internal static class Passes
{
    public static int Run(string[] args)
    {
        var data = CsvLoader.Load(args[1], args[2], TaskKind.Regression);
        int repeats = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 50;
        var o = new LinearOptions { Standardize = false, Update = CdUpdate.Residual };
        var problem = GaussianProblem.Create(data.X, data.Features, data.Y, Enumerable.Range(0, data.Rows).ToArray(), o);
        var engine = (ResidualEngine)problem.Engine;
        int p = data.Features;
        var c = new double[p];
        var skip = new bool[p];
        var rows = Enumerable.Range(0, data.Rows).ToArray();
        var stats = ColumnStats.Compute(data.X, p, rows, true, false);
        var xc = stats.ColumnMajor(data.X, p, rows);
        var yc = new double[data.Rows];
        var names = new[] { "create", "stats", "colmajor", "fused", "engine", "exact", "float-1t", "float-2t" };
        var actions = new Action[]
        {
            () => GaussianProblem.Create(data.X, data.Features, data.Y, rows, o),
            () => ColumnStats.Compute(data.X, p, rows, true, false),
            () => stats.ColumnMajor(data.X, p, rows, xc),
            () => ColumnStats.ComputeColumnMajor(data.X, p, rows, true, false, xc),
            () => GC.KeepAlive(new ResidualEngine(data.Rows, p, xc, yc)),
            () => engine.FullGradient(c, skip),
            () => engine.BoundedGradients(c, skip, out _, out _, 1),
            () => engine.BoundedGradients(c, skip, out _, out _, 2),
        };
        var best = new double[actions.Length];
        Array.Fill(best, double.PositiveInfinity);
        for (int r = 0; r < repeats + 3; r++)
            for (int a = 0; a < actions.Length; a++)
            {
                var sw = Stopwatch.StartNew();
                actions[a]();
                if (r >= 3) best[a] = Math.Min(best[a], sw.Elapsed.TotalMilliseconds);
            }
        for (int a = 0; a < actions.Length; a++)
            Console.WriteLine(FormattableString.Invariant($"{names[a],-8} {best[a],9:F3} ms  ({8.0 * data.Rows * p / best[a] / 1e6:F1} GB/s of double X)"));
        return 0;
    }
}
