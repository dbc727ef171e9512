namespace Occam.Data;

/// <summary>
/// A table of examples: a row-major feature matrix <see cref="X"/> (<see cref="Rows"/> ×
/// <see cref="Features"/>, float64 as parsed) and one target per row in <see cref="Y"/>.
/// For classification <see cref="Y"/> holds the class index (0..K−1) and <see cref="Classes"/>
/// the original label text of each index.
/// </summary>
public sealed class Dataset
{
    public Dataset(double[] x, double[] y, int rows, int features, string[] featureNames, string targetName, TaskKind task, string[]? classes = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(featureNames);
        if (x.Length != rows * features)
            throw new ArgumentException($"x has {x.Length} values; rows × features = {rows * features}.", nameof(x));
        if (y.Length != rows)
            throw new ArgumentException($"y has {y.Length} values; expected one per row ({rows}).", nameof(y));
        if (featureNames.Length != features)
            throw new ArgumentException($"{featureNames.Length} feature names for {features} features.", nameof(featureNames));
        if (task != TaskKind.Regression && classes is null)
            throw new ArgumentException("classification data needs class labels.", nameof(classes));
        X = x;
        Y = y;
        Rows = rows;
        Features = features;
        FeatureNames = featureNames;
        TargetName = targetName;
        Task = task;
        Classes = classes;
    }

    public double[] X { get; }
    public double[] Y { get; }
    public int Rows { get; }
    public int Features { get; }
    public string[] FeatureNames { get; }
    public string TargetName { get; }
    public TaskKind Task { get; }
    public string[]? Classes { get; }

    /// <summary>Number of classes (1 for regression).</summary>
    public int ClassCount => Classes?.Length ?? 1;

    /// <summary>Row <paramref name="i"/> of the feature matrix.</summary>
    public ReadOnlySpan<double> Row(int i) => X.AsSpan(i * Features, Features);

    /// <summary>A new dataset holding the given rows, in the given order.</summary>
    public Dataset Subset(ReadOnlySpan<int> rows)
    {
        var x = new double[rows.Length * Features];
        var y = new double[rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            Row(rows[r]).CopyTo(x.AsSpan(r * Features, Features));
            y[r] = Y[rows[r]];
        }
        return new Dataset(x, y, rows.Length, Features, FeatureNames, TargetName, Task, Classes);
    }

    /// <summary>
    /// A dataset with exactly the named feature columns, in that order (for a model trained on those columns).
    /// Throws <see cref="OccamException"/> naming the first missing column.
    /// </summary>
    public Dataset SelectFeatures(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.SequenceEqual(FeatureNames)) return this;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < FeatureNames.Length; j++) index.TryAdd(FeatureNames[j], j);
        var source = new int[names.Count];
        for (int j = 0; j < names.Count; j++)
            if (!index.TryGetValue(names[j], out source[j]))
                throw new OccamException($"the data has no column '{names[j]}', one of the {names.Count} inputs the model was trained on; give data with the model's columns ({string.Join(", ", names.Take(8))}{(names.Count > 8 ? ", ..." : "")}).");
        var x = new double[Rows * names.Count];
        for (int r = 0; r < Rows; r++)
            for (int j = 0; j < source.Length; j++)
                x[r * names.Count + j] = X[r * Features + source[j]];
        return new Dataset(x, Y, Rows, names.Count, names.ToArray(), TargetName, Task, Classes);
    }
}
