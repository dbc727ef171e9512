using System.Diagnostics;
using Occam.Data;

namespace Occam.Linear;

/// <summary>
/// Penalized binary logistic regression (glmnet's "binomial" family):
/// <code>(1/n)·Σᵢ [log(1 + e^ηᵢ) − yᵢ·ηᵢ] + α·Σⱼ vⱼ·(ρ·|wⱼ| + (1−ρ)/2·wⱼ²),  ηᵢ = b + xᵢᵀw,  yᵢ ∈ {0, 1}</code>
/// solved by proximal Newton (IRLS) with coordinate descent on each penalized weighted least-squares model, as in
/// Friedman, Hastie, Tibshirani (2010), section 3. glmnet's λ equals α here; scikit-learn's <c>LogisticRegression(C)</c>
/// corresponds to α = 1/(n·C) with ρ = 1 (L1) or ρ = 0 (L2).
/// </summary>
/// <remarks>
/// Stops when the Fenchel duality gap ≤ tol·L₀, L₀ the mean log-loss of the intercept-only model. The first Newton step
/// starts from the previous solution (warm start); a step that raises the objective is halved until it does not.
/// K ≥ 3 classes: <see cref="MultinomialRegression"/>. See docs/algorithms/logistic-regression.md.
/// </remarks>
public static class BinaryLogisticRegression
{
    /// <summary>Fits at one α &gt; 0. <paramref name="y"/> holds 0/1 labels.</summary>
    public static LinearFit Fit(double[] x, int rows, int features, double[] y, double alpha, LinearOptions? options = null, string[]? featureNames = null)
    {
        var o = options ?? new LinearOptions();
        Inputs.Check(x, rows, features, y);
        Inputs.CheckAlpha(alpha);
        if (alpha == 0)
            throw new ArgumentException("alpha must be > 0 for logistic regression (an unpenalized fit diverges on separable data); use a small alpha such as 1e-6.", nameof(alpha));
        o.Validate(features);
        CheckLabels(y);
        var sw = Stopwatch.StartNew();
        // As glmnet, reach α along a short warm-started path from α_max (10 values per decade): a cold Newton start at
        // a small α can need far more sweeps than the whole path. The path is an implementation detail: its steps have
        // their own budget (no warnings) and the report counts the sweeps at α only.
        var path = PathOnRows(x, features, y, Inputs.AllRows(rows), o, new PathOptions(), null, featureNames, target: alpha);
        int last = path.Alphas.Length - 1;
        var model = path.ModelAt(last);
        var warnings = path.Warnings.ToList();
        return new LinearFit(model, path.Iterations[last], path.DualGaps[last], path.GapTolerances[last], path.ConvergedAt[last], path.DevianceExplained[last], warnings, sw.Elapsed.TotalSeconds);
    }

    /// <summary>A warm-started path from α_max down to eps·α_max (or over explicit alphas).</summary>
    public static LinearPath Path(double[] x, int rows, int features, double[] y, LinearOptions? options = null, PathOptions? path = null, string[]? featureNames = null)
    {
        var o = options ?? new LinearOptions();
        var po = path ?? new PathOptions();
        Inputs.Check(x, rows, features, y);
        o.Validate(features);
        po.Validate();
        CheckLabels(y);
        var sw = Stopwatch.StartNew();
        return PathOnRows(x, features, y, Inputs.AllRows(rows), o, po, null, featureNames)
            .WithSeconds(sw.Elapsed.TotalSeconds);
    }

    internal static void CheckLabels(double[] y)
    {
        for (int i = 0; i < y.Length; i++)
            if (y[i] != 0 && y[i] != 1)
                throw new ArgumentException($"y[{i}] = {y[i]}; binary logistic regression needs labels 0 and 1.", nameof(y));
    }

    internal static LinearPath PathOnRows(double[] x, int p, double[] y, int[] rows, LinearOptions o, PathOptions po, double[]? alphas, string[]? names, double? target = null)
    {
        int n = rows.Length;
        var stats = ColumnStats.Compute(x, p, rows, o.FitIntercept, o.Standardize);
        var xc = stats.ColumnMajor(x, p, rows);
        var ys = new double[n];
        for (int i = 0; i < n; i++) ys[i] = y[rows[i]];
        var solver = new LogisticSolver(xc, n, p, ys, stats.Excluded, o);
        double amax = solver.AlphaMax();
        if (target is double t)
        {
            // In logarithms: amax / t overflows for a subnormal t (e.g. 1e-320).
            double decades = Math.Log10(amax) - Math.Log10(t);
            int steps = t < amax ? (int)Math.Ceiling(10 * decades) : 0;
            alphas = new double[steps + 1];
            for (int s = 0; s < steps; s++) alphas[s] = amax * Math.Pow(10, -decades * s / steps);
            alphas[steps] = t;
        }
        alphas ??= ElasticNetRegression.ResolveAlphas(po, amax);
        int m = alphas.Length;
        var path = new PathBuilder(alphas, stats.ConstantWarnings(names));
        double prev = Math.Max(amax, alphas[0]);
        for (int k = 0; k < m; k++)
        {
            bool warmStep = target is not null && k < m - 1;
            var r = solver.Solve(alphas[k], prev, warmStep ? LinearOptions.WarmStartSweeps : null);
            prev = alphas[k];
            var coef = stats.Unscale(solver.W);
            path.Add(k, coef, solver.B - stats.MeanDot(coef), r, warn: !warmStep);
        }
        return path.Build(TaskKind.Binary, o.L1Ratio, names);
    }
}
