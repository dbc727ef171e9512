using Occam.Data;
using Occam.Nn;
using Occam.Numerics;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;

namespace Occam.Tests.Nn;

/// <summary>
/// The inference path of <see cref="Mlp.PredictScores(ReadOnlySpan{double}, int, Span{float})"/> against the training
/// forward pass in inference mode (<see cref="Mlp.UnitOutputs"/>, which runs <c>Backprop.Forward</c>):
/// <list type="bullet">
/// <item>batches above <see cref="Inference.GemvMaxRows"/> rows: bit-identical for ReLU and identity networks, every
/// panel kernel; tanh/sigmoid within 8 ulps of the activation (vector body vs scalar tail of the activation kernel);</item>
/// <item>one to <see cref="Inference.GemvMaxRows"/> rows (matrix–vector products, another summation order): within
/// 1e-5·(1 + Σ|terms|) of the batch path;</item>
/// <item>float and double inputs give the same bits; results do not depend on Gemm.MaxThreads; no allocation per
/// call in steady state.</item>
/// </list>
/// </summary>
[Collection(nameof(Occam.Tests.Training.GemmThreadSettingsCollection))]
public class InferenceTests
{
    private static (Mlp Model, double[] X) Net(ActivationKind activation, int inputs, int[] hidden, int outputs, int rows,
        ulong seed, bool standardize = false, double dropout = 0)
    {
        var rng = new Rng(seed);
        var task = outputs == 1 ? TaskKind.Regression : TaskKind.Multiclass;
        Standardizer? s = standardize
            ? new Standardizer(Enumerable.Range(0, inputs).Select(_ => rng.NextNormal()).ToArray(),
                Enumerable.Range(0, inputs).Select(_ => 0.5 + rng.NextDouble()).ToArray())
            : null;
        var model = Mlp.Create(new MlpSpec(inputs, hidden, outputs, task, activation, dropout), rng, s);
        foreach (var d in model.DenseLayers)
            for (int i = 0; i < d.Bias.Length; i++) d.Bias[i] = (float)(0.1 * rng.NextNormal());
        var x = new double[rows * inputs];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextNormal() * 2;
        return (model, x);
    }

