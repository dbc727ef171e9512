namespace Occam.Data;

/// <summary>
/// The feature pipeline a linear model stores: which raw input columns it reads (<see cref="Inputs"/>, in order) and
/// which of them are expanded to powers 2..<see cref="Degree"/> by <see cref="PolynomialFeatures"/>. Fitting and
/// prediction apply the same pipeline, so a saved model predicts from the raw columns.
/// </summary>
public sealed class PolynomialPipeline
{
    private readonly int[] _indices;

    private PolynomialPipeline(string[] inputs, int degree, string[] columns, int[] indices)
    {
        Inputs = inputs;
        Degree = degree;
        Columns = columns;
        _indices = indices;
        Features = degree > 1 ? PolynomialFeatures.Names(inputs, degree, indices) : inputs;
    }

    /// <summary>Raw input columns, in the order the model reads them.</summary>
    public IReadOnlyList<string> Inputs { get; }
    /// <summary>Polynomial degree D (1 = no expansion).</summary>
    public int Degree { get; }
    /// <summary>Inputs expanded to powers 2..D (empty when D = 1).</summary>
    public IReadOnlyList<string> Columns { get; }
    /// <summary>The model's columns after expansion: the inputs, then <c>name^k</c> for each expanded column and k = 2..D.</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>The identity pipeline over <paramref name="inputs"/>.</summary>
    public static PolynomialPipeline Identity(IReadOnlyList<string> inputs) => Create(inputs, 1, null);

    /// <summary>
    /// A pipeline over <paramref name="inputs"/>: with <paramref name="degree"/> ≥ 2, <paramref name="columns"/> (null
    /// = every input) get powers 2..degree. A column that is not an input, a column listed twice, columns without a
    /// degree, or an expanded name that equals an input's name (<see cref="PolynomialFeatures.Names"/>) are
    /// <see cref="OccamException"/>s naming the fix.
    /// </summary>
    public static PolynomialPipeline Create(IReadOnlyList<string> inputs, int degree, IReadOnlyList<string>? columns)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (degree < 1) throw new OccamException($"the polynomial degree must be at least 1 (got {degree}); use 1 for no expansion.");
        if (degree == 1)
        {
            if (columns is { Count: > 0 })
                throw new OccamException("polynomial columns were given without a degree; set the degree to 2 or more, or give no columns.");
            return new PolynomialPipeline(inputs.ToArray(), 1, [], []);
        }
        var chosen = (columns ?? inputs).ToArray();
        if (chosen.Length == 0)
            throw new OccamException($"degree {degree} needs at least one polynomial column; name columns to expand or leave the list out for every input.");
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < inputs.Count; j++) index.TryAdd(inputs[j], j);
        var indices = new int[chosen.Length];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int k = 0; k < chosen.Length; k++)
        {
            if (!index.TryGetValue(chosen[k], out indices[k]))
                throw new OccamException($"polynomial column '{chosen[k]}' is not a feature; features: {string.Join(", ", inputs.Take(20))}{(inputs.Count > 20 ? ", ..." : "")}.");
            if (!seen.Add(chosen[k]))
                throw new OccamException($"polynomial column '{chosen[k]}' is listed twice; name each column once.");
        }
        return new PolynomialPipeline(inputs.ToArray(), degree, chosen, indices);
    }

    /// <summary>Expands a row-major rows × <see cref="Inputs"/> matrix to rows × <see cref="Features"/>.</summary>
    public double[] Apply(double[] x, int rows) =>
        Degree > 1 ? PolynomialFeatures.Expand(x, rows, Inputs.Count, Degree, _indices, Inputs) : x;

    /// <summary>
    /// The dataset's <see cref="Inputs"/> columns (by name, in order), expanded; targets unchanged. A missing input is
    /// an <see cref="OccamException"/> naming it.
    /// </summary>
    public Dataset Apply(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        data = data.SelectFeatures(Inputs);
        return Degree > 1 ? PolynomialFeatures.Expand(data, Degree, _indices) : data;
    }
}
