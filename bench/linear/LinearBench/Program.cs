using System.Diagnostics;
using System.Globalization;
using Occam.Data;
using Occam.Linear;

// Side-by-side timing helper for bench/linear/compare.sh.
// usage: LinearBench <csv> <target> <l1Ratio> <repeats> [tol] [gaussian|binomial] [eps] [objectives.csv]
// gaussian (default): the 100-alpha elastic-net path (no standardization: the data are used as given, like
//   lasso_path/enet_path), eps 1e-3 unless given.
// binomial: the 100-alpha penalized logistic path with the columns standardized (population sd, as glmnet and
//   scikit-learn's StandardScaler), eps 1e-2 unless given.
// Fits at least twice and for 0.5 s to warm up the JIT, then <repeats> times, and prints the best solver time (CSV parsing excluded),
// the non-zero count at the last alpha, the total sweeps and the best process CPU time of a run. With [objectives.csv] it also writes, per alpha of the
// path, "alpha,objective,nonzero", the objective evaluated from the returned coefficients in original units exactly as
// bench/linear/objective_gap.py evaluates the references' (gaussian: (1/(2n))||y - Xw - b||^2 + alpha*(rho|w|_1 +
// (1-rho)/2 |w|^2); binomial: mean log-loss + alpha*rho*sum_j s_j|w_j| with s_j the population sd of column j).
// LINEARBENCH_GRADIENT_THREADS=1 runs the logistic solvers' full gradient passes on one thread (A/B against the default).
if (Environment.GetEnvironmentVariable("LINEARBENCH_GRADIENT_THREADS") is { Length: > 0 } gradientThreads)
    Occam.Numerics.LinearAlgebra.DotColumns.Threads = int.Parse(gradientThreads, CultureInfo.InvariantCulture);
if (args.Length > 0 && args[0] == "dots") return Dots.Run(args);
if (args.Length > 0 && args[0] == "parts") return Parts.Run(args);
if (args.Length > 0 && args[0] == "kernels") return Kernels.Run(args);
if (args.Length > 0 && args[0] == "passes") return Passes.Run(args);
if (args.Length > 0 && args[0] == "profile") return Profile.Run(args);
if (args.Length > 0 && args[0] == "walk") return Walk.Run(args);
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: LinearBench <csv> <target> <l1Ratio> <repeats> [tol] [gaussian|binomial] [eps]");
    return 64;
}
bool binomial = args.Length > 5 && args[5] == "binomial";
var data = CsvLoader.Load(args[0], args[1], binomial ? TaskKind.Binary : TaskKind.Regression);
double rho = double.Parse(args[2], CultureInfo.InvariantCulture);
int repeats = int.Parse(args[3], CultureInfo.InvariantCulture);
double tol = args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 1e-4;
double eps = args.Length > 6 ? double.Parse(args[6], CultureInfo.InvariantCulture) : binomial ? 1e-2 : 1e-3;
var options = new LinearOptions { L1Ratio = rho, Standardize = binomial, Tolerance = tol };
var pathOptions = new PathOptions { Count = 100, Eps = eps };
LinearPath Run() => binomial
    ? BinaryLogisticRegression.Path(data.X, data.Rows, data.Features, data.Y, options, pathOptions)
    : ElasticNetRegression.Path(data.X, data.Rows, data.Features, data.Y, options, pathOptions);
// Warm-up: at least two runs and 0.5 s, so that the JIT has tiered up what the library calls (System.Numerics.Tensors'
// generic kernels start at tier 0 and are recompiled in the background after ~100 ms; the library's own kernels are
// AggressiveOptimization): the timed runs below measure the steady state, as the references' compiled code is.
var warm = Run();
var warmClock = Stopwatch.StartNew();
for (int w = 1; w < 2 || warmClock.Elapsed.TotalSeconds < 0.5; w++) Run();
double best = double.PositiveInfinity, bestCpu = double.PositiveInfinity;
var process = Process.GetCurrentProcess();
for (int r = 0; r < repeats; r++)
{
    process.Refresh();
    var cpu0 = process.TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    var p = Run();
    best = Math.Min(best, sw.Elapsed.TotalSeconds);
    process.Refresh();
    bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu0).TotalSeconds);
    if (!p.Converged) Console.Error.WriteLine("warning: path did not converge at every alpha");
}
// Fourth field: the best process CPU time of a run (all threads), a load-insensitive cross-check for A/B comparisons.
Console.WriteLine(FormattableString.Invariant($"{best:R} {warm.NonZero[^1]} {warm.Iterations.Sum()} {bestCpu:R}"));
if (args.Length > 7)
{
    int n = data.Rows, p = data.Features;
    var sd = new double[p];
    for (int j = 0; j < p; j++)
    {
        double m = 0, v = 0;
        for (int i = 0; i < n; i++) m += data.X[i * p + j];
        m /= n;
        for (int i = 0; i < n; i++) v += (data.X[i * p + j] - m) * (data.X[i * p + j] - m);
        sd[j] = binomial ? Math.Sqrt(v / n) : 1;
    }
    using var w = new StreamWriter(args[7]);
    w.WriteLine("alpha,objective,nonzero");
    for (int k = 0; k < warm.Alphas.Length; k++)
    {
        double[] c = warm.Coefs[k];
        double b = warm.Intercepts[k], loss = 0, l1 = 0, l2 = 0;
        for (int i = 0; i < n; i++)
        {
            double eta = b;
            for (int j = 0; j < p; j++) eta += data.X[i * p + j] * c[j];
            double y = data.Y[i];
            loss += binomial ? Math.Max(eta, 0) + Math.Log(1 + Math.Exp(-Math.Abs(eta))) - y * eta : 0.5 * (y - eta) * (y - eta);
        }
        for (int j = 0; j < p; j++) { l1 += sd[j] * Math.Abs(c[j]); l2 += sd[j] * sd[j] * c[j] * c[j]; }
        double a = warm.Alphas[k];
        double obj = loss / n + a * (rho * l1 + (1 - rho) / 2 * l2);
        w.WriteLine(FormattableString.Invariant($"{a:R},{obj:R},{warm.NonZero[k]}"));
    }
}
return 0;
