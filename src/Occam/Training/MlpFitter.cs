using System.Diagnostics;
using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;
using Occam.Regularization;
using Occam.Selection;

namespace Occam.Training;

/// <summary>What <see cref="MlpFitter.Fit"/> does, end to end (split, standardize, build or load, train).</summary>
public sealed record FitSettings
{
    /// <summary>Hidden layer sizes (ignored when <see cref="Init"/> is given).</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [64];

    public ActivationKind Activation { get; init; } = ActivationKind.Relu;

    /// <summary>Dropout probability after each hidden activation (ignored when <see cref="Init"/> is given).</summary>
    public double Dropout { get; init; }

    /// <summary>Start from this model (its architecture, weights and standardizer) instead of a fresh one.</summary>
    public Mlp? Init { get; init; }

    public TrainingOptions Training { get; init; } = new();

    /// <summary>
    /// The penalties — the only place they are set for a fit. One entry applies to every dense layer; otherwise one
    /// entry per dense layer (first to last), see <see cref="MlpFitter.Expand"/>. Empty = no regularization.
    /// </summary>
    public IReadOnlyList<LayerRegularization> Regularization { get; init; } = [];

    /// <summary>Fraction of rows held out for validation (0 = none). Shuffled split unless training is unshuffled (then the last rows).</summary>
    public double ValidationSplit { get; init; }

    /// <summary>Fit a standardizer on the training rows and store it in the model (ignored with <see cref="Init"/>: the model's own is kept).</summary>
    public bool Standardize { get; init; } = true;

    /// <summary>
    /// Regression: train on standardized targets <c>(y − mean)/sd</c> (mean and population sd of the training rows),
    /// stored in the model and undone at prediction, so that a target around 1e9 trains as well as one around 1.
    /// Ignored for classification and with <see cref="Init"/> (the model's own is kept).
    /// </summary>
    public bool StandardizeTarget { get; init; } = true;

    /// <summary>Seed of every random choice: split, initialization, shuffling, dropout.</summary>
    public ulong Seed { get; init; }

    public void Validate()
    {
        Training.Validate();
        if (!(ValidationSplit >= 0 && ValidationSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationSplit), ValidationSplit, $"the validation split must be in [0, 1) (got {ValidationSplit}).");
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, $"dropout probability must be in [0, 1) (got {Dropout}).");
    }
}

/// <summary>A trained model, its history and how the rows were used.</summary>
public sealed record FitOutcome(Mlp Model, TrainingResult Result, int TrainRows, int ValidationRows)
{
    /// <summary>Where the time of <see cref="MlpFitter.Fit"/> went.</summary>
    public FitTimings Timings { get; init; } = FitTimings.None;
}

/// <summary>
/// Where the wall time of <see cref="MlpFitter.Fit"/> went (monotonic clock). <see cref="DataSeconds"/>: the input
/// pipeline before training — validation split, standardizer fit, the rows standardized into float32 and the labels
/// mapped (<see cref="MlpFitter.Prepare"/> but for the network). <see cref="ModelSeconds"/>: the network built and
/// initialized (or cloned from the init model) and the trainer's buffers and optimizer state allocated.
/// <see cref="Loop"/>: the epochs (<see cref="TrainingResult.Timings"/>).
/// </summary>
public sealed record FitTimings(double DataSeconds, double ModelSeconds, LoopTimings Loop)
{
    /// <summary>Nothing timed.</summary>
    public static FitTimings None { get; } = new(0, 0, LoopTimings.None);
}

