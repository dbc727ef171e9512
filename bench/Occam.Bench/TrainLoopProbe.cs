using System.Diagnostics;
using System.Globalization;
using Occam.Data;
using Occam.Numerics.Random;
using Occam.Training;

namespace Occam.Bench;

/// <summary>
/// `train --probe`: why a step inside <c>occam train</c>'s loop costs more than the isolated step of the `steps` mode.
/// One process, the bench job's network and data (MNIST-10k prepared as <see cref="MlpFitter.Prepare"/> does), one
/// trainer; each round runs one epoch's worth of full batches (39 steps of 256 rows) of every variant, interleaved, with a
/// <see cref="Stopwatch"/> around every step:
/// <list type="bullet">
/// <item><c>rows</c>: the loop's way — a fresh shuffle each epoch, the first layer reads the batch rows of the 31 MB
/// training matrix in place through the order (<see cref="Trainer.ReadsBatchRowsInPlace"/>).</item>
/// <item><c>gather</c>: the same shuffled batches, copied into a batch buffer first (the copy timed with the step: it is
/// the loop's work that the row table saves).</item>
/// <item><c>fixed</c>: one gathered batch, the same every step (the `steps` mode's way: its rows stay in cache).</item>
/// <item><c>fixed-rows</c>: the first 256 rows through the row table, the same every step.</item>
/// <item><c>bytes</c>: the loop's way since session 8 — as <c>rows</c>, but the rows are read from the 7.8 MB of pixels
/// (<see cref="TrainingData.Bytes"/>), standardized by the first layer's packing; <c>fixed-bytes</c>: the first 256 rows so.</item>
/// <item><c>gather-bytes</c> (session 9): the rows standardized from the bytes into a batch buffer by the calling thread,
/// timed with the step, then the step on that buffer (the Vector256 kernel's loop gathers so, split over the helpers);
/// <c>bytes-in-step</c>: the step's first product gathers them, each row item its own rows
/// (<see cref="Trainer.GathersInStep"/>; on the Vector256 kernel only, else as <c>bytes</c>).</item>
/// </list>
/// Per variant: best, 10th percentile, median and mean µs per step over all rounds (the first round is a warm-up and
/// not counted). <c>--threads</c> sets <see cref="Occam.Numerics.Gemm.MaxThreads"/>. The difference between
/// <c>rows</c> and <c>fixed</c> is what the data costs; between best and mean what the machine's noise and the
/// hand-offs cost. With <c>--cpu</c> (and <c>--threads 1</c>) every step is timed by the thread's CPU time instead
/// (<see cref="PipelineAb.ThreadCpuTime"/>): the time the thread was not running is left out, so on a shared machine the
/// variants' difference in data access stays visible.
/// </summary>
internal static class TrainLoopProbe
{
    private const int Batch = 256;

    private static (long, double) Now() => (Stopwatch.GetTimestamp(), PipelineAb.ThreadCpuTime ? PipelineAb.ThreadSeconds() : 0);

    public static int Run(string images, string labels, int rounds, HashSet<string>? only)
    {
        var data = IdxLoader.Load(images, labels);
        var settings = TrainQuick.Settings(1);
        var job = MlpFitter.Prepare(data, settings);
        var train = job.Train;
        var trainer = new Trainer(job.Model, settings.Training, job.Regularization, train.Rows);
        int p = train.Inputs, steps = train.Rows / Batch;
        var order = Enumerable.Range(0, train.Rows).ToArray();
        var fixedOrder = Enumerable.Range(0, Batch).ToArray();
        var batchX = new float[Batch * p];
        var batchY = new float[Batch];
        var fixedX = train.X.AsSpan(0, Batch * p).ToArray();
        var fixedY = train.Y.AsSpan(0, Batch).ToArray();
        var shuffle = new Rng(3);
        var dropout = new Rng(5);
        string[] variants = ["rows", "gather", "fixed", "fixed-rows", "bytes", "fixed-bytes", "gather-bytes", "bytes-in-step"];
        if (only is not null) variants = [.. variants.Where(only.Contains)];
        var times = variants.ToDictionary(v => v, _ => new List<double>());
        for (int round = 0; round <= rounds; round++)
        {
            foreach (string v in variants)
            {
                shuffle.Shuffle(order.AsSpan());
                for (int s = 0; s < steps; s++)
                {
                    int first = s * Batch;
                    long t0;
                    double c0;
                    switch (v)
                    {
                        case "rows":
                            for (int r = 0; r < Batch; r++) batchY[r] = train.Y[order[first + r]];
                            (t0, c0) = Now();
                            trainer.Step(train.X, order.AsSpan(first, Batch), batchY, Batch, dropout, out _);
                            break;
                        case "gather":
                            (t0, c0) = Now();
                            for (int r = 0; r < Batch; r++)
                            {
                                train.X.AsSpan(order[first + r] * p, p).CopyTo(batchX.AsSpan(r * p, p));
                                batchY[r] = train.Y[order[first + r]];
                            }
                            trainer.Step(batchX, [], batchY, Batch, dropout, out _);
                            break;
                        case "bytes":
                            for (int r = 0; r < Batch; r++) batchY[r] = train.Y[order[first + r]];
                            (t0, c0) = Now();
                            trainer.Step([], order.AsSpan(first, Batch), batchY, Batch, dropout, out _, train.Bytes!.Rows);
                            break;
                        case "gather-bytes":
                            (t0, c0) = Now();
                            for (int r = 0; r < Batch; r++)
                            {
                                train.Bytes!.Convert(order[first + r], batchX.AsSpan(r * p, p));
                                batchY[r] = train.Y[order[first + r]];
                            }
                            trainer.Step(batchX, [], batchY, Batch, dropout, out _);
                            break;
                        case "bytes-in-step":
                            for (int r = 0; r < Batch; r++) batchY[r] = train.Y[order[first + r]];
                            (t0, c0) = Now();
                            trainer.Step([], order.AsSpan(first, Batch), batchY, Batch, dropout, out _, train.Bytes!.Rows,
                                Occam.Numerics.Gemm.GathersRowsInProduct(Batch, 512, p));
                            break;
                        case "fixed-bytes":
                            (t0, c0) = Now();
                            trainer.Step([], fixedOrder, fixedY, Batch, dropout, out _, train.Bytes!.Rows);
                            break;
                        case "fixed":
                            (t0, c0) = Now();
                            trainer.Step(fixedX, [], fixedY, Batch, dropout, out _);
                            break;
                        default:
                            (t0, c0) = Now();
                            trainer.Step(train.X, fixedOrder, fixedY, Batch, dropout, out _);
                            break;
                    }
                    double us = PipelineAb.ThreadCpuTime ? (PipelineAb.ThreadSeconds() - c0) * 1e6 : Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                    if (round > 0) times[v].Add(us);
                }
            }
        }
        foreach (string v in variants)
        {
            var t = times[v];
            t.Sort();
            double Q(double q) => t[(int)Math.Min(t.Count - 1, Math.Floor(q * t.Count))];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"bench\":\"train-probe\",\"variant\":\"{v}\",\"threads\":{Occam.Numerics.Gemm.MaxThreads},\"steps\":{t.Count},\"bestUs\":{t[0]:F1},\"p10Us\":{Q(0.1):F1},\"medianUs\":{Q(0.5):F1},\"p90Us\":{Q(0.9):F1},\"meanUs\":{t.Average():F1}}}"));
        }
        return 0;
    }
}
