using Occam.Linear;
using Occam.Numerics.Random;

namespace Occam.Tests.Linear;

/// <summary>
/// WeightedCurvature: H = [Σω, 1ᵀΩX̃_C; X̃_CᵀΩ1, X̃_CᵀΩX̃_C]/n (intercept at position 0) against the formula summed
/// directly, and a matrix built for C then extended by F against the one built for C ∪ F.
/// </summary>
public class WeightedCurvatureTests
{
    private const int N = 301, P = 14, Hs = P + 2;

    private static (double[] X, double[] W) Data(ulong seed)
    {
        var rng = new Rng(seed);
        var x = new double[N * P];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextNormal();
        var w = new double[N];
        for (int i = 0; i < N; i++) w[i] = 0.01 + 0.24 * rng.NextDouble();
        return (x, w);
    }

    private static double Reference(double[] x, double[] w, int j, int k)
    {
        // j, k: column index or −1 for the intercept's column of ones.
        double s = 0;
        for (int i = 0; i < N; i++) s += w[i] * (j < 0 ? 1 : x[j * N + i]) * (k < 0 ? 1 : x[k * N + i]);
        return s / N;
    }

    [Fact]
    public void BuildMatchesTheFormula()
    {
        var (x, w) = Data(5);
        int[] columns = [0, 3, 7, 1, 12];
        int m = columns.Length - 1;
        var h = new double[Hs * Hs];
        double[] dense = [];
        WeightedCurvature.Build(x, N, columns, m, w, new double[N], ref dense, h, Hs);
        for (int a = 0; a <= m; a++)
            for (int b = 0; b <= m; b++)
            {
                double expected = Reference(x, w, a == 0 ? -1 : columns[a], b == 0 ? -1 : columns[b]);
                Assert.True(Math.Abs(h[a * Hs + b] - expected) <= 1e-13 * (1 + Math.Abs(expected)), $"H[{a},{b}] = {h[a * Hs + b]} vs {expected}");
            }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(11)]
    public void ExtendedEqualsBuiltOnTheUnion(int added)
    {
        var (x, w) = Data(9);
        int[] order = [4, 9, 2, 13, 0, 6, 11, 1, 3, 5, 7, 8, 10, 12];
        const int m = 3;
        var columns = new int[Hs];
        for (int a = 0; a < m; a++) columns[a + 1] = order[a];
        var extended = new double[Hs * Hs];
        double[] dense = [], scratch = [];
        WeightedCurvature.Build(x, N, columns, m, w, new double[N], ref dense, extended, Hs);
        WeightedCurvature.Extend(x, N, columns, m, order.AsSpan(m, added), w, ref scratch, extended, Hs);
        var union = new int[Hs];
        for (int a = 0; a < m + added; a++) union[a + 1] = order[a];
        Assert.Equal(union, columns);
        var built = new double[Hs * Hs];
        WeightedCurvature.Build(x, N, union, m + added, w, new double[N], ref dense, built, Hs);
        for (int a = 0; a <= m + added; a++)
            for (int b = 0; b <= m + added; b++)
                Assert.True(Math.Abs(extended[a * Hs + b] - built[a * Hs + b]) <= 1e-13 * (1 + Math.Abs(built[a * Hs + b])),
                    $"H[{a},{b}]: extended {extended[a * Hs + b]} vs built {built[a * Hs + b]}");
    }
}
