using System.Diagnostics;
using System.Globalization;
using Occam.Data;
using Occam.Linear;

// Side-by-side timing helper for bench/linear/compare.sh.
// usage: LinearBench <csv> <target> <l1Ratio> <repeats> [tol] [gaussian|binomial] [eps]
// gaussian (default): the 100-alpha elastic-net path (no standardization: the data are used as given, like
//   lasso_path/enet_path), eps 1e-3 unless given.
// binomial: the 100-alpha penalized logistic path with the columns standardized (population sd, as glmnet and
//   scikit-learn's StandardScaler), eps 1e-2 unless given.
// Fits once to warm up the JIT, then <repeats> times, and prints the best solver time (CSV parsing excluded),
// the non-zero count at the last alpha and the total sweeps.
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
var warm = Run();
double best = double.PositiveInfinity;
for (int r = 0; r < repeats; r++)
{
    var sw = Stopwatch.StartNew();
    var p = Run();
    best = Math.Min(best, sw.Elapsed.TotalSeconds);
    if (!p.Converged) Console.Error.WriteLine("warning: path did not converge at every alpha");
}
Console.WriteLine(FormattableString.Invariant($"{best:R} {warm.NonZero[^1]} {warm.Iterations.Sum()}"));
return 0;
