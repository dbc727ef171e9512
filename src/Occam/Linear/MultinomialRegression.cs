using System.Diagnostics;
using Occam.Numerics;

namespace Occam.Linear;

/// <summary>
/// Penalized multinomial (softmax) logistic regression, glmnet's <c>family = "multinomial"</c>:
/// <code>−(1/n)·Σᵢ log pᵢ,yᵢ + α·Σⱼ vⱼ·((1−ρ)/2·‖βⱼ‖² + ρ·‖βⱼ‖_q),  pᵢₖ = e^ηᵢₖ / Σₘ e^ηᵢₘ,  ηᵢₖ = bₖ + xᵢᵀβ_·ₖ</code>
/// with βⱼ ∈ ℝᴷ the coefficients of feature j across the K classes, q = 1 (ungrouped: every coefficient selected on its
/// own) or q = 2 (<see cref="LinearOptions.Grouped"/>: a feature is in or out for all classes, glmnet's
/// <c>type.multinomial = "grouped"</c>). glmnet's λ is α and its <c>alpha</c> is ρ. Labels are class indices 0..K−1.
/// </summary>
/// <remarks>
/// The loss only depends on differences between classes, so coefficients are identifiable only through the penalty:
/// each βⱼ is the penalty-minimizing representative (its mean is subtracted for ρ = 0 or the grouped penalty; the
/// median for the lasso, between the two for the elastic net, the midpoint of the two middle values for even K, as glmnet) and the standardized intercepts
/// sum to 0. Probabilities and centred coefficients (βⱼ minus its mean over classes) are always unique.
/// Stops when the Fenchel duality gap ≤ tol·L₀, L₀ the mean log-loss of the intercept-only model.
/// See docs/algorithms/multinomial-regression.md.
/// </remarks>
public static class MultinomialRegression
{
    /// <summary>Fits at one α &gt; 0. <paramref name="y"/> holds class indices 0..K−1 (every class present).</summary>
    public static MultinomialFit Fit(double[] x, int rows, int features, double[] y, double alpha, LinearOptions? options = null, string[]? featureNames = null)
    {
        var o = options ?? new LinearOptions();
        Inputs.Check(x, rows, features, y);
        Inputs.CheckAlpha(alpha);
        if (alpha == 0)
            throw new ArgumentException("alpha must be > 0 for multinomial regression (the unpenalized fit is not unique and diverges on separable data); use a small alpha such as 1e-6.", nameof(alpha));
        o.Validate(features);
        int classes = CheckLabels(y);
        var sw = Stopwatch.StartNew();
        // As glmnet, reach α along a short warm-started path from α_max (10 values per decade).
        var path = PathOnRows(x, features, y, classes, Inputs.AllRows(rows), o, new PathOptions(), null, featureNames, target: alpha);
        int last = path.Alphas.Length - 1;
        var warnings = path.Warnings.Where(w => !w.StartsWith("did not converge", StringComparison.Ordinal)).ToList();
        if (!path.ConvergedAt[last]) warnings.Add(path.Warnings[^1]);
        return new MultinomialFit(path.ModelAt(last), path.Iterations.Sum(), path.DualGaps[last], path.GapTolerances[last], path.ConvergedAt[last], path.DevianceExplained[last], warnings, sw.Elapsed.TotalSeconds);
    }

    /// <summary>A warm-started path from α_max down to eps·α_max (or over explicit alphas).</summary>
    public static MultinomialPath Path(double[] x, int rows, int features, double[] y, LinearOptions? options = null, PathOptions? path = null, string[]? featureNames = null)
    {
        var o = options ?? new LinearOptions();
        var po = path ?? new PathOptions();
        Inputs.Check(x, rows, features, y);
        o.Validate(features);
        po.Validate();
        int classes = CheckLabels(y);
        var sw = Stopwatch.StartNew();
        return PathOnRows(x, features, y, classes, Inputs.AllRows(rows), o, po, null, featureNames).WithSeconds(sw.Elapsed.TotalSeconds);
    }

