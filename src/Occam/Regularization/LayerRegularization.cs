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
            throw new OccamException($"{label} has {perLayer.Count} values but the network has {denseLayers} dense layers; give one value or exactly {denseLayers}.");
        return new NetworkRegularization(perLayer);
    }

    /// <summary>No regularization on any layer.</summary>
    public static NetworkRegularization None(int denseLayers) => Uniform(LayerRegularization.None, denseLayers);

    public int Count => _layers.Length;

    public LayerRegularization this[int denseIndex] => _layers[denseIndex];

    public IReadOnlyList<LayerRegularization> Layers => _layers;

    /// <summary>Total penalty value <c>Σ_layers R(W) (+ R(b) when asked)</c> of the model's current weights.</summary>
    public double Value(Nn.Mlp model)
    {
        double v = 0;
        for (int i = 0; i < model.DenseLayers.Count; i++)
        {
            var d = model.DenseLayers[i];
            var r = _layers[i];
            v += r.Weights.Value(d.Weight);
            if (r.Groups is not null && i < model.DenseLayers.Count - 1) v += r.Groups.Value(d.Weight, d.Outputs, d.Inputs);
            if (r.Bias is not null) v += r.Bias.Value(d.Bias);
        }
        return v;
    }
}
