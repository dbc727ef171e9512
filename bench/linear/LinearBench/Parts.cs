using System.Diagnostics;
using System.Globalization;
using Occam.Data;
using Occam.Linear;
using Occam.Numerics.LinearAlgebra;

/// <summary>
/// `LinearBench parts CSV TARGET [repeats]`: where the set-up time of a Gaussian path goes. Times, best of
/// <c>repeats</c> interleaved rounds: the column statistics (ColumnStats.Compute), the centred Gram matrix
/// (Gram.ComputeCentered, its production path), its row fill alone (CenteredRow over every row, one thread), the whole
/// GaussianProblem.Create, the solver's construction with α_max, and the whole 100-α lasso path, in milliseconds.
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
        double solverTime = 0;
        var yc = new double[n];
        double ymean = data.Y.Average();
        for (int i = 0; i < n; i++) yc[i] = data.Y[i] - ymean;
        var g = new double[p * p];
        var xty = new double[p];
        var buffer = new double[128 * p];
        var names = new[] { "stats", "fill", "gram", "create", "solver", "path" };
        var actions = new Action[]
        {
            () => ColumnStats.Compute(data.X, p, rows, true, false),
            () =>
            {
                // The Gram matrix's fill alone (CenteredRow into a 128-row buffer, X̃ᵀỹ accumulated), one thread.
                xty.AsSpan().Clear();
                for (int i = 0; i < n; i++)
                    CenteredRow.Compute(data.X.AsSpan(i * p, p), stats.Mean, inv, yc[i], buffer.AsSpan(i % 128 * p, p), xty);
            },
            () => Gram.ComputeCentered(data.X, rows, p, stats.Mean, inv, yc, g, xty),
            () => GaussianProblem.Create(data.X, p, data.Y, rows, o).Dispose(),
            () =>
            {
                // The solver's construction and α_max on a problem built outside the window.
                using var problem = GaussianProblem.Create(data.X, p, data.Y, rows, o);
                var sw = Stopwatch.StartNew();
                new GaussianSolver(problem, o).AlphaMax();
                solverTime = sw.Elapsed.TotalMilliseconds;
            },
            () => ElasticNetRegression.Path(data.X, n, p, data.Y, o, new PathOptions { Count = 100, Eps = 1e-3 }),
        };
        var best = new double[actions.Length];
        Array.Fill(best, double.PositiveInfinity);
        for (int r = 0; r < repeats + 1; r++)
            for (int a = 0; a < actions.Length; a++)
            {
                var sw = Stopwatch.StartNew();
                actions[a]();
                double t = names[a] == "solver" ? solverTime : sw.Elapsed.TotalMilliseconds;
                if (r > 0) best[a] = Math.Min(best[a], t);
            }
        double flops = (double)n * p * (p + 1); // multiply-adds of the upper triangle, x2
        for (int a = 0; a < actions.Length; a++)
            Console.WriteLine(FormattableString.Invariant($"{names[a],-8} {best[a],9:F3} ms{(names[a] == "gram" ? $"  ({flops / best[a] / 1e6:F1} GFLOP/s on the upper triangle)" : "")}"));
        return 0;
    }
}
