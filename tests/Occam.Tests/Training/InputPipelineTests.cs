using Occam.Data;
using Occam.Nn;
using Occam.Numerics;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Serialization;
using Occam.Training;

namespace Occam.Tests.Training;

/// <summary>
/// The input pipeline around the steps split over threads (the batch gather on the GEMM helpers, the float32 rows
/// prepared in row blocks) changes no number: the same models, the same prepared rows, the same error messages.
/// These tests run alone (not beside other test classes): they switch <see cref="Trainer.ParallelGatherMinimum"/> and keep
/// the GEMM helpers busy; run beside them under heavy load, a zero-allocation test of another class (a step, an
/// inference call) failed once each while passing alone.
/// </summary>
[Collection(nameof(InputPipelineTests))]
public class InputPipelineTests
{
    private static FitSettings Settings() => new()
    {
        Hidden = [32],
        Dropout = 0.1,
        Regularization = [new LayerRegularization(ElasticNetPenalty.Lasso(1e-3))],
        Seed = 3,
        Training = new TrainingOptions { Epochs = 3, BatchSize = 256, Optimizer = new OptimizerOptions { LearningRate = 1e-2 } },
    };

    [Fact]
    public void GatherSplitOverThreadsGivesTheSameModel()
    {
        // 256 rows × 128 inputs per batch ≥ ParallelGatherMinimum; 700 rows: two full batches and a short one per epoch.
        var data = Synthetic.Blobs(700, 4, 128, 1.0, new Rng(9UL));
        Assert.True(256L * 128 >= Trainer.ParallelGatherMinimum);
        int savedThreads = Gemm.MaxThreads;
        long savedMinimum = Trainer.ParallelGatherMinimum;
        try
        {
            if (savedThreads < 2) Gemm.MaxThreads = 2;   // the split needs two threads (the default on a 2-core machine)
            Trainer.ParallelGatherMinimum = long.MaxValue;
            var one = MlpFitter.Fit(data, Settings());
            Trainer.ParallelGatherMinimum = 0;
            var split = MlpFitter.Fit(data, Settings());
            Assert.Equal(MlpJson.ToJson(one.Model), MlpJson.ToJson(split.Model));
            Assert.Equal(one.Result.History.Select(h => h.TrainLoss), split.Result.History.Select(h => h.TrainLoss));
        }
        finally
        {
            Gemm.MaxThreads = savedThreads;
            Trainer.ParallelGatherMinimum = savedMinimum;
        }
    }

