using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Serialization;
using Occam.Training;

namespace Occam.Tests.Training;

/// <summary>SteppedFit is MlpFitter.Fit one epoch at a time, and its penalty/dropout/lr can change without a reset.</summary>
public class SteppedFitTests
{
    private static Dataset Spiral() => Synthetic.Spiral(200, 2, 0.1, new Rng(3));

    private static FitSettings Settings(double dropout = 0, IReadOnlyList<LayerRegularization>? reg = null, int epochs = 7) => new()
    {
        Hidden = [8, 6],
        Dropout = dropout,
        ValidationSplit = 0.25,
        Seed = 11,
        Regularization = reg ?? [],
        Training = new TrainingOptions { Optimizer = Optim.Adam(lr: 0.01), BatchSize = 10, Epochs = epochs },
    };

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void EpochByEpochGivesTheWeightsOfFit(double dropout)
    {
        var reg = Penalty.L1(3e-3).ForNetwork(3).Layers;
        var fit = MlpFitter.Fit(Spiral(), Settings(dropout, reg));
        var stepped = SteppedFit.Start(Spiral(), Settings(dropout, reg));
        EpochRecord? last = null;
        for (int e = 0; e < 7; e++) last = stepped.NextEpoch();
        Assert.Equal(MlpJson.ToJson(fit.Model), MlpJson.ToJson(stepped.Snapshot()));
        Assert.Equal(fit.Result.Last, last! with { Seconds = fit.Result.Last.Seconds });
        Assert.Equal(fit.Result.Steps, stepped.Steps);
        Assert.Equal(fit.TrainRows, stepped.TrainSet.Rows);
        Assert.Equal(fit.ValidationRows, stepped.ValidationSet!.Rows);
    }

    [Fact]
    public void SwappingThePenaltyContinuesFromTheCurrentWeights()
    {
        var stepped = SteppedFit.Start(Spiral(), Settings());
        for (int e = 0; e < 5; e++) stepped.NextEpoch();
        Assert.Equal(0, SparsityReport.Of(stepped.Model).ZeroWeights);
        var before = stepped.Snapshot();
        long steps = stepped.Steps;

        // An L1 prox epoch from these weights makes exact zeros, and the step count continues (the same optimizer).
        stepped.Regularization = Penalty.L1(0.05).ForNetwork(3);
        var record = stepped.NextEpoch();
        Assert.Equal(6, record.Epoch);
        Assert.Equal(steps + 15, stepped.Steps);   // 150 training rows in batches of 10
        Assert.True(SparsityReport.Of(stepped.Model).ZeroWeights > 0);
        Assert.True(record.Penalty > 0);

        stepped.Regularization = Penalty.L1(0.05, L1Mode.Subgradient).ForNetwork(3);
        for (int e = 0; e < 3; e++) stepped.NextEpoch();
        // Subgradient steps move zeros off zero: the exact zeros the prox made do not survive.
        Assert.True(SparsityReport.Of(stepped.Model).ZeroWeights < SparsityReport.Of(before).TotalWeights / 10);
    }

    [Fact]
    public void DropoutAndLearningRateChangeLive()
    {
        var a = SteppedFit.Start(Spiral(), Settings());
        var b = SteppedFit.Start(Spiral(), Settings());
        a.NextEpoch();
        b.NextEpoch();
        b.Dropout = 0.5;
        Assert.Equal(0.5, b.Dropout);
        a.NextEpoch();
        b.NextEpoch();
        Assert.NotEqual(MlpJson.ToJson(a.Snapshot()), MlpJson.ToJson(b.Snapshot()));
        Assert.DoesNotContain("dropout", MlpJson.ToJson(a.Snapshot()), StringComparison.Ordinal);
        Assert.Contains("\"p\":0.5", MlpJson.ToJson(b.Snapshot()), StringComparison.Ordinal);

        a.LearningRate = 0.5;
        Assert.Equal(0.5, a.LearningRate);
        Assert.Throws<OccamException>(() => a.LearningRate = 0);
        Assert.Throws<OccamException>(() => a.Dropout = 1);
        Assert.Throws<ArgumentException>(() => a.Regularization = Penalty.L1(1e-3).ForNetwork(2));
    }

    [Fact]
    public void UnitOutputsAreTheHiddenActivationsAndTheScores()
    {
        var data = Spiral();
        var model = MlpFitter.Fit(data, Settings()).Model;
        var outputs = model.UnitOutputs(data.X, data.Rows);
        Assert.Equal(3, outputs.Count);
        Assert.Equal(model.PredictScores(data.X, data.Rows), outputs[^1]);
        // First hidden layer by hand: relu(W·standardize(x) + b).
        var d = model.DenseLayers[0];
        var x = new float[data.X.Length];
        model.PrepareInputs(data.X, x);
        for (int r = 0; r < data.Rows; r += 37)
            for (int j = 0; j < d.Outputs; j++)
            {
                double s = d.Bias[j];
                for (int i = 0; i < d.Inputs; i++) s += (double)d.Weight[j * d.Inputs + i] * x[r * d.Inputs + i];
                Assert.Equal(Math.Max(0, s), outputs[0][r * d.Outputs + j], 5);
            }
    }
}
