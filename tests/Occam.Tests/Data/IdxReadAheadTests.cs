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
        if (Environment.ProcessorCount >= 2)
        {
            Assert.Null(training.TakeSingleBuffer(600 * 784 - 1));   // another size: not this matrix (and it is given up)
            Assert.Null(training.TakeSingleBuffer(600 * 784));
            var again = IdxLoader.LoadForTraining(images, labels);
            Assert.Equal(600 * 784, again.TakeSingleBuffer(600 * 784)!.Length);
            Assert.Null(again.TakeSingleBuffer(600 * 784));   // once
        }
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
        // Taken at once, the matrix's pieces are mapped by the helper and the taking thread together; the floats written
        // into it are those of a matrix allocated as usual. 3000 × 784 values: two pieces, the second one short.
        var (images, labels) = Write(3000, 28, 28, 43UL);
        Assert.True(3000 * 784 > IdxReadAhead.PieceValues && 3000 * 784 < 2 * IdxReadAhead.PieceValues);
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
    public void MappingMemoryChangesNoValue()
    {
        foreach (int length in new[] { 0, 1, 1000, 4096, 3 << 20 })
        {
            var x = new float[length];
            for (int i = 0; i < length; i++) x[i] = i * 0.5f - 7;
            var copy = (float[])x.Clone();
            FreshMemory.AdviseHugePages(x);
            FreshMemory.Populate(x);
            FreshMemory.Populate(x, 4L * length / 3, 4L * length / 2);
            Assert.True(copy.AsSpan().SequenceEqual(x));
        }
        var bytes = new byte[1 << 16];
        Assert.Throws<ArgumentOutOfRangeException>(() => FreshMemory.Populate(bytes, 10, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => FreshMemory.Populate(bytes, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => FreshMemory.Populate(bytes, (1 << 16) + 1));
    }
}
