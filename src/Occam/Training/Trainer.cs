using Occam.Data;
using Occam.Losses;
using Occam.Nn;
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
    private readonly NetworkRegularization _regularization;
    private readonly Optimizer _optimizer;
    private readonly Workspace _workspace;
    private readonly Parameter[] _parameters;
    private readonly float[] _batchX;
    private readonly float[] _batchY;
    private readonly float[] _groupSteps;
    private float[]? _proxThresholds;
    private readonly int _maxBatch;
    private readonly TaskKind _task;

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
        long parameters = model.DenseLayers.Sum(d => (long)d.Weight.Length + d.Bias.Length);
        long floats = Workspace.CheckSize(model, _maxBatch) + (long)_maxBatch * (model.Inputs + TargetWidth(model)) + 3 * parameters;
        SizeLimits.CheckMemory(4.0 * floats, $"training with batches of {_maxBatch} rows", "use fewer hidden units or a smaller batch size");
        _workspace = new Workspace(model, _maxBatch);
        _batchX = new float[_maxBatch * model.Inputs];
        _batchY = new float[_maxBatch * TargetWidth(model)];
        _groupSteps = new float[model.DenseLayers.Max(d => d.Outputs)];
        _optimizer = options.Optimizer.Create();
        _optimizer.Initialize(_parameters);
    }

    /// <summary>The optimizer (its step count and its state, keyed by the model's parameters).</summary>
    public Optimizer Optimizer => _optimizer;

    /// <summary>The penalties this trainer applies.</summary>
    public NetworkRegularization Regularization => _regularization;

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
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(rng);
        CheckShape(train, nameof(train));
        if (validation is not null) CheckShape(validation, nameof(validation));
        if (_options.EarlyStoppingPatience > 0 && (validation is null || validation.Rows == 0))
            throw new OccamException("early stopping watches the validation loss: give a validation split (--val-split) or turn early stopping off.");
        Numerics.Preconditions.Check(train.Rows <= _batchX.Length / _model.Inputs || _options.BatchSize > 0,
            "the training set is larger than the full batch this trainer was built for.");

        var shuffleRng = rng.Fork();
        var dropoutRng = rng.Fork();
        var clock = _options.Clock;
        long start = clock.GetTimestamp();
        var history = new List<EpochRecord>(_options.Epochs);
        var order = Enumerable.Range(0, train.Rows).ToArray();
        double sst = Metrics.TotalSumOfSquares(train.Y);
        var evaluator = validation is null ? null : new Evaluator(_model, Math.Min(validation.Rows, 1024));
        float[][]? best = null;
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0;
        bool stoppedEarly = false;
        int batch = _options.BatchSize == 0 ? train.Rows : _options.BatchSize;
        bool direct = _options.BatchSize == 0 && !_options.Shuffle;

        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_options.Shuffle) shuffleRng.Shuffle(order.AsSpan());
            double lossSum = 0, metricSum = 0;
            int stepInEpoch = 0;
            for (int first = 0; first < train.Rows; first += batch)
            {
                int rows = Math.Min(batch, train.Rows - first);
                stepInEpoch++;
                ReadOnlySpan<float> x, y;
                if (direct)
                {
                    x = train.X;
                    y = train.Y;
                }
                else
                {
                    Gather(train, order.AsSpan(first, rows));
                    x = _batchX;
                    y = _batchY;
                }
                float loss = Step(x, y, rows, dropoutRng, out double stepMetric);
                if (!float.IsFinite(loss))
                    throw Divergence.Error($"epoch {epoch}, step {stepInEpoch} (optimizer step {_optimizer.StepCount})", loss, _model, train, _regularization, _optimizer.LearningRate);
                lossSum += (double)loss * rows;
                metricSum += stepMetric;
                if (_optimizer.StepCount == MaxSteps) return new TrainingResult([], 0, MaxSteps, clock.GetElapsedTime(start).TotalSeconds, 0, true);
            }
            double trainLoss = lossSum / train.Rows;
            double trainMetric = _task == TaskKind.Regression
                ? Metrics.RSquared(trainLoss * train.Rows * TargetWidth(_model), sst)
                : metricSum / train.Rows;
            double? valLoss = null, valMetric = null;
            if (evaluator is not null && validation!.Rows > 0)
            {
                var eval = evaluator.Evaluate(validation);
                valLoss = eval.Loss;
                valMetric = eval.Metric;
                if (!double.IsFinite(eval.Loss))
                    throw Divergence.Error($"epoch {epoch} (validation)", eval.Loss, _model, train, _regularization, _optimizer.LearningRate);
            }
            var sparsity = SparsityReport.Of(_model);
            history.Add(new EpochRecord(epoch, _optimizer.StepCount, trainLoss, trainMetric, _regularization.Value(_model),
                valLoss, valMetric, sparsity.ZeroFraction, sparsity.DeadUnits, clock.GetElapsedTime(start).TotalSeconds));
            progress?.Report(history[^1]);

            if (valLoss is double vl && _options.EarlyStoppingPatience > 0)
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
        return new TrainingResult(history, history.Count, _optimizer.StepCount, clock.GetElapsedTime(start).TotalSeconds, bestEpoch, stoppedEarly);
    }

    /// <summary>
    /// One optimizer step on <paramref name="rows"/> prepared rows; returns the mean data loss (before the update)
    /// and, in <paramref name="metric"/>, the number of correct predictions (classification) or 0.
    /// </summary>
    public float Step(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows, Rng rng, out double metric)
    {
        var model = _model;
        var ws = _workspace;
        int outputs = model.Outputs;
        var scores = Backprop.Forward(model, ws, x, rows, ForwardMode.Training, rng);
        var dScores = Backprop.OutputGradient(model, ws, rows);
        float loss = TaskLoss.Compute(_task, scores, y, rows, outputs, dScores);
        metric = _task == TaskKind.Regression ? 0 : Metrics.CountCorrect(_task, scores, y, rows, outputs);
        Backprop.Backward(model, ws, x, rows);
        _optimizer.BeginStep();
        var parameters = _parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var reg = _regularization.For(p);
            var penalty = reg.PenaltyOn(p.Kind);
            double decay = reg.WeightDecayOn(p.Kind);
            // Fast path: the coupled L2 folded into the optimizer's pass (same numbers as AddGradient then Step).
            if (FusedProx && penalty is { L2: > 0 } && (penalty.Mode == L1Mode.Prox || penalty.L1 == 0) && _optimizer.FoldsCoupledL2)
            {
                _optimizer.StepWithCoupledL2(p, decay, penalty.ProxL1, penalty.L2);
                _regularization.GroupsOn(p)?.Prox(p, _optimizer, _groupSteps);
                continue;
            }
            penalty?.AddGradient(p.Value, p.Gradient);
            if (penalty is null || FusedProx)
            {
                _optimizer.Step(p, decay, penalty?.ProxL1 ?? 0);
            }
            else
            {
                _optimizer.Step(p, decay);
                penalty.Prox(p, _optimizer, _proxThresholds ??= new float[parameters.Max(q => q.Length)]);
            }
            _regularization.GroupsOn(p)?.Prox(p, _optimizer, _groupSteps);
        }
        return loss;
    }

    private void Gather(TrainingData data, ReadOnlySpan<int> rows)
    {
        int p = data.Inputs, w = data.TargetWidth;
        for (int r = 0; r < rows.Length; r++)
        {
            int src = rows[r];
            data.X.AsSpan(src * p, p).CopyTo(_batchX.AsSpan(r * p, p));
            data.Y.AsSpan(src * w, w).CopyTo(_batchY.AsSpan(r * w, w));
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
