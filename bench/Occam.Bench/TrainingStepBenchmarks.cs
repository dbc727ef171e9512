using BenchmarkDotNet.Attributes;
using Occam.Numerics;
using Occam.Numerics.Random;
using Occam.Training;

namespace Occam.Bench;

/// <summary>
/// BenchmarkDotNet version of `steps`: one full training step (Adam, L1 prox + L2, dropout 0.2) per network,
/// with 1 and 2 GEMM threads. Run: <c>dotnet run -c Release --project bench/Occam.Bench -- --filter '*TrainingStep*'</c>.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private Trainer _trainer = null!;
    private float[] _x = [];
    private float[] _y = [];
    private Rng _rng = null!;
    private int _batch;

    [Params("2-8-1", "64-128-10", "784-512-256-10")]
    public string Net { get; set; } = "2-8-1";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        var net = StepsQuick.Nets.Single(n => n.Name == Net);
        Gemm.MaxThreads = Threads;
        (_trainer, _x, _y, _rng) = StepsQuick.Setup(net);
        _batch = net.Batch;
    }

    [Benchmark]
    public float Step() => _trainer.Step(_x, _y, _batch, _rng, out _);
}
