using Occam.Data;
using Occam.Nn;
using Occam.Numerics;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;

namespace Occam.Tests.Nn;

/// <summary>
/// <see cref="MlpPredictor"/>: a frozen copy of a network whose batch path reads weights packed once at creation. Its
/// scores are bit-identical to <see cref="Mlp.PredictScores(ReadOnlySpan{float}, int, Span{float})"/> on the network it
/// was made from (every row count, thread count, input type, standardizer or not), and writes to that network after
/// creation do not reach it (a new predictor sees them).
/// </summary>
[Collection(nameof(Occam.Tests.Training.GemmThreadSettingsCollection))]
public class MlpPredictorTests
{
    private static (Mlp Model, double[] X) Net(ActivationKind activation, int inputs, int[] hidden, int outputs, int rows, ulong seed, bool standardize)
    {
        var rng = new Rng(seed);
        Standardizer? s = standardize
            ? new Standardizer(Enumerable.Range(0, inputs).Select(_ => rng.NextNormal()).ToArray(),
                Enumerable.Range(0, inputs).Select(_ => 0.5 + rng.NextDouble()).ToArray())
            : null;
        var model = Mlp.Create(new MlpSpec(inputs, hidden, outputs, outputs == 1 ? TaskKind.Regression : TaskKind.Multiclass, activation), rng, s);
        foreach (var d in model.DenseLayers)
            for (int i = 0; i < d.Bias.Length; i++) d.Bias[i] = (float)(0.1 * rng.NextNormal());
        var x = new double[rows * inputs];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextNormal() * 2;
        return (model, x);
    }

    private static void AssertBitwise(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: element {i}: {expected[i]:R} vs {actual[i]:R}");
    }

