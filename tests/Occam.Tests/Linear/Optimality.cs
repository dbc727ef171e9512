namespace Occam.Tests.Linear;

/// <summary>
/// Independent optimality checks, computed from the original data and the reported coefficients (original units):
/// the standardized problem is rebuilt here, not taken from the solver.
/// </summary>
internal static class Optimality
{
    public sealed record Report(double SubgradientViolation, double GradientMapping, double Gap, double InterceptGradient, double Lipschitz);

    /// <summary>Centred/scaled copy (column-major) and the scales, as the solver's preprocessing defines them.</summary>
    private static (double[] Xs, double[] Scale, double[] Mean) Standardize(double[] x, int n, int p, bool standardize)
    {
        var xs = new double[n * p];
        var scale = new double[p];
        var mean = new double[p];
        for (int j = 0; j < p; j++)
        {
            double m = 0;
            for (int i = 0; i < n; i++) m += x[i * p + j];
            m /= n;
            double ss = 0;
            for (int i = 0; i < n; i++) ss += (x[i * p + j] - m) * (x[i * p + j] - m);
            double s = standardize && ss > 0 ? Math.Sqrt(ss / n) : 1;
            scale[j] = s;
            mean[j] = m;
            for (int i = 0; i < n; i++) xs[j * n + i] = (x[i * p + j] - m) / s;
        }
        return (xs, scale, mean);
    }

    /// <summary>KKT and duality-gap report for the Gaussian elastic net (objective scaled by 1/(2n)).</summary>
    public static Report Gaussian(double[] x, int n, int p, double[] y, double[] coef, double intercept, double alpha, double rho, bool standardize)
    {
        var (xs, scale, mean) = Standardize(x, n, p, standardize);
        var w = new double[p];
        for (int j = 0; j < p; j++) w[j] = coef[j] * scale[j];
        var r = new double[n];
        double rsum = 0;
        for (int i = 0; i < n; i++)
        {
            double pred = intercept;
            for (int j = 0; j < p; j++) pred += coef[j] * x[i * p + j];
            r[i] = y[i] - pred;
            rsum += r[i];
        }
        double ybar = y.Average();
        var c = new double[p];
        for (int j = 0; j < p; j++)
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += xs[j * n + i] * r[i];
            c[j] = s / n;
        }
        double l1 = alpha * rho, l2 = alpha * (1 - rho);
        double L = 0;
        for (int j = 0; j < p; j++)
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += xs[j * n + i] * xs[j * n + i];
            L += s / n;
        }
        L += l2;
        double viol = 0, gm = 0;
        for (int j = 0; j < p; j++)
        {
            double g = -c[j] + l2 * w[j];     // gradient of the smooth part
            viol = Math.Max(viol, w[j] != 0 ? Math.Abs(g + l1 * Math.Sign(w[j])) : Math.Max(0, Math.Abs(g) - l1));
            double z = w[j] - g / L;
            double prox = Math.Sign(z) * Math.Max(Math.Abs(z) - l1 / L, 0);
            gm = Math.Max(gm, L * Math.Abs(w[j] - prox));
        }
        // Duality gap at θ = κ·r (scikit-learn's definition), with r recomputed here; intercept makes Σr = 0.
        double rr = r.Sum(v => v * v), ry = 0;
        for (int i = 0; i < n; i++) ry += r[i] * (y[i] - ybar);
        double dual = 0;
        for (int j = 0; j < p; j++) dual = Math.Max(dual, Math.Abs(n * c[j] - l2 * n * w[j]));
        double aS = l1 * n, beta = l2 * n;
        double kappa = dual > aS ? aS / dual : 1;
        double w2 = w.Sum(v => v * v), w1 = w.Sum(Math.Abs);
        double gap = (0.5 * (1 + kappa * kappa) * (rr + beta * w2) + aS * w1 - kappa * ry) / n;
        return new Report(viol, gm, gap, rsum / n, L);
    }

    /// <summary>KKT report for penalized binary logistic regression (gap not recomputed: Gap = NaN).</summary>
    public static Report Logistic(double[] x, int n, int p, double[] y, double[] coef, double intercept, double alpha, double rho, bool standardize)
    {
        var (xs, scale, _) = Standardize(x, n, p, standardize);
        var w = new double[p];
        for (int j = 0; j < p; j++) w[j] = coef[j] * scale[j];
        var res = new double[n];
        for (int i = 0; i < n; i++)
        {
            double eta = intercept;
            for (int j = 0; j < p; j++) eta += coef[j] * x[i * p + j];
            res[i] = y[i] - 1 / (1 + Math.Exp(-eta));
        }
        double l1 = alpha * rho, l2 = alpha * (1 - rho), viol = 0;
        for (int j = 0; j < p; j++)
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += xs[j * n + i] * res[i];
            double g = -s / n + l2 * w[j];
            viol = Math.Max(viol, w[j] != 0 ? Math.Abs(g + l1 * Math.Sign(w[j])) : Math.Max(0, Math.Abs(g) - l1));
        }
        return new Report(viol, double.NaN, double.NaN, res.Sum() / n, double.NaN);
    }
}