    /// <summary>Checks that labels are class indices 0..K−1 with K ≥ 2; returns K.</summary>
    internal static int CheckLabels(double[] y)
    {
        int max = 0;
        for (int i = 0; i < y.Length; i++)
        {
            if (y[i] < 0 || y[i] != Math.Floor(y[i]) || y[i] > int.MaxValue - 1)
                throw new ArgumentException($"y[{i}] = {y[i]}; multinomial regression needs class indices 0, 1, ..., K−1.", nameof(y));
            max = Math.Max(max, (int)y[i]);
        }
        Preconditions.Check(max >= 1, "y holds a single class; multinomial regression needs at least two.", nameof(y));
        return max + 1;
    }

    internal static MultinomialSolver CreateSolver(double[] x, int p, double[] y, int classes, int[] rows, LinearOptions o, out ColumnStats stats)
    {
        stats = ColumnStats.Compute(x, p, rows, o.FitIntercept, o.Standardize);
        var xc = stats.ColumnMajor(x, p, rows);
        var ys = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++) ys[i] = (int)y[rows[i]];
        return new MultinomialSolver(xc, rows.Length, p, ys, classes, stats.Excluded, o, o.Grouped);
    }

    internal static MultinomialPath PathOnRows(double[] x, int p, double[] y, int classes, int[] rows, LinearOptions o, PathOptions po, double[]? alphas, string[]? names, double? target = null)
    {
        var solver = CreateSolver(x, p, y, classes, rows, o, out var stats);
        double amax = solver.AlphaMax();
        if (target is double t)
        {
            int steps = t < amax ? (int)Math.Ceiling(10 * Math.Log10(amax / t)) : 0;
            alphas = new double[steps + 1];
            for (int s = 0; s < steps; s++) alphas[s] = amax * Math.Pow(t / amax, (double)s / steps);
            alphas[steps] = t;
        }
        alphas ??= ElasticNetRegression.ResolveAlphas(po, amax);
        int m = alphas.Length;
        var coefs = new double[m][][];
        var intercepts = new double[m][];
        var iters = new int[m];
        var gaps = new double[m];
        var tols = new double[m];
        var conv = new bool[m];
        var dev = new double[m];
        var warnings = stats.ConstantWarnings(names).ToList();
        double prev = Math.Max(amax, alphas[0]);
        for (int a = 0; a < m; a++)
        {
            var r = solver.Solve(alphas[a], prev);
            prev = alphas[a];
            (coefs[a], intercepts[a]) = ToOriginalUnits(solver, stats, p, classes);
            iters[a] = r.Iterations;
            gaps[a] = r.Gap;
            tols[a] = r.GapTolerance;
            conv[a] = r.Converged;
            dev[a] = r.DevianceExplained;
            if (!r.Converged) warnings.Add(ElasticNetRegression.NotConverged(alphas[a], r));
        }
        return new MultinomialPath(o.L1Ratio, o.Grouped, (double[])alphas.Clone(), coefs, intercepts, iters, gaps, tols, conv, dev, warnings, 0);
    }

    /// <summary>Coefficients [class][feature] in original units and intercepts bₖ − Σⱼ meanⱼ·coefₖⱼ.</summary>
    private static (double[][] Coef, double[] Intercepts) ToOriginalUnits(MultinomialSolver solver, ColumnStats stats, int p, int classes)
    {
        var coef = new double[classes][];
        var b = new double[classes];
        var w = new double[p];
        for (int k = 0; k < classes; k++)
        {
            for (int j = 0; j < p; j++) w[j] = solver.W[j * classes + k];
            coef[k] = stats.Unscale(w);
            b[k] = solver.B[k] - stats.MeanDot(coef[k]);
        }
        return (coef, b);
    }

    /// <summary>Mean held-out log-loss −(1/|rows|)·Σᵢ log pᵢ,yᵢ of a model on the given rows.</summary>
    internal static double LogLoss(MultinomialModel model, double[] x, int p, double[] y, int[] rows)
    {
        double sum = 0;
        var eta = new double[model.Classes];
        foreach (int i in rows)
        {
            model.Decision(x.AsSpan(i * p, p), eta);
            double m = eta.Max(), s = 0;
            foreach (double e in eta) s += Math.Exp(e - m);
            sum += m + Math.Log(s) - eta[(int)y[i]];
        }
        return sum / rows.Length;
    }
}
