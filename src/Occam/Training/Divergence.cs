using System.Globalization;
using Occam.Data;
using Occam.Nn;
using Occam.Regularization;

namespace Occam.Training;

/// <summary>
/// The error for a training run whose loss became NaN or infinite, with the fixes that apply to this run only. A raw
/// (unstandardized) regression target whose squared error overflows float32 must be standardized or rescaled: no
/// learning rate helps. Otherwise: the penalty or weight decay when lr·λ ≥ 1 (its step alone overshoots), the learning
/// rate, standardizing the inputs only when they are used as given, standardizing the target only when it is raw.
/// </summary>
internal static class Divergence
{
    /// <summary>Squared errors of targets beyond this magnitude overflow float32 (√float.MaxValue ≈ 1.8e19) or come close.</summary>
    private const double LargeTarget = 1e15;

    public static OccamException Error(string where, double loss, Mlp model, TrainingData train, NetworkRegularization regularization, double learningRate)
    {
        string head = $"training diverged at {where}: the loss became {G(loss)}; ";
        bool rawTarget = model.Task == TaskKind.Regression && model.TargetStandardizer is null;
        if (rawTarget)
        {
            double largest = 0;
            foreach (float y in train.Y) largest = Math.Max(largest, Math.Abs(y));
            if (largest >= LargeTarget)
                return new OccamException(head + $"the target reaches {G(largest)}, whose squared error overflows float32: standardize the target (drop --no-standardize-target) or rescale the column.");
        }
        var fixes = new List<string>();
        double strongest = 0;
        foreach (var layer in regularization.Layers)
            strongest = Math.Max(strongest, Math.Max(Math.Max(layer.Weights.L1, layer.Weights.L2), Math.Max(layer.WeightDecay, layer.Groups?.Lambda ?? 0)));
        if (learningRate * strongest >= 1)
            fixes.Add($"weaken the penalty or weight decay (λ = {G(strongest)}: lr·λ = {G(learningRate * strongest)} ≥ 1 overshoots in one step)");
        fixes.Add($"lower the learning rate (now {G(learningRate)})");
        if (model.Standardizer is null)
            fixes.Add("standardize the inputs (drop --no-standardize)");
        if (rawTarget)
            fixes.Add("standardize the target (drop --no-standardize-target)");
        string list = fixes.Count == 1 ? fixes[0] : string.Join(", ", fixes.Take(fixes.Count - 1)) + " or " + fixes[^1];
        return new OccamException(head + list + ".");
    }

    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
