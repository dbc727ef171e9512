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
/// exact zeros per layer; dead hidden units — a unit is dead when all its incoming weights from live units are
/// zero (it outputs the constant f(b), which can be folded into the next layer's bias) or all its outgoing weights
/// to live units are zero (nothing reads it), propagated in both directions until nothing changes; input features
/// cut off (every outgoing first-layer weight to a live unit is zero); and the parameter count once dead units and
/// cut inputs are removed (weights between live units plus the biases of live units).
/// </summary>
public sealed record SparsityReport(IReadOnlyList<LayerSparsity> Layers, int Inputs, int InputsKept, IReadOnlyList<string> CutFeatures,
    int Parameters, int ParametersAfterPruning)
{
    public int TotalWeights => Layers.Sum(l => l.Weights);
    public int ZeroWeights => Layers.Sum(l => l.ZeroWeights);
    public double ZeroFraction => TotalWeights == 0 ? 0 : (double)ZeroWeights / TotalWeights;
    public int DeadUnits => Layers.Sum(l => l.DeadUnits);
    public int HiddenUnits => Layers.Take(Math.Max(0, Layers.Count - 1)).Sum(l => l.Outputs);

    /// <summary>Counts the sparsity of <paramref name="model"/>.</summary>
    public static SparsityReport Of(Mlp model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var dense = model.DenseLayers;
        int count = dense.Count;
        // alive[k][j]: unit j of the input to dense layer k (k = 0: the inputs) still matters.
        var alive = new bool[count + 1][];
        alive[0] = Enumerable.Repeat(true, model.Inputs).ToArray();
        for (int k = 0; k < count; k++) alive[k + 1] = Enumerable.Repeat(true, dense[k].Outputs).ToArray();
        var zeroIncoming = new int[count];
        // Units with an all-zero incoming row are constant.
        for (int k = 0; k < count; k++)
        {
            var d = dense[k];
            for (int j = 0; j < d.Outputs; j++)
                if (CountZeros.AllZero(d.Row(j)))
                {
                    zeroIncoming[k]++;
                    if (k < count - 1) alive[k + 1][j] = false;
                }
        }
        // Propagate to a fixpoint in both directions: a hidden unit whose incoming weights from live units are all
        // zero is constant (dead); a unit or input whose outgoing weights to live units are all zero is unread (dead).
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int k = 0; k < count - 1; k++)
            {
                var d = dense[k];
                for (int j = 0; j < d.Outputs; j++)
                {
                    if (!alive[k + 1][j]) continue;
                    bool fed = false;
                    for (int i = 0; i < d.Inputs && !fed; i++)
                        fed = alive[k][i] && d.Weight[j * d.Inputs + i] != 0f;
                    if (!fed)
                    {
                        alive[k + 1][j] = false;
                        changed = true;
                    }
                }
            }
            for (int k = count - 1; k >= 0; k--)
            {
                var d = dense[k];
                for (int i = 0; i < d.Inputs; i++)
                {
                    if (!alive[k][i]) continue;
                    bool used = false;
                    for (int j = 0; j < d.Outputs && !used; j++)
                        used = (k == count - 1 || alive[k + 1][j]) && d.Weight[j * d.Inputs + i] != 0f;
                    if (!used)
                    {
                        alive[k][i] = false;
                        changed = true;
                    }
                }
            }
        }
        var layers = new List<LayerSparsity>(count);
        int pruned = 0;
        for (int k = 0; k < count; k++)
        {
            var d = dense[k];
            int dead = k < count - 1 ? alive[k + 1].Count(a => !a) : 0;
            layers.Add(new LayerSparsity(k, d.Inputs, d.Outputs, d.Weight.Length, CountZeros.Count(d.Weight), zeroIncoming[k], dead));
            int inAlive = alive[k].Count(a => a);
            int outAlive = k < count - 1 ? alive[k + 1].Count(a => a) : d.Outputs;
            pruned += inAlive * outAlive + outAlive;
        }
        var cut = new List<string>();
        for (int i = 0; i < model.Inputs; i++)
            if (!alive[0][i]) cut.Add(model.FeatureNames?[i] ?? $"x{i}");
        return new SparsityReport(layers, model.Inputs, model.Inputs - cut.Count, cut, model.ParameterCount, pruned);
    }
}
