using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Occam.Data;
using Occam.Interop;
using Occam.Nn;
using Occam.Numerics;
using Occam.Numerics.Random;

namespace Occam.Bench;

/// <summary>
/// `infer`: inference of a 784-512-256-10 classifier (ReLU, random weights from a fixed seed), Occam's public API
/// against ONNX Runtime (CPU) running the same network exported by <see cref="OnnxExport"/>, in the same process,
/// best of N Stopwatch windows, the four calls interleaved in several rounds, their order rotating. Occam is timed through
/// <c>Mlp.PredictScores(ReadOnlySpan&lt;float&gt;, int, Span&lt;float&gt;)</c> (float inputs, as ORT gets; the headline
/// figure, <c>occamUs</c>) and <c>Mlp.PredictScores(ReadOnlySpan&lt;double&gt;, int, Span&lt;float&gt;)</c> (double
/// inputs, converted inside the call; <c>occamDoubleUs</c>), both writing into a caller's buffer (no allocation), and
/// <c>MlpPredictor.PredictScores(ReadOnlySpan&lt;float&gt;, int, Span&lt;float&gt;)</c> of <c>model.CreatePredictor()</c>
/// (a frozen copy with the weights packed once, as ORT's session packs them; <c>predictorUs</c>; the same bits).
/// Cases: batch 256 (rows/s) and one row (latency), 1 and 2 threads (Occam: <see cref="Gemm.MaxThreads"/>; ORT:
/// <c>IntraOpNumThreads</c>); and a pruned copy with half of each hidden layer's units dead (their incoming weights
/// zero), shrunk by <see cref="Pruning.RemoveDeadUnits"/>, at batch 256 against the full network.
/// One JSON line per case: <c>{"bench":"infer","case":"batch256","threads":1,"occamUs":...,"occamDoubleUs":...,"ortUs":...,"predictorUs":...}</c> and
/// <c>{"bench":"prune","fullUs":...,"prunedUs":...,"fullParams":...,"prunedParams":...}</c>.
/// Options: <c>--seconds S</c> per case (default 1), <c>--threads 1,2</c>, <c>--rows 256,1</c> (batch sizes),
/// <c>--rounds R</c> (default 3).
/// The pruned case (since session 17): the full and the pruned network take turns window by window (one untimed call,
/// then ≥ 5 ms of calls) for 2·S seconds, through <c>Mlp.PredictScores</c> (<c>fullUs</c>, <c>prunedUs</c>) and through
/// <c>MlpPredictor</c> (<c>fullPredictorUs</c>, <c>prunedPredictorUs</c>), so that a slow phase of the host (seconds
/// long on the Intel Xeon of sessions 12–17) falls on both alike; before, each side had 3 windows of S/3 seconds after
/// its own warm-up, and a slow phase on all of one side's windows gave 0.71 and 0.75 where the same process gives ≈ 1.0
/// window by window (docs/algorithms/inference.md, "Intel Xeon (session 17)").
/// A/B options: <c>--prune-only</c> (only the pruned case), <c>--prune-coarse</c> (also the old measurement, fields
/// <c>coarse…</c>), <c>--ab-line-offset F</c> (also copies whose inference buffers start F floats past a 64-byte line,
/// <c>Inference.TestLineOffset</c>: fields <c>…OffsetUs</c> in the pruned case and one <c>infer-ab-line</c> line per batch
/// case: the predictor, the offset predictor and ORT window by window), <c>--ab-weights-offset F</c> (since session 18:
/// one <c>infer-ab-weights</c> line per batch case, window by window: the predictor, predictors whose packed weights
/// (<c>packedOffsetUs</c>, the batch path's) or row-path weight copies (<c>rowOffsetUs</c>) start F floats past a
/// 64-byte line, one whose row path reads <c>Dense.Weight</c> in place as before session 18 (<c>rowInPlaceUs</c>;
/// <c>weightOffsets</c>: where those arrays' data start, floats past a line) and ORT, best and median windows; in the
/// pruned case both predictors again with packed weights at F), <c>--ab-pack-check</c> (since session 23: one
/// <c>infer-ab-pack-check</c> line per batch case, window by window: the predictor checking float32 rows while it packs
/// them, the same predictor with a check pass of its own before the packing as before, and ORT), <c>--ab-row-order</c>, <c>--verbose</c>
/// (per-round figures on stderr).
/// </summary>
internal static class InferQuick
{
    public static int Run(string[] args)
    {
        double seconds = 1;
        var threadCounts = new List<int> { 1, 2 };
        var sizes = new List<int> { 256, 1 };
        int rounds = 3;
        bool abRowOrder = false, pruneOnly = false, abPackCheck = false;
        int abLineOffset = -1, abWeightsOffset = -1;
        bool verbose = false, pruneCoarse = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds") seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--threads") threadCounts = args[++i].Split(',').Select(int.Parse).ToList();
            else if (args[i] == "--rows") sizes = args[++i].Split(',').Select(int.Parse).ToList();
            else if (args[i] == "--rounds") rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--ab-row-order") abRowOrder = true;
            else if (args[i] == "--ab-pack-check") abPackCheck = true;
            else if (args[i] == "--prune-only") pruneOnly = true;
            else if (args[i] == "--verbose") verbose = true;
            else if (args[i] == "--prune-coarse") pruneCoarse = true;
            else if (args[i] == "--ab-line-offset") abLineOffset = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--ab-weights-offset") abWeightsOffset = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else
            {
                Console.Error.WriteLine($"infer: unknown option {args[i]}");
                return 2;
            }
        }
        var rng = new Rng(2026UL);
        var model = Mlp.Create(new MlpSpec(784, [512, 256], 10, TaskKind.Multiclass), rng);
        int maxRows = Math.Max(256, sizes.Max());
        var x = new double[maxRows * 784];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextNormal();
        var xf = x.Select(v => (float)v).ToArray();
        byte[] onnx = OnnxExport.ToBytes(model);
        var predictor = model.CreatePredictor();

        foreach (int threads in pruneOnly ? [] : threadCounts)
        {
            int saved = Gemm.MaxThreads;
            Gemm.MaxThreads = threads;
            try
            {
                using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
                using var session = new InferenceSession(onnx, options);
                foreach (int rows in sizes)
                {
                    var scores = new float[rows * 10];
                    var xd = x.AsSpan(0, rows * 784).ToArray();
                    var xs = xf.AsSpan(0, rows * 784).ToArray();
                    using var input = OrtValue.CreateTensorValueFromMemory(xs, [rows, 784]);
                    using var runOptions = new RunOptions();
                    string[] inputNames = [OnnxExport.InputName], outputNames = [OnnxExport.ScoresName];
                    OrtValue[] inputs = [input];
                    double occam = double.MaxValue, occamDouble = double.MaxValue, ort = double.MaxValue, frozen = double.MaxValue, fixedOrder = double.MaxValue;
                    // --ab-row-order: also the predictor with every row walking the layers in the same order (the row
                    // path's alternate walk switched off), in the same rotation.
                    int turns = abRowOrder && rows <= 3 ? 5 : 4;
                    // The order rotates from round to round, so that no call always follows another one's
                    // leftovers (ORT's pool keeps spinning for a while after a run, as Occam's helper does).
                    for (int round = 0; round < rounds; round++)
                        for (int turn = 0; turn < turns; turn++)
                            switch ((round + turn) % turns)
                            {
                                case 4:
                                    Inference.AlternateRowOrder = false;
                                    fixedOrder = Math.Min(fixedOrder, Best(() => predictor.PredictScores(xs, rows, scores), seconds / rounds));
                                    Inference.AlternateRowOrder = true;
                                    break;
                                case 0: occam = Math.Min(occam, Best(() => model.PredictScores(xs, rows, scores), seconds / rounds)); break;
                                case 1: occamDouble = Math.Min(occamDouble, Best(() => model.PredictScores(xd, rows, scores), seconds / rounds)); break;
                                case 2: frozen = Math.Min(frozen, Best(() => predictor.PredictScores(xs, rows, scores), seconds / rounds)); break;
                                default:
                                    ort = Math.Min(ort, Best(() =>
                                    {
                                        using var results = session.Run(runOptions, inputNames, inputs, outputNames);
                                    }, seconds / rounds));
                                    break;
                            }
                    string name = rows == 1 ? "row1" : $"batch{rows}";
                    if (abLineOffset >= 0)
                    {
                        // --ab-line-offset F: the predictor against a predictor whose inference buffers start F floats
                        // past a 64-byte line (as before session 17) and ORT, window by window.
                        var offsetPredictor = model.CreatePredictor();
                        Inference.TestLineOffset = abLineOffset;
                        offsetPredictor.PredictScores(xs, rows, scores);
                        Inference.TestLineOffset = 0;
                        var ab = Alternate([
                            () => predictor.PredictScores(xs, rows, scores),
                            () => offsetPredictor.PredictScores(xs, rows, scores),
                            () => { using var results = session.Run(runOptions, inputNames, inputs, outputNames); }], 2 * seconds, verbose);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{{\"bench\":\"infer-ab-line\",\"case\":\"{name}\",\"threads\":{threads},\"lineOffset\":{abLineOffset},\"predictorUs\":{ab[0] * 1e6:F3},\"predictorOffsetUs\":{ab[1] * 1e6:F3},\"ortUs\":{ab[2] * 1e6:F3}}}"));
                    }
                    if (abPackCheck && rows > Inference.GemvMaxRows)
                    {
                        // --ab-pack-check: float32 rows checked in the packing's loads vs a check pass before it.
                        var ab = Alternate([
                            () => { Inference.CheckWhilePacking = true; predictor.PredictScores(xs, rows, scores); },
                            () => { Inference.CheckWhilePacking = false; predictor.PredictScores(xs, rows, scores); },
                            () => { using var results = session.Run(runOptions, inputNames, inputs, outputNames); }], 2 * seconds, verbose);
                        Inference.CheckWhilePacking = true;
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{{\"bench\":\"infer-ab-pack-check\",\"case\":\"{name}\",\"threads\":{threads},\"predictorUs\":{ab[0] * 1e6:F3},\"predictorCheckPassUs\":{ab[1] * 1e6:F3},\"ortUs\":{ab[2] * 1e6:F3}}}"));
                    }
                    if (abWeightsOffset >= 0)
                    {
                        // --ab-weights-offset F: the predictor (packed weights and the row path's copies on lines)
                        // against predictors whose packed weights (batch path) or row copies (row path) start F floats
                        // past a line, one whose row path reads Dense.Weight in place (as before session 18), and ORT,
                        // window by window.
                        var packedOffset = WithOffsets(model, abWeightsOffset, 0);
                        var rowOffset = WithOffsets(model, 0, abWeightsOffset);
                        var inPlace = WithOffsets(model, 0, -1);
                        var sides = new List<Action>
                        {
                            () => predictor.PredictScores(xs, rows, scores),
                            () => packedOffset.PredictScores(xs, rows, scores),
                            () => rowOffset.PredictScores(xs, rows, scores),
                            () => inPlace.PredictScores(xs, rows, scores),
                            () => { using var results = session.Run(runOptions, inputNames, inputs, outputNames); },
                        };
                        // 10 ms of sleep after every window: ORT's pool spins on after a run, and on 2 vCPUs the side
                        // after ORT's window then ran at 2 threads with one core taken (46 µs against 20–25 for one
                        // row, every process, 17:43 UTC).
                        var ab = Alternate(sides, 2 * seconds, verbose, out var median, settleMs: 10);
                        string weightOffsets = string.Join(",", inPlace.Network.DenseLayers.Select(d => LineOffset(d.Weight)));
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{{\"bench\":\"infer-ab-weights\",\"case\":\"{name}\",\"threads\":{threads},\"offset\":{abWeightsOffset},\"weightOffsets\":[{weightOffsets}],\"predictorUs\":{ab[0] * 1e6:F3},\"packedOffsetUs\":{ab[1] * 1e6:F3},\"rowOffsetUs\":{ab[2] * 1e6:F3},\"rowInPlaceUs\":{ab[3] * 1e6:F3},\"ortUs\":{ab[4] * 1e6:F3},\"medianUs\":[{string.Join(",", median.Select(m => (m * 1e6).ToString("F3", CultureInfo.InvariantCulture)))}]}}"));
                    }
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{{\"bench\":\"infer\",\"case\":\"{name}\",\"rows\":{rows},\"threads\":{threads},\"occamUs\":{occam * 1e6:F3},\"occamDoubleUs\":{occamDouble * 1e6:F3},\"ortUs\":{ort * 1e6:F3},\"predictorUs\":{frozen * 1e6:F3},{(turns == 5 ? FormattableString.Invariant($"\"predictorFixedOrderUs\":{fixedOrder * 1e6:F3},") : "")}\"api\":\"Mlp.PredictScores(ReadOnlySpan<float>, int, Span<float>)\"}}"));
                }
            }
            finally
            {
                Gemm.MaxThreads = saved;
            }
        }

        // Pruned: half of the units of each hidden layer get zero incoming weights and are removed.
        var dying = model.Clone();
        var dense = dying.DenseLayers;
        for (int l = 0; l + 1 < dense.Count; l++)
            for (int u = 0; u < dense[l].Outputs; u += 2)
                Array.Clear(dense[l].Weight, u * dense[l].Inputs, dense[l].Inputs);
        var pruned = Pruning.RemoveDeadUnits(dying);
        {
            int saved = Gemm.MaxThreads;
            Gemm.MaxThreads = 1;
            var scores = new float[256 * 10];
            var xs = xf.AsSpan(0, 256 * 784).ToArray();
            // Sides: the full and the pruned network; with --ab-line-offset F also copies of both whose inference
            // buffers start F floats past a 64-byte line (Inference.TestLineOffset; 4 is where a managed array's data
            // start), as the buffers did before session 17.
            // Also (fields "...PredictorUs") both through MlpPredictor, the prepared call of the other infer rows.
            var fullPredictor = dying.CreatePredictor();
            var prunedPredictor = pruned.CreatePredictor();
            var sides = new List<Action>
            {
                () => dying.PredictScores(xs, 256, scores), () => pruned.PredictScores(xs, 256, scores),
                () => fullPredictor.PredictScores(xs, 256, scores), () => prunedPredictor.PredictScores(xs, 256, scores),
            };
            if (abLineOffset >= 0)
            {
                var dyingB = dying.Clone();
                var prunedB = pruned.Clone();
                Inference.TestLineOffset = abLineOffset;
                dyingB.PredictScores(xs, 256, scores);
                prunedB.PredictScores(xs, 256, scores);
                Inference.TestLineOffset = 0;
                sides.Add(() => dyingB.PredictScores(xs, 256, scores));
                sides.Add(() => prunedB.PredictScores(xs, 256, scores));
            }
            int packedSides = sides.Count;
            if (abWeightsOffset >= 0)
            {
                // --ab-weights-offset F: both predictors again with their packed weights F floats past a line.
                var fullOffset = WithOffsets(dying, abWeightsOffset, 0);
                var prunedOffset = WithOffsets(pruned, abWeightsOffset, 0);
                sides.Add(() => fullOffset.PredictScores(xs, 256, scores));
                sides.Add(() => prunedOffset.PredictScores(xs, 256, scores));
            }
            // --prune-coarse: first the measurement of sessions 4-16 (per round, each side's best of windows for
            // seconds/rounds after its own warm-up), printed as "coarse...": this host's slow phases last seconds, so
            // three such windows per side could put all of one side's windows in a slow phase and none of the other's.
            string coarse = "";
            if (pruneCoarse)
            {
                double cf = double.MaxValue, cp = double.MaxValue;
                for (int round = 0; round < rounds; round++)
                {
                    double f = Best(sides[0], seconds / rounds), p = Best(sides[1], seconds / rounds);
                    cf = Math.Min(cf, f);
                    cp = Math.Min(cp, p);
                    if (verbose) Console.Error.WriteLine(FormattableString.Invariant($"prune coarse round {round}: full {f * 1e6:F1} us, pruned {p * 1e6:F1} us"));
                }
                coarse = FormattableString.Invariant($"\"coarseFullUs\":{cf * 1e6:F3},\"coarsePrunedUs\":{cp * 1e6:F3},");
            }
            var best = Alternate(sides, 2 * seconds, verbose, out var medians);
            double full = best[0], small = best[1];
            Gemm.MaxThreads = saved;
            string ab = FormattableString.Invariant($"\"fullPredictorUs\":{best[2] * 1e6:F3},\"prunedPredictorUs\":{best[3] * 1e6:F3},")
                + (abLineOffset < 0 ? "" : FormattableString.Invariant($"\"lineOffset\":{abLineOffset},\"fullOffsetUs\":{best[4] * 1e6:F3},\"prunedOffsetUs\":{best[5] * 1e6:F3},"))
                + (abWeightsOffset < 0 ? "" : FormattableString.Invariant($"\"weightsOffset\":{abWeightsOffset},\"fullPredictorPackedOffsetUs\":{best[packedSides] * 1e6:F3},\"prunedPredictorPackedOffsetUs\":{best[packedSides + 1] * 1e6:F3},\"medianUs\":[{string.Join(",", medians.Select(m => (m * 1e6).ToString("F3", CultureInfo.InvariantCulture)))}],"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"bench\":\"prune\",\"rows\":256,\"threads\":1,\"fullUs\":{full * 1e6:F3},\"prunedUs\":{small * 1e6:F3},{ab}{coarse}\"fullParams\":{dying.ParameterCount},\"prunedParams\":{pruned.ParameterCount}}}"));
        }
        return 0;
    }

    /// <summary>
    /// Best seconds per call of each side, the sides taking turns window by window for about <paramref name="seconds"/>
    /// in all after a warm-up of each: a window is one untimed call (so that the side's own data are back in the
    /// caches, as when it runs alone) and then ≥ 5 ms of calls. A slow phase of the host (they last seconds here)
    /// then falls on all sides alike.
    /// </summary>
    private static double[] Alternate(List<Action> sides, double seconds, bool verbose) => Alternate(sides, seconds, verbose, out _);

    /// <summary>
    /// <see cref="Alternate(List{Action}, double, bool)"/>, also each side's median window; with <paramref name="settleMs"/>
    /// a sleep after every window, so that no side inherits another's spinning threads.
    /// </summary>
    private static double[] Alternate(List<Action> sides, double seconds, bool verbose, out double[] median, int settleMs = 0)
    {
        var windows = sides.Select(_ => new List<double>()).ToArray();
        var perCall = sides.Select(c => Timing.WarmUp(c, 20, 0.1)).ToArray();
        var best = sides.Select(_ => double.MaxValue).ToArray();
        long start = Stopwatch.GetTimestamp();
        int turns = 0;
        for (; turns < 4 || Timing.Elapsed(start) < seconds; turns++)
            for (int i = 0; i < sides.Count; i++)
            {
                sides[i]();
                int calls = Math.Max(1, (int)(5e-3 / perCall[i]));
                long t0 = Stopwatch.GetTimestamp();
                for (int c = 0; c < calls; c++) sides[i]();
                double perWindow = Timing.Elapsed(t0) / calls;
                windows[i].Add(perWindow);
                best[i] = Math.Min(best[i], perWindow);
                if (settleMs > 0) Thread.Sleep(settleMs);
            }
        median = windows.Select(w => { w.Sort(); return w[w.Count / 2]; }).ToArray();
        if (verbose) Console.Error.WriteLine(FormattableString.Invariant($"prune: {turns} turns, best us {string.Join(" / ", best.Select(b => (b * 1e6).ToString("F1", CultureInfo.InvariantCulture)))}"));
        return best;
    }

    /// <summary>
    /// A predictor of <paramref name="model"/> whose packed weights start <paramref name="packed"/> floats past a
    /// 64-byte line and whose row path's weight copies start <paramref name="rows"/> floats past one (−1: no copies,
    /// the row path reads <see cref="Dense.Weight"/>), for A/B measurements.
    /// </summary>
    private static MlpPredictor WithOffsets(Mlp model, int packed, int rows)
    {
        Mlp.TestPackedLineOffset = packed;
        Mlp.TestRowLineOffset = rows;
        try
        {
            return model.CreatePredictor();
        }
        finally
        {
            Mlp.TestPackedLineOffset = 0;
            Mlp.TestRowLineOffset = 0;
        }
    }

    /// <summary>Floats past a 64-byte line at which <paramref name="array"/>'s data start (now).</summary>
    private static unsafe long LineOffset(float[] array)
    {
        fixed (float* p = array) return ((nint)p & 63) / 4;
    }

    /// <summary>Best seconds per call over windows of ≥ 1 ms, for about <paramref name="seconds"/>, after a warm-up.</summary>
    private static double Best(Action call, double seconds) =>
        Timing.BestOfWindows(call, Timing.WarmUp(call, 20, Math.Min(0.3, seconds / 3)), 1e-3, seconds, 1);
}