    [Theory]
    [InlineData(0.0, 3)]
    [InlineData(0.2, 1)]
    public void BatchRowsReadInPlaceGiveTheSameModelAsGatheredBatches(double validation, int threads)
    {
        // 256 rows × 300 inputs per batch ≥ RowViewMinimum: the first layer reads the batch through the epoch's order;
        // 1000 (or 800) training rows: three full batches and a short one per epoch.
        var data = Synthetic.Blobs(1000, 4, 300, 1.0, new Rng(14UL));
        Assert.True(256L * 300 >= Trainer.RowViewMinimum);
        // On AVX-512 both first-layer products pack X (the table is used); the Vector256 kernel reads X in place in the
        // forward product, so there every batch is gathered and the two fits below take the same path.
        var shape = Mlp.Create(new MlpSpec(300, [32], 4, TaskKind.Multiclass), new Rng(1UL));
        Assert.Equal(GemmKernelInfo.AutoKind == GemmKernel.V512, Trainer.RowViewPays(shape, 256));
        int savedThreads = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = Math.Min(threads, Math.Max(1, Environment.ProcessorCount));
            var settings = Settings() with { ValidationSplit = validation };
            Trainer.ReadsBatchRowsInPlace = false;
            var gathered = MlpFitter.Fit(data, settings);
            Trainer.ReadsBatchRowsInPlace = true;
            var inPlace = MlpFitter.Fit(data, settings);
            Assert.Equal(MlpJson.ToJson(gathered.Model), MlpJson.ToJson(inPlace.Model));
            Assert.Equal(gathered.Result.History.Select(h => (h.TrainLoss, h.TrainMetric, h.ValidationLoss)),
                inPlace.Result.History.Select(h => (h.TrainLoss, h.TrainMetric, h.ValidationLoss)));
        }
        finally
        {
            Gemm.MaxThreads = savedThreads;
            Trainer.ReadsBatchRowsInPlace = true;
        }
    }

    [Fact]
    public void LargeDataIsPreparedInBlocksWithTheSameBits()
    {
        // 2100 rows × 512 features ≥ TrainingData.ParallelMinimum: prepared in row blocks
        const int rows = 2100, features = 512;
        Assert.True(rows * features >= TrainingData.ParallelMinimum);
        var data = Synthetic.Blobs(rows, 3, features, 2.0, new Rng(10UL));
        var model = Mlp.Create(new MlpSpec(features, [8], 3, TaskKind.Multiclass), new Rng(1UL), Standardizer.Fit(data));
        var blocks = TrainingData.From(model, data);
        var single = new float[rows * features];
        model.PrepareInputs(data.X, single);
        TestVectors.AssertBitwise(single, blocks.X, "prepared rows");
    }

    [Fact]
    public void AnUnusableValueInALaterBlockNamesTheSameRowAsTheSinglePass()
    {
        const int rows = 2100, features = 512;
        var data = Synthetic.Blobs(rows, 3, features, 2.0, new Rng(11UL));
        var model = Mlp.Create(new MlpSpec(features, [8], 3, TaskKind.Multiclass), new Rng(1UL), Standardizer.Fit(data));
        data.X[1900 * features + 7] = 1e300;   // row 1901, input 8: outside float32
        data.X[2000 * features + 3] = 1e300;
        var expected = Assert.Throws<OccamException>(() => model.PrepareInputs(data.X, new float[rows * features]));
        var actual = Assert.Throws<OccamException>(() => TrainingData.From(model, data));
        Assert.Equal(expected.Message, actual.Message);
        Assert.Contains("row 1901", actual.Message);
    }

    /// <summary>Byte data as <see cref="IdxLoader"/> makes it (the pixels kept as bytes), and separately its float64 copy.</summary>
    private static (Dataset Bytes, Dataset Doubles) ByteData(int rows, int features, ulong seed, Action<byte[]>? edit = null)
    {
        var rng = new Rng(seed);
        var pixels = new byte[7 + rows * features];   // an offset, as the IDX header before the pixels
        var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            y[i] = rng.NextInt(3);
            for (int j = 0; j < features; j++)
                pixels[7 + i * features + j] = j % 9 == 0 ? (byte)200 : (byte)Math.Clamp(60 * y[i] + 40 * rng.NextNormal() + j % 50, 0, 255);
        }
        edit?.Invoke(pixels);
        var names = Enumerable.Range(0, features).Select(j => $"p{j}").ToArray();
        string[] classes = ["0", "1", "2"];
        var bytes = new Dataset(pixels, 7, y, rows, features, names, "label", TaskKind.Multiclass, classes);
        var x = pixels.Skip(7).Select(b => (double)b).ToArray();
        return (bytes, new Dataset(x, (double[])y.Clone(), rows, features, names, "label", TaskKind.Multiclass, classes));
    }

    [Fact]
    public void ByteDataTrainsTheSameModelAsItsFloat64Copy()
    {
        // 2100 × 512 ≥ 2^20 values: the standardizer is fitted in column blocks and the rows prepared in row blocks.
        var (bytes, doubles) = ByteData(2100, 512, 12UL);
        Assert.True(bytes.HasBytes && !doubles.HasBytes);
        var a = Standardizer.Fit(bytes);
        var b = Standardizer.Fit(doubles);
        Assert.Equal(b.Mean.Select(BitConverter.DoubleToInt64Bits), a.Mean.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(b.Scale.Select(BitConverter.DoubleToInt64Bits), a.Scale.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(1.0, a.Scale[0]);   // a constant column (every 9th is 200)
        Assert.Equal(200.0, a.Mean[0]);
        foreach (double split in new[] { 0.0, 0.25 })
        {
            var settings = Settings() with { ValidationSplit = split, Training = Settings().Training with { Epochs = 2 } };
            var fromBytes = MlpFitter.Fit(bytes, settings);
            var fromDoubles = MlpFitter.Fit(doubles, settings);
            Assert.Equal(MlpJson.ToJson(fromDoubles.Model), MlpJson.ToJson(fromBytes.Model));
            Assert.Equal(fromDoubles.Result.History.Select(h => (h.TrainLoss, h.ValidationLoss)), fromBytes.Result.History.Select(h => (h.TrainLoss, h.ValidationLoss)));
        }
        // The byte path never built the float64 copy; asking for it widens the bytes.
        var subset = bytes.Subset([5, 0, 2099]);
        Assert.True(subset.HasBytes);
        Assert.Equal(doubles.Subset([5, 0, 2099]).X, subset.X);
        Assert.Equal(doubles.X, bytes.X);
    }

    [Fact]
    public void AnUnusableStandardizedByteNamesTheSameRowAsTheFloat64Path()
    {
        // A saved standardizer with a tiny scale (e.g. an --init model) makes a pixel overflow float32.
        const int rows = 2100, features = 512;
        var (bytes, doubles) = ByteData(rows, features, 13UL, pixels =>
        {
            for (int i = 0; i < rows; i++)   // input 8: 0 / 1e-300 = 0 is fine, 3 / 1e-300 overflows (rows 1901 and 2001)
                pixels[7 + i * features + 7] = i is 1900 or 2000 ? (byte)3 : (byte)0;
        });
        var mean = new double[features];
        var scale = Enumerable.Repeat(50.0, features).ToArray();
        scale[7] = 1e-300;
        var model = Mlp.Create(new MlpSpec(features, [8], 3, TaskKind.Multiclass), new Rng(1UL), new Standardizer(mean, scale));
        var expected = Assert.Throws<OccamException>(() => TrainingData.From(model, doubles));
        var actual = Assert.Throws<OccamException>(() => TrainingData.From(model, bytes));
        Assert.Equal(expected.Message, actual.Message);
        Assert.Contains("row 1901", actual.Message);
        // Kept as bytes (training): the overflow is refused by ByteAffine.TryCreate, so the float path reports it the same way.
        var kept = Assert.Throws<OccamException>(() => TrainingData.From(model, bytes, keepBytes: true));
        Assert.Equal(expected.Message, kept.Message);
    }

    [Theory]
    [InlineData(2, true, 0.0)]
    [InlineData(1, true, 0.2)]
    [InlineData(2, false, 0.2)]
    [InlineData(1, false, 0.0)]
    public void RowsKeptAsBytesTrainTheSameModelAsTheFloatRows(int threads, bool rowsInPlace, double validation)
    {
        // 256 rows × 300 inputs per batch: on AVX-512 the first layer packs the batch rows from the bytes (row table);
        // gathered (rowsInPlace false, and the Vector256 kernel), each batch row is standardized from its bytes.
        // The float64 copy takes the float32 matrix path: the same floats, so the same model.
        var (bytes, doubles) = ByteData(1100, 300, 15UL);
        int savedThreads = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = Math.Min(threads, Math.Max(1, Environment.ProcessorCount));
            Trainer.ReadsBatchRowsInPlace = rowsInPlace;
            var settings = Settings() with { ValidationSplit = validation, Training = Settings().Training with { Epochs = 2 } };
            var job = MlpFitter.Prepare(bytes, settings);
            Assert.NotNull(job.Train.Bytes);
            Assert.Null(job.Validation?.Bytes);   // the held-out rows are prepared as float32 (the evaluator reads them every epoch)
            var fromBytes = MlpFitter.Fit(bytes, settings);
            var fromFloats = MlpFitter.Fit(doubles, settings);
            Assert.Equal(MlpJson.ToJson(fromFloats.Model), MlpJson.ToJson(fromBytes.Model));
            Assert.Equal(fromFloats.Result.History.Select(h => (h.TrainLoss, h.TrainMetric, h.ValidationLoss)),
                fromBytes.Result.History.Select(h => (h.TrainLoss, h.TrainMetric, h.ValidationLoss)));
        }
        finally
        {
            Gemm.MaxThreads = savedThreads;
            Trainer.ReadsBatchRowsInPlace = true;
        }
    }

    [Fact]
    public void AFullUnshuffledBatchOfBytesTrainsOnTheFloatRowsBuiltOnDemand()
    {
        var (bytes, doubles) = ByteData(300, 40, 16UL);
        var settings = Settings() with { Training = Settings().Training with { BatchSize = 0, Shuffle = false, Epochs = 2 } };
        var fromBytes = MlpFitter.Fit(bytes, settings);
        var fromFloats = MlpFitter.Fit(doubles, settings);
        Assert.Equal(MlpJson.ToJson(fromFloats.Model), MlpJson.ToJson(fromBytes.Model));
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    [InlineData(false, 2)]
    public void StepsThatGatherInTheProductGiveTheModelOfGatheredBatches(bool fromBytes, int threads)
    {
        // Trainer.Step with gatherX: the first product gathers the batch (from the bytes or the float32 rows) into the
        // trainer's buffer and the backward pass reads it — on any kernel (the loop asks for it only where the Vector256
        // kernel reads A in place, Gemm.GathersRowsInProduct). Against steps on batches gathered beforehand.
        const int rows = 256, features = 300;
        var (bytes, _) = ByteData(700, features, 19UL);
        var spec = new MlpSpec(features, [64, 32], 3, TaskKind.Multiclass, Dropout: 0.2);
        var model = Mlp.Create(spec, new Rng(1UL), Standardizer.Fit(bytes));
        var train = TrainingData.From(model, bytes, keepBytes: fromBytes);
        var floats = fromBytes ? TrainingData.From(model, bytes, keepBytes: false) : train;
        Assert.Equal(fromBytes, train.Bytes is not null);
        var options = new TrainingOptions { Optimizer = new OptimizerOptions { Kind = OptimizerKind.Adam }, BatchSize = rows };
        var regularization = NetworkRegularization.Uniform(new LayerRegularization(ElasticNetPenalty.Lasso(1e-4)), 3);
        Mlp modelA = model.Clone(), modelB = model.Clone();
        var gathered = new Trainer(modelA, options, regularization, rows);
        var inStep = new Trainer(modelB, options, regularization, rows);
        var order = Enumerable.Range(0, 700).ToArray();
        new Rng(4UL).Shuffle(order.AsSpan());
        var batch = new float[rows * features];
        var y = new float[rows];
        int savedThreads = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = Math.Min(threads, Math.Max(1, Environment.ProcessorCount));
            Rng rngA = new(2UL), rngB = new(2UL);
            for (int step = 0; step < 4; step++)
            {
                var table = order.AsSpan(step * 100, rows);
                for (int r = 0; r < rows; r++)
                {
                    floats.X.AsSpan(table[r] * features, features).CopyTo(batch.AsSpan(r * features, features));
                    y[r] = train.Y[table[r]];
                }
                float lossA = gathered.Step(batch, [], y, rows, rngA, out double metricA);
                float lossB = inStep.Step(fromBytes ? [] : train.X, table, y, rows, rngB, out double metricB,
                    fromBytes ? train.Bytes!.Rows : default, gatherX: true);
                Assert.Equal(BitConverter.SingleToInt32Bits(lossA), BitConverter.SingleToInt32Bits(lossB));
                Assert.Equal(metricA, metricB);
            }
            Assert.Equal(MlpJson.ToJson(modelA), MlpJson.ToJson(modelB));
        }
        finally
        {
            Gemm.MaxThreads = savedThreads;
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheLoopGatheringInTheProductTrainsTheSameModel(bool fromBytes)
    {
        // Trainer.GathersInStep: where the Vector256 kernel is the automatic one (an AVX2 machine; DOTNET_EnableAVX512=0)
        // the loop leaves MNIST-sized batches (256 × 784) to the first product to gather; elsewhere it reads them through
        // the row table (AVX-512) and both fits below take that path. The same model either way.
        var (bytes, doubles) = ByteData(900, 784, 20UL);
        var shape = Mlp.Create(new MlpSpec(784, [32], 4, TaskKind.Multiclass), new Rng(1UL));
        Assert.Equal(GemmKernelInfo.AutoKind == GemmKernel.V256, !Trainer.RowViewPays(shape, 256) && Gemm.GathersRowsInProduct(256, 32, 784));
        var settings = Settings() with { Training = Settings().Training with { Epochs = 2 } };
        try
        {
            Trainer.GathersInStep = false;
            var before = fromBytes ? MlpFitter.Fit(bytes, settings) : MlpFitter.Fit(doubles, settings);
            Trainer.GathersInStep = true;
            var after = fromBytes ? MlpFitter.Fit(bytes, settings) : MlpFitter.Fit(doubles, settings);
            Assert.Equal(MlpJson.ToJson(before.Model), MlpJson.ToJson(after.Model));
            Assert.Equal(before.Result.History.Select(h => (h.TrainLoss, h.TrainMetric)), after.Result.History.Select(h => (h.TrainLoss, h.TrainMetric)));
        }
        finally
        {
            Trainer.GathersInStep = true;
        }
    }

    [Fact]
    public void StepsOnRowsKeptAsBytesAllocateNothing()
    {
        const int rows = 256, features = 300;
        var (bytes, _) = ByteData(600, features, 18UL);
        var model = Mlp.Create(new MlpSpec(features, [64], 3, TaskKind.Multiclass, Dropout: 0.2), new Rng(1UL), Standardizer.Fit(bytes));
        var train = TrainingData.From(model, bytes, keepBytes: true);
        Assert.NotNull(train.Bytes);
        var options = new TrainingOptions { Optimizer = new OptimizerOptions { Kind = OptimizerKind.Adam }, BatchSize = rows };
        var trainer = new Trainer(model, options, NetworkRegularization.Uniform(new LayerRegularization(ElasticNetPenalty.Lasso(1e-4)), 2), rows);
        var order = Enumerable.Range(0, 600).Reverse().ToArray();
        var y = train.Y.AsSpan(0, rows).ToArray();
        var rng = new Rng(2UL);
        void Steps(int count)
        {
            for (int i = 0; i < count; i++)
            {
                // Read through the row table from the bytes (the AVX-512 loop's way), then gathered from the bytes.
                trainer.Step([], order.AsSpan(i % 2 * 100, rows), y, rows, rng, out _, train.Bytes!.Rows);
                trainer.Gather(train, order, 300, rows);
                // Gathered by the first product (the Vector256 loop's way since session 9).
                trainer.Step([], order.AsSpan(200, rows), y, rows, rng, out _, train.Bytes!.Rows, gatherX: true);
            }
        }
        Steps(3);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Steps(10);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void BytesAreKeptOnlyWhereTheirStandardizationIsExact()
    {
        const int features = 40;
        var (bytes, doubles) = ByteData(500, features, 17UL);
        var model = Mlp.Create(new MlpSpec(features, [8], 3, TaskKind.Multiclass), new Rng(1UL), Standardizer.Fit(bytes));
        var floats = TrainingData.From(model, doubles);
        var kept = TrainingData.From(model, bytes, keepBytes: true);
        Assert.NotNull(kept.Bytes);
        Assert.Null(TrainingData.From(model, bytes).Bytes);
        Assert.Null(floats.Bytes);
        Assert.Equal(floats.Y, kept.Y);
        TestVectors.AssertBitwise(floats.X, kept.X, "float32 rows built from the kept bytes");   // built on demand
        Assert.Same(kept.X, kept.X);
        // Without a standardizer: the bytes' own floats.
        var raw = Mlp.Create(new MlpSpec(features, [8], 3, TaskKind.Multiclass), new Rng(1UL));
        var rawKept = TrainingData.From(raw, bytes, keepBytes: true);
        Assert.NotNull(rawKept.Bytes);
        TestVectors.AssertBitwise(TrainingData.From(raw, doubles).X, rawKept.X, "unstandardized bytes");
        // A column whose division and multiplication round one byte value differently: the float32 rows are built instead.
        var mean = (double[])model.Standardizer!.Mean.Clone();
        var scale = (double[])model.Standardizer.Scale.Clone();
        mean[5] = 197.9070430187204;
        scale[5] = 1.9386164640461634;
        var odd = Mlp.Create(new MlpSpec(features, [8], 3, TaskKind.Multiclass), new Rng(1UL), new Standardizer(mean, scale));
        var fallback = TrainingData.From(odd, bytes, keepBytes: true);
        Assert.Null(fallback.Bytes);
        TestVectors.AssertBitwise(TrainingData.From(odd, doubles).X, fallback.X, "float32 rows of the refused standardization");
    }
}

/// <summary>Runs <see cref="InputPipelineTests"/> without other test classes in parallel.</summary>
[CollectionDefinition(nameof(InputPipelineTests), DisableParallelization = true)]
public sealed class InputPipelineTestsCollection;
