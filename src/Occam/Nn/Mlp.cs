using Occam.Data;
using Occam.Numerics;
using Occam.Numerics.Activations;
using Occam.Numerics.Conversion;
using Occam.Numerics.Random;

namespace Occam.Nn;

/// <summary>
/// A multilayer perceptron: an ordered list of <see cref="Layer"/>s whose last <see cref="Dense"/> layer emits
/// raw scores (regression values, one binary logit, or K class logits), plus the metadata a model file carries
/// (task, optional input standardizer, class labels, feature names).
/// </summary>
public sealed class Mlp
{
    public Mlp(int inputs, TaskKind task, IReadOnlyList<Layer> layers, Standardizer? standardizer = null,
        IReadOnlyList<string>? classes = null, IReadOnlyList<string>? featureNames = null, string? targetName = null,
        Standardizer? targetStandardizer = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        Numerics.Preconditions.CheckPositive(inputs);
        int width = inputs;
        Dense? last = null;
        foreach (var layer in layers)
        {
            if (layer is Dense d)
            {
                if (d.Inputs != width)
                    throw new ArgumentException($"dense layer expects {d.Inputs} inputs but the previous layer gives {width}.", nameof(layers));
                width = d.Outputs;
                last = d;
            }
        }
        if (last is null) throw new ArgumentException("a model needs at least one dense layer.", nameof(layers));
        if (layers[^1] is not Dense && layers.SkipWhile(l => l != last).Skip(1).Any())
            throw new ArgumentException("the last layer must be dense (it emits raw scores; the loss applies the link).", nameof(layers));
        if (task == TaskKind.Binary && width != 1)
            throw new ArgumentException($"a binary model must end in 1 output (got {width}).", nameof(layers));
        if (task == TaskKind.Multiclass && width < 2)
            throw new ArgumentException($"a multiclass model must end in one output per class (got {width}).", nameof(layers));
        if (classes is not null && task == TaskKind.Multiclass && classes.Count != width)
            throw new ArgumentException($"{classes.Count} class labels for {width} outputs.", nameof(classes));
        if (classes is not null && task == TaskKind.Binary && classes.Count != 2)
            throw new ArgumentException($"a binary model has 2 class labels (got {classes.Count}).", nameof(classes));
        if (standardizer is not null && (standardizer.Mean.Length != inputs || standardizer.Scale.Length != inputs))
            throw new ArgumentException($"the standardizer has {standardizer.Mean.Length} means and {standardizer.Scale.Length} scales for {inputs} inputs.", nameof(standardizer));
        if (featureNames is not null && featureNames.Count != inputs)
            throw new ArgumentException($"{featureNames.Count} feature names for {inputs} inputs.", nameof(featureNames));
        if (targetStandardizer is not null && task != TaskKind.Regression)
            throw new ArgumentException("a target standardizer is for regression models only.", nameof(targetStandardizer));
        if (targetStandardizer is not null && targetStandardizer.Features != width)
            throw new ArgumentException($"the target standardizer has {targetStandardizer.Features} means and scales for {width} outputs.", nameof(targetStandardizer));
        Inputs = inputs;
        Task = task;
        _layers = layers.ToArray();
        Outputs = width;
        Standardizer = standardizer;
        Classes = classes?.ToArray();
        FeatureNames = featureNames?.ToArray();
        TargetName = targetName;
        TargetStandardizer = targetStandardizer;
        DenseLayers = Layers.OfType<Dense>().ToArray();
        _weights = new Parameter[DenseLayers.Count];
        _biases = new Parameter[DenseLayers.Count];
        var parameters = new List<Parameter>(2 * DenseLayers.Count);
        for (int i = 0, k = 0; i < Layers.Count; i++)
        {
            if (Layers[i] is not Dense d) continue;
            var name = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameters.Add(_weights[k] = new Parameter(name + ".weight", ParameterKind.Weight, d.Weight, d, i, k));
            parameters.Add(_biases[k] = new Parameter(name + ".bias", ParameterKind.Bias, d.Bias, d, i, k));
            k++;
        }
        _parameters = parameters.ToArray();
    }

