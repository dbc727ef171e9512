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

/// <summary>
/// The packing orders the driver can switch (<see cref="GemmPacking.RowOrderB"/>: whole NR = 32 panels of a row-major op(B)
/// copied row by row; <see cref="GemmDriver.PacksPanelsAcrossDepth"/>: a transposed op(B) packed panel by panel across its
/// k blocks) against the documented layout and against the other order: the same floats in the same places, so every
/// product is the same bits. Not run in parallel with itself (the switches are static; either value gives the same
/// results, so other tests running meanwhile are unaffected).
/// </summary>
[Collection(nameof(GemmPackingOrderTests))]
public unsafe class GemmPackingOrderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RowOrderPackBMatchesTheLayoutOnPanelRangesAndPaddedStrides(bool rowOrder)
    {
        bool saved = GemmPacking.RowOrderB;
        try
        {
            GemmPacking.RowOrderB = rowOrder;
            var rng = new Rng(80UL);
            const int nr = 32;
            foreach (int nc in new[] { 1, 31, 32, 33, 64, 70, 96, 130 })
                foreach (int kc in new[] { 1, 7, 64, 196, 257 })
                {
                    int ld = nc + 5, panels = (nc + nr - 1) / nr;
                    var b = new float[kc * ld];
                    for (int i = 0; i < b.Length; i++) b[i] = rng.NextSingle() - 0.5f;
                    nint panelStride = (nint)nr * (kc + 3);   // the driver's stride is NR · depth step, ≥ NR · kc
                    for (int q0 = 0; q0 < panels; q0++)
                        foreach (int q1 in new[] { q0 + 1, panels })
                        {
                            var dst = new float[panels * panelStride];
                            Array.Fill(dst, float.NaN);
                            fixed (float* pb = b)
                            fixed (float* pd = dst)
                                GemmPacking.PackB(pd, pb, ld, 1, kc, nc, nr, q0, q1, panelStride);
                            for (int q = 0; q < panels; q++)
                                for (int p = 0; p < (int)(panelStride / nr); p++)
                                    for (int j = 0; j < nr; j++)
                                    {
                                        int col = q * nr + j;
                                        float got = dst[q * panelStride + p * nr + j];
                                        bool packed = q >= q0 && q < q1 && p < kc;
                                        float expected = !packed ? float.NaN : col < nc ? b[p * ld + col] : 0f;
                                        Assert.True(got.Equals(expected), $"row order {rowOrder} nc {nc} kc {kc} q {q0}..{q1}: panel {q} p {p} j {j} = {got}, expected {expected}");
                                    }
                        }
                }
        }
        finally
        {
            GemmPacking.RowOrderB = saved;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ProductsAreTheSameBitsWhicheverPackingOrder(int threads)
    {
        bool savedRows = GemmPacking.RowOrderB, savedPanels = GemmDriver.PacksPanelsAcrossDepth;
        try
        {
            var rng = new Rng(81UL);
            // The step's shapes (784-512-256-10 at batch 256) and odd ones: k over several depth blocks, partial panels.
            foreach (var (m, n, k) in new[] { (256, 512, 784), (256, 256, 512), (512, 784, 256), (256, 512, 256), (37, 70, 600), (64, 33, 300), (100, 130, 257) })
                foreach (var (ta, tb) in new[] { (false, true), (true, false), (false, false), (true, true) })
                {
                    var a = new float[m * k];
                    var b = new float[k * n];
                    var c0 = new float[m * n];
                    for (int i = 0; i < a.Length; i++) a[i] = rng.NextSingle() - 0.5f;
                    for (int i = 0; i < b.Length; i++) b[i] = rng.NextSingle() - 0.5f;
                    for (int i = 0; i < c0.Length; i++) c0[i] = rng.NextSingle() - 0.5f;
                    var reference = (float[])c0.Clone();
                    var result = (float[])c0.Clone();
                    var options = new GemmOptions(Threads: threads, Path: GemmPath.Packed);
                    GemmPacking.RowOrderB = false;
                    GemmDriver.PacksPanelsAcrossDepth = false;
                    Occam.Numerics.Gemm.Multiply(options, ta, tb, m, n, k, 0.75f, a, ta ? m : k, b, tb ? k : n, 0.5f, reference, n);
                    GemmPacking.RowOrderB = true;
                    GemmDriver.PacksPanelsAcrossDepth = true;
                    Occam.Numerics.Gemm.Multiply(options, ta, tb, m, n, k, 0.75f, a, ta ? m : k, b, tb ? k : n, 0.5f, result, n);
                    for (int i = 0; i < result.Length; i++)
                        Assert.True(BitConverter.SingleToInt32Bits(result[i]) == BitConverter.SingleToInt32Bits(reference[i]),
                            $"{m}x{n}x{k} tA={ta} tB={tb} threads {threads}: C[{i}] = {result[i]} vs {reference[i]}");
                }
        }
        finally
        {
            GemmPacking.RowOrderB = savedRows;
            GemmDriver.PacksPanelsAcrossDepth = savedPanels;
        }
    }
}

[CollectionDefinition(nameof(GemmPackingOrderTests), DisableParallelization = true)]
public sealed class GemmPackingOrderCollection;
