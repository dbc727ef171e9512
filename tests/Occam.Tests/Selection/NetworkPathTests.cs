using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Selection;
using Occam.Training;

namespace Occam.Tests.Selection;

/// <summary>The network λ path: λ_max's defining property, warm starts, determinism, the 1-SE direction, the path file.</summary>
public class NetworkPathTests
{
    private static readonly Lazy<Dataset> Cancer = new(() => CsvLoader.Load(Repo.Data("breast_cancer.csv"), target: "benign"));

    /// <summary>A small, fast setting: 8 tanh units, 6 epochs, a quarter of the rows held out.</summary>
    private static MlpClassifier Estimator(OptimizerOptions? optimizer = null, int batch = 64) => new()
    {
        Hidden = [8],
        Activation = ActivationKind.Tanh,
        Optimizer = optimizer ?? Optim.Adam(lr: 1e-2),
        Epochs = 6,
        BatchSize = batch,
        ValidationSplit = 0.25,
        Seed = 3,
    };

    private static readonly NetworkPathOptions Small = new() { Count = 6, LambdaMinRatio = 1e-3 };

    public static TheoryData<NetworkPathPenalty, string, int> MaxCases => new()
    {
        { NetworkPathPenalty.L1, "adam", 64 },
        { NetworkPathPenalty.L1, "sgd", 0 },
        { NetworkPathPenalty.L1, "momentum", 32 },
        { NetworkPathPenalty.GroupLasso, "adam", 64 },
        { NetworkPathPenalty.GroupLasso, "sgd", 0 },
    };

    [Theory]
    [MemberData(nameof(MaxCases))]
    public void AtLambdaMaxTheFirstProxStepZeroesEveryFirstLayerWeightAndJustBelowItDoesNot(NetworkPathPenalty penalty, string optimizer, int batch)
    {
        Assert.True(OptimizerOptions.TryParseKind(optimizer, out var kind));
        var est = Estimator(new OptimizerOptions { Kind = kind, LearningRate = kind == OptimizerKind.Adam ? 1e-2 : 0.05 }, batch);
        var o = new NetworkPathOptions { Penalty = penalty };
        double max = NetworkPath.LambdaMax(est, Cancer.Value, penalty);
        Assert.True(max > 0 && double.IsFinite(max));

        var at = NetworkPath.FirstStep(est, Cancer.Value, NetworkPath.PenaltyAt(o, max, 2)).Model;
        Assert.Equal(at.DenseLayers[0].Weight.Length, NetworkPath.CountZerosOfFirstLayer(at));
        var below = NetworkPath.FirstStep(est, Cancer.Value, NetworkPath.PenaltyAt(o, max * (1 - 1e-4), 2)).Model;
        Assert.True(NetworkPath.CountZerosOfFirstLayer(below) < below.DenseLayers[0].Weight.Length, "just below λ_max some first-layer weight must survive the first step");
        // Group lasso zeroes whole rows: just below λ_max exactly one unit survives.
        if (penalty == NetworkPathPenalty.GroupLasso)
            Assert.Equal(1, Enumerable.Range(0, 8).Count(j => below.DenseLayers[0].Row(j).ToArray().Any(v => v != 0f)));
    }

    [Fact]
    public void LambdaMaxOfSgdFullBatchIsTheClosedFormMaxOfTheInitOverLrMinusTheGradient()
    {
        // SGD, full batch, no shuffling, no dropout: w′ = w₀ − lr·g, so λ_max = maxᵢ |w₀ᵢ/lr − gᵢ| (up to float rounding).
        const double lr = 0.05;
        var est = Estimator(Optim.Sgd(lr), batch: 0) with { Shuffle = false };
        var job = MlpFitter.Prepare(Cancer.Value, est.ToFitSettings());
        var model = job.Model;
        var w0 = model.DenseLayers[0].Weight.ToArray();
        var ws = new Workspace(model, job.Train.Rows);
        var scores = Backprop.Forward(model, ws, job.Train.X, job.Train.Rows, ForwardMode.Training, job.TrainRng.Fork());
        var dScores = Backprop.OutputGradient(model, ws, job.Train.Rows);
        Occam.Losses.TaskLoss.Compute(model.Task, scores, job.Train.Y, job.Train.Rows, model.Outputs, dScores);
        Backprop.Backward(model, ws, job.Train.X, job.Train.Rows);
        var g = model.Parameters().First(p => p.DenseIndex == 0 && p.Kind == ParameterKind.Weight).Gradient;
        double expected = Enumerable.Range(0, w0.Length).Max(i => Math.Abs(w0[i] / lr - g[i]));
        double max = NetworkPath.LambdaMax(est, Cancer.Value);
        Assert.Equal(expected, max, 1e-5 * expected);
    }

