using Occam.Linear;
using Occam.Numerics.Random;

namespace Occam.Tests.Linear;

/// <summary>
/// The residual engine's duality gap without a full pass per check (GaussianDualCertificate): dual extrapolation, float
/// full passes with an error bound, Cauchy–Schwarz bounds on the other features. The reported gap must stay an upper
/// bound on the true suboptimality at every α, whichever dual point certified it.
/// </summary>
public class DualCertificateTests
{
    [Fact]
    public void ExtrapolationRecoversTheLimitOfAKTermGeometricSequence()
    {
        // rₜ = r* + Σᵢ λᵢᵗ·vᵢ with K − 1 terms: the extrapolation of r₀ … r_K is r* (up to the ridge and rounding).
        int n = 30, k = GaussianDualCertificate.K;
        var rng = new Rng(5);
        var limit = Enumerable.Range(0, n).Select(_ => rng.NextNormal()).ToArray();
        var v = Enumerable.Range(0, k - 1).Select(_ => Enumerable.Range(0, n).Select(_ => rng.NextNormal()).ToArray()).ToArray();
        double[] lambda = [0.9, -0.7, 0.5, 0.3];
        var residuals = new double[(k + 1) * n];
        for (int t = 0; t <= k; t++)
            for (int i = 0; i < n; i++)
            {
                double s = limit[i];
                for (int q = 0; q < k - 1; q++) s += Math.Pow(lambda[q], t + 3) * v[q][i];
                residuals[t * n + i] = s;
            }
        var result = new double[n];
        Assert.True(DualExtrapolation.Compute(residuals, n, k, result, new double[k * n + k * k + k]));
        double last = 0, error = 0;
        for (int i = 0; i < n; i++)
        {
            error = Math.Max(error, Math.Abs(result[i] - limit[i]));
            last = Math.Max(last, Math.Abs(residuals[k * n + i] - limit[i]));
        }
        Assert.True(error < 1e-6 && error < 1e-4 * last, $"extrapolated error {error}, last iterate's {last}");
        // A constant sequence (no differences) cannot be extrapolated: reported, not a NaN.
        var constant = new double[(k + 1) * n];
        Assert.False(DualExtrapolation.Compute(constant, n, k, result, new double[k * n + k * k + k]));
    }

    [Fact]
    public void FloatFullPassStaysWithinItsErrorBound()
    {
        // Columns with scales from 1e-3 to 1e3, a residual with a wide range: |exact − float| ≤ relative·‖x̃ⱼ‖/n + absolute.
        int n = 150, p = 300;
        var rng = new Rng(17);
        var x = new double[n * p];
        for (int j = 0; j < p; j++)
        {
            double scale = Math.Pow(10, -3 + 6.0 * j / p);
            for (int i = 0; i < n; i++) x[j * n + i] = scale * rng.NextNormal();
        }
        var y = Enumerable.Range(0, n).Select(i => rng.NextNormal() * (1 + i % 7) * 1e2).ToArray();
        var engine = new ResidualEngine(n, p, x, y);
        var approx = new double[p];
        engine.BoundedGradients(approx, new bool[p], out double relative, out double absolute);
        Assert.True(relative > 0);
        for (int j = 0; j < p; j++)
        {
            double exact = engine.Gradient(j);
            double bound = relative * engine.ColumnNormOverN[j] + absolute;
            Assert.True(Math.Abs(exact - approx[j]) <= bound, $"{j}: |{exact} − {approx[j]}| > {bound}");
            // Not vacuous: the bound is a small fraction of the Cauchy–Schwarz bound ‖x̃ⱼ‖‖r‖/n.
            Assert.True(bound <= 1e-3 * engine.ColumnNormOverN[j] * Math.Sqrt(y.Sum(v => v * v)), $"{j}: bound {bound}");
        }
    }

