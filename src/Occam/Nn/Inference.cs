using Occam.Numerics;
using Occam.Numerics.Activations;
using Occam.Numerics.Conversion;
using Occam.Numerics.LinearAlgebra;

namespace Occam.Nn;

/// <summary>
/// The inference forward pass of an <see cref="Mlp"/> (what <see cref="Mlp.PredictScores(ReadOnlySpan{double}, int, Span{float})"/>
/// runs) and the buffers it reuses between calls. See docs/algorithms/inference.md.
/// <list type="bullet">
/// <item>At most <see cref="GemvMaxRows"/> rows: each row goes through the layers as matrix–vector products on the
/// weights as stored (<see cref="GemvRows"/>), the bias added by the product and the activation applied in place.</item>
/// <item>More rows: in chunks of <see cref="ChunkRows"/>, the rows are standardized, converted and packed into column
/// panels of NR rows, and every dense layer runs as <c>Yᵀ = W·Xᵀ + b</c> on the panels (<see cref="GemmPanels"/>),
/// reading the weights in place: nothing is packed or allocated per call, and there is nothing to invalidate when the
/// weights change (they are read afresh on every call). Activations run in place on the panels.</item>
/// </list>
/// Dropout layers are the identity. Results: the batch path is bit-identical to the training forward pass
/// (<c>Backprop.Forward</c> in inference mode) for identity and ReLU activations; tanh and sigmoid may differ in the
/// last bits where one path reaches the scalar tail of the activation kernel and the other its vector body. The row
/// path sums each dot product in the <see cref="GemvRows"/> order, which differs from the batch path by rounding.
/// Results never depend on the thread count.
/// </summary>
internal sealed unsafe class Inference
{
    /// <summary>Rows up to which a call runs row by row as matrix–vector products (each reads every weight once per row).</summary>
    public const int GemvMaxRows = 3;

    /// <summary>Rows per chunk of the batch path (the panel buffers hold one chunk).</summary>
    public const int ChunkRows = 256;

    private readonly GemmKernel _kernel;
    private readonly int _nr;
    private readonly int _panels;

    /// <summary>Float32 inputs of the rows being packed (NR rows) or of one row (GEMV path).</summary>
    private readonly float[] _staging;
    /// <summary>Input panels of a chunk: ⌈ChunkRows/NR⌉ panels of inputs × NR.</summary>
    private readonly float[] _input;
    /// <summary>Layer outputs, alternately: panels of (padded units) × NR, or one row of units (GEMV path).</summary>
    private readonly float[] _a, _b;

    /// <summary>Buffers for <paramref name="model"/>'s shape, batch path with kernel <paramref name="kernel"/>.</summary>
    public Inference(Mlp model, GemmKernel kernel = GemmKernel.Auto)
    {
        _kernel = GemmPanels.Resolve(kernel);
        _nr = GemmPanels.Shape(_kernel).NR;
        _panels = (ChunkRows + _nr - 1) / _nr;
        int widest = 1;
        foreach (var d in model.DenseLayers) widest = Math.Max(widest, GemmPanels.PaddedUnits(_kernel, d.Outputs));
        _staging = new float[_nr * model.Inputs];
        _input = new float[_panels * _nr * model.Inputs];
        _a = new float[_panels * _nr * widest];
        _b = new float[_panels * _nr * widest];
        Inputs = model.Inputs;
        Widest = widest;
    }

    /// <summary>The input width these buffers were made for.</summary>
    public int Inputs { get; }

    /// <summary>The widest (padded) dense layer these buffers were made for.</summary>
    public int Widest { get; }

    /// <summary>Whether these buffers fit <paramref name="model"/>'s current shape.</summary>
    public bool Fits(Mlp model)
    {
        if (model.Inputs != Inputs) return false;
        var dense = model.DenseLayers;   // indexed, not foreach: an interface enumerator would allocate
        for (int i = 0; i < dense.Count; i++)
            if (GemmPanels.PaddedUnits(_kernel, dense[i].Outputs) > Widest) return false;
        return true;
    }

