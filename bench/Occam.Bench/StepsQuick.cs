using System.Diagnostics;
using System.Globalization;
using Occam.Data;
using Occam.Nn;
using Occam.Numerics;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Training;

namespace Occam.Bench;

/// <summary>
/// `steps`: one full training step (forward in training mode, loss, backward, Adam with L1 prox 1e-4 and coupled
/// L2 1e-4 on the weights, dropout 0.2 after each hidden ReLU) for the three reference networks, best-of-N
/// Stopwatch timing; one JSON line each: <c>{"net":"2-8-1","batch":4,"threads":1,"usPerStep":...}</c>, the
/// format bench/torch_steps.py prints. Options: <c>--seconds S</c> per case (default 2); <c>--parts</c> also times the
/// forward pass alone (training mode, and inference mode: no dropout) and forward + loss + backward
/// (<c>"forwardUs"</c>, <c>"forwardInferenceUs"</c>, <c>"backwardUs"</c> = the difference), to
/// show where a step's time goes.
/// </summary>
internal static class StepsQuick
{
    internal sealed record Net(string Name, int[] Sizes, int Batch, TaskKind Task, int[] Threads);

    internal static readonly Net[] Nets =
    [
        new("2-8-1", [2, 8, 1], 4, TaskKind.Binary, [1]),
        new("64-128-10", [64, 128, 10], 128, TaskKind.Multiclass, [1]),
        new("784-512-256-10", [784, 512, 256, 10], 256, TaskKind.Multiclass, [1, 2]),
    ];

