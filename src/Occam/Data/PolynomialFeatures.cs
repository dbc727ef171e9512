using Occam.Numerics;

namespace Occam.Data;

/// <summary>
/// Polynomial expansion of chosen columns, one column at a time (no interaction terms): for each chosen column c and
/// each power k = 2..D a new column x_c^k named <c>"name^k"</c> is appended after the original columns, in the order
/// the columns are given. Degree 1 returns the input unchanged. Combine with standardization: raw powers have very
/// different scales. A generated name that equals an existing column (e.g. <c>bmi^2</c> when the data already has a
/// column of that name) is an <see cref="OccamException"/>: the model file selects columns by name.
/// </summary>
public static class PolynomialFeatures
{
    /// <summary>Names of the expanded columns: the originals, then <c>name^k</c> for each chosen column and k = 2..D.</summary>
    public static string[] Names(IReadOnlyList<string> names, int degree, IReadOnlyList<int> columns)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(columns);
        Check(names.Count, degree, columns);
        var result = new List<string>(names);
        foreach (int c in columns)
            for (int k = 2; k <= degree; k++) result.Add($"{names[c]}^{k}");
        if (ColumnNames.FirstDuplicate(result) is (int first, int second) && second >= names.Count)
        {
            int source = columns[(second - names.Count) / (degree - 1)];
            throw new OccamException($"the polynomial feature '{result[second]}' (a power of '{names[source]}') has the name of the column '{result[first]}'; rename that column or leave '{names[source]}' out of the polynomial columns.");
        }
        return result.ToArray();
    }

    /// <summary>Expands a row-major <paramref name="rows"/> × <paramref name="features"/> matrix; returns the new matrix (row-major).</summary>
    /// <param name="x">The matrix.</param>
    /// <param name="rows">Its rows.</param>
    /// <param name="features">Its columns.</param>
    /// <param name="degree">The highest power.</param>
    /// <param name="columns">The columns to expand.</param>
    /// <param name="names">Column names for messages (optional).</param>
    /// <exception cref="OccamException">A power overflows double precision (e.g. 1e200², or degree 1000): it names the row and column.</exception>
    public static double[] Expand(double[] x, int rows, int features, int degree, IReadOnlyList<int> columns, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(columns);
        Check(features, degree, columns);
        Preconditions.Check((long)rows * features == x.Length, $"x has {x.Length} values; rows × features = {(long)rows * features}.", nameof(x));
        if (degree > 1 && columns.Count > 0) CheckRows(rows, features + (long)columns.Count * (degree - 1), degree);
        int extra = columns.Count * (degree - 1), q = features + extra;
        var result = new double[(long)rows * q];
        for (int i = 0; i < rows; i++)
        {
            var src = x.AsSpan(i * features, features);
            var dst = result.AsSpan(i * q, q);
            src.CopyTo(dst);
            int o = features;
            foreach (int c in columns)
            {
                double v = src[c], pw = v;
                for (int k = 2; k <= degree; k++)
                {
                    pw *= v;
                    if (!double.IsFinite(pw))
                    {
                        string name = names is not null && c < names.Count ? $"'{names[c]}'" : $"{c + 1}";
                        throw new OccamException($"row {i + 1}, column {name}: the value {v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} to the power {k} overflows double precision; lower the degree or rescale the column.");
                    }
                    dst[o++] = pw;
                }
            }
        }
        return result;
    }

    /// <summary>Expands a whole dataset (targets and task unchanged).</summary>
    public static Dataset Expand(Dataset data, int degree, IReadOnlyList<int> columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        var x = Expand(data.X, data.Rows, data.Features, degree, columns, data.FeatureNames);
        var names = Names(data.FeatureNames, degree, columns);
        return new Dataset(x, data.Y, data.Rows, names.Length, names, data.TargetName, data.Task, data.Classes);
    }

    private static void Check(int features, int degree, IReadOnlyList<int> columns)
    {
        Preconditions.Check(degree >= 1, $"degree must be at least 1 (got {degree}).", nameof(degree));
        var seen = new HashSet<int>();
        foreach (int c in columns)
        {
            Preconditions.Check(c >= 0 && c < features, $"column index {c} is outside 0..{features - 1}.", nameof(columns));
            Preconditions.Check(seen.Add(c), $"column index {c} is listed twice.", nameof(columns));
        }
        if (degree == 1 || columns.Count == 0) return; // nothing is added (and degree 1 is the start-up path of every linear fit)
        long q = features + (long)columns.Count * (degree - 1);
        // Every expanded column has a name (about 64 bytes with its list slot) before any row is expanded.
        SizeLimits.CheckArray(1, q, $"degree {degree} over {columns.Count} column(s) gives {q} columns, and their names", "use a lower --degree or fewer --poly-columns");
        SizeLimits.CheckMemory(q * 64.0, $"degree {degree} over {columns.Count} column(s) ({q} columns)", "use a lower --degree or fewer --poly-columns");
    }

    /// <summary>Checks, before anything is allocated, that <paramref name="rows"/> × the expanded columns fit one array and the memory available.</summary>
    private static void CheckRows(long rows, long columns, int degree)
    {
        SizeLimits.CheckArray(rows, columns, $"the polynomial features of degree {degree} ({rows} rows × {columns} columns)", "use a lower --degree or fewer --poly-columns");
        SizeLimits.CheckMemory(rows * columns * 8.0, $"the polynomial features of degree {degree} ({rows} rows × {columns} columns)", "use a lower --degree or fewer --poly-columns");
    }
}
