using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

public class RngTests
{
    [Fact]
    public void SameSeedSameSequence()
    {
        var a = new Rng(42UL);
        var b = new Rng(42UL);
        for (int i = 0; i < 1000; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void KnownFirstValuesPinTheAlgorithm()
    {
        // SplitMix64(0) first output is 0xE220A8397B1DCDAF (Vigna's reference implementation).
        ulong x = 0;
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        Assert.Equal(0xE220A8397B1DCDAFUL, z ^ (z >> 31));
    }

    [Fact]
    public void FillUniformEqualsOneNextDoublePerElementAndContinuesTheSequence()
    {
        foreach (int n in new[] { 0, 1, 7, 257, 4096 })
        {
            var a = new Rng(77UL);
            var b = new Rng(77UL);
            a.NextUInt64();
            b.NextUInt64();
            var filled = new float[n];
            a.FillUniform(filled, 0.0874);
            for (int i = 0; i < n; i++)
                Assert.Equal(BitConverter.SingleToInt32Bits((float)((2 * b.NextDouble() - 1) * 0.0874)), BitConverter.SingleToInt32Bits(filled[i]));
            Assert.Equal(b.NextUInt64(), a.NextUInt64());
            Assert.All(filled, v => Assert.InRange(v, -0.0874f, 0.0874f));
        }
    }

    [Fact]
    public void NextIntIsUniform()
    {
        var rng = new Rng(7UL);
        var counts = new int[10];
        const int n = 100_000;
        for (int i = 0; i < n; i++) counts[rng.NextInt(10)]++;
        // Chi-square with 9 degrees of freedom; the 0.999 quantile is 27.88.
        double chi2 = counts.Sum(c => (c - n / 10.0) * (c - n / 10.0) / (n / 10.0));
        Assert.True(chi2 < 27.88, $"chi2 = {chi2}");
    }

    [Fact]
    public void NormalHasUnitVariance()
    {
        var rng = new Rng(3UL);
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++)
        {
            double v = rng.NextNormal();
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / n;
        double variance = sumSq / n - mean * mean;
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
    }

    [Fact]
    public void ShuffleIsAPermutation()
    {
        var rng = new Rng(1UL);
        var values = Enumerable.Range(0, 257).ToArray();
        rng.Shuffle(values.AsSpan());
        Assert.Equal(Enumerable.Range(0, 257), values.Order());
        Assert.NotEqual(Enumerable.Range(0, 257), values);
    }

    [Fact]
    public void TheIndexShuffleDrawsAndSwapsAsTheGenericOne()
    {
        var ints = Enumerable.Range(0, 1000).ToArray();
        var longs = Enumerable.Range(0, 1000).Select(i => (long)i).ToArray();
        var a = new Rng(91UL);
        var b = new Rng(91UL);
        a.Shuffle(ints.AsSpan());          // Shuffle(Span<int>)
        b.Shuffle<long>(longs.AsSpan());   // Shuffle<T>
        Assert.Equal(longs, ints.Select(i => (long)i));
        Assert.Equal(b.NextUInt64(), a.NextUInt64());   // the same number of draws
    }
}
