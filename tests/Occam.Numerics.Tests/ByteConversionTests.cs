using System.Runtime.Intrinsics.X86;
using Occam.Numerics.Conversion;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests;

/// <summary>
/// The byte-input conversions of IDX pixels: <see cref="WidenBytes"/> (bytes → float64) and the byte overload of
/// <see cref="StandardizeToSingle"/> (bytes → standardized float32). Every vector version equals the scalar one bit for
/// bit at every length 0..257 (the vector versions run where the machine has their instructions), and the byte
/// conversion equals the float64 conversion of the widened bytes, which is what makes the training path on bytes give
/// the same model as the one on a float64 copy.
/// </summary>
public class ByteConversionTests
{
    private static byte[] Bytes(Rng rng, int n)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte)(i % 5 == 0 ? (i % 2 == 0 ? 0 : 255) : rng.NextInt(256));
        return b;
    }

    [Fact]
    public void WidenBytesVectorVersionsEqualScalarForEveryLengthUpTo257()
    {
        var rng = new Rng(71);
        foreach (int n in TestVectors.Lengths)
        {
            var x = Bytes(rng, n);
            var scalar = new double[n + 3];
            WidenBytes.ApplyScalar(x, scalar);
            for (int i = 0; i < n; i++) Assert.Equal(x[i], scalar[i]);
            Assert.Equal(0.0, scalar[n]);   // nothing written past n
            var versions = new List<(string, Action<byte[], double[]>)> { ("Apply", (a, b) => WidenBytes.Apply(a, b)) };
            if (Avx512F.IsSupported) versions.Add(("V512", (a, b) => WidenBytes.ApplyV512(a, b)));
            if (Avx2.IsSupported) versions.Add(("V256", (a, b) => WidenBytes.ApplyV256(a, b)));
            foreach (var (name, apply) in versions)
            {
                var y = new double[n + 3];
                apply(x, y);
                Assert.True(scalar.AsSpan().SequenceEqual(y), $"{name} n={n}");
            }
        }
    }

    [Fact]
    public void StandardizedBytesEqualScalarAndTheFloat64PathBitwiseForEveryLengthUpTo257()
    {
        var rng = new Rng(72);
        foreach (int n in TestVectors.Lengths)
        {
            foreach (int columns in new[] { 1, 3, 8, 17, 33, Math.Max(1, n) })
            {
                int rows = n / columns, len = rows * columns;
                var x = Bytes(rng, len);
                var mean = Enumerable.Range(0, columns).Select(_ => 128 * rng.NextDouble()).ToArray();
                var scale = Enumerable.Range(0, columns).Select(_ => rng.NextInt(4) == 0 ? 1.0 : 1e-3 + 90 * rng.NextDouble()).ToArray();
                if (columns > 2) scale[2] = 1e-300;   // overflows float32: ±∞ (and NaN for 0/0) like the float64 path
                if (columns > 2) mean[2] = 0;
                foreach (bool standardize in new[] { false, true })
                {
                    double[] m = standardize ? mean : [], s = standardize ? scale : [];
                    var scalar = new float[len];
                    StandardizeToSingle.ApplyScalar(x, columns, m, s, scalar);
                    var fromDouble = new float[len];
                    StandardizeToSingle.ApplyScalar(x.Select(v => (double)v).ToArray(), columns, m, s, fromDouble);
                    TestVectors.AssertBitwise(fromDouble, scalar, $"bytes = float64 n={len} columns={columns} standardize={standardize}");
                    var versions = new List<(string, Action<float[]>)> { ("Apply", y => StandardizeToSingle.Apply((ReadOnlySpan<byte>)x, columns, m, s, y)) };
                    if (Avx512F.IsSupported) versions.Add(("V512", y => StandardizeToSingle.ApplyV512((ReadOnlySpan<byte>)x, columns, m, s, y)));
                    if (Avx2.IsSupported) versions.Add(("V256", y => StandardizeToSingle.ApplyV256((ReadOnlySpan<byte>)x, columns, m, s, y)));
                    foreach (var (name, apply) in versions)
                    {
                        var y = new float[len];
                        apply(y);
                        TestVectors.AssertBitwise(scalar, y, $"{name} n={len} columns={columns} standardize={standardize}");
                    }
                    if (standardize && len > 0)
                        Assert.Equal((float)((x[len - 1] - mean[columns - 1]) / scale[columns - 1]), scalar[len - 1]);
                }
            }
        }
    }
}
