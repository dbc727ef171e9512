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
                var (mask, h) = (new float[n], new float[n]);
                var (maskS, hS) = (new float[n], new float[n]);
                ReluDropout.Forward(z, mask, h, seed, offset, Threshold, Keep);
                ReluDropout.ForwardScalar(z, maskS, hS, seed, offset, Threshold, Keep);
                TestVectors.AssertBitwise(maskS, mask, $"mask n={n}");
                TestVectors.AssertBitwise(hS, h, $"h n={n}");
                // Unfused: relu, the mask, then the product.
                var y = new float[n];
                var m = new float[n];
                Relu.ForwardScalar(z, y);
                KeepMask.FillScalar(m, seed, offset, Threshold, Keep);
                for (int i = 0; i < n; i++) y[i] *= m[i];
                TestVectors.AssertBitwise(m, mask, $"mask vs KeepMask n={n}");
                TestVectors.AssertBitwise(y, h, $"h vs relu·mask n={n}");
            }
    }

    [Fact]
    public void BackwardEqualsScalarAndTheUnfusedPassesBitwise()
    {
        var rng = new Rng(202UL);
        foreach (int n in TestVectors.Lengths)
        {
            var z = TestVectors.Mixed(rng, n);
            var mask = new float[n];
            KeepMask.FillScalar(mask, rng.NextUInt64(), 0, Threshold, Keep);
            var dh = TestVectors.Mixed(rng, n, threshold: 1f);
            var fast = new float[n];
            var scalar = new float[n];
            ReluDropout.Backward(z, mask, dh, fast);
            ReluDropout.BackwardScalar(z, mask, dh, scalar);
            TestVectors.AssertBitwise(scalar, fast, $"backward n={n}");
            // Unfused: dropout backward (dh·mask), then relu backward on relu's output.
            var y = new float[n];
            Relu.ForwardScalar(z, y);
            var t = new float[n];
            for (int i = 0; i < n; i++) t[i] = dh[i] * mask[i];
            var unfused = new float[n];
            Relu.BackwardScalar(y, t, unfused);
            TestVectors.AssertBitwise(unfused, fast, $"backward vs unfused n={n}");
            var alias = (float[])dh.Clone();
            ReluDropout.Backward(z, mask, alias, alias);
            TestVectors.AssertBitwise(scalar, alias, $"backward in place n={n}");
        }
    }
}
