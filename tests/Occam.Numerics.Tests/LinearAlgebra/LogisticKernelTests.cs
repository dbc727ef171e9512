using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests.LinearAlgebra;

/// <summary>The row terms of penalized logistic regression: vectorized == scalar (to rounding) for every length 0..257.</summary>
public class LogisticKernelTests
{
    [Fact]
    public void LogisticTermsSimdMatchesScalarForEveryLengthUpTo257()
    {
        var rng = new Rng(91);
        for (int n = 0; n <= 257; n++)
        {
            var eta = new double[n];
            var y = new double[n];
            for (int i = 0; i < n; i++)
            {
                // Mostly moderate logits, some huge ones (e^800 overflows a naive sigmoid) and exact zeros.
                eta[i] = (i % 17) switch { 0 => 800 * (rng.NextDouble() - 0.5), 1 => 0, _ => 6 * rng.NextNormal() };
                y[i] = rng.NextDouble() < 0.5 ? 0 : 1;
            }
            var p1 = new double[n];
            var p2 = new double[n];
            double l1 = LogisticTerms.Scalar(eta, y, p1);
            double l2 = LogisticTerms.Compute(eta, y, p2);
            double scale = 1 + eta.Sum(Math.Abs);
            Assert.True(Math.Abs(l1 - l2) <= 1e-14 * scale, $"n={n}: {l1} vs {l2}");
            for (int i = 0; i < n; i++)
            {
                Assert.True(Math.Abs(p1[i] - p2[i]) <= 2e-15 * p1[i] + 1e-300, $"n={n} i={i}: {p1[i]} vs {p2[i]}");
                Assert.InRange(p2[i], 0.0, 1.0);
            }
            // The definition, independently: σ(η) and log(1 + e^η) − yη.
            for (int i = 0; i < n; i++)
                if (Math.Abs(eta[i]) < 30) Assert.Equal(1 / (1 + Math.Exp(-eta[i])), p2[i], 1e-15);
        }
    }

    [Fact]
    public void BinaryEntropySimdMatchesScalarForEveryLengthUpTo257()
    {
        var rng = new Rng(92);
        for (int n = 0; n <= 257; n++)
        {
            var s = new double[n];
            for (int i = 0; i < n; i++)
                s[i] = (i % 11) switch { 0 => 0, 1 => 1, 2 => 1e-300, 3 => 1 - 1e-16, _ => rng.NextDouble() };
            double h1 = BinaryEntropy.Scalar(s);
            double h2 = BinaryEntropy.Compute(s);
            Assert.False(double.IsNaN(h2));
            Assert.True(Math.Abs(h1 - h2) <= 1e-14 * (1 + n), $"n={n}: {h1} vs {h2}");
            Assert.True(h2 <= 0 && h2 >= -n * Math.Log(2) - 1e-12);
        }
        Assert.Equal(2 * 0.5 * Math.Log(0.5), BinaryEntropy.Compute([0.5]), 15);
    }
}