    public static int Run(string[] args)
    {
        double seconds = 2;
        bool parts = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds") seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--parts") parts = true;
            else if (args[i] == "--detail") return Detail(seconds);
            else if (args[i] == "--ab-update") return AbUpdate(seconds);
            else
            {
                Console.Error.WriteLine($"steps: unknown option {args[i]}");
                return 2;
            }
        }
        foreach (var net in Nets)
            foreach (int threads in net.Threads)
            {
                double us = Time(net, threads, seconds);
                string extra = "";
                if (parts)
                {
                    double fi = TimeParts(net, threads, seconds, backward: false, ForwardMode.Inference);
                    double f = TimeParts(net, threads, seconds, backward: false);
                    double fb = TimeParts(net, threads, seconds, backward: true);
                    extra = string.Create(CultureInfo.InvariantCulture,
                        $",\"forwardUs\":{f:F3},\"forwardInferenceUs\":{fi:F3},\"backwardUs\":{fb - f:F3}");
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"net\":\"{net.Name}\",\"batch\":{net.Batch},\"threads\":{threads},\"usPerStep\":{us:F3}{extra}}}"));
            }
        return 0;
    }

    /// <summary>A trainer and one batch of random data for <paramref name="net"/>.</summary>
    internal static (Trainer Trainer, float[] X, float[] Y, Rng Rng) Setup(Net net)
    {
        var (_, trainer, x, y, rng) = SetupWithModel(net);
        return (trainer, x, y, rng);
    }

    private static (Mlp Model, Trainer Trainer, float[] X, float[] Y, Rng Rng) SetupWithModel(Net net)
    {
        var rng = new Rng(42UL);
        int inputs = net.Sizes[0], outputs = net.Sizes[^1];
        var spec = new MlpSpec(inputs, net.Sizes[1..^1], outputs, net.Task, Dropout: 0.2);
        var model = Mlp.Create(spec, rng);
        var reg = new LayerRegularization(new ElasticNetPenalty(1e-4, 1e-4));
        var options = new TrainingOptions
        {
            Optimizer = new OptimizerOptions { Kind = OptimizerKind.Adam, LearningRate = 1e-3 },
            BatchSize = net.Batch,
        };
        var trainer = new Trainer(model, options, NetworkRegularization.Uniform(reg, model.DenseLayers.Count), net.Batch);
        var x = new float[net.Batch * inputs];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextNormal();
        var y = new float[net.Batch];
        for (int i = 0; i < y.Length; i++) y[i] = net.Task == TaskKind.Binary ? rng.NextInt(2) : rng.NextInt(outputs);
        return (model, trainer, x, y, rng);
    }

    /// <summary>Best time of the forward pass (training mode), or of forward + loss + backward.</summary>
    private static double TimeParts(Net net, int threads, double seconds, bool backward, ForwardMode mode = ForwardMode.Training)
    {
        var (model, _, x, y, rng) = SetupWithModel(net);
        var ws = new Workspace(model, net.Batch);
        var task = net.Task;
        return Best(() =>
        {
            var scores = Backprop.Forward(model, ws, x, net.Batch, mode, rng);
            if (!backward) return;
            Occam.Losses.TaskLoss.Compute(task, scores, y, net.Batch, model.Outputs, Backprop.OutputGradient(model, ws, net.Batch));
            Backprop.Backward(model, ws, x, net.Batch);
        }, threads, seconds);
    }

    /// <summary>
    /// `--detail`: the pieces of a step outside the forward and backward passes, each timed alone on the step's own
    /// buffers (1 thread): the loss with its gradient, the metric, the optimizer loop. One JSON line per net.
    /// </summary>
    private static int Detail(double seconds)
    {
        foreach (var net in Nets)
        {
            var (model, trainer, x, y, rng) = SetupWithModel(net);
            var ws = new Workspace(model, net.Batch);
            int rows = net.Batch, outputs = model.Outputs;
            var task = net.Task;
            var scores = Backprop.Forward(model, ws, x, rows, ForwardMode.Training, rng).ToArray();
            var grad = new float[rows * outputs];
            double loss = Best(() => Occam.Losses.TaskLoss.Compute(task, scores, y, rows, outputs, grad), 1, seconds);
            double metric = Best(() => Metrics.CountCorrect(task, scores, y, rows, outputs), 1, seconds);
            double step = Best(() => trainer.Step(x, y, rows, rng, out _), 1, seconds);
            double fb = Best(() =>
            {
                var s = Backprop.Forward(model, ws, x, rows, ForwardMode.Training, rng);
                Occam.Losses.TaskLoss.Compute(task, s, y, rows, outputs, Backprop.OutputGradient(model, ws, rows));
                Backprop.Backward(model, ws, x, rows);
            }, 1, seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"net\":\"{net.Name}\",\"batch\":{rows},\"stepUs\":{step:F3},\"forwardBackwardUs\":{fb:F3},\"lossUs\":{loss:F3},\"metricUs\":{metric:F3},\"optimizerUs\":{step - fb - metric:F3}}}"));
        }
        return 0;
    }

    /// <summary>
    /// `--ab-update`: 784-512-256-10 at 2 threads, the optimizer update and the fused ReLU·dropout passes on the calling
    /// thread (A) against split over the GEMM helpers (B, the default), interleaved windows of one process, best of each; one JSON line.
    /// </summary>
    private static int AbUpdate(double seconds)
    {
        var net = Nets[^1];
        var (trainer, x, y, rng) = Setup(net);
        long saved = Trainer.ParallelUpdateMinimum, savedRows = RowPasses.MinimumEntries;
        double a = double.PositiveInfinity, b = double.PositiveInfinity;
        var total = Stopwatch.StartNew();
        try
        {
            while (total.Elapsed.TotalSeconds < seconds)
            {
                Trainer.ParallelUpdateMinimum = RowPasses.MinimumEntries = long.MaxValue;
                a = Math.Min(a, Best(() => trainer.Step(x, y, net.Batch, rng, out _), 2, 0.1));
                (Trainer.ParallelUpdateMinimum, RowPasses.MinimumEntries) = (saved, savedRows);
                b = Math.Min(b, Best(() => trainer.Step(x, y, net.Batch, rng, out _), 2, 0.1));
            }
        }
        finally
        {
            (Trainer.ParallelUpdateMinimum, RowPasses.MinimumEntries) = (saved, savedRows);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"net\":\"{net.Name}\",\"threads\":2,\"callerOnlyUs\":{a:F1},\"splitUs\":{b:F1},\"ratio\":{a / b:F3}}}"));
        return 0;
    }

    private static double Time(Net net, int threads, double seconds)
    {
        var (trainer, x, y, rng) = Setup(net);
        return Best(() => trainer.Step(x, y, net.Batch, rng, out _), threads, seconds);
    }

    private static double Best(Action step, int threads, double seconds)
    {
        int saved = Gemm.MaxThreads;
        Gemm.MaxThreads = threads;
        try
        {
            // Warm up (JIT tiers, caches), then time ~2 ms windows and keep the best of many.
            var sw = Stopwatch.StartNew();
            int warm = 0;
            while (sw.Elapsed.TotalSeconds < Math.Min(1.0, seconds / 2) || warm < 50)
            {
                step();
                warm++;
            }
            double perStep = sw.Elapsed.TotalSeconds / warm;
            int inner = Math.Max(1, (int)(0.002 / perStep));   // short windows: the best one is the least disturbed
            double best = double.PositiveInfinity;
            var total = Stopwatch.StartNew();
            while (total.Elapsed.TotalSeconds < seconds)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < inner; i++) step();
                double s = (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency / inner;   // raw ticks: no 100 ns TimeSpan rounding
                if (s < best) best = s;
            }
            return best * 1e6;
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }
}
