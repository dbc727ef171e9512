using System.Numerics;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Tests;

public class SubnormalsTests
{
    /// <summary>Every subnormal and the first 2¹⁶ normals of both signs, ±0, ±∞, NaNs with several payloads, 1, the largest float.</summary>
    private static float[] Cases()
    {
        var bits = new List<int>();
        for (int b = 0; b < Subnormals.MinNormalBits + 65536; b++) bits.Add(b);
        bits.AddRange([0x3F800000, 0x7F7FFFFF, 0x7F800000, 0x7FC00000, 0x7F800001, 0x7FFFFFFF, 0x7FC00123]);
        int n = bits.Count;
        for (int i = 0; i < n; i++) bits.Add(bits[i] | int.MinValue);
        return [.. bits.Select(BitConverter.Int32BitsToSingle)];
    }

    [Fact]
    public void ScalarFlushClearsExactlyTheSubnormalsKeepingTheSign()
    {
        foreach (float x in Cases())
        {
            float y = Subnormals.Flush(x, Subnormals.MinNormalBits);
            int xb = BitConverter.SingleToInt32Bits(x), yb = BitConverter.SingleToInt32Bits(y);
            if (float.IsSubnormal(x)) Assert.True(yb == (xb & int.MinValue), $"{TestVectors.Show(x)} -> {TestVectors.Show(y)}");
            else Assert.True(yb == xb, $"{TestVectors.Show(x)} -> {TestVectors.Show(y)} (not subnormal: unchanged)");
            Assert.Equal(xb, BitConverter.SingleToInt32Bits(Subnormals.Flush(x, 0)));   // below = 0 flushes nothing
        }
        Assert.True(float.IsNaN(Subnormals.Flush(float.NaN, Subnormals.MinNormalBits)));
        Assert.Equal(0f, Subnormals.Flush(float.Epsilon, Subnormals.MinNormalBits));
        Assert.Equal(float.MinValue, Subnormals.Flush(float.MinValue, Subnormals.MinNormalBits));
        Assert.Equal(BitConverter.Int32BitsToSingle(Subnormals.MinNormalBits), Subnormals.Flush(BitConverter.Int32BitsToSingle(Subnormals.MinNormalBits), Subnormals.MinNormalBits));
    }

    [Theory]
    [InlineData(Subnormals.MinNormalBits)]
    [InlineData(0)]
    public void VectorFlushesEqualScalarBitwise(int below)
    {
        var x = Cases();
        var expected = x.Select(v => Subnormals.Flush(v, below)).ToArray();
        var actual = new float[x.Length];
        int w = Vector<float>.Count, i = 0;
        for (; i <= x.Length - w; i += w) Subnormals.Flush(new Vector<float>(x, i), new Vector<int>(below)).CopyTo(actual, i);
        for (; i < x.Length; i++) actual[i] = Subnormals.Flush(x[i], below);
        TestVectors.AssertBitwise(expected, actual, "Vector<float>");
        Array.Clear(actual);
        for (i = 0; i <= x.Length - 16; i += 16) Subnormals.Flush(Vector512.Create(x.AsSpan(i, 16)), Vector512.Create(below)).CopyTo(actual.AsSpan(i));
        for (; i < x.Length; i++) actual[i] = Subnormals.Flush(x[i], below);
        TestVectors.AssertBitwise(expected, actual, "Vector512<float>");
    }
}
