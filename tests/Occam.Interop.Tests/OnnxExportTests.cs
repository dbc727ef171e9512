using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Regularization;
using Occam.Tests;
using Occam.Training;
using Xunit.Abstractions;

namespace Occam.Interop.Tests;

/// <summary>Every exported graph runs in ONNX Runtime (CPU) and agrees with Occam's own predictions on real data.</summary>
public class OnnxExportTests(ITestOutputHelper output)
{
    // Both run float32 networks; only the summation order differs. Relative to max(1, |value|).
    private const double Tolerance = 1e-5;

    private static Mlp Train(Dataset data, int[] hidden, ActivationKind activation, double l1 = 0, double dropout = 0, int epochs = 30) =>
        MlpFitter.Fit(data, new FitSettings
        {
            Hidden = hidden,
            Activation = activation,
            Dropout = dropout,
            Regularization = l1 > 0 ? [new LayerRegularization(ElasticNetPenalty.Lasso(l1))] : [],
            Seed = 7,
            Training = new TrainingOptions { Epochs = epochs, BatchSize = 64 },
        }).Model;

    private static double[] Widen(float[] v) => v.Select(f => (double)f).ToArray();

    private void Check(string what, double[] actual, double[] expected, double tolerance = Tolerance)
    {
        var (rel, abs) = Ort.MaxDifference(actual, expected);
        output.WriteLine($"{what}: max |Δ| = {abs:E2}, max |Δ|/max(1,|y|) = {rel:E2}");
        Assert.True(rel <= tolerance, $"{what}: relative difference {rel:E3} > {tolerance:E1}");
    }

    [Fact]
    public void DigitsMulticlassWithProbabilities()
    {
        var data = CsvLoader.Load(Repo.Data("digits.csv"), "digit");
        var model = Train(data, [32, 16], ActivationKind.Relu, dropout: 0.1);
        var bytes = OnnxExport.ToBytes(model, new OnnxExportOptions { Probabilities = true });
        var ort = Ort.Run(bytes, data.X, data.Rows, data.Features, doubleInput: false);
        var scores = model.PredictScores(data.X, data.Rows);
        var occam = new MlpModel(model);
        Check("digits scores", ort[OnnxExport.ScoresName], Widen(scores));
        Check("digits probabilities", ort[OnnxExport.ProbabilitiesName], occam.PredictProba(data));
        Assert.Equal(occam.Predict(data), ort[OnnxExport.LabelName]);
    }

    [Fact]
    public void BreastCancerBinaryWithProbabilities()
    {
        var data = CsvLoader.Load(Repo.Data("breast_cancer.csv"), "benign");
        var model = Train(data, [16], ActivationKind.Tanh);
        var bytes = OnnxExport.ToBytes(model, new OnnxExportOptions { Probabilities = true });
        var ort = Ort.Run(bytes, data.X, data.Rows, data.Features, doubleInput: false);
        var logits = model.PredictScores(data.X, data.Rows);
        Check("breast cancer logit", ort[OnnxExport.ScoresName], Widen(logits));
        var occam = new MlpModel(model);
        Check("breast cancer probabilities", ort[OnnxExport.ProbabilitiesName], occam.PredictProba(data));
        Assert.Equal(occam.Predict(data), ort[OnnxExport.LabelName]);
        Assert.False(OnnxExport.ToBytes(model).Length == 0);
    }

    [Fact]
    public void DiabetesRegression()
    {
        var data = CsvLoader.Load(Repo.Data("diabetes.csv"), "progression");
        var model = Train(data, [16, 8], ActivationKind.Sigmoid);
        Assert.NotNull(model.TargetStandardizer);   // regression targets are standardized by default: prediction = raw·scale + mean
        var ort = Ort.Run(OnnxExport.ToBytes(model), data.X, data.Rows, data.Features, doubleInput: false);
        Assert.Equal([OnnxExport.PredictionName], ort.Keys);
        Check("diabetes prediction", ort[OnnxExport.PredictionName], new MlpModel(model).Predict(data));
    }

