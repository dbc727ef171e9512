using System.Diagnostics;
using System.Runtime.InteropServices;
using Occam.Data;
using Occam.Losses;
using Occam.Nn;
using Occam.Numerics;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;

namespace Occam.Training;

/// <summary>
/// Mini-batch training of an <see cref="Mlp"/> in place. Each step: forward pass in training mode (dropout on),
/// mean data loss and its gradient, back-propagation, then for every parameter of <see cref="Mlp.Parameters"/>
/// (in order): <c>g ← ∇ + coupled penalty gradients</c> (L2, L1 subgradient), the optimizer's update with decoupled
/// weight decay and the L1 prox (folded into the update's pass, or applied after it by
/// <see cref="ElasticNetPenalty.Prox(Parameter, Optimizer, Span{float})"/>: the same numbers; with Adam the coupled L2 is
/// folded into that pass too), then the group-lasso
/// prox on weights of hidden layers. Biases get only what their layer's <see cref="LayerRegularization"/> asks for.
/// The penalties are the <see cref="NetworkRegularization"/> given to the constructor — the only place they are set.
/// <para>
/// After each epoch: history (<see cref="EpochRecord"/>), validation in inference mode, early stopping on the
/// validation loss with the best weights restored at the end. A non-finite loss stops training with an
/// <see cref="OccamException"/> naming the epoch and step. Steady-state steps allocate no managed memory.
/// </para>
/// </summary>
public sealed class Trainer
{
    private readonly Mlp _model;
    private readonly TrainingOptions _options;
    private NetworkRegularization _regularization;
    private readonly Optimizer _optimizer;
    private readonly Workspace _workspace;
    private readonly Parameter[] _parameters;
    private readonly float[] _batchX;
    private readonly float[] _batchY;
    private readonly float[] _groupSteps;
    private readonly Update[] _updates;
    private UpdateRange[] _ranges;
    /// <summary>The thread count <see cref="_ranges"/> was sized for (<see cref="RangeCapacity"/>).</summary>
    private int _rangesThreads;
    private float[]? _proxThresholds;
    private readonly int _maxBatch;
    private readonly TaskKind _task;
    private readonly long _widestLayer;
    /// <summary>Multiply-adds of the forward products per batch row (Σ inputs · outputs over the dense layers).</summary>
    private readonly long _rowWork;
    /// <summary>The split step's state (null when the net does not fit it: <see cref="StepSplit.Fits"/>).</summary>
    private readonly StepSplit? _split;
    /// <summary>Per dense layer: the index of its weight and of its bias in <see cref="_parameters"/> (and in a full update queue).</summary>
    private readonly int[] _weightIndex, _biasIndex;

    /// <summary>
    /// Prepares buffers and optimizer state for training <paramref name="model"/> with the penalties
    /// <paramref name="regularization"/> (one entry per dense layer; null = none) on steps of up to
    /// <paramref name="maxRows"/> rows (with full-batch options: the size of the training set).
    /// </summary>
    public Trainer(Mlp model, TrainingOptions options, NetworkRegularization? regularization, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Numerics.Preconditions.CheckPositive(maxRows);
        _model = model;
        _options = options;
        _task = model.Task;
        _regularization = regularization ?? NetworkRegularization.None(model.DenseLayers.Count);
        if (_regularization.Count != model.DenseLayers.Count)
            throw new ArgumentException($"regularization is given for {_regularization.Count} layers but the model has {model.DenseLayers.Count} dense layers.", nameof(regularization));
        _parameters = [.. model.Parameters()];
        _maxBatch = options.BatchSize == 0 ? maxRows : Math.Min(options.BatchSize, maxRows);
        // Plain loops rather than LINQ's Sum / Max with a selector: in a fresh process each is a generic method to compile.
        long parameters = 0, widestLayer = 0;
        int widestOutput = 0;
        foreach (var d in model.DenseLayers)
        {
            parameters += (long)d.Weight.Length + d.Bias.Length;
            widestLayer = Math.Max(widestLayer, (long)d.Inputs * d.Outputs);
            widestOutput = Math.Max(widestOutput, d.Outputs);
        }
        long floats = Workspace.CheckSize(model, _maxBatch) + (long)_maxBatch * (model.Inputs + TargetWidth(model)) + 3 * parameters;
        SizeLimits.CheckMemory(4.0 * floats, $"training with batches of {_maxBatch} rows", "use fewer hidden units or a smaller batch size");
        _workspace = new Workspace(model, _maxBatch);
        _batchX = new float[_maxBatch * model.Inputs];
        _batchY = new float[_maxBatch * TargetWidth(model)];
        _groupSteps = new float[widestOutput];
        _updates = new Update[_parameters.Length];
        _rangesThreads = Math.Max(Gemm.MaxThreads, 2);
        _ranges = new UpdateRange[RangeCapacity(_rangesThreads)];
        _optimizer = options.Optimizer.Create();
        _optimizer.Initialize(_parameters);
        _widestLayer = widestLayer;
        long rowWork = 0;
        foreach (var d in model.DenseLayers) rowWork += (long)d.Inputs * d.Outputs;
        _rowWork = rowWork;
        if (StepSplit.Fits(model)) _split = new StepSplit(model, _workspace);
        _weightIndex = new int[model.DenseLayers.Count];
        _biasIndex = new int[model.DenseLayers.Count];
        for (int d = 0; d < _weightIndex.Length; d++)
        {
            _weightIndex[d] = Array.IndexOf(_parameters, model.WeightOf(d));
            _biasIndex[d] = Array.IndexOf(_parameters, model.BiasOf(d));
        }
    }

    /// <summary>The optimizer (its step count and its state, keyed by the model's parameters).</summary>
    public Optimizer Optimizer => _optimizer;

