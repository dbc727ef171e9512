using System.Text.Json;
using Occam.Data;
using Occam.Experiments;
using Occam.Reports;
using Occam.Tests;

namespace Occam.Experiments.Tests;

/// <summary>
/// Exact zeros: coordinate-descent lasso and prox training give exact zeros, the subgradient and L2 give none (counted
/// with <c>== 0</c>); the verdicts follow (L1: conditional — prox yes, subgradient no; L2: supported); same seeds, same result.json.
/// </summary>
public class ExactZerosTests
{
    private static readonly Lazy<ExperimentResult> Result = new(() => new ExactZeros().Run(new ExperimentOptions { Quick = true, Seeds = 2 }));

    private static IReadOnlyList<Cell> Row(string problem, string method) =>
        Result.Value.Section.Tables[0].Rows.Single(r => r[0].Text == problem && r[1].Text == method);

    [Fact]
    public void Prox_and_coordinate_descent_give_exact_zeros_the_subgradient_and_L2_none()
    {
        foreach (var m in ExactZeros.LinearMethods.Select(m => ("linear", m)).Concat(ExactZeros.NetworkMethods.Select(m => ("digits net", m))))
        {
            var row = Row(m.Item1, m.m.How);
            double zeroFraction = row[4].Value, fitsWithZero = row[5].Value;
            bool prox = m.m.Id is "cd-lasso" || m.m.Id.EndsWith("l1-prox", StringComparison.Ordinal);
            if (!prox)
            {
                Assert.Equal(0.0, zeroFraction);
                Assert.Equal(0.0, fitsWithZero);
            }
            else if (m.m.Id != "sgd-l1-prox" || m.Item1 == "linear")
            {
                Assert.Equal(1.0, fitsWithZero);   // every fit has exact zeros
                Assert.True(zeroFraction > 0.05, $"{m.Item1} {m.m.Id}: {zeroFraction}");
            }
        }
        // The lasso's zeros are the noise features: 15 of 20 are pure noise.
        Assert.InRange(Row("linear", "coordinate descent (Lasso)")[4].Value, 0.5, 0.75);
    }

    [Fact]
    public void Verdicts_follow_from_the_numbers()
    {
        var verdicts = Result.Value.Section.Verdicts.ToDictionary(v => v.ClaimId);
        Assert.Equal(VerdictOutcome.Conditional, verdicts["l1-exact-zeros"].Outcome);
        Assert.Contains("subgradient (loss + λΣ|w|) (float32): 0 ± 0 vs ≥ 1 % of the weights exactly 0 → not supported", verdicts["l1-exact-zeros"].Reason);
        Assert.Contains("coordinate descent (Lasso) (float64)", verdicts["l1-exact-zeros"].Reason);
        Assert.Equal(VerdictOutcome.Supported, verdicts["l2-never-zero"].Outcome);
    }

    [Fact]
    public void Same_seeds_give_the_same_counts_and_result_json()
    {
        var digits = CsvLoader.Load(Repo.Data("digits.csv"), "digit");
        var (train, test) = ExperimentData.StratifiedSplit(digits, 1197, 1);
        var a = ExactZeros.FitNetwork("adam-l1-prox", train, test, 1, 3);
        Assert.Equal(a, ExactZeros.FitNetwork("adam-l1-prox", train, test, 1, 3));
        Assert.True(a.ExactZeros > 0);
        var one = new ExactZeros().Run(new ExperimentOptions { Quick = true, Seeds = 1 });
        Assert.Equal(ResultFile.ToJson(one), ResultFile.ToJson(new ExactZeros().Run(new ExperimentOptions { Quick = true, Seeds = 1 })));
    }

    [Fact]
    public void Linear_zero_counts_agree_with_torch()
    {
        // tests/golden/experiments/torch_zeros_dropout.py: the same protocol in torch 1.13 (its own data draws), 20 seeds.
        using var doc = JsonDocument.Parse(File.ReadAllText(Repo.Golden("experiments/torch_zeros_dropout.json")));
        var torch = doc.RootElement.GetProperty("zeros");
        foreach (var method in new[] { "sgd-l1-subgradient", "adam-l1-subgradient", "sgd-l2" })
            Assert.All(torch.GetProperty(method).EnumerateArray(), z => Assert.Equal(0, z.GetInt32()));
        var torchProx = torch.GetProperty("sgd-l1-prox").EnumerateArray().Select(z => (double)z.GetInt32()).ToArray();
        var occam = new List<double>();
        for (ulong seed = 1; seed <= 6; seed++)
        {
            var data = ExperimentData.SparseRegression(200, 20, 5, 1.0, new Numerics.Random.Rng(seed));
            occam.Add(ExactZeros.FitLinear("sgd-l1-prox", data, seed).ExactZeros);
            foreach (var method in new[] { "sgd-l1-subgradient", "adam-l1-subgradient", "sgd-l2" })
                Assert.Equal(0, ExactZeros.FitLinear(method, data, seed).ExactZeros);
        }
        var t = Stats.Mean(torchProx);
        var o = Stats.Mean(occam);
        Assert.All(occam, z => Assert.True(z > 0));
        Assert.All(torchProx, z => Assert.True(z > 0));
        // Two independent samples of the same quantity: means within 3 combined standard errors.
        Assert.True(Math.Abs(o.Mean - t.Mean) <= 3 * Math.Sqrt(o.StandardError * o.StandardError + t.StandardError * t.StandardError),
            $"Occam {o.Mean} ± {o.StandardError} vs torch {t.Mean} ± {t.StandardError}");
    }
}
