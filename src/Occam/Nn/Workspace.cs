namespace Occam.Nn;

/// <summary>
/// Preallocated buffers for forward and backward passes of one <see cref="Mlp"/> at up to
/// <see cref="MaxRows"/> rows: each layer's output, the gradient with respect to it and dropout masks. Allocated
/// once, so training steps allocate nothing. (Parameter gradients live in the model's <see cref="Parameter"/>s.)
/// </summary>
internal sealed class Workspace
{
    public Workspace(Mlp model, int maxRows) : this(model, maxRows, inferenceOnly: false)
    {
    }

    /// <summary>
    /// A training workspace; <paramref name="shareBlockBuffers"/> false gives every layer buffers of its own (tests compare
    /// it with the shared layout, <see cref="SharesWithBlockStart"/>).
    /// </summary>
    internal Workspace(Mlp model, int maxRows, bool shareBlockBuffers) : this(model, maxRows, inferenceOnly: false, shareBlockBuffers)
    {
    }

    private Workspace(Mlp model, int maxRows, bool inferenceOnly, bool shareBlockBuffers = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        Numerics.Preconditions.CheckPositive(maxRows);
        CheckSize(model, maxRows);
        MaxRows = maxRows;
        InferenceOnly = inferenceOnly;
        int count = model.Layers.Count;
        Outputs = new float[count][];
        OutputGradients = new float[count][];
        Masks = new float[count][];
        InputGradient = inferenceOnly ? [] : new float[maxRows * model.Inputs];
        int width = model.Inputs;
        bool afterDense = false;
        for (int i = 0; i < count; i++)
        {
            var layer = model.Layers[i];
            if (layer is Dense d) width = d.Outputs;
            // Inference only: activations run in place on the dense output before them and dropout is the identity,
            // so only dense layers (and element-wise layers applied to the caller's input) need a buffer.
            bool own = !inferenceOnly || layer is Dense || !afterDense;
            bool shared = !inferenceOnly && shareBlockBuffers && SharesWithBlockStart(model.Layers, i);
            Outputs[i] = shared ? Outputs[i - 2] : own ? new float[maxRows * width] : [];
            OutputGradients[i] = inferenceOnly ? [] : shared ? OutputGradients[i - 2] : new float[maxRows * width];
            Masks[i] = layer is Dropout && !inferenceOnly ? new float[maxRows * width] : [];
            afterDense |= layer is Dense;
        }
    }

    /// <summary>
    /// Whether layer <paramref name="i"/> is the dropout closing a hidden block dense · activation · dropout that another
    /// dense layer follows: then, in a training workspace, its output buffer is the block's dense output buffer and its
    /// output-gradient buffer the dense output's gradient buffer (session 10: two fresh buffers fewer per hidden block,
    /// 2 × 768 KiB at batch 256 for 784-512-256-10, 384 pages the first step no longer touches; docs/algorithms/startup.md,
    /// "Fresh memory"). The values are the same: forward, the dense output z is read only by the pass that writes the
    /// block's output h (the fused ReLU·dropout pass, in place, or the activation into its own buffer and then dropout
    /// or the copy from there), and the next dense layer and the fused backward read h; backward, the next dense layer's
    /// input gradient ∂h is read only by the pass that writes ∂z (the fused backward, in place, or dropout into the
    /// activation's gradient and the activation from there), and nothing reads ∂h after it. The activation's own buffers
    /// stay separate (the unfused backward reads the activation's output).
    /// </summary>
    internal static bool SharesWithBlockStart(IReadOnlyList<Layer> layers, int i) =>
        i >= 2 && i + 1 < layers.Count && layers[i] is Dropout && layers[i - 1] is ActivationLayer && layers[i - 2] is Dense && layers[i + 1] is Dense;

    /// <summary>
    /// Buffers for <see cref="ForwardMode.Inference"/> passes only: one output buffer per dense layer (activations are
    /// applied in place, dropout is the identity), no gradients, no masks — about a third of a training workspace.
    /// </summary>
    public static Workspace ForInference(Mlp model, int maxRows) => new(model, maxRows, inferenceOnly: true);

    /// <summary>True for a <see cref="ForInference"/> workspace: only inference-mode forward passes may use it.</summary>
    public bool InferenceOnly { get; }

    /// <summary>
    /// Floats these buffers take for <paramref name="model"/> at <paramref name="maxRows"/> rows; throws
    /// <see cref="OccamException"/> when one buffer (rows × layer width) would exceed the array limit.
    /// </summary>
    internal static long CheckSize(Mlp model, int maxRows)
    {
        const string fix = "use fewer hidden units or a smaller batch size";
        SizeLimits.CheckArray(maxRows, model.Inputs, $"a batch of {maxRows} rows × {model.Inputs} inputs", fix);
        long floats = (long)maxRows * model.Inputs, width = model.Inputs;
        int dense = 0;
        foreach (var layer in model.Layers)
        {
            if (layer is Dense d)
            {
                SizeLimits.CheckFanIn(d.Inputs, ++dense);
                floats += 2L * SizeLimits.GemmPanelWidth * d.Inputs;
                SizeLimits.CheckArray(maxRows, d.Outputs, $"a batch of {maxRows} rows × {d.Outputs} units", fix);
                floats += d.Weight.Length + d.Bias.Length;
                width = d.Outputs;
            }
            floats += (layer is Dropout ? 3L : 2L) * maxRows * width;
        }
        SizeLimits.CheckMemory(4.0 * floats, $"a batch of {maxRows} rows through this network", fix);
        return floats;
    }

    /// <summary>Largest batch these buffers hold.</summary>
    public int MaxRows { get; }

    /// <summary>Output of layer i, row-major <c>[rows][width]</c> (a hidden block's dropout shares its dense layer's: <see cref="SharesWithBlockStart"/>).</summary>
    public float[][] Outputs { get; }

    /// <summary>∂loss/∂(output of layer i) (shared as <see cref="Outputs"/> is).</summary>
    public float[][] OutputGradients { get; }

    /// <summary>Dropout masks (0 or 1/(1 − p)) for dropout layers; empty for other layers.</summary>
    public float[][] Masks { get; }

    /// <summary>The description of a row-split element-wise pass (<see cref="RowPasses"/>), reused step after step.</summary>
    internal RowPasses.Job PassJob { get; } = new();

    /// <summary>∂loss/∂input (only filled when asked for).</summary>
    public float[] InputGradient { get; }
}