    /// <summary>
    /// The penalties this trainer applies. Setting it swaps the penalties of a running trainer: the next step uses the
    /// new ones, from the current weights and optimizer state (nothing is reset) — how the playground changes λ live.
    /// The new value must cover the model's dense layers (one entry each).
    /// </summary>
    public NetworkRegularization Regularization
    {
        get => _regularization;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count != _model.DenseLayers.Count)
                throw new ArgumentException($"regularization is given for {value.Count} layers but the model has {_model.DenseLayers.Count} dense layers.", nameof(value));
            _regularization = value;
        }
    }

    /// <summary>
    /// True (default): the L1 prox runs inside the optimizer's update loop. False: the optimizer steps without it and
    /// <see cref="ElasticNetPenalty.Prox(Parameter, Optimizer, Span{float})"/> applies it after — the same numbers, one
    /// more pass over the weights (tests compare the two).
    /// </summary>
    internal bool FusedProx { get; set; } = true;

    /// <summary>
    /// Stop after this many optimizer steps (0 = no limit, the default): the network λ path takes exactly the first
    /// step of a fit this way to derive λ_max from it (<see cref="Selection.NetworkPath.LambdaMax"/>).
    /// </summary>
    internal long MaxSteps { get; set; }

    /// <summary>Target values per row: the number of outputs for regression, 1 for classification.</summary>
    public static int TargetWidth(Mlp model) => model.Task == TaskKind.Regression ? model.Outputs : 1;

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/> (and watches <paramref name="validation"/>) with
    /// randomness from <paramref name="rng"/> (shuffling, dropout). The model is updated in place.
    /// </summary>
    internal static TrainingResult Fit(Mlp model, TrainingData train, TrainingData? validation, TrainingOptions options,
        NetworkRegularization? regularization, Rng rng, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        return new Trainer(model, options, regularization, train.Rows).Run(train, validation, rng, progress, cancellationToken);
    }

    /// <summary>Runs the epochs. See <see cref="Fit"/>.</summary>
    internal TrainingResult Run(TrainingData train, TrainingData? validation, Rng rng, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
    {
        var loop = Begin(train, validation, rng);
        if (_options.EarlyStoppingPatience > 0 && (validation is null || validation.Rows == 0))
            throw new OccamException("early stopping watches the validation loss: give a validation split (--val-split) or turn early stopping off.");
        var history = new List<EpochRecord>(Math.Min(_options.Epochs, 1024));   // not sized for a huge --epochs up front: early stopping or Ctrl+C may end it long before
        float[][]? best = null;
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0;
        bool stoppedEarly = false;
        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            var record = loop.Next(cancellationToken);
            if (record is null) return new TrainingResult([], 0, MaxSteps, loop.Seconds, 0, true) { Timings = loop.Timings };
            history.Add(record);
            progress?.Report(record);

            if (record.ValidationLoss is double vl && _options.EarlyStoppingPatience > 0)
            {
                if (vl < bestLoss)
                {
                    bestLoss = vl;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    best = Snapshot(best);
                }
                else if (++sinceBest >= _options.EarlyStoppingPatience)
                {
                    stoppedEarly = epoch < _options.Epochs;
                    break;
                }
            }
        }
        if (best is not null && bestEpoch != history.Count) Restore(best);
        else bestEpoch = history.Count;
        return new TrainingResult(history, history.Count, _optimizer.StepCount, loop.Seconds, bestEpoch, stoppedEarly) { Timings = loop.Timings };
    }

    /// <summary>
    /// Checks the data and prepares the epoch loop of <see cref="Run"/>: <paramref name="rng"/> is forked into the
    /// shuffling stream and the dropout stream (in that order), so a loop driven epoch by epoch takes exactly the
    /// steps <see cref="Run"/> takes.
    /// </summary>
    internal EpochLoop Begin(TrainingData train, TrainingData? validation, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(rng);
        CheckShape(train, nameof(train));
        if (validation is not null) CheckShape(validation, nameof(validation));
        Numerics.Preconditions.Check(train.Rows <= _batchX.Length / _model.Inputs || _options.BatchSize > 0,
            "the training set is larger than the full batch this trainer was built for.");
        return new EpochLoop(this, train, validation, rng);
    }

    /// <summary>
    /// One pass over the training rows after another (shuffled from the seeded stream when the options say so), each
    /// followed by validation in inference mode and the sparsity count; <see cref="Run"/> adds history and early stopping.
    /// The penalties are read at every step, so a change of <see cref="Regularization"/> takes effect at the next step.
    /// </summary>
    internal sealed class EpochLoop
    {
        private readonly Trainer _trainer;
        private readonly TrainingData _train;
        private readonly TrainingData? _validation;
        private readonly Rng _shuffleRng;
        private readonly Rng _dropoutRng;
        private readonly int[] _order;
        private readonly double _sst;
        private readonly Evaluator? _evaluator;
        private readonly long _start;
        private readonly int _batch;
        private readonly bool _direct;
        private readonly bool _rowView;
        private readonly bool _gathersInStep;

        internal EpochLoop(Trainer trainer, TrainingData train, TrainingData? validation, Rng rng)
        {
            _trainer = trainer;
            _train = train;
            _validation = validation;
            _shuffleRng = rng.Fork();
            _dropoutRng = rng.Fork();
            _start = trainer._options.Clock.GetTimestamp();
            _order = new int[train.Rows];
            for (int i = 0; i < _order.Length; i++) _order[i] = i;
            _sst = trainer._task == TaskKind.Regression ? Metrics.TotalSumOfSquares(train.Y) : 0;   // only R² needs it
            _evaluator = validation is null ? null : new Evaluator(trainer._model, Math.Min(validation.Rows, 1024));
            _batch = trainer._options.BatchSize == 0 ? train.Rows : trainer._options.BatchSize;
            _direct = trainer._options.BatchSize == 0 && !trainer._options.Shuffle;
            _rowView = !_direct && ReadsBatchRowsInPlace && RowViewPays(trainer._model, Math.Min(_batch, train.Rows));
            _gathersInStep = !_direct && !_rowView && GathersInStep && Backprop.ReadsInputRows(trainer._model);
        }

        /// <summary>Seconds spent inside <see cref="Step(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Rng, out double)"/> so far (the rest of <see cref="Seconds"/> is the loop's own work: shuffling, gathering, per-epoch records).</summary>
        internal double StepSeconds => Ticks(_stepTicks);

        /// <summary>Where the loop's time went so far: batches (shuffle + gather), steps, epoch ends (records, validation).</summary>
        internal LoopTimings Timings => new(Ticks(_batchTicks), Ticks(_stepTicks), Ticks(_epochEndTicks));

        private static double Ticks(long ticks) => (double)ticks / Stopwatch.Frequency;

        private long _stepTicks, _batchTicks, _epochEndTicks;

        /// <summary>Epochs completed.</summary>
        public int Epoch { get; private set; }

        /// <summary>Seconds since the loop began (from the options' clock).</summary>
        public double Seconds => _trainer._options.Clock.GetElapsedTime(_start).TotalSeconds;

        /// <summary>
        /// Runs the next epoch and returns its record; null when the trainer's <see cref="MaxSteps"/> was reached
        /// within the epoch (it stops right after that step).
        /// </summary>
        public EpochRecord? Next(CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var t = _trainer;
            var train = _train;
            int epoch = ++Epoch;
            long batchStart = Stopwatch.GetTimestamp();
            if (t._options.Shuffle) _shuffleRng.Shuffle(_order.AsSpan());
            double lossSum = 0, metricSum = 0;
            int stepInEpoch = 0;
            for (int first = 0; first < train.Rows; first += _batch)
            {
                int rows = Math.Min(_batch, train.Rows - first);
                stepInEpoch++;
                ReadOnlySpan<float> x, y;
                ReadOnlySpan<int> xRows = [];
                bool gatherInStep = false;
                if (_direct)
                {
                    x = train.X;
                    y = train.Y;
                }
                else if (_rowView && !t.SplitsGatheredStep(rows))
                {
                    // The step's first layer reads the batch rows of X through the epoch's order (from the bytes, standardized
                    // as they are packed, when the rows are kept as bytes); only targets are copied.
                    t.GatherTargets(train, _order, first, rows);
                    x = train.Bytes is null ? train.X : [];
                    xRows = _order.AsSpan(first, rows);
                    y = t._batchY;
                }
                else if (_gathersInStep && t._model.Layers[0] is Dense d && Gemm.GathersRowsInProduct(rows, d.Outputs, d.Inputs) && !t.SplitsGatheredStep(rows))
                {
                    // The step's first product gathers the batch rows (standardized from the bytes when the rows are
                    // kept as bytes) into the batch buffer, each of its row items the rows it then reads; only targets
                    // are copied here.
                    t.GatherTargets(train, _order, first, rows);
                    x = train.Bytes is null ? train.X : [];
                    xRows = _order.AsSpan(first, rows);
                    y = t._batchY;
                    gatherInStep = true;
                }
                else
                {
                    t.Gather(train, _order, first, rows);
                    x = t._batchX;
                    y = t._batchY;
                }
                long stepStart = Stopwatch.GetTimestamp();
                _batchTicks += stepStart - batchStart;
                float loss = t.Step(x, xRows, y, rows, _dropoutRng, out double stepMetric,
                    (_rowView || gatherInStep) && train.Bytes is { } bytes ? bytes.Rows : default, gatherInStep);
                batchStart = Stopwatch.GetTimestamp();
                _stepTicks += batchStart - stepStart;
                if (!float.IsFinite(loss))
                    throw Divergence.Error($"epoch {epoch}, step {stepInEpoch} (optimizer step {t._optimizer.StepCount})", loss, t._model, train, t._regularization, t._optimizer.LearningRate);
                lossSum += (double)loss * rows;
                metricSum += stepMetric;
                if (t._optimizer.StepCount == t.MaxSteps) return null;
            }
            long endStart = Stopwatch.GetTimestamp();
            double trainLoss = lossSum / train.Rows;
            double trainMetric = t._task == TaskKind.Regression
                ? Metrics.RSquared(trainLoss * train.Rows * TargetWidth(t._model), _sst)
                : metricSum / train.Rows;
            double? valLoss = null, valMetric = null;
            if (_evaluator is not null && _validation!.Rows > 0)
            {
                var eval = _evaluator.Evaluate(_validation);
                valLoss = eval.Loss;
                valMetric = eval.Metric;
                if (!double.IsFinite(eval.Loss))
                    throw Divergence.Error($"epoch {epoch} (validation)", eval.Loss, t._model, train, t._regularization, t._optimizer.LearningRate);
            }
            var sparsity = SparsityReport.Of(t._model);
            var record = new EpochRecord(epoch, t._optimizer.StepCount, trainLoss, trainMetric, t._regularization.Value(t._model),
                valLoss, valMetric, sparsity.ZeroFraction, sparsity.DeadUnits, Seconds);
            _epochEndTicks += Stopwatch.GetTimestamp() - endStart;
            if (epoch == 1) TrainingWarmup.FirstEpochEnded();   // the warm-up may compile the save now (startup.md, "The first epoch")
            return record;
        }
    }

    /// <summary>
    /// One optimizer step on <paramref name="rows"/> prepared rows; returns the mean data loss (before the update)
    /// and, in <paramref name="metric"/>, the number of correct predictions (classification) or 0.
    /// </summary>
    public float Step(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows, Rng rng, out double metric) =>
        Step(x, [], y, rows, rng, out metric);

    /// <summary>
    /// <see cref="Step(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Rng, out double)"/> on the batch whose row r is row
    /// <c>xRows[r]</c> of the prepared matrix <paramref name="x"/> (<paramref name="xRows"/> empty: <paramref name="x"/> is
    /// the batch; otherwise the model's first layer must be dense, <see cref="Backprop.ReadsInputRows"/>). With
    /// <paramref name="xBytes"/> not empty the rows are read from those bytes, standardized as the first layer packs them
    /// (<paramref name="x"/> empty; <see cref="TrainingData.Bytes"/>). The same numbers as the step on the gathered rows. With
    /// <paramref name="gatherX"/> (and <paramref name="xRows"/> not empty) the first layer's forward product gathers the
    /// batch into the trainer's batch buffer as it reads it (<see cref="GathersInStep"/>) and the backward pass reads that
    /// buffer.
    /// </summary>
    internal float Step(ReadOnlySpan<float> x, ReadOnlySpan<int> xRows, ReadOnlySpan<float> y, int rows, Rng rng, out double metric,
        StandardizedBytes xBytes = default, bool gatherX = false)
    {
        if (_split is not null && xRows.IsEmpty && xBytes.IsEmpty && !gatherX && SplitsStep(rows) && UpdatesQueueAhead())
            return SplitStep(x, y, rows, rng, out metric);
        return UnsplitStep(x, xRows, y, rows, rng, out metric, xBytes, gatherX);
    }

    /// <summary>
    /// The step with its large products and passes split inside (each over the GEMM helpers), everything else on this
    /// thread: what <see cref="Step(ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, int, Rng, out double, StandardizedBytes, bool)"/>
    /// runs when the step is not a <see cref="SplitStep"/>, and the other way of a large net's split-step probe.
    /// </summary>
    private float UnsplitStep(ReadOnlySpan<float> x, ReadOnlySpan<int> xRows, ReadOnlySpan<float> y, int rows, Rng rng, out double metric,
        StandardizedBytes xBytes, bool gatherX)
    {
        var model = _model;
        var ws = _workspace;
        // The step's products will hand work to the GEMM helpers: wake any that fell asleep since the last step (the loop's
        // work between steps, or an epoch's end, can outlast their spin), so that they are spinning when the first product
        // comes instead of paying their wake-up inside it; and again after the loss, which with the output layer's small
        // products runs on this thread alone for about as long as the helpers spin.
        bool wake = WakesHelpers && Gemm.MaxThreads > 1 && rows * _widestLayer >= Gemm.ParallelWork;
        if (wake) GemmThreadPool.Wake(Gemm.MaxThreads);
        Span<float> gathered = gatherX ? _batchX.AsSpan(0, rows * model.Inputs) : default;
        var phases = PhaseTicks;
        if (phases is not null) phases[0] = Stopwatch.GetTimestamp();
        var scores = Backprop.Forward(model, ws, x, xRows, rows, ForwardMode.Training, rng, xBytes, gathered);
        if (phases is not null) phases[1] = Stopwatch.GetTimestamp();
        float loss = Loss(scores, y, rows, out metric);
        if (wake) GemmThreadPool.Wake(Gemm.MaxThreads);
        if (phases is not null) phases[2] = Stopwatch.GetTimestamp();
        if (gatherX) Backprop.Backward(model, ws, gathered, rows);
        else Backprop.Backward(model, ws, x, xRows, rows, false, xBytes);
        if (phases is not null) phases[3] = Stopwatch.GetTimestamp();
        _optimizer.BeginStep();
        int queued = QueueUpdates();
        RunUpdates(queued, rows);
        if (phases is not null) phases[4] = Stopwatch.GetTimestamp();
        // Group lasso after its tensor's update (parameters are independent: the order across tensors changes nothing).
        for (int i = 0; i < queued; i++) _regularization.GroupsOn(_updates[i].Parameter)?.Prox(_updates[i].Parameter, _optimizer, _groupSteps);
        return loss;
    }

    /// <summary>
    /// Null (default), or 5 timestamps the unsplit <see cref="Step(ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, int, Rng, out double, StandardizedBytes, bool)"/>
    /// writes (<see cref="Stopwatch.GetTimestamp"/>): before the forward pass, after it, after the loss, after the backward
    /// pass, after the optimizer's updates — for the bench's <c>steps --phases</c>. Changes no number.
    /// </summary>
    internal static long[]? PhaseTicks { get; set; }

    /// <summary>
    /// The step's loss on <paramref name="scores"/> (the forward pass's output), its gradient written into the workspace's
    /// output gradient (<see cref="Backprop.OutputGradient"/>), and the batch's metric (correct predictions; 0 for regression).
    /// </summary>
    private float Loss(ReadOnlySpan<float> scores, ReadOnlySpan<float> y, int rows, out double metric)
    {
        int outputs = _model.Outputs;
        var dScores = Backprop.OutputGradient(_model, _workspace, rows);
        float loss = TaskLoss.Compute(_task, scores, y, rows, outputs, dScores);
        metric = _task == TaskKind.Regression ? 0 : Metrics.CountCorrect(_task, scores, y, rows, outputs);
        return loss;
    }

    /// <summary>
    /// Queues the step's update of every parameter whose penalty the optimizer's pass applies (into <see cref="_updates"/>,
    /// in parameter order; returns how many) and updates the others here (penalty gradient, step, prox: they need the
    /// gradients). After <see cref="Optimizer.BeginStep"/>.
    /// </summary>
    private int QueueUpdates()
    {
        var parameters = _parameters;
        int queued = 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var reg = _regularization.For(p);
            var penalty = reg.PenaltyOn(p.Kind);
            double decay = reg.WeightDecayOn(p.Kind);
            // Fast path: the coupled L2 folded into the optimizer's pass (same numbers as AddGradient then Step).
            if (FoldsPenalty(penalty))
            {
                _updates[queued++] = new Update(p, _optimizer.Slot(p), decay, penalty.ProxL1, (float)penalty.L2);
                continue;
            }
            penalty?.AddGradient(p.Value, p.Gradient);
            if (penalty is null || FusedProx)
            {
                _updates[queued++] = new Update(p, _optimizer.Slot(p), decay, penalty?.ProxL1 ?? 0, 0f);
                continue;
            }
            _optimizer.Step(p, decay);
            penalty.Prox(p, _optimizer, _proxThresholds ??= new float[parameters.Max(q => q.Length)]);
            _regularization.GroupsOn(p)?.Prox(p, _optimizer, _groupSteps);
        }
        return queued;
    }

    /// <summary>Whether the optimizer's pass applies <paramref name="penalty"/> itself (coupled L2 folded, L1 by prox).</summary>
    private bool FoldsPenalty([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] ElasticNetPenalty? penalty) =>
        FusedProx && penalty is { L2: > 0 } && (penalty.Mode == L1Mode.Prox || penalty.L1 == 0) && _optimizer.FoldsCoupledL2;

    /// <summary>
    /// Whether <see cref="QueueUpdates"/> queues every parameter without reading a gradient (no penalty, or one the
    /// optimizer's pass folds): then the queue can be built before the gradients exist (<see cref="SplitStep"/>).
    /// </summary>
    private bool UpdatesQueueAhead()
    {
        foreach (var p in _parameters)
        {
            var penalty = _regularization.For(p).PenaltyOn(p.Kind);
            if (penalty is not null && !FoldsPenalty(penalty)) return false;
        }
        return true;
    }

    /// <summary>
    /// Below this many forward multiply-adds per step (rows × Σ inputs·outputs) the step runs unsplit, and with no product
    /// of ≥ <see cref="Gemm.ParallelWork"/> multiply-adds on one thread; settable for the bench's A/B (measured in
    /// docs/algorithms/training-loop.md, "Small nets at two threads").
    /// </summary>
    internal static long SplitStepMinimum { get; set; } = 1L << 18;

    /// <summary>
    /// From this many forward multiply-adds per step the other way of the split step's probe (<see cref="SplitChoiceCycle"/>)
    /// is the unsplit step, its large products and passes split inside (the 784-512-256-10 path since session 5), instead
    /// of one part on this thread. Until session 20 such steps always ran unsplit; on AMD Zen 5 the split step was 5–7 %
    /// faster for 784-512-256-10 at batch 256 (docs/algorithms/training-loop.md, "AMD Zen 5 (session 20)"), and on a
    /// host where it is not, the probe keeps the unsplit step. Settable for the bench's A/B.
    /// </summary>
    internal static long SplitStepMaximum { get; set; } = 1L << 23;

    /// <summary>
    /// Split steps per cycle of the choice between the two ways of running them: the first <see cref="SplitProbeSteps"/>
    /// of a cycle run in parts over the threads, the next the other way — as one part on the calling thread, or, from
    /// <see cref="SplitStepMaximum"/> multiply-adds, unsplit (<see cref="UnsplitStep"/>) — each timed, and the rest of
    /// the cycle the way whose best probe was faster. On a shared host whose other cores are taken, or slow, a helper
    /// costs the caller more than it does (posts and wake-ups; a helper spinning on the other vCPU slows the caller's own
    /// work on this host: docs/algorithms/training-loop.md, "Small nets at two threads"). The same bits either way.
    /// Settable for the tests and the bench (0: every split step in parts).
    /// </summary>
    internal static int SplitChoiceCycle { get; set; } = 256;

    /// <summary>Probe steps of each way per <see cref="SplitChoiceCycle"/>.</summary>
    internal const int SplitProbeSteps = 8;

    /// <summary>The split step's position in its choice cycle, the best probe of each way (ticks), and the choice.</summary>
    private int _cycleStep;
    private long _splitBest, _soloBest;
    private bool _soloChosen;

    /// <summary>Steps run as <see cref="SplitStep"/> so far (for the tests).</summary>
    internal long SplitSteps { get; private set; }

    /// <summary>Whether a step of <paramref name="rows"/> rows runs as a <see cref="SplitStep"/> (at <see cref="Gemm.MaxThreads"/> &gt; 1).</summary>
    private bool SplitsStep(int rows) => Gemm.MaxThreads > 1 && rows >= 2 && rows * _rowWork >= SplitStepMinimum;

    /// <summary>
    /// Whether a step of <paramref name="rows"/> gathered rows runs as a <see cref="SplitStep"/> (the net
    /// <see cref="StepSplit.Fits"/>, the optimizer's queue is built ahead): the epoch loop then gathers the batch (each
    /// thread its rows) rather than letting the first layer read the rows in place, which only the unsplit step does.
    /// </summary>
    internal bool SplitsGatheredStep(int rows) => _split is not null && SplitsStep(rows) && UpdatesQueueAhead();

    /// <summary>
    /// The step split by data ownership (<see cref="StepSplit"/>): the forward pass by rows, the loss on this thread, the
    /// row-local backward passes by rows, then each thread's units of every dense layer: their weight and bias gradients
    /// and the update of those rows of W and entries of b (with the prox), on the thread that computed them. Three item
    /// lists; the same numbers as the unsplit step (the optimizer's queue is built first: <see cref="UpdatesQueueAhead"/>).
    /// </summary>
    private unsafe float SplitStep(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows, Rng rng, out double metric)
    {
        var split = _split!;
        // Split in parts, or one part on this thread (no posts, no wake-ups, no helper spinning beside it): the faster of the
        // two in the last probe (SplitChoiceCycle).
        int cycle = SplitChoiceCycle, c = _cycleStep;
        bool probe = cycle > 0 && c < 2 * SplitProbeSteps;
        bool solo = cycle > 0 && (probe ? c >= SplitProbeSteps : _soloChosen);
        _cycleStep = cycle > 0 ? (c + 1) % Math.Max(cycle, 2 * SplitProbeSteps) : 0;
        long started = probe ? Stopwatch.GetTimestamp() : 0;
        if (solo && rows * _rowWork >= SplitStepMaximum)
        {
            // A large net's other way: the unsplit step (one part on this thread would be the one-thread step).
            float unsplit = UnsplitStep(x, [], y, rows, rng, out metric, default, false);
            if (probe) Probed(c, other: true, Stopwatch.GetTimestamp() - started);
            return unsplit;
        }
        SplitSteps++;
        int threads = solo ? 1 : Math.Min(Gemm.MaxThreads, rows);
        if (WakesHelpers && !solo) GemmThreadPool.Wake(threads);
        split.DrawSeeds(rng);
        // The gradient arrays exist before the threads write their ranges (Parameter.Gradient allocates on first use: two
        // threads would each allocate one, and one's writes would be lost).
        foreach (var p in _parameters) _ = p.Gradient;
        float loss;
        fixed (float* px = x)
        {
            split.Input = px;
            split.Rows = rows;
            split.Parts = threads;
            GemmThreadPool.RunObjectItems(&StepSplit.ForwardItem, split, threads, threads);
            loss = Loss(_workspace.Outputs[^1].AsSpan(0, rows * _model.Outputs), y, rows, out metric);
            if (split.HasRowBackward) GemmThreadPool.RunObjectItems(&StepSplit.BackwardItem, split, threads, threads);
            _optimizer.BeginStep();
            int queued = QueueUpdates();
            System.Diagnostics.Debug.Assert(queued == _parameters.Length);
            GemmThreadPool.RunObjectItems(&SplitUpdateItem, this, split.DenseLayerIndex.Length * threads, threads);
            split.Input = null;
        }
        if (probe) Probed(c, solo, Stopwatch.GetTimestamp() - started);
        foreach (var p in _parameters) _regularization.GroupsOn(p)?.Prox(p, _optimizer, _groupSteps);
        return loss;
    }

    /// <summary>Records probe step <paramref name="c"/> of the choice cycle (<see cref="SplitChoiceCycle"/>) and, after the last, the choice.</summary>
    private void Probed(int c, bool other, long ticks)
    {
        if (c % SplitProbeSteps == 0) (other ? ref _soloBest : ref _splitBest) = long.MaxValue;
        ref long best = ref other ? ref _soloBest : ref _splitBest;
        best = Math.Min(best, ticks);
        if (c == 2 * SplitProbeSteps - 1) _soloChosen = _soloBest < _splitBest;
    }

    /// <summary>
    /// Item <c>dense · parts + part</c> of <see cref="SplitStep"/>'s last list: the gradients of the part's units of that
    /// dense layer, then the update of those rows of its weight and entries of its bias (thread t takes part t of every layer).
    /// </summary>
    private static void SplitUpdateItem(int item, object state)
    {
        var t = (Trainer)state;
        var split = t._split!;
        int parts = split.Parts, dense = item / parts, part = item % parts;
        var d = t._model.DenseLayers[dense];
        int u0 = StepSplit.Start(d.Outputs, part, parts), u1 = StepSplit.Start(d.Outputs, part + 1, parts);
        if (u1 <= u0) return;
        split.Gradients(dense, u0, u1);
        var w = t._updates[t._weightIndex[dense]];
        t._optimizer.StepRange(w.Parameter, w.Slot, u0 * d.Inputs, (u1 - u0) * d.Inputs, w.Decay, w.ProxL1, w.L2);
        var b = t._updates[t._biasIndex[dense]];
        t._optimizer.StepRange(b.Parameter, b.Slot, u0, u1 - u0, b.Decay, b.ProxL1, b.L2);
    }

    /// <summary>
    /// True (default): a step whose largest product is threaded (≥ <see cref="Gemm.ParallelWork"/> multiply-adds) wakes the
    /// GEMM helpers (<see cref="GemmThreadPool.Wake"/>) at its start and after the loss. Settable for the bench's A/B;
    /// changes no number.
    /// </summary>
    internal static bool WakesHelpers { get; set; } = true;

    /// <summary>One tensor's optimizer update, as the step queued it: decoupled decay, prox L1 and folded coupled L2.</summary>
    private readonly record struct Update(Parameter Parameter, int Slot, double Decay, double ProxL1, float L2);

    /// <summary>Coordinates of one work item of the parallel update: <c>_updates[Update]</c>, [Start, Start + Length).</summary>
    private readonly record struct UpdateRange(int Update, int Start, int Length);

    /// <summary>Floats of a tensor per work item of the parallel update (64 KiB of each of θ, ∇, m, v).</summary>
    internal const int UpdateChunk = 16384;

    /// <summary>Below this many coordinates in all, the update runs on the calling thread (a hand-off costs more); settable for the bench's A/B.</summary>
    internal static long ParallelUpdateMinimum { get; set; } = 1 << 16;

    /// <summary>
    /// Runs the queued updates <c>_updates[0 … count)</c>. Every update rule is coordinate-wise, so a tensor may be
    /// updated in ranges, in any order, on any thread, with the same numbers (<see cref="Optimizer.StepRange"/>). With
    /// <see cref="Gemm.MaxThreads"/> &gt; 1 and at least <see cref="ParallelUpdateMinimum"/> coordinates, the tensors are
    /// cut into <see cref="UpdateChunk"/>-float ranges and run as items on the GEMM helpers
    /// (<see cref="GemmThreadPool.RunItems"/>: thread t takes items i ≡ t mod threads first, so each thread keeps
    /// updating the same ranges, and their m and v stay in its cache, step after step).
    /// </summary>
    private unsafe void RunUpdates(int count, int batchRows)
    {
        int threads = Gemm.MaxThreads;
        long total = 0;
        for (int i = 0; i < count; i++) total += _updates[i].Parameter.Length;
        if (threads <= 1 || total < ParallelUpdateMinimum)
        {
            for (int i = 0; i < count; i++)
            {
                var u = _updates[i];
                _optimizer.StepRange(u.Parameter, u.Slot, 0, u.Parameter.Length, u.Decay, u.ProxL1, u.L2);
            }
            return;
        }
        if (threads > _rangesThreads)
        {
            _ranges = new UpdateRange[RangeCapacity(threads)];
            _rangesThreads = threads;
        }
        int items = 0;
        for (int i = 0; i < count; i++)
        {
            var p = _updates[i].Parameter;
            if (AlignsUpdates && OwnsRows(p, out int rows, out int width))
            {
                // A large weight in the row blocks of its weight-gradient product, its first block at an item ≡ 0 (mod
                // threads; empty items pad): item i then runs on the thread that computed those rows of ∂W (row item i of the
                // product, owned first by thread i mod threads), and the next forward product's packing of W, owned by the
                // same pieces, reads them there too (GemmDriver.OwnedPackItems).
                while (items % threads != 0) _ranges[items++] = new UpdateRange(i, 0, 0);
                if (AlignsUpdatesToForward && Gemm.SplitsForwardColumns(batchRows, rows, width, threads, out int nr))
                {
                    // The forward product X·Wᵀ splits its columns (W's rows) in items: thread t packs and keeps the
                    // panels of piece t, so item t updates those rows (the weight's gradient was computed in column
                    // pieces of ∂W, half on each core, either way).
                    int panels = (rows + nr - 1) / nr;
                    for (int t = 0; t < threads; t++)
                    {
                        (int p0, int p1) = GemmDriver.PanelPiece(rows, nr, Math.Min(threads, panels), Math.Min(t, panels - 1));
                        int r0 = t < panels ? p0 * nr : rows, r1 = t < panels ? Math.Min(rows, p1 * nr) : rows;
                        _ranges[items++] = new UpdateRange(i, r0 * width, (r1 - r0) * width);
                    }
                    continue;
                }
                int block = Gemm.RowItemRows(rows, threads);
                for (int r = 0; r < rows; r += block)
                    _ranges[items++] = new UpdateRange(i, r * width, Math.Min(block, rows - r) * width);
                continue;
            }
            for (int start = 0, length = p.Length; start < length; start += UpdateChunk)
                _ranges[items++] = new UpdateRange(i, start, Math.Min(UpdateChunk, length - start));
        }
        GemmThreadPool.RunObjectItems(&UpdateItem, this, items, threads);
    }

    /// <summary>
    /// True (default): <see cref="RunUpdates"/> cuts each large weight (≥ <see cref="UpdateChunk"/> floats) into the row
    /// blocks of its weight-gradient product (<see cref="Gemm.RowItemRows"/>) instead of <see cref="UpdateChunk"/>-float
    /// ranges, so that each thread updates the rows of ∂W it computed. The same numbers (every update rule is
    /// coordinate-wise); settable for the bench's A/B.
    /// </summary>
    internal static bool AlignsUpdates { get; set; } = true;

    /// <summary>
    /// True (default): with <see cref="AlignsUpdates"/>, a weight whose forward product splits its columns in items
    /// (<see cref="Gemm.SplitsForwardColumns"/>: W's rows in one contiguous piece per thread) is updated in those pieces
    /// instead of its gradient product's row blocks, so that each thread writes the rows of W its core packs in the
    /// forward pass. The same numbers; settable for the bench's A/B (<c>steps --ab-own forward</c>).
    /// </summary>
    internal static bool AlignsUpdatesToForward { get; set; } = true;

    /// <summary>Whether <paramref name="p"/> is a large weight matrix updated by row blocks: its rows (outputs) and their width.</summary>
    private static bool OwnsRows(Parameter p, out int rows, out int width)
    {
        rows = width = 0;
        if (p.Kind != ParameterKind.Weight || p.Layer is not { } d || p.Length < UpdateChunk) return false;
        rows = d.Outputs;
        width = d.Inputs;
        return true;
    }

    /// <summary>Items <see cref="RunUpdates"/> may need at <paramref name="threads"/> threads: every tensor in chunks, plus each large weight's row blocks and padding.</summary>
    private int RangeCapacity(int threads)
    {
        int capacity = 0;
        foreach (var p in _parameters)
        {
            capacity += (p.Length + UpdateChunk - 1) / UpdateChunk;
            if (!OwnsRows(p, out int rows, out _)) continue;
            int block = Gemm.RowItemRows(rows, threads);
            capacity += threads - 1 + Math.Max((rows + block - 1) / block, threads);
        }
        return capacity;
    }

    /// <summary>Work item <paramref name="item"/> of <see cref="RunUpdates"/> (any thread).</summary>
    private static void UpdateItem(int item, object state)
    {
        var trainer = (Trainer)state;
        var r = trainer._ranges[item];
        if (r.Length == 0) return;
        var u = trainer._updates[r.Update];
        trainer._optimizer.StepRange(u.Parameter, u.Slot, r.Start, r.Length, u.Decay, u.ProxL1, u.L2);
    }

    /// <summary>
    /// True (default): batches of at least <see cref="RowViewMinimum"/> input values are not gathered; the step's first
    /// layer reads their rows from the training matrix through the epoch's order (<see cref="Gemm.MultiplyRows"/>: the
    /// packing of its two products reads them, the same bits). False: every batch is gathered (<see cref="Gather"/>).
    /// Settable for the tests' and the bench's A/B.
    /// </summary>
    internal static bool ReadsBatchRowsInPlace { get; set; } = true;

    /// <summary>
    /// Below this many input values per batch (rows × inputs) batches are gathered: small products take paths that read
    /// their operands in place (<see cref="GemmPath.InPlace"/>, direct loops), faster there than the packed path a row table
    /// needs, and their gather is cheap.
    /// </summary>
    internal const long RowViewMinimum = 1 << 16;

    /// <summary>
    /// True (default): where batches are gathered and the first layer's forward product reads the gathered batch in place
    /// on the packed path (the Vector256 kernel's direct-A path: <see cref="Gemm.GathersRowsInProduct"/>, e.g. MNIST's
    /// 256 × 784 batches on an AVX2 machine), the loop does not gather them before the step: the product does, each of its
    /// row items gathering the rows it reads just before reading them, on its own thread (the rows land in that core's
    /// cache), and the backward pass reads the gathered buffer. The same floats in the same buffer, read by the same
    /// kernels: the same bits. False: the loop gathers them (<see cref="Gather"/>). Settable for the tests' and the
    /// bench's A/B.
    /// </summary>
    internal static bool GathersInStep { get; set; } = true;

    /// <summary>
    /// Whether full batches of <paramref name="rows"/> rows are read in place rather than gathered: at least
    /// <see cref="RowViewMinimum"/> input values, a dense first layer (<see cref="Backprop.ReadsInputRows"/>), and both of
    /// its products — the forward <c>X·Wᵀ</c> (X = op(A)) and the weight gradient <c>∂Yᵀ·X</c> (X = op(B)) — packing X's
    /// rows anyway (<see cref="Gemm.PacksRowsOf"/>). Not on the Vector256 kernel for MNIST's first layer, for example: there
    /// the forward product reads a gathered batch in place, and packing it through the table instead was 3–7 % slower
    /// per epoch (emulated AVX2).
    /// </summary>
    internal static bool RowViewPays(Mlp model, int rows) =>
        Backprop.ReadsInputRows(model) && model.Layers[0] is Dense d && RowViewPays(rows, d.Inputs, d.Outputs);

    /// <summary><see cref="RowViewPays(Mlp, int)"/> for a network whose first layer is dense, with these inputs and outputs.</summary>
    internal static bool RowViewPays(int rows, int inputs, int outputs) =>
        (long)rows * inputs >= RowViewMinimum
        && Gemm.PacksRowsOf(true, false, true, rows, outputs, inputs) && Gemm.PacksRowsOf(false, true, false, outputs, inputs, rows);

    /// <summary>
    /// The targets of batch rows <c>order[first … first + rows)</c> into the batch's target buffer. One target per row
    /// (classification, single-output regression) is a plain indexed copy: a span copy per 4-byte value cost ≈ 10 µs per
    /// batch of 256, most of the loop's own work between two steps.
    /// </summary>
    private void GatherTargets(TrainingData data, int[] order, int first, int rows)
    {
        int w = data.TargetWidth;
        if (w == 1)
        {
            float[] y = data.Y, batch = _batchY;
            var batchOrder = order.AsSpan(first, rows);
            for (int r = 0; r < batchOrder.Length; r++) batch[r] = y[batchOrder[r]];
            return;
        }
        for (int r = 0; r < rows; r++)
            data.Y.AsSpan(order[first + r] * w, w).CopyTo(_batchY.AsSpan(r * w, w));
    }

    /// <summary>Below this many input values per batch the gather runs on the calling thread (a hand-off costs more); settable for the bench's A/B.</summary>
    internal static long ParallelGatherMinimum { get; set; } = 1 << 15;

    private TrainingData? _gatherData;
    private int[] _gatherOrder = [];
    private int _gatherFirst, _gatherRows, _gatherRowsPerItem;

    /// <summary>
    /// Copies the rows <c>order[first … first + rows)</c> of <paramref name="data"/> into the batch buffers, batch row r
    /// from data row <c>order[first + r]</c>. With <see cref="Gemm.MaxThreads"/> &gt; 1 and a large batch the rows are cut
    /// into one contiguous range per thread, run as items on the GEMM helpers (<see cref="GemmThreadPool.RunItems"/>);
    /// the buffers hold the same values either way.
    /// </summary>
    internal unsafe void Gather(TrainingData data, int[] order, int first, int rows)
    {
        int threads = Gemm.MaxThreads;
        if (threads <= 1 || rows < 2 * threads || (long)rows * data.Inputs < ParallelGatherMinimum)
        {
            GatherRows(data, order, first, 0, rows);
            return;
        }
        _gatherData = data;
        _gatherOrder = order;
        _gatherFirst = first;
        _gatherRows = rows;
        _gatherRowsPerItem = (rows + threads - 1) / threads;
        try
        {
            GemmThreadPool.RunObjectItems(&GatherItem, this, (rows + _gatherRowsPerItem - 1) / _gatherRowsPerItem, threads);
        }
        finally
        {
            _gatherData = null;
        }
    }

    /// <summary>Work item <paramref name="item"/> of <see cref="Gather"/> (any thread): batch rows [item·r, (item + 1)·r).</summary>
    private static void GatherItem(int item, object state)
    {
        var t = (Trainer)state;
        int start = item * t._gatherRowsPerItem;
        t.GatherRows(t._gatherData!, t._gatherOrder, t._gatherFirst, start, Math.Min(t._gatherRowsPerItem, t._gatherRows - start));
    }

    /// <summary>
    /// Batch rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) from data rows
    /// <c>order[first + r]</c>: copied from the float32 rows, or standardized from the bytes (<see cref="TrainingData.Bytes"/>,
    /// the same floats).
    /// </summary>
    private void GatherRows(TrainingData data, int[] order, int first, int start, int count)
    {
        int p = data.Inputs, w = data.TargetWidth;
        var bytes = data.Bytes;
        for (int r = start; r < start + count; r++)
        {
            int src = order[first + r];
            if (bytes is not null) bytes.Convert(src, _batchX.AsSpan(r * p, p));
            else data.X.AsSpan(src * p, p).CopyTo(_batchX.AsSpan(r * p, p));
            if (w == 1) _batchY[r] = data.Y[src];
            else data.Y.AsSpan(src * w, w).CopyTo(_batchY.AsSpan(r * w, w));
        }
    }

    private void CheckShape(TrainingData data, string name)
    {
        if (data.Inputs != _model.Inputs)
            throw new OccamException($"the {name} data has {data.Inputs} features but the model expects {_model.Inputs}.");
        if (data.TargetWidth != TargetWidth(_model))
            throw new OccamException($"the {name} data has {data.TargetWidth} target columns but the model needs {TargetWidth(_model)}.");
        if (_task == TaskKind.Multiclass)
            foreach (float c in data.Y)
                if (c < 0 || c >= _model.Outputs || c != MathF.Floor(c))
                    throw new OccamException($"the {name} data has class index {c}, outside 0..{_model.Outputs - 1} for this model's {_model.Outputs} classes.");
        if (_task == TaskKind.Binary)
            foreach (float c in data.Y)
                if (c != 0f && c != 1f)
                    throw new OccamException($"the {name} data has target {c}; a binary model needs 0 or 1.");
    }

    private float[][] Snapshot(float[][]? into)
    {
        var parameters = _parameters;
        into ??= [.. parameters.Select(p => new float[p.Length])];
        for (int i = 0; i < parameters.Length; i++) parameters[i].Value.CopyTo(into[i], 0);
        return into;
    }

    private void Restore(float[][] snapshot)
    {
        var parameters = _parameters;
        for (int i = 0; i < parameters.Length; i++) snapshot[i].CopyTo(parameters[i].Value, 0);
    }
}
