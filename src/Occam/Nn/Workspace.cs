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

    private Workspace(Mlp model, int maxRows, bool inferenceOnly)
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
            Outputs[i] = own ? new float[maxRows * width] : [];
            OutputGradients[i] = inferenceOnly ? [] : new float[maxRows * width];
            Masks[i] = layer is Dropout && !inferenceOnly ? new float[maxRows * width] : [];
            afterDense |= layer is Dense;
        }
    }

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

    /// <summary>Output of layer i, row-major <c>[rows][width]</c>.</summary>
    public float[][] Outputs { get; }

    /// <summary>∂loss/∂(output of layer i).</summary>
    public float[][] OutputGradients { get; }

    /// <summary>Dropout masks (0 or 1/(1 − p)) for dropout layers; empty for other layers.</summary>
    public float[][] Masks { get; }

    /// <summary>The description of a row-split element-wise pass (<see cref="RowPasses"/>), reused step after step.</summary>
    internal RowPasses.Job PassJob { get; } = new();

    /// <summary>∂loss/∂input (only filled when asked for).</summary>
    public float[] InputGradient { get; }
}
