using System.Diagnostics;
using System.Numerics.Tensors;
using Occam.Numerics.LinearAlgebra;

namespace Occam.Linear;

/// <summary>
/// Ridge regression by a direct solve: minimizes (1/(2n))·‖y − Xw − b‖² + (α/2)·Σⱼ vⱼwⱼ², i.e. the elastic-net
/// objective at ρ = 0 (scikit-learn's <c>Ridge(alpha = n·α)</c>, whose objective is ‖y − Xw‖² + α‖w‖²).
/// </summary>
/// <remarks>
/// p ≤ n: Cholesky of X̃ᵀX̃/n + α·diag(v) (normal equations on centred/scaled columns). p &gt; n: the dual form
/// w = V⁻¹X̃ᵀa with (X̃V⁻¹X̃ᵀ + nα·I)·a = ỹ (needs α &gt; 0 and every vⱼ &gt; 0). The result reports Iterations = 0 and
/// a certificate of the solution (p ≤ n: the exact suboptimality ½·gᵀH⁻¹g of the quadratic objective, g its gradient
/// and H its Hessian, computed with the same factor; p &gt; n: the duality gap), so rounding trouble shows up as a
/// non-converged fit. α = 0 is ordinary least squares.
/// </remarks>
public static class RidgeRegression
{
    public static LinearFit Fit(double[] x, int rows, int features, double[] y, double alpha, LinearOptions? options = null, string[]? featureNames = null)
    {
        var o = (options ?? new LinearOptions()) with { L1Ratio = 0 };
        Inputs.Check(x, rows, features, y);
        Inputs.CheckAlpha(alpha);
        o.Validate(features);
        var sw = Stopwatch.StartNew();
        int n = rows, p = features;
        var v = o.PenaltyFactors ?? Enumerable.Repeat(1.0, p).ToArray();
        var allRows = Inputs.AllRows(n);
        var w = new double[p];
        if (p <= n)
        {
            var problem = GaussianProblem.Create(x, p, y, allRows, o with { Update = CdUpdate.Gram });
            var engine = (GramEngine)problem.Engine;
            var keep = Enumerable.Range(0, p).Where(j => !problem.Stats.Excluded[j]).ToArray();
            int m = keep.Length;
            var a = new double[m * m];
            var b = new double[m];
            for (int i = 0; i < m; i++)
            {
                var row = engine.GramRow(keep[i]);
                for (int k = 0; k < m; k++) a[i * m + k] = row[keep[k]];
                a[i * m + i] += alpha * v[keep[i]];
                b[i] = engine.Xty[keep[i]];
            }
            var factor = (double[])a.Clone();
            if (!Cholesky.Factor(factor, m))
                throw new ArgumentException($"X̃ᵀX̃/n + α·V is singular at alpha={alpha}: the columns are collinear or α is 0 with unpenalized features; use alpha > 0.", nameof(alpha));
            Cholesky.Solve(factor, m, b);
            for (int i = 0; i < m; i++) w[keep[i]] = b[i];
            // Exact certificate for a quadratic objective: P(w) − P* = ½·gᵀH⁻¹g with g = Hw − X̃ᵀỹ/n.
            var grad = new double[m];
            for (int i = 0; i < m; i++)
            {
                double s = -engine.Xty[keep[i]];
                for (int k = 0; k < m; k++) s += a[i * m + k] * b[k];
                grad[i] = s;
            }
            var z = (double[])grad.Clone();
            Cholesky.Solve(factor, m, z);
            double gap = 0;
            for (int i = 0; i < m; i++) gap += 0.5 * grad[i] * z[i];
            gap = Math.Max(gap, 0);
            engine.Reset(w);
            double gapTol = o.Tolerance * engine.YY / n;
            double dev = engine.YY > 0 ? 1 - engine.Rss(w) / engine.YY : 0;
            var warn = problem.Stats.ConstantWarnings(featureNames).ToList();
            if (!(gap <= gapTol)) warn.Add($"the direct ridge solve is inaccurate at alpha={alpha:G6}: suboptimality {gap:G3} > {gapTol:G3} (ill-conditioned X̃ᵀX̃; use a larger alpha or standardize).");
            return new LinearFit(ElasticNetRegression.ToModel(problem, w, alpha, 0), 0, gap, gapTol, gap <= gapTol, dev, warn, sw.Elapsed.TotalSeconds);
        }
        else
        {
            if (!(alpha > 0) || v.Any(f => f == 0))
                throw new ArgumentException("ridge with more features than rows needs alpha > 0 and every penalty factor > 0 (the normal equations are singular otherwise).", nameof(alpha));
            var problem = GaussianProblem.Create(x, p, y, allRows, o with { Update = CdUpdate.Residual });
            var xc = problem.Stats.ColumnMajor(x, p, allRows);
            var yc = new double[n];
            for (int i = 0; i < n; i++) yc[i] = y[i] - problem.YMean;
            var k = new double[n * n];
            var scaled = new double[n];
            for (int j = 0; j < p; j++)
            {
                if (problem.Stats.Excluded[j]) continue;
                var col = xc.AsSpan(j * n, n);
                TensorPrimitives.Multiply(col, 1 / v[j], scaled);
                for (int i = 0; i < n; i++)
                    if (col[i] != 0) TensorPrimitives.MultiplyAdd(scaled, col[i], k.AsSpan(i * n, n), k.AsSpan(i * n, n));
            }
            for (int i = 0; i < n; i++) k[i * n + i] += n * alpha;
            if (!Cholesky.Factor(k, n))
                throw new ArgumentException($"the dual ridge system is not positive definite at alpha={alpha}; use a larger alpha.", nameof(alpha));
            Cholesky.Solve(k, n, yc);
            for (int j = 0; j < p; j++)
                if (!problem.Stats.Excluded[j]) w[j] = TensorPrimitives.Dot(xc.AsSpan(j * n, n), yc) / v[j];
            // Certificate: the duality gap at the direct solution, from the coordinate-descent machinery.
            var solver = new GaussianSolver(problem, o);
            solver.SetCoefficients(w);
            var report = solver.Evaluate(alpha);
            var warnings = problem.Stats.ConstantWarnings(featureNames).ToList();
            if (!report.Converged) warnings.Add($"the direct ridge solve is inaccurate at alpha={alpha:G6}: duality gap {report.Gap:G3} > {report.GapTolerance:G3} (ill-conditioned X̃ᵀX̃; use a larger alpha or standardize).");
            return new LinearFit(ElasticNetRegression.ToModel(problem, w, alpha, 0), 0, report.Gap, report.GapTolerance, report.Converged, report.DevianceExplained, warnings, sw.Elapsed.TotalSeconds);
        }
    }
}
