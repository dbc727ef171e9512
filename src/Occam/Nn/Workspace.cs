namespace Occam.Nn;

/// <summary>
/// Preallocated buffers for forward and backward passes of one <see cref="Mlp"/> at up to
/// <see cref="MaxRows"/> rows: each layer's output, the gradient with respect to it and dropout masks. Allocated
/// once, so training steps allocate nothing. (Parameter gradients live in the model's <see cref="Parameter"/>s.)
/// </summary>
internal sealed class Workspace
{
    public Workspace(Mlp model, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(model);
        Numerics.Preconditions.CheckPositive(maxRows);
        MaxRows = maxRows;
        int count = model.Layers.Count;
        Outputs = new float[count][];
        OutputGradients = new float[count][];
        Masks = new float[count][];
        InputGradient = new float[maxRows * model.Inputs];
        int width = model.Inputs;
        for (int i = 0; i < count; i++)
        {
            var layer = model.Layers[i];
            if (layer is Dense d) width = d.Outputs;
            Outputs[i] = new float[maxRows * width];
            OutputGradients[i] = new float[maxRows * width];
            Masks[i] = layer is Dropout ? new float[maxRows * width] : [];
        }
    }

    /// <summary>Largest batch these buffers hold.</summary>
    public int MaxRows { get; }

    /// <summary>Output of layer i, row-major <c>[rows][width]</c>.</summary>
    public float[][] Outputs { get; }

    /// <summary>∂loss/∂(output of layer i).</summary>
    public float[][] OutputGradients { get; }

    /// <summary>Dropout masks (0 or 1/(1 − p)) for dropout layers; empty for other layers.</summary>
    public float[][] Masks { get; }

    /// <summary>∂loss/∂input (only filled when asked for).</summary>
    public float[] InputGradient { get; }
}
