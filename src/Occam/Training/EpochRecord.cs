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
    /// <summary>Where <see cref="TrainSeconds"/> went: batches, steps, epoch ends.</summary>
    public LoopTimings Timings { get; init; } = LoopTimings.None;

    public EpochRecord Last => History[^1];

    /// <summary>The record of <see cref="BestEpoch"/>.</summary>
    public EpochRecord Best => History[BestEpoch - 1];
}

/// <summary>
/// Where the wall time of a training loop went (monotonic clock, <see cref="System.Diagnostics.Stopwatch"/>), summed over
/// its epochs: <see cref="BatchSeconds"/> is the input pipeline inside the loop (the epoch's shuffle of the row order and
/// the gather of each batch's rows into the step's buffer), <see cref="StepSeconds"/> the time inside
/// <see cref="Trainer.Step(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Occam.Numerics.Random.Rng, out double)"/>, <see cref="EpochEndSeconds"/> the per-epoch records (train loss and metric, penalty,
/// sparsity, validation). Their sum is the loop's time but for the clock reads and the progress callback.
/// </summary>
public sealed record LoopTimings(double BatchSeconds, double StepSeconds, double EpochEndSeconds)
{
    /// <summary>Nothing timed (no epoch ran).</summary>
    public static LoopTimings None { get; } = new(0, 0, 0);
}