/// <summary>A training job ready to run (see <see cref="MlpFitter.Prepare"/>): the network is not trained yet.</summary>
/// <param name="Model">The network to train (fresh, or a clone of the init model).</param>
/// <param name="Rows">Which rows of the data train and which are held out.</param>
/// <param name="Train">The training rows prepared for the network.</param>
/// <param name="Validation">The held-out rows prepared for the network, or null.</param>
/// <param name="Regularization">The penalties, one entry per dense layer.</param>
/// <param name="TrainRng">The training stream (shuffling, dropout).</param>
/// <param name="TrainSet">The training rows as given (raw), in <c>Rows.Train</c> order.</param>
/// <param name="ValidationSet">The held-out rows as given, or null.</param>
/// <param name="ModelSeconds">Seconds spent building the network (the rest of <see cref="MlpFitter.Prepare"/> is data work).</param>
internal sealed record PreparedFit(Mlp Model, RowSplit Rows, TrainingData Train, TrainingData? Validation, NetworkRegularization Regularization, Rng TrainRng,
    Dataset TrainSet, Dataset? ValidationSet, double ModelSeconds = 0);

/// <summary>
/// The whole training job over a <see cref="Dataset"/>: split off validation rows (seeded), fit the standardizer on
/// the training rows only, build a network (or take <see cref="FitSettings.Init"/>), train it, and return it with
/// its history. Every random stream is derived from <see cref="FitSettings.Seed"/>, so the same settings and data
/// give bit-identical models on the same machine.
/// </summary>
public static class MlpFitter
{
    public static FitOutcome Fit(Dataset data, FitSettings settings, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        long t0 = Stopwatch.GetTimestamp();
        var job = Prepare(data, settings);
        TrainingWarmup.DataPrepared();
        long t1 = Stopwatch.GetTimestamp();
        var trainer = new Trainer(job.Model, settings.Training, job.Regularization, job.Train.Rows);
        long t2 = Stopwatch.GetTimestamp();
        var result = trainer.Run(job.Train, job.Validation, job.TrainRng, progress, cancellationToken);
        double prepare = Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
        var timings = new FitTimings(prepare - job.ModelSeconds, job.ModelSeconds + Stopwatch.GetElapsedTime(t1, t2).TotalSeconds, result.Timings);
        return new FitOutcome(job.Model, result, job.Rows.Train.Length, job.Rows.Validation.Length) { Timings = timings };
    }

    /// <summary>
    /// Everything <see cref="Fit"/> does before training: the seeded split, the standardizers, the network (fresh or a
    /// clone of <see cref="FitSettings.Init"/>), the prepared rows and the training random stream — so that a caller
    /// (the network λ path's first step, <see cref="SteppedFit"/>) sees exactly what training would see.
    /// <paramref name="dropoutLayers"/> puts an inert <c>Dropout(0)</c> after every hidden activation that has none
    /// (see <see cref="Mlp.WithDropoutLayers"/>), so that the dropout rate can be changed later; it changes no number.
    /// </summary>
    internal static PreparedFit Prepare(Dataset data, FitSettings settings, bool dropoutLayers = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (data.Rows == 0) throw new OccamException("the data has no rows; nothing to train on.");
        if (settings.Init is { FeatureNames: { } names }) data = data.SelectFeatures(names);
        var rng = new Rng(settings.Seed);
        var splitRng = rng.Fork();
        var initRng = rng.Fork();
        var trainRng = rng.Fork();

        var rows = Holdout.Split(data.Rows, settings.ValidationSplit, settings.Training.Shuffle, splitRng);
        // Every row trains, in file order (no validation split): the data itself, not a copy of it.
        var trainSet = rows.Validation.Length == 0 && IsIdentity(rows.Train) ? data : data.Subset(rows.Train);
        var valSet = rows.Validation.Length > 0 ? data.Subset(rows.Validation) : null;

        long modelStart = Stopwatch.GetTimestamp();
        Mlp model;
        if (settings.Init is { } init)
        {
            CheckCompatible(init, data, forInit: true);
            model = init.Clone();
        }
        else
        {
            var spec = SpecFor(data, settings);
            int batch = settings.Training.BatchSize;
            spec.CheckSize(batch == 0 ? rows.Train.Length : Math.Min(batch, rows.Train.Length));
            // The shapes are known: the warm-up compiles the products while the standardizer is fitted and the weights drawn.
            TrainingWarmup.NetworkKnown(spec, rows.Train.Length, batch, trainSet.HasBytes);
            long fitStart = Stopwatch.GetTimestamp();
            var standardizer = settings.Standardize ? Standardizer.Fit(trainSet) : null;
            var targetStandardizer = settings.StandardizeTarget && data.Task == TaskKind.Regression ? Standardizer.Fit(trainSet.Y, 1) : null;
            modelStart += Stopwatch.GetTimestamp() - fitStart;   // the standardizer fit is data work, not the network's
            model = Mlp.Create(spec, initRng, standardizer, data.Classes, data.FeatureNames, data.TargetName, targetStandardizer);
        }

        if (dropoutLayers) model = model.WithDropoutLayers();
        TrainingWarmup.ModelBuilt(model, rows.Train.Length, settings.Training.BatchSize, trainSet.HasBytes);
        double modelSeconds = Stopwatch.GetElapsedTime(modelStart).TotalSeconds;

        var regularization = Expand(settings.Regularization, model.DenseLayers.Count);
        var train = TrainingData.From(model, trainSet, keepBytes: true);
        var validation = valSet is null ? null : TrainingData.From(model, valSet);
        return new PreparedFit(model, rows, train, validation, regularization, trainRng, trainSet, valSet, modelSeconds);
    }

