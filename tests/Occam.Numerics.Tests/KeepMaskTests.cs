using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

public class KeepMaskTests
{
    private const ulong Seed = 0x1234_5678_9ABC_DEF0UL;

    [Fact]
    public void VectorEqualsScalarForEveryLengthAndOffset()
    {
        foreach (ushort threshold in new ushort[] { 0, 13107, 32768, 65535 })
            foreach (long offset in new long[] { 0, 1, 2, 3, 4, 1001 })
                foreach (int n in TestVectors.Lengths)
                {
                    var fast = new float[n];
                    var scalar = new float[n];
                    KeepMask.Fill(fast, Seed, offset, threshold, 1.25f);
                    KeepMask.FillScalar(scalar, Seed, offset, threshold, 1.25f);
                    TestVectors.AssertBitwise(scalar, fast, $"mask n={n} offset={offset} threshold={threshold}");
                }
    }

    [Fact]
    public void EveryGeneratorWidthEqualsScalarForEveryLengthAndOffset()
    {
        // KeepMask.Map's walk forced to 512-bit steps (then 256, then scalar), 256-bit steps only, and scalar only,
        // whatever this machine accelerates.
        foreach (var width in new[] { VectorWidth.V512, VectorWidth.V256, VectorWidth.Scalar })
            foreach (long offset in new long[] { 0, 1, 2, 3, 1001 })
                foreach (int n in TestVectors.Lengths)
                {
                    var fast = new float[n];
                    var scalar = new float[n];
                    KeepMask.Fill(width, fast, Seed, offset, 13107, 1.25f);
                    KeepMask.FillScalar(scalar, Seed, offset, 13107, 1.25f);
                    TestVectors.AssertBitwise(scalar, fast, $"mask {width} n={n} offset={offset}");
                }
    }

    [Fact]
    public void ASliceEqualsThatPartOfTheWholeMask()
    {
        // The property the fused and split passes rely on: element e depends only on (seed, e).
        var whole = new float[1000];
        KeepMask.Fill(whole, Seed, 0, 20000, 2f);
        foreach (var (start, length) in new[] { (0, 1000), (1, 999), (3, 64), (130, 257), (997, 3) })
        {
            var part = new float[length];
            KeepMask.Fill(part, Seed, start, 20000, 2f);
            TestVectors.AssertBitwise(whole.AsSpan(start, length), part, $"slice {start}+{length}");
        }
    }

    [Fact]
    public void ElementsAreSplitMix64OutputsFourUniformsEach()
    {
        // Independent restatement of the definition: SplitMix64 started at the seed, outputs split low 16 bits first.
        ulong state = Seed;
        var expected = new List<ushort>();
        for (int j = 0; j < 10; j++)
        {
            ulong z = state += KeepMask.Gamma;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            for (int k = 0; k < 4; k++) expected.Add((ushort)(z >> (16 * k)));
        }
        for (int e = 0; e < expected.Count; e++) Assert.Equal(expected[e], KeepMask.Uniform16(Seed, e));
    }

    [Fact]
    public void DropRateAndIndependenceOfNeighbours()
    {
        // p = 0.2: the drop rate within 5σ of p, and a unit's drop is independent of its neighbour's (pairs dropped
        // together within 5σ of p²) — over 2¹⁸ units of 8 seeds.
        const int n = 1 << 15;
        const ushort threshold = 13107;   // round(0.2·2¹⁶)
        double p = threshold / 65536.0;
        long dropped = 0, pairs = 0, total = 0;
        var mask = new float[n];
        for (ulong seed = 1; seed <= 8; seed++)
        {
            KeepMask.Fill(mask, seed, 0, threshold, 1.25f);
            for (int i = 0; i < n; i++)
            {
                if (mask[i] == 0f) dropped++;
                if (i > 0 && mask[i] == 0f && mask[i - 1] == 0f) pairs++;
            }
            total += n;
        }
        double rate = (double)dropped / total;
        Assert.True(Math.Abs(rate - p) < 5 * Math.Sqrt(p * (1 - p) / total), $"drop rate {rate} vs {p}");
        double pairRate = (double)pairs / (total - 8), p2 = p * p;
        Assert.True(Math.Abs(pairRate - p2) < 5 * Math.Sqrt(p2 * (1 - p2) / (total - 8)) * 2, $"pair rate {pairRate} vs {p2}");
    }
}
