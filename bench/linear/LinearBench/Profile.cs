using System.Diagnostics;
using System.Globalization;
using Occam.Data;
using Occam.Linear;

/// <summary>
/// `LinearBench profile CSV TARGET RHO [repeats]`: where a Gaussian path's time goes, per α: the set-up
/// (GaussianProblem.Create, the solver, α_max) and, for each α of the 100-α path (eps 1e-3, no standardization, tol 1e-4),
/// the best wall time over the repeats, the sweeps and the non-zero count. Same solver calls as ElasticNetRegression.Path.
/// </summary>
internal static class Profile
{
    public static int Run(string[] args)
    {
        var data = CsvLoader.Load(args[1], args[2], TaskKind.Regression);
        double rho = double.Parse(args[3], CultureInfo.InvariantCulture);
        int repeats = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 5;
        var o = new LinearOptions { L1Ratio = rho, Standardize = false, Tolerance = 1e-4 };
        var rows = Enumerable.Range(0, data.Rows).ToArray();
        const int count = 100;
        var best = new double[count];
        Array.Fill(best, double.PositiveInfinity);
        var sweeps = new int[count];
        var nz = new int[count];
        double setup = double.PositiveInfinity, total = double.PositiveInfinity;
        for (int rep = 0; rep < repeats + 2; rep++)
        {
            var all = Stopwatch.StartNew();
            using var problem = GaussianProblem.Create(data.X, data.Features, data.Y, rows, o);
            var solver = new GaussianSolver(problem, o);
            double amax = solver.AlphaMax();
            if (rep >= 2) setup = Math.Min(setup, all.Elapsed.TotalSeconds);
            var alphas = ElasticNetRegression.AlphaGrid(amax, count, 1e-3);
            double prev = amax;
            for (int k = 0; k < count; k++)
            {
                var sw = Stopwatch.StartNew();
                var r = solver.Solve(alphas[k], prev);
                double t = sw.Elapsed.TotalSeconds;
                prev = alphas[k];
                if (rep >= 2) best[k] = Math.Min(best[k], t);
                sweeps[k] = r.Iterations;
                nz[k] = solver.W.Count(v => v != 0);
            }
            if (rep >= 2) total = Math.Min(total, all.Elapsed.TotalSeconds);
        }
        Console.WriteLine(FormattableString.Invariant($"setup {setup * 1e3:F2} ms, total {total * 1e3:F2} ms, sum of per-alpha bests {best.Sum() * 1e3:F2} ms, sweeps {sweeps.Sum()}"));
        for (int k = 0; k < count; k++)
            Console.WriteLine(FormattableString.Invariant($"{k,3} {best[k] * 1e3,8:F3} ms {sweeps[k],4} sweeps {nz[k],4} nz"));
        return 0;
    }
}
