using System.Globalization;
using GroupLassoTerm = Occam.Regularization.GroupLasso;

namespace Occam.Regularization;

/// <summary>
/// What an estimator penalizes, built from factories and combined with <c>+</c>:
/// <code>
/// Penalty.L1(1e-3)                                   // λ·Σ|w|, prox mode (exact zeros)
/// Penalty.L1(1e-3, L1Mode.Subgradient) + Penalty.L2(1e-4)
/// Penalty.ElasticNet(alpha: 1e-3, l1Ratio: 0.5)      // α·(ρ‖w‖₁ + (1−ρ)/2‖w‖²), scikit-learn's convention
/// Penalty.GroupLasso(2e-3)                           // λ·Σ_g √|g|·‖w_g‖₂ on hidden units' incoming weights
/// Penalty.WeightDecay(1e-2)                          // decoupled: w ← w − lr·λ·w (AdamW)
/// Penalty.PerLayer(Penalty.L1(1e-3), Penalty.None)   // one entry per dense layer, first to last
/// Penalty.L2(1e-3).IncludingBias()                   // biases too (never penalized otherwise)
/// </code>
/// A penalty that is not per-layer applies to every dense layer (group lasso to the hidden ones only). The
/// conventions are those of docs/algorithms (l1-prox.md, elastic-net.md, group-lasso.md, weight-decay.md).
/// <see cref="ForNetwork"/> turns it into the <see cref="NetworkRegularization"/> the trainer takes, checking
/// per-layer lists against the network: the one place where lists are broadcast.
/// </summary>
public sealed class Penalty
{
    /// <summary>One summand: one entry (every layer) or one per dense layer; <see cref="Label"/> names it in errors.</summary>
    private sealed record Term(LayerRegularization[] Layers, string Label);

    private readonly Term[] _terms;

    private Penalty(Term[] terms) => _terms = terms;

    private Penalty(LayerRegularization layer, string label) : this([new Term([layer], label)]) { }

    /// <summary>No penalty.</summary>
    public static Penalty None { get; } = new([]);

    /// <summary>L1: <c>λ·Σ|w|</c> on the weights. <see cref="L1Mode.Prox"/> (default) soft-thresholds after each step and gives exact zeros.</summary>
    public static Penalty L1(double lambda, L1Mode mode = L1Mode.Prox) =>
        new(new LayerRegularization(new ElasticNetPenalty(Check(lambda, "Penalty.L1", "λ"), 0, mode)), Describe("L1", lambda));

    /// <summary>L2: <c>(λ/2)·Σw²</c> on the weights, coupled (gradient λ·w, = PyTorch <c>weight_decay=λ</c> in SGD/Adam).</summary>
    public static Penalty L2(double lambda) =>
        new(new LayerRegularization(new ElasticNetPenalty(0, Check(lambda, "Penalty.L2", "λ"))), Describe("L2", lambda));

    /// <summary>Elastic net in scikit-learn's convention: <c>α·(ρ·‖w‖₁ + (1−ρ)/2·‖w‖²)</c>, i.e. λ₁ = αρ and λ₂ = α(1−ρ).</summary>
    public static Penalty ElasticNet(double alpha, double l1Ratio = 0.5, L1Mode mode = L1Mode.Prox)
    {
        Check(alpha, "Penalty.ElasticNet", "alpha");
        if (!(l1Ratio >= 0 && l1Ratio <= 1))
            throw OccamException.Usage($"Penalty.ElasticNet: l1Ratio must be in [0, 1] (got {l1Ratio.ToString(CultureInfo.InvariantCulture)}); 1 is lasso, 0 is ridge.");
        return new(new LayerRegularization(ElasticNetPenalty.FromAlpha(alpha, l1Ratio, mode)), Describe("elastic net", alpha));
    }

    /// <summary>Group lasso on hidden units: <c>λ·Σ_g √|g|·‖w_g‖₂</c> over each unit's incoming weights (prox: whole units reach zero).</summary>
    public static Penalty GroupLasso(double lambda)
    {
        Check(lambda, "Penalty.GroupLasso", "λ");
        return new(new LayerRegularization(ElasticNetPenalty.None, lambda > 0 ? new GroupLassoTerm(lambda) : null), Describe("group lasso", lambda));
    }

    /// <summary>Decoupled weight decay (AdamW): <c>w ← w − lr·λ·w</c> before each update, for any optimizer; not part of the loss.</summary>
    public static Penalty WeightDecay(double lambda) =>
        new(new LayerRegularization(ElasticNetPenalty.None, WeightDecay: Check(lambda, "Penalty.WeightDecay", "λ")), Describe("weight decay", lambda));

    /// <summary>One penalty per dense layer, first to last (each must itself apply to every layer). One entry applies to all layers.</summary>
    public static Penalty PerLayer(params Penalty[] layers) => PerLayer(layers, "the per-layer penalty");

