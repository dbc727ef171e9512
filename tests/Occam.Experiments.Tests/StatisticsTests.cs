using Occam.Experiments;

namespace Occam.Experiments.Tests;

public class StatisticsTests
{
    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 10)]
    [InlineData(5, 10)]
    [InlineData(37, 500)]
    [InlineData(499, 500)]
    public void Wilson_ends_are_where_the_score_test_statistic_equals_z(int k, int n)
    {
        // Definition: the Wilson interval is { p : |p̂ − p| ≤ z·√(p(1−p)/n) }, so each inner end solves equality.
        var r = Stats.Wilson(k, n);
        double phat = (double)k / n;
        foreach (double p in new[] { r.Low, r.High })
        {
            if (p is 0 or 1) continue;
            Assert.Equal(Stats.Z95, Math.Abs(phat - p) / Math.Sqrt(p * (1 - p) / n), 9);
        }
        Assert.InRange(phat, r.Low, r.High);
    }

    [Fact]
    public void Wilson_closed_form_values()
    {
        // 5/10: centre 0.5, half-width z/(1+z²/n)·√(0.025 + z²/400) = 0.263405; 0/10: upper end z²/n / (1 + z²/n) = 0.277533.
        var half = Stats.Wilson(5, 10);
        Assert.Equal(0.236593, half.Low, 6);
        Assert.Equal(0.763407, half.High, 6);
        var none = Stats.Wilson(0, 10);
        Assert.Equal(0, none.Low);
        Assert.Equal(0.277533, none.High, 6);
        var all = Stats.Wilson(10, 10);
        Assert.Equal(1, all.High);
        Assert.Equal(1 - 0.277533, all.Low, 6);
        Assert.Equal(Stats.Wilson(3, 5), Stats.Wilson([true, false, true, true, false]));
    }

    [Theory]
    [InlineData(1, 12.7062047)]
    [InlineData(2, 4.3026527)]
    [InlineData(3, 3.1824463)]
    [InlineData(5, 2.5705818)]
    [InlineData(10, 2.2281389)]
    [InlineData(30, 2.0422725)]
    [InlineData(1000, 1.9623391)]
    public void Student_t_quantiles_match_the_tables(int nu, double expected)
    {
        // Reference values: scipy.stats.t.ppf(0.975, nu).
        Assert.Equal(expected, Stats.StudentT975(nu), 1e-6);
    }

    [Fact]
    public void Mean_and_standard_error_by_their_definitions()
    {
        var m = Stats.Mean([1.0, 2, 3, 4, 5]);
        Assert.Equal(3, m.Mean, 12);
        Assert.Equal(Math.Sqrt(2.5 / 5), m.StandardError, 12); // s² = 10/4
        Assert.Equal(3 - Stats.StudentT975(4) * m.StandardError, m.Low, 12);
        Assert.Equal(3 + Stats.StudentT975(4) * m.StandardError, m.High, 12);
        var single = Stats.Mean([7.0]);
        Assert.True(double.IsNaN(single.StandardError));
        Assert.True(double.IsNegativeInfinity(single.Low));
    }

    [Fact]
    public void Paired_difference_removes_the_shared_variance()
    {
        double[] a = [10, 20, 30, 40], b = [9, 19.5, 29, 39.5];
        var d = Stats.PairedDifference(a, b);
        Assert.Equal(0.75, d.Mean, 12);
        Assert.True(d.StandardError < 0.2);
        Assert.Throws<ArgumentException>(() => Stats.PairedDifference(a, [1.0]));
    }
}
