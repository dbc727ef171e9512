using System.Buffers.Binary;
using System.IO.Compression;
using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Serialization;
using Occam.Training;

namespace Occam.Tests.Data;

/// <summary>
/// <see cref="IdxLoader.LoadForTraining"/> and its helper (<see cref="IdxReadAhead"/>, <see cref="FreshMemory"/>): the
/// same dataset and the same trained model as <see cref="IdxLoader.Load(string, string)"/>; the prepared float32 matrix
/// is handed over once, with the right size, whoever mapped its pieces; mapping memory changes no value.
/// </summary>
[Collection(nameof(Occam.Tests.Training.InputPipelineTests))]
public sealed class IdxReadAheadTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>An IDX images file (gzip) of <paramref name="count"/> images of h × w seeded pixels, and its labels (3 classes).</summary>
    private (string Images, string Labels) Write(int count, int h, int w, ulong seed)
    {
        var rng = new Rng(seed);
        var images = new byte[16 + count * h * w];
        BinaryPrimitives.WriteInt32BigEndian(images, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), h);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), w);
        for (int i = 16; i < images.Length; i++) images[i] = (byte)(i % 7 == 0 ? 0 : rng.NextInt(256));
        var labels = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(labels, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), count);
        for (int i = 0; i < count; i++) labels[8 + i] = (byte)rng.NextInt(3);
        return (_files.WriteBytes($"img{seed}", Gzip(images)), _files.WriteBytes($"lab{seed}", Gzip(labels)));
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest))
            gz.Write(data);
        return output.ToArray();
    }

    [Fact]
    public void TheTrainingLoadIsTheSameDatasetAndHandsOverItsMatrixOnce()
    {
        var (images, labels) = Write(600, 28, 28, 41UL);
        var plain = IdxLoader.Load(images, labels);
        var training = IdxLoader.LoadForTraining(images, labels);
        Assert.True(training.HasBytes);
        Assert.True(plain.Bytes.Span.SequenceEqual(training.Bytes.Span));
        Assert.Equal(plain.Y, training.Y);
        Assert.Equal(plain.FeatureNames, training.FeatureNames);
        Assert.Equal(plain.Classes!, training.Classes!);
        Assert.Null(plain.TakeSingleBuffer(600 * 784));
        _ = training.TakeSingleBuffer(600 * 784);   // the matrix, or null if the helper had not allocated it yet
        Assert.Null(training.TakeSingleBuffer(600 * 784));   // once
    }

    [Fact]
    public void TheMatrixIsGivenOnceWithItsSizeAndNeverWaitedFor()
    {
        var pixels = new byte[16 + 50 * 64];
        BinaryPrimitives.WriteInt32BigEndian(pixels, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(pixels.AsSpan(4), 50);
        BinaryPrimitives.WriteInt32BigEndian(pixels.AsSpan(8), 8);
        BinaryPrimitives.WriteInt32BigEndian(pixels.AsSpan(12), 8);
        var ready = new IdxReadAhead();
        ready.Unzipped(pixels, 16);
        ready.Stop();
        Assert.True(ready.Started);
        Assert.True(SpinWait.SpinUntil(() => ready.MatrixReady, TimeSpan.FromSeconds(30)));
        Assert.Equal(50 * 64, ready.TakeSingle(50 * 64)!.Length);
        Assert.Null(ready.TakeSingle(50 * 64));   // once

        var otherSize = new IdxReadAhead();
        otherSize.Unzipped(pixels, pixels.Length);
        Assert.True(SpinWait.SpinUntil(() => otherSize.MatrixReady, TimeSpan.FromSeconds(30)));
        Assert.Null(otherSize.TakeSingle(50 * 64 - 1));   // not this matrix (and it is given up)
        Assert.Null(otherSize.TakeSingle(50 * 64));

        var early = new IdxReadAhead();   // taken at once: the matrix or nothing, and the helper then drops any it makes
        early.Unzipped(pixels, pixels.Length);
        var got = early.TakeSingle(50 * 64);
        Assert.True(got is null || got.Length == 50 * 64);
        Assert.False(SpinWait.SpinUntil(() => early.MatrixReady, TimeSpan.FromMilliseconds(200)));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    public void TheTrainingLoadTrainsTheSameModel(double validation)
    {
        var (images, labels) = Write(700, 16, 20, 42UL);
        var settings = new FitSettings
        {
            Hidden = [24],
            Dropout = 0.1,
            Regularization = [new LayerRegularization(ElasticNetPenalty.Lasso(1e-3))],
            ValidationSplit = validation,
            Seed = 5,
            Training = new TrainingOptions { Epochs = 2, BatchSize = 128, Optimizer = new OptimizerOptions { LearningRate = 1e-2 } },
        };
        var plain = MlpFitter.Fit(IdxLoader.Load(images, labels), settings);
        var training = MlpFitter.Fit(IdxLoader.LoadForTraining(images, labels), settings);
        Assert.Equal(MlpJson.ToJson(plain.Model), MlpJson.ToJson(training.Model));
        Assert.Equal(plain.Result.History.Select(h => (h.TrainLoss, h.ValidationLoss)), training.Result.History.Select(h => (h.TrainLoss, h.ValidationLoss)));
    }

    [Fact]
    public void ThePreparedRowsAreTheSameWhoeverMapsThePieces()
    {
        // Taken at once, the matrix is written by the conversion while the helper may still be touching its pages; the
        // floats are those of a matrix allocated as usual. 3000 × 784 values: 9 pieces, the last one short.
        var (images, labels) = Write(3000, 28, 28, 43UL);
        Assert.True(4 * 3000 * 784 % IdxReadAhead.PieceBytes != 0);
        var reference = IdxLoader.Load(images, labels);
        var model = Mlp.Create(new MlpSpec(784, [8], 3, TaskKind.Multiclass), new Rng(1UL), Standardizer.Fit(reference));
        var expected = TrainingData.From(model, reference).X;
        for (int round = 0; round < 3; round++)
        {
            var data = IdxLoader.LoadForTraining(images, labels);
            var prepared = TrainingData.From(model, data);
            Assert.True(expected.AsSpan().SequenceEqual(prepared.X));
        }
    }

    [Fact]
    public void ANonImagesFileOrAShortOneStartsNoHelper()
    {
        var ahead = new IdxReadAhead();
        var labelsLike = new byte[64];
        BinaryPrimitives.WriteInt32BigEndian(labelsLike, 0x801);
        ahead.Unzipped(labelsLike, 64);
        Assert.False(ahead.Started);
        Assert.Null(ahead.TakeSingle(10));

        var announcesMore = new byte[64];   // 100 images of 4 × 4 announced, 48 bytes of room
        BinaryPrimitives.WriteInt32BigEndian(announcesMore, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(announcesMore.AsSpan(4), 100);
        BinaryPrimitives.WriteInt32BigEndian(announcesMore.AsSpan(8), 4);
        BinaryPrimitives.WriteInt32BigEndian(announcesMore.AsSpan(12), 4);
        var second = new IdxReadAhead();
        second.Unzipped(announcesMore, 10);   // the header is not complete yet: nothing decided
        second.Unzipped(announcesMore, 64);
        Assert.False(second.Started);
    }

    [Fact]
    public void TouchingMemoryChangesNoValueEvenWhileAnotherThreadWritesIt()
    {
        foreach (int length in new[] { 0, 1, 3, 1000, 4096, 3 << 20 })
        {
            var x = new float[length];
            for (int i = 0; i < length; i++) x[i] = i % 5 == 0 ? 0 : i * 0.5f - 7;
            var copy = (float[])x.Clone();
            FreshMemory.AdviseHugePages(x);
            FreshMemory.AdviseHugePages(x, 4L * length / 2, huge: false);
            FreshMemory.Touch(x, 0, 4L * length);
            FreshMemory.Touch(x, 4L * length / 3 + (length > 0 ? 1 : 0), 4L * length / 2);
            Assert.True(copy.AsSpan().SequenceEqual(x));
        }
        // A writer fills fresh memory (zeros and other values) while another thread touches every page of it, repeatedly.
        var bytes = GC.AllocateUninitializedArray<byte>(8 << 20);
        var expected = new byte[bytes.Length];
        var rng = new Rng(44UL);
        for (int i = 0; i < expected.Length; i++) expected[i] = (byte)rng.NextInt(256);
        for (int i = 0; i < expected.Length; i += 3) expected[i] = 0;
        using var done = new ManualResetEventSlim();
        var toucher = new Thread(() =>
        {
            while (!done.IsSet) FreshMemory.Touch(bytes, 1, bytes.Length);
        });
        toucher.Start();
        for (int start = 0; start < bytes.Length; start += 4096) expected.AsSpan(start, 4096).CopyTo(bytes.AsSpan(start));
        done.Set();
        toucher.Join();
        Assert.True(expected.AsSpan().SequenceEqual(bytes));
        Assert.Throws<ArgumentOutOfRangeException>(() => FreshMemory.Touch(bytes, 10, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => FreshMemory.Touch(bytes, -1, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => FreshMemory.Touch(bytes, 0, bytes.Length + 1L));
    }
}
