using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;

namespace Occam.Experiments;

/// <summary>
/// Dropout, two questions.
/// <list type="number">
/// <item><b>How many units does p = 0.5 switch off?</b> The inverted-dropout masks the engine draws in training
/// (<c>DropoutMask.Fill</c>: unit off with probability p, kept ones scaled by 1/(1 − p)) for a hidden layer of 256 units,
/// 32 rows per step, counted per mask entry (the fraction off, with a Wilson interval) and per row (the fraction of one
/// example's 256 units that are off).</item>
/// <item><b>Do dropout, L2 and L1 each reduce overfitting?</b> A large net (64-256-256-10 ReLU, 83 466 parameters) on a
/// small training set (200 digits rows, stratified; the other 1 597 rows are the test set), Adam lr 1e-3, batch 32,
/// a fixed number of epochs, no early stopping, float32. Per seed (a new split and initialization, shared by every
/// configuration): train and test error of no regularization, dropout p ∈ {0.2, 0.5, 0.8} after each hidden layer,
/// L2 λ ∈ {1e-4, 1e-3, 1e-2} and L1 (prox) λ ∈ {1e-5, 1e-4, 1e-3} on every weight matrix. Overfitting = test error −
/// train error (the generalization gap); the paired differences against no regularization are taken per seed.</item>
/// </list>
/// </summary>
public static class DropoutStudy
{
    /// <summary>Training rows of the overfitting study.</summary>
    public const int TrainRows = 200;

    /// <summary>Units of the layer whose masks are counted.</summary>
    public const int MaskUnits = 256;

    /// <summary>The configurations, in report order: "none", then dropout, L2 and L1 at three strengths each.</summary>
    public static IReadOnlyList<Regularizer> Configurations { get; } =
    [
        new("none", "none", 0),
        new("dropout", "dropout p = 0.2", 0.2), new("dropout", "dropout p = 0.5", 0.5), new("dropout", "dropout p = 0.8", 0.8),
        new("l2", "L2 λ = 1e-4", 1e-4), new("l2", "L2 λ = 1e-3", 1e-3), new("l2", "L2 λ = 1e-2", 1e-2),
        new("l1", "L1 λ = 1e-5", 1e-5), new("l1", "L1 λ = 1e-4", 1e-4), new("l1", "L1 λ = 1e-3", 1e-3),
    ];

    /// <summary>
    /// Counts the units <see cref="DropoutMask"/> switches off at probability <paramref name="p"/> over
    /// <paramref name="steps"/> masks of 32 rows × <see cref="MaskUnits"/> units per seed.
    /// </summary>
    public static MaskCount CountMasks(double p, int seeds, ulong seedBase, int steps)
    {
        const int rows = 32;
        long off = 0, total = 0;
        var perRow = new List<double>();
        var mask = new float[rows * MaskUnits];
        for (int s = 0; s < seeds; s++)
        {
            var rng = new Rng(seedBase + (ulong)s);
            for (int t = 0; t < steps; t++)
            {
                DropoutMask.Fill(mask, p, rng);
                for (int r = 0; r < rows; r++)
                {
                    int rowOff = mask.AsSpan(r * MaskUnits, MaskUnits).Count(0f);
                    off += rowOff;
                    perRow.Add((double)rowOff / MaskUnits);
                }
                total += mask.Length;
            }
        }
        return new MaskCount(p, off, total, perRow);
    }

    /// <summary>Train and test error of every configuration on <paramref name="seeds"/> splits of <paramref name="digits"/>.</summary>
    public static IReadOnlyList<OverfitRun> Overfitting(Dataset digits, int seeds, ulong seedBase, int epochs)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var runs = new List<OverfitRun>();
        for (int s = 0; s < seeds; s++)
        {
            ulong seed = seedBase + (ulong)s;
            var (train, test) = ExperimentData.StratifiedSplit(digits, TrainRows, seed);
            foreach (var c in Configurations)
            {
                var model = new MlpClassifier
                {
                    Hidden = [256, 256],
                    Dropout = c.Kind == "dropout" ? c.Strength : 0,
                    Penalty = c.Kind switch { "l2" => Penalty.L2(c.Strength), "l1" => Penalty.L1(c.Strength), _ => Penalty.None },
                    Optimizer = Optim.Adam(lr: 1e-3),
                    Epochs = epochs,
                    BatchSize = 32,
                    Seed = seed,
                }.Fit(train);
                runs.Add(new OverfitRun(c, seed, 1 - model.Score(train), 1 - model.Score(test)));
            }
        }
        return runs;
    }
}

/// <summary>A regularizer of the overfitting study: kind (none, dropout, l2, l1), label and strength (p or λ).</summary>
public sealed record Regularizer(string Kind, string Label, double Strength);

/// <summary>Mask entries switched off out of the total, and the fraction off in each row (one example's layer).</summary>
public sealed record MaskCount(double P, long Off, long Total, IReadOnlyList<double> RowFractions);

/// <summary>One trained network: its configuration, seed, and train and test error (1 − accuracy).</summary>
public sealed record OverfitRun(Regularizer Configuration, ulong Seed, double TrainError, double TestError)
{
    /// <summary>Test error − train error.</summary>
    public double Gap => TestError - TrainError;
}
