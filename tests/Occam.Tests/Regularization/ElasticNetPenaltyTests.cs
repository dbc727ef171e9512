using Occam.Numerics.Prox;
using Occam.Numerics.Random;
using Occam.Regularization;

namespace Occam.Tests.Regularization;

public class ElasticNetPenaltyTests
{
    [Theory]
    [InlineData(0.1, 0.5)]
    [InlineData(2.0, 0.15)]
    [InlineData(0.003, 0.99)]
    [InlineData(1.0, 0.0)]
    [InlineData(1.0, 1.0)]
    public void FromAlphaIsAlphaRhoAndAlphaOneMinusRho(double alpha, double rho)
    {
        var net = ElasticNetPenalty.FromAlpha(alpha, rho);
        Assert.Equal(new ElasticNetPenalty(alpha * rho, alpha * (1 - rho)), net);
        Assert.Equal(alpha * rho, net.L1);
        Assert.Equal(alpha * (1 - rho), net.L2);
        Assert.Equal(L1Mode.Prox, net.Mode);
        Assert.Equal(L1Mode.Subgradient, ElasticNetPenalty.FromAlpha(alpha, rho, L1Mode.Subgradient).Mode);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    [InlineData(3.0)]
    public void LassoIsRhoOneAndRidgeIsRhoZero(double lambda)
    {
        Assert.Equal(ElasticNetPenalty.FromAlpha(lambda, 1), ElasticNetPenalty.Lasso(lambda));
        Assert.Equal(ElasticNetPenalty.FromAlpha(lambda, 0), ElasticNetPenalty.Ridge(lambda));
        Assert.Equal(new ElasticNetPenalty(lambda, 0), ElasticNetPenalty.Lasso(lambda));
        Assert.Equal(new ElasticNetPenalty(0, lambda), ElasticNetPenalty.Ridge(lambda));
    }

    [Fact]
    public void ValueIsL1NormPlusHalfL2SquaredNorm()
    {
        float[] w = [1f, -2f, 3f, 0f];
        // 0.5·6 + 0.2/2·14 = 4.4
        Assert.Equal(4.4, new ElasticNetPenalty(0.5, 0.2).Value(w), 1e-6);
        Assert.Equal(0.5 * 6, ElasticNetPenalty.Lasso(0.5).Value(w), 1e-6);
        Assert.Equal(0.1 * 14, ElasticNetPenalty.Ridge(0.2).Value(w), 1e-6);
        // sklearn form: α(ρ‖w‖₁ + (1 − ρ)/2‖w‖²) with α = 2, ρ = 0.25: 2·(0.25·6 + 0.375·14) = 13.5
        Assert.Equal(13.5, ElasticNetPenalty.FromAlpha(2, 0.25).Value(w), 1e-5);
        Assert.Equal(0, ElasticNetPenalty.None.Value(w));
        Assert.True(ElasticNetPenalty.None.IsZero);
    }

    [Fact]
    public void SubgradientMatchesCentralDifferencesAwayFromZero()
    {
        // R is piecewise quadratic; with |wᵢ| ≥ 0.1 > h no coordinate crosses 0, so the central difference is exact in
        // exact arithmetic. Value sums in float (TensorPrimitives), so each evaluation carries ~2⁻²⁴·R of rounding;
        // divided by 2h = 0.02 that is ≤ 6e-8·R/0.02 ≈ 3e-5 for R ≈ 10. Tolerance 1e-4.
        var rng = new Rng(1201UL);
        var penalty = new ElasticNetPenalty(0.7, 0.3, L1Mode.Subgradient);
        var w = new float[24];
        for (int i = 0; i < w.Length; i++) w[i] = (float)((0.1 + rng.NextDouble()) * (rng.NextInt(2) == 0 ? 1 : -1));
        var g = new float[w.Length];
        for (int i = 0; i < g.Length; i++) g[i] = 0.25f; // AddGradient adds to what is there
        penalty.AddGradient(w, g);
        for (int i = 0; i < w.Length; i++)
        {
            double fd = TestVectors.CentralDifference(w, i, 1e-2, () => penalty.Value(w));
            Assert.True(Math.Abs(g[i] - 0.25f - fd) <= 1e-4, $"i={i}: analytic {g[i] - 0.25f}, fd {fd}");
            Assert.Equal(0.7 * Math.Sign(w[i]) + 0.3 * w[i], g[i] - 0.25, 1e-6);
        }
    }

    [Fact]
    public void SubgradientIsZeroAtZeroAndProxModeLeavesL1ToTheProx()
    {
        float[] w = [0f, -0f, 2f, -2f];
        var g = new float[4];
        new ElasticNetPenalty(1, 0.5, L1Mode.Subgradient).AddGradient(w, g);
        Assert.Equal([0f, 0f, 2f, -2f], g);  // λ₁·sign(w) + λ₂·w; sign(0) = 0
        var h = new float[4];
        new ElasticNetPenalty(1, 0.5, L1Mode.Prox).AddGradient(w, h);
        Assert.Equal([0f, 0f, 1f, -1f], h);  // only λ₂·w
    }

    [Fact]
    public void ProxSoftThresholdsByStepTimesL1WithExactZeros()
    {
        var rng = new Rng(1202UL);
        var w = TestVectors.Normal(rng, 100, scale: 0.1);
        var expected = (float[])w.Clone();
        SoftThreshold.ApplyScalar(expected, (float)(0.5 * 0.2));
        var prox = new ElasticNetPenalty(0.2, 0.1);
        prox.Prox(w, 0.5f);
        TestVectors.AssertBitwise(expected, w, "prox");
        Assert.Contains(w, v => v == 0f);
        Assert.All(w, v => Assert.True(v != 0f || TestVectors.IsPositiveZero(v)));
        // Subgradient mode: the prox is a no-op.
        var untouched = TestVectors.Normal(rng, 10);
        var copy = (float[])untouched.Clone();
        new ElasticNetPenalty(0.2, 0.1, L1Mode.Subgradient).Prox(untouched, 0.5f);
        TestVectors.AssertBitwise(copy, untouched, "subgradient mode prox");
        Assert.Equal(0, new ElasticNetPenalty(0.2, 0.1, L1Mode.Subgradient).ProxL1);
    }

    [Fact]
    public void RejectsNegativeStrengths()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ElasticNetPenalty(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ElasticNetPenalty(0, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => ElasticNetPenalty.FromAlpha(1, 1.5));
    }
}
