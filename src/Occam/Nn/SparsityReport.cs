using Occam.Numerics.Reductions;

namespace Occam.Nn;

/// <summary>Exact zeros of one dense layer.</summary>
/// <param name="Index">Dense-layer index (0 = first layer).</param>
/// <param name="Inputs">Fan-in.</param>
/// <param name="Outputs">Units.</param>
/// <param name="Weights">Number of weights (Outputs × Inputs).</param>
/// <param name="ZeroWeights">Weights that are exactly 0.</param>
/// <param name="ZeroIncomingUnits">Units whose whole row of incoming weights is zero.</param>
/// <param name="DeadUnits">Hidden units that carry no information (see <see cref="SparsityReport"/>); 0 for the output layer.</param>
public sealed record LayerSparsity(int Index, int Inputs, int Outputs, int Weights, int ZeroWeights, int ZeroIncomingUnits, int DeadUnits)
{
    /// <summary>Fraction of weights that are exactly zero.</summary>
    public double ZeroFraction => Weights == 0 ? 0 : (double)ZeroWeights / Weights;
}

/// <summary>
/// What regularization did to a network, counted with <c>== 0f</c>:
/// exact zeros per layer; dead hidden units — a unit is dead when no chain of non-zero weights reaches it from an
/// input (it outputs a constant, which can be folded into the next layer's bias) or none leads from it to an output
/// (nothing reads it); input features cut off (no chain of non-zero weights to an output); and the parameter count
/// once dead units and cut inputs are removed (weights between live units plus the biases of live units), which is
/// exactly what <see cref="Pruning.RemoveDeadUnits"/> leaves when the model has feature names.
/// </summary>
public sealed record SparsityReport(IReadOnlyList<LayerSparsity> Layers, int Inputs, int InputsKept, IReadOnlyList<string> CutFeatures,
    int Parameters, int ParametersAfterPruning)
{
    public int TotalWeights => Total(static l => l.Weights);
    public int ZeroWeights => Total(static l => l.ZeroWeights);
    public double ZeroFraction => TotalWeights == 0 ? 0 : (double)ZeroWeights / TotalWeights;
    public int DeadUnits => Total(static l => l.DeadUnits);
    public int HiddenUnits => Layers.Take(Math.Max(0, Layers.Count - 1)).Sum(l => l.Outputs);

    /// <summary>
    /// Counts the sparsity of <paramref name="model"/>: one pass over each weight matrix, row by row (each row's zeros
    /// counted once give both the layer's zero weights and its all-zero rows), then the liveness of the units
    /// (<see cref="UnitLiveness"/>). Plain loops, no LINQ: in a fresh process (every epoch record of <c>occam train</c>
    /// calls this) each generic LINQ instantiation over <c>bool</c> was another method to compile.
    /// </summary>
    public static SparsityReport Of(Mlp model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var dense = model.DenseLayers;
        int count = dense.Count;
        var live = UnitLiveness.Of(model);
        var layers = new List<LayerSparsity>(count);
        int pruned = 0, inAlive = CountTrue(live.Useful[0]);
        for (int k = 0; k < count; k++)
        {
            var d = dense[k];
            int zeros = 0, zeroRows = 0;
            for (int j = 0; j < d.Outputs; j++)
            {
                int z = CountZeros.Count(d.Row(j));
                zeros += z;
                if (z == d.Inputs) zeroRows++;
            }
            int dead = 0, outAlive = d.Outputs;
            if (k < count - 1)
            {
                for (int j = 0; j < d.Outputs; j++)
                    if (!live.Alive(k + 1, j)) dead++;
                outAlive = d.Outputs - dead;
            }
            layers.Add(new LayerSparsity(k, d.Inputs, d.Outputs, d.Weight.Length, zeros, zeroRows, dead));
            pruned += inAlive * outAlive + outAlive;
            inAlive = outAlive;
        }
        var cut = new List<string>();
        for (int i = 0; i < model.Inputs; i++)
            if (!live.Useful[0][i]) cut.Add(model.FeatureNames?[i] ?? $"x{i}");
        return new SparsityReport(layers, model.Inputs, model.Inputs - cut.Count, cut, model.ParameterCount, pruned);
    }

    /// <summary>Σ over the layers (a loop: LINQ's <c>Sum</c> with a selector is compiled at run time in a fresh process, and every epoch record reads these).</summary>
    private int Total(Func<LayerSparsity, int> count)
    {
        int total = 0;
        foreach (var layer in Layers) total += count(layer);
        return total;
    }

    private static int CountTrue(bool[] values)
    {
        int n = 0;
        foreach (bool v in values) if (v) n++;
        return n;
    }
}
