using Occam.Data;
using Occam.Experiments;
using Occam.Tests;
using Xunit.Abstractions;

namespace Occam.Experiments.Tests;

/// <summary>
/// Exact zeros: coordinate-descent lasso and prox training give exact zeros, the subgradient and L2 give none (counted
/// with <c>== 0</c>), on two seeds and a short digits run.
/// </summary>
public class ExactZerosTests(ITestOutputHelper output)
{
    private static readonly Lazy<ExactZerosResult> Result = new(() =>
        ExactZeros.Run(CsvLoader.Load(Repo.Data("digits.csv"), "digit"), seeds: 2, seedBase: 1, epochs: 4));

    [Fact]
    public void L1ProxAndLassoGiveExactZerosSubgradientAndL2Never()
    {
        var r = Result.Value;
        foreach (var m in r.Linear.Concat(r.Network))
            output.WriteLine($"{m.Method.Id,-22} zeros {m.ExactZeros}/{m.Weights} near {m.Fits.Sum(f => f.NearZero)} score {m.Fits.Average(f => f.Score):F3}");
        foreach (var m in r.Linear.Concat(r.Network))
        {
            bool prox = m.Method.Id is "cd-lasso" || m.Method.Id.EndsWith("l1-prox", StringComparison.Ordinal);
            if (!prox) Assert.Equal(0, m.ExactZeros);
            else if (m.Method.Precision == "float64" || m.Method.Id.StartsWith("adam", StringComparison.Ordinal) || r.Linear.Contains(m)) Assert.Equal(m.Fits.Count, m.FitsWithZeros);
            else Assert.True(m.ExactZeros > 0, $"{m.Method.Id}: no exact zero");   // SGD's threshold lr·λ = 1e-5 per step: few zeros in 4 epochs
        }
        // The lasso zeros are the noise features: at least 10 of the 15 per fit.
        Assert.All(r.Linear[0].Fits, f => Assert.InRange(f.ExactZeros, 10, 15));
    }

    [Fact]
    public void SameSeedsSameCounts()
    {
        var digits = CsvLoader.Load(Repo.Data("digits.csv"), "digit");
        var (train, test) = ExperimentData.StratifiedSplit(digits, 1197, 1);
        var a = ExactZeros.FitNetwork("adam-l1-prox", train, test, 1, 4);
        Assert.Equal(Result.Value.Network[1].Fits[0], a);
    }
}