    [Fact]
    public void TheFirstFitIsAColdFitAtLambdaMaxAndEveryLaterFitStartsFromThePreviousWeights()
    {
        var est = Estimator();
        var path = NetworkPath.Fit(est, Cancer.Value, Small with { Count = 3 });
        Assert.Equal(path.LambdaMax, path.Points[0].Lambda);

        var cold = (est with { Penalty = NetworkPath.PenaltyAt(Small, path.LambdaMax, 2) }).Fit(Cancer.Value);
        AssertSameWeights(cold.Network, path.ModelAt(0).Network);

        var warm = (est with { Penalty = NetworkPath.PenaltyAt(Small, path.Points[1].Lambda, 2), WarmStart = path.ModelAt(0) }).Fit(Cancer.Value);
        AssertSameWeights(warm.Network, path.ModelAt(1).Network);
        var coldSecond = (est with { Penalty = NetworkPath.PenaltyAt(Small, path.Points[1].Lambda, 2) }).Fit(Cancer.Value);
        Assert.False(SameWeights(coldSecond.Network, path.ModelAt(1).Network), "the second fit must not be a cold fit");
    }

    [Fact]
    public void TheSamePathTwiceIsBitIdentical()
    {
        var a = NetworkPath.Fit(Estimator(), Cancer.Value, Small);
        var b = NetworkPath.Fit(Estimator(), Cancer.Value, Small);
        Assert.Equal(a.Points.Select(p => p with { Seconds = 0 }), b.Points.Select(p => p with { Seconds = 0 }));
        for (int k = 0; k < a.Points.Count; k++) AssertSameWeights(a.ModelAt(k).Network, b.ModelAt(k).Network);
    }

    [Fact]
    public void SparsityFallsAlongThePathAndTheOneSeLambdaIsAtLeastLambdaMin()
    {
        var path = NetworkPath.Fit(Estimator(), Cancer.Value, Small with { Count = 8 });
        var first = path.Points[0];
        var last = path.Points[^1];
        Assert.Equal(first.FirstLayerWeights, first.FirstLayerZeros);   // λ_max: the whole first layer is zero
        Assert.Equal(0, first.InputsKept);
        Assert.True(last.InputsKept > 0 && last.FirstLayerZeros < first.FirstLayerZeros);
        // Monotone-ish: first-layer zeros rise by at most 5 % of the layer from one λ to the next smaller one.
        for (int k = 1; k < path.Points.Count; k++)
            Assert.True(path.Points[k].FirstLayerZeros <= path.Points[k - 1].FirstLayerZeros + first.FirstLayerWeights / 20,
                $"zeros rose from {path.Points[k - 1].FirstLayerZeros} to {path.Points[k].FirstLayerZeros} at λ #{k}");
        Assert.True(path.Index1se <= path.IndexMin);
        Assert.True(path.Lambda1se >= path.LambdaMin);
        var best = path.Points[path.IndexMin];
        Assert.True(path.Points[path.Index1se].SelectionLoss <= best.SelectionLoss + best.SelectionSe);
        Assert.Equal(path.Points.Min(p => p.SelectionLoss), best.SelectionLoss);
        Assert.True(best.ValidationScore > 0.9, $"validation accuracy at λ_min {best.ValidationScore}");
        Assert.Empty(path.Warnings);
    }

