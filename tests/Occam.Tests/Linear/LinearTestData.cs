using System.Text.Json;
using Occam.Data;

namespace Occam.Tests.Linear;

/// <summary>Shipped data, golden files and small synthetic problems for the linear-model tests.</summary>
internal static class LinearTestData
{
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Occam.slnx"))) return dir.FullName;
            throw new InvalidOperationException("Occam.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    public static Dataset Diabetes() => CsvLoader.Load(Path.Combine(RepoRoot, "data", "diabetes.csv"), "progression", TaskKind.Regression);

    public static Dataset BreastCancer() => CsvLoader.Load(Path.Combine(RepoRoot, "data", "breast_cancer.csv"), "benign", TaskKind.Binary);

    /// <summary>Diabetes as scikit-learn prepares it: columns centred and scaled to unit Euclidean norm, y raw.</summary>
    public static (double[] X, double[] Y, int N, int P) DiabetesPrepared()
    {
        var d = Diabetes();
        int n = d.Rows, p = d.Features;
        var x = (double[])d.X.Clone();
        for (int j = 0; j < p; j++)
        {
            double m = 0;
            for (int i = 0; i < n; i++) m += x[i * p + j];
            m /= n;
            double ss = 0;
            for (int i = 0; i < n; i++) { x[i * p + j] -= m; ss += x[i * p + j] * x[i * p + j]; }
            double s = Math.Sqrt(ss);
            for (int i = 0; i < n; i++) x[i * p + j] /= s;
        }
        return (x, d.Y, n, p);
    }

    public static JsonElement Golden(string name)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot, "tests", "golden", "linear", name));
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static double[] Doubles(this JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static double[][] Matrix(this JsonElement e) => e.EnumerateArray().Select(Doubles).ToArray();

    public static int[] Ints(this JsonElement e) => e.EnumerateArray().Select(v => (int)Math.Round(v.GetDouble())).ToArray();

    /// <summary>Gaussian design with seeded noise: y = X·beta + intercept + σ·ε.</summary>
    public static (double[] X, double[] Y) Synthetic(int n, int p, ulong seed, int informative, double noise = 0.5, double intercept = 3)
    {
        var rng = new Occam.Numerics.Random.Rng(seed);
        var x = new double[n * p];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextNormal() * (1 + (i % p) % 3) + (i % p) % 5;
        var beta = new double[p];
        for (int j = 0; j < Math.Min(informative, p); j++) beta[j] = (j % 2 == 0 ? 1 : -1) * (1 + j % 4);
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = intercept;
            for (int j = 0; j < p; j++) s += x[i * p + j] * beta[j];
            y[i] = s + noise * rng.NextNormal();
        }
        return (x, y);
    }

    /// <summary>max |a − b| / max(1, max |b|).</summary>
    public static double RelativeError(double[] a, double[] b)
    {
        double d = 0, m = 1;
        for (int i = 0; i < a.Length; i++) { d = Math.Max(d, Math.Abs(a[i] - b[i])); m = Math.Max(m, Math.Abs(b[i])); }
        return d / m;
    }
}
