using System.Numerics.Tensors;
using Occam.Numerics;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;
using Occam.Numerics.Reductions;

namespace Occam.Nn;

/// <summary>
/// Forward and backward passes of an <see cref="Mlp"/> over a batch, using a <see cref="Workspace"/>.
/// Row-major throughout: a batch X is <c>[rows][inputs]</c>; a dense layer computes <c>Y = X·Wᵀ + 1·bᵀ</c>, and
/// back-propagates <c>∂W = ∂Yᵀ·X</c>, <c>∂b = 1ᵀ·∂Y</c>, <c>∂X = ∂Y·W</c>.
/// </summary>
internal static class Backprop
{
    /// <summary>
    /// Runs the network on <paramref name="rows"/> rows of already prepared (standardized, float32) inputs and
    /// returns the raw scores <c>[rows][Outputs]</c>, a view into the workspace. In
    /// <see cref="ForwardMode.Training"/> dropout layers draw masks from <paramref name="rng"/>.
    /// </summary>
    public static ReadOnlySpan<float> Forward(Mlp model, Workspace ws, ReadOnlySpan<float> input, int rows, ForwardMode mode, Rng? rng) =>
        Forward(model, ws, input, [], rows, mode, rng);

    /// <summary>
    /// <see cref="Forward(Mlp, Workspace, ReadOnlySpan{float}, int, ForwardMode, Rng?)"/> on the batch whose row r is row
    /// <c>inputRows[r]</c> of the row-major matrix <paramref name="input"/> (all rows when <paramref name="inputRows"/> is
    /// empty: then <paramref name="input"/> is the batch). The first layer, a dense one (<see cref="ReadsInputRows"/>), reads
    /// the rows through the table (<see cref="Gemm.MultiplyRows"/>): the same bits as on the gathered batch. With
    /// <paramref name="inputBytes"/> not empty the rows are read from those bytes instead (<paramref name="input"/> empty),
    /// standardized as the first product's packing reads them: the same bits as on the float32 rows they stand for. With
    /// <paramref name="gatherInput"/> not empty (and <paramref name="inputRows"/> not empty) the first product also gathers
    /// the batch there as it reads it (<see cref="Gemm.MultiplyRows"/>'s
    /// gatherA: each of its row items gathers the rows it reads, on the thread that reads them) and reads that copy as a
    /// gathered batch; the backward pass then takes <paramref name="gatherInput"/> as its input, without a row table.
    /// </summary>
    public static ReadOnlySpan<float> Forward(Mlp model, Workspace ws, ReadOnlySpan<float> input, ReadOnlySpan<int> inputRows, int rows, ForwardMode mode, Rng? rng,
        StandardizedBytes inputBytes = default, Span<float> gatherInput = default)
    {
        System.Diagnostics.Debug.Assert(gatherInput.IsEmpty || (!inputRows.IsEmpty && gatherInput.Length >= rows * model.Inputs));
        System.Diagnostics.Debug.Assert(rows <= ws.MaxRows);
        System.Diagnostics.Debug.Assert(inputRows.IsEmpty ? input.Length >= rows * model.Inputs && inputBytes.IsEmpty : inputRows.Length == rows && ReadsInputRows(model));
        System.Diagnostics.Debug.Assert(inputBytes.IsEmpty || (input.IsEmpty && inputBytes.Columns == model.Inputs));
        if (mode == ForwardMode.Training && rng is null && HasDropout(model))
            throw new ArgumentNullException(nameof(rng), "training mode with dropout needs a random generator.");
        if (ws.InferenceOnly && mode != ForwardMode.Inference)
            throw new InvalidOperationException("an inference-only workspace cannot run a training-mode forward pass.");
        var layers = model.Layers;
        ReadOnlySpan<float> x = inputRows.IsEmpty ? input[..(rows * model.Inputs)] : input;
        float[]? owned = null;   // the workspace buffer x lies in (inference-only workspaces update it in place)
        float[]? pendingBias = null;   // a dense layer's bias left for the fused ReLU·dropout pass after it
        int width = model.Inputs;
        for (int i = 0; i < layers.Count; i++)
        {
            var y = ws.Outputs[i].AsSpan();
            if (y.IsEmpty)
            {
                // Inference-only workspace: element-wise layers run in place on the dense output before them.
                var current = owned!.AsSpan(0, rows * width);
                if (layers[i] is ActivationLayer ia) Activation.Forward(ia.Kind, current, current);
                continue;
            }
            switch (layers[i])
            {
                case Dense d:
                    y = y[..(rows * d.Outputs)];
                    if (mode == ForwardMode.Training && BiasInFusedPass(layers, i, d))
                    {
                        // Training, a ReLU·dropout pair next, one depth block, whole 32-wide steps per row: Y = X·Wᵀ alone (beta = 0, Y not
                        // read) and the bias is added in the fused pass, h = max(y + b, 0)·mask: the same bits as
                        // fl(acc + b) from bias rows and beta = 1, two passes over Y fewer. Y then holds X·Wᵀ
                        // without the bias (nothing reads it but that pass).
                        Gemm.MultiplyRows(false, true, rows, d.Outputs, d.Inputs, 1f, x, d.Inputs, i == 0 ? inputRows : [], d.Weight, d.Inputs, [], 0f, y, d.Outputs,
                            default, i == 0 ? inputBytes : default, i == 0 ? gatherInput : default);
                        pendingBias = d.Bias;
                    }
                    else
                    {
                        // Y starts as the bias rows and the product is added to them (beta = 1): one pass over Y fewer
                        // than adding the bias afterwards, and the same rounding for ≤ 256 inputs (Y = fma(1, acc, b) =
                        // fl(acc + b)). The packed path writes each block's bias rows inside the item that computes the
                        // block (split over the threads, in the core's cache), the others first, as one pass.
                        if (!BiasInProduct) Numerics.LinearAlgebra.RowBroadcast.Fill(d.Bias, rows, y);
                        Gemm.MultiplyRows(false, true, rows, d.Outputs, d.Inputs, 1f, x, d.Inputs, i == 0 ? inputRows : [], d.Weight, d.Inputs, [], 1f, y, d.Outputs,
                            BiasInProduct ? d.Bias : [], i == 0 ? inputBytes : default, i == 0 ? gatherInput : default);
                    }
                    width = d.Outputs;
                    break;
                case ActivationLayer a when mode == ForwardMode.Training && FusesWithNext(layers, i):
                {
                    // (The dense layer's bias, when it left it,) ReLU and dropout in one pass:
                    // h = max(z (+ b), 0)·mask straight into the dropout layer's output. Neither the ReLU's buffer nor
                    // the mask is written: the fused backward pass needs only h.
                    var dr = (Dropout)layers[++i];
                    int n = rows * width;
                    y = ws.Outputs[i].AsSpan(0, n);
                    ulong seed = rng!.NextUInt64();
                    var bias = pendingBias ?? [];
                    pendingBias = null;
                    if (owned is null || !RowPasses.Forward(ws, owned, bias, ws.Outputs[i], rows, width, seed, DropoutMask.Threshold(dr.P), DropoutMask.Keep(dr.P)))
                        ReluDropout.Forward(x, bias, width, y, seed, 0, DropoutMask.Threshold(dr.P), DropoutMask.Keep(dr.P));
                    break;
                }
                case ActivationLayer a:
                    y = y[..(rows * width)];
                    Activation.Forward(a.Kind, x, y);
                    break;
                case Dropout dr:
                    y = y[..(rows * width)];
                    if (mode == ForwardMode.Training && dr.P > 0)
                    {
                        var mask = ws.Masks[i].AsSpan(0, rows * width);
                        DropoutMask.Fill(mask, dr.P, rng!);
                        TensorPrimitives.Multiply(x, mask, y);
                    }
                    else
                    {
                        x.CopyTo(y);
                    }
                    break;
            }
            x = y;
            owned = ws.Outputs[i];
        }
        return x;
    }

