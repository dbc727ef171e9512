using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;
using Occam.Regularization;
using Occam.Training;

namespace Occam.Tests.Nn;

public class PruningTests
{
    [Fact]
    public void ConstantUnitsAreFoldedIntoTheNextBias()
    {
        // 2 → 3 → 1, tanh. Unit 0 has a zero incoming row (constant tanh(0.5)), unit 2 has a zero outgoing weight.
        var model = new Mlp(2, TaskKind.Regression,
        [
            new Dense(2, 3, [0, 0, 1, -2, 3, 1], [0.5f, 0.1f, -0.2f]),
            new ActivationLayer(ActivationKind.Tanh),
            new Dense(3, 1, [2, 1, 0], [0.25f]),
        ], featureNames: ["a", "b"]);
        var pruned = Pruning.RemoveDeadUnits(model);
        Assert.Equal(1, pruned.DenseLayers[0].Outputs);
        Assert.Equal(0.25f + 2 * MathF.Tanh(0.5f), pruned.DenseLayers[1].Bias[0], 6);
        double[] x = [0.3, -1.2, 2.0, 0.7, -0.4, -0.9];
        var expected = model.PredictScores(x, 3);
        var actual = pruned.PredictScores(x, 3);
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], actual[i], 1e-6f);   // the folded bias rounds once more
    }

    [Fact]
    public void CutInputsAreRemovedWhenNamesAreKnown()
    {
        var model = new Mlp(3, TaskKind.Regression,
        [
            new Dense(3, 2, [1, 0, 2, 3, 0, 4], [0, 0]),
            new ActivationLayer(ActivationKind.Relu),
            new Dense(2, 1, [1, 1], [0]),
        ], standardizer: new Standardizer([1, 2, 3], [1, 2, 4]), featureNames: ["a", "b", "c"]);
        var pruned = Pruning.RemoveDeadUnits(model);
        Assert.Equal(["a", "c"], pruned.FeatureNames);
        Assert.Equal([1.0, 3.0], pruned.Standardizer!.Mean);
        var unnamed = new Mlp(3, TaskKind.Regression, model.Layers);
        Assert.Equal(3, Pruning.RemoveDeadUnits(unnamed).Inputs);
    }

    [Fact]
    public void GroupLassoModelShrinksAndPredictsTheSame()
    {
        var data = Synthetic.Blobs(400, 3, 6, 1.0, new Rng(2UL));
        var outcome = MlpFitter.Fit(data, new FitSettings
        {
            Hidden = [32, 16],
            Dropout = 0.1,
            Regularization = [new LayerRegularization(ElasticNetPenalty.Lasso(1e-3), new GroupLasso(1e-2))],
            Seed = 3,
            Training = new TrainingOptions { Epochs = 40, Optimizer = new Occam.Optimizers.OptimizerOptions { LearningRate = 1e-2 } },
        });
        var model = outcome.Model;
        var report = SparsityReport.Of(model);
        Assert.True(report.DeadUnits > 0, "the test needs dead units");
        var pruned = Pruning.RemoveDeadUnits(model);
        Assert.Equal(report.ParametersAfterPruning, pruned.ParameterCount);
        Assert.Equal(0, SparsityReport.Of(pruned).DeadUnits);
        var a = model.PredictScores(data.X, data.Rows);
        var b = pruned.PredictScores(data.SelectFeatures(pruned.FeatureNames!).X, data.Rows);
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 1e-4f);
    }
}
