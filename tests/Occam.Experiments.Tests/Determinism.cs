namespace Occam.Experiments.Tests;

/// <summary>The reproducibility check every experiment test makes: the same seeds give a byte-identical result.json, other seeds a different one.</summary>
internal static class Determinism
{
    public static void AssertReproducible(Func<Experiment> create, int seeds)
    {
        var options = new ExperimentOptions { Quick = true, Seeds = seeds };
        var first = ResultFile.ToJson(create().Run(options));
        Assert.Equal(first, ResultFile.ToJson(create().Run(options)));
        Assert.NotEqual(first, ResultFile.ToJson(create().Run(options with { SeedBase = 7 })));
    }
}
