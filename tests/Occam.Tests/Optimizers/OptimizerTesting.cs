using Occam.Nn;
using Occam.Optimizers;

namespace Occam.Tests.Optimizers;

/// <summary>Drives an optimizer on free-standing parameters with given gradients.</summary>
internal static class OptimizerTesting
{
    /// <summary>A free-standing weight parameter over <paramref name="value"/> (the same array, updated in place).</summary>
    public static Parameter Weight(float[] value, string name = "w") => new(name, ParameterKind.Weight, value);

    /// <summary>Copies <paramref name="gradient"/> into the parameter's gradient, then steps.</summary>
    public static void Step(this Optimizer optimizer, Parameter parameter, ReadOnlySpan<float> gradient, double weightDecay, double proxL1)
    {
        gradient.CopyTo(parameter.Gradient);
        optimizer.Step(parameter, weightDecay, proxL1);
    }
}