    private readonly Layer[] _layers;
    private readonly Parameter[] _parameters;
    private readonly Parameter[] _weights;
    private readonly Parameter[] _biases;

    public int Inputs { get; }
    public int Outputs { get; }
    public TaskKind Task { get; }
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The dense layers in order (index 0 is the first layer, which sees the inputs).</summary>
    public IReadOnlyList<Dense> DenseLayers { get; }

    /// <summary>Applied to raw inputs before the first layer, when present.</summary>
    public Standardizer? Standardizer { get; }
    public IReadOnlyList<string>? Classes { get; }
    public IReadOnlyList<string>? FeatureNames { get; }
    public string? TargetName { get; }

    /// <summary>
    /// The trainable tensors, in <c>torch.nn.Sequential.state_dict()</c> order: for each dense layer i of
    /// <see cref="Layers"/>, <c>"{i}.weight"</c> then <c>"{i}.bias"</c>. The same objects on every call (optimizer
    /// state is keyed by them); their <see cref="Parameter.Value"/> is the layer's own array.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1024", Justification = "Named after torch.nn.Module.parameters(); a method like Clone.")]
    public IReadOnlyList<Parameter> Parameters() => _parameters;

    /// <summary>The weight parameter of dense layer <paramref name="denseIndex"/>.</summary>
    internal Parameter WeightOf(int denseIndex) => _weights[denseIndex];

    /// <summary>The bias parameter of dense layer <paramref name="denseIndex"/>.</summary>
    internal Parameter BiasOf(int denseIndex) => _biases[denseIndex];

    /// <summary>
    /// Regression only: the network is trained on standardized targets <c>(y − mean)/scale</c> and its raw output is
    /// mapped back by <c>raw·scale + mean</c> (see <see cref="PredictValues"/>); null when targets were used as they are.
    /// </summary>
    public Standardizer? TargetStandardizer { get; }

    /// <summary>Total number of weights and biases.</summary>
    public int ParameterCount => DenseLayers.Sum(d => d.Weight.Length + d.Bias.Length);

    /// <summary>A deep copy with the same metadata.</summary>
    public Mlp Clone() => With(Layers.Select(l => l.Clone()).ToArray(), Standardizer);

    /// <summary>A copy with other layers and/or standardizer and the same task, classes, names and target standardizer.</summary>
    public Mlp With(IReadOnlyList<Layer> layers, Standardizer? standardizer, int? inputs = null, IReadOnlyList<string>? featureNames = null) =>
        new(inputs ?? Inputs, Task, layers, standardizer, Classes, featureNames ?? (inputs is null ? FeatureNames : null), TargetName, TargetStandardizer);

    /// <summary>
    /// Builds a network from <paramref name="spec"/> and initializes it from <paramref name="rng"/>:
    /// He-uniform <c>U(±√(6/fan_in))</c> for layers followed by ReLU, Glorot-uniform
    /// <c>U(±√(6/(fan_in + fan_out)))</c> otherwise (tanh, sigmoid, the output layer); biases start at 0.
    /// References: He et al. 2015; Glorot &amp; Bengio 2010.
    /// </summary>
    public static Mlp Create(MlpSpec spec, Rng rng, Standardizer? standardizer = null,
        IReadOnlyList<string>? classes = null, IReadOnlyList<string>? featureNames = null, string? targetName = null,
        Standardizer? targetStandardizer = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(rng);
        spec.Validate();
        var layers = new List<Layer>();
        int width = spec.Inputs;
        foreach (int h in spec.Hidden)
        {
            var dense = new Dense(width, h);
            double bound = spec.Activation == ActivationKind.Relu ? Math.Sqrt(6.0 / width) : Math.Sqrt(6.0 / (width + h));
            Fill(dense.Weight, bound, rng);
            layers.Add(dense);
            layers.Add(new ActivationLayer(spec.Activation));
            if (spec.Dropout > 0) layers.Add(new Dropout(spec.Dropout));
            width = h;
        }
        var output = new Dense(width, spec.Outputs);
        Fill(output.Weight, Math.Sqrt(6.0 / (width + spec.Outputs)), rng);
        layers.Add(output);
        return new Mlp(spec.Inputs, spec.Task, layers, standardizer, classes, featureNames, targetName, targetStandardizer);
    }