    [Fact]
    public void TheGroupLassoPathStartsWithEveryFirstLayerUnitDeadAndBringsUnitsBack()
    {
        var path = NetworkPath.Fit(Estimator(), Cancer.Value, Small with { Penalty = NetworkPathPenalty.GroupLasso, Count = 5 });
        Assert.Equal(8, path.Points[0].DeadUnits);
        Assert.Equal(path.Points[0].FirstLayerWeights, path.Points[0].FirstLayerZeros);
        Assert.True(path.Points[^1].DeadUnits < 8);
        // Group lasso zeroes whole rows: the first layer's zeros are a multiple of the row length (30 inputs).
        Assert.All(path.Points, p => Assert.Equal(0, p.FirstLayerZeros % 30));
    }

    [Fact]
    public void KFoldSelectionAveragesHeldOutLossesOverFolds()
    {
        var est = Estimator() with { ValidationSplit = 0 };
        var path = NetworkPath.Fit(est, Cancer.Value, Small with { Count = 4, Folds = 3, FoldSeed = 5 });
        Assert.Equal("kfold", path.Selection);
        Assert.Equal(3, path.Folds);
        Assert.All(path.Points, p => Assert.Null(p.ValidationLoss));
        Assert.All(path.Points.Skip(1), p => Assert.True(p.SelectionSe > 0));
        // The mean over folds of fold 1..3's held-out loss at the last λ, recomputed by hand.
        var folds = KFold.Stratified(KFold.ClassIndices(Cancer.Value), 3, shuffle: true, seed: 5);
        double sum = 0;
        foreach (var fold in folds)
        {
            MlpModel? previous = null;
            foreach (var p in path.Points)
                previous = (est with { Penalty = NetworkPath.PenaltyAt(Small, p.Lambda, 2), WarmStart = previous }).Fit(Cancer.Value.Subset(fold.Train));
            sum += previous!.Evaluate(Cancer.Value.Subset(fold.Test)).Loss;
        }
        Assert.Equal(sum / 3, path.Points[^1].SelectionLoss, 1e-12);
    }