    /// <summary>The network a fresh fit builds for <paramref name="data"/> (without <see cref="FitSettings.Init"/>).</summary>
    internal static MlpSpec SpecFor(Dataset data, FitSettings settings) =>
        new(data.Features, settings.Hidden, OutputsFor(data), data.Task, settings.Activation, settings.Dropout);

    /// <summary>Outputs of a network for <paramref name="data"/>'s task: one for regression and binary, one per class otherwise.</summary>
    internal static int OutputsFor(Dataset data) => data.Task switch
    {
        TaskKind.Regression => 1,
        TaskKind.Binary => 1,
        _ => data.ClassCount,
    };

    private static bool IsIdentity(ReadOnlySpan<int> order)
    {
        for (int i = 0; i < order.Length; i++)
            if (order[i] != i) return false;
        return true;
    }

    /// <summary>Spreads a one-entry list over all layers, or checks a per-layer list.</summary>
    public static NetworkRegularization Expand(IReadOnlyList<LayerRegularization> perLayer, int denseLayers) =>
        NetworkRegularization.Broadcast(perLayer, denseLayers, "the per-layer regularization");

    /// <summary>Checks that a model can be evaluated on <paramref name="data"/>.</summary>
    public static void CheckCompatible(Mlp model, Dataset data) => CheckCompatible(model, data, forInit: false);

    /// <summary>
    /// Checks that a model can be trained further (<paramref name="forInit"/>: it is the <c>--init</c> model) or evaluated
    /// on <paramref name="data"/>; the suggested fix is the one that works for that use.
    /// </summary>
    internal static void CheckCompatible(Mlp model, Dataset data, bool forInit)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        string which = forInit ? "the --init model" : "the model";
        if (model.Inputs != data.Features)
            throw new OccamException($"{which} takes {model.Inputs} inputs but the data has {data.Features} feature columns; " + (forInit
                ? "train on the columns the model was trained on, or drop --init to start a new model."
                : "use data with the columns the model was trained on."));
        if (model.Task != data.Task)
            throw new OccamException($"{which} is a {TaskKinds.Name(model.Task)} model but the data's target is {TaskKinds.Name(data.Task)}; " + (forInit
                ? $"pass --task {TaskKinds.Name(model.Task)}, or drop --init to start a new model."
                : $"use data whose target is the model's{(model.TargetName is { } t ? $" ('{t}')" : "")}."));
        if (model.Task == TaskKind.Multiclass && data.ClassCount > model.Outputs)
            throw new OccamException($"the data has {data.ClassCount} classes but {which} predicts {model.Outputs}; " + (forInit
                ? "drop --init to start a new model for these classes."
                : "use data with the model's classes."));
    }
}