    private static void Fill(float[] weights, double bound, Rng rng) => rng.FillUniform(weights, bound);

    /// <summary>
    /// Sets the probability of every <see cref="Dropout"/> layer to <paramref name="p"/> in place (the layers are
    /// replaced, weights and parameters are untouched), so a running trainer continues with the new rate at its next
    /// step. A network built without dropout layers has none to change: build it with <see cref="WithDropoutLayers"/>.
    /// </summary>
    internal void SetDropout(double p)
    {
        if (!(p >= 0 && p < 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"dropout probability must be in [0, 1) (got {p}).");
        for (int i = 0; i < _layers.Length; i++)
            if (_layers[i] is Dropout) _layers[i] = new Dropout(p);
    }

    /// <summary>
    /// The same network (the same layer objects, so the same weight arrays) with an inert <c>Dropout(0)</c> after
    /// every hidden activation that has no dropout layer yet; dropout with p = 0 is the identity in training and
    /// inference and draws no random numbers, so it computes and trains exactly like this network.
    /// </summary>
    internal Mlp WithDropoutLayers()
    {
        var layers = new List<Layer>(_layers.Length + DenseLayers.Count);
        for (int i = 0; i < _layers.Length; i++)
        {
            layers.Add(_layers[i]);
            bool hiddenEnd = i + 1 < _layers.Length && _layers[i] is not Dropout && _layers[i + 1] is Dense && _layers[i] is not Dense;
            if (hiddenEnd) layers.Add(new Dropout(0));
        }
        return new Mlp(Inputs, Task, layers, Standardizer, Classes, FeatureNames, TargetName, TargetStandardizer);
    }

    /// <summary>A deep copy without the inert <c>Dropout(0)</c> layers (what a model file of this network holds).</summary>
    internal Mlp WithoutInertDropout() =>
        With(_layers.Where(l => l is not Dropout { P: 0 }).Select(l => l.Clone()).ToArray(), Standardizer);

    /// <summary>
    /// What every hidden unit outputs for <paramref name="rows"/> rows of raw inputs, in inference mode: one array per
    /// hidden dense layer, <c>[rows][units]</c>, the values after the layer's activation (what the next layer reads),
    /// followed by the raw scores <c>[rows][Outputs]</c> (as <see cref="PredictScores(ReadOnlySpan{double}, int)"/>).
    /// </summary>
    public IReadOnlyList<float[]> UnitOutputs(ReadOnlySpan<double> x, int rows)
    {
        if (x.Length != rows * Inputs)
            throw new ArgumentException($"expected {rows}×{Inputs} inputs, got {x.Length} values.", nameof(x));
        var input = new float[x.Length];
        PrepareInputs(x, input);
        // The last layer of each block that ends before a dense layer (or the network's end) holds the block's output.
        var ends = new List<(int Layer, int Width)>();
        for (int i = 0, width = Inputs; i < _layers.Length; i++)
        {
            if (_layers[i] is Dense d) width = d.Outputs;
            if (i == _layers.Length - 1 || _layers[i + 1] is Dense) ends.Add((i, width));
        }
        var result = ends.Select(e => new float[rows * e.Width]).ToArray();
        const int chunk = 256;
        var ws = new Workspace(this, Math.Min(Math.Max(rows, 1), chunk));
        for (int start = 0; start < rows; start += chunk)
        {
            int n = Math.Min(chunk, rows - start);
            Backprop.Forward(this, ws, input.AsSpan(start * Inputs, n * Inputs), n, ForwardMode.Inference, null);
            for (int k = 0; k < ends.Count; k++)
                ws.Outputs[ends[k].Layer].AsSpan(0, n * ends[k].Width).CopyTo(result[k].AsSpan(start * ends[k].Width));
        }
        return result;
    }

    /// <summary>
    /// Raw scores for <paramref name="rows"/> rows of raw (unstandardized) inputs, in inference mode:
    /// returns a new array of <c>rows × Outputs</c>. These are the network's outputs: logits for classification,
    /// and for regression with a <see cref="TargetStandardizer"/> values on the standardized scale
    /// (<see cref="PredictValues"/> gives them in the target's units).
    /// </summary>
    public float[] PredictScores(ReadOnlySpan<double> x, int rows)
    {
        CheckRows(x.Length, rows, nameof(x));
        var result = new float[rows * Outputs];
        PredictScores(x, rows, result);
        return result;
    }

    /// <summary>
    /// <see cref="PredictScores(ReadOnlySpan{double}, int)"/> into <paramref name="scores"/> (<c>rows × Outputs</c>):
    /// allocates nothing once the network has run on a batch of its shape. Safe to call from several threads at once
    /// (each concurrent caller beyond the first uses buffers of its own). See docs/algorithms/inference.md.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths of <paramref name="x"/> or <paramref name="scores"/> do not match <paramref name="rows"/>.</exception>
    /// <exception cref="OccamException">An input or an output is not finite in float32 (the message names the row).</exception>
    public void PredictScores(ReadOnlySpan<double> x, int rows, Span<float> scores)
    {
        CheckRows(x.Length, rows, nameof(x));
        CheckScores(scores.Length, rows, nameof(scores));
        Predict(x, rows, scores, s_prepareDouble);
    }

    /// <summary>
    /// <see cref="PredictScores(ReadOnlySpan{double}, int, Span{float})"/> for float32 inputs: the same result as for
    /// the same values given as doubles (standardizing runs in double precision either way); without a
    /// <see cref="Standardizer"/> the inputs are read as they are, with no conversion pass.
    /// </summary>
    public void PredictScores(ReadOnlySpan<float> x, int rows, Span<float> scores)
    {
        CheckRows(x.Length, rows, nameof(x));
        CheckScores(scores.Length, rows, nameof(scores));
        Predict(x, rows, scores, s_prepareSingle);
    }

    private static readonly Inference.Prepare<double> s_prepareDouble = static (m, x, d, row) => m.PrepareInputs(x, d, row);
    private static readonly Inference.Prepare<float> s_prepareSingle = static (m, x, d, row) => m.PrepareInputs(x, d, row);

    private void Predict<T>(ReadOnlySpan<T> x, int rows, Span<float> scores, Inference.Prepare<T> prepare) where T : unmanaged
    {
        // Reused buffers (taken, so that concurrent callers never share them; put back after).
        var buffers = Interlocked.Exchange(ref _inference, null);
        if (buffers is null || !buffers.Fits(this)) buffers = new Inference(this);
        buffers.Run(this, x, rows, scores, prepare);
        Interlocked.Exchange(ref _inference, buffers);
        int bad = NonFinite.IndexOf(scores);
        if (bad >= 0)
            throw new OccamException($"row {bad / Outputs + 1}: the model's output is {scores[bad].ToString(System.Globalization.CultureInfo.InvariantCulture)} (float32 overflow); the row's values are far outside the range the model was trained on. Check the row and the columns' units.");
    }

    private void CheckRows(int length, int rows, string name)
    {
        if (rows < 0 || length != (long)rows * Inputs)
            throw new ArgumentException($"expected {rows}×{Inputs} inputs, got {length} values.", name);
    }

    private void CheckScores(int length, int rows, string name)
    {
        if (length != (long)rows * Outputs)
            throw new ArgumentException($"expected room for {rows}×{Outputs} scores, got {length}.", name);
    }

    /// <summary>The buffers <see cref="PredictScores(ReadOnlySpan{double}, int, Span{float})"/> reuses between calls.</summary>
    private Inference? _inference;

    /// <summary>
    /// A frozen copy of this network for prediction: it computes exactly what <see cref="PredictScores(ReadOnlySpan{float}, int, Span{float})"/>
    /// computes now (the same bits), from a private copy of the weights that later changes to this network do not
    /// reach, plus those weights packed once in the order the batch kernel reads them (what ONNX Runtime does when it
    /// creates a session) and copied once more as stored for the one-to-three-row path, the packed and the row copies
    /// each starting on a 64-byte line (so that their whole-vector loads do not split two lines; for the row
    /// copy, every row when the layer's inputs are a multiple of 16). Memory: three more
    /// copies of the weights (4 bytes per weight each, plus at most 60 bytes per layer and copy; 6.4 MB for
    /// 784-512-256-10's 535 040 weights in all). See docs/algorithms/inference.md.
    /// </summary>
    public MlpPredictor CreatePredictor() => new(Clone());

    /// <summary>
    /// The weights of every dense layer packed for one panel kernel (<see cref="GemmPanels.PackWeights"/>), and (when
    /// made) a copy of each layer's weights as stored, for the one-to-three-row path: each starts on a 64-byte line
    /// (<see cref="PinnedLines"/>) in the pinned array <see cref="Storage"/> keeps alive.
    /// </summary>
    private sealed class PackedLayers(GemmKernel kernel, float[][] storage, nint[] packed, nint[]? rows)
    {
        public GemmKernel Kernel { get; } = kernel;
        public float[][] Storage { get; } = storage;
        /// <summary>Where dense layer l's packed weights start.</summary>
        public nint[] Packed { get; } = packed;
        /// <summary>Where dense layer l's row-major copy starts, or null: the row path reads <see cref="Dense.Weight"/>.</summary>
        public nint[]? Rows { get; } = rows;
    }

    /// <summary>Set once, by <see cref="PackForPrediction"/>, on a predictor's private copy; read by the batch path.</summary>
    private PackedLayers? _packed;

    /// <summary>Where each dense layer's packed weights for <paramref name="kernel"/> start (64-byte lines), or null: the batch path then reads the weights in place.</summary>
    internal nint[]? PackedWeights(GemmKernel kernel) => _packed is { } p && p.Kernel == kernel ? p.Packed : null;

    /// <summary>Where each dense layer's line-aligned copy of <see cref="Dense.Weight"/> starts, or null: the row path then reads <see cref="Dense.Weight"/>.</summary>
    internal nint[]? RowWeights => _packed?.Rows;

    /// <summary>Floats by which the packed weights of new predictors start past a 64-byte line (0; other values only for A/B measurements in Occam.Bench).</summary>
    internal static int TestPackedLineOffset;

    /// <summary>
    /// Floats by which the row path's weight copies of new predictors start past a 64-byte line (0); −1 makes no copy
    /// (the row path reads <see cref="Dense.Weight"/>). Other values only for A/B measurements in Occam.Bench.
    /// </summary>
    internal static int TestRowLineOffset;

    /// <summary>
    /// Packs every dense layer's weights for the default panel kernel, once, and copies them as stored for the row path,
    /// each on a 64-byte line. Only for a network whose weights no one else can reach (<see cref="MlpPredictor"/>'s
    /// copy): nothing here notices a later write to <see cref="Dense.Weight"/>.
    /// </summary>
    internal unsafe void PackForPrediction()
    {
        var kernel = GemmPanels.Resolve(GemmKernel.Auto);
        int count = DenseLayers.Count, packedOffset = TestPackedLineOffset, rowOffset = TestRowLineOffset;
        var storage = new float[2 * count][];
        var packed = new nint[count];
        var rows = rowOffset >= 0 ? new nint[count] : null;
        for (int l = 0; l < count; l++)
        {
            var d = DenseLayers[l];
            float* at = PinnedLines.Allocate(checked((int)GemmPanels.PackedLength(kernel, d.Outputs, d.Inputs)), out storage[l], packedOffset);
            fixed (float* w = d.Weight) GemmPanels.PackWeights(kernel, d.Outputs, d.Inputs, w, d.Inputs, at);
            packed[l] = (nint)at;
            if (rows is null) continue;
            float* copy = PinnedLines.Allocate(d.Weight.Length, out storage[count + l], rowOffset);
            d.Weight.AsSpan().CopyTo(new Span<float>(copy, d.Weight.Length));
            rows[l] = (nint)copy;
        }
        _packed = new PackedLayers(kernel, storage, packed, rows);
    }

    /// <summary>
    /// Regression predictions in the target's units, <c>rows × Outputs</c>: the raw output, mapped back by
    /// <c>raw·scale + mean</c> (in double precision) when the model has a <see cref="TargetStandardizer"/>.
    /// </summary>
    public double[] PredictValues(ReadOnlySpan<double> x, int rows)
    {
        if (Task != TaskKind.Regression)
            throw new InvalidOperationException($"PredictValues is for regression models; this one is {Task}.");
        var scores = PredictScores(x, rows);
        var values = new double[scores.Length];
        for (int i = 0; i < scores.Length; i++) values[i] = scores[i];
        TargetStandardizer?.InverseTransform(values, Outputs);
        return values;
    }

    /// <summary>Standardizes (when the model has a standardizer) and converts raw inputs to float32.</summary>
    /// <exception cref="OccamException">A value is not finite in float32 (before or after standardizing): it names the row and input.</exception>
    public void PrepareInputs(ReadOnlySpan<double> x, Span<float> destination) => _ = PrepareInputs(x, destination, 0);

    /// <summary><see cref="PrepareInputs(ReadOnlySpan{double}, Span{float})"/> for rows numbered from <paramref name="firstRow"/> (in messages).</summary>
    private bool PrepareInputs(ReadOnlySpan<double> x, Span<float> destination, int firstRow)
    {
        StandardizeToSingle.Apply(x, Inputs, Standardizer?.Mean ?? [], Standardizer?.Scale ?? [], destination);
        int bad = NonFinite.IndexOf(destination[..x.Length]);
        if (bad >= 0) ThrowNotFinite(x[bad], bad, firstRow);
        return true;
    }

    /// <summary>
    /// The unsigned-byte version (IDX pixels, <see cref="Dataset.HasBytes"/>): the values the float64 version gives on the
    /// bytes widened to double, without that copy; rows numbered from <paramref name="firstRow"/> in messages.
    /// </summary>
    /// <exception cref="OccamException">A standardized value overflows float32 (a saved standardizer with a tiny scale).</exception>
    internal void PrepareInputs(ReadOnlySpan<byte> x, Span<float> destination, int firstRow)
    {
        StandardizeToSingle.Apply(x, Inputs, Standardizer?.Mean ?? [], Standardizer?.Scale ?? [], destination);
        int bad = NonFinite.IndexOf(destination[..x.Length]);
        if (bad >= 0) ThrowNotFinite(x[bad], bad, firstRow);
    }

    /// <summary>
    /// The float32 version: standardized in double precision like the double inputs; without a standardizer only
    /// checked (false: nothing written, the inference reads <paramref name="x"/> in place).
    /// </summary>
    private bool PrepareInputs(ReadOnlySpan<float> x, Span<float> destination, int firstRow)
    {
        if (Standardizer is null)
        {
            int unscaled = NonFinite.IndexOf(x);
            if (unscaled >= 0) ThrowNotFinite(x[unscaled], unscaled, firstRow);
            return false;
        }
        StandardizeToSingle.Apply(x, Inputs, Standardizer.Mean, Standardizer.Scale, destination);
        int bad = NonFinite.IndexOf(destination[..x.Length]);
        if (bad >= 0) ThrowNotFinite(x[bad], bad, firstRow);
        return true;
    }

    private void ThrowNotFinite(double value, int bad, int firstRow)
    {
        int column = bad % Inputs;
        string name = FeatureNames is { } names ? $"'{names[column]}'" : $"{column + 1}";
        string why = float.IsFinite((float)value)
            ? $"standardized with the model's mean {Standardizer!.Mean[column].ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} and scale {Standardizer.Scale[column].ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} it overflows float32; the value is far outside the range the model was trained on (check the column's unit)"
            : $"it is outside the float32 range (±{float.MaxValue.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}) the network computes in; rescale the column";
        throw new OccamException($"row {firstRow + bad / Inputs + 1}, input {name}: the value {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} cannot be used: {why}.");
    }
}
