using Occam.Data;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Tests.Data;
using Occam.Training;

namespace Occam.Tests.Models;

public class MlpEstimatorTests
{
    private static Dataset Spiral3() => Synthetic.Spiral(300, 3, 0.1, new Rng(5));

    private static readonly MlpClassifier Small = new() { Hidden = [16], Epochs = 40, Seed = 3, Optimizer = Optim.Adam(lr: 1e-2) };

    [Fact]
    public void MulticlassProbabilitiesSumToOneAndArgmaxIsPredict()
    {
        var data = Spiral3();
        var model = Small.Fit(data);
        var predicted = model.Predict(data);
        var proba = model.PredictProba(data);
        var labels = model.PredictLabels(data);
        Assert.Equal(data.Rows, predicted.Length);
        Assert.Equal(data.Rows * 3, proba.Length);
        for (int r = 0; r < data.Rows; r++)
        {
            var row = proba.AsSpan(r * 3, 3);
            double sum = 0;
            int argmax = 0;
            for (int j = 0; j < 3; j++)
            {
                Assert.InRange(row[j], 0, 1);
                sum += row[j];
                if (row[j] > row[argmax]) argmax = j;
            }
            Assert.Equal(1.0, sum, 1e-6);
            Assert.Equal(argmax, (int)predicted[r]);
            Assert.Equal(model.Classes![argmax], labels[r]);
        }
        // Score is the evaluation's accuracy, which is the fraction of Predict equal to the truth.
        var evaluation = ModelEvaluation.Of(model.Network, data);
        double correct = Enumerable.Range(0, data.Rows).Count(r => predicted[r] == data.Y[r]) / (double)data.Rows;
        Assert.Equal(evaluation.Accuracy!.Value, model.Score(data));
        Assert.Equal(correct, model.Score(data), 12);
        Assert.True(model.Score(data) > 0.8, $"accuracy {model.Score(data)}");
        Assert.Equal(40, model.History.Count);
        Assert.Equal(["x1", "x2"], model.FeatureNames);
    }

    [Fact]
    public void AMulticlassModelScoresATestSetWithSomeOfItsClasses()
    {
        var data = Spiral3();
        var model = Small.Fit(data);
        var rows = Enumerable.Range(0, data.Rows).Where(r => data.Y[r] != 1).ToArray();
        var x = new double[rows.Length, 2];
        for (int i = 0; i < rows.Length; i++) { x[i, 0] = data.X[2 * rows[i]]; x[i, 1] = data.X[2 * rows[i] + 1]; }
        var twoClasses = Dataset.ForClassification(x, rows.Select(r => data.Classes![(int)data.Y[r]]).ToArray());
        Assert.Equal(TaskKind.Binary, twoClasses.Task);
        var predicted = model.Predict(twoClasses);
        double expected = rows.Select((r, i) => predicted[i] == data.Y[r] ? 1.0 : 0.0).Average();
        Assert.Equal(expected, model.Score(twoClasses), 12);
        Assert.Equal(3, model.Evaluate(twoClasses).Confusion!.Length);
    }

    [Fact]
    public void BinaryProbabilitiesAreComplementaryAndMatchPredict()
    {
        var data = Synthetic.Circles(200, 0.05, 0.5, new Rng(2));
        var model = Small.Fit(data);
        var predicted = model.Predict(data);
        var proba = model.PredictProba(data);
        Assert.Equal(2 * data.Rows, proba.Length);
        for (int r = 0; r < data.Rows; r++)
        {
            Assert.Equal(1.0, proba[2 * r] + proba[2 * r + 1], 1e-6);
            Assert.Equal(proba[2 * r + 1] > 0.5 ? 1.0 : 0.0, predicted[r]);
        }
        Assert.Equal(TaskKind.Binary, model.Task);
        Assert.Equal(ModelEvaluation.Of(model.Network, data).Accuracy!.Value, model.Score(data));
    }

