using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Occam.Numerics;
using Occam.Numerics.Random;

namespace Occam.Bench;

/// <summary>
/// SGEMM C = A·B (row-major, no transposes) on the shapes of the speed goals, one and two threads,
/// with a GFLOP/s column (2·m·n·k / mean time). Run:
/// <c>dotnet run -c Release --project bench/Occam.Bench -- --filter '*GemmBenchmarks*'</c>.
/// For a quick best-of-N number use <c>-- gemm-quick</c> instead.
/// </summary>
[Config(typeof(GemmBenchmarkConfig))]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];
    private int _m, _n, _k;

    /// <summary>m×k×n.</summary>
    [Params("512x512x512", "256x784x512")]
    public string Shape { get; set; } = "512x512x512";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        (_m, _k, _n) = ParseShape(Shape);
        var rng = new Rng(42UL);
        _a = new float[_m * _k];
        _b = new float[_k * _n];
        _c = new float[_m * _n];
        for (int i = 0; i < _a.Length; i++) _a[i] = rng.NextSingle() - 0.5f;
        for (int i = 0; i < _b.Length; i++) _b[i] = rng.NextSingle() - 0.5f;
    }

    [Benchmark]
    public void Multiply() =>
        Gemm.Multiply(new GemmOptions(Threads: Threads), false, false, _m, _n, _k, 1f, _a, _k, _b, _n, 0f, _c, _n);

    internal static (int M, int K, int N) ParseShape(string shape)
    {
        int[] d = shape.Split('x').Select(int.Parse).ToArray();
        return (d[0], d[1], d[2]);
    }
}

internal sealed class GemmBenchmarkConfig : ManualConfig
{
    public GemmBenchmarkConfig()
    {
        AddColumn(new GflopsColumn());
    }
}

/// <summary>2·m·n·k floating-point operations divided by the mean time of the case.</summary>
internal sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "2·m·n·k / mean time, in 10^9 floating-point operations per second";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } stats) return "NA";
        object? shape = benchmarkCase.Parameters["Shape"];
        if (shape is not string s) return "NA";
        var (m, k, n) = GemmBenchmarks.ParseShape(s);
        return (2.0 * m * n * k / stats.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }
}