    [Fact]
    public void ModelWithoutStandardizerAndIdentityLayer()
    {
        var data = CsvLoader.Load(Repo.Data("diabetes.csv"), "progression");
        var model = new Mlp(data.Features, TaskKind.Regression,
        [
            new Dense(data.Features, 3, Enumerable.Range(0, 3 * data.Features).Select(i => (float)Math.Sin(i) / 50).ToArray(), [0.1f, -0.2f, 0.3f]),
            new ActivationLayer(ActivationKind.Identity),
            new Dropout(0.5),
            new Dense(3, 1, [1, -2, 0.5f], [150]),
        ]);
        var ort = Ort.Run(OnnxExport.ToBytes(model), data.X, data.Rows, data.Features, doubleInput: false);
        Check("no standardizer", ort[OnnxExport.PredictionName], Widen(model.PredictScores(data.X, data.Rows)));
    }

    [Fact]
    public void PrunedModelExportsSmallerAndPredictsTheSame()
    {
        var data = CsvLoader.Load(Repo.Data("digits.csv"), "digit");
        var model = Train(data, [64], ActivationKind.Relu, l1: 2e-3, epochs: 40);
        var pruned = Pruning.RemoveDeadUnits(model);
        Assert.True(pruned.ParameterCount < model.ParameterCount, "the L1 fit should leave dead units to remove");
        byte[] full = OnnxExport.ToBytes(model), small = OnnxExport.ToBytes(pruned);
        output.WriteLine($"digits 64-{model.DenseLayers[0].Outputs}-10: {full.Length} bytes; pruned {pruned.Inputs}-{pruned.DenseLayers[0].Outputs}-10: {small.Length} bytes");
        Assert.True(small.Length < full.Length);
        var kept = data.SelectFeatures(pruned.FeatureNames!);
        var ort = Ort.Run(small, kept.X, kept.Rows, kept.Features, doubleInput: false);
        Check("pruned vs unpruned Occam", ort[OnnxExport.ScoresName], Widen(model.PredictScores(data.X, data.Rows)));
    }

    [Fact]
    public void LinearRegressionWithPolynomialColumns()
    {
        var data = CsvLoader.Load(Repo.Data("diabetes.csv"), "progression");
        var model = new ElasticNet { Alpha = 0.05, L1Ratio = 0.5, Degree = 3, PolynomialColumns = ["bmi", "bp"] }.Fit(data);
        Assert.Equal(data.Features + 4, model.Coef.Count);
        var ort = Ort.Run(OnnxExport.ToBytes(model), data.X, data.Rows, data.Features, doubleInput: true);
        var (_, abs) = Ort.MaxDifference(ort[OnnxExport.PredictionName], model.Predict(data));
        output.WriteLine($"diabetes linear (degree 3): max |Δ| = {abs:E2}");
        Assert.True(abs <= 1e-9, $"max |Δ| = {abs:E3}");
    }

    [Fact]
    public void LinearLogisticWithProbabilities()
    {
        var data = CsvLoader.Load(Repo.Data("breast_cancer.csv"), "benign");
        var model = new LogisticRegression { Alpha = 0.01 }.Fit(data);
        var ort = Ort.Run(OnnxExport.ToBytes(model, new OnnxExportOptions { Probabilities = true }), data.X, data.Rows, data.Features, doubleInput: true);
        var (_, abs) = Ort.MaxDifference(ort[OnnxExport.ProbabilitiesName], model.PredictProba(data));
        output.WriteLine($"breast cancer logistic: max |Δ| probabilities = {abs:E2}");
        Assert.True(abs <= 1e-12, $"max |Δ| = {abs:E3}");
        Assert.Equal(model.Predict(data), ort[OnnxExport.LabelName]);
        var (_, etaDiff) = Ort.MaxDifference(ort[OnnxExport.ScoresName], model.Decision(data));
        output.WriteLine($"breast cancer logistic: max |Δ| η = {etaDiff:E2}");
        Assert.True(etaDiff <= 1e-9, $"max |Δ| η = {etaDiff:E3}");
    }

