using Occam.Data;
using Occam.Numerics.Losses;

namespace Occam.Losses;

/// <summary>
/// The data loss of each task, always the mean over the batch (and over outputs for multi-output MSE):
/// regression → <see cref="MeanSquaredError"/>, binary → <see cref="LogisticLoss"/> on one logit,
/// multiclass → <see cref="SoftmaxCrossEntropy"/> on K logits.
/// </summary>
internal static class TaskLoss
{
    /// <summary>Mean loss of <paramref name="rows"/> rows; writes ∂loss/∂scores into <paramref name="gradient"/>.</summary>
    public static float Compute(TaskKind task, ReadOnlySpan<float> scores, ReadOnlySpan<float> targets, int rows, int outputs, Span<float> gradient) => task switch
    {
        TaskKind.Regression => MeanSquaredError.Compute(scores[..(rows * outputs)], targets[..(rows * outputs)], gradient[..(rows * outputs)]),
        TaskKind.Binary => LogisticLoss.Compute(scores[..rows], targets[..rows], gradient[..rows]),
        TaskKind.Multiclass => SoftmaxCrossEntropy.Compute(scores, rows, outputs, targets, gradient),
        _ => throw new ArgumentOutOfRangeException(nameof(task)),
    };

    /// <summary>Mean loss only (double precision).</summary>
    public static double Value(TaskKind task, ReadOnlySpan<float> scores, ReadOnlySpan<float> targets, int rows, int outputs) => task switch
    {
        TaskKind.Regression => MeanSquaredError.Value(scores[..(rows * outputs)], targets[..(rows * outputs)]),
        TaskKind.Binary => LogisticLoss.Value(scores[..rows], targets[..rows]),
        TaskKind.Multiclass => SoftmaxCrossEntropy.Value(scores, rows, outputs, targets),
        _ => throw new ArgumentOutOfRangeException(nameof(task)),
    };
}
