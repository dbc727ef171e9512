using Occam.Data;
using Occam.Linear;
using Occam.Tests.Linear;

namespace Occam.Tests.Models;

public sealed class LinearEstimatorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "occam-linear-models-" + Guid.NewGuid().ToString("N"));

    public LinearEstimatorTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string Temp(string name) => Path.Combine(_dir, name);

    [Fact]
    public void LassoRidgeAndElasticNetWrapTheSolversExactly()
    {
        var d = LinearTestData.Diabetes();
        var lasso = new Lasso { Alpha = 0.3, Tolerance = 1e-10 }.Fit(d);
        var fit = ElasticNetRegression.Fit(d.X, d.Rows, d.Features, d.Y, 0.3, new LinearOptions { L1Ratio = 1, Tolerance = 1e-10 });
        Assert.Equal(fit.Model.Coef, lasso.Coef);
        Assert.Equal(fit.Model.Intercept, lasso.Intercept);
        Assert.Equal(fit.Iterations, lasso.Iterations);
        Assert.Equal(fit.DualGap, lasso.DualGap);
        Assert.True(lasso.Converged);
        Assert.Equal("lasso", lasso.Penalty);
        Assert.Equal(d.FeatureNames, lasso.FeatureNames);
        Assert.Null(lasso.Classes);

        var ridge = new Ridge { Alpha = 0.1 }.Fit(d);
        Assert.Equal(RidgeRegression.Fit(d.X, d.Rows, d.Features, d.Y, 0.1).Model.Coef, ridge.Coef);
        Assert.Equal(0, ridge.Iterations);
        Assert.Equal(0, ridge.L1Ratio);

        var enet = new ElasticNet { Alpha = 0.2, L1Ratio = 0.3, Standardize = false, MaxIterations = 50_000 }.Fit(d);
        var efit = ElasticNetRegression.Fit(d.X, d.Rows, d.Features, d.Y, 0.2, new LinearOptions { L1Ratio = 0.3, Standardize = false, MaxIterations = 50_000 });
        Assert.Equal(efit.Model.Coef, enet.Coef);
        Assert.Equal(0.3, enet.L1Ratio);
        Assert.False(enet.Standardize);
    }

    [Fact]
    public void RegressionPredictScoreEvaluateAndSparsityAgree()
    {
        var d = LinearTestData.Diabetes();
        var model = new Lasso { Alpha = 1.0 }.Fit(d);
        var pred = model.Predict(d);
        for (int i = 0; i < d.Rows; i++)
        {
            double eta = model.Intercept;
            for (int j = 0; j < d.Features; j++) eta += model.Coef[j] * d.X[i * d.Features + j];
            Assert.Equal(eta, pred[i], 1e-9 * (1 + Math.Abs(eta)));
        }
        double sse = pred.Select((p, i) => (p - d.Y[i]) * (p - d.Y[i])).Sum();
        double mean = d.Y.Average();
        double sst = d.Y.Sum(v => (v - mean) * (v - mean));
        var e = model.Evaluate(d);
        Assert.Equal(sse / d.Rows, e.Loss, 1e-9 * e.Loss);
        Assert.Equal(1 - sse / sst, model.Score(d), 1e-12);
        Assert.Equal(model.DevianceExplained, model.Score(d), 1e-9);
        Assert.Throws<OccamException>(() => model.PredictProba(d));

        var s = model.Sparsity;
        int nonZero = model.Coef.Count(c => c != 0);
        Assert.True(nonZero < d.Features && nonZero > 0, $"{nonZero} non-zero");
        Assert.Equal(nonZero, s.NonZero);
        Assert.Equal(d.Features, s.Coefficients);
        Assert.Equal(nonZero, s.InputsKept);
        Assert.Equal(Enumerable.Range(0, d.Features).Where(j => model.Coef[j] == 0).Select(j => d.FeatureNames[j]), s.CutFeatures);
        Assert.Equal(1 - (double)nonZero / d.Features, s.ZeroFraction, 1e-15);
    }

    [Fact]
    public void LogisticRegressionPredictsLabelsProbabilitiesAndScores()
    {
        var d = LinearTestData.BreastCancer();
        var model = new LogisticRegression { Alpha = 0.01 }.Fit(d);
        var fit = BinaryLogisticRegression.Fit(d.X, d.Rows, d.Features, d.Y, 0.01);
        Assert.Equal(fit.Model.Coef, model.Coef);
        Assert.Equal(TaskKind.Binary, model.Task);
        Assert.Equal(d.Classes, model.Classes);

        var classes = model.Predict(d);
        var proba = model.PredictProba(d);
        var labels = model.PredictLabels(d);
        var eta = model.Decision(d);
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < d.Rows; i++)
        {
            double p1 = 1 / (1 + Math.Exp(-eta[i]));
            Assert.Equal(p1, proba[2 * i + 1], 1e-15);
            Assert.Equal(1, proba[2 * i] + proba[2 * i + 1], 1e-15);
            Assert.Equal(p1 > 0.5 ? 1.0 : 0.0, classes[i]);
            Assert.Equal(d.Classes![(int)classes[i]], labels[i]);
            loss += -(d.Y[i] == 1 ? Math.Log(p1) : Math.Log(1 - p1));
            if (classes[i] == d.Y[i]) correct++;
        }
        var e = model.Evaluate(d);
        Assert.Equal(loss / d.Rows, e.Loss, 1e-10);
        Assert.Equal((double)correct / d.Rows, e.Accuracy);
        Assert.Equal(e.Accuracy!.Value, model.Score(d));
        Assert.Equal(d.Rows, e.Confusion!.Sum(r => r.Sum()));
        Assert.True(e.Accuracy > 0.95, $"accuracy {e.Accuracy}");

        var ridge = new LogisticRegression { Penalty = LinearPenalty.Ridge, Alpha = 0.01 }.Fit(d);
        Assert.Equal(0, ridge.L1Ratio);
        Assert.Equal("ridge", ridge.Penalty);
        Assert.Equal(d.Features, ridge.Sparsity.NonZero);
        var enet = new LogisticRegression { Penalty = LinearPenalty.ElasticNet, L1Ratio = 0.4, Alpha = 0.01 }.Fit(d);
        Assert.Equal(0.4, enet.L1Ratio);
    }

    [Fact]
    public void SaveAndLoadKeepEveryPredictionAndTheReport()
    {
        var d = LinearTestData.BreastCancer();
        var model = new LogisticRegression { Alpha = 0.005, Degree = 2, PolynomialColumns = ["mean_radius", "mean_texture"] }.Fit(d);
        string path = Temp("m.json");
        model.Save(path);
        var loaded = Assert.IsType<LinearModel>(Model.Load(path));
        Assert.Equal(model.Coef, loaded.Coef);
        Assert.Equal(model.Features, loaded.Features);
        Assert.Equal(model.FeatureNames, loaded.FeatureNames);
        Assert.Equal(["mean_radius", "mean_texture"], loaded.Pipeline.Columns);
        Assert.Equal(model.PredictProba(d), loaded.PredictProba(d));
        Assert.Equal(model.PredictLabels(d), loaded.PredictLabels(d));
        Assert.Equal(model.Iterations, loaded.Iterations);
        Assert.Equal(model.Converged, loaded.Converged);
        Assert.Equal(model.Seconds, loaded.Seconds);
        Assert.Equal(model.TargetName, loaded.TargetName);
        Assert.Equal(model.ToJson(), loaded.ToJson());
        Assert.Equal(d.Features + 2, model.Coef.Count);
    }

    [Fact]
    public void ThePolynomialPipelineIsStoredAndAppliedFromRawColumns()
    {
        var rng = new Occam.Numerics.Random.Rng(5);
        int n = 200;
        var x = new double[n, 2];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i, 0] = 4 * rng.NextDouble() - 2;
            x[i, 1] = rng.NextNormal();
            y[i] = 1 + 2 * x[i, 0] - 1.5 * x[i, 0] * x[i, 0] + 0.05 * rng.NextNormal();
        }
        var model = new Lasso { Alpha = 1e-3, Degree = 3, PolynomialColumns = ["x1"], Tolerance = 1e-8 }.Fit(x, y);
        Assert.Equal(["x1", "x2", "x1^2", "x1^3"], model.Features);
        Assert.Equal(["x1", "x2"], model.FeatureNames);
        Assert.Equal(-1.5, model.Coef[2], 0.05);
        Assert.Equal(2, model.Coef[0], 0.1);
        var pred = model.Predict(new double[,] { { 1.0, 0.0 } });
        Assert.Equal(model.Intercept + model.Coef[0] + model.Coef[2] + model.Coef[3], pred[0], 1e-12);
        Assert.Equal(1.5, pred[0], 0.1);
        Assert.True(model.Score(Dataset.ForRegression(x, y)) > 0.99);
        Assert.Throws<OccamException>(() => model.Predict(new double[,] { { 1.0 } }));
        // x1³ overflows: an error naming the row, never an infinite or NaN prediction.
        var e = Assert.Throws<OccamException>(() => model.Predict(new double[,] { { 1.0, 0.0 }, { 1e200, 0.0 } }));
        Assert.StartsWith("row 2, column 'x1': the value 1E+200 to the power 2 overflows", e.Message);
    }

    [Fact]
    public void ArrayOverloadsNameFeaturesAndReadLabels()
    {
        var x = new double[,] { { 0, 1 }, { 1, 0 }, { 2, 1 }, { 3, 0 }, { 4, 1 }, { 5, 0 }, { 1, 1 }, { 4, 0 } };
        var model = new LogisticRegression { Alpha = 1e-3 }.Fit(x, ["no", "no", "no", "yes", "yes", "yes", "no", "yes"]);
        Assert.Equal(["no", "yes"], model.Classes);
        Assert.Equal(["x1", "x2"], model.FeatureNames);
        Assert.Equal(["no", "yes"], model.PredictLabels(new double[,] { { 0.5, 0 }, { 4.5, 1 } }));
        var fromInts = new LogisticRegression { Alpha = 1e-3 }.Fit(x, [0, 0, 0, 1, 1, 1, 0, 1]);
        Assert.Equal(model.Coef, fromInts.Coef);
    }

    [Fact]
    public void MisuseIsAnOccamErrorNamingTheFix()
    {
        var reg = LinearTestData.Diabetes();
        var bin = LinearTestData.BreastCancer();
        Assert.Contains("LogisticRegression", Assert.Throws<OccamException>(() => new Lasso { Alpha = 1 }.Fit(bin)).Message);
        Assert.Contains("Lasso/Ridge/ElasticNet", Assert.Throws<OccamException>(() => new LogisticRegression { Alpha = 1 }.Fit(reg)).Message);
        Assert.Contains("Lasso.Alpha", Assert.Throws<OccamException>(() => new Lasso { Alpha = -1 }.Fit(reg)).Message);
        Assert.Contains("Ridge.Tolerance", Assert.Throws<OccamException>(() => new Ridge { Tolerance = 0 }.Fit(reg)).Message);
        Assert.Contains("ElasticNet.L1Ratio", Assert.Throws<OccamException>(() => new ElasticNet { L1Ratio = 2 }.Fit(reg)).Message);
        Assert.Contains("MaxIterations", Assert.Throws<OccamException>(() => new Lasso { MaxIterations = 0 }.Fit(reg)).Message);
        Assert.Contains("LogisticRegression.Alpha, --alpha) must be > 0", Assert.Throws<OccamException>(() => new LogisticRegression { Alpha = 0 }.Fit(bin)).Message);
        Assert.Contains("'nope'", Assert.Throws<OccamException>(() => new Lasso { Degree = 2, PolynomialColumns = ["nope"] }.Fit(reg)).Message);
        var iris = CsvLoader.Load(Repo.Data("iris.csv"), "species");
        Assert.Contains("MultinomialRegression.Path", Assert.Throws<OccamException>(() => new LogisticRegression().Path(iris)).Message);
        // A solver argument error (one class only) surfaces as an OccamException without the .NET parameter suffix.
        var oneClass = Dataset.ForClassification(new double[,] { { 1 }, { 2 }, { 3 } }, ["a", "b", "a"]).Subset([0, 2]);
        var e = Assert.Throws<OccamException>(() => new LogisticRegression { Alpha = 0.1 }.Fit(oneClass));
        Assert.DoesNotContain("(Parameter", e.Message);
    }

    [Fact]
    public void NonConvergenceIsReportedNotHidden()
    {
        var d = LinearTestData.Diabetes();
        var model = new ElasticNet { Alpha = 1e-3, Tolerance = 1e-12, MaxIterations = 1 }.Fit(d);
        Assert.False(model.Converged);
        Assert.Equal(1, model.Iterations);
        Assert.Contains(model.Warnings, w => w.Contains("did not converge", StringComparison.Ordinal));
        Assert.True(model.DualGap > model.GapTolerance);
    }

    [Fact]
    public void PathAndCrossValidationRunOnTheExpandedColumns()
    {
        var d = LinearTestData.Diabetes();
        var lasso = new Lasso { Degree = 2, PolynomialColumns = ["bmi"] };
        var path = lasso.Path(d, new PathOptions { Count = 20 });
        Assert.Equal(20, path.Alphas.Length);
        Assert.Equal([.. d.FeatureNames, "bmi^2"], path.FeatureNames);
        Assert.Equal(0, path.NonZero[0]);

        var (cv, model) = lasso.CrossValidate(d, new CvOptions { Folds = 5, Path = new PathOptions { Count = 20 } });
        Assert.Equal(cv.AlphaMin, model.Alpha);
        Assert.Equal(cv.Refit.Model.Coef, model.Coef);
        Assert.Null(model.Seconds);
        Assert.Equal(2, model.Pipeline.Degree);

        var ridgePath = new Ridge().Path(d, new PathOptions { Count = 5 });
        Assert.Equal(0, ridgePath.L1Ratio);
        var logit = new LogisticRegression().CrossValidate(LinearTestData.BreastCancer(), new CvOptions { Folds = 3, Stratify = true, Path = new PathOptions { Count = 8, Eps = 1e-2 } });
        Assert.Equal("logloss", logit.Result.Measure);
        Assert.Equal(TaskKind.Binary, logit.Model.Task);
    }

    [Fact]
    public void ModelFilesWriteNonAsciiNamesAsCharacters()
    {
        var x = new double[,] { { 1, 0 }, { 2, 1 }, { 3, 0 }, { 4, 1 }, { 5, 3 } };
        var model = new Ridge { Alpha = 0.1 }.Fit(Dataset.ForRegression(x, [1.0, 2.1, 2.9, 4.2, 5.0], ["taille é", "x→y"], "température"));
        string json = model.ToJson();
        Assert.Contains("\"x→y\"", json);
        Assert.Contains("\"température\"", json);
        string path = Temp("u.json");
        model.Save(path);
        Assert.Equal(["taille é", "x→y"], LinearModel.Load(path).FeatureNames);
    }
}
