using System.Diagnostics;
using Occam.Data;
using Occam.Selection;

namespace Occam.Linear;

/// <summary>
/// K-fold cross-validation over an α grid, as scikit-learn's <c>LassoCV</c>/<c>ElasticNetCV</c>: the grid is computed
/// once on all rows (α_max down to eps·α_max), a warm-started path is fitted on each training part, and the held-out
/// error of every α is averaged over folds (plain mean over folds). The standard error is the sample standard deviation
/// over folds divided by √K (glmnet's <c>cvsd</c> without fold weights).
/// α_min minimizes the mean error (the largest such α on ties); α_1se is the largest α whose mean error is at most
/// mean(α_min) + se(α_min) (Hastie, Tibshirani, Friedman, "The Elements of Statistical Learning", 2nd ed., §7.10).
/// See docs/algorithms/cross-validation.md.
/// </summary>
public static class CrossValidation
{
    /// <summary>Cross-validated elastic net (mean squared error), with the refit on all rows at α_min.</summary>
    public static CvResult ElasticNet(double[] x, int rows, int features, double[] y, LinearOptions? options = null, CvOptions? cv = null, string[]? featureNames = null) =>
        Run(x, rows, features, y, options, cv, featureNames, TaskKind.Regression);

    /// <summary>Cross-validated binary logistic regression (mean log-loss), with the refit on all rows at α_min.</summary>
    public static CvResult Logistic(double[] x, int rows, int features, double[] y, LinearOptions? options = null, CvOptions? cv = null, string[]? featureNames = null) =>
        Run(x, rows, features, y, options, cv, featureNames, TaskKind.Binary);

    private static CvResult Run(double[] x, int rows, int p, double[] y, LinearOptions? options, CvOptions? cv, string[]? names, TaskKind task)
    {
        var o = options ?? new LinearOptions();
        var co = cv ?? new CvOptions();
        Inputs.Check(x, rows, p, y);
        o.Validate(p);
        co.Path.Validate();
        if (task == TaskKind.Binary) BinaryLogisticRegression.CheckLabels(y);
        var folds = co.Stratify
            ? (task == TaskKind.Regression
                ? throw new ArgumentException("stratified folds need class labels; use them with logistic regression only.", nameof(cv))
                : KFold.Stratified(y.Select(v => (int)v).ToArray(), co.Folds, co.Shuffle, co.Seed))
            : KFold.Split(rows, co.Folds, co.Shuffle ? FoldOrder.Shuffled : FoldOrder.Contiguous, co.Seed);
        if (task == TaskKind.Binary)
        {
            for (int f = 0; f < folds.Count; f++)
            {
                var train = folds[f].Train;
                bool zero = false, one = false;
                foreach (int i in train)
                {
                    if (y[i] == 0) zero = true;
                    else one = true;
                }
                if (!(zero && one))
                    throw new OccamException($"fold {f + 1} of {folds.Count}: its training rows ({train.Length}) hold only class {(zero ? 0 : 1)} of the binary target; every fold needs both classes to fit a logistic model: use stratified folds (--stratify), fewer folds, or more rows of the rarer class.");
            }
        }
        var sw = Stopwatch.StartNew();
        var all = Inputs.AllRows(rows);

        double[] alphas;
        if (co.Path.Alphas is not null)
            alphas = ElasticNetRegression.ResolveAlphas(co.Path, 0);
        else if (task == TaskKind.Binary)
            alphas = ElasticNetRegression.ResolveAlphas(co.Path, LogisticAlphaMax(x, p, y, all, o));
        else
            alphas = ElasticNetRegression.ResolveAlphas(co.Path, new GaussianSolver(GaussianProblem.Create(x, p, y, all, o), o).AlphaMax());

        int m = alphas.Length, k = folds.Count;
        var errors = new double[k][];
        var foldWarnings = new List<string>[k];
        Parallel.For(0, k, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, f =>
        {
            var (train, test) = (folds[f].Train, folds[f].Test);
            var path = task == TaskKind.Binary
                ? BinaryLogisticRegression.PathOnRows(x, p, y, train, o, co.Path, alphas, names)
                : ElasticNetRegression.PathOnRows(x, p, y, train, o, co.Path, alphas, names);
            var e = new double[m];
            for (int a = 0; a < m; a++)
            {
                var coef = path.Coefs[a];
                double b = path.Intercepts[a], sum = 0;
                foreach (int i in test)
                {
                    double eta = b;
                    var row = x.AsSpan(i * p, p);
                    for (int j = 0; j < p; j++) eta += coef[j] * row[j];
                    sum += task == TaskKind.Binary
                        ? Math.Max(eta, 0) + Math.Log(1 + Math.Exp(-Math.Abs(eta))) - y[i] * eta
                        : (y[i] - eta) * (y[i] - eta);
                }
                e[a] = sum / test.Length;
            }
            errors[f] = e;
            foldWarnings[f] = path.Warnings.Select(w => $"fold {f + 1}: {w}").ToList();
        });

        var mean = new double[m];
        var se = new double[m];
        for (int a = 0; a < m; a++)
        {
            double s = 0;
            for (int f = 0; f < k; f++) s += errors[f][a];
            mean[a] = s / k;
            double ss = 0;
            for (int f = 0; f < k; f++) ss += (errors[f][a] - mean[a]) * (errors[f][a] - mean[a]);
            se[a] = Math.Sqrt(ss / (k - 1) / k);
        }
        int best = 0;
        for (int a = 1; a < m; a++)
            if (mean[a] < mean[best]) best = a;
        int oneSe = best;
        for (int a = 0; a <= best; a++)
            if (mean[a] <= mean[best] + se[best]) { oneSe = a; break; }

        // Refit on all rows along the grid down to α_min (warm starts), keeping the last model.
        var refitPath = task == TaskKind.Binary
            ? BinaryLogisticRegression.PathOnRows(x, p, y, all, o, co.Path, alphas[..(best + 1)], names)
            : ElasticNetRegression.PathOnRows(x, p, y, all, o, co.Path, alphas[..(best + 1)], names);
        var refit = new LinearFit(refitPath.ModelAt(best), refitPath.Iterations[best], refitPath.DualGaps[best], refitPath.GapTolerances[best],
            refitPath.ConvergedAt[best], refitPath.DevianceExplained[best], refitPath.Warnings, 0);
        var warnings = foldWarnings.SelectMany(w => w).Concat(refit.Warnings).Distinct().ToList();
        return new CvResult(alphas, mean, se, errors, best, oneSe, refit, task == TaskKind.Binary ? "logloss" : "mse", sw.Elapsed.TotalSeconds, warnings);
    }

    private static double LogisticAlphaMax(double[] x, int p, double[] y, int[] rows, LinearOptions o)
    {
        var stats = ColumnStats.Compute(x, p, rows, o.FitIntercept, o.Standardize);
        var ys = rows.Select(i => y[i]).ToArray();
        return new LogisticSolver(stats.ColumnMajor(x, p, rows), rows.Length, p, ys, stats.Excluded, o).AlphaMax();
    }
}
