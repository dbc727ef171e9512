using System.Text;
using Occam.Data;
using Occam.Numerics.Random;

namespace Occam.Playground;

/// <summary>The plane the page draws: <c>[XMin, XMax] × [YMin, YMax]</c>.</summary>
public sealed record Domain(double XMin, double XMax, double YMin, double YMax);

/// <summary>
/// A session's data: the raw 2-D points (<see cref="Points"/>, features x and y, target "label" or "value"), the
/// network's inputs computed from them (<see cref="Inputs"/>: the chosen features of <see cref="FeatureMap"/>) and the
/// plane to draw.
/// </summary>
public sealed record PlaygroundData(Dataset Points, Dataset Inputs, Domain Domain)
{
    /// <summary>Half-width of the square that generated sets are scaled into (the page shows ±6).</summary>
    public const double Extent = 5;

    /// <summary>
    /// Generates the set <paramref name="s"/> names (seeded by its seed) or parses <paramref name="csv"/>, then computes
    /// the input features. Synthetic sets are scaled by 5 (points in about [−5, 5]²; the Gaussian blobs are centred and
    /// scaled to fit); the noise level n ∈ [0, 1] sets: xor label noise 0.3n, circle noise 0.2n, spiral angle noise 0.5n rad,
    /// Gaussian blob sd 1 + 3n (before scaling), plane and bumps target noise 0.5n.
    /// </summary>
    public static PlaygroundData Create(PlaygroundSettings s, string? csv, PlaygroundLimits limits)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(limits);
        Dataset raw;
        Domain domain = new(-Extent - 1, Extent + 1, -Extent - 1, Extent + 1);
        if (s.Dataset == "csv")
        {
            if (string.IsNullOrEmpty(csv)) throw new PlaygroundRequestException("dataset csv needs the file: upload a CSV (\"csv\" field) with columns x, y and a target.");
            raw = ParseCsv(csv, limits);
            domain = Around(raw);
        }
        else
        {
            if (csv is not null) throw new PlaygroundRequestException($"a CSV was uploaded but dataset is '{s.Dataset}'; set dataset to csv.");
            var rng = new Rng(s.Seed);
            double n = s.Noise;
            raw = s.Dataset switch
            {
                "circle" => Scaled(Synthetic.Circles(s.Points, 0.2 * n, 0.5, rng)),
                "xor" => Scaled(Synthetic.Xor(s.Points, 0.3 * n, rng)),
                "gaussian" => Centred(Synthetic.Blobs(s.Points, 2, 2, 1 + 3 * n, rng)),
                "spiral" => Scaled(Synthetic.Spiral(s.Points, 2, 0.5 * n, rng)),
                "spiral3" => Scaled(Synthetic.Spiral(s.Points, 3, 0.5 * n, rng)),
                "plane" => Scaled(Synthetic.Plane(s.Points, 0.5 * n, rng)),
                "bumps" => Scaled(Synthetic.GaussianBumps(s.Points, 0.5 * n, rng)),
                _ => throw new PlaygroundRequestException($"dataset '{s.Dataset}' is not known; use {string.Join(", ", PlaygroundSettings.Datasets)}."),
            };
        }
        return new PlaygroundData(raw, FeatureMap.Expand(raw, s.Features), domain);
    }

    /// <summary>The points with features named x, y and the target named "label" (classes) or "value" (regression).</summary>
    private static Dataset Renamed(double[] x, Dataset d) =>
        new(x, d.Y, d.Rows, 2, ["x", "y"], d.Task == TaskKind.Regression ? "value" : "label", d.Task, d.Classes);

    private static Dataset Scaled(Dataset d) => Renamed(d.X.Select(v => v * Extent).ToArray(), d);

    private static Dataset Centred(Dataset d)
    {
        var x = (double[])d.X.Clone();
        double half = 0;
        var centre = new double[2];
        for (int c = 0; c < 2; c++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int r = 0; r < d.Rows; r++) { lo = Math.Min(lo, x[2 * r + c]); hi = Math.Max(hi, x[2 * r + c]); }
            centre[c] = (lo + hi) / 2;
            half = Math.Max(half, (hi - lo) / 2);
        }
        double scale = half > 0 ? Extent / half : 1;
        for (int r = 0; r < d.Rows; r++)
            for (int c = 0; c < 2; c++) x[2 * r + c] = (x[2 * r + c] - centre[c]) * scale;
        return Renamed(x, d);
    }

    /// <summary>The bounding box of the points with a 10 % margin (a unit margin for a column with one value).</summary>
    private static Domain Around(Dataset d)
    {
        double[] lo = [double.PositiveInfinity, double.PositiveInfinity], hi = [double.NegativeInfinity, double.NegativeInfinity];
        for (int r = 0; r < d.Rows; r++)
            for (int c = 0; c < 2; c++) { lo[c] = Math.Min(lo[c], d.X[2 * r + c]); hi[c] = Math.Max(hi[c], d.X[2 * r + c]); }
        double Margin(int c) => hi[c] > lo[c] ? 0.1 * (hi[c] - lo[c]) : 1;
        return new Domain(lo[0] - Margin(0), hi[0] + Margin(0), lo[1] - Margin(1), hi[1] + Margin(1));
    }

    /// <summary>
    /// Reads an uploaded CSV with <see cref="CsvLoader"/> (the same checks and messages as <c>occam train</c>, the file
    /// named "upload.csv"): a header, three columns — two numeric coordinates, then the target (class labels or numbers).
    /// </summary>
    internal static Dataset ParseCsv(string csv, PlaygroundLimits limits)
    {
        if (Encoding.UTF8.GetByteCount(csv) > limits.MaxUploadBytes)
            throw new PlaygroundRequestException($"the uploaded CSV is larger than {limits.MaxUploadBytes / 1024} KiB; upload at most {limits.MaxPoints} rows.");
        int newline = csv.IndexOf('\n', StringComparison.Ordinal);
        var header = (newline < 0 ? csv : csv[..newline]).TrimEnd('\r').Split(',');
        if (header.Length != 3)
            throw new PlaygroundRequestException($"upload.csv: the header has {header.Length} columns; the playground needs 3: x, y and the target (e.g. x,y,label).");
        string dir = Path.Combine(Path.GetTempPath(), "occam-playground-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "upload.csv");
        try
        {
            File.WriteAllText(path, csv, new UTF8Encoding(false));
            Dataset d;
            try
            {
                d = CsvLoader.Load(path, header[2].Trim().Trim('"'));
            }
            catch (OccamException e)
            {
                throw new PlaygroundRequestException(e.Message.Replace(path, "upload.csv", StringComparison.Ordinal));
            }
            if (d.Rows < 4) throw new PlaygroundRequestException($"upload.csv has {Counted.Of(d.Rows, "row")}; give at least 4.");
            if (d.Rows > limits.MaxPoints) throw new PlaygroundRequestException($"upload.csv has {d.Rows} rows; the playground takes at most {limits.MaxPoints}.");
            return Renamed(d.X, d);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>
/// The input features the page offers, computed from a point (x, y): x, y, x2 = x², y2 = y², xy = x·y,
/// sinx = sin x, siny = sin y (radians), in this fixed order.
/// </summary>
public static class FeatureMap
{
    /// <summary>The value of feature <paramref name="name"/> at (x, y).</summary>
    public static double Value(string name, double x, double y) => name switch
    {
        "x" => x,
        "y" => y,
        "x2" => x * x,
        "y2" => y * y,
        "xy" => x * y,
        "sinx" => Math.Sin(x),
        "siny" => Math.Sin(y),
        _ => throw new ArgumentException($"unknown feature '{name}'.", nameof(name)),
    };

    /// <summary>The points' features <paramref name="names"/> (in that order) with the points' target.</summary>
    public static Dataset Expand(Dataset points, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(names);
        var x = Rows(points.X, points.Rows, names);
        return new Dataset(x, points.Y, points.Rows, names.Count, names.ToArray(), points.TargetName, points.Task, points.Classes);
    }

    /// <summary>Row-major features <paramref name="names"/> of <paramref name="rows"/> points given as (x, y) pairs.</summary>
    public static double[] Rows(ReadOnlySpan<double> xy, int rows, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var x = new double[rows * names.Count];
        for (int r = 0; r < rows; r++)
            for (int f = 0; f < names.Count; f++) x[r * names.Count + f] = Value(names[f], xy[2 * r], xy[2 * r + 1]);
        return x;
    }
}
