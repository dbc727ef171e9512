namespace Occam.Nn;

/// <summary>Whether a <see cref="Parameter"/> is a weight matrix or a bias vector.</summary>
public enum ParameterKind
{
    /// <summary>The weight matrix <c>[out][in]</c> of a dense layer (penalized by default).</summary>
    Weight,
    /// <summary>The bias vector of a dense layer (never penalized unless asked for).</summary>
    Bias,
}

/// <summary>
/// One trainable tensor of an <see cref="Mlp"/> (like <c>torch.nn.Parameter</c>): its values, its gradient buffer,
/// what it is and where it lives. <see cref="Mlp.Parameters"/> lists them in <c>state_dict</c> order, and optimizer
/// state (momentum buffers, Adam's moments) and penalties are keyed by them.
/// </summary>
public sealed class Parameter
{
    private float[]? _gradient;

    /// <summary>A free-standing parameter (not part of a model), e.g. to drive an optimizer directly.</summary>
    public Parameter(string name, ParameterKind kind, float[] value) : this(name, kind, value, null, -1, -1)
    {
    }

    internal Parameter(string name, ParameterKind kind, float[] value, Dense? layer, int layerIndex, int denseIndex)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Kind = kind;
        Value = value;
        Layer = layer;
        LayerIndex = layerIndex;
        DenseIndex = denseIndex;
    }

    /// <summary>
    /// <c>"{i}.weight"</c> or <c>"{i}.bias"</c> with i = <see cref="LayerIndex"/>: exactly the key of this tensor in the
    /// <c>state_dict</c> of the equivalent <c>torch.nn.Sequential</c>.
    /// </summary>
    public string Name { get; }

    public ParameterKind Kind { get; }

    /// <summary>The values, updated in place by training (the layer's own array: <see cref="Dense.Weight"/> or <see cref="Dense.Bias"/>).</summary>
    public float[] Value { get; }

    /// <summary>∂loss/∂value, same shape as <see cref="Value"/>; written by the backward pass, allocated on first use.</summary>
    public float[] Gradient => _gradient ??= new float[Value.Length];

    /// <summary>Number of values.</summary>
    public int Length => Value.Length;

    /// <summary>The dense layer this parameter belongs to (null for a free-standing parameter).</summary>
    public Dense? Layer { get; }

    /// <summary>Index of <see cref="Layer"/> in <see cref="Mlp.Layers"/> (the torch <c>Sequential</c> index); −1 when free-standing.</summary>
    public int LayerIndex { get; }

    /// <summary>Index of <see cref="Layer"/> among <see cref="Mlp.DenseLayers"/> (0 = first layer; the index of per-layer penalties); −1 when free-standing.</summary>
    public int DenseIndex { get; }

    public override string ToString() => Name;
}
