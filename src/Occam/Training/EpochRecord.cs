namespace Occam.Training;

/// <summary>
/// One epoch of training history. <see cref="TrainLoss"/> is the mean data loss of the epoch's steps (training
/// mode: with dropout), <see cref="TrainMetric"/> the accuracy (classification) or R² (regression) of those same
/// step predictions; validation values are computed in inference mode after the epoch.
/// </summary>
public sealed record EpochRecord(int Epoch, long Steps, double TrainLoss, double TrainMetric, double Penalty,
    double? ValidationLoss, double? ValidationMetric, double ZeroFraction, int DeadUnits, double Seconds);

/// <summary>The outcome of <see cref="Trainer.Fit"/>.</summary>
/// <param name="History">One record per completed epoch.</param>
/// <param name="Epochs">Epochs run.</param>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="TrainSeconds">Wall time of training alone (data loading and saving excluded).</param>
/// <param name="BestEpoch">Epoch whose weights the model holds (the last, or the best validation epoch with early stopping).</param>
/// <param name="StoppedEarly">True when early stopping ended training before the last epoch.</param>
public sealed record TrainingResult(IReadOnlyList<EpochRecord> History, int Epochs, long Steps, double TrainSeconds, int BestEpoch, bool StoppedEarly)
{
    public EpochRecord Last => History[^1];

    /// <summary>The record of <see cref="BestEpoch"/>.</summary>
    public EpochRecord Best => History[BestEpoch - 1];
}
