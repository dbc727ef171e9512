using Occam.Optimizers;
using Occam.Regularization;

namespace Occam.Tests.Models;

public class PenaltyAndOptimTests
{
    [Fact]
    public void OnePenaltyAppliesToEveryLayer()
    {
        var net = Penalty.L1(1e-3).ForNetwork(3);
        Assert.Equal(3, net.Count);
        Assert.All(net.Layers, l =>
        {
            Assert.Equal(1e-3, l.Weights.L1);
            Assert.Equal(0, l.Weights.L2);
            Assert.Equal(L1Mode.Prox, l.Weights.Mode);
            Assert.Null(l.Bias);
        });
        Assert.True(Penalty.None.ForNetwork(2).Layers.All(l => l.IsNone));
    }

    [Fact]
    public void SumsAddStrengthsLayerByLayer()
    {
        var p = Penalty.L1(1e-3, L1Mode.Subgradient) + Penalty.L2(2e-3) + Penalty.ElasticNet(alpha: 0.1, l1Ratio: 0.25, L1Mode.Subgradient)
            + Penalty.GroupLasso(5e-3) + Penalty.WeightDecay(1e-2);
        var l = p.ForNetwork(2)[1];
        Assert.Equal(1e-3 + 0.1 * 0.25, l.Weights.L1, 15);
        Assert.Equal(2e-3 + 0.1 * 0.75, l.Weights.L2, 15);
        Assert.Equal(L1Mode.Subgradient, l.Weights.Mode);
        Assert.Equal(5e-3, l.Groups!.Lambda);
        Assert.Equal(1e-2, l.WeightDecay);
        Assert.False(l.DecayBias);
        Assert.Contains("prox", Assert.Throws<OccamException>(() => (Penalty.L1(1) + Penalty.L1(1, L1Mode.Subgradient)).ForNetwork(1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PerLayerListsAreBroadcastOrChecked()
    {
        var p = Penalty.PerLayer(Penalty.L1(1e-3), Penalty.None) + Penalty.L2(1e-4);
        var net = p.ForNetwork(2);
        Assert.Equal(1e-3, net[0].Weights.L1);
        Assert.Equal(0, net[1].Weights.L1);
        Assert.Equal(1e-4, net[0].Weights.L2);
        Assert.Equal(1e-4, net[1].Weights.L2);
        var e = Assert.Throws<OccamException>(() => p.ForNetwork(3));
        Assert.Equal(OccamErrorKind.Usage, e.Kind);
        Assert.Equal("the per-layer penalty has 2 values but the network has 3 dense layers; give one value or exactly 3.", e.Message);
        var named = Penalty.PerLayer([Penalty.L2(1), Penalty.L2(2), Penalty.L2(3)], "--l2");
        Assert.StartsWith("--l2 has 3 values", Assert.Throws<OccamException>(() => named.ForNetwork(2)).Message, StringComparison.Ordinal);
        Assert.Equal(3, named.ForNetwork(3)[2].Weights.L2);
        Assert.Equal(5, Penalty.PerLayer([Penalty.L2(5)], "--l2").ForNetwork(4)[3].Weights.L2);
        Assert.True(Penalty.PerLayer([], "--l2").IsNone);
        Assert.Throws<OccamException>(() => Penalty.PerLayer(Penalty.PerLayer(Penalty.L1(1), Penalty.L1(2))));
    }

    [Fact]
    public void BiasesArePenalizedOnlyWhenAsked()
    {
        var l = (Penalty.L2(1e-3) + Penalty.WeightDecay(0.1)).IncludingBias().ForNetwork(1)[0];
        Assert.Equal(1e-3, l.Bias!.L2);
        Assert.True(l.DecayBias);
        var plain = (Penalty.L2(1e-3) + Penalty.WeightDecay(0.1)).ForNetwork(1)[0];
        Assert.Null(plain.Bias);
        Assert.False(plain.DecayBias);
    }

    [Fact]
    public void BadStrengthsAreOneLineErrors()
    {
        var e = Assert.Throws<OccamException>(() => Penalty.L1(-1));
        Assert.Equal("Penalty.L1: λ must be a finite number >= 0 (got -1).", e.Message);
        Assert.Equal(OccamErrorKind.Usage, e.Kind);
        Assert.Throws<OccamException>(() => Penalty.L2(double.NaN));
        Assert.Throws<OccamException>(() => Penalty.ElasticNet(0.1, 1.5));
        Assert.Throws<OccamException>(() => Penalty.GroupLasso(double.PositiveInfinity));
        Assert.Throws<OccamException>(() => Penalty.WeightDecay(-0.1));
    }

    [Fact]
    public void OptimBuildsThePyTorchOptimizers()
    {
        Assert.Equal(new OptimizerOptions { Kind = OptimizerKind.Adam, LearningRate = 1e-3 }, Optim.Adam());
        Assert.Equal(OptimizerKind.AdamW, Optim.AdamW(lr: 0.01).Kind);
        Assert.Equal(OptimizerKind.Sgd, Optim.Sgd(lr: 0.1).Kind);
        var m = Optim.Sgd(lr: 0.1, momentum: 0.8);
        Assert.Equal((OptimizerKind.Momentum, 0.8), (m.Kind, m.Momentum));
        Assert.Equal(OptimizerKind.Nesterov, Optim.Sgd(lr: 0.1, momentum: 0.9, nesterov: true).Kind);
        Assert.Equal(0.95, Optim.Adam(beta2: 0.95).Beta2);
        var e = Assert.Throws<OccamException>(() => Optim.Adam(lr: 0));
        Assert.Contains("lr", e.Message, StringComparison.Ordinal);
        Assert.Equal(OccamErrorKind.Usage, e.Kind);
        Assert.Throws<OccamException>(() => Optim.Sgd(nesterov: true));
        Assert.Throws<OccamException>(() => Optim.Sgd(momentum: 1));
        Assert.Throws<OccamException>(() => Optim.Adam(epsilon: 0));
    }
}
