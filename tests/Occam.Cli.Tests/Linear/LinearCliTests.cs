using System.Text.Json;
using Occam.Data;
using Occam.Linear;

namespace Occam.Cli.Tests.Linear;

/// <summary>Runs <c>occam linear ...</c> in-process, capturing standard output and error.</summary>
[Collection("console")]
public sealed class LinearCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "occam-linear-cli-" + Guid.NewGuid().ToString("N"));

    public LinearCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static string DataFile(string name) => Occam.Tests.Repo.Data(name);

    private string Temp(string name) => Path.Combine(_dir, name);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var r = Cli.Run(args);
        return (r.ExitCode, r.Out, r.Err);
    }

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    [Fact]
    public void FitWritesTheModelAndJsonMatchesTheApi()
    {
        string model = Temp("model.json");
        var (code, stdout, stderr) = Run("linear", "fit", "--data", DataFile("diabetes.csv"), "--target", "progression",
            "--penalty", "elasticnet", "--l1-ratio", "0.7", "--alpha", "0.2", "--tol", "1e-10", "--out", model, "--json");
        Assert.True(code == 0, stderr);
        var doc = JsonDocument.Parse(File.ReadAllText(model)).RootElement;
        Assert.Equal("occam-linear/1", doc.GetProperty("format").GetString());
        Assert.Equal("regression", doc.GetProperty("task").GetString());
        Assert.Equal(10, doc.GetProperty("features").GetArrayLength());
        Assert.True(doc.GetProperty("converged").GetBoolean());
        Assert.True(doc.GetProperty("seconds").GetDouble() >= 0);
        Assert.Equal(File.ReadAllText(model), stdout);

        var d = CsvLoader.Load(DataFile("diabetes.csv"), "progression");
        var fit = ElasticNetRegression.Fit(d.X, d.Rows, d.Features, d.Y, 0.2, new LinearOptions { L1Ratio = 0.7, Tolerance = 1e-10 });
        Assert.Equal(fit.Model.Coef, Doubles(doc.GetProperty("coef")));
        Assert.Equal(fit.Model.Intercept, doc.GetProperty("intercept").GetDouble());
        Assert.Equal(0.7, doc.GetProperty("l1Ratio").GetDouble());
        Assert.Equal(fit.Iterations, doc.GetProperty("iterations").GetInt32());
    }

    [Fact]
    public void RidgeFitUsesTheDirectSolverAndPrintsATable()
    {
        var (code, stdout, stderr) = Run("linear", "fit", "--data", DataFile("diabetes.csv"), "--target", "progression", "--penalty", "ridge", "--alpha", "0.1");
        Assert.True(code == 0, stderr);
        Assert.Contains("(intercept)", stdout);
        Assert.Contains("converged", stdout);
        var d = CsvLoader.Load(DataFile("diabetes.csv"), "progression");
        var fit = RidgeRegression.Fit(d.X, d.Rows, d.Features, d.Y, 0.1);
        Assert.Equal(0, fit.Iterations);
        Assert.Contains(fit.Model.Coef[2].ToString("G6", System.Globalization.CultureInfo.InvariantCulture), stdout);
    }

    [Fact]
    public void PathWritesAlphasCoefsNonzeroAndGaps()
    {
        string file = Temp("path.json");
        var (code, _, stderr) = Run("linear", "path", "--data", DataFile("diabetes.csv"), "--target", "progression", "--n-alphas", "30", "--eps", "1e-2", "--out", file);
        Assert.True(code == 0, stderr);
        var doc = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
        Assert.Equal(30, doc.GetProperty("alphas").GetArrayLength());
        Assert.Equal(30, doc.GetProperty("coefs").GetArrayLength());
        Assert.Equal(10, doc.GetProperty("coefs")[5].GetArrayLength());
        var nz = Doubles(doc.GetProperty("nonzero"));
        Assert.Equal(0, nz[0]);
        Assert.True(nz[^1] >= 5);
        var gaps = Doubles(doc.GetProperty("dualGaps"));
        var tols = Doubles(doc.GetProperty("gapTolerances"));
        Assert.All(gaps.Zip(tols), t => Assert.True(t.First <= t.Second));
        var alphas = Doubles(doc.GetProperty("alphas"));
        Assert.Equal(1e-2, alphas[^1] / alphas[0], 1e-12);
    }

    [Fact]
    public void CvPrintsAlphaMinAndWritesTheRefitModel()
    {
        string model = Temp("cv-model.json");
        var (code, stdout, stderr) = Run("linear", "cv", "--data", DataFile("diabetes.csv"), "--target", "progression", "--folds", "5", "--json", "--model-out", model);
        Assert.True(code == 0, stderr);
        var doc = JsonDocument.Parse(stdout).RootElement;
        var d = CsvLoader.Load(DataFile("diabetes.csv"), "progression");
        var cv = CrossValidation.ElasticNet(d.X, d.Rows, d.Features, d.Y, new LinearOptions(), new CvOptions { Folds = 5 });
        Assert.Equal(cv.AlphaMin, doc.GetProperty("alphaMin").GetDouble());
        Assert.Equal(cv.Alpha1se, doc.GetProperty("alpha1se").GetDouble());
        Assert.Equal(100, doc.GetProperty("meanMse").GetArrayLength());
        Assert.Equal(100, doc.GetProperty("seMse").GetArrayLength());
        Assert.Equal("occam-linear/1", doc.GetProperty("model").GetProperty("format").GetString());
        var saved = JsonDocument.Parse(File.ReadAllText(model)).RootElement;
        Assert.Equal(cv.Refit.Model.Coef, Doubles(saved.GetProperty("coef")));
        Assert.Equal(cv.AlphaMin, saved.GetProperty("alpha").GetDouble());
    }

    [Fact]
    public void BinaryTargetIsFittedByLogisticRegression()
    {
        var (code, stdout, stderr) = Run("linear", "fit", "--data", DataFile("breast_cancer.csv"), "--target", "benign", "--alpha", "0.01", "--json");
        Assert.True(code == 0, stderr);
        var doc = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("binary", doc.GetProperty("task").GetString());
        Assert.Equal(2, doc.GetProperty("classes").GetArrayLength());
        var d = CsvLoader.Load(DataFile("breast_cancer.csv"), "benign");
        var fit = BinaryLogisticRegression.Fit(d.X, d.Rows, d.Features, d.Y, 0.01);
        Assert.Equal(fit.Model.Coef, Doubles(doc.GetProperty("coef")));
        var (code2, stdout2, _) = Run("linear", "cv", "--data", DataFile("breast_cancer.csv"), "--target", "benign", "--n-alphas", "20", "--shuffle", "--seed", "4", "--json");
        Assert.Equal(0, code2);
        Assert.Equal(20, JsonDocument.Parse(stdout2).RootElement.GetProperty("meanLogLoss").GetArrayLength());
    }

    [Theory]
    [InlineData("diabetes.csv", "progression", "2")]
    [InlineData("breast_cancer.csv", "benign", "1")]
    public void ModelFileRoundTripsToTheSamePredictions(string file, string target, string degree)
    {
        string model = Temp("rt.json");
        string[] poly = degree == "1" ? [] : ["--poly-columns", "bmi,bp"];
        var (code, _, stderr) = Run(["linear", "fit", "--data", DataFile(file), "--target", target, "--alpha", "0.01",
            "--degree", degree, "--out", model, .. poly]);
        Assert.True(code == 0, stderr);
        var read = LinearModel.Load(model);
        var d = CsvLoader.Load(DataFile(file), target);
        var o = new LinearOptions();
        var x = degree == "2" ? PolynomialFeatures.Expand(d.X, d.Rows, d.Features, 2, [2, 3]) : d.X;
        int q = x.Length / d.Rows;
        var fit = d.Task == TaskKind.Binary
            ? BinaryLogisticRegression.Fit(x, d.Rows, q, d.Y, 0.01, o)
            : ElasticNetRegression.Fit(x, d.Rows, q, d.Y, 0.01, o);
        var actual = d.Task == TaskKind.Binary ? read.PredictProba(d).Where((_, i) => i % 2 == 1).ToArray() : read.Predict(d);
        Assert.Equal(fit.Model.Predict(x, d.Rows), actual);
        Assert.Equal(d.FeatureNames, read.FeatureNames);
        Assert.IsType<LinearModel>(Model.Load(model));
    }

    [Fact]
    public void DamagedModelFilesAreOccamErrors()
    {
        string bad = Temp("bad.json");
        File.WriteAllText(bad, "{\"format\":\"occam-mlp/1\"}");
        Assert.Contains("occam-linear/1", Assert.Throws<OccamException>(() => LinearModel.Load(bad)).Message);
        File.WriteAllText(bad, "{\"format\":\"occam-linear/1\",\"task\":\"regression\",\"features\":[\"a\"],\"coef\":[1,2],\"intercept\":0,\"alpha\":1,\"l1Ratio\":1}");
        Assert.Contains("$.coef has 2 values for 1 feature", Assert.Throws<OccamException>(() => LinearModel.Load(bad)).Message);
        File.WriteAllText(bad, "{\"format\":\"occam-linear/1\",\"task\":\"regression\",\"features\":[\"a\",\"a^2\"],\"inputs\":[\"a\"],\"degree\":3,\"polynomialColumns\":[\"a\"],\"coef\":[1,2],\"intercept\":0}");
        Assert.Contains("damaged", Assert.Throws<OccamException>(() => LinearModel.Load(bad)).Message);
        File.WriteAllText(bad, "{\"format\":\"occam-linear/1\",\"task\":\"binary\",\"features\":[\"a\"],\"coef\":[1],\"intercept\":0,\"classes\":[\"x\",\"x\"]}");
        Assert.Contains("$.classes[1] 'x' is the same label as $.classes[0] 'x'", Assert.Throws<OccamException>(() => LinearModel.Load(bad)).Message);
        File.WriteAllText(bad, "{\"format\":\"occam-linear/1\",\"task\":\"regression\",\"features\":[\"a\",\"a\"],\"coef\":[1,2],\"intercept\":0}");
        Assert.Contains("$.features[1] 'a' repeats $.features[0]", Assert.Throws<OccamException>(() => Model.Load(bad)).Message);
        File.WriteAllText(bad, "{\"format\":\"occam-linear/1\",\"task\":\"multiclass\",\"features\":[\"a\"],\"coef\":[1],\"intercept\":0}");
        Assert.Contains("$.coef", Assert.Throws<OccamException>(() => Model.Load(bad)).Message);
        File.WriteAllText(bad, "{\"format\":\"occam-linear/1\",\"task\":\"ternary\",\"features\":[\"a\"],\"coef\":[1],\"intercept\":0}");
        Assert.Contains("$.task", Assert.Throws<OccamException>(() => Model.Load(bad)).Message);
        File.WriteAllText(bad, "not json");
        Assert.Throws<OccamException>(() => LinearModel.Load(bad));
        Assert.Throws<OccamException>(() => LinearModel.Load(Temp("missing.json")));
    }

    [Fact]
    public void DegreeExpandsChosenColumns()
    {
        var (code, stdout, stderr) = Run("linear", "fit", "--data", DataFile("diabetes.csv"), "--target", "progression", "--alpha", "0.1",
            "--degree", "3", "--poly-columns", "bmi,bp", "--json");
        Assert.True(code == 0, stderr);
        var doc = JsonDocument.Parse(stdout).RootElement;
        var names = doc.GetProperty("features").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(["bmi^2", "bmi^3", "bp^2", "bp^3"], names[10..]);
        Assert.Equal(3, doc.GetProperty("degree").GetInt32());
        Assert.Equal(10, doc.GetProperty("inputs").GetArrayLength());
    }

    [Theory]
    [InlineData("fit")]
    [InlineData("path")]
    [InlineData("cv")]
    public void HelpRendersForEveryCommand(string command)
    {
        // Spectre writes help to its own console; the point here is that the descriptions render (markup such as
        // "[0, 1]" must be escaped) and the exit code is 0.
        var (code, _, stderr) = Run("linear", command, "--help");
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public void L1RatioAloneMeansElasticNet()
    {
        var (code, stdout, stderr) = Run("linear", "fit", "--data", DataFile("diabetes.csv"), "--target", "progression", "--l1-ratio", "0.5", "--alpha", "0.1", "--json");
        Assert.True(code == 0, stderr);
        var doc = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("elasticnet", doc.GetProperty("penalty").GetString());
        Assert.Equal(0.5, doc.GetProperty("l1Ratio").GetDouble());
        var clash = Run("linear", "fit", "--data", DataFile("diabetes.csv"), "--target", "progression", "--penalty", "lasso", "--l1-ratio", "0.5", "--alpha", "0.1");
        Assert.NotEqual(0, clash.Code);
        Assert.Contains("--penalty elasticnet", clash.Err);
    }

    [Theory]
    [InlineData("--alpha", "-1", "alpha")]
    [InlineData("--l1-ratio", "2", "l1-ratio")]
    [InlineData("--tol", "0", "tol")]
    [InlineData("--degree", "0", "degree")]
    public void BadOptionsAreOneLineErrors(string option, string value, string mentioned)
    {
        string model = Temp("never.json");
        string[] args = ["linear", "fit", "--data", DataFile("diabetes.csv"), "--target", "progression", "--penalty", "elasticnet", "--out", model];
        if (option != "--alpha") args = [.. args, "--alpha", "0.1"];
        var (code, _, stderr) = Run([.. args, option, value]);
        Assert.NotEqual(0, code);
        Assert.Contains(mentioned, stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void FileProblemsAreOneLineErrorsWithoutOutput()
    {
        string model = Temp("never.json");
        var missing = Run("linear", "fit", "--data", Temp("nope.csv"), "--target", "y", "--alpha", "1", "--out", model);
        Assert.NotEqual(0, missing.Code);
        Assert.StartsWith("error:", missing.Err);
        Assert.Single(missing.Err.Trim().Split('\n'));

        string text = Temp("text.csv");
        File.WriteAllText(text, "x,y\n1,a\n2,b\n3,c\n4,a\n");
        var nonNumeric = Run("linear", "fit", "--data", text, "--target", "y", "--task", "regression", "--alpha", "1", "--out", model);
        Assert.NotEqual(0, nonNumeric.Code);
        Assert.StartsWith("error:", nonNumeric.Err);

        var multi = Run("linear", "cv", "--data", DataFile("iris.csv"), "--target", "species", "--folds", "3");
        Assert.NotEqual(0, multi.Code);
        Assert.Contains("fold 1 of 3", multi.Err);

        string tiny = Temp("tiny.csv");
        File.WriteAllText(tiny, "x,y\n1,2\n2,3\n3,5\n");
        var folds = Run("linear", "cv", "--data", tiny, "--target", "y", "--folds", "5");
        Assert.NotEqual(0, folds.Code);
        Assert.Contains("folds", folds.Err);

        var poly = Run("linear", "fit", "--data", DataFile("diabetes.csv"), "--target", "progression", "--alpha", "1", "--degree", "2", "--poly-columns", "nope");
        Assert.NotEqual(0, poly.Code);
        Assert.Contains("nope", poly.Err);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void ConstantColumnAndNonConvergenceAreWarnedOnStandardError()
    {
        string csv = Temp("const.csv");
        var rng = new Occam.Numerics.Random.Rng(2);
        var lines = new List<string> { "a,flat,b,y" };
        for (int i = 0; i < 40; i++)
        {
            double a = rng.NextNormal(), b = rng.NextNormal();
            lines.Add(FormattableString.Invariant($"{a},7,{b},{2 * a - b + 0.1 * rng.NextNormal()}"));
        }
        File.WriteAllLines(csv, lines);
        var (code, stdout, stderr) = Run("linear", "fit", "--data", csv, "--target", "y", "--alpha", "0.01", "--json");
        Assert.Equal(0, code);
        Assert.Contains("warning: column 'flat' is constant", stderr);
        Assert.Equal(0.0, JsonDocument.Parse(stdout).RootElement.GetProperty("coef")[1].GetDouble());

        // Cubic terms (30 correlated columns): two sweeps cannot reach the tolerance (plain diabetes is solved exactly by the
        // support Newton step within them).
        var slow = Run("linear", "fit", "--data", DataFile("diabetes.csv"), "--target", "progression", "--alpha", "0.001", "--tol", "1e-15", "--max-iter", "2",
            "--degree", "3");
        Assert.Equal(2, slow.Code);
        Assert.Contains("warning: did not converge", slow.Err);
        Assert.Contains("NOT CONVERGED", slow.Out);
    }

    [Fact]
    public void MaxIterIsABudgetPerAlphaNotForTheHiddenWarmPath()
    {
        // alpha far below alpha_max: the single-alpha fit walks a warm-start path first; --max-iter counts only the sweeps at alpha.
        // Cubic terms (30 correlated columns), which three sweeps cannot solve to 1e-12.
        var (code, stdout, stderr) = Run("linear", "fit", "--data", DataFile("diabetes.csv"), "--target", "progression",
            "--alpha", "0.001", "--tol", "1e-12", "--max-iter", "3", "--degree", "3", "--json");
        Assert.Equal(2, code);
        Assert.Contains("after 3 sweeps", stderr);
        Assert.Equal(3, JsonDocument.Parse(stdout).RootElement.GetProperty("iterations").GetInt32());
    }

    [Fact]
    public void PredictEvalAndInspectReadARegressionModelWithPolynomialColumns()
    {
        string model = Temp("poly.json");
        var (code, _, stderr) = Run("linear", "fit", "--data", DataFile("diabetes.csv"), "--target", "progression", "--alpha", "0.05",
            "--degree", "2", "--poly-columns", "bmi", "--out", model);
        Assert.True(code == 0, stderr);
        var linear = LinearModel.Load(model);
        var d = CsvLoader.Load(DataFile("diabetes.csv"), "progression", TaskKind.Regression);

        string preds = Temp("preds.csv");
        var p = Run("predict", model, "--data", DataFile("diabetes.csv"), "--out", preds);
        Assert.True(p.Code == 0, p.Err);
        var lines = File.ReadAllLines(preds);
        Assert.Equal("prediction", lines[0]);
        Assert.Equal(d.Rows + 1, lines.Length);
        Assert.Equal(linear.PredictLabels(d), lines[1..]);
        // The pipeline is applied from the raw columns: bmi^2 is not in the CSV.
        var expected = linear.Intercept + Enumerable.Range(0, 10).Sum(j => linear.Coef[j] * d.X[j]) + linear.Coef[10] * d.X[2] * d.X[2];
        Assert.Equal(expected, double.Parse(lines[1], System.Globalization.CultureInfo.InvariantCulture), 1e-9 * Math.Abs(expected));

        var e = Run("eval", model, "--data", DataFile("diabetes.csv"), "--json");
        Assert.True(e.Code == 0, e.Err);
        var ej = JsonDocument.Parse(e.Out).RootElement;
        Assert.Equal("regression", ej.GetProperty("task").GetString());
        Assert.Equal(linear.Score(d), ej.GetProperty("r2").GetDouble(), 1e-12);
        Assert.Equal(linear.DevianceExplained, ej.GetProperty("r2").GetDouble(), 1e-9);

        var i = Run("inspect", model, "--json");
        Assert.True(i.Code == 0, i.Err);
        var ij = JsonDocument.Parse(i.Out).RootElement;
        Assert.Equal("occam-linear/1", ij.GetProperty("format").GetString());
        Assert.Equal(11, ij.GetProperty("coefficients").GetInt32());
        Assert.Equal(linear.Sparsity.NonZero, ij.GetProperty("nonzero").GetInt32());
        Assert.Equal(2, ij.GetProperty("degree").GetInt32());
        var table = Run("inspect", model);
        Assert.True(table.Code == 0, table.Err);
        Assert.Contains("bmi^2", table.Out);
        Assert.Contains("linear model", table.Out);
    }

    [Fact]
    public void PredictEvalAndInspectReadABinaryModel()
    {
        string model = Temp("binary.json");
        var (code, _, stderr) = Run("linear", "fit", "--data", DataFile("breast_cancer.csv"), "--target", "benign", "--alpha", "0.02", "--out", model);
        Assert.True(code == 0, stderr);
        var linear = LinearModel.Load(model);
        var d = CsvLoader.Load(DataFile("breast_cancer.csv"), "benign");

        string preds = Temp("preds.csv");
        var p = Run("predict", model, "--data", DataFile("breast_cancer.csv"), "--out", preds);
        Assert.True(p.Code == 0, p.Err);
        var lines = File.ReadAllLines(preds);
        Assert.Equal("prediction,probability", lines[0]);
        var proba = linear.PredictProba(d);
        var labels = linear.PredictLabels(d);
        for (int r = 0; r < d.Rows; r++)
        {
            var cells = lines[r + 1].Split(',');
            Assert.Equal(labels[r], cells[0]);
            Assert.Equal(proba[2 * r + 1], double.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(proba[2 * r + 1] > 0.5 ? linear.Classes![1] : linear.Classes![0], cells[0]);
        }

        var e = Run("eval", model, "--data", DataFile("breast_cancer.csv"), "--json");
        Assert.True(e.Code == 0, e.Err);
        var ej = JsonDocument.Parse(e.Out).RootElement;
        Assert.Equal("binary", ej.GetProperty("task").GetString());
        double accuracy = ej.GetProperty("accuracy").GetDouble();
        Assert.True(accuracy > 0.9, $"accuracy {accuracy}");
        Assert.Equal(linear.Score(d), accuracy, 1e-12);
        Assert.Equal(d.Rows, ej.GetProperty("confusion").EnumerateArray().SelectMany(row => row.EnumerateArray()).Sum(v => v.GetInt32()));

        var i = Run("inspect", model, "--json");
        Assert.True(i.Code == 0, i.Err);
        Assert.Equal(2, JsonDocument.Parse(i.Out).RootElement.GetProperty("classes").GetArrayLength());
    }

    [Fact]
    public void StratifiedFoldsForBinaryTargetsOnly()
    {
        var ok = Run("linear", "cv", "--data", DataFile("breast_cancer.csv"), "--target", "benign", "--n-alphas", "8", "--eps", "0.01", "--folds", "4", "--stratify", "--json");
        Assert.True(ok.Code == 0, ok.Err);
        var doc = JsonDocument.Parse(ok.Out).RootElement;
        Assert.True(doc.GetProperty("stratify").GetBoolean());
        Assert.Equal(8, doc.GetProperty("meanLogLoss").GetArrayLength());
        var bad = Run("linear", "cv", "--data", DataFile("diabetes.csv"), "--target", "progression", "--stratify");
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("drop --stratify", bad.Err);
    }
}