    [Fact]
    public void ThePathFileRoundTripsAndTakeFindsTheNearestLambda()
    {
        var path = NetworkPath.Fit(Estimator(), Cancer.Value, Small);
        string file = Path.Combine(Path.GetTempPath(), $"occam-path-{Guid.NewGuid():N}.json");
        try
        {
            path.Save(file);
            var loaded = NetworkPathResult.Load(file);
            Assert.Equal(path.Points, loaded.Points);
            Assert.Equal((path.IndexMin, path.Index1se, path.LambdaMax), (loaded.IndexMin, loaded.Index1se, loaded.LambdaMax));
            for (int k = 0; k < path.Points.Count; k++)
            {
                AssertSameWeights(path.ModelAt(k).Network, loaded.ModelAt(k).Network);
                Assert.Equal(k, loaded.NearestIndex(path.Points[k].Lambda * 1.2));
                Assert.Equal(k, loaded.NearestIndex(path.Points[k].Lambda / 1.2));
            }
            Assert.Equal(path.ModelAt(2).Predict(Cancer.Value), loaded.ModelAt(loaded.NearestIndex(path.Points[2].Lambda)).Predict(Cancer.Value));
            var e = Assert.Throws<OccamException>(() => loaded.NearestIndex(path.LambdaMax * 10));
            Assert.Contains("outside the path", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ADamagedPathFileNamesTheJsonPathOfTheProblem()
    {
        var path = NetworkPath.Fit(Estimator(), Cancer.Value, Small with { Count = 2 });
        string file = Path.Combine(Path.GetTempPath(), $"occam-path-{Guid.NewGuid():N}.json");
        try
        {
            path.Save(file);
            string good = File.ReadAllText(file);
            File.WriteAllText(file, good.Replace("\"format\":\"occam-path/1\"", "\"format\":\"occam-mlp/1\"", StringComparison.Ordinal));
            Assert.Contains("$.format", Assert.Throws<OccamException>(() => NetworkPathResult.Load(file)).Message, StringComparison.Ordinal);
            File.WriteAllText(file, good.Replace("\"lambda\":", "\"lambdaX\":", StringComparison.Ordinal));
            Assert.Contains("$.points[0].lambda", Assert.Throws<OccamException>(() => NetworkPathResult.Load(file)).Message, StringComparison.Ordinal);
            File.WriteAllText(file, good[..(good.Length / 2)]);
            Assert.Contains("not valid JSON", Assert.Throws<OccamException>(() => NetworkPathResult.Load(file)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void BadSettingsAreRefusedWithTheOptionToFix()
    {
        var data = Cancer.Value;
        Assert.Contains("Penalty", Assert.Throws<OccamException>(() => NetworkPath.Fit(Estimator() with { Penalty = Penalty.L2(1e-3) }, data, Small)).Message, StringComparison.Ordinal);
        Assert.Contains("--val-split", Assert.Throws<OccamException>(() => NetworkPath.Fit(Estimator() with { ValidationSplit = 0 }, data, Small)).Message, StringComparison.Ordinal);
        Assert.Contains("--folds", Assert.Throws<OccamException>(() => NetworkPath.Fit(Estimator(), data, Small with { Folds = 1 })).Message, StringComparison.Ordinal);
        Assert.Contains("--lambda-min-ratio", Assert.Throws<OccamException>(() => NetworkPath.Fit(Estimator(), data, Small with { LambdaMinRatio = 1 })).Message, StringComparison.Ordinal);
        Assert.Contains("--n-lambdas", Assert.Throws<OccamException>(() => NetworkPath.Fit(Estimator(), data, Small with { Count = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("no hidden layer", Assert.Throws<OccamException>(() => NetworkPath.Fit(Estimator() with { Hidden = [] }, data, Small with { Penalty = NetworkPathPenalty.GroupLasso })).Message, StringComparison.Ordinal);
        Assert.Contains("L1Ratio", Assert.Throws<OccamException>(() => NetworkPath.Fit(Estimator(), data, Small with { Penalty = NetworkPathPenalty.ElasticNet, L1Ratio = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("cannot split", Assert.Throws<OccamException>(() => NetworkPath.Fit(Estimator(), data.Subset([0, 1, 2, 300, 301]), Small with { Folds = 10 })).Message, StringComparison.Ordinal);
        Assert.Contains("MlpRegressor", Assert.Throws<OccamException>(() => NetworkPath.Fit(Estimator(), CsvLoader.Load(Repo.Data("diabetes.csv"), target: "progression"), Small)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARegressionPathReportsRSquaredAndElasticNetAndL2UseTheL1Threshold()
    {
        var diabetes = CsvLoader.Load(Repo.Data("diabetes.csv"), target: "progression");
        var est = new MlpRegressor { Hidden = [8], Activation = ActivationKind.Tanh, Optimizer = Optim.Adam(lr: 1e-2), Epochs = 5, ValidationSplit = 0.25, Seed = 2 };
        double l1 = NetworkPath.LambdaMax(est, diabetes);
        Assert.Equal(l1, NetworkPath.LambdaMax(est, diabetes, NetworkPathPenalty.L2));
        Assert.Equal(l1 / 0.5, NetworkPath.LambdaMax(est, diabetes, NetworkPathPenalty.ElasticNet, 0.5), 1e-12 * l1);
        var path = NetworkPath.Fit(est, diabetes, Small with { Penalty = NetworkPathPenalty.L2, Count = 3 });
        Assert.All(path.Points, p => Assert.NotNull(p.ValidationScore));
        Assert.Equal(0, path.Points[^1].FirstLayerZeros);   // L2 shrinks, never zeroes
    }

    [Fact]
    public void RowLossesAverageToTheEvaluationLoss()
    {
        var model = Estimator().Fit(Cancer.Value);
        var rows = ModelEvaluation.RowLosses(model.Network, Cancer.Value);
        Assert.Equal(model.Evaluate(Cancer.Value).Loss, rows.Average(), 1e-6);
    }

    private static bool SameWeights(Mlp a, Mlp b) =>
        a.DenseLayers.Count == b.DenseLayers.Count
        && a.DenseLayers.Zip(b.DenseLayers).All(p => p.First.Weight.AsSpan().SequenceEqual(p.Second.Weight) && p.First.Bias.AsSpan().SequenceEqual(p.Second.Bias));

    private static void AssertSameWeights(Mlp expected, Mlp actual) => Assert.True(SameWeights(expected, actual), "the networks' weights differ");
}
