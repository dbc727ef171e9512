namespace Occam.Experiments;

/// <summary>
/// Every experiment, in report order (by note, then as listed). To add one: write its file, add one line here.
/// </summary>
public static class ExperimentRegistry
{
    /// <summary>All experiments, in report order.</summary>
    public static IReadOnlyList<Experiment> All { get; } =
    [
        new ReluScaleSymmetry(),
        new NonConvexity(),
        new BiasExperiment(),
        new GeometryExperiment(),
        new MulticollinearityExperiment(),
        new PolynomialExperiment(),
        new XorWidth(),
        new ExactZeros(),
        new UpdateRules(),
        new TorchWeightDecay(),
        new DropoutStudy(),
        new FeatureSelection(),
    ];

    /// <summary>The experiment named <paramref name="name"/>; an unknown name is a usage error listing the names.</summary>
    public static Experiment Find(string name)
    {
        var found = All.FirstOrDefault(e => e.Name == name);
        return found ?? throw OccamException.Usage(
            $"unknown experiment '{name}'; the experiments are: {string.Join(", ", All.Select(e => e.Name))} (see `occam experiment list`).");
    }
}
