namespace Occam.Tests.Linear;

/// <summary>The Gaussian elastic-net objective the solvers minimize with Standardize = true, written out directly
/// (row-major x, n × p), for tests that compare solutions by their objective.</summary>
internal static class StandardizedObjective
{
    /// <summary>(1/(2n))‖y − Xw − b‖² + α·Σⱼ(ρ·sⱼ|wⱼ| + (1−ρ)/2·sⱼ²wⱼ²), sⱼ the population sd of column j; ρ = 1 is
    /// the lasso.</summary>
    public static double Value(double[] x, int n, int p, double[] y, double[] coef, double b, double alpha, double rho = 1)
    {
        double loss = 0, l1 = 0, l2 = 0;
        for (int i = 0; i < n; i++)
        {
            double e = y[i] - b;
            for (int j = 0; j < p; j++) e -= x[i * p + j] * coef[j];
            loss += e * e;
        }
        for (int j = 0; j < p; j++)
        {
            double m = 0, v = 0;
            for (int i = 0; i < n; i++) m += x[i * p + j];
            m /= n;
            for (int i = 0; i < n; i++) v += (x[i * p + j] - m) * (x[i * p + j] - m);
            double s = Math.Sqrt(v / n);
            l1 += s * Math.Abs(coef[j]);
            l2 += s * s * coef[j] * coef[j];
        }
        return loss / (2 * n) + alpha * (rho * l1 + (1 - rho) / 2 * l2);
    }
}