    /// <summary>
    /// One penalty per dense layer; <paramref name="label"/> names the list in errors (the CLI passes its option,
    /// e.g. <c>--l1</c>). An empty list is <see cref="None"/>; one entry applies to every layer.
    /// </summary>
    public static Penalty PerLayer(IEnumerable<Penalty> layers, string label)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(label);
        var list = layers.ToArray();
        if (list.Length == 0) return None;
        var perLayer = new LayerRegularization[list.Length];
        for (int k = 0; k < list.Length; k++)
        {
            if (list[k] is null) throw OccamException.Usage($"{label}: entry {k} is null; use Penalty.None for a layer without penalty.");
            if (list[k]._terms.Any(t => t.Layers.Length != 1))
                throw OccamException.Usage($"{label}: entry {k} is itself per-layer; give one plain penalty per layer.");
            perLayer[k] = list[k]._terms.Aggregate(LayerRegularization.None, (sum, t) => Add(sum, t.Layers[0], label));
        }
        return new([new Term(perLayer, label)]);
    }

    /// <summary>The sum of two penalties (L1 and L2 strengths add; two L1 terms must use the same mode).</summary>
    public static Penalty operator +(Penalty left, Penalty right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new([.. left._terms, .. right._terms]);
    }

    /// <summary>The sum of this penalty and <paramref name="other"/> (same as <c>+</c>).</summary>
    public Penalty Add(Penalty other) => this + other;

    /// <summary>
    /// The same penalty on the biases too: the L1/L2 part applies to each layer's bias vector, and decoupled weight
    /// decay decays it (group lasso stays on the weights). Biases are never penalized otherwise.
    /// </summary>
    public Penalty IncludingBias() => new(_terms.Select(t => t with
    {
        Layers = t.Layers.Select(l => l with { Bias = l.Weights.IsZero ? l.Bias : l.Weights, DecayBias = l.WeightDecay > 0 || l.DecayBias }).ToArray(),
    }).ToArray());

    /// <summary>True when nothing is penalized.</summary>
    public bool IsNone => _terms.All(t => t.Layers.All(l => l.IsNone));

    /// <summary>
    /// The regularization of each of <paramref name="denseLayers"/> dense layers: every term broadcast (one entry)
    /// or checked (one per layer), then summed layer by layer.
    /// </summary>
    public NetworkRegularization ForNetwork(int denseLayers)
    {
        if (denseLayers <= 0) throw new ArgumentOutOfRangeException(nameof(denseLayers), denseLayers, "a network has at least one dense layer.");
        var layers = new LayerRegularization[denseLayers];
        Array.Fill(layers, LayerRegularization.None);
        foreach (var term in _terms)
        {
            var spread = NetworkRegularization.Broadcast(term.Layers, denseLayers, term.Label);
            for (int k = 0; k < denseLayers; k++) layers[k] = Add(layers[k], spread[k], term.Label);
        }
        return new NetworkRegularization(layers);
    }

    /// <inheritdoc/>
    public override string ToString() => _terms.Length == 0 ? "none" : string.Join(" + ", _terms.Select(t => t.Label));

    private static LayerRegularization Add(LayerRegularization a, LayerRegularization b, string label)
    {
        if (a.IsNone) return b;
        if (b.IsNone) return a;
        if (a.WeightDecay > 0 && b.WeightDecay > 0 && a.DecayBias != b.DecayBias)
            throw OccamException.Usage($"{label}: one weight decay includes the biases and another does not; decay the biases in both or in neither.");
        double groups = (a.Groups?.Lambda ?? 0) + (b.Groups?.Lambda ?? 0);
        return new LayerRegularization(
            Add(a.Weights, b.Weights, label)!,
            groups > 0 ? new GroupLassoTerm(groups) : null,
            a.Bias is null ? b.Bias : b.Bias is null ? a.Bias : Add(a.Bias, b.Bias, label),
            a.WeightDecay + b.WeightDecay,
            a.DecayBias || b.DecayBias);
    }

    private static ElasticNetPenalty Add(ElasticNetPenalty a, ElasticNetPenalty b, string label)
    {
        if (a.IsZero) return b;
        if (b.IsZero) return a;
        if (a.L1 > 0 && b.L1 > 0 && a.Mode != b.Mode)
            throw OccamException.Usage($"{label}: L1 terms in prox and in subgradient mode on the same layer; use one mode.");
        return new ElasticNetPenalty(a.L1 + b.L1, a.L2 + b.L2, a.L1 > 0 ? a.Mode : b.Mode);
    }

    private static double Check(double value, string factory, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
            throw OccamException.Usage($"{factory}: {name} must be a finite number >= 0 (got {value.ToString(CultureInfo.InvariantCulture)}).");
        return value;
    }

    private static string Describe(string name, double value) => $"{name} {value.ToString("g4", CultureInfo.InvariantCulture)}";
}
