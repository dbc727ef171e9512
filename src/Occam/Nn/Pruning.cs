using Occam.Data;
using Occam.Numerics.Activations;

namespace Occam.Nn;

/// <summary>
/// Removes dead hidden units (and cut-off inputs) from a network without changing what it computes.
/// <para>
/// A unit is <i>informative</i> when some chain of non-zero weights reaches it from an input, and <i>useful</i>
/// when some chain of non-zero weights leads from it to an output; it is alive when both (the definition of
/// <see cref="SparsityReport"/>). A unit that is not informative outputs a constant <c>c = f(b + Σ W·c_prev)</c>,
/// which is folded into the next layer's bias (<c>b'ⱼ = bⱼ + Σᵢ Wⱼᵢ·cᵢ</c>) before the unit is removed; a unit that
/// is not useful has no non-zero weight into a useful unit and is simply dropped. Dropout is the identity at
/// inference, so it does not change the constants. Inputs that are not useful are removed too when the model
/// knows its feature names (then <c>predict</c> and <c>eval</c> select the kept columns by name); otherwise all
/// inputs are kept.
/// </para>
/// </summary>
public static class Pruning
{
    /// <summary>A smaller network with the same inference-mode outputs (up to float rounding of the folded biases).</summary>
    public static Mlp RemoveDeadUnits(Mlp model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var dense = model.DenseLayers;
        int count = dense.Count;
        // Per dense layer k: the element-wise layers that follow it (until the next dense layer).
        var after = new List<Layer>[count];
        int di = -1;
        foreach (var layer in model.Layers)
        {
            if (layer is Dense) after[++di] = [];
            else after[di].Add(layer);
        }

        var live = UnitLiveness.Of(model);
        var informative = live.Informative;
        bool pruneInputs = model.FeatureNames is not null;
        var keep = new int[count + 1][];
        keep[0] = pruneInputs ? Enumerable.Range(0, model.Inputs).Where(i => live.Useful[0][i]).ToArray() : Enumerable.Range(0, model.Inputs).ToArray();
        for (int k = 1; k < count; k++)
            keep[k] = Enumerable.Range(0, dense[k - 1].Outputs).Where(j => live.Alive(k, j)).ToArray();
        keep[count] = Enumerable.Range(0, dense[^1].Outputs).ToArray();
        for (int k = 0; k <= count; k++)
            if (keep[k].Length == 0)
                throw new OccamException(k == 0
                    ? "no input reaches the outputs: the model predicts a constant, so there is nothing left to prune to."
                    : $"every unit of hidden layer {k} is dead: the model predicts a constant, so there is nothing left to prune to.");

        // Constant outputs of non-informative units, layer by layer.
        var constant = new float[count + 1][];
        constant[0] = new float[model.Inputs];
        var layers = new List<Layer>();
        for (int k = 0; k < count; k++)
        {
            var d = dense[k];
            var pre = new float[d.Outputs];
            for (int j = 0; j < d.Outputs; j++)
            {
                double s = d.Bias[j];
                for (int i = 0; i < d.Inputs; i++)
                    if (!informative[k][i]) s += (double)d.Weight[j * d.Inputs + i] * constant[k][i];
                pre[j] = (float)s;
            }
            constant[k + 1] = (float[])pre.Clone();
            foreach (var l in after[k])
                if (l is ActivationLayer a) Activation.Forward(a.Kind, constant[k + 1], constant[k + 1]);

            var rows = keep[k + 1];
            var cols = keep[k];
            var w = new float[rows.Length * cols.Length];
            var b = new float[rows.Length];
            for (int r = 0; r < rows.Length; r++)
            {
                int j = rows[r];
                b[r] = pre[j];   // the bias with the constants of removed non-informative inputs folded in
                for (int c = 0; c < cols.Length; c++) w[r * cols.Length + c] = d.Weight[j * d.Inputs + cols[c]];
            }
            layers.Add(new Dense(cols.Length, rows.Length, w, b));
            layers.AddRange(after[k].Select(l => l.Clone()));
        }
        // Kept columns are informative, so no constant is both folded into a bias and still read through a weight.
        var inputs = keep[0];
        Standardizer? standardizer = model.Standardizer is { } st
            ? new Standardizer(inputs.Select(i => st.Mean[i]).ToArray(), inputs.Select(i => st.Scale[i]).ToArray())
            : null;
        var names = model.FeatureNames is { } fn ? inputs.Select(i => fn[i]).ToArray() : null;
        return new Mlp(inputs.Length, model.Task, layers, standardizer, model.Classes, names, model.TargetName, model.TargetStandardizer);
    }
}
