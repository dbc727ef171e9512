using Occam.Numerics.Random;

namespace Occam.Nn;

/// <summary>
/// The passes of a small net's training step split over the GEMM helpers by data ownership (docs/algorithms/
/// training-loop.md, "Small nets at two threads"): with P parts, part t owns rows [t·R/P, (t + 1)·R/P) of the batch in the
/// forward pass (<see cref="ForwardItem"/>) and in the row-local backward passes (<see cref="BackwardItem"/>), and units
/// [t·U/P, (t + 1)·U/P) of every dense layer for its weight and bias gradients and their update (the trainer's items,
/// <see cref="Backprop.WeightGradientUnits"/>). Each phase is one item list (<see cref="Numerics.GemmThreadPool.RunItems"/>:
/// thread t takes part t first), so a step makes three hand-offs, and no thread reads in a phase what another writes in it.
/// Every value is the same bits as the unsplit step's (<see cref="Backprop.ForwardRows"/>, <see cref="Backprop.BackwardRows"/>).
/// State reused step after step: nothing is allocated per step.
/// </summary>
internal sealed unsafe class StepSplit
{
    private readonly Mlp _model;
    private readonly Workspace _ws;
    /// <summary>Per layer: the dropout seed of the fused ReLU·dropout pair starting there (<see cref="DrawSeeds"/>).</summary>
    private readonly ulong[] _seeds;

    public StepSplit(Mlp model, Workspace ws)
    {
        _model = model;
        _ws = ws;
        _seeds = new ulong[model.Layers.Count];
        var layers = model.Layers;
        DenseLayerIndex = new int[model.DenseLayers.Count];
        int dense = 0;
        for (int i = 0; i < layers.Count; i++) if (layers[i] is Dense) DenseLayerIndex[dense++] = i;
        HasRowBackward = DenseLayerIndex.Length > 1;
    }

    /// <summary>
    /// Whether a net's training step can be split this way: the first layer is dense (its input gradient is not needed) and
    /// every dropout with p &gt; 0 closes a fused ReLU·dropout pair (whose mask entries depend on their index, not on the
    /// order of the draws; an unfused dropout draws its mask from the generator in order).
    /// </summary>
    public static bool Fits(Mlp model)
    {
        var layers = model.Layers;
        if (layers.Count == 0 || layers[0] is not Dense) return false;
        for (int i = 0; i < layers.Count; i++)
            if (layers[i] is Dropout { P: > 0 } && !Backprop.FusesWithNext(layers, i - 1)) return false;
        return true;
    }

    /// <summary>Layer index of dense layer d.</summary>
    public int[] DenseLayerIndex { get; }

    /// <summary>Whether there is row-local backward work (an input gradient of a dense layer above the first).</summary>
    public bool HasRowBackward { get; }

    /// <summary>The step's gathered batch (pinned by the caller for the step), its rows and the number of parts.</summary>
    public float* Input;
    public int Rows, Parts;

    /// <summary>The input batch as a span (valid while the caller keeps it pinned).</summary>
    public ReadOnlySpan<float> InputSpan => new(Input, Rows * _model.Inputs);

    /// <summary>
    /// Draws the dropout seeds of the step's fused ReLU·dropout pairs from <paramref name="rng"/>, in layer order: the
    /// draws the unsplit forward pass makes.
    /// </summary>
    public void DrawSeeds(Rng rng)
    {
        var layers = _model.Layers;
        for (int i = 0; i < layers.Count; i++)
            if (Backprop.FusesWithNext(layers, i)) _seeds[i] = rng.NextUInt64();
    }

    /// <summary>First row of part <paramref name="part"/> (<paramref name="part"/> = <see cref="Parts"/>: the row count).</summary>
    public static int Start(int count, int part, int parts) => (int)((long)count * part / parts);

    /// <summary>Item <paramref name="part"/> of the forward phase: the forward pass on the part's rows.</summary>
    public static void ForwardItem(int part, object state)
    {
        var s = (StepSplit)state;
        Backprop.ForwardRows(s._model, s._ws, s.InputSpan, Start(s.Rows, part, s.Parts), Start(s.Rows, part + 1, s.Parts), s._seeds);
    }

    /// <summary>Item <paramref name="part"/> of the backward phase: the row-local backward passes on the part's rows.</summary>
    public static void BackwardItem(int part, object state)
    {
        var s = (StepSplit)state;
        Backprop.BackwardRows(s._model, s._ws, Start(s.Rows, part, s.Parts), Start(s.Rows, part + 1, s.Parts));
    }

    /// <summary>
    /// The weight and bias gradients of units [<paramref name="u0"/>, <paramref name="u1"/>) of dense layer
    /// <paramref name="dense"/> (<see cref="Backprop.WeightGradientUnits"/>).
    /// </summary>
    public void Gradients(int dense, int u0, int u1) =>
        Backprop.WeightGradientUnits(_model, _ws, InputSpan, Rows, DenseLayerIndex[dense], _model.WeightOf(dense), _model.BiasOf(dense), u0, u1);
}
