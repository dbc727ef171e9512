using Occam.Nn;

namespace Occam.Regularization;

/// <summary>
/// Everything that penalizes one dense layer. Penalties apply to the weight matrix only; the bias is penalized
/// only when <see cref="Bias"/> is set (asked for explicitly, per layer).
/// </summary>
/// <param name="Weights">Elastic net (L1 and/or coupled L2) on the weight matrix.</param>
/// <param name="Groups">Group lasso on the rows (incoming weights of each unit); ignored on the output layer.</param>
/// <param name="Bias">Elastic net on the bias vector; null (the default) leaves biases unpenalized.</param>
/// <param name="WeightDecay">
/// Decoupled weight decay (AdamW): <c>w ← w − lr·λ·w</c> before the optimizer's update, separate from any
/// penalty and from the loss. Applies to the weights; to the bias too only when <see cref="DecayBias"/>.
/// </param>
/// <param name="DecayBias">Whether decoupled weight decay also applies to the bias.</param>
public sealed record LayerRegularization(ElasticNetPenalty Weights, GroupLasso? Groups = null, ElasticNetPenalty? Bias = null,
    double WeightDecay = 0, bool DecayBias = false)
{
    /// <summary>No regularization at all.</summary>
    public static readonly LayerRegularization None = new(ElasticNetPenalty.None);

    /// <summary>True when nothing is applied.</summary>
    public bool IsNone => Weights.IsZero && (Groups is null || Groups.Lambda == 0) && (Bias is null || Bias.IsZero) && WeightDecay == 0;

    /// <summary>The elastic net on a parameter of this kind: <see cref="Weights"/>, or <see cref="Bias"/> (null = none).</summary>
    public ElasticNetPenalty? PenaltyOn(ParameterKind kind) => kind == ParameterKind.Weight ? Weights : Bias;

    /// <summary>The decoupled weight decay on a parameter of this kind (biases only with <see cref="DecayBias"/>).</summary>
    public double WeightDecayOn(ParameterKind kind) => kind == ParameterKind.Weight || DecayBias ? WeightDecay : 0;
}

/// <summary>
/// Regularization for a whole network: one <see cref="LayerRegularization"/> per dense layer (index 0 is the
/// first layer). Build it with <see cref="Uniform"/> or give a list to set per-layer strengths.
/// </summary>
public sealed class NetworkRegularization
{
    private readonly LayerRegularization[] _layers;

    public NetworkRegularization(IReadOnlyList<LayerRegularization> perLayer)
    {
        ArgumentNullException.ThrowIfNull(perLayer);
        _layers = perLayer.ToArray();
    }

    /// <summary>The same regularization on every dense layer (group lasso only on hidden layers).</summary>
    public static NetworkRegularization Uniform(LayerRegularization layer, int denseLayers) =>
        new(Enumerable.Repeat(layer, denseLayers).ToArray());

    /// <summary>
    /// Spreads a one-entry list over <paramref name="denseLayers"/> layers, or checks that a list has one entry per
    /// dense layer; <paramref name="label"/> names the list in the error (e.g. <c>--l1</c>). Empty = none.
    /// </summary>
    public static NetworkRegularization Broadcast(IReadOnlyList<LayerRegularization> perLayer, int denseLayers, string label)
    {
        ArgumentNullException.ThrowIfNull(perLayer);
        if (perLayer.Count == 0) return None(denseLayers);
        if (perLayer.Count == 1) return Uniform(perLayer[0], denseLayers);
        if (perLayer.Count != denseLayers)
            throw OccamException.Usage($"{label} has {Counted.Of(perLayer.Count, "value")} but the network has {Counted.Of(denseLayers, "dense layer")}; give one value or exactly {denseLayers}.");
        return new NetworkRegularization(perLayer);
    }

    /// <summary>No regularization on any layer.</summary>
    public static NetworkRegularization None(int denseLayers) => Uniform(LayerRegularization.None, denseLayers);

    public int Count => _layers.Length;

    public LayerRegularization this[int denseIndex] => _layers[denseIndex];

    public IReadOnlyList<LayerRegularization> Layers => _layers;

    /// <summary>The regularization of the dense layer <paramref name="parameter"/> belongs to.</summary>
    public LayerRegularization For(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if ((uint)parameter.DenseIndex >= (uint)_layers.Length)
            throw new ArgumentException($"parameter {parameter.Name} is not in a dense layer covered by this regularization ({_layers.Length} layers).", nameof(parameter));
        return _layers[parameter.DenseIndex];
    }

    /// <summary>
    /// Group lasso on <paramref name="parameter"/>, or null: only weights of hidden layers (not the output layer,
    /// whose units are the model's outputs) get it.
    /// </summary>
    public GroupLasso? GroupsOn(Parameter parameter)
    {
        var r = For(parameter);
        return parameter.Kind == ParameterKind.Weight && parameter.DenseIndex < _layers.Length - 1 && r.Groups is { Lambda: > 0 } g ? g : null;
    }

    /// <summary>Total penalty value <c>Σ_layers R(W) (+ R(b) when asked)</c> of the model's current weights.</summary>
    public double Value(Mlp model)
    {
        ArgumentNullException.ThrowIfNull(model);
        double v = 0;
        foreach (var p in model.Parameters())
        {
            v += For(p).PenaltyOn(p.Kind)?.Value(p.Value) ?? 0;
            if (GroupsOn(p) is { } groups) v += groups.Value(p.Value, p.Layer!.Outputs, p.Layer.Inputs);
        }
        return v;
    }
}
