using Occam.Data;
using Occam.Optimizers;
using Occam.Regularization;

namespace Occam.Tests;

/// <summary>
/// The C# example of the README runs here line for line (between the README markers; only the file paths differ),
/// and <see cref="ReadmeShowsThisExample"/> checks that the README shows exactly these lines.
/// </summary>
public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeApiExampleWorks()
    {
        string path = Path.Combine(Path.GetTempPath(), $"readme-{Guid.NewGuid():N}.json");
        try
        {
            // README begin
            var data = CsvLoader.Load(Repo.Data("digits.csv"), target: "digit");
            var model = new MlpClassifier
            {
                Hidden = [64],
                Penalty = Penalty.L1(1e-3),                    // λ·Σ|w|, prox mode: exact zeros
                Optimizer = Optim.Adam(lr: 1e-3),
                ValidationSplit = 0.2, EarlyStopping = 10, Epochs = 60, Seed = 1,
            }.Fit(data);
            Console.WriteLine($"accuracy {model.Score(data):P1}, zero weights {model.Sparsity.ZeroFraction:P1}");
            double[] proba = model.PredictProba(data);        // rows × 10 class probabilities, each row sums to 1
            string[] labels = model.PredictLabels(data);      // "0" … "9"
            model.Save(path);                     // occam-mlp/1, atomic write
            IModel again = Model.Load(path);      // any Occam model file, by its "format"
            // README end

            Assert.True(model.Score(data) > 0.95, $"accuracy {model.Score(data)}");
            Assert.True(model.Sparsity.ZeroFraction > 0.3, $"zero fraction {model.Sparsity.ZeroFraction}");
            Assert.Equal(data.Rows * 10, proba.Length);
            Assert.Equal(1.0, proba.AsSpan(0, 10).ToArray().Sum(), 1e-6);
            Assert.All(labels, l => Assert.Contains(l, model.Classes!));
            Assert.Equal(model.Predict(data), again.Predict(data));
            Assert.Equal(10, again.Evaluate(data).Confusion!.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadmeShowsThisExample()
    {
        string readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        int section = readme.IndexOf("## The C# API", StringComparison.Ordinal);
        int start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        int end = readme.IndexOf("```", start, StringComparison.Ordinal);
        var shown = Lines(readme[start..end]).Where(l => !l.StartsWith("using ", StringComparison.Ordinal)).ToArray();

        string source = File.ReadAllText(Path.Combine(Repo.Root, "tests", "Occam.Tests", "ReadmeExampleTests.cs"));
        int from = source.IndexOf("// README begin", StringComparison.Ordinal) + "// README begin".Length;
        int to = source.IndexOf("// README end", from, StringComparison.Ordinal);
        var tested = Lines(source[from..to]
            .Replace("Repo.Data(\"digits.csv\")", "\"data/digits.csv\"", StringComparison.Ordinal)
            .Replace("(path)", "(\"digits-l1.json\")", StringComparison.Ordinal)).ToArray();
        Assert.Equal(tested, shown);
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Replace(l.Trim(), @"\s+", " ")).Where(l => l.Length > 0);
}