    /// <summary>
    /// Raw scores of <paramref name="rows"/> rows of raw inputs (double or float, row-major) into
    /// <paramref name="scores"/> (<c>rows × Outputs</c>). Lengths are checked by the caller; <paramref name="prepare"/>
    /// standardizes and converts a block of whole rows, throwing for a value that is not finite in float32.
    /// </summary>
    public void Run<T>(Mlp model, ReadOnlySpan<T> x, int rows, Span<float> scores, Prepare<T> prepare)
    {
        int inputs = model.Inputs;
        if (rows <= GemvMaxRows)
        {
            for (int r = 0; r < rows; r++)
            {
                var xr = _staging.AsSpan(0, inputs);
                prepare(model, x.Slice(r * inputs, inputs), xr, r);
                RunRow(model, xr, scores.Slice(r * model.Outputs, model.Outputs));
            }
            return;
        }
        for (int start = 0; start < rows; start += ChunkRows)
        {
            int n = Math.Min(ChunkRows, rows - start);
            int panels = (n + _nr - 1) / _nr;
            fixed (float* input = _input, staging = _staging)
            {
                for (int q = 0; q < panels; q++)
                {
                    int r0 = start + q * _nr, valid = Math.Min(_nr, rows - r0);
                    prepare(model, x.Slice(r0 * inputs, valid * inputs), _staging.AsSpan(0, valid * inputs), r0);
                    GemmPanels.PackRows(input + (nint)q * inputs * _nr, staging, inputs, valid, inputs, _nr);
                }
            }
            RunPanels(model, panels, n, scores.Slice(start * model.Outputs, n * model.Outputs));
        }
    }

    /// <summary>Standardizes and converts whole rows (row numbers in messages start at <c>firstRow</c>).</summary>
    public delegate void Prepare<T>(Mlp model, ReadOnlySpan<T> x, Span<float> destination, int firstRow);

    /// <summary>One prepared row through every layer as matrix–vector products.</summary>
    private void RunRow(Mlp model, ReadOnlySpan<float> x, Span<float> scores)
    {
        ReadOnlySpan<float> current = x;
        float[] next = _a;
        int width = model.Inputs;
        var layers = model.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            switch (layers[i])
            {
                case Dense d:
                {
                    var y = next.AsSpan(0, d.Outputs);
                    GemvRows.Multiply(d.Weight, d.Inputs, d.Inputs, current, d.Bias, y, 0, d.Outputs);
                    current = y;
                    next = next == _a ? _b : _a;
                    width = d.Outputs;
                    break;
                }
                case ActivationLayer a:
                {
                    // The first layer may be an activation on the caller's inputs: never write into those.
                    var own = (next == _a ? _b : _a).AsSpan(0, width);
                    Activation.Forward(a.Kind, current, own);
                    current = own;
                    break;
                }
            }
        }
        current.CopyTo(scores);
    }

    /// <summary>The packed panels of one chunk through every layer; scores unpacked into <paramref name="scores"/>.</summary>
    private void RunPanels(Mlp model, int panels, int rows, Span<float> scores)
    {
        fixed (float* input = _input, pa = _a, pb = _b)
        fixed (float* ps = scores)
        {
            float* current = input, next = pa;
            nint stride = (nint)model.Inputs * _nr;
            int width = model.Inputs;
            var layers = model.Layers;
            for (int i = 0; i < layers.Count; i++)
            {
                switch (layers[i])
                {
                    case Dense d:
                        fixed (float* w = d.Weight, bias = d.Bias)
                        {
                            nint outStride = (nint)GemmPanels.PaddedUnits(_kernel, d.Outputs) * _nr;
                            GemmPanels.Multiply(_kernel, d.Outputs, d.Inputs, w, d.Inputs, bias, current, stride, next, outStride, 0, panels);
                            current = next;
                            next = next == pa ? pb : pa;
                            stride = outStride;
                            width = d.Outputs;
                        }
                        break;
                    case ActivationLayer a:
                    {
                        if (current == input)
                        {
                            // An activation on the inputs themselves: apply it into a layer buffer.
                            var src = new ReadOnlySpan<float>(current, (int)(panels * stride));
                            Activation.Forward(a.Kind, src, new Span<float>(next, src.Length));
                            current = next;
                            next = next == pa ? pb : pa;
                            break;
                        }
                        var all = new Span<float>(current, (int)(panels * stride));
                        Activation.Forward(a.Kind, all, all);
                        break;
                    }
                }
            }
            GemmPanels.UnpackRows(ps, model.Outputs, current, stride, rows, width, _nr);
        }
    }
}
