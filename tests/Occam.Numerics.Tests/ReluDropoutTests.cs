using Occam.Numerics.Activations;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

public class ReluDropoutTests
{
    private const ushort Threshold = 13107;   // p = 0.2
    private const float Keep = 1.25f;

    [Fact]
    public void ForwardEqualsScalarAndTheUnfusedPassesBitwise()
    {
        var rng = new Rng(201UL);
        foreach (long offset in new long[] { 0, 3 })
            foreach (int n in TestVectors.Lengths)
            {
                var z = TestVectors.Mixed(rng, n);
                if (n > 2) z[n / 2] = float.NaN;   // NaN propagates as in Relu.Forward
                ulong seed = rng.NextUInt64();
                var h = new float[n];
                var hS = new float[n];
                ReluDropout.Forward(z, [], Math.Max(n, 1), h, seed, offset, Threshold, Keep);
                ReluDropout.ForwardScalar(z, [], Math.Max(n, 1), hS, seed, offset, Threshold, Keep);
                TestVectors.AssertBitwise(hS, h, $"h n={n}");
                // Unfused: relu, the mask, then the product.
                var y = new float[n];
                var m = new float[n];
                Relu.ForwardScalar(z, y);
                KeepMask.FillScalar(m, seed, offset, Threshold, Keep);
                for (int i = 0; i < n; i++) y[i] *= m[i];
                TestVectors.AssertBitwise(y, h, $"h vs relu·mask n={n}");
            }
    }

    [Fact]
    public void ForwardWithBiasEqualsScalarAndBiasRowsThenTheUnfusedPassesBitwise()
    {
        // Every width 1..257 (row heads and tails around the 4-element generator outputs), a few rows, two offsets.
        var rng = new Rng(203UL);
        foreach (long offset in new long[] { 0, 6 })
            foreach (int width in TestVectors.Lengths.Where(w => w > 0))
            {
                int rows = 1 + rng.NextInt(3), n = rows * width;
                var z = TestVectors.Mixed(rng, n);
                var b = TestVectors.Mixed(rng, width);
                ulong seed = rng.NextUInt64();
                var h = new float[n];
                var hS = new float[n];
                ReluDropout.Forward(z, b, width, h, seed, offset, Threshold, Keep);
                ReluDropout.ForwardScalar(z, b, width, hS, seed, offset, Threshold, Keep);
                TestVectors.AssertBitwise(hS, h, $"biased h width={width} rows={rows}");
                if (width % 16 == 0 && offset % 4 == 0 && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
                {
                    // The AVX2 whole-step path (one generator over all rows), whatever this machine's widest vectors.
                    var h256 = new float[n];
                    ReluDropout.RunWholeSteps256(z, b, h256, seed, offset, Threshold, Keep);
                    TestVectors.AssertBitwise(hS, h256, $"biased h, 16-element steps, width={width} rows={rows}");
                }
                // Unfused: y = z + b row by row (what bias rows + the product with beta = 1 store), relu, mask, product.
                var y = new float[n];
                for (int i = 0; i < n; i++) y[i] = z[i] + b[i % width];
                var r = new float[n];
                Relu.ForwardScalar(y, r);
                var m = new float[n];
                KeepMask.FillScalar(m, seed, offset, Threshold, Keep);
                for (int i = 0; i < n; i++) r[i] *= m[i];
                TestVectors.AssertBitwise(r, h, $"biased h vs unfused width={width} rows={rows}");
            }
    }

    [Fact]
    public void BackwardEqualsScalarAndTheUnfusedPassesUpToTheSignOfDroppedZeros()
    {
        var rng = new Rng(202UL);
        foreach (int n in TestVectors.Lengths)
        {
            var z = TestVectors.Mixed(rng, n);
            var mask = new float[n];
            KeepMask.FillScalar(mask, rng.NextUInt64(), 0, Threshold, Keep);
            var h = new float[n];
            for (int i = 0; i < n; i++) h[i] = MathF.Max(z[i], 0f) * mask[i];
            var dh = TestVectors.Mixed(rng, n, threshold: 1f);
            var fast = new float[n];
            var scalar = new float[n];
            ReluDropout.Backward(h, dh, fast, Keep);
            ReluDropout.BackwardScalar(h, dh, scalar, Keep);
            TestVectors.AssertBitwise(scalar, fast, $"backward n={n}");
            // Unfused: dropout backward (dh·mask), then relu backward on relu's output: the same values, and the same
            // bits except +0 for a dropped positive unit where dh·0 may be −0.
            var y = new float[n];
            Relu.ForwardScalar(z, y);
            var t = new float[n];
            for (int i = 0; i < n; i++) t[i] = dh[i] * mask[i];
            var unfused = new float[n];
            Relu.BackwardScalar(y, t, unfused);
            for (int i = 0; i < n; i++)
            {
                if (z[i] > 0 && mask[i] == 0) Assert.True(fast[i] == 0f && !float.IsNegative(fast[i]), $"dropped unit {i}: +0");
                else Assert.Equal(BitConverter.SingleToInt32Bits(unfused[i]), BitConverter.SingleToInt32Bits(fast[i]));
            }
            var alias = (float[])dh.Clone();
            ReluDropout.Backward(h, alias, alias, Keep);
            TestVectors.AssertBitwise(scalar, alias, $"backward in place n={n}");
        }
    }
}