    [Fact]
    public void EstimatesFromSeveralReferencesStayWithinTheirBound()
    {
        // Full passes (float, then exact) at residuals along a coordinate-descent-like path; for points u in and out of the
        // span of the references, |x̃ⱼᵀu/n − estⱼ| ≤ ‖x̃ⱼ‖/n·spread + absolute for every j, and a point in the span has a
        // spread of rounding size (the bound is not vacuous).
        int n = 60, p = 500;
        var rng = new Rng(23);
        var x = new double[n * p];
        for (int j = 0; j < p; j++)
        {
            double scale = Math.Pow(10, -2 + 4.0 * j / p);
            for (int i = 0; i < n; i++) x[j * n + i] = scale * rng.NextNormal();
        }
        var y = Enumerable.Range(0, n).Select(_ => 10 * rng.NextNormal()).ToArray();
        var engine = new ResidualEngine(n, p, x, y);
        var excluded = new bool[p];
        var cert = new GaussianDualCertificate(engine, Enumerable.Repeat(1.0, p).ToArray(), excluded);
        var c = new double[p];
        var refs = new List<double[]>();
        for (int t = 0; t < GaussianDualCertificate.References + 2; t++)
        {
            for (int q = 0; q < 3; q++) engine.Apply(rng.NextInt(p), 0.01 * rng.NextNormal());
            cert.FullPass(c, excluded, excluded, exact: t % 3 == 2);
            refs.Add(engine.Residual.ToArray());
        }
        var est = new double[p];
        void Check(double[] u, bool? inSpan)
        {
            double spread = cert.Estimate(u, est, out double absolute);
            double norm = Math.Sqrt(u.Sum(v => v * v));
            for (int j = 0; j < p; j++)
            {
                double exact = engine.GradientAt(j, u);
                double bound = engine.ColumnNormOverN[j] * spread + absolute;
                Assert.True(Math.Abs(exact - est[j]) <= bound, $"{j}: |{exact} − {est[j]}| > {bound}");
            }
            if (inSpan == true) Assert.True(spread <= 1e-5 * norm, $"spread {spread} for a point in the span (‖u‖ = {norm})");
            else if (inSpan == false) Assert.True(spread >= 1e-3 * norm, $"spread {spread} for a point off the span (‖u‖ = {norm})");
        }
        // In the span of the kept references (the last References of them).
        var inside = new double[n];
        for (int t = refs.Count - GaussianDualCertificate.References; t < refs.Count; t++)
        {
            double a = rng.NextNormal();
            for (int i = 0; i < n; i++) inside[i] += a * refs[t][i];
        }
        Check(inside, true);
        // Off the span: a random direction added, and a reference that was dropped.
        var outside = inside.Select(v => v + 0.1 * rng.NextNormal()).ToArray();
        Check(outside, false);
        Check(refs[0], null);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void WidePathGapsBoundTheTrueSuboptimality(double rho)
    {
        // p ≫ n with correlated columns and supports that reach n: the default tolerance (certified by the bounds and the
        // extrapolated dual points) against a reference solved to 1e-13.
        int n = 40, p = 400;
        var (x, y) = LinearTestData.Synthetic(n, p, 77, informative: 12);
        for (int i = 0; i < n; i++)
            for (int j = 1; j < p; j += 3) x[i * p + j] = 0.8 * x[i * p + j - 1] + 0.2 * x[i * p + j];
        var po = new PathOptions { Count = 50, Eps = 1e-3 };
        var o = new LinearOptions { L1Ratio = rho };
        var fast = ElasticNetRegression.Path(x, n, p, y, o, po);
        var tight = ElasticNetRegression.Path(x, n, p, y, o with { Tolerance = 1e-13, MaxIterations = 1_000_000 }, po);
        Assert.True(fast.Converged && tight.Converged);
        for (int k = 0; k < fast.Alphas.Length; k++)
        {
            Assert.True(fast.DualGaps[k] <= fast.GapTolerances[k], $"#{k}: gap {fast.DualGaps[k]} > {fast.GapTolerances[k]}");
            double a = fast.Alphas[k];
            double pf = StandardizedObjective.Value(x, n, p, y, fast.Coefs[k], fast.Intercepts[k], a, rho);
            double pt = StandardizedObjective.Value(x, n, p, y, tight.Coefs[k], tight.Intercepts[k], a, rho);
            Assert.True(pf - pt <= fast.DualGaps[k] + 1e-10 * Math.Abs(pt), $"#{k}: suboptimality {pf - pt} > reported gap {fast.DualGaps[k]}");
            // The reference itself is optimal by an independent check.
            var r = Optimality.Gaussian(x, n, p, y, tight.Coefs[k], tight.Intercepts[k], a, rho, true);
            Assert.True(r.GradientMapping <= 1e-5, $"#{k}: reference gradient mapping {r.GradientMapping}");
        }
    }
}