    private static void AssertClose(float[] expected, float[] actual, Func<int, double> tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance(i), $"{what}: element {i}: {expected[i]:R} vs {actual[i]:R}");
    }

    private static void AssertBitwise(float[] expected, float[] actual, string what) =>
        AssertClose(expected, actual, _ => 0, what);

    public static TheoryData<ActivationKind, int, int> Batches => new()
    {
        { ActivationKind.Relu, 4, 1 }, { ActivationKind.Relu, 37, 3 }, { ActivationKind.Relu, 600, 2 },
        { ActivationKind.Identity, 33, 1 }, { ActivationKind.Tanh, 70, 3 }, { ActivationKind.Sigmoid, 5, 2 },
    };

    [Theory]
    [MemberData(nameof(Batches))]
    public void BatchesEqualTheTrainingForwardPass(ActivationKind activation, int rows, int depth)
    {
        int[] hidden = depth switch { 1 => [9], 2 => [40, 17], _ => [33, 64, 5] };
        var (model, x) = Net(activation, 13, hidden, 3, rows, (ulong)(rows * 10 + depth), standardize: depth == 2, dropout: depth == 3 ? 0.3 : 0);
        var expected = model.UnitOutputs(x, rows)[^1];
        var actual = model.PredictScores(x, rows);
        if (activation is ActivationKind.Relu or ActivationKind.Identity)
            AssertBitwise(expected, actual, $"{activation} rows={rows}");
        else
            AssertClose(expected, actual, i => 1e-5 * (1 + Math.Abs(expected[i])), $"{activation} rows={rows}");
    }

    [Fact]
    public void EveryPanelKernelGivesTheSameBits()
    {
        var (model, x) = Net(ActivationKind.Relu, 29, [50, 20], 4, 45, 3, standardize: true);
        var expected = model.PredictScores(x, 45);
        foreach (var kernel in new[] { GemmKernel.Scalar, GemmKernel.V256, GemmKernel.V512 })
        {
            var inference = new Inference(model, kernel);
            var actual = new float[expected.Length];
            inference.Run(model, x.AsSpan(), 45, actual, static (m, src, dst, row) =>
            {
                m.PrepareInputs(src, dst);
                return true;
            });
            AssertBitwise(expected, actual, kernel.ToString());
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void FewRowsRunAsMatrixVectorProductsWithinRoundingOfTheBatchPath(int rows)
    {
        var (model, x) = Net(ActivationKind.Relu, 50, [64, 30], 5, 8, 77, standardize: true);
        var batch = model.PredictScores(x, 8);
        var few = model.PredictScores(x.AsSpan(0, rows * 50), rows);
        var magnitude = model.DenseLayers.Sum(d => d.Weight.Sum(Math.Abs)) * 10;
        AssertClose(batch.Take(rows * 5).ToArray(), few, _ => 1e-5 * (1 + magnitude), $"rows={rows}");
        for (int r = 0; r < rows; r++)
            AssertBitwise(few.AsSpan(r * 5, 5).ToArray(), model.PredictScores(x.AsSpan(r * 50, 50), 1), $"row {r} alone");
    }

    [Fact]
    public void FloatInputsGiveTheSameBitsAsTheSameValuesAsDoubles()
    {
        // With a standardizer the float inputs are standardized in double; without one they are read in place.
        foreach (bool standardize in new[] { true, false })
        foreach (int rows in new[] { 1, 40 })
        {
            var (model, x) = Net(ActivationKind.Relu, 21, [30], 3, rows, 8, standardize);
            var xf = x.Select(v => (float)v).ToArray();
            var fromDouble = model.PredictScores(xf.Select(v => (double)v).ToArray(), rows);
            var fromFloat = new float[fromDouble.Length];
            model.PredictScores(xf, rows, fromFloat);
            AssertBitwise(fromDouble, fromFloat, $"rows={rows} standardize={standardize}");
        }
    }

    [Fact]
    public void FloatInputsReadInPlaceAreNeverWrittenEvenWhenTheFirstLayerIsAnActivation()
    {
        // relu → dense → tanh → dense, no standardizer: float rows are read where they are; the leading ReLU must run
        // on a copy (row path) or on the packed panels (batch path), never on the caller's span.
        var rng = new Rng(44);
        var first = new Dense(6, 5);
        var second = new Dense(5, 2);
        foreach (var d in new[] { first, second })
        {
            for (int i = 0; i < d.Weight.Length; i++) d.Weight[i] = (float)rng.NextNormal();
            for (int i = 0; i < d.Bias.Length; i++) d.Bias[i] = (float)rng.NextNormal();
        }
        var model = new Mlp(6, TaskKind.Regression,
            [new ActivationLayer(ActivationKind.Relu), first, new ActivationLayer(ActivationKind.Tanh), second]);
        foreach (int rows in new[] { 1, 3, 40 })
        {
            var xf = new float[rows * 6];
            for (int i = 0; i < xf.Length; i++) xf[i] = (float)rng.NextNormal();
            var before = xf.ToArray();
            var fromFloat = new float[rows * 2];
            model.PredictScores(xf, rows, fromFloat);
            AssertBitwise(before, xf, $"rows={rows}: the inputs are unchanged");
            Assert.Contains(before, v => v < 0);
            var fromDouble = model.PredictScores(xf.Select(v => (double)v).ToArray(), rows);
            AssertBitwise(fromDouble, fromFloat, $"rows={rows}");
        }
    }

    [Fact]
    public void RowsWalkedForwardAndBackwardGiveTheScalarReferenceBits()
    {
        // Every second row walks each layer's units from the end in blocks of Inference.RowBlock (200 units: three
        // blocks of 64 and one of 8; split in halves of 104 and 96 on two threads): the same bits as the scalar
        // dot16 reference (GemvRows.MultiplyScalar, layer by layer, ReLU between), on every call, both directions.
        var (model, x) = Net(ActivationKind.Relu, 300, [200, 70], 10, 3, 31);
        var dense = model.DenseLayers;
        float[] Reference(int row)
        {
            var current = x.AsSpan(row * 300, 300).ToArray().Select(v => (float)v).ToArray();
            for (int l = 0; l < dense.Count; l++)
            {
                var d = dense[l];
                var next = new float[d.Outputs];
                Occam.Numerics.LinearAlgebra.GemvRows.MultiplyScalar(d.Weight, d.Inputs, d.Inputs, current, d.Bias, next, 0, d.Outputs);
                if (l + 1 < dense.Count)
                    for (int i = 0; i < next.Length; i++) next[i] = Math.Max(next[i], 0f);
                current = next;
            }
            return current;
        }
        int saved = Gemm.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Gemm.MaxThreads = threads;
                for (int call = 0; call < 4; call++)
                    for (int row = 0; row < 3; row++)
                        AssertBitwise(Reference(row), model.PredictScores(x.AsSpan(row * 300, 300), 1), $"t{threads} call {call} row {row}");
                // Three rows in one call: the rows alternate within the call.
                var three = model.PredictScores(x.AsSpan(0, 900), 3);
                for (int row = 0; row < 3; row++)
                    AssertBitwise(Reference(row), three.AsSpan(row * 10, 10).ToArray(), $"t{threads} three rows, row {row}");
            }
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        // 300 → 256 → 48 → 10: the first layer (76 800 weights) is split between threads on the row path; batches of
        // 300 rows run as 4 items of 64 rows and one of 44.
        var (model, x) = Net(ActivationKind.Relu, 300, [256, 48], 10, 300, 12);
        int saved = Gemm.MaxThreads;
        try
        {
            foreach (int rows in new[] { 1, 2, 300 })
            {
                Gemm.MaxThreads = 1;
                var one = model.PredictScores(x.AsSpan(0, rows * 300), rows);
                Gemm.MaxThreads = 2;
                var two = model.PredictScores(x.AsSpan(0, rows * 300), rows);
                Gemm.MaxThreads = 3;
                var three = model.PredictScores(x.AsSpan(0, rows * 300), rows);
                AssertBitwise(one, two, $"rows={rows} 1 vs 2 threads");
                AssertBitwise(one, three, $"rows={rows} 1 vs 3 threads");
            }
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    [Fact]
    public void TheFirstBadRowIsNamedWhateverThreadMeetsIt()
    {
        // Large enough to run on several threads: rows 101 and 151 are in items 1 and 2 of the first chunk (run by
        // different threads), row 281 in the second chunk.
        var (model, x) = Net(ActivationKind.Relu, 200, [300], 2, 300, 21);
        x[100 * 200 + 4] = double.NaN;
        x[150 * 200 + 1] = double.NaN;
        x[280 * 200 + 1] = 1e300;
        int saved = Gemm.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Gemm.MaxThreads = threads;
                var e = Assert.Throws<OccamException>(() => model.PredictScores(x, 300));
                Assert.StartsWith("row 101, input 5:", e.Message, StringComparison.Ordinal);
                // Float inputs without a standardizer are checked where they are (no copy): the same message.
                var xf = x.Select(v => (float)v).ToArray();
                var scores = new float[300 * 2];
                e = Assert.Throws<OccamException>(() => model.PredictScores(xf, 300, scores));
                Assert.StartsWith("row 101, input 5:", e.Message, StringComparison.Ordinal);
                e = Assert.Throws<OccamException>(() => model.PredictScores(xf.AsSpan(280 * 200, 200), 1, scores.AsSpan(0, 2)));
                Assert.StartsWith("row 1, input 2:", e.Message, StringComparison.Ordinal);
                var ok = model.PredictScores(x.AsSpan(0, 100 * 200), 100);   // the buffers are still usable
                Assert.Equal(200, ok.Length);
            }
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    [Fact]
    public void FloatRowsCheckedWhilePackedNameEveryBadValueAndPassFiniteExtremes()
    {
        // Float inputs without a standardizer are checked by the batch path's packing (no pass of their own): a NaN or
        // an infinity anywhere is named like the double path names it, and the largest finite floats are not refused.
        var (model, x) = Net(ActivationKind.Relu, 13, [24], 3, 70, 23);
        var xf = x.Select(v => (float)v).ToArray();
        var scores = new float[70 * 3];
        xf[0] = float.MaxValue / 1e6f;
        xf[^1] = -0f;
        model.PredictScores(xf, 70, scores);
        int saved = Gemm.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Gemm.MaxThreads = threads;
                foreach (int i in new[] { 1, 12, 13 * 31 + 7, 13 * 32, 13 * 64 + 12, 13 * 70 - 2 })
                    foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                    {
                        float kept = xf[i];
                        xf[i] = bad;
                        var e = Assert.Throws<OccamException>(() => model.PredictScores(xf, 70, scores));
                        Assert.StartsWith($"row {i / 13 + 1}, input {i % 13 + 1}: the value {bad.ToString(System.Globalization.CultureInfo.InvariantCulture)} cannot be used", e.Message, StringComparison.Ordinal);
                        xf[i] = kept;
                    }
                model.PredictScores(xf, 70, scores);   // and the buffers are still usable
            }
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    [Fact]
    public void RepeatedCallsOnTwoThreadsGiveTheSameBits()
    {
        // Items of one call run at the same time on two threads and reach different layers at different times: each
        // must keep to its own panels in every layer buffer (a race here once changed results from call to call).
        var (model, x) = Net(ActivationKind.Relu, 64, [256, 256], 10, 500, 3, dropout: 0.2);
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 2;
            var first = model.PredictScores(x, 500);
            for (int t = 0; t < 200; t++)
                AssertBitwise(first, model.PredictScores(x, 500), $"call {t}");
            Gemm.MaxThreads = 1;
            AssertBitwise(first, model.PredictScores(x, 500), "1 thread");
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    [Fact]
    public void BuffersStartOnA64ByteLine()
    {
        // The panel tiles load and store whole 64-byte vectors of these buffers; a managed array's data start 16
        // bytes past a line, so without the alignment every such access would touch two lines.
        foreach (var (inputs, hidden) in new[] { (784, new[] { 512, 256 }), (5, new[] { 3 }), (33, new[] { 17, 9 }) })
        {
            var (model, _) = Net(ActivationKind.Relu, inputs, hidden, 10, 4, 11);
            var starts = new Inference(model).BufferStarts();
            Assert.True(starts.Count >= 4);
            Assert.All(starts, at => Assert.Equal(0, at % 64));
        }
    }

    [Fact]
    public void SteadyStateCallsAllocateNothing()
    {
        var (model, x) = Net(ActivationKind.Relu, 40, [64, 32], 10, 300, 4, standardize: true);
        var xf = x.Select(v => (float)v).ToArray();
        var scores = new float[300 * 10];
        foreach (int rows in new[] { 1, 3, 256, 300 })
        {
            var s = scores.AsSpan(0, rows * 10);
            model.PredictScores(x.AsSpan(0, rows * 40), rows, s);
            model.PredictScores(xf.AsSpan(0, rows * 40), rows, s);
            long before = GC.GetAllocatedBytesForCurrentThread();
            model.PredictScores(x.AsSpan(0, rows * 40), rows, s);
            model.PredictScores(xf.AsSpan(0, rows * 40), rows, s);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before == 0, $"rows={rows}: {GC.GetAllocatedBytesForCurrentThread() - before} bytes");
        }
    }

    [Fact]
    public void CallsAfterTheThreadSettingChangesAllocateNothing()
    {
        // Gemm.MaxThreads is process-wide (other tests change it while this one runs): how many work items a call has
        // depends on it, so a call under a new setting must not allocate what the warm-up calls did not need.
        var (model, x) = Net(ActivationKind.Relu, 40, [64, 32], 10, 300, 4, standardize: true);
        var scores = new float[300 * 10];
        int saved = Gemm.MaxThreads;
        try
        {
            // The GEMM pool starts its worker threads at the first call that needs them, once per process (a Thread
            // object each): start them here with another model, so that only this model's own needs are measured
            // (whether an earlier test had started them depended on the test order: 3936 bytes in one CI run).
            var (other, _) = Net(ActivationKind.Relu, 40, [64, 32], 10, 300, 5, standardize: true);
            Gemm.MaxThreads = 2;
            other.PredictScores(x, 300, scores);
            Gemm.MaxThreads = 1;
            model.PredictScores(x, 300, scores);
            Gemm.MaxThreads = 2;
            long before = GC.GetAllocatedBytesForCurrentThread();
            model.PredictScores(x, 300, scores);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before == 0, $"{GC.GetAllocatedBytesForCurrentThread() - before} bytes");
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    [Fact]
    public void WeightsChangedInPlaceAreSeenByTheNextCall()
    {
        var (model, x) = Net(ActivationKind.Relu, 10, [20], 2, 50, 6);
        foreach (int rows in new[] { 1, 50 })
        {
            var before = model.PredictScores(x.AsSpan(0, rows * 10), rows);
            model.DenseLayers[1].Bias[0] += 1f;
            var after = model.PredictScores(x.AsSpan(0, rows * 10), rows);
            for (int r = 0; r < rows; r++)
            {
                Assert.Equal(before[r * 2] + 1f, after[r * 2], 1e-5f);
                Assert.Equal(before[r * 2 + 1], after[r * 2 + 1]);
            }
        }
    }

    [Fact]
    public void BadLengthsAreRejected()
    {
        var (model, x) = Net(ActivationKind.Relu, 10, [20], 2, 5, 6);
        Assert.Throws<ArgumentException>(() => model.PredictScores(x, 4, new float[8]));
        Assert.Throws<ArgumentException>(() => model.PredictScores(x, 5, new float[9]));
        Assert.Throws<ArgumentException>(() => model.PredictScores(x.Select(v => (float)v).ToArray(), 5, new float[11]));
        model.PredictScores(ReadOnlySpan<double>.Empty, 0, Span<float>.Empty);
    }
}
