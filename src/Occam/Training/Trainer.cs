using Occam.Data;
using Occam.Losses;
using Occam.Nn;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;

namespace Occam.Training;

/// <summary>
/// Mini-batch training of an <see cref="Mlp"/> in place. Each step: forward pass in training mode (dropout on),
/// mean data loss and its gradient, back-propagation, then for every dense layer
/// <c>g ← ∇W + coupled penalty gradients</c> (L2, L1 subgradient) and the optimizer's update with decoupled
/// weight decay and the L1 prox folded in, followed by the group-lasso prox on hidden layers. Biases get only
/// what their layer's <see cref="LayerRegularization"/> asks for.
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
    private readonly float[] _batchX;
    private readonly float[] _batchY;
    private readonly float[] _groupSteps;
    private readonly int _maxBatch;
    private readonly TaskKind _task;

    /// <summary>Prepares buffers and optimizer state for training <paramref name="model"/> on up to <paramref name="trainingRows"/> rows.</summary>
    public Trainer(Mlp model, TrainingOptions options, int trainingRows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Numerics.Preconditions.CheckPositive(trainingRows);
        _model = model;
        _options = options;
        _task = model.Task;
        _regularization = options.Regularization ?? NetworkRegularization.None(model.DenseLayers.Count);
        if (_regularization.Count != model.DenseLayers.Count)
            throw new ArgumentException($"regularization is given for {_regularization.Count} layers but the model has {model.DenseLayers.Count} dense layers.", nameof(options));
        _maxBatch = options.BatchSize == 0 ? trainingRows : Math.Min(options.BatchSize, trainingRows);
        _workspace = new Workspace(model, _maxBatch);
        _batchX = new float[_maxBatch * model.Inputs];
        _batchY = new float[_maxBatch * TargetWidth(model)];
        _groupSteps = new float[model.DenseLayers.Max(d => d.Outputs)];
        _optimizer = options.Optimizer.Create();
        _optimizer.Initialize(model.DenseLayers.SelectMany(d => new[] { d.Weight.Length, d.Bias.Length }).ToArray());
    }

    /// <summary>The optimizer (its step count and state).</summary>
    public Optimizer Optimizer => _optimizer;

    /// <summary>Target values per row: the number of outputs for regression, 1 for classification.</summary>
    public static int TargetWidth(Mlp model) => model.Task == TaskKind.Regression ? model.Outputs : 1;

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/> (and watches <paramref name="validation"/>) with
    /// randomness from <paramref name="rng"/> (shuffling, dropout). The model is updated in place.
    /// </summary>
    public static TrainingResult Fit(Mlp model, TrainingData train, TrainingData? validation, TrainingOptions options, Rng rng,
        IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        return new Trainer(model, options, train.Rows).Run(train, validation, rng, progress, cancellationToken);
    }

    /// <summary>Runs the epochs. See <see cref="Fit"/>.</summary>
    public TrainingResult Run(TrainingData train, TrainingData? validation, Rng rng, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
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
                    throw new OccamException($"training diverged at epoch {epoch}, step {stepInEpoch} (optimizer step {_optimizer.StepCount}): the loss became {loss}; lower the learning rate (now {_optimizer.LearningRate:g4}){DivergenceHint()}.");
                lossSum += (double)loss * rows;
                metricSum += stepMetric;
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
                    throw new OccamException($"training diverged at epoch {epoch}: the validation loss became {eval.Loss}; lower the learning rate (now {_optimizer.LearningRate:g4}).");
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

    /// <summary>What else could have made the loss blow up: unstandardized inputs or regression targets.</summary>
    private string DivergenceHint() =>
        _model.Standardizer is null ? " or standardize the inputs (drop --no-standardize)"
        : _task == TaskKind.Regression && _model.TargetStandardizer is null ? " or standardize the target (drop --no-standardize-target)"
        : "";

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
        var dense = model.DenseLayers;
        for (int k = 0; k < dense.Count; k++)
        {
            var d = dense[k];
            var reg = _regularization[k];
            var gw = ws.WeightGradients[k];
            reg.Weights.AddGradient(d.Weight, gw);
            _optimizer.Step(2 * k, d.Weight, gw, reg.WeightDecay, reg.Weights.ProxL1);
            if (reg.Groups is { Lambda: > 0 } groups && k < dense.Count - 1)
            {
                var steps = _groupSteps.AsSpan(0, d.Outputs);
                for (int j = 0; j < d.Outputs; j++) steps[j] = _optimizer.GroupStepSize(2 * k, j * d.Inputs, d.Inputs);
                groups.Prox(d.Weight, d.Outputs, d.Inputs, steps);
            }
            var gb = ws.BiasGradients[k];
            reg.Bias?.AddGradient(d.Bias, gb);
            _optimizer.Step(2 * k + 1, d.Bias, gb, reg.DecayBias ? reg.WeightDecay : 0, reg.Bias?.ProxL1 ?? 0);
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
        var dense = _model.DenseLayers;
        into ??= dense.SelectMany(d => new[] { new float[d.Weight.Length], new float[d.Bias.Length] }).ToArray();
        for (int k = 0; k < dense.Count; k++)
        {
            dense[k].Weight.CopyTo(into[2 * k], 0);
            dense[k].Bias.CopyTo(into[2 * k + 1], 0);
        }
        return into;
    }

    private void Restore(float[][] snapshot)
    {
        var dense = _model.DenseLayers;
        for (int k = 0; k < dense.Count; k++)
        {
            snapshot[2 * k].CopyTo(dense[k].Weight, 0);
            snapshot[2 * k + 1].CopyTo(dense[k].Bias, 0);
        }
    }
}
