using System.Text;
using Occam.Data;

namespace Occam.Cli.Tests;

/// <summary>
/// Issue 11: seeded random mutations of a small valid CSV, fed to the loader and to <c>occam train/predict/eval</c>
/// in-process. Nothing may crash: the loader either returns finite float32-range data or throws
/// <see cref="OccamException"/>; a command either succeeds with finite results or fails with one <c>error:</c> line
/// and no internal error (exit 70); exit 0 never comes with NaN.
/// </summary>
[Collection("console")]
public class CsvFuzzTests
{
    private const string Valid =
        "a,b,c,y\n0.5,1,-2,x\n1.5,2,0,z\n2.5,-1,3,x\n3.5,0,1e-3,z\n-4,2.25,7,x\n5,1,1,z\n0,0,0,x\n6,2,-1,z\n";

    /// <summary>Text fragments that CSV parsers and number parsers trip over.</summary>
    private static readonly string[] Fragments =
    [
        ",", "\"", "\"\"", "\n", "\r\n", "\r", ";", "\t", " ", "", "e", "E+", "-", ".", "x", "0", "9", "NaN", "inf", "-Infinity",
        "1e39", "-3.5e38", "3.4028235e38", "1e-400", "1e308", "-0", "+1", "0x10", "1,5", "1.2.3", "١", "é", "\uFEFF", "\0",
        "99999999999999999999", "y", "a", "\"a,b\"", "\"x\ny\"", "\"unclosed", "=1+1",
    ];

    private static string Mutate(string text, Random rng)
    {
        var s = new StringBuilder(text);
        int edits = 1 + rng.Next(3);
        for (int e = 0; e < edits; e++)
        {
            int at = s.Length == 0 ? 0 : rng.Next(s.Length + 1);
            switch (rng.Next(8))
            {
                case 0 when s.Length > 0: // delete a run of characters
                    int start = Math.Min(at, s.Length - 1);
                    s.Remove(start, Math.Min(1 + rng.Next(4), s.Length - start));
                    break;
                case 1 or 2: // insert a tricky fragment
                    s.Insert(at, Fragments[rng.Next(Fragments.Length)]);
                    break;
                case 3: // replace one cell by a fragment
                {
                    var lines = s.ToString().Split('\n');
                    int line = rng.Next(lines.Length);
                    var cells = lines[line].Split(',');
                    cells[rng.Next(cells.Length)] = Fragments[rng.Next(Fragments.Length)];
                    lines[line] = string.Join(',', cells);
                    s = new StringBuilder(string.Join('\n', lines));
                    break;
                }
                case 4: // duplicate or drop a line
                {
                    var lines = s.ToString().Split('\n').ToList();
                    int line = rng.Next(lines.Count);
                    if (rng.Next(2) == 0) lines.Insert(line, lines[line]);
                    else lines.RemoveAt(line);
                    s = new StringBuilder(string.Join('\n', lines));
                    break;
                }
                case 5: // truncate
                    s.Length = at;
                    break;
                case 6: // swap the separator everywhere
                    s.Replace(",", rng.Next(2) == 0 ? ";" : "\t");
                    break;
                default: // a random character
                    s.Insert(at, (char)rng.Next(1, 0x3000));
                    break;
            }
        }
        return s.ToString();
    }

    private static IEnumerable<(int Case, string Text)> Cases(int seed, int count)
    {
        var rng = new Random(seed);
        for (int i = 0; i < count; i++) yield return (i, Mutate(Valid, rng));
    }

