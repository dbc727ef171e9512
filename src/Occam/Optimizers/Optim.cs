using System.Globalization;

namespace Occam.Optimizers;

/// <summary>
/// Builds <see cref="OptimizerOptions"/> the way PyTorch's <c>torch.optim</c> names them, with PyTorch's defaults:
/// <c>Optim.Adam(lr: 1e-3)</c>, <c>Optim.Sgd(lr: 0.1, momentum: 0.9, nesterov: true)</c>. Decoupled weight decay
/// (AdamW's) is a penalty: <c>Penalty.WeightDecay(λ)</c>, for any optimizer. Bad values are
/// <see cref="OccamException"/>s naming the argument.
/// </summary>
public static class Optim
{
    /// <summary>SGD; with <paramref name="momentum"/> &gt; 0 heavy-ball momentum, or Nesterov's when <paramref name="nesterov"/>.</summary>
    public static OptimizerOptions Sgd(double lr = 0.01, double momentum = 0, bool nesterov = false, double dampening = 0)
    {
        CheckLearningRate(lr, "Sgd");
        CheckUnit(momentum, "Sgd", "momentum");
        CheckUnit(dampening, "Sgd", "dampening");
        if (nesterov && !(momentum > 0))
            throw OccamException.Usage("Optim.Sgd: Nesterov momentum needs momentum > 0 (e.g. momentum: 0.9).");
        var kind = momentum == 0 ? OptimizerKind.Sgd : nesterov ? OptimizerKind.Nesterov : OptimizerKind.Momentum;
        return new OptimizerOptions { Kind = kind, LearningRate = lr, Momentum = momentum, Dampening = dampening };
    }

    /// <summary>Adam (Kingma &amp; Ba 2015), PyTorch's update; coupled L2 enters through <c>Penalty.L2</c>.</summary>
    public static OptimizerOptions Adam(double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) =>
        AdamLike(OptimizerKind.Adam, "Adam", lr, beta1, beta2, epsilon);

    /// <summary>AdamW: Adam whose weight decay is decoupled; set the decay with <c>Penalty.WeightDecay(λ)</c>.</summary>
    public static OptimizerOptions AdamW(double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) =>
        AdamLike(OptimizerKind.AdamW, "AdamW", lr, beta1, beta2, epsilon);

    private static OptimizerOptions AdamLike(OptimizerKind kind, string name, double lr, double beta1, double beta2, double epsilon)
    {
        CheckLearningRate(lr, name);
        CheckUnit(beta1, name, "beta1");
        CheckUnit(beta2, name, "beta2");
        if (!(epsilon > 0) || !double.IsFinite(epsilon))
            throw OccamException.Usage($"Optim.{name}: epsilon must be a finite number > 0 (got {Text(epsilon)}).");
        return new OptimizerOptions { Kind = kind, LearningRate = lr, Beta1 = beta1, Beta2 = beta2, Epsilon = epsilon };
    }

    private static void CheckLearningRate(double lr, string name)
    {
        if (!(lr > 0) || !double.IsFinite(lr))
            throw OccamException.Usage($"Optim.{name}: lr must be a finite number > 0 (got {Text(lr)}), e.g. 1e-3.");
    }

    private static void CheckUnit(double value, string name, string argument)
    {
        if (!(value >= 0 && value < 1))
            throw OccamException.Usage($"Optim.{name}: {argument} must be in [0, 1) (got {Text(value)}).");
    }

    private static string Text(double v) => v.ToString(CultureInfo.InvariantCulture);
}
