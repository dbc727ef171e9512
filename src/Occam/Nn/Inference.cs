using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Occam.Numerics;
using Occam.Numerics.Activations;
using Occam.Numerics.LinearAlgebra;

namespace Occam.Nn;

/// <summary>
/// The inference forward pass of an <see cref="Mlp"/> (what <see cref="Mlp.PredictScores(ReadOnlySpan{double}, int, Span{float})"/>
/// runs) and the buffers it reuses between calls. See docs/algorithms/inference.md.
/// <list type="bullet">
/// <item>At most <see cref="GemvMaxRows"/> rows: each row goes through the layers as matrix–vector products on the
/// weights as stored (<see cref="GemvRows"/>); a large layer's output units are split between threads (each thread
/// keeps the same share, so it keeps reading the same part of the weights from its own caches); every second row walks
/// each layer's units from the end (<see cref="RowItem"/>), so that a row starts on the weights the last one read last.</item>
/// <item>More rows: in chunks of <see cref="ChunkRows"/>, items of <see cref="ItemPanels"/> column panels of NR rows;
/// each item standardizes, converts and packs its rows and runs them through every layer as <c>Yᵀ = W·Xᵀ + b</c>
/// (<see cref="GemmPanels"/>), reading the weights in place: nothing is packed or allocated per call, and there is
/// nothing to invalidate when the weights change. Items run on different threads without sharing anything they
/// write (a thread never reads what another wrote in the same call).</item>
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

    /// <summary>Column panels per work item of the batch path (64 rows with the Vector512 kernel).</summary>
    public const int ItemPanels = 2;

    /// <summary>Panels per work item of the current chunk: <see cref="ItemPanels"/>, or the whole chunk on one thread.</summary>
    private int _itemPanels = ItemPanels;

    /// <summary>Multiply-adds of a call (rows × weights) from which the batch path uses several threads.</summary>
    public const long ParallelWork = 1L << 20;

    /// <summary>Weights of a layer from which the row path splits its output units between threads.</summary>
    public const long ParallelLayer = 1L << 16;

    /// <summary>Most threads one call uses.</summary>
    private const int MaxThreads = 64;

    private readonly GemmKernel _kernel;
    private readonly int _nr;
    private readonly int _panels;
    /// <summary>Multiply-adds per row (the weights of every dense layer).</summary>
    private readonly long _weights;

    /// <summary>Per work item (at most ⌈panels/ItemPanels⌉): float32 inputs of the rows being packed (NR rows) or of one row (row path: item 0).</summary>
    private readonly float[][] _staging;
    /// <summary>Where each buffer's data start: its first 64-byte line boundary (the arrays are pinned, so this never moves).</summary>
    private readonly float*[] _stagingAt;
    private readonly float* _inputAt, _aAt, _bAt;
    /// <summary>Per work item: the exception it threw in the current call, if any.</summary>
    private readonly Exception?[] _errors;
    /// <summary>Input panels of a chunk: ⌈ChunkRows/NR⌉ panels of inputs × NR.</summary>
    private readonly float[] _input;
    /// <summary>Layer outputs, alternately: panels of (padded units) × NR, or one row of units (row path).</summary>
    private readonly float[] _a, _b;

    // The call in progress, for the items (pinned by Run for its duration).
    private Mlp? _model;
    private void* _x;
    private float* _scores;
    private int _rows, _chunkStart, _chunkPanels, _layer;
    private float* _rowIn, _rowOut, _rowWeights;
    private Func<Inference, int, int, int, bool>? _prepare;

    /// <summary>Buffers for <paramref name="model"/>'s shape, batch path with kernel <paramref name="kernel"/>.</summary>
    public Inference(Mlp model, GemmKernel kernel = GemmKernel.Auto)
    {
        _kernel = GemmPanels.Resolve(kernel);
        _nr = GemmPanels.Shape(_kernel).NR;
        _panels = (ChunkRows + _nr - 1) / _nr;
        int widest = 1;
        foreach (var d in model.DenseLayers)
        {
            widest = Math.Max(widest, GemmPanels.PaddedUnits(_kernel, d.Outputs));
            _weights += d.Weight.Length;
        }
        // Every item's staging block up front: how many items a call has depends on Gemm.MaxThreads at the time of the
        // call (one item on one thread, ⌈panels/ItemPanels⌉ on several), so allocating them on first use let a call
        // allocate after warm-up calls made under another thread setting.
        _staging = new float[(_panels + ItemPanels - 1) / ItemPanels][];
        _stagingAt = new float*[_staging.Length];
        for (int i = 0; i < _staging.Length; i++) _stagingAt[i] = LineAligned(_nr * model.Inputs, out _staging[i]);
        _errors = new Exception?[Math.Max(2, _staging.Length)];
        _inputAt = LineAligned(_panels * _nr * model.Inputs, out _input);
        _aAt = LineAligned(_panels * _nr * widest, out _a);
        _bAt = LineAligned(_panels * _nr * widest, out _b);
        Inputs = model.Inputs;
        Widest = widest;
    }

    /// <summary>
    /// A pinned buffer of <paramref name="length"/> floats that starts on a 64-byte line (<see cref="PinnedLines"/>): the
    /// tiles load and store whole Vector512 rows of the panels, which would otherwise each split two lines.
    /// </summary>
    private static float* LineAligned(int length, out float[] array) =>
        PinnedLines.Allocate(length, out array, TestLineOffset);   // the offset read once: a bench may change it meanwhile

    /// <summary>Where the panel buffers and each staging block start (for tests: each on a 64-byte line).</summary>
    internal List<nint> BufferStarts()
    {
        var starts = new List<nint> { (nint)_inputAt, (nint)_aAt, (nint)_bAt };
        foreach (float* p in _stagingAt) starts.Add((nint)p);
        return starts;
    }

    /// <summary>Floats by which new buffers start past a 64-byte line (0; other values only for A/B measurements in Occam.Bench).</summary>
    internal static int TestLineOffset;

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
    /// Standardizes and converts whole rows into <c>destination</c> and checks them (row numbers in messages start at
    /// <c>firstRow</c>); returns false, having written nothing, when <c>x</c> is already the network's float32 input
    /// (float rows and no standardizer) and has been checked: the call then reads it in place.
    /// </summary>
    public delegate bool Prepare<T>(Mlp model, ReadOnlySpan<T> x, Span<float> destination, int firstRow);

    /// <summary>
    /// Raw scores of <paramref name="rows"/> rows of raw inputs (double or float, row-major) into
    /// <paramref name="scores"/> (<c>rows × Outputs</c>). Lengths are checked by the caller; <paramref name="prepare"/>
    /// standardizes and converts a block of whole rows, throwing for a value that is not finite in float32.
    /// For float32 rows of a model without a standardizer <paramref name="prepare"/> only checks (see <see cref="Prepare{T}"/>),
    /// so the batch path checks the values as it packs them, in the same loads, and calls <paramref name="prepare"/> only
    /// on a panel with a value that is not finite (to throw its message).
    /// </summary>
    public void Run<T>(Mlp model, ReadOnlySpan<T> x, int rows, Span<float> scores, Prepare<T> prepare) where T : unmanaged
    {
        int threads = Math.Clamp(Gemm.MaxThreads, 1, MaxThreads);
        fixed (T* px = x)
        fixed (float* ps = scores)
        {
            _model = model;
            _x = px;
            _scores = ps;
            _rows = rows;
            _prepare = Prepared<T>.Call(prepare);
            _checkWhilePacking = CheckWhilePacking && typeof(T) == typeof(float) && model.Standardizer is null;
            try
            {
                if (rows <= GemvMaxRows)
                {
                    for (int r = 0; r < rows; r++) RunRow(model, r, threads);
                    return;
                }
                long work = (long)rows * _weights;
                for (int start = 0; start < rows; start += ChunkRows)
                {
                    int n = Math.Min(ChunkRows, rows - start);
                    _chunkStart = start;
                    _chunkPanels = (n + _nr - 1) / _nr;
                    int t = work >= ParallelWork ? threads : 1;
                    // One thread: one item, so that each k block of W is fetched into L2 once per chunk, not once per item.
                    _itemPanels = t == 1 ? _chunkPanels : ItemPanels;
                    int items = (_chunkPanels + _itemPanels - 1) / _itemPanels;
                    _layer = -1;
                    RunItems(items, t);
                }
            }
            finally
            {
                _model = null;
                _x = null;
                _scores = null;
                _prepare = null;
            }
        }
    }

    /// <summary>The typed prepare call behind an untyped one (one cached delegate per element type and prepare).</summary>
    private static class Prepared<T> where T : unmanaged
    {
        private sealed record Entry(Prepare<T> Prepare, Func<Inference, int, int, int, bool> Call);

        private static Entry? s_last;

        public static Func<Inference, int, int, int, bool> Call(Prepare<T> prepare)
        {
            if (Volatile.Read(ref s_last) is { } last && ReferenceEquals(last.Prepare, prepare)) return last.Call;
            var entry = Create(prepare);
            Volatile.Write(ref s_last, entry);
            return entry.Call;
        }

        // A method of its own: the closure it allocates would otherwise be allocated on every call of Call.
        private static Entry Create(Prepare<T> prepare) => new(prepare, (self, firstRow, count, item) =>
        {
            var model = self._model!;
            var source = new ReadOnlySpan<T>((T*)self._x + (nint)firstRow * model.Inputs, count * model.Inputs);
            return prepare(model, source, self.Staging(item, count * model.Inputs), firstRow);
        });
    }

    private Span<float> Staging(int item, int length)
    {
        Debug.Assert(item < _staging.Length && length <= _staging[item].Length - PinnedLines.SpareFloats);
        return new Span<float>(_stagingAt[item], length);
    }

    /// <summary>
    /// Runs items 0..items−1 of the current call on up to <paramref name="threads"/> threads (the GEMM's pool,
    /// <see cref="GemmThreadPool.RunItems"/>: item i goes first to thread i mod threads). Every item runs to its end; an
    /// exception is kept per item and the lowest item's is rethrown here, so the error names the first bad row
    /// whatever thread met it.
    /// </summary>
    private void RunItems(int items, int threads)
    {
        Array.Clear(_errors, 0, items);
        GemmThreadPool.RunObjectItems(&Item, this, items, threads);
        for (int i = 0; i < items; i++)
            if (_errors[i] is { } error)
            {
                Array.Clear(_errors, 0, items);
                ExceptionDispatchInfo.Throw(error);
            }
    }

    private static void Item(int item, object state)
    {
        var self = (Inference)state;
        try
        {
            if (self._layer < 0) self.RunPanels(item);
            else self.RowItem(item);
        }
        catch (Exception e)
        {
            self._errors[item] = e;
        }
    }

    /// <summary>One prepared row through every layer as matrix–vector products, large layers split between threads.</summary>
    private void RunRow(Mlp model, int r, int threads)
    {
        int inputs = model.Inputs;
        _rowBackward = AlternateRowOrder && !_rowBackward;
        bool copied = _prepare!(this, r, 1, 0);
        var layers = model.Layers;   // indexed, not foreach: an interface enumerator would allocate
        float* row = (float*)_x + (nint)r * inputs;
        if (!copied && layers[0] is not Dense)   // an activation would run in place on the caller's row
        {
            new ReadOnlySpan<float>(row, inputs).CopyTo(new Span<float>(_stagingAt[0], inputs));
            copied = true;
        }
        float* staging = _stagingAt[0], pa = _aAt, pb = _bAt;
        var rowWeights = model.RowWeights;   // a predictor's line-aligned copies, else null: Dense.Weight
        {
            float* current = copied ? staging : row, next = pa;
            int width = inputs, dense = 0;
            for (int i = 0; i < layers.Count; i++)
            {
                switch (layers[i])
                {
                    case Dense d:
                    {
                        _layer = i;
                        _rowIn = current;
                        _rowOut = next;
                        _rowWeights = rowWeights is null ? null : (float*)rowWeights[dense];
                        dense++;
                        bool split = threads > 1 && (long)d.Outputs * d.Inputs >= ParallelLayer && d.Outputs >= 16;
                        if (split) RunItems(2, threads);
                        else RowItem(-1);
                        current = next;
                        next = next == pa ? pb : pa;
                        width = d.Outputs;
                        break;
                    }
                    case ActivationLayer a:
                    {
                        // In place (the inputs too: they are this call's own copy, see above).
                        var all = new Span<float>(current, width);
                        Activation.Forward(a.Kind, all, all);
                        break;
                    }
                }
            }
            new ReadOnlySpan<float>(current, width).CopyTo(new Span<float>(_scores + (nint)r * width, width));
        }
        _layer = -1;
    }

    /// <summary>
    /// Output units of the current row layer: item 0 or 1 of a split (halves on multiples of 8), −1 for all. Every second
    /// row (<see cref="_rowBackward"/>) walks them from the end, in blocks of <see cref="RowBlock"/> units: a call then
    /// starts on the weights the previous one read last, which are still in cache when the network's weights are a
    /// little larger than the cache (784-512-256-10: 2.14 MB against a 2 MiB L2), where the same order every time
    /// evicts each line just before it is needed again. Each unit is its own dot product, so the order changes no value.
    /// </summary>
    private void RowItem(int item)
    {
        var d = (Dense)_model!.Layers[_layer];
        int half = (d.Outputs / 2 + 7) / 8 * 8;
        int start = item == 1 ? half : 0, end = item == 0 ? half : d.Outputs;
        var x = new ReadOnlySpan<float>(_rowIn, d.Inputs);
        var y = new Span<float>(_rowOut, d.Outputs);
        var w = _rowWeights is null ? d.Weight : new ReadOnlySpan<float>(_rowWeights, d.Weight.Length);
        if (!_rowBackward)
        {
            GemvRows.Multiply(w, d.Inputs, d.Inputs, x, d.Bias, y, start, end);
            return;
        }
        for (int hi = end; hi > start; hi -= RowBlock)
            GemvRows.Multiply(w, d.Inputs, d.Inputs, x, d.Bias, y, Math.Max(start, hi - RowBlock), hi);
    }

    /// <summary>Output units per block when the row path walks a layer backward (a multiple of 8, GemvRows' pass).</summary>
    public const int RowBlock = 64;

    /// <summary>Whether every second row walks the layers backward (on; off only for A/B measurements in Occam.Bench).</summary>
    internal static bool AlternateRowOrder = true;

    /// <summary>Whether the current call's float32 rows are checked by the packing itself (see <see cref="Run{T}"/>).</summary>
    private bool _checkWhilePacking;

    /// <summary>Whether float32 rows may be checked while packed (on; off only for A/B measurements in Occam.Bench).</summary>
    internal static bool CheckWhilePacking = true;

    /// <summary>Whether the current row walks each layer's units from the end (every second row of this instance).</summary>
    private bool _rowBackward;

    /// <summary>Item <paramref name="item"/> of the chunk: its panels prepared, packed, through every layer, unpacked.</summary>
    private void RunPanels(int item)
    {
        var model = _model!;
        int inputs = model.Inputs;
        int q0 = item * _itemPanels, q1 = Math.Min(_chunkPanels, q0 + _itemPanels);
        float* input = _inputAt, pa = _aAt, pb = _bAt;
        {
            for (int q = q0; q < q1; q++)
            {
                int r0 = _chunkStart + q * _nr, valid = Math.Min(_nr, _rows - r0);
                if (_checkWhilePacking)
                {
                    if (!GemmPanels.PackRowsChecked(input + (nint)q * inputs * _nr, (float*)_x + (nint)r0 * inputs, inputs, valid, inputs, _nr))
                        _prepare!(this, r0, valid, item);   // throws: the message names the row and the input
                    continue;
                }
                bool copied = _prepare!(this, r0, valid, item);
                float* rowsIn = copied ? _stagingAt[item] : (float*)_x + (nint)r0 * inputs;
                GemmPanels.PackRows(input + (nint)q * inputs * _nr, rowsIn, inputs, valid, inputs, _nr);
            }
            // Panel q of a layer buffer always starts at q·(Widest·NR), whatever the layer's width: an item's panels
            // are the same memory in every layer, so an item that is a layer ahead never writes into another item's
            // panels (with a per-layer stride, its narrower output panels would land on another item's wider ones).
            float* current = input, next = pa;
            nint stride = (nint)inputs * _nr, layerStride = (nint)Widest * _nr, used = stride;
            int width = inputs, dense = 0;
            var layers = model.Layers;
            var packed = model.PackedWeights(_kernel);
            for (int i = 0; i < layers.Count; i++)
            {
                switch (layers[i])
                {
                    case Dense d:
                        // The weights packed in the tiles' order (a predictor's frozen copy), else read in place.
                        fixed (float* w = d.Weight, bias = d.Bias)
                        {
                            float* pk = packed is null ? null : (float*)packed[dense];
                            // A ReLU right after the layer is applied in the tiles' last store (the same bits, no pass).
                            bool relu = i + 1 < layers.Count && layers[i + 1] is ActivationLayer { Kind: ActivationKind.Relu };
                            GemmPanels.Multiply(_kernel, d.Outputs, d.Inputs, w, d.Inputs, bias, current, stride, next, layerStride, q0, q1, relu, pk);
                            dense++;
                            if (relu) i++;
                            current = next;
                            next = next == pa ? pb : pa;
                            stride = layerStride;
                            used = (nint)GemmPanels.PaddedUnits(_kernel, d.Outputs) * _nr;
                            width = d.Outputs;
                        }
                        break;
                    case ActivationLayer a:
                        // In place on this item's panels (the input panels too: they are this call's own copy).
                        for (int q = q0; q < q1; q++)
                        {
                            var panel = new Span<float>(current + q * stride, (int)used);
                            Activation.Forward(a.Kind, panel, panel);
                        }
                        break;
                }
            }
            int r = _chunkStart + q0 * _nr, rows = Math.Min(_rows - r, (q1 - q0) * _nr);
            GemmPanels.UnpackRows(_scores + (nint)r * width, width, current + q0 * stride, stride, rows, width, _nr);
        }
    }
}
