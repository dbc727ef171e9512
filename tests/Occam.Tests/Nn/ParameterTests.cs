using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;

namespace Occam.Tests.Nn;

public class ParameterTests
{
    [Fact]
    public void NamesAreTheKeysOfTheTorchSequentialStateDict()
    {
        // torch.nn.Sequential(Linear(4,8), ReLU(), Dropout(0.2), Linear(8,5), ReLU(), Dropout(0.2), Linear(5,3))
        // .state_dict() has the keys 0.weight, 0.bias, 3.weight, 3.bias, 6.weight, 6.bias: the module's index in
        // the Sequential, activations and dropouts counted.
        var model = Mlp.Create(new MlpSpec(4, [8, 5], 3, TaskKind.Multiclass, ActivationKind.Relu, Dropout: 0.2), new Rng(1UL));
        Assert.Equal(7, model.Layers.Count);
        var parameters = model.Parameters();
        Assert.Equal(["0.weight", "0.bias", "3.weight", "3.bias", "6.weight", "6.bias"], parameters.Select(p => p.Name));
        Assert.Equal([ParameterKind.Weight, ParameterKind.Bias, ParameterKind.Weight, ParameterKind.Bias, ParameterKind.Weight, ParameterKind.Bias],
            parameters.Select(p => p.Kind));
        Assert.Equal([0, 0, 3, 3, 6, 6], parameters.Select(p => p.LayerIndex));
        Assert.Equal([0, 0, 1, 1, 2, 2], parameters.Select(p => p.DenseIndex));
        foreach (var p in parameters)
        {
            var layer = Assert.IsType<Dense>(model.Layers[p.LayerIndex]);
            Assert.Same(layer, p.Layer);
            Assert.Same(model.DenseLayers[p.DenseIndex], layer);
            Assert.Same(p.Kind == ParameterKind.Weight ? layer.Weight : layer.Bias, p.Value);   // the layer's own array
            Assert.Equal(p.Value.Length, p.Gradient.Length);
            Assert.Equal(p.Value.Length, p.Length);
        }
        Assert.Equal(model.ParameterCount, parameters.Sum(p => p.Length));

        // Without dropout the indices close up: Linear, Tanh, Linear.
        var small = Mlp.Create(new MlpSpec(2, [3], 1, TaskKind.Binary, ActivationKind.Tanh), new Rng(2UL));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], small.Parameters().Select(p => p.Name));
    }

    [Fact]
    public void TheSameObjectsOnEveryCallAndFreshOnesForAClone()
    {
        var model = Mlp.Create(new MlpSpec(3, [4], 2, TaskKind.Multiclass), new Rng(3UL));
        var first = model.Parameters();
        var second = model.Parameters();
        for (int i = 0; i < first.Count; i++) Assert.Same(first[i], second[i]);
        Assert.Same(first[0].Gradient, second[0].Gradient);

        var clone = model.Clone();
        var cloned = clone.Parameters();
        Assert.Equal(first.Select(p => p.Name), cloned.Select(p => p.Name));
        for (int i = 0; i < first.Count; i++)
        {
            Assert.NotSame(first[i], cloned[i]);
            Assert.NotSame(first[i].Value, cloned[i].Value);
            Assert.NotSame(first[i].Gradient, cloned[i].Gradient);
            Assert.Equal(first[i].Value, cloned[i].Value);
        }
    }

    [Fact]
    public void UpdatingAParameterUpdatesTheLayer()
    {
        var model = Mlp.Create(new MlpSpec(2, [], 1, TaskKind.Regression), new Rng(4UL));
        var weight = model.Parameters().Single(p => p.Name == "0.weight");
        weight.Value[1] = 7f;
        Assert.Equal(7f, model.DenseLayers[0].Weight[1]);
        Assert.Equal(7f, model.PredictScores([0, 1], 1)[0] - model.DenseLayers[0].Bias[0]);
    }

    [Fact]
    public void AFreeStandingParameterHasNoLayer()
    {
        var p = new Parameter("w", ParameterKind.Weight, [1f, 2f]);
        Assert.Null(p.Layer);
        Assert.Equal(-1, p.LayerIndex);
        Assert.Equal(-1, p.DenseIndex);
        Assert.Equal("w", p.ToString());
        Assert.Equal(new float[2], p.Gradient);
        Assert.Throws<ArgumentNullException>(() => new Parameter("w", ParameterKind.Weight, null!));
    }
}
