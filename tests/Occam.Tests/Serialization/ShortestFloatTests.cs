using System.Globalization;
using System.Text;
using System.Text.Json;
using Occam.Numerics.Random;
using Occam.Serialization;

namespace Occam.Tests.Serialization;

/// <summary>The fast float formatter writes exactly what .NET writes (ToString and Utf8JsonWriter), byte for byte.</summary>
public class ShortestFloatTests
{
    private static string Fast(float v)
    {
        Span<byte> buffer = stackalloc byte[ShortestFloat.MaxBytes];
        int n = ShortestFloat.Format(v, buffer);
        return Encoding.ASCII.GetString(buffer[..n]);
    }

    private static string Writer(float v)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, JsonText.WriterOptions(indented: false))) w.WriteNumberValue(v);
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    private static void Check(float v)
    {
        string expected = v.ToString(CultureInfo.InvariantCulture);
        string fast = Fast(v);
        if (fast != expected)
            Assert.Fail($"bits 0x{BitConverter.SingleToUInt32Bits(v):X8}: .NET writes '{expected}', ShortestFloat '{fast}'");
    }

    public static TheoryData<float> EdgeCases()
    {
        float[] named =
        [
            0f, -0f, 1f, -1f, 0.1f, 0.2f, 0.3f, 1e-5f, 1e-4f, 1.5e-4f, 1e-3f, 1e6f, 1e7f, 1.5e7f, 12345678f, 123456789f,
            1e8f, 9999999f, 16777216f, 16777217f, 3.4028235e38f, float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon,
            1.17549435e-38f, 1.1754942e-38f, 2f / 3, MathF.PI, MathF.E, 7.038531e-26f, 8.3e-45f, 4.7223665e21f, 33554432f,
            9.9999994e-5f, 0.00099999994f, 1.0000001f, 0.99999994f,
        ];
        var values = new List<float>(named);
        for (int e = -45; e <= 38; e++)
            foreach (string mantissa in new[] { "1", "9.999999", "1.5", "2.5" })
                if (float.Parse($"{mantissa}e{e}", CultureInfo.InvariantCulture) is var v && float.IsFinite(v)) values.Add(v);
        // one case per bit pattern (xUnit skips cases whose arguments display the same)
        var seen = new HashSet<uint>();
        var data = new TheoryData<float>();
        foreach (float v in values)
            if (seen.Add(BitConverter.SingleToUInt32Bits(v))) data.Add(v);
        return data;
    }

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void EdgeCasesMatchDotNet(float v)
    {
        Check(v);
        Assert.Equal(Writer(v), Fast(v));
    }

    [Fact]
    public void RandomBitPatternsMatchDotNet()
    {
        var rng = new Rng(20261201UL);
        for (int i = 0; i < 1_000_000; i++)
        {
            float v = BitConverter.UInt32BitsToSingle((uint)rng.NextUInt64());
            if (float.IsFinite(v)) Check(v);
        }
    }

    [Fact]
    public void EveryExponentAndSpacedMantissasMatchDotNet()
    {
        // all 254 binary exponents (and subnormals), 2048 mantissas each including both ends
        for (uint exponent = 0; exponent < 255; exponent++)
            for (uint m = 0; m < (1u << 23); m += (1u << 12) - 1)
            {
                Check(BitConverter.UInt32BitsToSingle((exponent << 23) | m));
                Check(BitConverter.UInt32BitsToSingle((exponent << 23) | ((1u << 23) - 1 - m)));
            }
    }

    [Fact]
    public void TypicalWeightsMatchTheJsonWriter()
    {
        var rng = new Rng(77UL);
        for (int i = 0; i < 200_000; i++)
        {
            float v = (float)(rng.NextNormal() * Math.Pow(10, rng.NextInt(9) - 6));
            Assert.Equal(Writer(v), Fast(v));
        }
    }
}