    public static TheoryData<ActivationKind, int, int[], int, bool> Shapes => new()
    {
        // 300 → 256 → 45 → 10: several k blocks in the first layer (300 = 2 × 150), 45 units (a partial tile of 8 or 6).
        { ActivationKind.Relu, 300, [256, 45], 10, false },
        { ActivationKind.Relu, 13, [9], 3, true },
        { ActivationKind.Tanh, 29, [50, 20], 1, true },
        { ActivationKind.Identity, 600, [7], 4, false },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void PredictionsAreTheNetworksBitForBit(ActivationKind activation, int inputs, int[] hidden, int outputs, bool standardize)
    {
        var (model, x) = Net(activation, inputs, hidden, outputs, 300, (ulong)(inputs + hidden[0]), standardize);
        var predictor = model.CreatePredictor();
        Assert.Equal(inputs, predictor.Inputs);
        Assert.Equal(outputs, predictor.Outputs);
        var packed = predictor.Network.PackedWeights(GemmPanels.Resolve(GemmKernel.Auto));
        Assert.NotNull(packed);   // the batch path below reads these, not the weights in place
        Assert.Equal(model.DenseLayers.Count, packed.Length);
        Assert.NotNull(predictor.Network.RowWeights);   // the row path below reads these copies
        Assert.Null(model.PackedWeights(GemmPanels.Resolve(GemmKernel.Auto)));
        int saved = Gemm.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
                foreach (int rows in new[] { 1, 3, 4, 37, 256, 300 })
                {
                    Gemm.MaxThreads = threads;
                    var xd = x.AsSpan(0, rows * inputs).ToArray();
                    var xf = xd.Select(v => (float)v).ToArray();
                    var expected = new float[rows * outputs];
                    model.PredictScores(xf, rows, expected);
                    var fromFloat = new float[rows * outputs];
                    predictor.PredictScores(xf, rows, fromFloat);
                    AssertBitwise(expected, fromFloat, $"threads={threads} rows={rows} float");
                    var fromDouble = new float[rows * outputs];
                    predictor.PredictScores(xf.Select(v => (double)v).ToArray(), rows, fromDouble);
                    AssertBitwise(expected, fromDouble, $"threads={threads} rows={rows} double");
                    AssertBitwise(model.PredictScores(xd, rows), predictor.PredictScores(xd, rows), $"threads={threads} rows={rows} allocating");
                }
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    [Fact]
    public void WritesToTheNetworkAfterCreationDoNotReachThePredictorAndANewOneSeesThem()
    {
        var (model, x) = Net(ActivationKind.Relu, 40, [64, 24], 5, 100, 5, standardize: false);
        var predictor = model.CreatePredictor();
        foreach (int rows in new[] { 2, 100 })
        {
            var before = model.PredictScores(x.AsSpan(0, rows * 40), rows);
            AssertBitwise(before, predictor.PredictScores(x.AsSpan(0, rows * 40), rows), $"rows={rows} before");
        }
        // What training, pruning or a user does to the network: every weight and bias written in place.
        foreach (var d in model.DenseLayers)
        {
            for (int i = 0; i < d.Weight.Length; i++) d.Weight[i] = -0.5f * d.Weight[i] + 0.01f;
            for (int i = 0; i < d.Bias.Length; i++) d.Bias[i] += 1f;
        }
        var fresh = model.CreatePredictor();
        foreach (int rows in new[] { 2, 100 })
        {
            var xs = x.AsSpan(0, rows * 40);
            var now = model.PredictScores(xs, rows);
            var old = predictor.PredictScores(xs, rows);
            Assert.False(now.AsSpan().SequenceEqual(old), $"rows={rows}: the writes change the network's scores");
            AssertBitwise(now, fresh.PredictScores(xs, rows), $"rows={rows}: a new predictor");
            // The old predictor still gives the scores of the network as it was: recompute them from a copy of the old weights.
            var (original, _) = Net(ActivationKind.Relu, 40, [64, 24], 5, 100, 5, standardize: false);
            AssertBitwise(original.PredictScores(xs, rows), old, $"rows={rows}: the old predictor");
        }
    }

    [Fact]
    public unsafe void WeightsStartOnA64ByteLine()
    {
        // The batch tiles load the packed weights and the row path loads each weight row in whole 64-byte vectors; a
        // managed array's data start anywhere on an 8-byte step (0..14 floats past a line in the bench's predictors),
        // so without the alignment most of those loads would touch two lines (or, on the row path, be realigned in
        // registers). The row path's copies hold the weights as stored.
        foreach (var (inputs, hidden) in new[] { (784, new[] { 512, 256 }), (5, new[] { 3 }), (33, new[] { 17, 9 }), (300, new[] { 45 }) })
        {
            var (model, _) = Net(ActivationKind.Relu, inputs, hidden, 10, 1, 13, standardize: false);
            var predictor = model.CreatePredictor();
            var dense = predictor.Network.DenseLayers;
            var packed = predictor.Network.PackedWeights(GemmPanels.Resolve(GemmKernel.Auto));
            var rows = predictor.Network.RowWeights;
            Assert.NotNull(packed);
            Assert.NotNull(rows);
            Assert.Equal(dense.Count, packed.Length);
            Assert.Equal(dense.Count, rows.Length);
            for (int l = 0; l < dense.Count; l++)
            {
                Assert.True(packed[l] % 64 == 0, $"{inputs}: layer {l}'s packed weights start {packed[l] % 64} bytes past a line");
                Assert.True(rows[l] % 64 == 0, $"{inputs}: layer {l}'s row copy starts {rows[l] % 64} bytes past a line");
                Assert.True(new ReadOnlySpan<float>((float*)rows[l], dense[l].Weight.Length).SequenceEqual(model.DenseLayers[l].Weight),
                    $"{inputs}: layer {l}'s row copy holds the weights");
            }
        }
    }

    [Fact]
    public void ConcurrentCallsGiveTheSameBits()
    {
        var (model, x) = Net(ActivationKind.Relu, 100, [128], 3, 200, 9, standardize: true);
        var predictor = model.CreatePredictor();
        var expected = model.PredictScores(x, 200);
        var results = new float[4][];
        Parallel.For(0, 4, t =>
        {
            for (int i = 0; i < 20; i++) results[t] = predictor.PredictScores(x, 200);
        });
        foreach (var r in results) AssertBitwise(expected, r, "concurrent");
    }

    [Fact]
    public void BadLengthsAreRejected()
    {
        var (model, _) = Net(ActivationKind.Relu, 4, [3], 2, 1, 1, standardize: false);
        var predictor = model.CreatePredictor();
        Assert.Throws<ArgumentException>(() => predictor.PredictScores(new double[7], 2));
        Assert.Throws<ArgumentException>(() => predictor.PredictScores(new float[8], 2, new float[3]));
    }
}
