using System.Diagnostics;
using System.Globalization;
using System.Text;
using Occam.Data;
using Occam.Numerics;
using Occam.Numerics.Random;
using Occam.Training;

namespace Occam.Bench;

/// <summary>
/// `steps --trace`: where a 2-thread step of 784-512-256-10 (batch 256) loses its time. Runs <c>--steps N</c> steps
/// (after a warm-up) at each of <c>--threads</c> (default 1,2) in one of two ways — <c>fixed</c>, the `steps` mode's
/// random batch, the same every step; <c>loop</c>, <c>occam train</c>'s job (MNIST-10k prepared as the CLI does, one trainer,
/// a fresh shuffle every epoch, the batch rows read in place through the order, the targets gathered between steps as the
/// epoch loop does) — with a <see cref="Stopwatch"/> around every step and <see cref="GemmThreadPool.Trace"/> recording
/// every hand-off to the helper inside it. Prints, per thread count: the spread of the step times (best, p10, median,
/// mean, p90, p99 and a histogram); per pool call of the step (products and item lists, in step order): the median and
/// p90 of its duration, how often the helper had to be woken from its event or did not join at all, the helper's join
/// latency, each thread's waiting time and the helper's share of the items; and, for the steps slower than 1.2 × the
/// median, which calls (and the caller's own work between them) took the extra time against their medians.
/// </summary>
internal static class StepTrace
{
    private const int Batch = 256;

