using Occam.Data;
using Occam.Numerics.Random;
using Occam.Selection;

namespace Occam.Experiments;

/// <summary>The data the network experiments share: seeded train/test splits and a sparse linear regression problem.</summary>
public static class ExperimentData
{
    /// <summary>
    /// A stratified split of a classification <paramref name="data"/> set: <paramref name="trainRows"/> rows (about, per
    /// class in proportion) to train on, the rest to test on, drawn from <paramref name="seed"/> (<see cref="Holdout.Stratified"/>).
    /// </summary>
    public static (Dataset Train, Dataset Test) StratifiedSplit(Dataset data, int trainRows, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (trainRows < 2 || trainRows >= data.Rows)
            throw new ArgumentOutOfRangeException(nameof(trainRows), trainRows, $"the training part needs 2..{data.Rows - 1} of the {data.Rows} rows.");
        var classOf = data.Y.Select(y => (int)y).ToArray();
        var split = Holdout.Stratified(classOf, 1 - (double)trainRows / data.Rows, new Rng(seed));
        return (data.Subset(split.Train), data.Subset(split.Validation));
    }

    /// <summary>
    /// Sparse linear regression: <paramref name="rows"/> × <paramref name="features"/> standard normal inputs,
    /// y = Σ_{j &lt; relevant} βⱼxⱼ + ε with βⱼ = ±U(1, 3), ε ~ N(0, <paramref name="noise"/>²); features ≥ relevant are pure noise.
    /// </summary>
    public static Dataset SparseRegression(int rows, int features, int relevant, double noise, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(relevant, features);
        var beta = new double[features];
        for (int j = 0; j < relevant; j++) beta[j] = (rng.NextDouble() < 0.5 ? -1 : 1) * (1 + 2 * rng.NextDouble());
        var x = new double[rows * features];
        var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            double sum = 0;
            for (int j = 0; j < features; j++)
            {
                double v = rng.NextNormal();
                x[i * features + j] = v;
                sum += beta[j] * v;
            }
            y[i] = sum + noise * rng.NextNormal();
        }
        return new Dataset(x, y, rows, features, Dataset.DefaultFeatureNames(features), "y", TaskKind.Regression);
    }
}
