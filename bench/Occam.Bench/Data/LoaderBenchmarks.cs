using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Occam.Data;

namespace Occam.Bench.Data;

/// <summary>
/// Load times of the shipped datasets and of an MNIST-sized CSV (10000 × 785, written from the
/// shipped IDX files in setup). Run: <c>dotnet run -c Release --project bench/Occam.Bench -- --filter *LoaderBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class LoaderBenchmarks
{
    private string _dataDir = "";
    private string _mnistCsv = "";

    [GlobalSetup]
    public void Setup()
    {
        _dataDir = FindDataDir();
        var mnist = IdxLoader.Load(Path.Combine(_dataDir, "mnist-10k-images-idx3-ubyte.gz"), Path.Combine(_dataDir, "mnist-10k-labels-idx1-ubyte.gz"));
        _mnistCsv = Path.Combine(Path.GetTempPath(), $"occam-bench-mnist-{Environment.ProcessId}.csv");
        var sb = new StringBuilder(string.Join(",", mnist.FeatureNames)).Append(",label\n");
        for (int i = 0; i < mnist.Rows; i++)
        {
            foreach (double v in mnist.Row(i))
                sb.Append(v.ToString(CultureInfo.InvariantCulture)).Append(',');
            sb.Append(mnist.Classes![(int)mnist.Y[i]]).Append('\n');
        }
        File.WriteAllText(_mnistCsv, sb.ToString());
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_mnistCsv);

    [Benchmark]
    public Dataset DigitsCsv() => CsvLoader.Load(Path.Combine(_dataDir, "digits.csv"), "digit");

    [Benchmark]
    public Dataset BreastCancerCsv() => CsvLoader.Load(Path.Combine(_dataDir, "breast_cancer.csv"), "benign");

    [Benchmark]
    public Dataset MnistCsv() => CsvLoader.Load(_mnistCsv, "label");

    [Benchmark]
    public Dataset MnistIdxGzip() => IdxLoader.Load(Path.Combine(_dataDir, "mnist-10k-images-idx3-ubyte.gz"), Path.Combine(_dataDir, "mnist-10k-labels-idx1-ubyte.gz"));

    [Benchmark]
    public Standardizer FitStandardizerMnist() => Standardizer.Fit(_mnist ??= MnistIdxGzip());

    private Dataset? _mnist;

    internal static string FindDataDir()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Occam.slnx")))
                    return Path.Combine(dir.FullName, "data");
            }
        }
        throw new InvalidOperationException("run from inside the Occam repository (Occam.slnx not found).");
    }
}
