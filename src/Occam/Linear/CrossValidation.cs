using System.Diagnostics;
using Occam.Data;
using Occam.Selection;

namespace Occam.Linear;

/// <summary>
/// K-fold cross-validation over an α grid, as scikit-learn's <c>LassoCV</c>/<c>ElasticNetCV</c> (glmnet's <c>cv.glmnet</c>
/// for the binomial and multinomial families): the grid is computed
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

    /// <summary>
    /// Cross-validated multinomial logistic regression (mean held-out log-loss −(1/|test|)·Σᵢ log pᵢ,yᵢ), with the refit on
    /// all rows at α_min in <see cref="CvResult.MultinomialRefit"/>. <paramref name="y"/> holds class indices 0..K−1;
    /// every fold's training rows must hold every class. <see cref="LinearOptions.Grouped"/> selects the grouped penalty.
    /// </summary>
    public static CvResult Multinomial(double[] x, int rows, int features, double[] y, LinearOptions? options = null, CvOptions? cv = null, string[]? featureNames = null) =>
        Run(x, rows, features, y, options, cv, featureNames, TaskKind.Multiclass);

    private static CvResult Run(double[] x, int rows, int p, double[] y, LinearOptions? options, CvOptions? cv, string[]? names, TaskKind task)
    {
        var o = options ?? new LinearOptions();
        var co = cv ?? new CvOptions();
        Inputs.Check(x, rows, p, y);
        o.Validate(p);
        co.Path.Validate();
        if (task == TaskKind.Binary) BinaryLogisticRegression.CheckLabels(y);
        int classes = task switch { TaskKind.Binary => 2, TaskKind.Multiclass => MultinomialRegression.CheckLabels(y), _ => 0 };
        var folds = co.Stratify
            ? (task == TaskKind.Regression
                ? throw new ArgumentException("stratified folds need class labels; use them with logistic regression only.", nameof(cv))
                : KFold.Stratified(y.Select(v => (int)v).ToArray(), co.Folds, co.Shuffle, co.Seed))
            : KFold.Split(rows, co.Folds, co.Shuffle ? FoldOrder.Shuffled : FoldOrder.Contiguous, co.Seed);
        if (classes > 0) CheckFoldClasses(folds, y, classes);
        var sw = Stopwatch.StartNew();
        var all = Inputs.AllRows(rows);

        double[] alphas;
        if (co.Path.Alphas is not null)
            alphas = ElasticNetRegression.ResolveAlphas(co.Path, 0);
        else if (task == TaskKind.Binary)
            alphas = ElasticNetRegression.ResolveAlphas(co.Path, LogisticAlphaMax(x, p, y, all, o));
        else if (task == TaskKind.Multiclass)
            alphas = ElasticNetRegression.ResolveAlphas(co.Path, MultinomialRegression.CreateSolver(x, p, y, classes, all, o, out _).AlphaMax());
        else
            alphas = ElasticNetRegression.ResolveAlphas(co.Path, new GaussianSolver(GaussianProblem.Create(x, p, y, all, o), o).AlphaMax());

        int m = alphas.Length, k = folds.Count;
        var errors = new double[k][];
        var foldWarnings = new List<string>[k];
        Parallel.For(0, k, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, f =>
        {
            var (train, test) = (folds[f].Train, folds[f].Test);
            (errors[f], var w) = task == TaskKind.Multiclass
                ? MultinomialFoldErrors(x, p, y, classes, train, test, o, co.Path, alphas, names)
                : FoldErrors(x, p, y, task, train, test, o, co.Path, alphas, names);
            foldWarnings[f] = w.Select(s => $"fold {f + 1}: {s}").ToList();
        });

        var mean = new double[m];
        var se = new double[m];
        var column = new double[k];
        for (int a = 0; a < m; a++)
        {
            for (int f = 0; f < k; f++) column[f] = errors[f][a];
            (mean[a], se[a]) = OneStandardError.MeanAndSe(column);
        }
        // The grid is descending (index 0 = largest α = most regularized), the order OneStandardError expects.
        var (best, oneSe, _) = OneStandardError.Choose(mean, se);

        // Refit on all rows along the grid down to α_min (warm starts), keeping the last model.
        LinearFit? refit = null;
        MultinomialFit? multinomialRefit = null;
        IReadOnlyList<string> refitWarnings;
        if (task == TaskKind.Multiclass)
        {
            var path = MultinomialRegression.PathOnRows(x, p, y, classes, all, o, co.Path, alphas[..(best + 1)], names);
            multinomialRefit = new MultinomialFit(path.ModelAt(best), path.Iterations[best], path.DualGaps[best], path.GapTolerances[best],
                path.ConvergedAt[best], path.DevianceExplained[best], path.Warnings, 0);
            refitWarnings = path.Warnings;
        }
        else
        {
            var refitPath = task == TaskKind.Binary
                ? BinaryLogisticRegression.PathOnRows(x, p, y, all, o, co.Path, alphas[..(best + 1)], names)
                : ElasticNetRegression.PathOnRows(x, p, y, all, o, co.Path, alphas[..(best + 1)], names);
            refit = new LinearFit(refitPath.ModelAt(best), refitPath.Iterations[best], refitPath.DualGaps[best], refitPath.GapTolerances[best],
                refitPath.ConvergedAt[best], refitPath.DevianceExplained[best], refitPath.Warnings, 0);
            refitWarnings = refit.Warnings;
        }
        var warnings = foldWarnings.SelectMany(w => w).Concat(refitWarnings).Distinct().ToList();
        return new CvResult(alphas, mean, se, errors, best, oneSe, refit, multinomialRefit, task == TaskKind.Regression ? "mse" : "logloss", sw.Elapsed.TotalSeconds, warnings, folds);
    }

    /// <summary>Every fold's training rows must hold every class 0..K−1 (a missing class has no finite maximum-likelihood intercept).</summary>
    private static void CheckFoldClasses(IReadOnlyList<Fold> folds, double[] y, int classes)
    {
        for (int f = 0; f < folds.Count; f++)
        {
            var train = folds[f].Train;
            var seen = new bool[classes];
            foreach (int i in train) seen[(int)y[i]] = true;
            int missing = Array.IndexOf(seen, false);
            if (missing < 0) continue;
            string prefix = $"fold {f + 1} of {folds.Count}: its training rows ({train.Length})";
            throw new OccamException(classes == 2
                ? $"{prefix} hold only class {1 - missing} of the binary target; every fold needs both classes to fit a logistic model: use stratified folds (--stratify), fewer folds, or more rows of the rarer class."
                : $"{prefix} miss class {missing} of the {classes} classes; every fold needs every class to fit a multinomial model: use stratified folds (--stratify), fewer folds, or more rows of that class.");
        }
    }

    /// <summary>Held-out mean squared error (regression) or mean log-loss (binary) of a path fitted on the training rows, per α.</summary>
    private static (double[] Errors, IReadOnlyList<string> Warnings) FoldErrors(double[] x, int p, double[] y, TaskKind task, int[] train, int[] test, LinearOptions o, PathOptions po, double[] alphas, string[]? names)
    {
        var path = task == TaskKind.Binary
            ? BinaryLogisticRegression.PathOnRows(x, p, y, train, o, po, alphas, names)
            : ElasticNetRegression.PathOnRows(x, p, y, train, o, po, alphas, names);
        var e = new double[alphas.Length];
        for (int a = 0; a < alphas.Length; a++)
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
        return (e, path.Warnings);
    }

    /// <summary>Held-out mean multinomial log-loss of a path fitted on the training rows, per α.</summary>
    private static (double[] Errors, IReadOnlyList<string> Warnings) MultinomialFoldErrors(double[] x, int p, double[] y, int classes, int[] train, int[] test, LinearOptions o, PathOptions po, double[] alphas, string[]? names)
    {
        var path = MultinomialRegression.PathOnRows(x, p, y, classes, train, o, po, alphas, names);
        var e = new double[alphas.Length];
        for (int a = 0; a < alphas.Length; a++) e[a] = MultinomialRegression.LogLoss(path.ModelAt(a), x, p, y, test);
        return (e, path.Warnings);
    }

    private static double LogisticAlphaMax(double[] x, int p, double[] y, int[] rows, LinearOptions o)
    {
        var stats = ColumnStats.Compute(x, p, rows, o.FitIntercept, o.Standardize);
        var ys = rows.Select(i => y[i]).ToArray();
        return new LogisticSolver(stats.ColumnMajor(x, p, rows), rows.Length, p, ys, stats.Excluded, o).AlphaMax();
    }
}
