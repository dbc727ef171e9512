using Occam.Data;
using Occam.Numerics.Activations;

namespace Occam.Nn;

/// <summary>
/// Architecture of a multilayer perceptron: <c>Inputs → Hidden[0] → … → Outputs</c>, the same activation
/// after every hidden dense layer, optional dropout after each hidden activation, and raw scores at the end.
/// <see cref="Outputs"/> follows the task: regression 1 (or more), binary 1 logit, multiclass K logits.
/// </summary>
public sealed record MlpSpec(int Inputs, IReadOnlyList<int> Hidden, int Outputs, TaskKind Task,
    ActivationKind Activation = ActivationKind.Relu, double Dropout = 0)
{
    /// <summary>Checks every field; throws <see cref="ArgumentException"/> naming the one to fix.</summary>
    public void Validate()
    {
        Numerics.Preconditions.CheckPositive(Inputs);
        Numerics.Preconditions.CheckPositive(Outputs);
        foreach (int h in Hidden)
            if (h <= 0) throw new ArgumentException($"hidden layer sizes must be > 0 (got {h}).", nameof(Hidden));
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, $"dropout probability must be in [0, 1) (got {Dropout}).");
        if (Task == TaskKind.Binary && Outputs != 1)
            throw new ArgumentException($"a binary model has exactly one output logit (got {Outputs}).", nameof(Outputs));
        if (Task == TaskKind.Multiclass && Outputs < 2)
            throw new ArgumentException($"a multiclass model needs one logit per class, at least 2 (got {Outputs}).", nameof(Outputs));
        CheckSize(1);
    }

    /// <summary>
    /// Checks, before anything is allocated, that training this network on batches of <paramref name="batchRows"/>
    /// rows fits: every weight matrix and every batch × layer-width buffer within the array limit, and the
    /// parameters (with gradients and optimizer state) plus the batch buffers within the available memory.
    /// Throws <see cref="OccamException"/> (<see cref="OccamErrorKind.Usage"/>) naming the layer and the fix.
    /// </summary>
    public void CheckSize(int batchRows)
    {
        Numerics.Preconditions.CheckPositive(batchRows);
        long width = Inputs, parameters = 0, activations = 2L * batchRows * Inputs, widest = Inputs;
        // Plain loops (no Append / Prepend / Max over int: generic LINQ compiled at run time in every CLI process).
        for (int layer = 1; layer <= Hidden.Count + 1; layer++)
        {
            long units = layer <= Hidden.Count ? Hidden[layer - 1] : Outputs;
            if (layer <= Hidden.Count) widest = Math.Max(widest, units);
            SizeLimits.CheckArray(units, width, $"dense layer {layer} ({width} inputs × {units} units)", "use fewer hidden units");
            SizeLimits.CheckFanIn(width, layer);
            if (batchRows > 1)
                SizeLimits.CheckArray(batchRows, units, $"a batch of {batchRows} rows × {units} units", "use fewer hidden units or a smaller batch size");
            parameters += units * width + units;
            activations += (Dropout > 0 ? 7L : 4L) * batchRows * units;
            width = units;
        }
        // value, gradient, two moments (Adam) and the best-epoch copy of every parameter
        // plus the matrix kernel's packed block of the widest fan-in, per thread (two)
        double bytes = 4.0 * (5 * parameters + (batchRows > 1 ? activations : 0) + 2L * SizeLimits.GemmPanelWidth * widest);
        SizeLimits.CheckMemory(bytes, $"training a network of {parameters:N0} parameters" + (batchRows > 1 ? $" on batches of {batchRows} rows" : ""),
            batchRows > 1 ? "use fewer hidden units or a smaller batch size" : "use fewer hidden units");
    }
}
