using Occam.Data;
using Occam.Linear;
using Occam.Selection;

namespace Occam.Tests.Linear;

/// <summary>K-fold cross-validation of multinomial logistic regression (<see cref="CrossValidation.Multinomial"/>).</summary>
public class MultinomialCvTests
{
    private static Dataset Iris() => MultinomialTests.Iris();

    private static Dataset Wine() => MultinomialTests.Wine();

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void CurveFollowsItsDefinitions(bool grouped, bool stratify)
    {
        var d = Iris();
        var o = new LinearOptions { Grouped = grouped };
        var co = new CvOptions { Folds = 5, Shuffle = true, Seed = 3, Stratify = stratify, Path = new PathOptions { Count = 25, Eps = 1e-2 } };
        var cv = CrossValidation.Multinomial(d.X, d.Rows, d.Features, d.Y, o, co, d.FeatureNames);
        int m = cv.Alphas.Length, k = cv.Folds.Count;
        Assert.Equal(25, m);
        Assert.Equal("logloss", cv.Measure);

        // The grid runs from α_max of all rows: the all-rows path is all-zero at α_max and not just below it.
        var full = MultinomialRegression.Path(d.X, d.Rows, d.Features, d.Y, o, new PathOptions { Count = 25, Eps = 1e-2 });
        Assert.Equal(full.Alphas, cv.Alphas);
        Assert.Equal(0, full.NonZero[0]);

        // Mean and standard error per α from the fold errors (sample sd / √K).
        for (int a = 0; a < m; a++)
        {
            double mean = cv.FoldErrors.Average(e => e[a]);
            double se = Math.Sqrt(cv.FoldErrors.Sum(e => (e[a] - mean) * (e[a] - mean)) / (k - 1) / k);
            Assert.Equal(mean, cv.MeanError[a], 1e-14);
            Assert.Equal(se, cv.StandardError[a], 1e-14);
        }
        // α_min minimizes the mean; α_1se is the largest α within one SE of that minimum.
        double min = cv.MeanError[cv.IndexMin], bound = min + cv.StandardError[cv.IndexMin];
        Assert.All(cv.MeanError, e => Assert.True(e >= min));
        Assert.True(cv.Alpha1se >= cv.AlphaMin);
        Assert.True(cv.MeanError[cv.Index1se] <= bound);
        for (int a = 0; a < cv.Index1se; a++) Assert.True(cv.MeanError[a] > bound, $"α #{a} is larger than α_1se and within one SE");
        // Shrinking from α_max helps on iris: α_min is well inside the grid and beats the null model clearly.
        Assert.True(cv.IndexMin > 0 && min < 0.5 * cv.MeanError[0], $"min {min}, null {cv.MeanError[0]}");

        // Fold errors are the held-out mean log-loss of a path fitted on the fold's training rows alone.
        var fold = cv.Folds[1];
        var train = Subset(d, fold.Train);
        var path = MultinomialRegression.Path(train.X, train.Rows, train.Features, train.Y, o, new PathOptions { Alphas = cv.Alphas });
        foreach (int a in new[] { 0, cv.Index1se, cv.IndexMin, m - 1 })
        {
            var test = Subset(d, fold.Test);
            var proba = path.ModelAt(a).PredictProba(test.X, test.Rows);
            double loss = -Enumerable.Range(0, test.Rows).Average(i => Math.Log(proba[i * 3 + (int)test.Y[i]]));
            Assert.True(Math.Abs(loss - cv.FoldErrors[1][a]) <= 1e-10 * Math.Max(1, loss), $"α #{a}: {loss} vs {cv.FoldErrors[1][a]}");
        }

        // The refit is on all rows at α_min.
        var refit = cv.MultinomialRefit!;
        Assert.Equal(cv.AlphaMin, refit.Model.Alpha);
        Assert.Equal(grouped, refit.Model.Grouped);
        Assert.True(cv.RefitConverged, string.Join("; ", cv.Warnings));
        Assert.Throws<InvalidOperationException>(() => cv.Refit);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void FoldsAreThoseOfTheBinaryPathWithTheSameOptions(bool shuffle, bool stratify)
    {
        var d = Iris();
        var co = new CvOptions { Folds = 4, Shuffle = shuffle, Seed = 11, Stratify = stratify, Path = new PathOptions { Count = 5, Eps = 1e-2 } };
        // Unstratified folds only depend on the row count: a binary target on the same rows gets the same folds.
        // Stratified folds depend on the labels: both kinds deal the rows of each class with KFold.Stratified.
        var labels = d.Y.Select(v => (int)v).ToArray();
        if (!stratify)
        {
            // Contiguous folds of class-sorted iris miss classes; shuffle the rows once so every fold holds every class.
            var order = Enumerable.Range(0, d.Rows).ToArray();
            new Occam.Numerics.Random.Rng(5).Shuffle(order.AsSpan());
            d = Subset(d, order);
            labels = d.Y.Select(v => (int)v).ToArray();
        }
        var multi = CrossValidation.Multinomial(d.X, d.Rows, d.Features, d.Y, null, co);
        var binaryY = d.Y.Select(v => v == 2 ? 1.0 : 0.0).ToArray();
        var binary = CrossValidation.Logistic(d.X, d.Rows, d.Features, binaryY, null, co);
        var expected = stratify
            ? KFold.Stratified(labels, 4, shuffle, 11)
            : KFold.Split(d.Rows, 4, shuffle ? FoldOrder.Shuffled : FoldOrder.Contiguous, 11);
        Assert.Equal(4, multi.Folds.Count);
        for (int f = 0; f < 4; f++)
        {
            Assert.Equal(expected[f].Train, multi.Folds[f].Train);
            Assert.Equal(expected[f].Test, multi.Folds[f].Test);
            if (!stratify)
            {
                Assert.Equal(binary.Folds[f].Train, multi.Folds[f].Train);
                Assert.Equal(binary.Folds[f].Test, multi.Folds[f].Test);
            }
        }
        if (stratify)
        {
            var binaryExpected = KFold.Stratified(binaryY.Select(v => (int)v).ToArray(), 4, shuffle, 11);
            for (int f = 0; f < 4; f++) Assert.Equal(binaryExpected[f].Test, binary.Folds[f].Test);
        }
    }

    [Fact]
    public void AFoldWhoseTrainingRowsMissAClassIsAnErrorNamingTheFold()
    {
        // iris.csv is sorted by species: contiguous 3-fold CV holds out all of setosa in fold 1.
        var d = Iris();
        var e = Assert.Throws<OccamException>(() => CrossValidation.Multinomial(d.X, d.Rows, d.Features, d.Y, null, new CvOptions { Folds = 3 }));
        Assert.StartsWith("fold 1 of 3: its training rows (100) miss class 0 of the 3 classes", e.Message, StringComparison.Ordinal);
        Assert.Contains("--stratify", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        // Stratified folds keep every class in every training part.
        var ok = CrossValidation.Multinomial(d.X, d.Rows, d.Features, d.Y, null, new CvOptions { Folds = 3, Stratify = true, Path = new PathOptions { Count = 5, Eps = 1e-2 } });
        Assert.Equal(5, ok.MeanError.Length);
        // The binary check is the same one, with its own wording.
        var binaryY = d.Y.Select(v => v == 0 ? 1.0 : 0.0).ToArray();
        var b = Assert.Throws<OccamException>(() => CrossValidation.Logistic(d.X, d.Rows, d.Features, binaryY, null, new CvOptions { Folds = 3 }));
        Assert.StartsWith("fold 1 of 3: its training rows (100) hold only class 0 of the binary target", b.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EstimatorCrossValidatesAndRefitsAModelThatSavesLoadsAndPredicts(bool grouped)
    {
        var d = Wine();
        var co = new CvOptions { Folds = 5, Shuffle = true, Seed = 2, Stratify = true, Path = new PathOptions { Count = 20, Eps = 1e-3 } };
        var (cv, model) = new LogisticRegression { Grouped = grouped }.CrossValidate(d, co);
        var direct = CrossValidation.Multinomial(d.X, d.Rows, d.Features, d.Y, new LinearOptions { Grouped = grouped }, co, d.FeatureNames);
        Assert.Equal(direct.MeanError, cv.MeanError);
        Assert.Equal(direct.AlphaMin, cv.AlphaMin);
        Assert.Equal(TaskKind.Multiclass, model.Task);
        Assert.Equal(cv.AlphaMin, model.Alpha);
        Assert.Equal(grouped, model.Grouped);
        Assert.Null(model.Seconds);
        var refit = cv.MultinomialRefit!.Model;
        for (int k = 0; k < 3; k++) Assert.Equal(refit.Coef[k], model.ClassCoef![k]);

        string file = Path.Combine(Path.GetTempPath(), $"occam-mcv-{Guid.NewGuid():N}.json");
        try
        {
            model.Save(file);
            var loaded = Model.Load(file);
            Assert.Equal(d.Classes, loaded.Classes);
            var expected = refit.PredictProba(d.X, d.Rows);
            var actual = loaded.PredictProba(d);
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
            Assert.True(loaded.Score(d) > 0.95, $"accuracy {loaded.Score(d)}");
        }
        finally
        {
            File.Delete(file);
        }
        // Path on the estimator still points multiclass users to MultinomialRegression.Path.
        Assert.Contains("MultinomialRegression.Path", Assert.Throws<OccamException>(() => new LogisticRegression().Path(d)).Message, StringComparison.Ordinal);
    }

    private static Dataset Subset(Dataset d, int[] rows)
    {
        var x = new double[rows.Length * d.Features];
        for (int r = 0; r < rows.Length; r++) Array.Copy(d.X, rows[r] * d.Features, x, r * d.Features, d.Features);
        var y = rows.Select(i => d.Y[i]).ToArray();
        return new Dataset(x, y, rows.Length, d.Features, d.FeatureNames, d.TargetName, d.Task, d.Classes);
    }
}