    [Fact]
    public void SaveAndModelLoadRoundTrip()
    {
        var data = Spiral3();
        var model = (Small with { Penalty = Penalty.L1(1e-3) }).Fit(data);
        using var files = new TestFiles();
        string path = files.PathOf("m.json");
        model.Save(path);
        IModel loaded = Model.Load(path);
        Assert.IsType<MlpModel>(loaded);
        Assert.Equal(model.Predict(data), loaded.Predict(data));
        Assert.Equal(model.PredictProba(data), loaded.PredictProba(data));
        Assert.Equal(model.PredictLabels(data), loaded.PredictLabels(data));
        Assert.Equal(model.Score(data), loaded.Score(data));
        Assert.Equal(model.Classes, loaded.Classes);
        Assert.Equal(model.FeatureNames, loaded.FeatureNames);
        Assert.Empty(((MlpModel)loaded).History);
        Assert.Equal(model.Sparsity.ZeroFraction, MlpModel.Load(path).Sparsity.ZeroFraction);
    }

    [Fact]
    public void ArraysGiveTheSameModelAsTheDataset()
    {
        var data = Spiral3();
        var x = ToMatrix(data);
        var ints = data.Y.Select(v => (int)v).ToArray();
        var fromDataset = Small.Fit(data);
        var fromInts = Small.Fit(x, ints);
        var fromStrings = Small.Fit(x, ints.Select(i => "c" + i).ToArray());
        var fromDoubles = Small.Fit(x, data.Y);
        Assert.Equal(fromDataset.Predict(data), fromInts.Predict(x));
        Assert.Equal(fromDataset.PredictProba(data), fromStrings.PredictProba(x));
        Assert.Equal(fromDataset.Predict(data), fromDoubles.Predict(x));
        Assert.Equal(["c0", "c1", "c2"], fromStrings.Classes);
        Assert.Equal(["0", "1", "2"], fromDoubles.Classes);
        Assert.Equal(fromStrings.Predict(x).Select(i => "c" + (int)i), fromStrings.PredictLabels(x));
    }

    [Fact]
    public void RegressorFromArraysPredictsInTheTargetsUnits()
    {
        var (x, y) = Smooth(300, 7, 1);
        var model = new MlpRegressor { Hidden = [32], Epochs = 60, Seed = 1, Optimizer = Optim.Adam(lr: 1e-2) }.Fit(x, y);
        var predicted = model.Predict(x);
        double r2 = RSquared(y, predicted);
        Assert.True(r2 > 0.9, $"R² {r2}");
        var data = Dataset.ForRegression(x, y);
        Assert.Equal(r2, model.Score(data), 9);
        Assert.Equal(predicted.Select(PredictionText.Format), model.PredictLabels(x));
        Assert.Null(model.Classes);
        Assert.Throws<OccamException>(() => model.PredictProba(x));
    }

    /// <summary>
    /// The target's scale does not matter: y = 1e9 + 1e8·f(x) trains as well as f(x) (standardized targets),
    /// while without standardization the same network, optimizer and epochs cannot fit it.
    /// </summary>
    [Fact]
    public void HugeTargetTrainsAsWellAsASmallOne()
    {
        var (x, f) = Smooth(400, 11, 1);
        var huge = f.Select(v => 1e9 + 1e8 * v).ToArray();
        var estimator = new MlpRegressor { Hidden = [32], Epochs = 60, Seed = 2, Optimizer = Optim.Adam(lr: 1e-2) };
        var small = estimator.Fit(x, f);
        var big = estimator.Fit(x, huge);
        double r2Small = RSquared(f, small.Predict(x));
        double r2Big = RSquared(huge, big.Predict(x));
        Assert.True(r2Small > 0.9, $"R² {r2Small}");
        Assert.Equal(r2Small, r2Big, 0.01);
        Assert.Equal(r2Big, big.Score(Dataset.ForRegression(x, huge)), 9);
        Assert.Equal(1e9, big.Network.TargetStandardizer!.Mean[0], 1e9 * 0.05);

        var raw = (estimator with { StandardizeTarget = false }).Fit(x, huge);
        Assert.Null(raw.Network.TargetStandardizer);
        Assert.True(RSquared(huge, raw.Predict(x)) < 0.5, "without target standardization a 1e9 target is not learned in 60 epochs");
    }

