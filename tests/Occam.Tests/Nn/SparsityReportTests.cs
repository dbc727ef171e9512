using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;

namespace Occam.Tests.Nn;

public class SparsityReportTests
{
    private static Dense Dense(int inputs, int outputs, float[] weight) => new(inputs, outputs, weight, Enumerable.Repeat(0.1f, outputs).ToArray());

    private static ActivationLayer Relu => new(ActivationKind.Relu);

    [Fact]
    public void UnitWithZeroIncomingRowIsDeadAndZeroColumnCutsAnInput()
    {
        // 3 → 3 → 1. Hidden unit 1 has an all-zero incoming row; input x2 has an all-zero column.
        var model = new Mlp(3, TaskKind.Regression,
        [
            Dense(3, 3, [1, 2, 0,
                         0, 0, 0,
                         3, 0, 0]),
            Relu,
            Dense(3, 1, [1, 1, 1]),
        ]);
        var r = SparsityReport.Of(model);
        Assert.Equal(new LayerSparsity(0, 3, 3, 9, 6, 1, 1), r.Layers[0]);
        Assert.Equal(new LayerSparsity(1, 3, 1, 3, 0, 0, 0), r.Layers[1]);
        Assert.Equal(3, r.Inputs);
        Assert.Equal(2, r.InputsKept);
        Assert.Equal(["x2"], r.CutFeatures);
        Assert.Equal(16, r.Parameters);           // 9 + 3 + 3 + 1
        Assert.Equal(2 * 2 + 2 + 2 * 1 + 1, r.ParametersAfterPruning);  // inputs {x0, x1} → units {0, 2} → 1 output
        Assert.Equal(1, r.DeadUnits);
        Assert.Equal(3, r.HiddenUnits);
        Assert.Equal(6, r.ZeroWeights);
        Assert.Equal(6.0 / 12, r.ZeroFraction);
    }

    [Fact]
    public void UnitWithZeroOutgoingColumnIsDead()
    {
        // 2 → 3 → 1; nobody reads hidden unit 1.
        var model = new Mlp(2, TaskKind.Binary, [Dense(2, 3, [1, 2, 3, 4, 5, 6]), Relu, Dense(3, 1, [1, 0, 2])]);
        var r = SparsityReport.Of(model);
        Assert.Equal(new LayerSparsity(0, 2, 3, 6, 0, 0, 1), r.Layers[0]);
        Assert.Equal(new LayerSparsity(1, 3, 1, 3, 1, 0, 0), r.Layers[1]);
        Assert.Equal(2, r.InputsKept);
        Assert.Empty(r.CutFeatures);
        Assert.Equal(6 + 3 + 3 + 1, r.Parameters);
        Assert.Equal(2 * 2 + 2 + 2 * 1 + 1, r.ParametersAfterPruning);
    }

    [Fact]
    public void UnitThatOnlyFeedsDeadUnitsIsDeadAndSoIsItsOnlyInput()
    {
        // 3 → 3 → 2 → 1 with inputs a, b, c.
        // h2 unit 0 has a zero outgoing weight → dead. h1 unit 1 feeds only h2 unit 0 → dead (fixpoint).
        // Input b feeds only h1 unit 1 → cut (second round of the fixpoint).
        var model = new Mlp(3, TaskKind.Regression,
        [
            Dense(3, 3, [1, 0, 2,
                         0, 3, 0,
                         4, 0, 5]),
            Relu,
            Dense(3, 2, [0, 6, 7,
                         8, 0, 9]),
            Relu,
            Dense(2, 1, [0, 1]),
        ], featureNames: ["a", "b", "c"]);
        var r = SparsityReport.Of(model);
        Assert.Equal(new LayerSparsity(0, 3, 3, 9, 4, 0, 1), r.Layers[0]);
        Assert.Equal(new LayerSparsity(1, 3, 2, 6, 2, 0, 1), r.Layers[1]);
        Assert.Equal(new LayerSparsity(2, 2, 1, 2, 1, 0, 0), r.Layers[2]);
        Assert.Equal(["b"], r.CutFeatures);
        Assert.Equal(2, r.InputsKept);
        Assert.Equal(9 + 3 + 6 + 2 + 2 + 1, r.Parameters);
        // {a, c} → h1 {0, 2} → h2 {1} → output: 2·2 + 2, 2·1 + 1, 1·1 + 1
        Assert.Equal(6 + 3 + 2, r.ParametersAfterPruning);
        Assert.Equal(2, r.DeadUnits);
        Assert.Equal(5, r.HiddenUnits);
    }

    [Fact]
    public void ZeroOutputRowIsCountedButOutputUnitsAreNeverDead()
    {
        var model = new Mlp(2, TaskKind.Regression, [Dense(2, 2, [1, 1, 1, 1]), Relu, Dense(2, 2, [1, 1, 0, 0])]);
        var r = SparsityReport.Of(model);
        Assert.Equal(new LayerSparsity(1, 2, 2, 4, 2, 1, 0), r.Layers[1]);
        Assert.Equal(0, r.DeadUnits);
        Assert.Equal(r.Parameters, r.ParametersAfterPruning);
    }

    [Fact]
    public void AllZeroNetworkKeepsOnlyTheOutputBias()
    {
        var model = new Mlp(4, TaskKind.Regression, [Dense(4, 3, new float[12]), Relu, Dense(3, 1, new float[3])]);
        var r = SparsityReport.Of(model);
        Assert.Equal(0, r.InputsKept);
        Assert.Equal(["x0", "x1", "x2", "x3"], r.CutFeatures);
        Assert.Equal(3, r.DeadUnits);
        Assert.Equal(1, r.ParametersAfterPruning); // the model is the constant b_out
        Assert.Equal(1.0, r.ZeroFraction);
    }

    [Fact]
    public void DenseNetworkHasNothingToPrune()
    {
        var model = new Mlp(2, TaskKind.Multiclass, [Dense(2, 3, [1, 2, 3, 4, 5, 6]), new ActivationLayer(ActivationKind.Tanh), Dense(3, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9])]);
        var r = SparsityReport.Of(model);
        Assert.Equal(0, r.ZeroWeights);
        Assert.Equal(0, r.DeadUnits);
        Assert.Equal(2, r.InputsKept);
        Assert.Equal(model.ParameterCount, r.ParametersAfterPruning);
        Assert.Equal(6 + 3 + 9 + 3, r.Parameters);
    }

    [Fact]
    public void UnitFedOnlyByDeadUnitsIsDeadToo()
    {
        // 2 → 2 → 2 → 1. Hidden-1 unit 0 has a zero row (dead, constant); hidden-2 unit 0 reads only hidden-1 unit 0,
        // so it is constant as well and dead, although its own incoming row is not all zero.
        var model = new Mlp(2, TaskKind.Regression,
        [
            Dense(2, 2, [0, 0,
                         1, 1]),
            Relu,
            Dense(2, 2, [5, 0,
                         0, 1]),
            Relu,
            Dense(2, 1, [1, 1]),
        ]);
        var r = SparsityReport.Of(model);
        Assert.Equal(1, r.Layers[0].DeadUnits);
        Assert.Equal(0, r.Layers[1].ZeroIncomingUnits);
        Assert.Equal(1, r.Layers[1].DeadUnits);
        Assert.Equal(2, r.InputsKept);
        Assert.Equal(2 * 1 + 1 + 1 * 1 + 1 + 1 * 1 + 1, r.ParametersAfterPruning);
    }
}