    /// <summary>
    /// Back-propagates ∂loss/∂scores, which the caller has written into <see cref="OutputGradient"/>, through the
    /// network, filling the <see cref="Parameter.Gradient"/> of every parameter of <paramref name="model"/>
    /// (overwritten, not accumulated). Must follow a <see cref="Forward(Mlp, Workspace, ReadOnlySpan{float}, int, ForwardMode, Rng?)"/> on the same batch.
    /// When <paramref name="inputGradient"/> is true, ∂loss/∂input is also computed (for gradient checks).
    /// </summary>
    public static void Backward(Mlp model, Workspace ws, ReadOnlySpan<float> input, int rows, bool inputGradient = false) =>
        Backward(model, ws, input, [], rows, inputGradient);

    /// <summary>
    /// <see cref="Backward(Mlp, Workspace, ReadOnlySpan{float}, int, bool)"/> after a <see cref="Forward(Mlp, Workspace, ReadOnlySpan{float}, ReadOnlySpan{int}, int, ForwardMode, Rng?, StandardizedBytes, Span{float})"/>
    /// on rows of <paramref name="input"/> read through <paramref name="inputRows"/>: the first layer's weight gradient
    /// <c>∂W = ∂Yᵀ·X</c> reads X's rows through the table (the same bits as on the gathered batch), from
    /// <paramref name="inputBytes"/> when the forward pass read them from there.
    /// </summary>
    public static void Backward(Mlp model, Workspace ws, ReadOnlySpan<float> input, ReadOnlySpan<int> inputRows, int rows, bool inputGradient = false,
        StandardizedBytes inputBytes = default)
    {
        System.Diagnostics.Debug.Assert(inputBytes.IsEmpty || (!inputRows.IsEmpty && input.IsEmpty && !inputGradient));
        var layers = model.Layers;
        int dense = model.DenseLayers.Count - 1;
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            ReadOnlySpan<float> x = i == 0 ? input : ws.Outputs[i - 1];
            bool needInputGrad = i > 0 || inputGradient;
            Span<float> dx = i == 0 ? ws.InputGradient : ws.OutputGradients[i - 1];
            ReadOnlySpan<float> dy = ws.OutputGradients[i];
            switch (layers[i])
            {
                case Dense d:
                {
                    int n = rows * d.Outputs;
                    dy = dy[..n];
                    Gemm.MultiplyRows(true, false, d.Outputs, d.Inputs, rows, 1f, dy, d.Outputs, [], x, d.Inputs, i == 0 ? inputRows : [], 0f, model.WeightOf(dense).Gradient, d.Inputs,
                        default, i == 0 ? inputBytes : default);
                    SumOfRows.Compute(dy, rows, d.Outputs, model.BiasOf(dense).Gradient);
                    if (needInputGrad)
                        Gemm.Multiply(false, false, rows, d.Inputs, d.Outputs, 1f, dy, d.Outputs, d.Weight, d.Inputs, 0f, dx, d.Inputs);
                    dense--;
                    break;
                }
                case Dropout fd when FusesWithNext(layers, i - 1):
                {
                    // The fused ReLU·dropout pair (layers i − 1, i): dz = h > 0 ? dh·keep : 0 in one pass, from the
                    // pair's output h (ReluDropout: the same values the unfused passes give, but for the sign of
                    // zero of dropped positive units).
                    i--;
                    if (i > 0 || inputGradient)
                    {
                        int n = rows * WidthOf(model, i);
                        float keep = DropoutMask.Keep(fd.P);
                        Span<float> dz = i == 0 ? ws.InputGradient : ws.OutputGradients[i - 1];
                        if (i == 0 || !RowPasses.Backward(ws, ws.Outputs[i + 1], ws.OutputGradients[i + 1], ws.OutputGradients[i - 1], rows, WidthOf(model, i), keep))
                            ReluDropout.Backward(ws.Outputs[i + 1].AsSpan(0, n), dy[..n], dz[..n], keep);
                    }
                    break;
                }
                case ActivationLayer a:
                    if (needInputGrad)
                    {
                        int n = rows * WidthOf(model, i);
                        Activation.Backward(a.Kind, ws.Outputs[i].AsSpan(0, n), dy[..n], dx[..n]);
                    }
                    break;
                case Dropout dr:
                    if (needInputGrad)
                    {
                        int n = rows * WidthOf(model, i);
                        if (dr.P > 0) TensorPrimitives.Multiply(dy[..n], ws.Masks[i].AsSpan(0, n), dx[..n]);
                        else dy[..n].CopyTo(dx[..n]);
                    }
                    break;
            }
        }
    }

    /// <summary>One thread per product: the row-range passes below run inside one item of a split step (<see cref="StepSplit"/>).</summary>
    private static readonly GemmOptions OneThread = new(Threads: 1);

    /// <summary>
    /// The training-mode <see cref="Forward(Mlp, Workspace, ReadOnlySpan{float}, int, ForwardMode, Rng?)"/> on rows
    /// [<paramref name="r0"/>, <paramref name="r1"/>) of the gathered batch <paramref name="input"/> only, every product on
    /// the calling thread, writing those rows of every layer's buffers; <paramref name="seeds"/>[i] is the dropout seed of
    /// the fused ReLU·dropout pair starting at layer i (<see cref="StepSplit.DrawSeeds"/>: the draws the whole pass makes, in
    /// its order). Row r of every output is the same bits as in the whole pass: a product's row is one chain over its own
    /// input row whatever the path and the row count (gemm.md), the bias is added where the whole pass adds it, and the
    /// mask entries are addressed by their flattened index (offset r0 · width). Only for nets that
    /// <see cref="StepSplit.Fits"/> (no unfused dropout with p &gt; 0: its mask draws from the generator in order).
    /// </summary>
    internal static void ForwardRows(Mlp model, Workspace ws, ReadOnlySpan<float> input, int r0, int r1, ReadOnlySpan<ulong> seeds)
    {
        var layers = model.Layers;
        int n = r1 - r0, width = model.Inputs;
        ReadOnlySpan<float> x = input.Slice(r0 * width, n * width);
        float[]? pendingBias = null;
        for (int i = 0; i < layers.Count; i++)
        {
            Span<float> y;
            switch (layers[i])
            {
                case Dense d:
                    y = ws.Outputs[i].AsSpan(r0 * d.Outputs, n * d.Outputs);
                    if (BiasInFusedPass(layers, i, d))
                    {
                        Gemm.MultiplyRowsWith(OneThread, false, true, n, d.Outputs, d.Inputs, 1f, x, d.Inputs, [], d.Weight, d.Inputs, [], 0f, y, d.Outputs);
                        pendingBias = d.Bias;
                    }
                    else
                    {
                        Gemm.MultiplyRowsWith(OneThread, false, true, n, d.Outputs, d.Inputs, 1f, x, d.Inputs, [], d.Weight, d.Inputs, [], 1f, y, d.Outputs, d.Bias);
                    }
                    width = d.Outputs;
                    break;
                case ActivationLayer when FusesWithNext(layers, i):
                {
                    var dr = (Dropout)layers[i + 1];
                    y = ws.Outputs[i + 1].AsSpan(r0 * width, n * width);
                    ReluDropout.Forward(x, pendingBias ?? [], width, y, seeds[i], (long)r0 * width, DropoutMask.Threshold(dr.P), DropoutMask.Keep(dr.P));
                    pendingBias = null;
                    i++;
                    break;
                }
                case ActivationLayer a:
                    y = ws.Outputs[i].AsSpan(r0 * width, n * width);
                    Activation.Forward(a.Kind, x, y);
                    break;
                default:   // dropout with p = 0 (StepSplit.Fits): the identity
                    y = ws.Outputs[i].AsSpan(r0 * width, n * width);
                    x.CopyTo(y);
                    break;
            }
            x = y;
        }
    }

    /// <summary>
    /// The row-local part of <see cref="Backward(Mlp, Workspace, ReadOnlySpan{float}, int, bool)"/> (no input gradient) on rows
    /// [<paramref name="r0"/>, <paramref name="r1"/>), every product on the calling thread: each dense layer above the first
    /// one's input gradient <c>∂X = ∂Y·W</c> and the element-wise passes, so that every dense layer's output gradient
    /// holds ∂Y on those rows, the same bits as the whole pass (row r of ∂X is one chain over row r of ∂Y). The weight and
    /// bias gradients, sums over all rows, are left to <see cref="WeightGradientUnits"/>. After a
    /// <see cref="ForwardRows"/> on all rows and the loss's ∂scores.
    /// </summary>
    internal static void BackwardRows(Mlp model, Workspace ws, int r0, int r1)
    {
        var layers = model.Layers;
        int n = r1 - r0;
        for (int i = layers.Count - 1; i > 0; i--)
        {
            switch (layers[i])
            {
                case Dense d:
                    Gemm.MultiplyRowsWith(OneThread, false, false, n, d.Inputs, d.Outputs, 1f, ws.OutputGradients[i].AsSpan(r0 * d.Outputs, n * d.Outputs), d.Outputs, [],
                        d.Weight, d.Inputs, [], 0f, ws.OutputGradients[i - 1].AsSpan(r0 * d.Inputs, n * d.Inputs), d.Inputs);
                    break;
                case Dropout fd when FusesWithNext(layers, i - 1):
                {
                    int relu = i - 1, width = WidthOf(model, relu);
                    if (relu > 0)
                        ReluDropout.Backward(ws.Outputs[i].AsSpan(r0 * width, n * width), ws.OutputGradients[i].AsSpan(r0 * width, n * width),
                            ws.OutputGradients[relu - 1].AsSpan(r0 * width, n * width), DropoutMask.Keep(fd.P));
                    i = relu;
                    break;
                }
                case ActivationLayer a:
                {
                    int width = WidthOf(model, i);
                    Activation.Backward(a.Kind, ws.Outputs[i].AsSpan(r0 * width, n * width), ws.OutputGradients[i].AsSpan(r0 * width, n * width),
                        ws.OutputGradients[i - 1].AsSpan(r0 * width, n * width));
                    break;
                }
                default:   // dropout with p = 0
                {
                    int width = WidthOf(model, i);
                    ws.OutputGradients[i].AsSpan(r0 * width, n * width).CopyTo(ws.OutputGradients[i - 1].AsSpan(r0 * width, n * width));
                    break;
                }
            }
        }
    }

    /// <summary>
    /// The weight and bias gradients of units [<paramref name="u0"/>, <paramref name="u1"/>) of dense layer
    /// <paramref name="layer"/> (a layer index) over all <paramref name="rows"/> rows, on the calling thread: rows u0…u1−1 of
    /// <c>∂W = ∂Yᵀ·X</c> (the product of ∂Y's column block, ld = outputs) and entries u0…u1−1 of <c>∂b = 1ᵀ·∂Y</c>
    /// (<see cref="SumOfRows"/> on the column block). Each entry is one chain over the rows, so the same bits as the whole
    /// product and sums of <see cref="Backward(Mlp, Workspace, ReadOnlySpan{float}, int, bool)"/>. After
    /// <see cref="BackwardRows"/> on all rows; <paramref name="input"/> is the gathered batch.
    /// </summary>
    internal static void WeightGradientUnits(Mlp model, Workspace ws, ReadOnlySpan<float> input, int rows, int layer, Parameter weight, Parameter bias, int u0, int u1)
    {
        if (u1 <= u0) return;
        var d = (Dense)model.Layers[layer];
        int units = u1 - u0;
        ReadOnlySpan<float> dy = ws.OutputGradients[layer].AsSpan(u0, rows * d.Outputs - u0);
        ReadOnlySpan<float> x = layer == 0 ? input[..(rows * d.Inputs)] : ws.Outputs[layer - 1].AsSpan(0, rows * d.Inputs);
        Gemm.MultiplyRowsWith(OneThread, true, false, units, d.Inputs, rows, 1f, dy, d.Outputs, [], x, d.Inputs, [], 0f,
            weight.Gradient.AsSpan(u0 * d.Inputs, units * d.Inputs), d.Inputs);
        SumOfRows.Compute(dy, rows, units, d.Outputs, bias.Gradient.AsSpan(u0, units));
    }

    /// <summary>
    /// Whether the training-mode forward pass leaves dense layer <paramref name="i"/>'s bias to the fused ReLU·dropout pass
    /// after it (Y = X·Wᵀ with β = 0, then h = max(y + b, 0)·mask): a ReLU·dropout pair next, one depth block, whole
    /// 32-wide steps per row. Both forward passes decide it with this one test.
    /// </summary>
    private static bool BiasInFusedPass(IReadOnlyList<Layer> layers, int i, Dense d) =>
        Gemm.SingleDepthBlock(d.Inputs) && ReluDropout.AddsBiasFast(d.Outputs) && FusesWithNext(layers, i + 1);

    /// <summary>
    /// True (default): a dense layer's bias rows are given to the product (<see cref="Gemm.MultiplyRows"/>'s bias), which
    /// writes them inside its items; false: written first by one pass on the caller (<c>RowBroadcast.Fill</c>). The same
    /// bits; settable for the bench's A/B.
    /// </summary>
    internal static bool BiasInProduct { get; set; } = true;

    /// <summary>Whether the passes can read the input batch through a row table: the first layer is dense (nothing else reads the input).</summary>
    public static bool ReadsInputRows(Mlp model) => model.Layers.Count > 0 && model.Layers[0] is Dense;

    /// <summary>The buffer the loss writes ∂loss/∂scores into: <c>[rows][Outputs]</c>.</summary>
    public static Span<float> OutputGradient(Mlp model, Workspace ws, int rows) =>
        ws.OutputGradients[model.Layers.Count - 1].AsSpan(0, rows * model.Outputs);

    /// <summary>∂loss/∂input after a <see cref="Backward(Mlp, Workspace, ReadOnlySpan{float}, int, bool)"/> with inputGradient = true.</summary>
    public static ReadOnlySpan<float> InputGradient(Mlp model, Workspace ws, int rows) => ws.InputGradient.AsSpan(0, rows * model.Inputs);

    /// <summary>
    /// Whether layers <paramref name="i"/>, i + 1 are a ReLU then a dropout with p &gt; 0, which training-mode passes run
    /// fused (<see cref="ReluDropout"/>); the forward and backward passes decide it with this one test.
    /// </summary>
    internal static bool FusesWithNext(IReadOnlyList<Layer> layers, int i) =>
        i >= 0 && i + 1 < layers.Count && layers[i] is ActivationLayer { Kind: ActivationKind.Relu } && layers[i + 1] is Dropout { P: > 0 };

    private static bool HasDropout(Mlp model)
    {
        foreach (var l in model.Layers) if (l is Dropout { P: > 0 }) return true;
        return false;
    }

    private static int WidthOf(Mlp model, int layerIndex)
    {
        int width = model.Inputs;
        for (int i = 0; i <= layerIndex; i++) if (model.Layers[i] is Dense d) width = d.Outputs;
        return width;
    }
}