    // Multinomial logistic regression: scores = X·Wᵀ + b in float64, so ONNX Runtime and Occam differ only in
    // summation order. Digits has constant columns (all-zero pixels), whose coefficients export as they are.
    [Theory]
    [InlineData("iris.csv", "species", 0.01, false)]
    [InlineData("iris.csv", "species", 0.01, true)]
    [InlineData("wine.csv", "cultivar", 0.02, false)]
    [InlineData("wine.csv", "cultivar", 0.02, true)]
    [InlineData("digits.csv", "digit", 0.02, false)]
    [InlineData("digits.csv", "digit", 0.02, true)]
    public void LinearMultinomialWithProbabilities(string file, string target, double alpha, bool grouped)
    {
        var data = CsvLoader.Load(Repo.Data(file), target, TaskKind.Multiclass);
        var model = new LogisticRegression { Alpha = alpha, Grouped = grouped }.Fit(data);
        Assert.Equal(TaskKind.Multiclass, model.Task);
        int k = model.Classes!.Count;
        Assert.True(k >= 3);
        var ort = Ort.Run(OnnxExport.ToBytes(model, new OnnxExportOptions { Probabilities = true }), data.X, data.Rows, data.Features, doubleInput: true);
        Assert.Equal([OnnxExport.ScoresName, OnnxExport.LabelName, OnnxExport.ProbabilitiesName], ort.Keys);
        int constant = Enumerable.Range(0, data.Features).Count(j => Enumerable.Range(0, data.Rows).All(i => data.X[i * data.Features + j] == data.X[j]));
        if (file == "digits.csv") Assert.True(constant > 0, "digits should have constant (all-zero) pixel columns");
        string what = $"{Path.GetFileNameWithoutExtension(file)} multinomial{(grouped ? " grouped" : "")} (K = {k}, {model.Sparsity.NonZero} non-zero, {constant} constant columns)";
        var (_, etaDiff) = Ort.MaxDifference(ort[OnnxExport.ScoresName], model.Decision(data));
        var (_, probaDiff) = Ort.MaxDifference(ort[OnnxExport.ProbabilitiesName], model.PredictProba(data));
        output.WriteLine($"{what}: max |Δ| scores = {etaDiff:E2}, max |Δ| probabilities = {probaDiff:E2}");
        Assert.True(etaDiff <= 1e-10, $"{what}: max |Δ| scores = {etaDiff:E3}");
        Assert.True(probaDiff <= 1e-12, $"{what}: max |Δ| probabilities = {probaDiff:E3}");
        Assert.Equal(model.Predict(data), ort[OnnxExport.LabelName]);
        // Without --probabilities the graph has scores and label only.
        var plain = Ort.Run(OnnxExport.ToBytes(model), data.X, data.Rows, data.Features, doubleInput: true);
        Assert.Equal([OnnxExport.ScoresName, OnnxExport.LabelName], plain.Keys);
        Assert.Equal(model.Predict(data), plain[OnnxExport.LabelName]);
    }

    [Fact]
    public void LinearMultinomialWithPolynomialColumns()
    {
        var data = CsvLoader.Load(Repo.Data("iris.csv"), "species", TaskKind.Multiclass);
        var model = new LogisticRegression { Alpha = 0.01, Degree = 2, PolynomialColumns = ["petal_length", "petal_width"] }.Fit(data);
        Assert.Equal(data.Features + 2, model.ClassCoef![0].Count);
        var ort = Ort.Run(OnnxExport.ToBytes(model, new OnnxExportOptions { Probabilities = true }), data.X, data.Rows, data.Features, doubleInput: true);
        var (_, probaDiff) = Ort.MaxDifference(ort[OnnxExport.ProbabilitiesName], model.PredictProba(data));
        output.WriteLine($"iris multinomial (degree 2): max |Δ| probabilities = {probaDiff:E2}");
        Assert.True(probaDiff <= 1e-12, $"max |Δ| = {probaDiff:E3}");
        Assert.Equal(model.Predict(data), ort[OnnxExport.LabelName]);
    }

    [Fact]
    public void RegressionHasNoProbabilities()
    {
        var model = new Mlp(2, TaskKind.Regression, [new Dense(2, 1, [1, 2], [0])]);
        var e = Assert.Throws<OccamException>(() => OnnxExport.ToBytes(model, new OnnxExportOptions { Probabilities = true }));
        Assert.Contains("--probabilities", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFormatIsAOneLineErrorAndWritesNothing()
    {
        string dir = Directory.CreateTempSubdirectory("occam-onnx").FullName;
        try
        {
            string model = Path.Combine(dir, "m.json"), outPath = Path.Combine(dir, "m.onnx");
            File.WriteAllText(model, """{"format":"occam-tree/1"}""");
            var e = Assert.Throws<OccamException>(() => OnnxExport.SaveFile(model, outPath));
            Assert.Contains("'occam-tree/1'", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
            File.WriteAllText(model, "not json");
            Assert.Throws<OccamException>(() => OnnxExport.SaveFile(model, outPath));
            Assert.Empty(Directory.GetFiles(dir, "*.onnx"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
