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
    }
}
