using System.Diagnostics;
using Occam.Data;
using Occam.Numerics;

namespace Occam.Linear;

/// <summary>
/// Elastic-net regression (lasso at ρ = 1, ridge at ρ = 0) by cyclic coordinate descent, minimizing exactly
/// scikit-learn's objective
/// <code>(1/(2n))·‖y − Xw − b‖² + α·Σⱼ vⱼ·(ρ·|wⱼ| + (1−ρ)/2·wⱼ²)</code>
/// with an unpenalized intercept b and penalty factors vⱼ (default 1).
/// </summary>
/// <remarks>
/// X is row-major (rows × features). Columns are centred (with an intercept) and, by default, scaled to unit
/// population standard deviation before solving; coefficients are always returned in original units. Constant
/// columns get coefficient 0 and a warning. The stop is the duality gap ≤ tol·‖y − ȳ‖²/n (scikit-learn's
/// <c>tol·‖y‖²</c> for its n-times-larger objective). See docs/algorithms/coordinate-descent.md.
/// References: Friedman, Hastie, Tibshirani (2010) "Regularization paths for generalized linear models via coordinate
/// descent", J. Stat. Softw. 33(1); Tibshirani et al. (2012) "Strong rules for discarding predictors in lasso-type
/// problems", JRSS-B 74(2); scikit-learn <c>sklearn/linear_model/_cd_fast.pyx</c>.
/// </remarks>
public static class ElasticNetRegression
{
    /// <summary>Fits at one α ≥ 0 (α = 0 is ordinary least squares, solved directly by <see cref="RidgeRegression.Fit"/>).</summary>
    public static LinearFit Fit(double[] x, int rows, int features, double[] y, double alpha, LinearOptions? options = null, string[]? featureNames = null)
    {
        var o = options ?? new LinearOptions();
        Inputs.Check(x, rows, features, y);
        Inputs.CheckAlpha(alpha);
        o.Validate(features);
        if (alpha == 0) return RidgeRegression.Fit(x, rows, features, y, 0, o, featureNames);
        var sw = Stopwatch.StartNew();
        using var problem = GaussianProblem.Create(x, features, y, Inputs.AllRows(rows), o);
        var solver = new GaussianSolver(problem, o);
        double amax = solver.AlphaMax();
        // As glmnet, approach α along a short warm-started path from α_max (5 values per decade): on strongly
        // correlated columns a cold start at small α needs far more sweeps. The optimum is the same. The path is an
        // implementation detail: its steps have their own budget and the report counts the sweeps at α only.
        double prev = Math.Max(amax, alpha);
        double decades = Math.Log10(amax) - Math.Log10(alpha); // in logarithms: amax / α overflows for a subnormal α
        int steps = alpha > 0 && alpha < amax ? (int)Math.Ceiling(5 * decades) : 0;
        for (int s = 1; s < steps; s++)
        {
            double a = amax * Math.Pow(10, -decades * s / steps);
            solver.Solve(a, prev, LinearOptions.WarmStartSweeps);
            prev = a;
        }
        var report = solver.Solve(alpha, prev);
        var model = ToModel(problem, solver.W, alpha, o.L1Ratio);
        var warnings = problem.Stats.ConstantWarnings(featureNames).ToList();
        if (!report.Converged) warnings.Add(NotConverged(alpha, report));
        return new LinearFit(model, report.Iterations, report.Gap, report.GapTolerance, report.Converged, report.DevianceExplained, warnings, sw.Elapsed.TotalSeconds);
    }

    /// <summary>Fits a whole path, largest α first, each fit warm-started from the previous one.</summary>
    public static LinearPath Path(double[] x, int rows, int features, double[] y, LinearOptions? options = null, PathOptions? path = null, string[]? featureNames = null)
    {
        var o = options ?? new LinearOptions();
        var po = path ?? new PathOptions();
        Inputs.Check(x, rows, features, y);
        o.Validate(features);
        po.Validate();
        var sw = Stopwatch.StartNew();
        var result = PathOnRows(x, features, y, Inputs.AllRows(rows), o, po, null, featureNames);
        return result.WithSeconds(sw.Elapsed.TotalSeconds);
    }

    /// <summary>α_max: the smallest α at which every penalized coefficient is zero (computed with ρ' = max(ρ, 1e-3)).</summary>
    public static double AlphaMax(double[] x, int rows, int features, double[] y, LinearOptions? options = null)
    {
        var o = options ?? new LinearOptions();
        Inputs.Check(x, rows, features, y);
        o.Validate(features);
        using var problem = GaussianProblem.Create(x, features, y, Inputs.AllRows(rows), o);
        return new GaussianSolver(problem, o).AlphaMax();
    }

    /// <summary>The default grid: <paramref name="count"/> values log-spaced from α_max down to eps·α_max.</summary>
    public static double[] AlphaGrid(double alphaMax, int count, double eps)
    {
        Preconditions.CheckPositive(alphaMax);
        Preconditions.CheckPositive(count);
        Preconditions.CheckPositive(eps);
        var a = new double[count];
        if (count == 1) { a[0] = alphaMax; return a; }
        double lo = Math.Log10(alphaMax * eps), hi = Math.Log10(alphaMax);
        for (int k = 0; k < count; k++)
            a[k] = Math.Pow(10, hi - (hi - lo) * k / (count - 1));
        return a;
    }

    internal static double[] ResolveAlphas(PathOptions po, double alphaMax)
    {
        if (po.Alphas is { } given)
        {
            if (given.Any(v => !(v > 0)))
                throw new ArgumentException("every alpha on a path must be > 0 (use RidgeRegression.Fit for the unpenalized fit at alpha = 0).", nameof(po));
            return given.OrderByDescending(v => v).ToArray();
        }
        if (!(alphaMax > 0))
            throw new ArgumentException("α_max is 0: no penalized feature is correlated with the target (is it constant?), so every α > 0 gives all-zero coefficients and there is no path to compute; check the target column (a single fit at α = 0 is ordinary least squares).");
        return AlphaGrid(alphaMax, po.Count, po.Eps);
    }

    internal static LinearPath PathOnRows(double[] x, int p, double[] y, int[] rows, LinearOptions o, PathOptions po, double[]? alphas, string[]? names)
    {
        using var problem = GaussianProblem.Create(x, p, y, rows, o);
        var solver = new GaussianSolver(problem, o);
        double amax = solver.AlphaMax();
        alphas ??= ResolveAlphas(po, amax);
        var path = new PathBuilder(alphas, problem.Stats.ConstantWarnings(names));
        double prev = Math.Max(amax, alphas[0]);
        for (int k = 0; k < alphas.Length; k++)
        {
            var r = solver.Solve(alphas[k], prev);
            prev = alphas[k];
            var model = ToModel(problem, solver.W, alphas[k], o.L1Ratio);
            path.Add(k, model.Coef, model.Intercept, r);
        }
        return path.Build(TaskKind.Regression, o.L1Ratio, names);
    }

    internal static LinearCoefficients ToModel(GaussianProblem problem, double[] w, double alpha, double l1Ratio)
    {
        var coef = problem.Stats.Unscale(w);
        double b = problem.YMean - problem.Stats.MeanDot(coef);
        return new LinearCoefficients(TaskKind.Regression, coef, b, alpha, l1Ratio);
    }

    internal static string NotConverged(double alpha, SolveReport r) =>
        $"did not converge at alpha={alpha:G6}: duality gap {r.Gap:G3} > tolerance {r.GapTolerance:G3} after {Counted.Of(r.Iterations, "sweep")}; raise the iteration limit (--max-iter) or the tolerance (--tol).";
}