    public static int Run(string[] args)
    {
        int steps = 400;
        int[] threads = [1, 2];
        string mode = "loop", root = ".";
        string[]? configs = null;
        int rounds = 20;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--trace": break;
                case "--steps": steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                case "--mode": mode = args[++i]; break;
                case "--root": root = args[++i]; break;
                case "--ab": configs = args[++i].Split(','); break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--cpu": PipelineAb.ThreadCpuTime = true; break;
                default:
                    Console.Error.WriteLine($"steps --trace: unknown option {args[i]}");
                    return 2;
            }
        }
        var stepper = mode switch
        {
            "loop" => LoopStepper(root),
            "fixed" => FixedStepper(),
            _ => null,
        };
        if (stepper is null)
        {
            Console.Error.WriteLine("steps --trace: --mode is loop or fixed");
            return 2;
        }
        int saved = Gemm.MaxThreads;
        if (configs is not null)
        {
            try
            {
                Gemm.MaxThreads = threads[^1];
                return Ab(stepper, configs, rounds, mode);
            }
            finally
            {
                Gemm.MaxThreads = saved;
            }
        }
        try
        {
            foreach (int t in threads)
            {
                Gemm.MaxThreads = t;
                for (int i = 0; i < 100; i++) stepper();   // warm-up: JIT tiers, caches, the helper started
                Measure(stepper, t, steps, mode);
            }
        }
        finally
        {
            Gemm.MaxThreads = saved;
            GemmThreadPool.Trace = null;
        }
        return 0;
    }

    /// <summary>
    /// The knob settings an A/B can name: <c>base</c> (the defaults), <c>nowake</c> (no wake-up of the helpers at the
    /// step's start), <c>fill</c> (bias rows written by a pass on the caller before the product), <c>shared</c> (row items of the products
    /// claimed in order by whoever comes, four row-pass items per thread), <c>old</c> (all three: session 6's step),
    /// <c>spinN</c> (helpers spin N µs before blocking), <c>noown</c> (session 19: pack items
    /// shared and the update in plain chunks), <c>nopack</c> / <c>noalign</c> (one of the two).
    /// </summary>
    private static Action? Config(string name)
    {
        if (name == "base") return () => { };
        if (name == "nowake") return () => Trainer.WakesHelpers = false;
        if (name == "noown") return () => GemmDriver.OwnedPackItems = Trainer.AlignsUpdates = false;
        if (name == "nopack") return () => GemmDriver.OwnedPackItems = false;
        if (name == "noalign") return () => Trainer.AlignsUpdates = false;
        if (name == "fill") return () => Occam.Nn.Backprop.BiasInProduct = false;
        if (name == "shared") return () => { GemmDriver.OwnedRowItems = false; Occam.Nn.RowPasses.ItemsPerThread = 4; };
        if (name == "old") return () => { Trainer.WakesHelpers = false; Occam.Nn.Backprop.BiasInProduct = false; GemmDriver.OwnedRowItems = false; Occam.Nn.RowPasses.ItemsPerThread = 4; };
        if (name.StartsWith("spin", StringComparison.Ordinal) && double.TryParse(name[4..], CultureInfo.InvariantCulture, out double us))
            return () => GemmThreadPool.SpinTicks = (long)(us * 1e-6 * Stopwatch.Frequency);
        return null;
    }

    /// <summary>
    /// `--ab base,nowake,spin200`: the configurations alternate in rounds of 39 steps (one epoch of the loop) for
    /// <c>--rounds</c> rounds after a warm-up round each; per configuration the step times' spread and, from the trace, how
    /// often the helper was asleep when a call came, its mean join latency, the caller's mean waiting time per step and the
    /// caller's own work per step (the step's wall time outside the pool calls: median and 10th percentile), and the
    /// output layer's stretch of the step (10th percentile and median; see <c>head</c> below).
    /// With <c>--cpu</c> a step is timed by the calling thread's CPU time (its spinning for the helper included, the time
    /// the host did not run it left out): steadier on a loaded machine.
    /// </summary>
    private static int Ab(Action step, string[] configs, int rounds, string mode)
    {
        long spin0 = GemmThreadPool.SpinTicks;
        bool wake0 = Trainer.WakesHelpers;
        var set = configs.Select(c => (Name: c, Apply: Config(c))).ToArray();
        if (set.Any(c => c.Apply is null))
        {
            Console.Error.WriteLine("steps --trace --ab: configurations are base, nowake, fill, shared, old, spinN (N µs)");
            return 2;
        }
        var times = set.ToDictionary(c => c.Name, _ => new List<double>());
        var own = set.ToDictionary(c => c.Name, _ => new List<double>());   // caller's wall time outside pool calls, per step
        // The output layer's segment: from the end of the second ReLU·dropout pass (forward) to the start of the third
        // (backward): its forward product, the loss and metric, its two gradient products and its bias gradient.
        var head = set.ToDictionary(c => c.Name, _ => new List<double>());
        var perCall = set.ToDictionary(c => c.Name, _ => new List<double[]>());   // each step's call durations, µs
        var woken = set.ToDictionary(c => c.Name, _ => (Calls: 0L, Asleep: 0L, Absent: 0L, JoinTicks: 0L, Joined: 0L, WaitTicks: 0L));
        var trace = new GemmPoolTrace(64 * 40 + 64);
        try
        {
            for (int round = 0; round <= rounds; round++)
            {
                foreach (var (name, apply) in set)
                {
                    GemmThreadPool.SpinTicks = spin0;
                    Trainer.WakesHelpers = wake0;
                    Occam.Nn.Backprop.BiasInProduct = true;
                    GemmDriver.OwnedRowItems = true;
                    GemmDriver.OwnedPackItems = Trainer.AlignsUpdates = true;
                    Occam.Nn.RowPasses.ItemsPerThread = 2;
                    apply!();
                    trace.Clear();
                    GemmThreadPool.Trace = trace;
                    for (int s = 0; s < 39; s++)
                    {
                        int first = trace.Calls.Length;
                        long t0 = Stopwatch.GetTimestamp();
                        double c0 = PipelineAb.ThreadCpuTime ? PipelineAb.ThreadSeconds() : 0;
                        step();
                        long t1 = Stopwatch.GetTimestamp();
                        double stepUs = PipelineAb.ThreadCpuTime ? (PipelineAb.ThreadSeconds() - c0) * 1e6 : (t1 - t0) * 1e6 / Stopwatch.Frequency;
                        if (round == 0) continue;
                        times[name].Add(stepUs);
                        long inCalls = 0, passEnd = 0;
                        int passes = 0;
                        foreach (var c in trace.Calls[first..])
                        {
                            inCalls += c.End - c.Start;
                            if (c.Kind != 1 || c.Items >= 16) continue;   // the ReLU·dropout passes (the optimizer has more items)
                            if (++passes == 2) passEnd = c.End;
                            else if (passes == 3) head[name].Add((c.Start - passEnd) * 1e6 / Stopwatch.Frequency);
                        }
                        own[name].Add((t1 - t0 - inCalls) * 1e6 / Stopwatch.Frequency);
                        perCall[name].Add([.. trace.Calls[first..].ToArray().Select(c => (c.End - c.Start) * 1e6 / Stopwatch.Frequency)]);
                    }
                    GemmThreadPool.Trace = null;
                    if (round == 0) continue;
                    var w = woken[name];
                    foreach (var c in trace.Calls)
                    {
                        w.Calls++;
                        if (c.HelperAsleep) w.Asleep++;
                        if (c.HelperJoin == 0) w.Absent++;
                        else { w.Joined++; w.JoinTicks += c.HelperJoin - c.Posted; }
                        w.WaitTicks += c.CallerWait;
                    }
                    woken[name] = w;
                }
            }
        }
        finally
        {
            GemmThreadPool.SpinTicks = spin0;
            Trainer.WakesHelpers = wake0;
            Occam.Nn.Backprop.BiasInProduct = true;
            GemmDriver.OwnedRowItems = true;
            GemmDriver.OwnedPackItems = Trainer.AlignsUpdates = true;
            Occam.Nn.RowPasses.ItemsPerThread = 2;
            GemmThreadPool.Trace = null;
        }
        double us = 1e6 / Stopwatch.Frequency;
        foreach (var (name, _) in set)
        {
            var t = times[name];
            t.Sort();
            double Q(double q) => t[(int)Math.Min(t.Count - 1, Math.Floor(q * t.Count))];
            var w = woken[name];
            var o = own[name];
            o.Sort();
            var h = head[name];
            h.Sort();
            string headUs = h.Count == 0 ? "null" : string.Create(CultureInfo.InvariantCulture, $"{h[h.Count / 10]:F1},\"outputLayerMedianUs\":{h[h.Count / 2]:F1}");
            // Median duration of each pool call of the step (steps with the usual number of calls).
            var steps = perCall[name];
            int usual = steps.GroupBy(x => x.Length).OrderByDescending(g => g.Count()).First().Key;
            string calls = string.Join(",", Enumerable.Range(0, usual).Select(i =>
            {
                var d = steps.Where(x => x.Length == usual).Select(x => x[i]).Order().ToArray();
                return d[d.Length / 2].ToString("F1", CultureInfo.InvariantCulture);
            }));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"bench\":\"steps-trace-ab\",\"mode\":\"{mode}\",\"clock\":\"{(PipelineAb.ThreadCpuTime ? "thread-cpu" : "wall")}\",\"config\":\"{name}\",\"threads\":{Gemm.MaxThreads},\"steps\":{t.Count},\"bestUs\":{t[0]:F1},\"p10Us\":{Q(0.1):F1},\"medianUs\":{Q(0.5):F1},\"meanUs\":{t.Average():F1},\"p90Us\":{Q(0.9):F1},\"asleepPct\":{100.0 * w.Asleep / Math.Max(1, w.Calls):F1},\"absentPct\":{100.0 * w.Absent / Math.Max(1, w.Calls):F1},\"joinUs\":{w.JoinTicks * us / Math.Max(1, w.Joined):F1},\"callerWaitUsPerStep\":{w.WaitTicks * us / Math.Max(1, t.Count):F1},\"ownWorkMedianUs\":{o[o.Count / 2]:F1},\"ownWorkP10Us\":{o[o.Count / 10]:F1},\"outputLayerP10Us\":{headUs},\"callMedianUs\":[{calls}]}}"));
        }
        return 0;
    }

    /// <summary>The `steps` mode's step: a random batch, the same every step.</summary>
    private static Action FixedStepper()
    {
        var net = StepsQuick.Nets.Single(n => n.Name == "784-512-256-10");
        var (trainer, x, y, rng) = StepsQuick.Setup(net);
        return () => trainer.Step(x, y, net.Batch, rng, out _);
    }

    /// <summary>occam train's steps: shuffled MNIST rows read in place, targets gathered before each step, 39 steps an epoch.</summary>
    private static Action LoopStepper(string root)
    {
        var data = IdxLoader.Load(Path.Combine(root, "data/mnist-10k-images-idx3-ubyte.gz"), Path.Combine(root, "data/mnist-10k-labels-idx1-ubyte.gz"));
        var settings = TrainQuick.Settings(1);
        var job = MlpFitter.Prepare(data, settings);
        var train = job.Train;
        var trainer = new Trainer(job.Model, settings.Training, job.Regularization, train.Rows);
        var order = Enumerable.Range(0, train.Rows).ToArray();
        var batchY = new float[Batch];
        var shuffle = new Rng(3);
        var dropout = new Rng(5);
        int perEpoch = train.Rows / Batch, s = perEpoch;
        return () =>
        {
            if (s == perEpoch)
            {
                shuffle.Shuffle(order.AsSpan());
                s = 0;
            }
            int first = s++ * Batch;
            for (int r = 0; r < Batch; r++) batchY[r] = train.Y[order[first + r]];
            trainer.Step(train.X, order.AsSpan(first, Batch), batchY, Batch, dropout, out _);
        };
    }

    private static void Measure(Action step, int threads, int steps, string mode)
    {
        var trace = new GemmPoolTrace(64 * steps + 64);
        var starts = new long[steps];
        var ends = new long[steps];
        var callStart = new int[steps + 1];
        GemmThreadPool.Trace = trace;
        for (int s = 0; s < steps; s++)
        {
            callStart[s] = trace.Calls.Length;
            starts[s] = Stopwatch.GetTimestamp();
            step();
            ends[s] = Stopwatch.GetTimestamp();
        }
        GemmThreadPool.Trace = null;
        callStart[steps] = trace.Calls.Length;
        var calls = trace.Calls.ToArray();
        double us = 1e6 / Stopwatch.Frequency;
        double[] stepUs = [.. Enumerable.Range(0, steps).Select(s => (ends[s] - starts[s]) * us)];
        var sorted = stepUs.Order().ToArray();
        double Q(double[] v, double q) => v[(int)Math.Min(v.Length - 1, Math.Floor(q * v.Length))];
        double median = Q(sorted, 0.5);
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"== 784-512-256-10 batch {Batch}, {mode}, {threads} thread(s), {steps} steps: best {sorted[0]:F0}, p10 {Q(sorted, 0.1):F0}, median {median:F0}, mean {stepUs.Average():F0}, p90 {Q(sorted, 0.9):F0}, p99 {Q(sorted, 0.99):F0} µs"));
        // Histogram in bins of 5 % of the best step.
        double bin = sorted[0] * 0.05;
        var bins = new SortedDictionary<int, int>();
        foreach (double v in sorted) { int b = (int)((v - sorted[0]) / bin); b = Math.Min(b, 40); bins[b] = bins.GetValueOrDefault(b) + 1; }
        foreach (var (b, n) in bins)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"  {(b == 40 ? ">=" : "")}{sorted[0] + b * bin,6:F0} µs {n,4} {new string('#', Math.Max(1, n * 60 / steps))}"));

        // Per call index within a step (only steps with the usual number of calls).
        int perStep = Enumerable.Range(0, steps).GroupBy(s => callStart[s + 1] - callStart[s]).OrderByDescending(g => g.Count()).First().Key;
        int[] regular = [.. Enumerable.Range(0, steps).Where(s => callStart[s + 1] - callStart[s] == perStep)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"bench\":\"steps-trace\",\"mode\":\"{mode}\",\"threads\":{threads},\"steps\":{steps},\"bestUs\":{sorted[0]:F1},\"p10Us\":{Q(sorted, 0.1):F1},\"medianUs\":{median:F1},\"meanUs\":{stepUs.Average():F1},\"p90Us\":{Q(sorted, 0.9):F1},\"p99Us\":{Q(sorted, 0.99):F1},\"poolCallsPerStep\":{perStep}}}"));
        if (perStep > 0 && regular.Length > 0)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"  pool calls per step: {perStep} ({regular.Length} steps); per call: duration median/p90 µs, helper woken from sleep %, helper absent %, join latency median/p90 µs, caller wait median/p90 µs, helper wait median µs, helper items % (of all items)"));
            // Gaps: the caller's own work before call c (from the previous call's end or the step start).
            var gap = new double[perStep + 1][];
            var dur = new double[perStep][];
            for (int c = 0; c <= perStep; c++) gap[c] = new double[regular.Length];
            for (int c = 0; c < perStep; c++) dur[c] = new double[regular.Length];
            for (int r = 0; r < regular.Length; r++)
            {
                int s = regular[r];
                long prev = starts[s];
                for (int c = 0; c < perStep; c++)
                {
                    var call = calls[callStart[s] + c];
                    gap[c][r] = (call.Start - prev) * us;
                    dur[c][r] = (call.End - call.Start) * us;
                    prev = call.End;
                }
                gap[perStep][r] = (ends[s] - prev) * us;
            }
            for (int c = 0; c <= perStep; c++)
            {
                var g = gap[c].Order().ToArray();
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  [own work before call {c,2}] median {Q(g, 0.5),7:F1} p90 {Q(g, 0.9),7:F1}"));
                if (c == perStep) break;
                var d = dur[c].Order().ToArray();
                var cs = regular.Select(s => calls[callStart[s] + c]).ToArray();
                var first = cs[0];
                string what = first.Kind == 0 ? $"GEMM {first.M}x{first.N}x{first.K}" : $"items x{first.Items}";
                var joined = cs.Where(x => x.HelperJoin != 0).ToArray();
                var join = joined.Select(x => (x.HelperJoin - x.Posted) * us).Order().ToArray();
                var cw = cs.Select(x => x.CallerWait * us).Order().ToArray();
                var hw = joined.Select(x => x.HelperWait * us).Order().ToArray();
                double items = cs.Sum(x => (double)x.HelperItems) / Math.Max(1, cs.Sum(x => (double)x.HelperItems + x.CallerItems));
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"  call {c,2} {what,-22} {Q(d, 0.5),7:F1} {Q(d, 0.9),7:F1}  woken {100.0 * cs.Count(x => x.HelperAsleep) / cs.Length,5:F1}%  absent {100.0 * (cs.Length - joined.Length) / cs.Length,5:F1}%  join {(join.Length > 0 ? Q(join, 0.5) : double.NaN),6:F1} {(join.Length > 0 ? Q(join, 0.9) : double.NaN),7:F1}  cwait {Q(cw, 0.5),6:F1} {Q(cw, 0.9),7:F1}  hwait {(hw.Length > 0 ? Q(hw, 0.5) : double.NaN),6:F1}  hitems {100 * items,5:F1}%"));
            }
            // Attribution: in the slow steps, the excess of each piece over its median.
            var slow = Enumerable.Range(0, regular.Length).Where(r => stepUs[regular[r]] > 1.2 * median).ToArray();
            if (slow.Length > 0)
            {
                double totalExcess = slow.Sum(r => stepUs[regular[r]] - median);
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"  slow steps (> 1.2 x median): {slow.Length} of {regular.Length}, mean excess {totalExcess / slow.Length:F0} µs; where it went (sum of excess over each piece's median, % of total excess):"));
                var parts = new List<(string Name, double Excess)>();
                for (int c = 0; c <= perStep; c++)
                {
                    double gm = Q(gap[c].Order().ToArray(), 0.5);
                    parts.Add(($"own work before call {c}", slow.Sum(r => gap[c][r] - gm)));
                    if (c == perStep) break;
                    double dm = Q(dur[c].Order().ToArray(), 0.5);
                    var first = calls[callStart[regular[0]] + c];
                    string what = first.Kind == 0 ? $"GEMM {first.M}x{first.N}x{first.K}" : $"items x{first.Items}";
                    parts.Add(($"call {c} {what}", slow.Sum(r => dur[c][r] - dm)));
                }
                foreach (var (name, excess) in parts.OrderByDescending(p => p.Excess).Take(8))
                    sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"    {name,-40} {excess / slow.Length,8:F1} µs/step {100 * excess / totalExcess,6:F1}%"));
                // In the slow steps: how often the helper was absent or late.
                var slowCalls = slow.SelectMany(r => Enumerable.Range(0, perStep).Select(c => calls[callStart[regular[r]] + c])).ToArray();
                var fastCalls = Enumerable.Range(0, regular.Length).Except(slow).SelectMany(r => Enumerable.Range(0, perStep).Select(c => calls[callStart[regular[r]] + c])).ToArray();
                static string Summary(GemmPoolTrace.Call[] cs, double us) =>
                    string.Create(CultureInfo.InvariantCulture,
                        $"helper absent {100.0 * cs.Count(x => x.HelperJoin == 0) / Math.Max(1, cs.Length):F1}%, woken {100.0 * cs.Count(x => x.HelperAsleep) / Math.Max(1, cs.Length):F1}%, mean join latency {cs.Where(x => x.HelperJoin != 0).Select(x => (x.HelperJoin - x.Posted) * us).DefaultIfEmpty().Average():F1} µs, mean caller wait {cs.Average(x => x.CallerWait * us):F1} µs, helper items {100 * cs.Sum(x => (double)x.HelperItems) / Math.Max(1, cs.Sum(x => (double)x.HelperItems + x.CallerItems)):F1}%");
                sb.AppendLine("    slow steps' calls: " + Summary(slowCalls, us));
                sb.AppendLine("    other steps' calls: " + Summary(fastCalls, us));
            }
        }
        Console.Write(sb.ToString());
    }
}
