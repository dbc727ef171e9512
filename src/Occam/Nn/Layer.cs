using Occam.Numerics.Activations;

namespace Occam.Nn;

/// <summary>One step of an <see cref="Mlp"/>: a <see cref="Dense"/> layer, an <see cref="ActivationLayer"/> or a <see cref="Dropout"/>.</summary>
public abstract class Layer
{
    private protected Layer() { }

    /// <summary>A deep copy (parameters included).</summary>
    public abstract Layer Clone();
}

/// <summary>
/// Fully connected layer <c>y = x·Wᵀ + b</c> with W stored row-major as <c>[Outputs][Inputs]</c>, exactly like
/// <c>torch.nn.Linear.weight</c>, and b of length <see cref="Outputs"/>.
/// </summary>
public sealed class Dense : Layer
{
    public Dense(int inputs, int outputs)
    {
        Numerics.Preconditions.CheckPositive(inputs);
        Numerics.Preconditions.CheckPositive(outputs);
        Inputs = inputs;
        Outputs = outputs;
        Weight = new float[inputs * outputs];
        Bias = new float[outputs];
    }

    public Dense(int inputs, int outputs, float[] weight, float[] bias) : this(inputs, outputs)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(bias);
        if (weight.Length != inputs * outputs) throw new ArgumentException($"weight has {weight.Length} values; {outputs}×{inputs} = {inputs * outputs} expected.", nameof(weight));
        if (bias.Length != outputs) throw new ArgumentException($"bias has {bias.Length} values; {outputs} expected.", nameof(bias));
        Weight = weight;
        Bias = bias;
    }

    public int Inputs { get; }
    public int Outputs { get; }

    /// <summary>Row-major <c>[Outputs][Inputs]</c>: row j holds the incoming weights of output unit j.</summary>
    public float[] Weight { get; }

    public float[] Bias { get; }

    /// <summary>Row <paramref name="unit"/> of the weight matrix (the incoming weights of that unit).</summary>
    public Span<float> Row(int unit) => Weight.AsSpan(unit * Inputs, Inputs);

    public override Layer Clone() => new Dense(Inputs, Outputs, (float[])Weight.Clone(), (float[])Bias.Clone());
}

/// <summary>An element-wise nonlinearity.</summary>
public sealed class ActivationLayer : Layer
{
    public ActivationLayer(ActivationKind kind) => Kind = kind;

    public ActivationKind Kind { get; }

    public override Layer Clone() => this;
}

/// <summary>
/// Inverted dropout: in <see cref="ForwardMode.Training"/> each value is zeroed with probability
/// <see cref="P"/> and the kept ones are scaled by <c>1/(1 − P)</c>, so that the expected value is unchanged;
/// in <see cref="ForwardMode.Inference"/> it is exactly the identity.
/// Reference: Srivastava et al., "Dropout", JMLR 2014.
/// </summary>
public sealed class Dropout : Layer
{
    public Dropout(double p)
    {
        if (!(p >= 0 && p < 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"dropout probability must be in [0, 1) (got {p}).");
        P = p;
    }

    public double P { get; }

    public override Layer Clone() => this;
}

/// <summary>Whether a forward pass is for training (dropout active) or inference (deterministic).</summary>
public enum ForwardMode
{
    /// <summary>Deterministic: dropout is the identity. Used for evaluation and prediction.</summary>
    Inference,
    /// <summary>Dropout draws masks from the random generator passed in.</summary>
    Training,
}
