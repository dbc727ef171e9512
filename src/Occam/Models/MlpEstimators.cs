using System.Globalization;
using Occam.Data;
using Occam.Numerics.Activations;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Training;

namespace Occam;

/// <summary>
/// What <see cref="MlpClassifier"/> and <see cref="MlpRegressor"/> share: the network's shape, the penalty, the
/// optimizer and the training schedule. Immutable; <c>Fit</c> trains through <see cref="MlpFitter"/> (split,
/// standardize, initialize, train, all seeded by <see cref="Seed"/>) and returns an <see cref="MlpModel"/>.
/// </summary>
public abstract record MlpEstimator
{
    /// <summary>Hidden layer sizes, first to last; empty for a linear model. Default one layer of 64.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [64];

    /// <summary>Activation after each hidden layer (relu, tanh or sigmoid). Default relu.</summary>
    public ActivationKind Activation { get; init; } = ActivationKind.Relu;

    /// <summary>Inverted-dropout probability after each hidden activation, in [0, 1). Default 0.</summary>
    public double Dropout { get; init; }

    /// <summary>What is penalized (<see cref="Penalty.L1"/>, <see cref="Penalty.L2"/>, …, sums and per-layer lists). Default none.</summary>
    public Penalty Penalty { get; init; } = Penalty.None;

    /// <summary>The optimizer (<see cref="Optim.Adam"/>, <see cref="Optim.Sgd"/>, …). Default Adam, lr 1e-3.</summary>
    public OptimizerOptions Optimizer { get; init; } = Optim.Adam();

    /// <summary>Passes over the training rows. Default 100.</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Rows per step; 0 = the whole training set (full batch). Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Fraction of rows held out for validation, in [0, 1). Default 0.</summary>
    public double ValidationSplit { get; init; }

    /// <summary>Stop after this many epochs without a lower validation loss and keep the best weights; 0 = off. Needs a <see cref="ValidationSplit"/>.</summary>
    public int EarlyStopping { get; init; }

    /// <summary>Reshuffle the training rows every epoch (and split at random). Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Standardize the inputs (mean/sd of the training rows, stored in the model). Default true.</summary>
    public bool Standardize { get; init; } = true;

    /// <summary>
    /// Start from this model's architecture, weights and standardizers instead of a fresh network: its layers, activation,
    /// dropout and standardizers are used, so <see cref="Hidden"/>, <see cref="Activation"/>, <see cref="Dropout"/>,
    /// <see cref="Standardize"/> (and the regressor's <c>StandardizeTarget</c>) do not apply. The data must have the model's task.
    /// </summary>
    public MlpModel? WarmStart { get; init; }

    /// <summary>Seed of every random choice (split, initialization, shuffling, dropout). Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Trains on <paramref name="data"/> after checking its task; reports each epoch to <paramref name="progress"/>.</summary>
    private protected MlpModel FitData(Dataset data, bool standardizeTarget, IProgress<EpochRecord>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var settings = ToFitSettings(standardizeTarget);
        var outcome = MlpFitter.Fit(data, settings, progress, cancellationToken);
        return new MlpModel(outcome.Model, outcome.Result);
    }

    /// <summary>Trains on <paramref name="data"/> through the subclass's <c>Fit</c> (with its task check): the network λ path fits any estimator this way.</summary>
    internal abstract MlpModel FitChecked(Dataset data, CancellationToken cancellationToken);

    /// <summary>Refuses data of the wrong task for this estimator (the check <c>Fit</c> makes first).</summary>
    internal abstract void CheckTask(Dataset data);

    /// <summary>The <see cref="FitSettings"/> of this estimator as <c>Fit</c> would use them (the λ path's first step).</summary>
    internal abstract FitSettings ToFitSettings();

