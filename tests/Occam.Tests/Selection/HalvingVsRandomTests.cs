using Occam.Data;
using Occam.Selection;
using Xunit.Abstractions;

namespace Occam.Tests.Selection;

/// <summary>
/// Successive halving beats random search on the same budget: 27 configurations with η = 3 and 27 epochs in the last
/// rung cost 27·1 + 9·3 + 3·9 + 1·27 = 108 epochs, the cost of 4 random trials of 27 epochs. Over 5 seeds of the
/// sampler, on digits (holdout 30 %), the best validation loss at full budget is compared.
/// </summary>
public class HalvingVsRandomTests(ITestOutputHelper output)
{
    [Fact]
    public void HalvingFindsALowerLossThanRandomSearchOnTheSameEpochBudget()
    {
        var data = CsvLoader.Load(Repo.Data("digits.csv"), "digit");
        var baseSweep = new Sweep
        {
            Space = SearchSpace.Parse("lr=log(1e-4,1);l1=log(1e-6,1e-1)"),
            Evaluation = new Evaluation { Folds = 0, ValidationSplit = 0.3, Seed = 1 },
            Recipe = new TrainingRecipe { Hidden = [32], Epochs = 27, BatchSize = 64, Seed = 1 },
        };
        var halving = new List<double>();
        var random = new List<double>();
        for (ulong seed = 1; seed <= 5; seed++)
        {
            var sh = Run(baseSweep with { Sampler = new SamplerSettings { Kind = SamplerKind.Halving, Trials = 27, Eta = 3, Seed = seed } }, data);
            var rs = Run(baseSweep with { Sampler = new SamplerSettings { Kind = SamplerKind.Random, Trials = 4, Seed = seed } }, data);
            Assert.Equal(108, sh.Sum(t => t.Budget));
            Assert.Equal(108, rs.Sum(t => t.Budget));
            halving.Add(Best(sh));
            random.Add(Best(rs));
            output.WriteLine($"seed {seed}: halving best val loss {halving[^1]:F4}, random {random[^1]:F4}");
        }
        output.WriteLine($"mean best validation loss over 5 seeds: halving {halving.Average():F4}, random {random.Average():F4}");
        Assert.True(halving.Average() < random.Average(), $"halving {halving.Average():F4} vs random {random.Average():F4}");
        Assert.True(halving.Zip(random).Count(p => p.First < p.Second) >= 3);
    }

    private static IReadOnlyList<TrialRecord> Run(Sweep sweep, Dataset data)
    {
        using var store = new InMemoryStudyStore();
        return SweepRunner.Run(store, sweep, data, new SweepRunOptions { Jobs = 2 }).Trials;
    }

    /// <summary>The lowest objective among trials trained for the full 27 epochs.</summary>
    private static double Best(IReadOnlyList<TrialRecord> trials) =>
        trials.Where(t => t.Budget == 27 && t.State == TrialState.Complete).Min(t => double.IsNaN(t.Result!.Objective) ? double.PositiveInfinity : t.Result.Objective);
}
