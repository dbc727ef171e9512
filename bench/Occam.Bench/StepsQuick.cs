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
/// format bench/torch_steps.py prints. Options: <c>--seconds S</c> per case (default 2); <c>--spread</c> also times single
/// steps (<c>--threads N</c>: only that thread count; <c>"p10Us"</c>, <c>"medianUs"</c>, <c>"meanUs"</c>, <c>"p90Us"</c>: what a loop pays, beside the best window); <c>--parts</c> also times the
/// forward pass alone (training mode, and inference mode: no dropout) and forward + loss + backward
/// (<c>"forwardUs"</c>, <c>"forwardInferenceUs"</c>, <c>"backwardUs"</c> = the difference), to
/// show where a step's time goes.
/// </summary>
internal static class StepsQuick
{
    internal sealed record Net(string Name, int[] Sizes, int Batch, TaskKind Task, int[] Threads);

    /// <summary>`--batch N` (before `--phases`): the net's batch for <c>--phases</c> (0: its own).</summary>
    private static int s_batch;

    internal static readonly Net[] Nets =
    [
        new("2-8-1", [2, 8, 1], 4, TaskKind.Binary, [1]),
        new("64-128-10", [64, 128, 10], 128, TaskKind.Multiclass, [1, 2]),
        new("784-512-256-10", [784, 512, 256, 10], 256, TaskKind.Multiclass, [1, 2]),
    ];