    [Fact]
    public void DivergenceMessageNamesOnlyWhatCanHelp()
    {
        var (x, y) = Smooth(64, 3, 1);
        var wild = new MlpRegressor { Hidden = [8], Epochs = 50, Seed = 1, Optimizer = Optim.Sgd(lr: 1e6) };
        var e = Assert.Throws<OccamException>(() => wild.Fit(x, y));
        Assert.Contains("lower the learning rate", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("standardize", e.Message, StringComparison.Ordinal);
        var huge = y.Select(v => 1e9 + 1e8 * v).ToArray();
        var raw = new MlpRegressor { Hidden = [8], Epochs = 50, Seed = 1, StandardizeTarget = false, Optimizer = Optim.Sgd(lr: 0.1) };
        e = Assert.Throws<OccamException>(() => raw.Fit(x, huge));
        Assert.Contains("standardize the target", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EstimatorsCheckTheirSettingsAndTheTask()
    {
        var data = Spiral3();
        var e = Assert.Throws<OccamException>(() => (Small with { EarlyStopping = 5 }).Fit(data));
        Assert.Contains("ValidationSplit", e.Message, StringComparison.Ordinal);
        Assert.Equal(OccamErrorKind.Usage, e.Kind);
        Assert.Contains("Epochs", Assert.Throws<OccamException>(() => (Small with { Epochs = 0 }).Fit(data)).Message, StringComparison.Ordinal);
        Assert.Contains("Hidden[1]", Assert.Throws<OccamException>(() => (Small with { Hidden = [4, 0] }).Fit(data)).Message, StringComparison.Ordinal);
        Assert.Contains("Dropout", Assert.Throws<OccamException>(() => (Small with { Dropout = 1 }).Fit(data)).Message, StringComparison.Ordinal);
        Assert.Contains("MlpRegressor", Assert.Throws<OccamException>(() => new MlpRegressor().Fit(data)).Message, StringComparison.Ordinal);
        var (x, y) = Smooth(20, 1, 1);
        Assert.Contains("MlpClassifier", Assert.Throws<OccamException>(() => Small.Fit(Dataset.ForRegression(x, y))).Message, StringComparison.Ordinal);
        Assert.Contains("targets", Assert.Throws<OccamException>(() => Small.Fit(x, new int[3])).Message, StringComparison.Ordinal);
        Assert.Contains("per-layer", Assert.Throws<OccamException>(() => (Small with { Penalty = Penalty.PerLayer(Penalty.L1(1), Penalty.L1(2), Penalty.L1(3)) }).Fit(data)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EarlyStoppingAndValidationSplitReachTheFitter()
    {
        var data = Spiral3();
        var model = (Small with { Epochs = 300, ValidationSplit = 0.3, EarlyStopping = 3, Optimizer = Optim.Adam(lr: 0.05) }).Fit(data);
        Assert.NotNull(model.Training);
        Assert.True(model.Training!.StoppedEarly, $"ran {model.Training.Epochs} epochs");
        Assert.All(model.History, e => Assert.NotNull(e.ValidationLoss));
    }

    [Fact]
    public void WarmStartContinuesFromTheModel()
    {
        var data = Spiral3();
        var first = Small.Fit(data);
        var second = (Small with { Hidden = [99], WarmStart = first, Epochs = 1, Optimizer = Optim.Sgd(lr: 1e-9) }).Fit(data);
        Assert.Equal(first.Network.ParameterCount, second.Network.ParameterCount);
        Assert.Equal(first.Predict(data), second.Predict(data));
    }

    internal static double[,] ToMatrix(Dataset data)
    {
        var x = new double[data.Rows, data.Features];
        for (int r = 0; r < data.Rows; r++)
            for (int j = 0; j < data.Features; j++) x[r, j] = data.X[r * data.Features + j];
        return x;
    }

    /// <summary>f(x) = sin(2·x1) + x2² − 0.5·x3 on U(−1, 1)³, seeded.</summary>
    internal static (double[,] X, double[] Y) Smooth(int n, ulong seed, double scale)
    {
        var rng = new Rng(seed);
        var x = new double[n, 3];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 3; j++) x[i, j] = 2 * rng.NextDouble() - 1;
            y[i] = scale * (Math.Sin(2 * x[i, 0]) + x[i, 1] * x[i, 1] - 0.5 * x[i, 2]);
        }
        return (x, y);
    }

    internal static double RSquared(double[] y, double[] predicted)
    {
        double mean = y.Average(), sse = 0, sst = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sse += (predicted[i] - y[i]) * (predicted[i] - y[i]);
            sst += (y[i] - mean) * (y[i] - mean);
        }
        return 1 - sse / sst;
    }
}
