using Occam.Optimizers;

namespace Occam.Training;

/// <summary>
/// How to train an <see cref="Nn.Mlp"/>: optimizer, batches, epochs, early stopping. Defaults: Adam (lr 1e-3), batch 32,
/// 100 epochs, shuffled. Penalties are not here: they are set in one place, <see cref="FitSettings.Regularization"/>
/// (or the <see cref="Regularization.NetworkRegularization"/> given to a <see cref="Trainer"/>).
/// </summary>
public sealed record TrainingOptions
{
    public OptimizerOptions Optimizer { get; init; } = new();

    /// <summary>Rows per step; 0 means the full training set in every step (full batch).</summary>
    public int BatchSize { get; init; } = 32;

    public int Epochs { get; init; } = 100;

    /// <summary>Reshuffle the training rows (from the seeded generator) before every epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Stop after this many epochs without a lower validation loss and restore the best weights; 0 = off.</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>Where training time is read from (pass a fake clock in tests).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Checks every option; throws <see cref="ArgumentException"/> naming the one to fix.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Optimizer);
        Numerics.Preconditions.CheckPositive(Optimizer.LearningRate);
        Numerics.Preconditions.CheckNonNegative(BatchSize);
        Numerics.Preconditions.CheckPositive(Epochs);
        Numerics.Preconditions.CheckNonNegative(EarlyStoppingPatience);
    }
}
