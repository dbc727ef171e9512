using Occam.Data;
using Occam.Linear;

namespace Occam.Tests;

/// <summary>The README's C# linear-model example: it is in the README verbatim and it runs (paths made absolute).</summary>
public class ReadmeLinearExampleTests
{
    private const string Snippet = """
        var data = CsvLoader.Load("data/diabetes.csv", target: "progression");
        var lasso = new Lasso { Alpha = 0.5, Degree = 2, PolynomialColumns = ["bmi"] }.Fit(data);   // bmi² is added, and kept in the model
        Console.WriteLine($"{lasso.Sparsity.NonZero} of {lasso.Coef.Count} non-zero, R² {lasso.Score(data):F3}, converged {lasso.Converged}");
        lasso.Save("lasso.json");                                          // occam-linear/1, atomic; Model.Load reads it back
        var (cv, best) = new Lasso().CrossValidate(data, new CvOptions { Folds = 5 });   // α_min, α_1se; best = refit at α_min
        var cancer = CsvLoader.Load("data/breast_cancer.csv", target: "benign");
        var logit = new LogisticRegression { Penalty = LinearPenalty.ElasticNet, L1Ratio = 0.5, Alpha = 0.01 }.Fit(cancer);
        double[] proba = logit.PredictProba(cancer);                       // rows × 2: P(class 0), P(class 1)
        string[] labels = logit.PredictLabels(cancer);                     // the class labels of the CSV
        """;

    [Fact]
    public void TheSnippetIsInTheReadme()
    {
        string readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md")).ReplaceLineEndings("\n");
        Assert.Contains("using Occam; using Occam.Data; using Occam.Linear;\n\n" + Snippet.ReplaceLineEndings("\n") + "\n```", readme);
    }

    [Fact]
    public void TheSnippetRuns()
    {
        string saved = Path.Combine(Path.GetTempPath(), $"readme-lasso-{Guid.NewGuid():N}.json");
        try
        {
            var data = CsvLoader.Load(Repo.Data("diabetes.csv"), target: "progression");
            var lasso = new Lasso { Alpha = 0.5, Degree = 2, PolynomialColumns = ["bmi"] }.Fit(data);
            Console.WriteLine($"{lasso.Sparsity.NonZero} of {lasso.Coef.Count} non-zero, R² {lasso.Score(data):F3}, converged {lasso.Converged}");
            lasso.Save(saved);
            var (cv, best) = new Lasso().CrossValidate(data, new CvOptions { Folds = 5 });
            var cancer = CsvLoader.Load(Repo.Data("breast_cancer.csv"), target: "benign");
            var logit = new LogisticRegression { Penalty = LinearPenalty.ElasticNet, L1Ratio = 0.5, Alpha = 0.01 }.Fit(cancer);
            double[] proba = logit.PredictProba(cancer);
            string[] labels = logit.PredictLabels(cancer);

            Assert.True(lasso.Converged);
            Assert.InRange(lasso.Sparsity.NonZero, 1, 10);
            Assert.Equal(11, lasso.Coef.Count);
            Assert.True(lasso.Score(data) > 0.45, $"R² {lasso.Score(data)}");
            Assert.Equal(lasso.Predict(data), Model.Load(saved).Predict(data));
            Assert.Equal(cv.AlphaMin, best.Alpha);
            Assert.Equal(2 * cancer.Rows, proba.Length);
            Assert.All(labels, l => Assert.Contains(l, cancer.Classes!));
            Assert.True(logit.Score(cancer) > 0.95);
        }
        finally
        {
            File.Delete(saved);
        }
    }
}