    public static int Run(string[] args)
    {
        double seconds = 2;
        bool parts = false, spread = false;
        string? only = null;
        int onlyThreads = 0;
        // The settings first, wherever they stand: an --ab-… or --phases option runs as soon as it is read (until session 20
        // a --seconds after it was ignored, so `--ab-own own --seconds 10` ran for the default 2 s).
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--seconds") seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
            else if (args[i] == "--net") only = args[i + 1];
            else if (args[i] == "--threads") onlyThreads = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            else if (args[i] == "--batch") s_batch = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
        }
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds") seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--net") only = args[++i];
            else if (args[i] == "--threads") onlyThreads = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--batch") s_batch = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--parts") parts = true;
            else if (args[i] == "--spread") spread = true;
            else if (args[i] == "--detail") return Detail(seconds);
            else if (args[i] == "--ab-update") return AbUpdate(seconds);
            else if (args[i] == "--ab-scale") return AbStep(seconds, "scale");
            else if (args[i] == "--ab-rowb") return AbStep(seconds, "rowb", onlyThreads);
            else if (args[i] == "--ab-bypanel") return AbStep(seconds, "bypanel", onlyThreads);
            else if (args[i] == "--ab-packing") return AbStep(seconds, "packing", onlyThreads);
            else if (args[i] == "--ab-biasc") return AbStep(seconds, "biasc", onlyThreads);
            else if (args[i] == "--ab-columns") return AbStep(seconds, "columns", onlyThreads);
            else if (args[i] == "--ab-half") return AbStep(seconds, "half", onlyThreads);
            else if (args[i] == "--ab-own") return AbStep(seconds, i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "own", onlyThreads);
            else if (args[i] == "--ab-pack") return AbPack(seconds, i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "packing", only);
            else if (args[i] == "--ab-dw") return AbWeightGradientPath(seconds);
            else if (args[i] == "--tail") return Tail(seconds);
            else if (args[i] == "--phases") return Phases(seconds, only ?? "784-512-256-10", onlyThreads);
            else if (args[i] == "--ab-adam") return AbAdam(seconds, i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[++i], CultureInfo.InvariantCulture) : 535818);
            else if (args[i] == "--split-pieces") return SplitPieces(seconds);
            else if (args[i] == "--ab-split") return AbSplit(seconds, i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null);
            else if (args[i] == "--ab-inplace") return AbInPlace(seconds, only);
            else if (args[i] == "--trace") return StepTrace.Run(args);
            else if (args[i] == "--pieces") return Pieces(seconds, i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null);
            else
            {
                Console.Error.WriteLine($"steps: unknown option {args[i]}");
                return 2;
            }
        }
        foreach (var net in Nets)
            foreach (int threads in net.Threads)
            {
                if ((only is not null && net.Name != only) || (onlyThreads > 0 && threads != onlyThreads)) continue;
                double us = Time(net, threads, seconds);
                string extra = "";
                if (spread)
                {
                    var (p10, median, mean, p90, n) = Spread(net, threads, seconds);
                    extra += string.Create(CultureInfo.InvariantCulture,
                        $",\"singleSteps\":{n},\"p10Us\":{p10:F1},\"medianUs\":{median:F1},\"meanUs\":{mean:F1},\"p90Us\":{p90:F1}");
                }
                if (parts)
                {
                    double fi = TimeParts(net, threads, seconds, backward: false, ForwardMode.Inference);
                    double f = TimeParts(net, threads, seconds, backward: false);
                    double fb = TimeParts(net, threads, seconds, backward: true);
                    extra += string.Create(CultureInfo.InvariantCulture,
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
    /// `--pieces [SUBSTRING]`: every operation (or those whose name contains SUBSTRING) of the 64-128-10 step (batch 128, 1 thread) timed alone on the step's own buffers and
    /// shapes, best of windows, beside the whole step: where the time outside the products goes. One JSON line per piece.
    /// </summary>
    private static int Pieces(double seconds, string? filter)
    {
        var net = Nets[1];
        var (model, trainer, x, y, rng) = SetupWithModel(net);
        var ws = new Workspace(model, net.Batch);
        int rows = net.Batch, inputs = net.Sizes[0], hidden = net.Sizes[1], outputs = net.Sizes[2];
        var d1 = model.DenseLayers[0];
        var d2 = model.DenseLayers[1];
        var z = new float[rows * hidden];
        var h = new float[rows * hidden];
        var s = new float[rows * outputs];
        var ds = new float[rows * outputs];
        var dh = new float[rows * hidden];
        var dw1 = new float[hidden * inputs];
        var dw2 = new float[outputs * hidden];
        var db1 = new float[hidden];
        var db2 = new float[outputs];
        Backprop.Forward(model, ws, x, rows, ForwardMode.Training, rng);
        ws.Outputs[3].AsSpan(0, rows * outputs).CopyTo(s);
        var task = net.Task;
        var adam = new AdamW(1e-3, name: "adam");
        var m = new float[d1.Weight.Length];
        var v = new float[d1.Weight.Length];
        double l2 = 1e-4;
        ushort threshold = DropoutMask.Threshold(0.2);
        float keep = DropoutMask.Keep(0.2);
        var pieces = new (string Name, Action Run)[]
        {
            ("step", () => trainer.Step(x, y, rows, rng, out _)),
            ("Backprop.Forward", () => Backprop.Forward(model, ws, x, rows, ForwardMode.Training, rng)),
            ("Backprop.Backward", () => Backprop.Backward(model, ws, x, rows)),
            ("fwd1 in place", () => Gemm.Multiply(new GemmOptions(Path: GemmPath.InPlace), false, true, rows, hidden, inputs, 1f, x, inputs, d1.Weight, inputs, 1f, z, hidden)),
            ("dW1 in place", () => Gemm.Multiply(new GemmOptions(Path: GemmPath.InPlace), true, false, hidden, inputs, rows, 1f, dh, hidden, x, inputs, 0f, dw1, inputs)),
            ("bias copy 1", () => Occam.Numerics.LinearAlgebra.RowBroadcast.Fill(d1.Bias, rows, z)),
            ("fwd1 NT 128x64x128", () => Gemm.Multiply(false, true, rows, hidden, inputs, 1f, x, inputs, d1.Weight, inputs, 1f, z, hidden)),
            ("relu-dropout fwd", () => Occam.Numerics.Activations.ReluDropout.Forward(z, [], hidden, h, 12345UL, 0, threshold, keep)),
            ("bias-relu-dropout fwd", () => Occam.Numerics.Activations.ReluDropout.Forward(z, d1.Bias, hidden, h, 12345UL, 0, threshold, keep)),
            ("fwd1 NT 128x64x128 beta 0", () => Gemm.Multiply(false, true, rows, hidden, inputs, 1f, x, inputs, d1.Weight, inputs, 0f, z, hidden)),
            ("bias copy 2", () => Occam.Numerics.LinearAlgebra.RowBroadcast.Fill(d2.Bias, rows, s)),
            ("fwd2 NT 128x128x10", () => Gemm.Multiply(false, true, rows, outputs, hidden, 1f, h, hidden, d2.Weight, hidden, 1f, s, outputs)),
            ("loss", () => Occam.Losses.TaskLoss.Compute(task, s, y, rows, outputs, ds)),
            ("loss, row-by-row reference", () => Occam.Numerics.Losses.SoftmaxCrossEntropy.ComputeScalar(s, rows, outputs, y, ds)),
            ("bias copy 1, CopyTo per row", () => { for (int r = 0; r < rows; r++) d1.Bias.CopyTo(z.AsSpan(r * hidden, hidden)); }),
            ("metric", () => Metrics.CountCorrect(task, s, y, rows, outputs)),
            ("dW2 TN 10x128x128", () => Gemm.Multiply(true, false, outputs, hidden, rows, 1f, ds, outputs, h, hidden, 0f, dw2, hidden)),
            ("db2 SumOfRows", () => Occam.Numerics.Reductions.SumOfRows.Compute(ds, rows, outputs, db2)),
            ("dX2 NN 128x10x128", () => Gemm.Multiply(false, false, rows, hidden, outputs, 1f, ds, outputs, d2.Weight, hidden, 0f, dh, hidden)),
            ("mask fill V256 (16 per step)", () => KeepMask.Fill(VectorWidth.V256, h, 12345UL, 0, threshold, keep)),
            ("relu-dropout bwd", () => Occam.Numerics.Activations.ReluDropout.Backward(h, dh, dh, keep)),
            ("dW1 TN 128x128x64", () => Gemm.Multiply(true, false, hidden, inputs, rows, 1f, dh, hidden, x, inputs, 0f, dw1, inputs)),
            // The four products above as they ran before session 10 on the Vector256 kernel (packed path; same on AVX-512).
            ("fwd2 NT 128x128x10 (V256 packed)", () => Packed256(() => Gemm.Multiply(false, true, rows, outputs, hidden, 1f, h, hidden, d2.Weight, hidden, 1f, s, outputs))),
            ("dW2 TN 10x128x128 (V256 packed)", () => Packed256(() => Gemm.Multiply(true, false, outputs, hidden, rows, 1f, ds, outputs, h, hidden, 0f, dw2, hidden))),
            ("dX2 NN 128x10x128 (V256 packed)", () => Packed256(() => Gemm.Multiply(false, false, rows, hidden, outputs, 1f, ds, outputs, d2.Weight, hidden, 0f, dh, hidden))),
            ("dW1 TN 128x128x64 (V256 packed)", () => Packed256(() => Gemm.Multiply(true, false, hidden, inputs, rows, 1f, dh, hidden, x, inputs, 0f, dw1, inputs))),
            ("db1 SumOfRows", () => Occam.Numerics.Reductions.SumOfRows.Compute(dh, rows, hidden, db1)),
            ("adam W1 (8192)", () => AdamW.Update(d1.Weight, dw1, m, v, new AdamW.StepConstants(1e-3f, 0.5f), 1e-3, 0.9, 0.999, 1e-8, 0, 1e-4, (float)l2)),
        };
        double sum = 0;
        foreach (var (name, run) in pieces)
        {
            if (filter is not null && !name.Contains(filter, StringComparison.Ordinal)) continue;
            double us = Best(run, 1, seconds);
            if (name != "step") sum += us;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"piece\":\"{name}\",\"us\":{us:F3}}}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"piece\":\"sum of pieces (Adam W1 only)\",\"us\":{sum:F3}}}"));
        return 0;
    }

    /// <summary>Runs <paramref name="product"/> with the Vector256 kernel's in-place path off (<see cref="GemmInPlace.OnVector256"/>): the packed path.</summary>
    private static void Packed256(Action product)
    {
        GemmInPlace.OnVector256 = false;
        try { product(); }
        finally { GemmInPlace.OnVector256 = true; }
    }

    /// <summary>
    /// `--ab-inplace [--net NAME]`: each net's step at 1 thread with the Vector256 kernel's in-place path off (A: the packed
    /// path, as before session 10) and on (B), alternating 0.15 s windows in one process for the time given; best and
    /// median of the rounds' bests. Only meaningful on the Vector256 kernel (AVX2, or <c>DOTNET_EnableAVX512=0</c>).
    /// </summary>
    private static int AbInPlace(double seconds, string? only)
    {
        foreach (var net in Nets)
        {
            if (only is not null && net.Name != only) continue;
            var (trainer, x, y, rng) = Setup(net);
            var a = new List<double>();
            var b = new List<double>();
            var total = Stopwatch.StartNew();
            try
            {
                while (total.Elapsed.TotalSeconds < seconds || a.Count < 8)
                {
                    GemmInPlace.OnVector256 = false;
                    a.Add(Best(() => trainer.Step(x, y, net.Batch, rng, out _), 1, 0.15));
                    GemmInPlace.OnVector256 = true;
                    b.Add(Best(() => trainer.Step(x, y, net.Batch, rng, out _), 1, 0.15));
                }
            }
            finally
            {
                GemmInPlace.OnVector256 = true;
            }
            a.Sort();
            b.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"net\":\"{net.Name}\",\"kernel\":\"{GemmKernelInfo.AutoKind}\",\"rounds\":{a.Count},\"packedBestUs\":{a[0]:F2},\"packedMedianUs\":{a[a.Count / 2]:F2},\"inPlaceBestUs\":{b[0]:F2},\"inPlaceMedianUs\":{b[b.Count / 2]:F2},\"ratio\":{a[0] / b[0]:F3}}}"));
        }
        return 0;
    }

    /// <summary>
    /// `--split-pieces`: the products of 64-128-10's step (batch 128) at 1 thread, whole and as the split step's two halves
    /// (rows for the forward and input-gradient products, units for the weight gradient), best µs of each; one JSON line each.
    /// </summary>
    private static int SplitPieces(double seconds)
    {
        const int rows = 128, inputs = 64, hidden = 128, outputs = 10;
        var rng = new Rng(5UL);
        float[] R(int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float)rng.NextNormal(); return a; }
        float[] x = R(rows * inputs), w1 = R(hidden * inputs), h = R(rows * hidden), w2 = R(outputs * hidden), dy = R(rows * outputs), dz = R(rows * hidden);
        float[] c1 = new float[rows * hidden], c2 = new float[rows * hidden], dw1 = new float[hidden * inputs], sums = new float[hidden];
        var one = new GemmOptions(Threads: 1);
        void Line(string name, double whole, double halves) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"piece\":\"{name}\",\"kernel\":\"{GemmKernelInfo.AutoKind}\",\"wholeUs\":{whole:F2},\"twoHalvesUs\":{halves:F2}}}"));
        {
            var net = Nets[1];
            var (model, _, bx, by, brng) = SetupWithModel(net);
            var ws = new Workspace(model, net.Batch);
            ulong[] seeds = new ulong[model.Layers.Count];
            Line("training forward (unsplit; 2 x ForwardRows)", Best(() => Backprop.Forward(model, ws, bx, net.Batch, ForwardMode.Training, brng), 1, seconds),
                Best(() =>
                {
                    Backprop.ForwardRows(model, ws, bx, 0, 64, seeds);
                    Backprop.ForwardRows(model, ws, bx, 64, 128, seeds);
                }, 1, seconds));
            Occam.Losses.TaskLoss.Compute(net.Task, ws.Outputs[^1].AsSpan(0, 1280), by, net.Batch, model.Outputs, Backprop.OutputGradient(model, ws, net.Batch));
            Line("backward (unsplit; 2 x BackwardRows + 2 x WeightGradientUnits per layer)", Best(() => Backprop.Backward(model, ws, bx, net.Batch), 1, seconds),
                Best(() =>
                {
                    Backprop.BackwardRows(model, ws, 0, 64);
                    Backprop.BackwardRows(model, ws, 64, 128);
                    Backprop.WeightGradientUnits(model, ws, bx, 128, 0, model.WeightOf(0), model.BiasOf(0), 0, 64);
                    Backprop.WeightGradientUnits(model, ws, bx, 128, 0, model.WeightOf(0), model.BiasOf(0), 64, 128);
                    Backprop.WeightGradientUnits(model, ws, bx, 128, 3, model.WeightOf(1), model.BiasOf(1), 0, 5);
                    Backprop.WeightGradientUnits(model, ws, bx, 128, 3, model.WeightOf(1), model.BiasOf(1), 5, 10);
                }, 1, seconds));
        }
        Line("forward 128x128x64", Best(() => Gemm.MultiplyRowsWith(one, false, true, rows, hidden, inputs, 1f, x, inputs, [], w1, inputs, [], 0f, c1, hidden), 1, seconds),
            Best(() =>
            {
                Gemm.MultiplyRowsWith(one, false, true, 64, hidden, inputs, 1f, x, inputs, [], w1, inputs, [], 0f, c1, hidden);
                Gemm.MultiplyRowsWith(one, false, true, 64, hidden, inputs, 1f, x.AsSpan(64 * inputs), inputs, [], w1, inputs, [], 0f, c1.AsSpan(64 * hidden), hidden);
            }, 1, seconds));
        Line("dX2 128x128x10", Best(() => Gemm.MultiplyRowsWith(one, false, false, rows, hidden, outputs, 1f, dy, outputs, [], w2, hidden, [], 0f, c2, hidden), 1, seconds),
            Best(() =>
            {
                Gemm.MultiplyRowsWith(one, false, false, 64, hidden, outputs, 1f, dy, outputs, [], w2, hidden, [], 0f, c2, hidden);
                Gemm.MultiplyRowsWith(one, false, false, 64, hidden, outputs, 1f, dy.AsSpan(64 * outputs), outputs, [], w2, hidden, [], 0f, c2.AsSpan(64 * hidden), hidden);
            }, 1, seconds));
        Line("dW1 128x64x128", Best(() => Gemm.MultiplyRowsWith(one, true, false, hidden, inputs, rows, 1f, dz, hidden, [], x, inputs, [], 0f, dw1, inputs), 1, seconds),
            Best(() =>
            {
                Gemm.MultiplyRowsWith(one, true, false, 64, inputs, rows, 1f, dz, hidden, [], x, inputs, [], 0f, dw1, inputs);
                Gemm.MultiplyRowsWith(one, true, false, 64, inputs, rows, 1f, dz.AsSpan(64), hidden, [], x, inputs, [], 0f, dw1.AsSpan(64 * inputs), inputs);
            }, 1, seconds));
        Line("dW2 10x128x128", Best(() => Gemm.MultiplyRowsWith(one, true, false, outputs, hidden, rows, 1f, dy, outputs, [], h, hidden, [], 0f, c2, hidden), 1, seconds),
            Best(() =>
            {
                Gemm.MultiplyRowsWith(one, true, false, 5, hidden, rows, 1f, dy, outputs, [], h, hidden, [], 0f, c2, hidden);
                Gemm.MultiplyRowsWith(one, true, false, 5, hidden, rows, 1f, dy.AsSpan(5), outputs, [], h, hidden, [], 0f, c2.AsSpan(5 * hidden), hidden);
            }, 1, seconds));
        Line("db1 sum of 128 rows x 128", Best(() => Numerics.Reductions.SumOfRows.Compute(dz, rows, hidden, sums), 1, seconds),
            Best(() =>
            {
                Numerics.Reductions.SumOfRows.Compute(dz, rows, 64, hidden, sums);
                Numerics.Reductions.SumOfRows.Compute(dz.AsSpan(64), rows, 64, hidden, sums.AsSpan(64));
            }, 1, seconds));
        return 0;
    }

    /// <summary>
    /// `--ab-split [NET@BATCH,…]`: the step at 1 thread (t1), at 2 threads unsplit (t2: the products of ≥ 2²⁰ multiply-adds
    /// split inside, everything else on the caller: the step before session 11) and at 2 threads split by data ownership
    /// (<see cref="StepSplit"/>, whatever the size rule says: split = with the default <see cref="Trainer.SplitChoiceCycle"/>,
    /// the shipped behaviour; splitAlways = every step in parts; splitOnCaller = in parts but the pool's gate held, so every
    /// part runs on the caller, with and without the helper woken to spin beside it), alternating 0.15 s windows in one
    /// process for the time given (at least 8 rounds); best and median of the rounds' best windows, per net. Then 400 steps
    /// of t2 and of splitAlways with every pool call traced (<see cref="GemmPoolTrace"/>): calls per step, how often the
    /// helper joined or had to be woken, its join latency, and per call of the step its median duration, the caller's wait
    /// and the helper's time inside. Nets as sizes joined by '-' and '@' batch (default: 64-128-10@128, 64-64-10@128,
    /// 64-32-10@128, 32-32-10@128, 2-8-1@4). <c>default</c>: the trainer's own settings (the choice cycle's probes included).
    /// </summary>
    private static int AbSplit(double seconds, string? nets)
    {
        nets ??= "64-128-10@128,64-64-10@128,64-32-10@128,32-32-10@128,2-8-1@4";
        long savedMin = Trainer.SplitStepMinimum, savedMax = Trainer.SplitStepMaximum;
        int savedCycle = Trainer.SplitChoiceCycle;
        foreach (var spec in nets.Split(','))
        {
            var parts = spec.Split('@');
            int[] sizes = [.. parts[0].Split('-').Select(int.Parse)];
            var net = new Net(parts[0], sizes, int.Parse(parts[1], CultureInfo.InvariantCulture), sizes[^1] == 1 ? TaskKind.Binary : TaskKind.Multiclass, [1, 2]);
            var (trainer, x, y, rng) = Setup(net);
            var t1 = new List<double>();
            var t2 = new List<double>();
            var split = new List<double>();
            var splitOne = new List<double>();
            var splitAlways = new List<double>();
            var splitOneNoWake = new List<double>();
            var chosen = new List<double>();
            object gate = typeof(GemmThreadPool).GetField("s_gate", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null)!;
            var total = Stopwatch.StartNew();
            try
            {
                while (total.Elapsed.TotalSeconds < seconds || t1.Count < 8)
                {
                    Trainer.SplitStepMinimum = long.MaxValue;
                    t1.Add(Best(() => trainer.Step(x, y, net.Batch, rng, out _), 1, 0.15));
                    t2.Add(Best(() => trainer.Step(x, y, net.Batch, rng, out _), 2, 0.15));
                    (Trainer.SplitStepMinimum, Trainer.SplitStepMaximum) = (0, long.MaxValue);
                    split.Add(Best(() => trainer.Step(x, y, net.Batch, rng, out _), 2, 0.15));
                    Trainer.SplitChoiceCycle = 0;
                    splitAlways.Add(Best(() => trainer.Step(x, y, net.Batch, rng, out _), 2, 0.15));
                    Trainer.SplitChoiceCycle = savedCycle;
                    // The split step's parts all on the calling thread (the pool's gate held: every list runs on the caller).
                    lock (gate) splitOne.Add(Best(() => trainer.Step(x, y, net.Batch, rng, out _), 2, 0.15));
                    Trainer.WakesHelpers = false;
                    lock (gate) splitOneNoWake.Add(Best(() => trainer.Step(x, y, net.Batch, rng, out _), 2, 0.15));
                    Trainer.WakesHelpers = true;
                    (Trainer.SplitStepMinimum, Trainer.SplitStepMaximum) = (savedMin, savedMax);
                    // The defaults: what a trainer runs unless told (the choice cycle's probes included).
                    chosen.Add(Best(() => trainer.Step(x, y, net.Batch, rng, out _), 2, 0.15));
                }
            }
            finally
            {
                (Trainer.SplitStepMinimum, Trainer.SplitStepMaximum) = (savedMin, savedMax);
            }
            t1.Sort();
            t2.Sort();
            split.Sort();
            splitOne.Sort();
            splitAlways.Sort();
            splitOneNoWake.Sort();
            chosen.Sort();
            // Hand-offs per step (host-independent evidence): every pool call of 400 steps traced, per variant.
            foreach (bool splits in new[] { false, true })
            {
                (Trainer.SplitStepMinimum, Trainer.SplitStepMaximum) = splits ? (0, long.MaxValue) : (long.MaxValue, savedMax);
                Trainer.SplitChoiceCycle = 0;
                int saved = Gemm.MaxThreads;
                Gemm.MaxThreads = 2;
                var trace = new GemmPoolTrace(1 << 16);
                try
                {
                    for (int i = 0; i < 200; i++) trainer.Step(x, y, net.Batch, rng, out _);
                    GemmThreadPool.Trace = trace;
                    const int steps = 400;
                    for (int i = 0; i < steps; i++) trainer.Step(x, y, net.Batch, rng, out _);
                    GemmThreadPool.Trace = null;
                    var calls = trace.Calls;
                    int joined = 0, asleep = 0, helperItems = 0, items = 0;
                    var latency = new List<double>();
                    var duration = new List<double>();
                    foreach (var c in calls)
                    {
                        if (c.HelperJoin != 0) { joined++; latency.Add((c.HelperJoin - c.Posted) * 1e6 / Stopwatch.Frequency); }
                        if (c.HelperAsleep) asleep++;
                        helperItems += c.HelperItems;
                        items += c.CallerItems + c.HelperItems;
                        duration.Add((c.End - c.Start) * 1e6 / Stopwatch.Frequency);
                    }
                    latency.Sort();
                    duration.Sort();
                    int per = (int)Math.Round(calls.Length / (double)steps);
                    for (int k = 0; k < per; k++)
                    {
                        var d = new List<double>();
                        var w = new List<double>();
                        var h = new List<double>();
                        for (int c = k; c < calls.Length; c += per)
                        {
                            d.Add((calls[c].End - calls[c].Start) * 1e6 / Stopwatch.Frequency);
                            w.Add(calls[c].CallerWait * 1e6 / Stopwatch.Frequency);
                            if (calls[c].HelperJoin != 0) h.Add((calls[c].HelperLeave - calls[c].HelperJoin) * 1e6 / Stopwatch.Frequency);
                        }
                        d.Sort();
                        w.Sort();
                        h.Sort();
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  call {k}: median {d[d.Count / 2]:F2} µs, caller wait {w[w.Count / 2]:F2} µs, helper inside {(h.Count > 0 ? h[h.Count / 2] : 0):F2} µs, items {calls[k].Items} m{calls[k].M} n{calls[k].N} k{calls[k].K}"));
                    }
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{{\"net\":\"{net.Name}\",\"variant\":\"{(splits ? "split" : "t2")}\",\"poolCallsPerStep\":{calls.Length / (double)steps:F2},\"helperJoined\":{joined / (double)Math.Max(1, calls.Length):F3},\"helperAsleep\":{asleep / (double)Math.Max(1, calls.Length):F3},\"joinLatencyMedianUs\":{(latency.Count > 0 ? latency[latency.Count / 2] : 0):F2},\"callMedianUs\":{(duration.Count > 0 ? duration[duration.Count / 2] : 0):F2},\"helperItemShare\":{helperItems / (double)Math.Max(1, items):F3}}}"));
                }
                finally
                {
                    GemmThreadPool.Trace = null;
                    Gemm.MaxThreads = saved;
                    (Trainer.SplitStepMinimum, Trainer.SplitStepMaximum) = (savedMin, savedMax);
                    Trainer.SplitChoiceCycle = savedCycle;
                }
            }
            long work = 0;
            for (int i = 1; i < sizes.Length; i++) work += (long)sizes[i - 1] * sizes[i] * net.Batch;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"net\":\"{net.Name}\",\"batch\":{net.Batch},\"forwardWork\":{work},\"kernel\":\"{GemmKernelInfo.AutoKind}\",\"rounds\":{t1.Count},\"t1BestUs\":{t1[0]:F2},\"t1MedianUs\":{t1[t1.Count / 2]:F2},\"t2BestUs\":{t2[0]:F2},\"t2MedianUs\":{t2[t2.Count / 2]:F2},\"splitBestUs\":{split[0]:F2},\"splitMedianUs\":{split[split.Count / 2]:F2},\"splitAlwaysBestUs\":{splitAlways[0]:F2},\"splitAlwaysMedianUs\":{splitAlways[splitAlways.Count / 2]:F2},\"splitOnCallerBestUs\":{splitOne[0]:F2},\"splitOnCallerMedianUs\":{splitOne[splitOne.Count / 2]:F2},\"splitOnCallerNoWakeBestUs\":{splitOneNoWake[0]:F2},\"splitOnCallerNoWakeMedianUs\":{splitOneNoWake[splitOneNoWake.Count / 2]:F2},\"defaultBestUs\":{chosen[0]:F2},\"defaultMedianUs\":{chosen[chosen.Count / 2]:F2}}}"));
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

    /// <summary>
    /// `--ab-scale`: 784-512-256-10 at 1 and 2 threads, A = Adam's √v/√(1 − β₂ᵗ) by the divider
    /// (<c>AdamW.DividesByMarkstein</c> false: the default on AMD processors), B = by Markstein corrections (the default on Intel). The other knobs the same way
    /// (A = off, B = on): `--ab-biasc` (<c>GemmDriver.BiasInKernel</c> and <c>BiasInKernelV256</c>: the Vector512 or the Vector256 kernel
    /// reads the bias row instead of a filled C), `--ab-rowb`,
    /// `--ab-bypanel`, `--ab-packing`, `--ab-own [own|ownpack|align|forward|pieces]` (session 19: <c>GemmDriver.OwnedPackItems</c> and
    /// <c>Trainer.AlignsUpdates</c>, or one of them; session 21: <c>Trainer.AlignsUpdatesToForward</c>, <c>GemmDriver.OwnedColumnPieces</c>), `--ab-columns` (session 21: <c>Gemm.SplitsColumnsOfWideProducts</c>), `--ab-half` (session 22: <c>GemmDriver.HalfTiles</c>) (with `--threads N` first: that thread count only); alternating 0.3 s windows in one process on one trainer for <paramref name="seconds"/> per thread count, the best
    /// window of each (µs per step). The same bits either way.
    /// </summary>
    private static int AbStep(double seconds, string knob, int onlyThreads = 0)
    {
        var net = Nets[^1];
        var (trainer, x, y, rng) = Setup(net);
        bool savedScale = AdamW.DividesByMarkstein, savedRowB = GemmPacking.RowOrderB, savedByPanel = GemmDriver.PacksPanelsAcrossDepth;
        bool savedBiasC = GemmDriver.BiasInKernel, savedBiasC256 = GemmDriver.BiasInKernelV256;
        bool savedHalf = GemmDriver.HalfTiles;
        bool savedOwnPack = GemmDriver.OwnedPackItems, savedAlign = Trainer.AlignsUpdates, savedColumns = Gemm.SplitsColumnsOfWideProducts, savedForward = Trainer.AlignsUpdatesToForward, savedPieces = GemmDriver.OwnedColumnPieces;
        void Set(bool on)
        {
            if (knob == "own") GemmDriver.OwnedPackItems = Trainer.AlignsUpdates = on;
            else if (knob == "ownpack") GemmDriver.OwnedPackItems = on;
            else if (knob == "align") Trainer.AlignsUpdates = on;
            else if (knob == "forward") Trainer.AlignsUpdatesToForward = on;
            else if (knob == "pieces") GemmDriver.OwnedColumnPieces = on;
            if (knob == "scale") AdamW.DividesByMarkstein = on;
            else if (knob == "biasc") GemmDriver.BiasInKernel = GemmDriver.BiasInKernelV256 = on;
            else if (knob == "rowb") GemmPacking.RowOrderB = on;
            else if (knob == "bypanel") GemmDriver.PacksPanelsAcrossDepth = on;
            else if (knob == "packing") GemmPacking.RowOrderB = GemmDriver.PacksPanelsAcrossDepth = on;
            else if (knob == "columns") Gemm.SplitsColumnsOfWideProducts = on;
            else if (knob == "half") GemmDriver.HalfTiles = on;
        }
        var ticks = new long[5];
        try
        {
            foreach (int threads in net.Threads)
            {
                if (onlyThreads > 0 && threads != onlyThreads) continue;
                double a = double.PositiveInfinity, b = double.PositiveInfinity;
                var updates = new[] { new List<double>(), new List<double>() };
                var steps = new[] { new List<double>(), new List<double>() };
                var total = Stopwatch.StartNew();
                while (total.Elapsed.TotalSeconds < seconds)
                {
                    Set(false);
                    a = Math.Min(a, Best(() => trainer.Step(x, y, net.Batch, rng, out _), threads, 0.3));
                    Set(true);
                    b = Math.Min(b, Best(() => trainer.Step(x, y, net.Batch, rng, out _), threads, 0.3));
                    // Single steps by phase, alternating (Trainer.PhaseTicks): the update phase's and the step's median.
                    int saved = Gemm.MaxThreads;
                    Gemm.MaxThreads = threads;
                    Trainer.PhaseTicks = ticks;
                    for (int r = 0; r < 20; r++)
                    {
                        Set(r % 2 == 1);
                        trainer.Step(x, y, net.Batch, rng, out _);
                        updates[r % 2].Add((ticks[4] - ticks[3]) * 1e6 / Stopwatch.Frequency);
                        steps[r % 2].Add((ticks[4] - ticks[0]) * 1e6 / Stopwatch.Frequency);
                    }
                    Trainer.PhaseTicks = null;
                    Gemm.MaxThreads = saved;
                }
                static double Median(List<double> l)
                {
                    l.Sort();
                    return l[l.Count / 2];
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"net\":\"{net.Name}\",\"knob\":\"{knob}\",\"threads\":{threads},\"offUs\":{a:F1},\"onUs\":{b:F1},\"ratio\":{a / b:F3}," +
                    $"\"offUpdateMedianUs\":{Median(updates[0]):F1},\"onUpdateMedianUs\":{Median(updates[1]):F1},\"offStepMedianUs\":{Median(steps[0]):F1},\"onStepMedianUs\":{Median(steps[1]):F1}}}"));
            }
        }
        finally
        {
            AdamW.DividesByMarkstein = savedScale;
            GemmDriver.HalfTiles = savedHalf;
            GemmPacking.RowOrderB = savedRowB;
            GemmDriver.PacksPanelsAcrossDepth = savedByPanel;
            GemmDriver.BiasInKernel = savedBiasC;
            GemmDriver.BiasInKernelV256 = savedBiasC256;
            GemmDriver.OwnedPackItems = savedOwnPack;
            Gemm.SplitsColumnsOfWideProducts = savedColumns;
            Trainer.AlignsUpdatesToForward = savedForward;
            GemmDriver.OwnedColumnPieces = savedPieces;
            Trainer.AlignsUpdates = savedAlign;
            Trainer.PhaseTicks = null;
        }
        return 0;
    }

    /// <summary>
    /// `--ab-dw`: the weight-gradient products of 784-512-256-10 at batch 256 (∂W = ∂Yᵀ·X, 512×784×256 and 256×512×256) on
    /// one thread, the packed path against the in-place one (<c>GemmPath.InPlace</c>: X read where it lies, nothing
    /// packed), alternating 0.2 s windows for <paramref name="seconds"/>; best µs of each.
    /// </summary>
    private static int AbWeightGradientPath(double seconds)
    {
        foreach (var (m, n) in new[] { (512, 784), (256, 512) })
        {
            const int k = 256;
            var rng = new Rng(9UL);
            var dy = new float[k * m];
            var x = new float[k * n];
            var c = new float[m * n];
            for (int i = 0; i < dy.Length; i++) dy[i] = (float)rng.NextNormal();
            for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextNormal();
            double a = double.PositiveInfinity, b = double.PositiveInfinity;
            var total = Stopwatch.StartNew();
            while (total.Elapsed.TotalSeconds < seconds)
            {
                a = Math.Min(a, Best(() => Gemm.Multiply(new GemmOptions(Threads: 1), true, false, m, n, k, 1f, dy, m, x, n, 0f, c, n), 1, 0.2));
                b = Math.Min(b, Best(() => Gemm.Multiply(new GemmOptions(Threads: 1, Path: GemmPath.InPlace), true, false, m, n, k, 1f, dy, m, x, n, 0f, c, n), 1, 0.2));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"dW\":\"{m}x{n}x{k}\",\"packedUs\":{a:F1},\"inPlaceUs\":{b:F1},\"ratio\":{a / b:F3}}}"));
        }
        {
            // The forward product of the first layer, Y = X·Wᵀ (256×512×784), with W and X warm (the same call repeated)
            // and cold (16 MiB of other data written between calls, as the rest of a step does).
            var rng = new Rng(10UL);
            var x = new float[256 * 784];
            var w = new float[512 * 784];
            var y = new float[256 * 512];
            var junk = new float[4 << 20];
            for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextNormal();
            for (int i = 0; i < w.Length; i++) w[i] = (float)rng.NextNormal();
            double warm = double.PositiveInfinity, cold = double.PositiveInfinity;
            var total = Stopwatch.StartNew();
            while (total.Elapsed.TotalSeconds < seconds)
            {
                warm = Math.Min(warm, Best(() => Gemm.Multiply(new GemmOptions(Threads: 1), false, true, 256, 512, 784, 1f, x, 784, w, 784, 0f, y, 512), 1, 0.2));
                for (int r = 0; r < 20; r++)
                {
                    junk.AsSpan().Fill(r);
                    long t0 = Stopwatch.GetTimestamp();
                    Gemm.Multiply(new GemmOptions(Threads: 1), false, true, 256, 512, 784, 1f, x, 784, w, 784, 0f, y, 512);
                    cold = Math.Min(cold, (Stopwatch.GetTimestamp() - t0) * 1e6 / Stopwatch.Frequency);
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"forward\":\"256x512x784\",\"warmUs\":{warm:F1},\"coldUs\":{cold:F1}}}"));
        }
        return 0;
    }

    /// <summary>
    /// `--phases` (after <c>--net</c>, <c>--threads</c>; default 784-512-256-10 at 1 and 2 threads): single steps of the
    /// unsplit step timed by phase (<see cref="Trainer.PhaseTicks"/>: forward, loss, backward, optimizer updates) for
    /// <paramref name="seconds"/> after a warm-up; p10 and median µs of each phase and of the whole step.
    /// </summary>
    private static int Phases(double seconds, string name, int onlyThreads)
    {
        var net = Nets.First(n => n.Name == name);
        if (s_batch > 0) net = net with { Batch = s_batch };
        foreach (int threads in net.Threads)
        {
            if (onlyThreads > 0 && threads != onlyThreads) continue;
            var (trainer, x, y, rng) = Setup(net);
            int saved = Gemm.MaxThreads;
            Gemm.MaxThreads = threads;
            var ticks = new long[5];
            var times = new List<double>[5];
            for (int i = 0; i < times.Length; i++) times[i] = new List<double>(1 << 14);
            try
            {
                WarmUp(() => trainer.Step(x, y, net.Batch, rng, out _), seconds);
                Trainer.PhaseTicks = ticks;
                var total = Stopwatch.StartNew();
                while (total.Elapsed.TotalSeconds < seconds)
                {
                    trainer.Step(x, y, net.Batch, rng, out _);
                    for (int i = 0; i < 4; i++) times[i].Add((ticks[i + 1] - ticks[i]) * 1e6 / Stopwatch.Frequency);
                    times[4].Add((ticks[4] - ticks[0]) * 1e6 / Stopwatch.Frequency);
                }
            }
            finally
            {
                Trainer.PhaseTicks = null;
                Gemm.MaxThreads = saved;
            }
            var sb = new System.Text.StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"{{\"net\":\"{net.Name}\",\"threads\":{threads},\"steps\":{times[4].Count}");
            string[] names = ["forward", "loss", "backward", "update", "step"];
            for (int i = 0; i < 5; i++)
            {
                times[i].Sort();
                double Q(double q) => times[i][(int)Math.Min(times[i].Count - 1, Math.Floor(q * times[i].Count))];
                sb.Append(CultureInfo.InvariantCulture, $",\"{names[i]}\":[{Q(0.1):F1},{Q(0.5):F1}]");
            }
            Console.WriteLine(sb.Append('}').ToString());
        }
        return 0;
    }

    /// <summary>
    /// `--ab-pack [KNOB[:warm]]` (after `--net PREFIX`: only the products whose name starts with it): 784-512-256-10's big
    /// products at batch 256 on one thread, and three that are mostly packing (all of W₁ᵀ as B̃ for 8 rows, all of X as Ã for
    /// one 32-column panel, all of ∂Y₁ᵀ as Ã), each call after 16 MiB of other writes (cold operands, as in a step; `:warm`:
    /// without them, the operands where the last call left them), a change off and on alternately call by call for
    /// <paramref name="seconds"/> per product; best and median µs of each. KNOB: `packing` (default: the packing orders
    /// <see cref="GemmPacking.RowOrderB"/> and <see cref="GemmDriver.PacksPanelsAcrossDepth"/>, off and on); `touch:w`,
    /// `touch:x`, `touch:b` (on: after the other writes, W₁ read, X read, or the packed-B buffer written just before the
    /// call — which part of a cold call's cost is the loads of an operand and which the stores into a cold B̃); `biasc`: instead
    /// of those products, the step's two packed forward products with a bias row (fwd1, fwd2) at 1 and 2 threads, and at one
    /// thread with Ã packed (on the Vector256 kernel; the automatic path reads op(A) in place there),
    /// <see cref="GemmDriver.BiasInKernel"/> and <see cref="GemmDriver.BiasInKernelV256"/> off (the bias rows written into C
    /// first) and on (read by the kernel).
    /// </summary>
    private static unsafe int AbPack(double seconds, string knob, string? only)
    {
        var rng = new Rng(11UL);
        float[] Rand(int n)
        {
            var a = new float[n];
            for (int i = 0; i < a.Length; i++) a[i] = (float)rng.NextNormal();
            return a;
        }
        float[] x = Rand(256 * 784), w1 = Rand(512 * 784), h1 = Rand(256 * 512), w2 = Rand(256 * 512), dz1 = Rand(256 * 512), dz2 = Rand(256 * 256);
        float[] y1 = new float[256 * 512], y2 = new float[256 * 256], dw1 = new float[512 * 784], dw2 = new float[256 * 512], dh1 = new float[256 * 512];
        var one = new GemmOptions(Threads: 1);
        var onePacked = new GemmOptions(Threads: 1, Path: GemmPath.Packed);
        var products = new (string Name, Action Run)[]
        {
            ("fwd1 256x512x784 NT", () => Gemm.Multiply(one, false, true, 256, 512, 784, 1f, x, 784, w1, 784, 0f, y1, 512)),
            ("fwd2 256x256x512 NT", () => Gemm.Multiply(one, false, true, 256, 256, 512, 1f, h1, 512, w2, 512, 0f, y2, 256)),
            ("dW1 512x784x256 TN", () => Gemm.Multiply(one, true, false, 512, 784, 256, 1f, dz1, 512, x, 784, 0f, dw1, 784)),
            ("dW2 256x512x256 TN", () => Gemm.Multiply(one, true, false, 256, 512, 256, 1f, dz2, 256, h1, 512, 0f, dw2, 512)),
            ("dX2 256x512x256 NN", () => Gemm.Multiply(one, false, false, 256, 512, 256, 1f, dz2, 256, w2, 512, 0f, dh1, 512)),
            // Mostly packing: all of W1ᵀ for 8 rows; all of X (as Ã) for one 32-column panel; all of ∂Y1ᵀ (as Ã) for one panel.
            ("packW1 8x512x784 NT", () => Gemm.Multiply(onePacked, false, true, 8, 512, 784, 1f, x, 784, w1, 784, 0f, y1, 512)),
            ("packX 256x32x784 NT", () => Gemm.Multiply(onePacked, false, true, 256, 32, 784, 1f, x, 784, w1, 784, 0f, y1, 32)),
            ("packDY1 512x32x256 TN", () => Gemm.Multiply(onePacked, true, false, 512, 32, 256, 1f, dz1, 512, x, 784, 0f, dw1, 32)),
        };
        bool warm = knob.EndsWith(":warm", StringComparison.Ordinal);
        if (warm) knob = knob[..^5];
        if (knob == "biasc")
        {
            // The step's two packed forward products with their bias rows, at 1 and 2 threads (C cold, as in a step).
            float[] b1 = Rand(512), b2 = Rand(256);
            var two = new GemmOptions(Threads: 2);
            products =
            [
                ("bias-fwd1 256x512x784 NT t1", () => Gemm.MultiplyRowsWith(one, false, true, 256, 512, 784, 1f, x, 784, [], w1, 784, [], 0f, y1, 512, b1)),
                ("bias-fwd2 256x256x512 NT t1", () => Gemm.MultiplyRowsWith(one, false, true, 256, 256, 512, 1f, h1, 512, [], w2, 512, [], 0f, y2, 256, b2)),
                ("bias-fwd1 256x512x784 NT t2", () => Gemm.MultiplyRowsWith(two, false, true, 256, 512, 784, 1f, x, 784, [], w1, 784, [], 0f, y1, 512, b1)),
                ("bias-fwd2 256x256x512 NT t2", () => Gemm.MultiplyRowsWith(two, false, true, 256, 256, 512, 1f, h1, 512, [], w2, 512, [], 0f, y2, 256, b2)),
                // Ã packed (on the Vector256 kernel the automatic path reads op(A) in place for these shapes; on Vector512 the same as above).
                ("bias-fwd1 packed 256x512x784 NT t1", () => Gemm.MultiplyRowsWith(onePacked, false, true, 256, 512, 784, 1f, x, 784, [], w1, 784, [], 0f, y1, 512, b1)),
                ("bias-fwd2 packed 256x256x512 NT t1", () => Gemm.MultiplyRowsWith(onePacked, false, true, 256, 256, 512, 1f, h1, 512, [], w2, 512, [], 0f, y2, 256, b2)),
            ];
        }
        if (only is not null) products = [.. products.Where(p => p.Name.StartsWith(only, StringComparison.Ordinal))];
        if (knob is not ("packing" or "touch:w" or "touch:x" or "touch:b" or "biasc"))
        {
            Console.Error.WriteLine($"steps --ab-pack: unknown knob {knob} (packing, touch:w, touch:x, touch:b, biasc; :warm)");
            return 2;
        }
        var junk = new float[4 << 20];
        float sink = 0;
        static float Sum(float[] a)
        {
            var acc = System.Numerics.Vector<float>.Zero;
            for (int i = 0; i + System.Numerics.Vector<float>.Count <= a.Length; i += System.Numerics.Vector<float>.Count) acc += new System.Numerics.Vector<float>(a, i);
            return System.Numerics.Vector.Sum(acc);
        }
        bool savedRowB = GemmPacking.RowOrderB, savedByPanel = GemmDriver.PacksPanelsAcrossDepth, savedBiasC = GemmDriver.BiasInKernel;
        bool savedBiasC256 = GemmDriver.BiasInKernelV256;
        try
        {
            foreach (var (name, run) in products)
            {
                var t = new[] { new List<double>(), new List<double>() };
                var total = Stopwatch.StartNew();
                for (int r = 0; total.Elapsed.TotalSeconds < seconds || r < 8; r++)
                {
                    bool on = r % 2 == 1;
                    if (knob == "packing") GemmPacking.RowOrderB = GemmDriver.PacksPanelsAcrossDepth = on;
                    if (knob == "biasc") GemmDriver.BiasInKernel = GemmDriver.BiasInKernelV256 = on;
                    if (!warm) junk.AsSpan().Fill(r);
                    if (on && knob == "touch:w") sink += Sum(w1);
                    if (on && knob == "touch:x") sink += Sum(x);
                    if (on && knob == "touch:b") new Span<float>(GemmBuffers.PackedB(512 * 784 + 64), 512 * 784).Clear();
                    long t0 = Stopwatch.GetTimestamp();
                    run();
                    t[r % 2].Add((Stopwatch.GetTimestamp() - t0) * 1e6 / Stopwatch.Frequency);
                }
                foreach (var l in t) l.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"product\":\"{name}\",\"knob\":\"{knob}{(warm ? ":warm" : "")}\",\"calls\":{t[0].Count},\"offBestUs\":{t[0][0]:F1},\"onBestUs\":{t[1][0]:F1},\"offMedianUs\":{t[0][t[0].Count / 2]:F1},\"onMedianUs\":{t[1][t[1].Count / 2]:F1}}}"));
            }
        }
        finally
        {
            GemmPacking.RowOrderB = savedRowB;
            GemmDriver.PacksPanelsAcrossDepth = savedByPanel;
            GemmDriver.BiasInKernel = savedBiasC;
            GemmDriver.BiasInKernelV256 = savedBiasC256;
        }
        if (sink == 1234.5f) Console.Error.WriteLine("(sink)");   // keeps the reads of touch:w / touch:x
        return 0;
    }

    /// <summary>
    /// `--tail`: the pieces of 784-512-256-10's step between its last hidden layer's forward pass and its first threaded
    /// backward call (the output layer's forward product, the loss, the metric, the output layer's three backward pieces), one
    /// thread, each repeated (warm); best µs of each.
    /// </summary>
    private static int Tail(double seconds)
    {
        var net = Nets[^1];
        var (model, trainer, x, y, rng) = SetupWithModel(net);
        var ws = new Workspace(model, net.Batch);
        int rows = net.Batch, outputs = model.Outputs;
        var d3 = model.DenseLayers[^1];
        var h2 = new float[rows * d3.Inputs];
        for (int i = 0; i < h2.Length; i++) h2[i] = (float)Math.Max(0, rng.NextNormal());
        var s = new float[rows * outputs];
        var ds = new float[rows * outputs];
        var dw = new float[d3.Weight.Length];
        var db = new float[outputs];
        var dh = new float[rows * d3.Inputs];
        var pieces = new (string Name, Action Run)[]
        {
            ("fwd3 256x10x256", () => Gemm.MultiplyRows(false, true, rows, outputs, d3.Inputs, 1f, h2, d3.Inputs, [], d3.Weight, d3.Inputs, [], 1f, s, outputs, d3.Bias)),
            ("loss", () => Occam.Losses.TaskLoss.Compute(net.Task, s, y, rows, outputs, ds)),
            ("metric", () => Metrics.CountCorrect(net.Task, s, y, rows, outputs)),
            ("dW3 10x256x256", () => Gemm.MultiplyRows(true, false, outputs, d3.Inputs, rows, 1f, ds, outputs, [], h2, d3.Inputs, [], 0f, dw, d3.Inputs)),
            ("db3", () => Occam.Numerics.Reductions.SumOfRows.Compute(ds, rows, outputs, db)),
            ("dX3 256x256x10", () => Gemm.Multiply(false, false, rows, d3.Inputs, outputs, 1f, ds, outputs, d3.Weight, d3.Inputs, 0f, dh, d3.Inputs)),
        };
        foreach (var (name, run) in pieces)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"piece\":\"{name}\",\"us\":{Best(run, 1, seconds):F2}}}"));
        return 0;
    }

    /// <summary>
    /// `--ab-adam [n]`: Adam with coupled L2 and the L1 prox (the step's settings, step 300) on n weights (default 535 818: all
    /// of 784-512-256-10's), one thread, √v/√(1 − β₂ᵗ) by the divider (off) and by Markstein corrections (on,
    /// <c>AdamW.DividesByMarkstein</c>), alternating 0.2 s windows for <paramref name="seconds"/>; best µs per update of each.
    /// </summary>
    private static int AbAdam(double seconds, int n)
    {
        var rng = new Rng(5UL);
        var p = new float[n];
        var g = new float[n];
        var m = new float[n];
        var v = new float[n];
        for (int i = 0; i < n; i++)
        {
            p[i] = (float)(0.05 * rng.NextNormal());
            g[i] = (float)(1e-3 * rng.NextNormal());
        }
        bool saved = AdamW.DividesByMarkstein;
        var constants = AdamW.StepConstants.For(300, 1e-3, 0.9, 0.999);
        void Run() => AdamW.Update(p, g, m, v, constants, 1e-3, 0.9, 0.999, 1e-8, 0, 1e-4, 1e-4f);
        double a = double.PositiveInfinity, b = double.PositiveInfinity;
        // Cold: 16 MiB of other data written before each call (what the rest of a step does between two updates); median
        // and best of those calls.
        var junk = new float[4 << 20];
        var cold = new List<double>();
        try
        {
            var total = Stopwatch.StartNew();
            while (total.Elapsed.TotalSeconds < seconds)
            {
                AdamW.DividesByMarkstein = false;
                a = Math.Min(a, Best(Run, 1, 0.2));
                AdamW.DividesByMarkstein = true;
                b = Math.Min(b, Best(Run, 1, 0.2));
                for (int r = 0; r < 20; r++)
                {
                    junk.AsSpan().Fill(r);
                    long t0 = Stopwatch.GetTimestamp();
                    Run();
                    cold.Add((Stopwatch.GetTimestamp() - t0) * 1e6 / Stopwatch.Frequency);
                }
            }
        }
        finally
        {
            AdamW.DividesByMarkstein = saved;
        }
        cold.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"adam\":{n},\"dividerUs\":{a:F1},\"marksteinUs\":{b:F1},\"ratio\":{a / b:F3},\"coldBestUs\":{cold[0]:F1},\"coldMedianUs\":{cold[cold.Count / 2]:F1}}}"));
        return 0;
    }

    /// <summary>
    /// `--spread`: the same step timed one at a time for <paramref name="seconds"/> after a warm-up (a fresh trainer), so
    /// that the spread a loop of steps sees shows: 10th percentile, median, mean and 90th percentile µs, and the count.
    /// </summary>
    private static (double P10, double Median, double Mean, double P90, int Count) Spread(Net net, int threads, double seconds)
    {
        var (trainer, x, y, rng) = Setup(net);
        int saved = Gemm.MaxThreads;
        Gemm.MaxThreads = threads;
        try
        {
            WarmUp(() => trainer.Step(x, y, net.Batch, rng, out _), seconds);
            var times = new List<double>(1 << 16);
            var total = Stopwatch.StartNew();
            while (total.Elapsed.TotalSeconds < seconds)
            {
                long t0 = Stopwatch.GetTimestamp();
                trainer.Step(x, y, net.Batch, rng, out _);
                times.Add((Stopwatch.GetTimestamp() - t0) * 1e6 / Stopwatch.Frequency);
            }
            times.Sort();
            double Q(double q) => times[(int)Math.Min(times.Count - 1, Math.Floor(q * times.Count))];
            return (Q(0.1), Q(0.5), times.Average(), Q(0.9), times.Count);
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    /// <summary>Runs <paramref name="step"/> for min(1, seconds / 2) s and at least 50 times (JIT tiers, caches); returns seconds per call.</summary>
    private static double WarmUp(Action step, double seconds) => Timing.WarmUp(step, 50, Math.Min(1.0, seconds / 2));

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
            // Warm up (JIT tiers, caches), then time ~2 ms windows (short: the best one is the least disturbed).
            double best = Timing.BestOfWindows(step, WarmUp(step, seconds), 0.002, seconds, 1);
            return best * 1e6;
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }
}
