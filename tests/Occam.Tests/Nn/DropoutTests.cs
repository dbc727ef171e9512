using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Random;

namespace Occam.Tests.Nn;

public class DropoutTests
{
    /// <summary>A model whose first layer is the dropout under test; its output is <c>ws.Outputs[0]</c>.</summary>
    private static (Mlp Model, Workspace Ws) DropoutFirst(double p, int width, int rows)
    {
        var model = new Mlp(width, TaskKind.Regression, [new Dropout(p), new Dense(width, 1)]);
        return (model, new Workspace(model, rows));
    }

    private static float[] Input(Rng rng, int n)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(0.5 + rng.NextDouble());
        return x;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void InferenceIsExactlyTheIdentity(double p)
    {
        const int width = 37, rows = 11;
        var (model, ws) = DropoutFirst(p, width, rows);
        var x = TestVectors.Mixed(new Rng(1401UL), width * rows);
        Backprop.Forward(model, ws, x, rows, ForwardMode.Inference, null);
        TestVectors.AssertBitwise(x, ws.Outputs[0].AsSpan(0, x.Length), $"inference dropout p={p}");
        // A generator passed in inference mode is not touched.
        var rng = new Rng(5UL);
        Backprop.Forward(model, ws, x, rows, ForwardMode.Inference, rng);
        Assert.Equal(new Rng(5UL).NextUInt64(), rng.NextUInt64());
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void TrainingDropsAtRatePAndScalesKeptValuesByExactlyOneOverOneMinusP(double p)
    {
        const int width = 999, rows = 1001; // 999 999 units, not a multiple of 4 per row
        var (model, ws) = DropoutFirst(p, width, rows);
        var rng = new Rng(1402UL);
        var x = Input(rng, width * rows);
        Backprop.Forward(model, ws, x, rows, ForwardMode.Training, new Rng(1403UL));
        var y = ws.Outputs[0].AsSpan(0, x.Length);
        float keep = (float)(1.0 / (1.0 - p));
        int dropped = 0;
        double sumIn = 0, sumOut = 0, sumSq = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (y[i] == 0f)
            {
                Assert.True(TestVectors.IsPositiveZero(y[i]));
                dropped++;
            }
            else
            {
                Assert.Equal(x[i] * keep, y[i]); // exactly one float multiply by 1/(1 − p)
            }
            sumIn += x[i];
            sumOut += y[i];
            sumSq += (double)x[i] * x[i];
        }
        int n = x.Length;
        // Binomial(n, p): the drop rate is within 5σ of p.
        double rate = (double)dropped / n, sigma = Math.Sqrt(p * (1 - p) / n);
        Assert.True(Math.Abs(rate - p) < 5 * sigma, $"drop rate {rate} vs p = {p} (σ = {sigma})");
        // Inverted dropout keeps the mean: E[y] = x, Var[y] = x²·p/(1 − p); the sample means agree within 5σ.
        double meanSigma = Math.Sqrt(sumSq * p / (1 - p)) / n;
        Assert.True(Math.Abs(sumOut / n - sumIn / n) < 5 * meanSigma, $"mean out {sumOut / n} vs in {sumIn / n} (σ = {meanSigma})");
    }

    [Fact]
    public void SameSeedGivesTheSameMaskAndAnotherSeedDoesNot()
    {
        const int width = 13, rows = 7;
        var (model, ws) = DropoutFirst(0.5, width, rows);
        var x = Input(new Rng(1404UL), width * rows);
        Backprop.Forward(model, ws, x, rows, ForwardMode.Training, new Rng(77UL));
        var first = ws.Outputs[0].AsSpan(0, x.Length).ToArray();
        var firstMask = ws.Masks[0].AsSpan(0, x.Length).ToArray();
        Backprop.Forward(model, ws, x, rows, ForwardMode.Training, new Rng(77UL));
        TestVectors.AssertBitwise(first, ws.Outputs[0].AsSpan(0, x.Length), "same seed, same output");
        TestVectors.AssertBitwise(firstMask, ws.Masks[0].AsSpan(0, x.Length), "same seed, same mask");
        Backprop.Forward(model, ws, x, rows, ForwardMode.Training, new Rng(78UL));
        Assert.NotEqual(firstMask, ws.Masks[0].AsSpan(0, x.Length).ToArray());
    }

    [Fact]
    public void MaskHoldsZeroOrTheKeepScale()
    {
        foreach (double p in new[] { 0.0, 0.2, 0.75 })
        {
            foreach (int n in new[] { 0, 1, 3, 4, 5, 257 })
            {
                var mask = new float[n];
                DropoutMask.Fill(mask, p, new Rng(1405UL));
                float keep = (float)(1.0 / (1.0 - p));
                Assert.All(mask, m => Assert.True(m == 0f || m == keep, $"mask value {m}"));
                if (p == 0.0) Assert.All(mask, m => Assert.Equal(1f, m));
            }
        }
    }

    [Fact]
    public void TrainingWithDropoutNeedsAGeneratorAndPMustBeBelowOne()
    {
        var (model, ws) = DropoutFirst(0.5, 3, 2);
        Assert.Throws<ArgumentNullException>(() => Backprop.Forward(model, ws, new float[6], 2, ForwardMode.Training, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(double.NaN));
    }

    [Fact]
    public void VectorizedMaskEqualsScalarMaskForEveryLength()
    {
        foreach (double p in new[] { 0.0, 0.2, 0.5, 0.999999 })
            for (int n = 0; n <= 257; n++)
            {
                var a = new float[n];
                var b = new float[n];
                var ra = new Rng(77UL);
                var rb = new Rng(77UL);
                DropoutMask.Fill(a, p, ra);
                DropoutMask.FillScalar(b, p, rb);
                Assert.Equal(b, a);
                Assert.Equal(rb.NextUInt64(), ra.NextUInt64());   // the generator advanced identically
            }
    }
}
