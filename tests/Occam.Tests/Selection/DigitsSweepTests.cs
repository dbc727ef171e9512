using Occam.Data;
using Occam.Numerics.Random;
using Occam.Selection;
using Xunit.Abstractions;

namespace Occam.Tests.Selection;

/// <summary>The check, small enough for a test: on digits, a 5-fold sweep over l1 (log grid) × dropout picks (1-SE) a model within a point of the best trial's test accuracy, and a sparser one.</summary>
public class DigitsSweepTests(ITestOutputHelper output)
{
    [Fact]
    public void OneSeChoiceIsWithinAPointOfTheBestAndSparser()
    {
        var all = CsvLoader.Load(Repo.Data("digits.csv"), "digit");
        var split = Holdout.Stratified(KFold.ClassIndices(all), 0.3, new Rng(11));
        var train = all.Subset(split.Train);
        var test = all.Subset(split.Validation);
        var sweep = new Sweep
        {
            Space = SearchSpace.Parse("l1=log(3.16e-4,3.16e-3,5);dropout=0,0.2"),
            Evaluation = new Evaluation { Folds = 5, Seed = 3 },
            Recipe = new TrainingRecipe { Hidden = [32], Epochs = 20, BatchSize = 32, Lr = 3e-3, Seed = 1 },
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var store = new InMemoryStudyStore();
        var outcome = SweepRunner.Run(store, sweep, train, new SweepRunOptions { Jobs = 2 });
        var choice = outcome.Choice!;
        foreach (var t in outcome.Trials)
        {
            var m = TrialMetrics.FromJson(t.Result!.MetricsJson);
            output.WriteLine($"{t.Number} {t.SettingsJson} objective {t.Result.Objective:F4} ± {t.Result.ObjectiveSe:F4} acc {m.ValAccuracy:F4} zeros {m.ZeroFraction:F3}");
        }
        var best = SweepRunner.Refit(sweep, train, choice.Best);
        var oneSe = SweepRunner.Refit(sweep, train, choice.OneSe);
        double bestAcc = best.Evaluate(test).Accuracy!.Value, oneSeAcc = oneSe.Evaluate(test).Accuracy!.Value;
        output.WriteLine($"best #{choice.Best.Number} test {bestAcc:F4} zeros {best.Sparsity.ZeroFraction:F3}; 1se #{choice.OneSe.Number} test {oneSeAcc:F4} zeros {oneSe.Sparsity.ZeroFraction:F3}; {clock.Elapsed.TotalSeconds:F1} s");
        Assert.NotEqual(choice.Best.Number, choice.OneSe.Number);
        Assert.True(TrialSettings.FromJson(choice.OneSe.SettingsJson)[HyperParameter.L1]!.Number > TrialSettings.FromJson(choice.Best.SettingsJson)[HyperParameter.L1]!.Number);
        Assert.True(Math.Abs(oneSeAcc - bestAcc) <= 0.01, $"1-SE test accuracy {oneSeAcc:F4} vs best {bestAcc:F4}");
        Assert.True(oneSe.Sparsity.ZeroFraction > best.Sparsity.ZeroFraction + 0.05, $"1-SE zeros {oneSe.Sparsity.ZeroFraction:F3} vs best {best.Sparsity.ZeroFraction:F3}");
    }
}