    /// <summary>The <see cref="FitSettings"/> these properties describe (validated: a bad value is an <see cref="OccamException"/> naming the property).</summary>
    private protected FitSettings ToFitSettings(bool standardizeTarget)
    {
        string name = GetType().Name;
        ArgumentNullException.ThrowIfNull(Hidden, nameof(Hidden));
        ArgumentNullException.ThrowIfNull(Penalty, nameof(Penalty));
        ArgumentNullException.ThrowIfNull(Optimizer, nameof(Optimizer));
        for (int i = 0; i < Hidden.Count; i++)
            if (Hidden[i] <= 0) throw OccamException.Usage($"{name}.Hidden[{i}] is {Hidden[i]}; layer sizes must be > 0 (use [] for no hidden layer).");
        if (Activation == ActivationKind.Identity && Hidden.Count > 0)
            throw OccamException.Usage($"{name}.Activation is identity, which makes hidden layers pointless; use relu, tanh or sigmoid, or Hidden = [].");
        if (!(Dropout >= 0 && Dropout < 1)) throw OccamException.Usage($"{name}.Dropout must be in [0, 1) (got {Text(Dropout)}).");
        if (Epochs <= 0) throw OccamException.Usage($"{name}.Epochs must be > 0 (got {Epochs}).");
        if (BatchSize < 0) throw OccamException.Usage($"{name}.BatchSize must be >= 0 (0 = full batch; got {BatchSize}).");
        if (!(ValidationSplit >= 0 && ValidationSplit < 1)) throw OccamException.Usage($"{name}.ValidationSplit must be in [0, 1) (got {Text(ValidationSplit)}).");
        if (EarlyStopping < 0) throw OccamException.Usage($"{name}.EarlyStopping must be >= 0 epochs (0 = off; got {EarlyStopping}).");
        if (EarlyStopping > 0 && ValidationSplit == 0)
            throw OccamException.Usage($"{name}.EarlyStopping watches the validation loss: set ValidationSplit too (e.g. 0.2).");
        var init = WarmStart?.Network;
        int denseLayers = init?.DenseLayers.Count ?? Hidden.Count + 1;
        return new FitSettings
        {
            Hidden = Hidden.ToArray(),
            Activation = Activation,
            Dropout = Dropout,
            Init = init,
            Regularization = Penalty.ForNetwork(denseLayers).Layers,
            ValidationSplit = ValidationSplit,
            Standardize = Standardize,
            StandardizeTarget = standardizeTarget,
            Seed = Seed,
            Training = new TrainingOptions
            {
                Optimizer = Optimizer,
                BatchSize = BatchSize,
                Epochs = Epochs,
                Shuffle = Shuffle,
                EarlyStoppingPatience = EarlyStopping,
            },
        };
    }

    private static string Text(double v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A regularized MLP classifier (binary: one logit and the logistic loss; multiclass: softmax cross-entropy):
/// <code>
/// var model = new MlpClassifier { Hidden = [64], Penalty = Penalty.L1(1e-3), Optimizer = Optim.Adam(lr: 1e-3), Seed = 1 }.Fit(data);
/// </code>
/// </summary>
public sealed record MlpClassifier : MlpEstimator
{
    /// <summary>Trains on a classification dataset (e.g. <c>CsvLoader.Load(path, target)</c> with a label column).</summary>
    public MlpModel Fit(Dataset data, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckTask(data);
        return FitData(data, standardizeTarget: false, progress, cancellationToken);
    }

    internal override void CheckTask(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Task == TaskKind.Regression)
            throw OccamException.Usage($"MlpClassifier needs class labels but the target '{data.TargetName}' was read as a regression target; load it with task: TaskKind.Binary or TaskKind.Multiclass, or use MlpRegressor.");
    }

    internal override MlpModel FitChecked(Dataset data, CancellationToken cancellationToken) => Fit(data, null, cancellationToken);

    internal override FitSettings ToFitSettings() => ToFitSettings(standardizeTarget: false);

    /// <summary>Trains on a rows × features array and one text label per row (features are named x1..xN).</summary>
    public MlpModel Fit(double[,] x, string[] y) => Fit(Dataset.ForClassification(x, y));

    /// <summary>Trains on a rows × features array and one integer label per row.</summary>
    public MlpModel Fit(double[,] x, int[] y) => Fit(Dataset.ForClassification(x, y));

    /// <summary>Trains on a rows × features array and one numeric label per row (e.g. 0.0 and 1.0).</summary>
    public MlpModel Fit(double[,] x, double[] y)
    {
        ArgumentNullException.ThrowIfNull(y);
        return Fit(Dataset.ForClassification(x, y.Select(PredictionText.Format).ToArray()));
    }
}

/// <summary>
/// A regularized MLP regressor (mean squared error). The target is standardized for training by default
/// (<see cref="StandardizeTarget"/>) and mapped back at prediction, so its scale does not matter.
/// </summary>
public sealed record MlpRegressor : MlpEstimator
{
    /// <summary>
    /// Train on <c>(y − mean)/sd</c> of the training rows and predict <c>raw·sd + mean</c> (stored in the model file
    /// as <c>"targetStandardizer"</c>). Default true; ignored with <see cref="MlpEstimator.WarmStart"/> (its own is kept).
    /// </summary>
    public bool StandardizeTarget { get; init; } = true;

    /// <summary>Trains on a regression dataset.</summary>
    public MlpModel Fit(Dataset data, IProgress<EpochRecord>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckTask(data);
        return FitData(data, StandardizeTarget, progress, cancellationToken);
    }

    internal override void CheckTask(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Task != TaskKind.Regression)
            throw OccamException.Usage($"MlpRegressor needs a numeric target but '{data.TargetName}' was read as class labels; load it with task: TaskKind.Regression, or use MlpClassifier.");
    }

    internal override MlpModel FitChecked(Dataset data, CancellationToken cancellationToken) => Fit(data, null, cancellationToken);

    internal override FitSettings ToFitSettings() => ToFitSettings(StandardizeTarget);

    /// <summary>Trains on a rows × features array and one target per row (features are named x1..xN).</summary>
    public MlpModel Fit(double[,] x, double[] y) => Fit(Dataset.ForRegression(x, y));
}
