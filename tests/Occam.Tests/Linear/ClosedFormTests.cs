using Occam.Linear;

namespace Occam.Tests.Linear;

public class ClosedFormTests
{
    /// <summary>8 × 7 design from the columns 2..8 of the Sylvester–Hadamard matrix: centred, XᵀX/n = I.</summary>
    private static double[] Orthonormal(out int n, out int p)
    {
        n = 8; p = 7;
        var x = new double[n * p];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++)
                x[i * p + j] = int.PopCount(i & (j + 1)) % 2 == 0 ? 1 : -1;
        return x;
    }

    [Theory]
    [InlineData(0.3, 1.0, CdUpdate.Gram)]
    [InlineData(0.3, 1.0, CdUpdate.Residual)]
    [InlineData(1.1, 0.5, CdUpdate.Gram)]
    [InlineData(0.05, 0.2, CdUpdate.Residual)]
    [InlineData(2.0, 0.0, CdUpdate.Gram)]
    public void OrthonormalDesignIsSoftThresholdedLeastSquares(double alpha, double rho, CdUpdate update)
    {
        var x = Orthonormal(out int n, out int p);
        double[] y = [3.1, -0.4, 2.2, 5.0, -1.7, 0.3, 1.9, 4.4];
        var fit = ElasticNetRegression.Fit(x, n, p, y, alpha, new LinearOptions { L1Ratio = rho, Standardize = false, Tolerance = 1e-14, Update = update });
        Assert.True(fit.Converged);
        double ybar = y.Average();
        for (int j = 0; j < p; j++)
        {
            double ls = 0;
            for (int i = 0; i < n; i++) ls += x[i * p + j] * y[i];
            ls /= n;
            double expected = Math.Sign(ls) * Math.Max(Math.Abs(ls) - alpha * rho, 0) / (1 + alpha * (1 - rho));
            Assert.Equal(expected, fit.Model.Coef[j], 12);
        }
        Assert.Equal(ybar, fit.Model.Intercept, 12);
    }

    /// <summary>Gaussian elimination with partial pivoting, independent of the Cholesky kernel.</summary>
    private static double[] SolveDense(double[,] a, double[] b)
    {
        int m = b.Length;
        var A = (double[,])a.Clone();
        var B = (double[])b.Clone();
        for (int k = 0; k < m; k++)
        {
            int piv = k;
            for (int i = k + 1; i < m; i++) if (Math.Abs(A[i, k]) > Math.Abs(A[piv, k])) piv = i;
            for (int j = 0; j < m; j++) (A[k, j], A[piv, j]) = (A[piv, j], A[k, j]);
            (B[k], B[piv]) = (B[piv], B[k]);
            for (int i = k + 1; i < m; i++)
            {
                double f = A[i, k] / A[k, k];
                for (int j = k; j < m; j++) A[i, j] -= f * A[k, j];
                B[i] -= f * B[k];
            }
        }
        var xs = new double[m];
        for (int i = m - 1; i >= 0; i--)
        {
            double s = B[i];
            for (int j = i + 1; j < m; j++) s -= A[i, j] * xs[j];
            xs[i] = s / A[i, i];
        }
        return xs;
    }

    /// <summary>Ridge in original units from the normal equations (X_cᵀX_c/n + α·I)w = X_cᵀy_c/n (no standardization).</summary>
    private static (double[] W, double B) NormalEquations(double[] x, int n, int p, double[] y, double alpha)
    {
        var mean = new double[p];
        for (int j = 0; j < p; j++) { for (int i = 0; i < n; i++) mean[j] += x[i * p + j]; mean[j] /= n; }
        double ybar = y.Average();
        var a = new double[p, p];
        var b = new double[p];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++)
            {
                double xj = x[i * p + j] - mean[j];
                b[j] += xj * (y[i] - ybar) / n;
                for (int k = 0; k < p; k++) a[j, k] += xj * (x[i * p + k] - mean[k]) / n;
            }
        for (int j = 0; j < p; j++) a[j, j] += alpha;
        var w = SolveDense(a, b);
        double intercept = ybar;
        for (int j = 0; j < p; j++) intercept -= mean[j] * w[j];
        return (w, intercept);
    }

    [Theory]
    [InlineData(60, 8, 0.5)]
    [InlineData(60, 8, 0.0)]
    [InlineData(15, 40, 0.7)]
    public void RidgeMatchesNormalEquations(int n, int p, double alpha)
    {
        var (x, y) = LinearTestData.Synthetic(n, p, 11, 5);
        if (p > n && alpha == 0) return;
        var o = new LinearOptions { Standardize = false, Tolerance = 1e-13, MaxIterations = 100_000 };
        if (p <= n)
        {
            var (w, b) = NormalEquations(x, n, p, y, alpha);
            var direct = RidgeRegression.Fit(x, n, p, y, alpha, o);
            Assert.True(LinearTestData.RelativeError(direct.Model.Coef, w) < 1e-10);
            Assert.Equal(b, direct.Model.Intercept, 8);
            if (alpha > 0)
            {
                var cd = ElasticNetRegression.Fit(x, n, p, y, alpha, o with { L1Ratio = 0 });
                Assert.True(cd.Converged);
                Assert.True(LinearTestData.RelativeError(cd.Model.Coef, w) < 1e-6);
            }
        }
        else
        {
            // p > n: the dual solve must agree with coordinate descent (both exact up to tolerance).
            var direct = RidgeRegression.Fit(x, n, p, y, alpha, o);
            var cd = ElasticNetRegression.Fit(x, n, p, y, alpha, o with { L1Ratio = 0 });
            Assert.True(direct.Converged, $"direct gap {direct.DualGap} > {direct.GapTolerance}");
            Assert.True(cd.Converged, $"cd gap {cd.DualGap} > {cd.GapTolerance}: {string.Join(";", cd.Warnings)}");
            // Strong convexity (modulus α, no standardization): ‖w − w*‖² ≤ 2·gap/α.
            double bound = Math.Sqrt(2 * cd.GapTolerance / alpha);
            for (int j = 0; j < p; j++)
                Assert.True(Math.Abs(direct.Model.Coef[j] - cd.Model.Coef[j]) <= bound, $"coef {j}");
        }
    }

    [Theory]
    [InlineData(1.0, true)]
    [InlineData(0.5, false)]
    [InlineData(0.1, true)]
    public void AlphaAtOrAboveAlphaMaxGivesAllZeros(double rho, bool standardize)
    {
        var (x, y) = LinearTestData.Synthetic(80, 12, 5, 6);
        var o = new LinearOptions { L1Ratio = rho, Standardize = standardize, Tolerance = 1e-12 };
        double amax = ElasticNetRegression.AlphaMax(x, 80, 12, y, o);
        foreach (double a in new[] { amax, 1.5 * amax, 10 * amax })
        {
            var fit = ElasticNetRegression.Fit(x, 80, 12, y, a, o);
            Assert.All(fit.Model.Coef, c => Assert.Equal(0.0, c));
            Assert.Equal(y.Average(), fit.Model.Intercept, 10);
        }
        var below = ElasticNetRegression.Fit(x, 80, 12, y, 0.99 * amax, o);
        Assert.Equal(1, below.Model.NonZero);
    }

    [Theory]
    [InlineData(CdUpdate.Gram)]
    [InlineData(CdUpdate.Residual)]
    public void TinyAlphaGivesLeastSquares(CdUpdate update)
    {
        var (x, y) = LinearTestData.Synthetic(120, 6, 3, 6);
        var (w, b) = NormalEquations(x, 120, 6, y, 0);
        var o = new LinearOptions { Standardize = true, Tolerance = 1e-14, MaxIterations = 100_000, Update = update };
        var fit = ElasticNetRegression.Fit(x, 120, 6, y, 1e-9, o);
        Assert.True(fit.Converged);
        Assert.True(LinearTestData.RelativeError(fit.Model.Coef, w) < 1e-6);
        Assert.Equal(b, fit.Model.Intercept, 5);
        var ols = ElasticNetRegression.Fit(x, 120, 6, y, 0, o);
        Assert.True(ols.Converged, $"OLS certificate {ols.DualGap}");
        Assert.Equal(0, ols.Iterations);
        Assert.True(LinearTestData.RelativeError(ols.Model.Coef, w) < 1e-10);
    }
}
