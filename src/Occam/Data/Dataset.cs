namespace Occam.Data;

/// <summary>
/// A table of examples: a row-major feature matrix <see cref="X"/> (<see cref="Rows"/> ×
/// <see cref="Features"/>, float64 as parsed) and one target per row in <see cref="Y"/>.
/// For classification <see cref="Y"/> holds the class index (0..K−1) and <see cref="Classes"/>
/// the original label text of each index.
/// </summary>
/// <remarks>
/// Data whose every feature is an unsigned byte (IDX images, <see cref="IdxLoader"/>) keeps the bytes as read
/// (<see cref="Bytes"/>) and builds the float64 <see cref="X"/> from them only when something asks for it: the training
/// path (standardizer fit, float32 rows, the validation split) reads the bytes directly and gets the same numbers
/// (docs/algorithms/training-loop.md, "Data pipeline").
/// </remarks>
public sealed class Dataset
{
    public Dataset(double[] x, double[] y, int rows, int features, string[] featureNames, string targetName, TaskKind task, string[]? classes = null)
        : this(y, rows, features, featureNames, targetName, task, classes)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length != rows * features)
            throw new ArgumentException($"x has {x.Length} values; rows × features = {rows * features}.", nameof(x));
        _x = x;
    }

    /// <summary>
    /// Data whose features are the unsigned bytes <c>bytes[offset + i·features + j]</c> (row i, feature j), kept as
    /// they are (no copy); <see cref="X"/> widens them to float64 on first use. <c>statistics</c>: null, or the column
    /// sums, minima and maxima of exactly these bytes (every row), which <see cref="Standardizer.Fit(Dataset)"/> then
    /// takes instead of its own first pass.
    /// </summary>
    internal Dataset(byte[] bytes, int offset, double[] y, int rows, int features, string[] featureNames, string targetName, TaskKind task, string[]? classes = null,
        ByteColumnStatistics? statistics = null)
        : this(y, rows, features, featureNames, targetName, task, classes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (rows < 0 || features < 0 || offset < 0 || (long)rows * features > bytes.Length - (long)offset)
            throw new ArgumentException($"{bytes.Length} bytes from offset {offset} hold fewer than rows × features = {(long)rows * features} values.", nameof(bytes));
        if (statistics is not null && (statistics.Rows != rows || statistics.Columns != features))
            throw new ArgumentException($"the statistics cover {statistics.Rows} rows of {statistics.Columns} columns, not {rows} of {features}.", nameof(statistics));
        _bytes = bytes;
        _bytesOffset = offset;
        ByteStatistics = statistics;
    }

    private Dataset(double[] y, int rows, int features, string[] featureNames, string targetName, TaskKind task, string[]? classes)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(featureNames);
        if (y.Length != rows)
            throw new ArgumentException($"y has {y.Length} values; expected one per row ({rows}).", nameof(y));
        if (featureNames.Length != features)
            throw new ArgumentException($"{featureNames.Length} feature names for {features} features.", nameof(featureNames));
        if (task != TaskKind.Regression && classes is null)
            throw new ArgumentException("classification data needs class labels.", nameof(classes));
        Y = y;
        Rows = rows;
        Features = features;
        FeatureNames = featureNames;
        TargetName = targetName;
        Task = task;
        Classes = classes;
    }

    /// <summary>The features, row-major (for byte data: widened from <see cref="Bytes"/> on first use, then kept).</summary>
    public double[] X => _x ?? WidenBytes();

    public double[] Y { get; }

    private double[]? _x;
    private readonly byte[]? _bytes;
    private readonly int _bytesOffset;

    /// <summary>Null, or the column sums, minima and maxima of <see cref="Bytes"/> over every row (given by the loader that made them).</summary>
    internal ByteColumnStatistics? ByteStatistics { get; }

    /// <summary>Whether every feature is an unsigned byte held in <see cref="Bytes"/>.</summary>
    internal bool HasBytes => _bytes is not null;

    /// <summary>The features as unsigned bytes, row-major (<see cref="HasBytes"/> only; else empty).</summary>
    internal ReadOnlyMemory<byte> Bytes => _bytes is null ? default : _bytes.AsMemory(_bytesOffset, Rows * Features);

    /// <summary>
    /// <see cref="X"/> from the bytes: <c>x[i] = bytes[i]</c>, in as many contiguous blocks as there are cores for large
    /// data (writing 8 bytes per value, page faults included, is the cost). Two threads asking at once may both widen;
    /// both get the same values and one array is kept.
    /// </summary>
    private double[] WidenBytes()
    {
        var x = GC.AllocateUninitializedArray<double>(Rows * Features);   // every value is written below
        int n = x.Length;
        var source = _bytes!;
        int offset = _bytesOffset;
        int parts = n >= 1 << 20 ? Math.Min(Environment.ProcessorCount, 8) : 1;
        if (parts == 1)
            Numerics.Conversion.WidenBytes.Apply(source.AsSpan(offset, n), x);
        else
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
            {
                int first = (int)((long)n * part / parts), last = (int)((long)n * (part + 1) / parts);
                Numerics.Conversion.WidenBytes.Apply(source.AsSpan(offset + first, last - first), x.AsSpan(first, last - first));
            });
        return Interlocked.CompareExchange(ref _x, x, null) ?? x;
    }
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
        if (_bytes is not null)
        {
            var bytes = GC.AllocateUninitializedArray<byte>(rows.Length * Features);   // every row is copied below
            var yb = new double[rows.Length];
            ReadOnlySpan<byte> all = Bytes.Span;
            for (int r = 0; r < rows.Length; r++)
            {
                all.Slice(rows[r] * Features, Features).CopyTo(bytes.AsSpan(r * Features, Features));
                yb[r] = Y[rows[r]];
            }
            return new Dataset(bytes, 0, yb, rows.Length, Features, FeatureNames, TargetName, Task, Classes);
        }
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
                throw new OccamException($"the data has no column '{names[j]}', one of the {Counted.Of(names.Count, "input")} the model was trained on; give data with the model's columns ({string.Join(", ", names.Take(8))}{(names.Count > 8 ? ", ..." : "")}).");
        var x = new double[Rows * names.Count];
        for (int r = 0; r < Rows; r++)
            for (int j = 0; j < source.Length; j++)
                x[r * names.Count + j] = X[r * Features + source[j]];
        return new Dataset(x, Y, Rows, names.Count, names.ToArray(), TargetName, Task, Classes);
    }

    /// <summary>The names given to unnamed feature columns: x1, x2, …, xN.</summary>
    public static string[] DefaultFeatureNames(int features)
    {
        var names = new string[features];
        for (int j = 0; j < features; j++)
            names[j] = "x" + (j + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return names;
    }

    /// <summary>
    /// Regression data from arrays: <paramref name="x"/> is rows × features, <paramref name="y"/> one target per row.
    /// Feature names default to x1..xN. Every value must be finite.
    /// </summary>
    public static Dataset ForRegression(double[,] x, IReadOnlyList<double> y, IReadOnlyList<string>? featureNames = null, string targetName = "y")
    {
        ArgumentNullException.ThrowIfNull(y);
        var (flat, rows, features, names) = Matrix(x, y.Count, featureNames);
        var targets = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            if (!double.IsFinite(y[i]))
                throw new OccamException($"y[{i}] is {y[i]}; targets must be finite numbers.");
            targets[i] = y[i];
        }
        return new Dataset(flat, targets, rows, features, names, targetName, TaskKind.Regression);
    }

    /// <summary>
    /// Classification data from arrays: one label per row. Classes are ordered as <see cref="CsvLoader"/> orders them
    /// (numbers by value, text ordinally); 2 classes make a binary task, more a multiclass one.
    /// </summary>
    public static Dataset ForClassification(double[,] x, IReadOnlyList<string> labels, IReadOnlyList<string>? featureNames = null, string targetName = "y")
    {
        ArgumentNullException.ThrowIfNull(labels);
        var (flat, rows, features, names) = Matrix(x, labels.Count, featureNames);
        var values = new double[rows];
        bool numeric = true;
        for (int i = 0; i < rows; i++)
        {
            if (labels[i] is null) throw OccamException.Usage($"label {i} is null; give one label per row.");
            if (NumberText.Parse(labels[i], out values[i]) != NumberStatus.Ok) numeric = false;
        }
        var (y, _, classes) = CsvLoader.Classify(labels, values, numeric, TaskKind.Multiclass);
        if (classes!.Length < 2)
            throw new OccamException($"the labels have a single class '{classes[0]}'; classification needs at least 2 classes.");
        return new Dataset(flat, y, rows, features, names, targetName, classes.Length == 2 ? TaskKind.Binary : TaskKind.Multiclass, classes);
    }

    /// <summary>Classification data from integer labels (see <see cref="ForClassification(double[,], IReadOnlyList{string}, IReadOnlyList{string}?, string)"/>).</summary>
    public static Dataset ForClassification(double[,] x, IReadOnlyList<int> labels, IReadOnlyList<string>? featureNames = null, string targetName = "y")
    {
        ArgumentNullException.ThrowIfNull(labels);
        return ForClassification(x, labels.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), featureNames, targetName);
    }

    private static (double[] X, int Rows, int Features, string[] Names) Matrix(double[,] x, int targets, IReadOnlyList<string>? featureNames)
    {
        ArgumentNullException.ThrowIfNull(x);
        int rows = x.GetLength(0), features = x.GetLength(1);
        if (rows == 0 || features == 0)
            throw OccamException.Usage($"x is {rows}×{features}; give at least one row and one feature column.");
        if (targets != rows)
            throw OccamException.Usage($"x has {rows} rows but there are {targets} targets; give one target per row.");
        if (featureNames is not null && featureNames.Count != features)
            throw OccamException.Usage($"{featureNames.Count} feature names for {features} columns of x; give one name per column.");
        return (Flatten(x), rows, features, featureNames?.ToArray() ?? DefaultFeatureNames(features));
    }

    /// <summary>A rows × features array as a row-major vector, checking that every value is finite.</summary>
    internal static double[] Flatten(double[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int rows = x.GetLength(0), features = x.GetLength(1);
        var flat = new double[rows * features];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < features; j++)
            {
                double v = x[r, j];
                if (!double.IsFinite(v))
                    throw new OccamException($"x[{r}, {j}] is {v}; every feature value must be a finite number.");
                flat[r * features + j] = v;
            }
        return flat;
    }
}
