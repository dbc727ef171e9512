using Occam.Numerics.Random;

namespace Occam.Numerics.Tests.Gemm;

/// <summary>
/// The vectorized packing routines against the layouts they document, element by element (packing only moves
/// floats, so equality is exact): every depth 0..257 (whole 8-step blocks and every tail), every panel width the
/// kernels use and every count of valid lines, padded strides.
/// </summary>
public unsafe class GemmPackingTests
{
    [Fact]
    public void PackTransposedMatchesItsDefinitionForEveryDepthWidthAndValidCount()
    {
        var rng = new Rng(77UL);
        foreach (int width in new[] { 8, 16, 32 })
            for (int valid = 1; valid <= width; valid += valid < 9 ? 1 : 7)
                for (int kc = 0; kc <= 257; kc += kc < 20 ? 1 : 13)
                {
                    int stride = kc + rng.NextInt(3);
                    var src = new float[Math.Max(1, valid * stride)];
                    for (int i = 0; i < src.Length; i++) src[i] = rng.NextSingle() - 0.5f;
                    var dst = new float[width * kc];
                    Array.Fill(dst, float.NaN);
                    fixed (float* s = src)
                    fixed (float* d = dst)
                        GemmPacking.PackTransposed(d, s, stride, kc, width, valid);
                    for (int p = 0; p < kc; p++)
                        for (int j = 0; j < width; j++)
                        {
                            float expected = j < valid ? src[j * stride + p] : 0f;
                            Assert.True(dst[p * width + j].Equals(expected), $"width {width} valid {valid} kc {kc}: d[{p}·{width}+{j}] = {dst[p * width + j]}, expected {expected}");
                        }
                }
    }

    [Theory]
    [InlineData(8, false)]
    [InlineData(8, true)]
    [InlineData(6, false)]
    [InlineData(6, true)]
    [InlineData(4, true)]
    public void PackAMatchesItsDefinition(int mr, bool transposed)
    {
        var rng = new Rng(78UL);
        foreach (int mc in new[] { 1, 5, 8, 13, 16, 24 })
            foreach (int kc in new[] { 1, 7, 8, 9, 64, 257 })
            {
                int ld = (transposed ? mc : kc) + 2;
                var a = new float[(transposed ? kc : mc) * ld];
                for (int i = 0; i < a.Length; i++) a[i] = rng.NextSingle() - 0.5f;
                int panels = (mc + mr - 1) / mr;
                var dst = new float[panels * mr * kc];
                Array.Fill(dst, float.NaN);
                nint rs = transposed ? 1 : ld, cs = transposed ? ld : 1;
                fixed (float* pa = a)
                fixed (float* pd = dst)
                    GemmPacking.PackA(pd, pa, rs, cs, mc, kc, mr);
                for (int q = 0; q < panels; q++)
                    for (int p = 0; p < kc; p++)
                        for (int i = 0; i < mr; i++)
                        {
                            int row = q * mr + i;
                            float expected = row < mc ? a[row * rs + p * cs] : 0f;
                            Assert.True(dst[q * mr * kc + p * mr + i].Equals(expected), $"mr {mr} T={transposed} mc {mc} kc {kc}: panel {q} p {p} i {i}");
                        }
            }
    }

    [Theory]
    [InlineData(32, false)]
    [InlineData(32, true)]
    [InlineData(16, true)]
    [InlineData(8, true)]
    [InlineData(4, true)]
    public void PackBMatchesItsDefinition(int nr, bool transposed)
    {
        var rng = new Rng(79UL);
        foreach (int nc in new[] { 1, 10, 16, 31, 32, 33, 70 })
            foreach (int kc in new[] { 1, 7, 8, 9, 64, 257 })
            {
                int ld = (transposed ? kc : nc) + 3;
                var b = new float[(transposed ? nc : kc) * ld];
                for (int i = 0; i < b.Length; i++) b[i] = rng.NextSingle() - 0.5f;
                int panels = (nc + nr - 1) / nr;
                nint panelStride = (nint)nr * kc;
                var dst = new float[panels * panelStride];
                Array.Fill(dst, float.NaN);
                nint rs = transposed ? 1 : ld, cs = transposed ? ld : 1;
                fixed (float* pb = b)
                fixed (float* pd = dst)
                    GemmPacking.PackB(pd, pb, rs, cs, kc, nc, nr, 0, panels, panelStride);
                for (int q = 0; q < panels; q++)
                    for (int p = 0; p < kc; p++)
                        for (int j = 0; j < nr; j++)
                        {
                            int col = q * nr + j;
                            float expected = col < nc ? b[p * rs + col * cs] : 0f;
                            Assert.True(dst[q * panelStride + p * nr + j].Equals(expected), $"nr {nr} T={transposed} nc {nc} kc {kc}: panel {q} p {p} j {j}");
                        }
            }
    }
}