    [Fact]
    public void LoaderReturnsFiniteDataOrAnOccamException()
    {
        using var dir = new TempDir();
        string path = dir.File("f.csv");
        int loaded = 0, refused = 0;
        foreach (var (i, text) in Cases(seed: 11, count: 2000))
        {
            // Every fifth case is written with a stray invalid UTF-8 byte.
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            if (i % 5 == 0 && bytes.Length > 0) bytes[i % bytes.Length] = 0xFF;
            File.WriteAllBytes(path, bytes);
            try
            {
                var d = CsvLoader.Load(path, "y");
                Assert.All(d.X, v => Assert.True(float.IsFinite((float)v), $"case {i}: non-finite value {v}"));
                Assert.All(d.Y, v => Assert.True(double.IsFinite(v), $"case {i}: non-finite target {v}"));
                Assert.Equal(d.Rows * d.Features, d.X.Length);
                loaded++;
            }
            catch (OccamException e)
            {
                Assert.False(e.Message.Contains('\n', StringComparison.Ordinal), $"case {i}: multi-line message {e.Message}");
                refused++;
            }
        }
        // The mutations are neither all harmless nor all fatal: both paths are exercised.
        Assert.True(loaded > 200 && refused > 200, $"loaded {loaded}, refused {refused}");
    }

    private static void AssertCleanRun(Cli.Result r, int i, string what)
    {
        string all = r.Out + r.Err;
        Assert.False(r.ExitCode == 70 || all.Contains("internal error", StringComparison.Ordinal), $"case {i} {what}: {r.Err}");
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        if (r.ExitCode != 0)
        {
            string err = r.Err.Trim();
            Assert.True(err.StartsWith("error:", StringComparison.Ordinal) && !err.Contains('\n', StringComparison.Ordinal), $"case {i} {what}: {r.Err}");
        }
    }

    [Fact]
    public void CommandsNeverCrashAndNeverSucceedWithNaN()
    {
        using var dir = new TempDir();
        string valid = dir.Write("valid.csv", Valid);
        string model = dir.File("m.json");
        Assert.Equal(0, Cli.Run("train", "--data", valid, "--target", "y", "--hidden", "3", "--epochs", "2", "--out", model).ExitCode);
        string data = dir.File("f.csv");
        string preds = dir.File("p.csv");
        int succeeded = 0;
        foreach (var (i, text) in Cases(seed: 23, count: 300))
        {
            File.WriteAllText(data, text);
            File.Delete(preds);
            var predict = Cli.Run("predict", model, "--data", data, "--out", preds);
            AssertCleanRun(predict, i, "predict");
            if (predict.ExitCode == 0)
            {
                succeeded++;
                string csv = File.ReadAllText(preds);
                Assert.DoesNotContain("NaN", csv, StringComparison.Ordinal);
                Assert.DoesNotContain("Infinity", csv, StringComparison.Ordinal);
            }
            else
            {
                Assert.False(File.Exists(preds), $"case {i}: a failed predict left {preds}");
            }

            var eval = Cli.Run("eval", model, "--data", data, "--json");
            AssertCleanRun(eval, i, "eval");
            if (eval.ExitCode == 0)
            {
                using var doc = System.Text.Json.JsonDocument.Parse(eval.Out);
                Assert.Equal(System.Text.Json.JsonValueKind.Number, doc.RootElement.GetProperty("loss").ValueKind);
                Assert.True(double.IsFinite(doc.RootElement.GetProperty("loss").GetDouble()), $"case {i}: eval loss");
            }

            if (i % 4 == 0)
            {
                string m2 = dir.File("m2.json");
                var train = Cli.Run("train", "--data", data, "--target", "y", "--hidden", "2", "--epochs", "1", "--out", m2, "--json");
                AssertCleanRun(train, i, "train");
                if (train.ExitCode == 0)
                {
                    using var doc = System.Text.Json.JsonDocument.Parse(train.Out);
                    Assert.True(double.IsFinite(doc.RootElement.GetProperty("trainLoss").GetDouble()), $"case {i}: train loss");
                    File.Delete(m2);
                }
                else
                {
                    Assert.False(File.Exists(m2), $"case {i}: a failed train left a model");
                }
            }
        }
        Assert.True(succeeded > 30, $"only {succeeded} of 300 mutated files could be predicted");
        Assert.True(succeeded < 300, "no mutation was refused");
    }

    [Fact]
    public void MutationsAreSeeded()
    {
        Assert.Equal(Cases(5, 50).Select(c => c.Text), Cases(5, 50).Select(c => c.Text));
        Assert.NotEqual(Cases(5, 50).Select(c => c.Text), Cases(6, 50).Select(c => c.Text));
    }
}
