using Occam.Data;
using Occam.Nn;
using Occam.Regularization;

namespace Occam.Training;

/// <summary>
/// The run of <see cref="MlpFitter.Fit"/>, driven one epoch at a time: the same validation split, standardizers,
/// initialization and random streams (all from <see cref="FitSettings.Seed"/>) and the same trainer, so
/// <c>n</c> calls of <see cref="NextEpoch"/> leave bit for bit the weights that <see cref="MlpFitter.Fit"/> with
/// <c>Epochs = n</c> gives (without early stopping, which is the caller's business here; <see cref="TrainingOptions.Epochs"/>
/// is not a limit). Between epochs the penalties (<see cref="Regularization"/>), the dropout probability
/// (<see cref="Dropout"/>) and the learning rate (<see cref="LearningRate"/>) may change: training continues from the
/// current weights and optimizer state (moments, step count), nothing is reset. The playground drives it.
/// Not thread-safe: one caller at a time.
/// </summary>
public sealed class SteppedFit
{
    private readonly Trainer _trainer;
    private readonly Trainer.EpochLoop _loop;
    private readonly PreparedFit _run;
    private double _dropout;

    private SteppedFit(PreparedFit run, Trainer trainer, Trainer.EpochLoop loop, double dropout)
    {
        _run = run;
        _trainer = trainer;
        _loop = loop;
        _dropout = dropout;
    }

    /// <summary>
    /// Prepares the run as <see cref="MlpFitter.Fit"/> does (bad settings or data throw the same errors) and stops
    /// before the first epoch. The network gets an inert dropout layer (p = 0) after every hidden activation when
    /// <see cref="FitSettings.Dropout"/> is 0, so that dropout can be switched on later; it changes no number.
    /// </summary>
    public static SteppedFit Start(Dataset data, FitSettings settings)
    {
        var run = MlpFitter.Prepare(data, settings, dropoutLayers: true);
        var trainer = new Trainer(run.Model, settings.Training, run.Regularization, run.Train.Rows);
        var loop = trainer.Begin(run.Train, run.Validation, run.TrainRng);
        double dropout = settings.Init?.Layers.OfType<Nn.Dropout>().Select(d => d.P).FirstOrDefault() ?? settings.Dropout;
        return new SteppedFit(run, trainer, loop, dropout);
    }

    /// <summary>The network being trained (its weights change with every epoch; copy it with <see cref="Snapshot"/>).</summary>
    public Mlp Model => _run.Model;

    /// <summary>The training rows (raw, as given).</summary>
    public Dataset TrainSet => _run.TrainSet;

    /// <summary>The held-out rows (<see cref="FitSettings.ValidationSplit"/>), or null.</summary>
    public Dataset? ValidationSet => _run.ValidationSet;

    /// <summary>Which rows of the data given to <see cref="Start"/> are the training rows, in <see cref="TrainSet"/>'s order.</summary>
    public IReadOnlyList<int> TrainRows => _run.Rows.Train;

    /// <summary>Which rows of the data are held out, in <see cref="ValidationSet"/>'s order (empty without a split).</summary>
    public IReadOnlyList<int> ValidationRows => _run.Rows.Validation;

    /// <summary>Epochs completed.</summary>
    public int Epoch => _loop.Epoch;

    /// <summary>Optimizer steps taken.</summary>
    public long Steps => _trainer.Optimizer.StepCount;

    /// <summary>Runs one epoch (a pass over the training rows, then validation) and returns its record.</summary>
    public EpochRecord NextEpoch(CancellationToken cancellationToken = default) => _loop.Next(cancellationToken)!;

    /// <summary>The penalties of the next steps (see <see cref="Trainer.Regularization"/>); one entry per dense layer.</summary>
    public NetworkRegularization Regularization
    {
        get => _trainer.Regularization;
        set => _trainer.Regularization = value;
    }

    /// <summary>Inverted-dropout probability after every hidden activation, in [0, 1); takes effect at the next step.</summary>
    public double Dropout
    {
        get => _dropout;
        set
        {
            if (!(value >= 0 && value < 1))
                throw OccamException.Usage($"dropout must be in [0, 1) (got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
            _run.Model.SetDropout(value);
            _dropout = value;
        }
    }

    /// <summary>The optimizer's base step size lr; takes effect at the next step.</summary>
    public double LearningRate
    {
        get => _trainer.Optimizer.LearningRate;
        set
        {
            if (!(value > 0) || !double.IsFinite(value))
                throw OccamException.Usage($"the learning rate must be a finite number > 0 (got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
            _trainer.Optimizer.LearningRate = value;
        }
    }

    /// <summary>
    /// A deep copy of the network as a model file holds it (the inert p = 0 dropout layers left out): what
    /// <see cref="MlpFitter.Fit"/> would return after the same epochs.
    /// </summary>
    public Mlp Snapshot() => _run.Model.WithoutInertDropout();
}
