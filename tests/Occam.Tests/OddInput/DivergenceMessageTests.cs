using Occam.Data;
using Occam.Nn;
using Occam.Regularization;
using Occam.Training;

namespace Occam.Tests.OddInput;

/// <summary>
/// Issue 11: a huge target diverged with "standardize the inputs" although they were. The message now gives only the
/// fixes that apply to the run.
/// </summary>
public class DivergenceMessageTests
{
    private static Mlp Model(TaskKind task, Standardizer? standardizer, Standardizer? target = null) =>
        new(1, task, [new Dense(1, 1, [1f], [0f])], standardizer, task == TaskKind.Regression ? null : ["0", "1"], targetStandardizer: target);

    private static TrainingData Rows(params float[] y) => new(new float[y.Length], y, y.Length, 1, 1);

    [Fact]
    public void HugeRegressionTargetAsksToRescaleTheTargetOnly()
    {
        var e = Divergence.Error("epoch 1, step 1", double.PositiveInfinity, Model(TaskKind.Regression, new Standardizer([0], [1])),
            Rows(1f, -3.5e22f), NetworkRegularization.None(1), 1e-3);
        Assert.Equal("training diverged at epoch 1, step 1: the loss became Infinity; the target reaches 3.5E+22, whose squared error "
            + "overflows float32: standardize the target (drop --no-standardize-target) or rescale the column.", e.Message);
    }

    [Fact]
    public void StandardizedInputsAreNotBlamed()
    {
        var e = Divergence.Error("epoch 3, step 2", double.NaN, Model(TaskKind.Binary, new Standardizer([0], [1])),
            Rows(0, 1), NetworkRegularization.None(1), 10);
        Assert.Equal("training diverged at epoch 3, step 2: the loss became NaN; lower the learning rate (now 10).", e.Message);
    }

    [Fact]
    public void UnstandardizedInputsAndStrongDecayAreNamed()
    {
        var reg = NetworkRegularization.Uniform(LayerRegularization.None with { WeightDecay = 1e308 }, 1);
        var e = Divergence.Error("epoch 2, step 1", double.NaN, Model(TaskKind.Regression, null), Rows(1, 2), reg, 1e-3);
        Assert.Equal("training diverged at epoch 2, step 1: the loss became NaN; weaken the penalty or weight decay (λ = 1E+308: lr·λ = 1E+305 ≥ 1 overshoots in one step), "
            + "lower the learning rate (now 0.001), standardize the inputs (drop --no-standardize) or standardize the target (drop --no-standardize-target).", e.Message);
    }

    [Fact]
    public void StandardizedTargetIsNotBlamed()
    {
        // With a target standardizer the training targets are standardized: no target advice, whatever their size.
        var e = Divergence.Error("epoch 1, step 1", double.NaN, Model(TaskKind.Regression, new Standardizer([0], [1]), new Standardizer([5], [2])),
            Rows(1e20f, 2), NetworkRegularization.None(1), 1);
        Assert.Equal("training diverged at epoch 1, step 1: the loss became NaN; lower the learning rate (now 1).", e.Message);
    }
}
