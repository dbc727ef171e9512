using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Occam.Data;
using Occam.Numerics.Random;
using Occam.Serialization;
using Occam.Training;

namespace Occam.Bench;

/// <summary>
/// `train --ab`: the data-pipeline pieces of <c>occam train</c> on MNIST-10k, each timed against the way it was done
/// before issue 10's pipeline work, interleaved in one process (A, B, A, B, …), best of <c>--rounds</c> (default 15):
/// gunzip (MemoryStream + CopyTo + ToArray vs into an array sized from the gzip trailer), widen bytes → float64
/// (the scalar loop vs the vector kernel, one thread), the whole data preparation from a float64 copy of the pixels
/// (widen, fit, float32 rows: the loader until session 5) vs from the bytes as loaded (`bytes`; floats compared), the standardizer fit (the scalar two-pass loop vs the vectorized fit on one
/// thread, and vs the column-block fit on every core; results compared bit for bit), the copy of the training rows (Dataset.Subset of every row vs none), the model's
/// weight rows to JSON (one writer vs one per core; bytes compared) and, for reference, one epoch of batch gathers
/// (40 batches of 256 shuffled rows into a reused buffer, what the loop did around the steps until session 5), one epoch
/// of the loop with every batch gathered vs its rows read in place by the first layer's products (`rows`), and one epoch's record
/// (sparsity and penalty of the weights); since session 11 the standardizer's first pass inside the gunzip loop (inflate-pass, fit-stats, read-fit, deviations-bytes, below). One JSON line per piece. <c>--pieces gunzip,widen,bytes,keep,inflate-pass,fit-stats,read-fit,deviations-bytes,gather-bytes,gather-in-step,split,fit,copy,json,save,gather,rows,prepare,record</c>
/// runs only those (json: the writer's own float formatting vs <see cref="ShortestFloat"/>, on one thread and on every core;
/// save: the atomic save to a file vs the same JSON into memory).
/// </summary>
internal static class PipelineAb
{
    public static int Run(string images, string labels, int rounds, IReadOnlySet<string>? pieces = null)
    {
        bool Want(string piece) => pieces is null || pieces.Contains(piece);
        var data = IdxLoader.Load(images, labels);
        var job = MlpFitter.Prepare(data, TrainQuick.Settings(1));
        byte[] gz = File.ReadAllBytes(images);
        byte[] raw = IdxLoader.ReadMaybeGzip(images);
        var x = new double[data.Rows * data.Features];
        int p = data.Features;

        if (Want("gunzip")) Report("gunzip", rounds, () => GunzipBefore(gz), () => IdxLoader.ReadMaybeGzip(images));
        if (Want("widen")) Report("widen-1-thread", rounds, () => WidenBefore(raw, 16, x), () => Numerics.Conversion.WidenBytes.Apply(raw.AsSpan(16, x.Length), x));
        // The standardizer fit and the float32 rows from the float64 copy of the pixels (what the loader made until
        // session 5: widen 63 MB, then fit and convert from it) vs from the bytes as loaded; the same floats.
        var widened = new Dataset(data.X.ToArray(), data.Y, data.Rows, p, data.FeatureNames, data.TargetName, data.Task, data.Classes);
        TrainingData FromDoubles()
        {
            var copy = new Dataset(GC.AllocateUninitializedArray<double>(data.Rows * p), data.Y, data.Rows, p, data.FeatureNames, data.TargetName, data.Task, data.Classes);
            IdxLoaderWiden(raw, 16, copy.X);
            _ = Standardizer.Fit(copy);
            return TrainingData.From(job.Model, copy);
        }
        TrainingData FromBytes()
        {
            _ = Standardizer.Fit(data);
            return TrainingData.From(job.Model, data);
        }
        if (!FromDoubles().X.AsSpan().SequenceEqual(FromBytes().X) || !Standardizer.Fit(widened).Mean.SequenceEqual(Standardizer.Fit(data).Mean)
            || !Standardizer.Fit(widened).Scale.SequenceEqual(Standardizer.Fit(data).Scale))
            throw new InvalidOperationException("the byte path gives other numbers");
        if (Want("bytes")) Report("widen-fit-prepare-vs-bytes", rounds, () => FromDoubles(), () => FromBytes());
        // Session 8: the training rows' preparation building the float32 matrix (fit + StandardizeToSingle + labels) vs
        // keeping the bytes (fit + ByteAffine.TryCreate + labels), as MlpFitter.Prepare now does; then TryCreate alone.
        if (Want("keep"))
        {
            if (TrainingData.From(job.Model, data, keepBytes: true).Bytes is null) throw new InvalidOperationException("MNIST's bytes are not kept");
            Report("float32-rows-vs-kept-bytes", rounds, () => FromBytes(), () => { _ = Standardizer.Fit(data); _ = TrainingData.From(job.Model, data, keepBytes: true); });
            var s = job.Model.Standardizer!;
            Report("byte-affine-check", rounds, null, () => Numerics.Conversion.ByteAffine.TryCreate(s.Mean, s.Scale, p, out _, out _));
        }
        // Session 11: the standardizer's first pass inside the gunzip loop. `inflate-pass`: the gunzip alone vs with the
        // column sums of the rows each piece completes (into one reused, already touched array: no first touches, so only
        // the added work shows); `fit-stats`: the fit with its own first pass vs from the loader's statistics (pass 2
        // only); `read-fit`: IdxLoader.Load + Standardizer.Fit of the pixels without vs with the fused pass. Results
        // compared bit for bit.
        if (pieces is null || pieces.Contains("inflate-pass") || pieces.Contains("fit-stats") || pieces.Contains("read-fit") || pieces.Contains("deviations-bytes"))
        {
            var without = new Dataset(raw, 16, data.Y, data.Rows, p, data.FeatureNames, data.TargetName, data.Task, data.Classes);
            var stats = data.ByteStatistics ?? throw new InvalidOperationException("the loader left no statistics");
            var fused = Standardizer.Fit(data);
            var own = Standardizer.Fit(without);
            if (!fused.Mean.SequenceEqual(own.Mean) || !fused.Scale.SequenceEqual(own.Scale))
                throw new InvalidOperationException("the fit from the loader's statistics differs");
            var target = new byte[raw.Length];
            if (Want("inflate-pass"))
                Report("inflate-vs-inflate-with-column-pass", rounds, () => InflateInto(gz, target, null),
                    () => InflateInto(gz, target, new ByteColumnAccumulator(16, data.Rows, p)));
            if (Want("fit-stats")) Report("fit-own-pass-vs-loader-statistics", rounds, () => Standardizer.Fit(without), () => Standardizer.Fit(data));
            // The second pass on the bytes: each row widened into a buffer, then SquaredDeviations.Add (until this
            // session) vs SquaredDeviations.AddBytes, which widens in registers; every row, full width, one thread.
            if (Want("deviations-bytes"))
            {
                var buffer = new double[p];
                var acc = new double[p];
                var bytes = data.Bytes;
                Report("second-pass-widen-buffer-vs-bytes", rounds, () =>
                {
                    var span = bytes.Span;
                    for (int r = 0; r < data.Rows; r++)
                    {
                        Numerics.Conversion.WidenBytes.Apply(span.Slice(r * p, p), buffer);
                        Numerics.Standardization.SquaredDeviations.Add(buffer, fused.Mean, acc);
                    }
                }, () =>
                {
                    var span = bytes.Span;
                    for (int r = 0; r < data.Rows; r++)
                        Numerics.Standardization.SquaredDeviations.AddBytes(span.Slice(r * p, p), fused.Mean, acc);
                });
            }
            if (Want("read-fit"))
                Report("read-fit", rounds, () => Standardizer.Fit(new Dataset(IdxLoader.ReadMaybeGzip(images), 16, data.Y, data.Rows, p, data.FeatureNames, data.TargetName, data.Task, data.Classes)),
                    () => Standardizer.Fit(IdxLoader.Load(images, labels)));
        }
        var before = FitBefore(data.X, p);
        var after = Standardizer.Fit(data);
        if (!before.Mean.SequenceEqual(after.Mean) || !before.Scale.SequenceEqual(after.Scale))
            throw new InvalidOperationException("the standardizer fits differ");
        var every = Enumerable.Range(0, data.Rows).ToArray();
        if (Want("fit")) Report("standardizer-fit-1-thread", rounds, () => FitBefore(data.X, p), () => Standardizer.Fit(data.X, p, every));
        if (Want("fit")) Report("standardizer-fit", rounds, () => FitBefore(data.X, p), () => Standardizer.Fit(data));
        if (Want("copy")) Report("training-rows-copy", rounds, () => data.Subset(every), () => { });
        var model = job.Model;
        if (pieces is null || pieces.Contains("json") || pieces.Contains("save"))
        {
            // trained weights, as occam train saves them (one epoch: L1 zeros, and digits of trained rather than fresh values)
            var trainer = new Trainer(model, TrainQuick.Settings(1).Training, job.Regularization, job.Train.Rows);
            trainer.Begin(job.Train, null, job.TrainRng.Fork()).Next();
        }
        var options = JsonText.WriterOptions(indented: false);
        var reference = WriterJson(model, options);
        if (!reference.SequenceEqual(Json(model, options, parallel: false)) || !reference.SequenceEqual(Json(model, options, parallel: true)))
            throw new InvalidOperationException("the JSON differs");
        // The writer's own float formatting (WriteNumberValue per value, one thread) vs ShortestFloat on one thread,
        // and vs ShortestFloat with the rows on every core (what MlpJson.Save does).
        if (Want("json")) Report("weights-json-1-thread", rounds, () => WriterJson(model, options), () => Json(model, options, parallel: false));
        if (Want("json")) Report("weights-json", rounds, () => WriterJson(model, options), () => Json(model, options, parallel: true));
        // The whole save (temporary file, flush to disk, rename) vs the same JSON into memory: the file's share.
        string folder = Directory.CreateTempSubdirectory("occam-ab-save").FullName;
        try
        {
            if (Want("save")) Report("save-file-vs-memory", rounds, () => MlpJson.Save(model, Path.Combine(folder, "m.json")), () => MlpJson.Write(model, new MemoryStream(8 << 20)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        // One epoch of batch gathers as the loop does them (Trainer.Gather: 40 batches of 256 shuffled rows into the
        // trainer's buffer), on the calling thread vs split over the GEMM helpers.
        var gatherer = new Trainer(job.Model, TrainQuick.Settings(1).Training, job.Regularization, job.Train.Rows);
        var order = Enumerable.Range(0, job.Train.Rows).ToArray();
        new Rng(5UL).Shuffle(order.AsSpan());
        void GatherEpoch()
        {
            for (int first = 0; first < order.Length; first += 256)
                gatherer.Gather(job.Train, order, first, Math.Min(256, order.Length - first));
        }
        long savedGather = Trainer.ParallelGatherMinimum;
        if (Want("gather")) Report("gather-epoch", rounds, () => { Trainer.ParallelGatherMinimum = long.MaxValue; GatherEpoch(); },
            () => { Trainer.ParallelGatherMinimum = savedGather; GatherEpoch(); });
        // Session 8: one epoch of gathers (as configured: split over the helpers) copying rows of the float32 matrix vs
        // standardizing them from the kept bytes (what the gathered path — the Vector256 kernel's — now does).
        if (Want("gather-bytes"))
        {
            var floats = TrainingData.From(job.Model, data);
            if (job.Train.Bytes is null || floats.Bytes is not null) throw new InvalidOperationException("expected kept bytes and a float32 matrix");
            void GatherFrom(TrainingData source)
            {
                for (int first = 0; first < order.Length; first += 256)
                    gatherer.Gather(source, order, first, Math.Min(256, order.Length - first));
            }
            Report("gather-epoch-floats-vs-bytes", rounds, () => GatherFrom(floats), () => GatherFrom(job.Train));
        }
        Trainer.ParallelGatherMinimum = savedGather;
        // One epoch of the training loop (shuffle, batches, steps, record) with every batch gathered vs the batch rows
        // read in place by the first layer's products (Trainer.ReadsBatchRowsInPlace): what the gather costs the loop,
        // steps included (their packing then reads scattered rows).
        if (Want("rows"))
        {
            var epochTrainer = new Trainer(job.Model.Clone(), TrainQuick.Settings(1).Training, job.Regularization, job.Train.Rows);
            var loop = epochTrainer.Begin(job.Train, null, new Rng(6UL));
            Report("epoch-gathered-vs-rows-in-place", rounds,
                () => { Trainer.ReadsBatchRowsInPlace = false; loop = epochTrainer.Begin(job.Train, null, new Rng(6UL)); loop.Next(); },
                () => { Trainer.ReadsBatchRowsInPlace = true; loop = epochTrainer.Begin(job.Train, null, new Rng(6UL)); loop.Next(); });
            Trainer.ReadsBatchRowsInPlace = true;
        }
        // Session 20: one epoch of the training loop at the session's thread count with every step unsplit and the batch
        // rows read in place (Trainer.SplitStepMinimum out of reach: the loop until session 20) vs the default, where a
        // large net's steps run split by data ownership on gathered batches (Trainer.SplitStep; its choice cycle probes
        // the unsplit step too). The same bits.
        if (Want("split"))
        {
            var epochTrainer = new Trainer(job.Model.Clone(), TrainQuick.Settings(1).Training, job.Regularization, job.Train.Rows);
            long savedMinimum = Trainer.SplitStepMinimum;
            Report("epoch-unsplit-rows-in-place-vs-split-gathered", rounds,
                () => { Trainer.SplitStepMinimum = long.MaxValue; epochTrainer.Begin(job.Train, null, new Rng(6UL)).Next(); },
                () => { Trainer.SplitStepMinimum = savedMinimum; epochTrainer.Begin(job.Train, null, new Rng(6UL)).Next(); });
            Trainer.SplitStepMinimum = savedMinimum;
        }
        // Session 9: one epoch of the training loop with the batches gathered before each step (Trainer.Gather, split
        // over the helpers) vs gathered inside the first forward product, each row item its own rows
        // (Trainer.GathersInStep; only where the loop gathers: the Vector256 kernel, e.g. with DOTNET_EnableAVX512=0).
        if (Want("gather-in-step"))
        {
            var epochTrainer = new Trainer(job.Model.Clone(), TrainQuick.Settings(1).Training, job.Regularization, job.Train.Rows);
            Report("epoch-gathered-vs-gathered-in-step", rounds,
                () => { Trainer.GathersInStep = false; epochTrainer.Begin(job.Train, null, new Rng(6UL)).Next(); },
                () => { Trainer.GathersInStep = true; epochTrainer.Begin(job.Train, null, new Rng(6UL)).Next(); });
            Trainer.GathersInStep = true;
        }
        // The float32 rows: Mlp.PrepareInputs on one thread vs TrainingData.From (row blocks on every core, + labels).
        var single = new float[data.Rows * p];
        if (Want("prepare")) Report("prepare-inputs", rounds, () => job.Model.PrepareInputs(data.X, single), () => TrainingData.From(job.Model, data));
        var regularization = job.Regularization;
        if (Want("record")) Report("epoch-record", rounds, null, () =>
        {
            var sparsity = Nn.SparsityReport.Of(model);
            _ = regularization.Value(model) + sparsity.ZeroFraction;
        });
        return 0;
    }

    /// <summary>The gzip file <paramref name="gz"/> unpacked into <paramref name="target"/> (its size), the accumulator (if any) fed after each piece as IdxLoader does.</summary>
    private static void InflateInto(byte[] gz, byte[] target, ByteColumnAccumulator? accumulator)
    {
        using var gzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        int filled = 0, n;
        while ((n = gzip.Read(target.AsSpan(filled))) > 0)
        {
            filled += n;
            accumulator?.Advance(target.AsSpan(0, filled));
        }
        if (filled != target.Length || accumulator?.Finish(target) is null && accumulator is not null)
            throw new InvalidOperationException("short gunzip");
    }

    private static void Report(string piece, int rounds, Action? before, Action after)
    {
        double a = double.PositiveInfinity, b = double.PositiveInfinity;
        for (int r = 0; r < rounds; r++)
        {
            if (before is not null) a = Math.Min(a, Time(before));
            b = Math.Min(b, Time(after));
        }
        string ratio = before is null ? "null" : (a / b).ToString("F2", CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"train-ab\",\"piece\":\"{piece}\",\"beforeMs\":{(before is null ? "null" : (a * 1e3).ToString("F2", CultureInfo.InvariantCulture))},\"afterMs\":{b * 1e3:F2},\"speedup\":{ratio},\"rounds\":{rounds}}}"));
    }

    /// <summary>
    /// Time pieces by the calling thread's CPU time (<c>CLOCK_THREAD_CPUTIME_ID</c>) instead of the wall clock: on a shared
    /// machine the time the thread was not running is left out. Only for pieces that run on the calling thread alone
    /// (<c>--threads 1</c>).
    /// </summary>
    internal static bool ThreadCpuTime { get; set; }

    private static double Time(Action action)
    {
        if (ThreadCpuTime)
        {
            double c0 = ThreadSeconds();
            action();
            return ThreadSeconds() - c0;
        }
        long t0 = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private struct Timespec
    {
        public long Seconds, Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    /// <summary>CPU seconds of the calling thread (also used by the `save` mode and `train --probe --cpu`).</summary>
    internal static double ThreadSeconds()
    {
        const int ThreadCpuClock = 3;   // CLOCK_THREAD_CPUTIME_ID (Linux)
        if (ClockGetTime(ThreadCpuClock, out var t) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        return t.Seconds + t.Nanoseconds * 1e-9;
    }

    private static byte[] Json(Nn.Mlp model, JsonWriterOptions options, bool parallel)
    {
        using var ms = new MemoryStream(8 << 20);
        using (var w = new Utf8JsonWriter(ms, options))
        {
            w.WriteStartArray();
            foreach (var d in model.DenseLayers)
            {
                w.WriteStartArray();
                FloatRowsJson.Write(w, d.Weight, d.Outputs, d.Inputs, options, parallel);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        return ms.ToArray();
    }

    // --- the code as it was before (references for the A/B; not used by the library) --------------------------------

    /// <summary>The weight rows written by the JSON writer alone, one <c>WriteNumberValue</c> per value (the bytes the file must have).</summary>
    private static byte[] WriterJson(Nn.Mlp model, JsonWriterOptions options)
    {
        using var ms = new MemoryStream(8 << 20);
        using (var w = new Utf8JsonWriter(ms, options))
        {
            w.WriteStartArray();
            foreach (var d in model.DenseLayers)
            {
                w.WriteStartArray();
                for (int r = 0; r < d.Outputs; r++)
                {
                    w.WriteStartArray();
                    foreach (float v in d.Weight.AsSpan(r * d.Inputs, d.Inputs)) w.WriteNumberValue(v);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        return ms.ToArray();
    }

    private static byte[] GunzipBefore(byte[] bytes)
    {
        using var input = new MemoryStream(bytes);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(bytes.Length * 4);
        gzip.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>The block-parallel widen of the loader before session 5 (into the float64 <c>Dataset</c>).</summary>
    private static void IdxLoaderWiden(byte[] source, int offset, double[] destination)
    {
        int n = destination.Length;
        int parts = Math.Min(Environment.ProcessorCount, 8);
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            int first = (int)((long)n * part / parts), last = (int)((long)n * (part + 1) / parts);
            Numerics.Conversion.WidenBytes.Apply(source.AsSpan(offset + first, last - first), destination.AsSpan(first, last - first));
        });
    }

    private static void WidenBefore(byte[] source, int offset, double[] destination)
    {
        for (int i = 0; i < destination.Length; i++)
            destination[i] = source[offset + i];
    }

    private static Standardizer FitBefore(double[] matrix, int p)
    {
        int rows = matrix.Length / p;
        double n = rows;
        var mean = new double[p];
        var scale = new double[p];
        var constant = new bool[p];
        Array.Fill(constant, true);
        ReadOnlySpan<double> first = matrix.AsSpan(0, p);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> x = matrix.AsSpan(r * p, p);
            for (int j = 0; j < p; j++)
            {
                mean[j] += x[j];
                if (x[j] != first[j]) constant[j] = false;
            }
        }
        for (int j = 0; j < p; j++) mean[j] = constant[j] ? first[j] : mean[j] / n;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> x = matrix.AsSpan(r * p, p);
            for (int j = 0; j < p; j++)
            {
                double d = x[j] - mean[j];
                scale[j] += d * d;
            }
        }
        for (int j = 0; j < p; j++)
        {
            double std = Math.Sqrt(scale[j] / n);
            scale[j] = constant[j] || !(std > 0) ? 1.0 : std;
        }
        return new Standardizer(mean, scale);
    }
}
