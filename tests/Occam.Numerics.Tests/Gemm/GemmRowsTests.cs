using Occam.Numerics.Conversion;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests.Gemm;

/// <summary>
/// <see cref="Numerics.Gemm.MultiplyRows"/>: a product whose A or B rows are read through a row table is bit for bit the
/// product of the gathered rows (what a training step computed before on its gathered batch) — on the helper threads
/// for the big shapes (at the default thread count), on one thread for the small ones —, for
/// the shapes of a training step's first layer (forward X·Wᵀ with X's rows indexed, weight gradient ∂Yᵀ·X with X's rows
/// indexed) and odd ones (edge tiles, several k blocks, k = 0, repeated rows); a bias row given to the product is bit for bit
/// the bias rows written into C and β = 1 on every path; the packing through a table equals its definition element by
/// element; bad tables are refused with messages.
/// </summary>
public unsafe class GemmRowsTests
{
    private static float[] Random(Rng rng, int n)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)rng.NextNormal();
        return v;
    }

    private static int[] Table(Rng rng, int count, int rows)
    {
        var t = new int[count];
        for (int i = 0; i < count; i++) t[i] = rng.NextInt(rows);
        return t;
    }

    private static float[] Gather(float[] matrix, int ld, int width, int[] rows)
    {
        var g = new float[rows.Length * ld];
        for (int i = 0; i < rows.Length; i++) matrix.AsSpan(rows[i] * ld, width).CopyTo(g.AsSpan(i * ld));
        return g;
    }

    [Theory]
    [InlineData(256, 512, 784)]   // forward of a 784-512 layer on a batch of 256
    [InlineData(16, 512, 784)]    // the epoch's last, short batch
    [InlineData(37, 45, 300)]     // edge tiles, two k blocks
    [InlineData(5, 3, 7)]
    [InlineData(9, 33, 0)]
    public void RowsOfAGiveTheGatheredProduct(int m, int n, int k)
    {
        var rng = new Rng((ulong)(m * 1000 + n + k));
        int lda = k + 3, stored = 3 * m + 5;
        var a = Random(rng, stored * lda);
        var rows = Table(rng, m, stored);
        if (m > 2) rows[1] = rows[0];   // a row taken twice
        foreach (bool transposeB in new[] { true, false })
        {
            var b = Random(rng, Math.Max(n, k) * Math.Max(n, k) + 1);
            int ldb = transposeB ? k : n;
            var gathered = Gather(a, lda, k, rows);
            foreach (float beta in new[] { 0f, 1f })
            {
                var c0 = Random(new Rng(5UL), m * n);
                var c1 = (float[])c0.Clone();
                Numerics.Gemm.Multiply(false, transposeB, m, n, k, 1f, gathered, lda, b, ldb, beta, c0, n);
                Numerics.Gemm.MultiplyRows(false, transposeB, m, n, k, 1f, a, lda, rows, b, ldb, [], beta, c1, n);
                Assert.True(c0.AsSpan().SequenceEqual(c1), $"{m}×{n}×{k} transposeB={transposeB} beta={beta}");
            }
        }
    }

    [Theory]
    [InlineData(512, 784, 256)]   // ∂W of a 784-512 layer: ∂Yᵀ (512×256) · X (256 rows of 784)
    [InlineData(512, 784, 16)]    // the short batch (in place on AVX-512 when gathered: the same chains)
    [InlineData(40, 70, 300)]
    [InlineData(3, 5, 2)]
    public void RowsOfBGiveTheGatheredProduct(int m, int n, int k)
    {
        var rng = new Rng((ulong)(m * 7 + n * 3 + k));
        int ldb = n + 1, stored = 2 * k + 3;
        var b = Random(rng, stored * ldb);
        var rows = Table(rng, k, stored);
        foreach (bool transposeA in new[] { true, false })
        {
            var a = Random(rng, m * k + 1);
            int lda = transposeA ? m : k;
            var gathered = Gather(b, ldb, n, rows);
            var c0 = new float[m * n];
            var c1 = new float[m * n];
            Numerics.Gemm.Multiply(transposeA, false, m, n, k, 1f, a, lda, gathered, ldb, 0f, c0, n);
            Numerics.Gemm.MultiplyRows(transposeA, false, m, n, k, 1f, a, lda, [], b, ldb, rows, 0f, c1, n);
            Assert.True(c0.AsSpan().SequenceEqual(c1), $"{m}×{n}×{k} transposeA={transposeA}");
            // Each item packing its own panels of B̃ through the table (GemmSplit.ColumnsInItems): the same bits.
            for (int threads = 1; threads <= 3; threads++)
            {
                var c2 = new float[m * n];
                Numerics.Gemm.MultiplyRowsWith(new GemmOptions(Threads: threads, Path: GemmPath.Packed, Split: GemmSplit.ColumnsInItems),
                    transposeA, false, m, n, k, 1f, a, lda, [], b, ldb, rows, 0f, c2, n);
                Assert.True(c0.AsSpan().SequenceEqual(c2), $"{m}×{n}×{k} transposeA={transposeA} columns in items × {threads}");
            }
        }
    }

    [Theory]
    [InlineData(256, 512, 784, true)]    // a 784-512 layer's forward on a batch of 256 through the row table (packed, threaded)
    [InlineData(256, 256, 512, false)]   // a 512-256 layer's forward (packed, threaded)
    [InlineData(37, 45, 300, true)]      // edge tiles, two k blocks
    [InlineData(37, 45, 300, false)]
    [InlineData(256, 10, 256, false)]    // the output layer (in place on AVX-512: the bias rows written first)
    [InlineData(2, 512, 784, false)]     // a few rows (FewRows where supported)
    [InlineData(5, 3, 7, false)]         // direct loops
    [InlineData(9, 33, 0, true)]         // k = 0: C = the bias rows
    public void BiasGivesTheBiasRowsThenBetaOne(int m, int n, int k, bool table)
    {
        var rng = new Rng((ulong)(m * 31 + n * 7 + k));
        int lda = k + 1, stored = table ? 2 * m + 3 : m;
        var a = Random(rng, stored * lda);
        int[] rows = table ? Table(rng, m, stored) : [];
        var x = table ? Gather(a, lda, k, rows) : a;
        var w = Random(rng, n * k + 1);
        var bias = Random(rng, n);
        var expected = Random(rng, m * n);   // garbage: the bias overwrites it
        var actual = (float[])expected.Clone();
        for (int i = 0; i < m; i++) bias.CopyTo(expected, i * n);
        Numerics.Gemm.Multiply(false, true, m, n, k, 1f, x, lda, w, k, 1f, expected, n);
        Numerics.Gemm.MultiplyRows(false, true, m, n, k, 1f, a, lda, rows, w, k, [], 0f, actual, n, bias);
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{m}×{n}×{k} table={table}");
        Assert.Throws<ArgumentException>(() => Numerics.Gemm.MultiplyRows(false, true, m, n, k, 1f, a, lda, rows, w, k, [], 0f, actual, n, bias.AsSpan(1)));
    }

    [Fact]
    public void PackingThroughATableMatchesItsDefinition()
    {
        var rng = new Rng(78UL);
        foreach (int mr in new[] { 8, 6 })
            for (int mc = 1; mc <= 19; mc += 3)
                for (int kc = 0; kc <= 40; kc += kc < 10 ? 1 : 9)
                {
                    int ld = kc + 2, stored = 25;
                    var src = Random(rng, stored * ld + 1);
                    var rows = Table(rng, mc, stored);
                    int panels = (mc + mr - 1) / mr;
                    var dst = new float[panels * mr * kc];
                    Array.Fill(dst, float.NaN);
                    fixed (float* s = src)
                    fixed (float* d = dst)
                    fixed (int* r = rows)
                        GemmPackingRows.PackA(d, s, r, ld, mc, kc, mr);
                    for (int i = 0; i < panels * mr; i++)
                        for (int p = 0; p < kc; p++)
                        {
                            float expected = i < mc ? src[rows[i] * ld + p] : 0f;
                            Assert.True(dst[(i / mr) * mr * kc + p * mr + i % mr].Equals(expected), $"A mr {mr} mc {mc} kc {kc} i {i} p {p}");
                        }
                }
        foreach (int nr in new[] { 32, 16 })
            for (int nc = 1; nc <= 70; nc += 13)
            {
                int kc = 11, ld = nc + 1, stored = 20, panels = (nc + nr - 1) / nr;
                var src = Random(rng, stored * ld);
                var rows = Table(rng, kc, stored);
                var dst = new float[panels * nr * kc];
                Array.Fill(dst, float.NaN);
                fixed (float* s = src)
                fixed (float* d = dst)
                fixed (int* r = rows)
                    GemmPackingRows.PackB(d, s, r, ld, kc, nc, nr, 0, panels, (nint)nr * kc);
                for (int q = 0; q < panels; q++)
                    for (int p = 0; p < kc; p++)
                        for (int j = 0; j < nr; j++)
                        {
                            float expected = q * nr + j < nc ? src[rows[p] * ld + q * nr + j] : 0f;
                            Assert.True(dst[q * nr * kc + p * nr + j].Equals(expected), $"B nr {nr} nc {nc} q {q} p {p} j {j}");
                        }
            }
    }

    /// <summary>Random bytes (a quarter 0, as MNIST's background) and an accepted <see cref="ByteAffine"/> for them, with their float32 rows.</summary>
    private static (byte[] Bytes, double[] Shift, double[] Factor, float[] Floats) ByteMatrix(Rng rng, int rows, int columns)
    {
        var bytes = new byte[rows * columns];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = rng.NextInt(4) == 0 ? (byte)0 : (byte)rng.NextInt(256);
        var mean = new double[columns];
        var scale = new double[columns];
        for (int j = 0; j < columns; j++)
        {
            mean[j] = 255 * rng.NextDouble();
            scale[j] = j % 7 == 3 ? 1.0 : 0.5 + 100 * rng.NextDouble();
        }
        Assert.True(ByteAffine.TryCreate(mean, scale, columns, out var shift, out var factor));
        var floats = new float[bytes.Length];
        StandardizeToSingle.Apply(bytes, columns, mean, scale, floats);
        return (bytes, shift, factor, floats);
    }

    [Theory]
    [InlineData(256, 512, 784)]   // MNIST's forward X·W₁ᵀ on a batch of 256 (packed, threaded)
    [InlineData(16, 512, 784)]    // the epoch's last, short batch
    [InlineData(37, 45, 300)]     // edge tiles, two k blocks
    [InlineData(13, 40, 61)]
    [InlineData(9, 33, 0)]
    public void ByteRowsOfAGiveTheProductOfTheirFloatRows(int m, int n, int k)
    {
        var rng = new Rng((ulong)(m * 1000 + n + k + 7));
        int stored = 3 * m + 5;
        var (bytes, shift, factor, floats) = ByteMatrix(rng, stored, Math.Max(k, 1));
        int ld = Math.Max(k, 1);
        var rows = Table(rng, m, stored);
        if (m > 2) rows[1] = rows[0];
        var w = Random(rng, n * k + 1);
        var bias = Random(rng, n);
        foreach (bool withBias in new[] { false, true })
        {
            var c0 = Random(new Rng(5UL), m * n);
            var c1 = (float[])c0.Clone();
            Numerics.Gemm.MultiplyRows(false, true, m, n, k, 1f, floats, ld, rows, w, k, [], 1f, c0, n, withBias ? bias : []);
            Numerics.Gemm.MultiplyRows(false, true, m, n, k, 1f, [], ld, rows, w, k, [], 1f, c1, n, withBias ? bias : [],
                new StandardizedBytes(bytes, ld, shift, factor));
            Assert.True(c0.AsSpan().SequenceEqual(c1), $"{m}×{n}×{k} bias={withBias}");
        }
    }

    [Theory]
    [InlineData(512, 784, 256)]   // MNIST's ∂W₁ = ∂Z₁ᵀ·X
    [InlineData(512, 784, 16)]    // the short batch
    [InlineData(40, 70, 300)]
    [InlineData(3, 5, 2)]
    public void ByteRowsOfBGiveTheProductOfTheirFloatRows(int m, int n, int k)
    {
        var rng = new Rng((ulong)(m * 7 + n * 3 + k + 11));
        int stored = 2 * k + 3;
        var (bytes, shift, factor, floats) = ByteMatrix(rng, stored, n);
        var rows = Table(rng, k, stored);
        var a = Random(rng, m * k + 1);
        var c0 = new float[m * n];
        var c1 = new float[m * n];
        Numerics.Gemm.MultiplyRows(true, false, m, n, k, 1f, a, m, [], floats, n, rows, 0f, c0, n);
        Numerics.Gemm.MultiplyRows(true, false, m, n, k, 1f, a, m, [], [], n, rows, 0f, c1, n, default, new StandardizedBytes(bytes, n, shift, factor));
        Assert.True(c0.AsSpan().SequenceEqual(c1), $"{m}×{n}×{k}");
        for (int threads = 1; threads <= 3; threads++)
        {
            var c2 = new float[m * n];
            Numerics.Gemm.MultiplyRowsWith(new GemmOptions(Threads: threads, Path: GemmPath.Packed, Split: GemmSplit.ColumnsInItems),
                true, false, m, n, k, 1f, a, m, [], [], n, rows, 0f, c2, n, default, new StandardizedBytes(bytes, n, shift, factor));
            Assert.True(c0.AsSpan().SequenceEqual(c2), $"{m}×{n}×{k} columns in items × {threads}");
        }
    }

    [Fact]
    public void PackingByteRowsEqualsPackingTheirFloatRows()
    {
        // Both kernels' panel widths (MR 8 and 6, NR 32 and 16), every edge size, a block starting past column 0.
        var rng = new Rng(79UL);
        const int stored = 25, offset = 5;
        foreach (int mr in new[] { 8, 6 })
            for (int mc = 1; mc <= 19; mc += 3)
                for (int kc = 0; kc <= 40; kc += kc < 10 ? 1 : 9)
                {
                    int ld = kc + offset + 2;
                    var (bytes, shift, factor, floats) = ByteMatrix(rng, stored, ld);
                    var rows = Table(rng, mc, stored);
                    int size = (mc + mr - 1) / mr * mr * kc;
                    var expected = new float[size];
                    var actual = new float[size];
                    Array.Fill(actual, float.NaN);
                    fixed (float* s = floats)
                    fixed (byte* b = bytes)
                    fixed (double* ps = shift, pf = factor)
                    fixed (float* e = expected)
                    fixed (float* d = actual)
                    fixed (int* r = rows)
                    {
                        GemmPackingRows.PackA(e, s + offset, r, ld, mc, kc, mr);
                        GemmPackingRows.PackA(d, new IndexedByteLines(b + offset, r, ld, ps + offset, pf + offset), mc, kc, mr);
                    }
                    TestVectors.AssertBitwise(expected, actual, $"A mr {mr} mc {mc} kc {kc}");
                }
        foreach (int nr in new[] { 32, 16 })
            for (int nc = 1; nc <= 70; nc += 13)
                foreach (int kc in new[] { 1, 11 })
                {
                    int ld = nc + offset + 1, panels = (nc + nr - 1) / nr;
                    var (bytes, shift, factor, floats) = ByteMatrix(rng, stored, ld);
                    var rows = Table(rng, kc, stored);
                    var expected = new float[panels * nr * kc];
                    var actual = new float[panels * nr * kc];
                    Array.Fill(actual, float.NaN);
                    fixed (float* s = floats)
                    fixed (byte* b = bytes)
                    fixed (double* ps = shift, pf = factor)
                    fixed (float* e = expected)
                    fixed (float* d = actual)
                    fixed (int* r = rows)
                    {
                        GemmPackingRows.PackB(e, s + offset, r, ld, kc, nc, nr, 0, panels, (nint)nr * kc);
                        GemmPackingRows.PackB(d, new IndexedByteLines(b + offset, r, ld, ps + offset, pf + offset), kc, nc, nr, 0, panels, (nint)nr * kc);
                    }
                    TestVectors.AssertBitwise(expected, actual, $"B nr {nr} nc {nc} kc {kc}");
                }
    }

    [Fact]
    public void BadByteOperandsAreRefused()
    {
        var bytes = new byte[10 * 4];
        double[] shift = [0, 0, 0, 0], factor = [1, 1, 1, 1];
        var a = new float[10 * 4];
        var b = new float[4 * 3];
        var c = new float[2 * 3];
        Assert.Throws<ArgumentException>(() => Numerics.Gemm.MultiplyRows(false, false, 2, 3, 4, 1f, [], 4, [], b, 3, [], 0f, c, 3, default, new StandardizedBytes(bytes, 4, shift, factor)));
        Assert.Throws<ArgumentException>(() => Numerics.Gemm.MultiplyRows(false, false, 2, 3, 4, 1f, a, 4, [0, 1], b, 3, [], 0f, c, 3, default, new StandardizedBytes(bytes, 4, shift, factor)));
        Assert.Throws<ArgumentException>(() => Numerics.Gemm.MultiplyRows(false, false, 2, 3, 4, 1f, [], 5, [0, 1], b, 3, [], 0f, c, 3, default, new StandardizedBytes(bytes, 4, shift, factor)));
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => Numerics.Gemm.MultiplyRows(false, false, 2, 3, 4, 1f, [], 4, [0, 10], b, 3, [], 0f, c, 3, default, new StandardizedBytes(bytes, 4, shift, factor)));
        Assert.Contains("row 10 of a", outside.Message);
        Assert.Throws<ArgumentException>(() => new StandardizedBytes(bytes.AsSpan(1), 4, shift, factor));
        Assert.Throws<ArgumentException>(() => new StandardizedBytes(bytes, 4, shift.AsSpan(1), factor));
    }

    /// <summary>
    /// gatherA (session 9): the product that also gathers its table's rows of A — from bytes or floats, with and without
    /// a bias, β = 0 and 1, on the Vector256 kernel's direct-A path (rows split over items, each gathering its own rows),
    /// the packed-A path and a column split (gathered up front), at 1, 2 and 3 threads, and on the automatic kernel — gives
    /// the gathered copy in gatherA and, bit for bit, the product <see cref="Numerics.Gemm.Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    /// computes on that copy with the same forced internals.
    /// </summary>
    [Theory]
    [InlineData(256, 512, 784)]   // MNIST's forward X·W₁ᵀ on a batch of 256
    [InlineData(16, 512, 784)]    // the epoch's last, short batch
    [InlineData(37, 45, 300)]     // edge tiles, two k blocks
    [InlineData(13, 600, 61)]     // few row panels: the items split the columns
    [InlineData(5, 3, 7)]
    public void GatheringProductGivesTheCopyAndItsProduct(int m, int n, int k)
    {
        var rng = new Rng((ulong)(m * 31 + n * 7 + k + 3));
        int stored = 2 * m + 9;
        var (bytes, shift, factor, floats) = ByteMatrix(rng, stored, k);
        var rows = Table(rng, m, stored);
        if (m > 2) rows[2] = rows[0];
        var w = Random(rng, n * k);
        var bias = Random(rng, n);
        var expectedCopy = new float[m * k];
        for (int i = 0; i < m; i++) floats.AsSpan(rows[i] * k, k).CopyTo(expectedCopy.AsSpan(i * k, k));
        var configurations = new List<GemmOptions> { default };
        foreach (int threads in new[] { 1, 2, 3 })
            foreach (var path in new[] { GemmPath.PackedB, GemmPath.Packed })
            {
                configurations.Add(new GemmOptions(GemmKernel.V256, threads, path));
                configurations.Add(new GemmOptions(GemmKernel.V256, threads, path, GemmSplit.ColumnsInItems));
                configurations.Add(new GemmOptions(Threads: threads, Path: path, Split: GemmSplit.ColumnsInItems));
            }
        foreach (var options in configurations)
            foreach (bool fromBytes in new[] { true, false })
                foreach (bool withBias in new[] { false, true })
                    foreach (float beta in new[] { 0f, 1f })
                    {
                        string what = $"{m}×{n}×{k} {options} bytes={fromBytes} bias={withBias} beta={beta}";
                        var c0 = Random(new Rng(9UL), m * n);
                        var c1 = (float[])c0.Clone();
                        if (withBias)
                            for (int i = 0; i < m; i++) bias.CopyTo(c0.AsSpan(i * n, n));
                        Numerics.Gemm.Multiply(options, false, true, m, n, k, 1f, expectedCopy, k, w, k, withBias ? 1f : beta, c0, n);
                        var copy = new float[m * k + 3];
                        copy.AsSpan().Fill(float.NaN);
                        Numerics.Gemm.MultiplyRowsWith(options, false, true, m, n, k, 1f, fromBytes ? [] : floats, k, rows, w, k, [], beta, c1, n,
                            withBias ? bias : [], fromBytes ? new StandardizedBytes(bytes, k, shift, factor) : default, copy);
                        Assert.True(copy.AsSpan(0, m * k).SequenceEqual(expectedCopy), "copy " + what);
                        Assert.True(float.IsNaN(copy[m * k]), "past the copy " + what);
                        Assert.True(c0.AsSpan().SequenceEqual(c1), "product " + what);
                    }
    }

    [Fact]
    public void GatheringProductWithoutWorkStillGathers()
    {
        var rng = new Rng(17UL);
        var (bytes, shift, factor, floats) = ByteMatrix(rng, 6, 5);
        int[] rows = [4, 1, 1];
        var copy = new float[15];
        var c = new float[3 * 2];
        Numerics.Gemm.MultiplyRows(false, true, 3, 2, 5, 0f, [], 5, rows, new float[10], 5, [], 0f, c, 2, default,
            new StandardizedBytes(bytes, 5, shift, factor), copy);   // alpha = 0: A is not read, but gathered
        for (int i = 0; i < 3; i++) Assert.True(copy.AsSpan(i * 5, 5).SequenceEqual(floats.AsSpan(rows[i] * 5, 5)));
        copy.AsSpan().Clear();
        Numerics.Gemm.MultiplyRows(false, true, 3, 0, 5, 1f, floats, 5, rows, [], 5, [], 0f, [], 1, default, default, copy);   // n = 0
        for (int i = 0; i < 3; i++) Assert.True(copy.AsSpan(i * 5, 5).SequenceEqual(floats.AsSpan(rows[i] * 5, 5)));
        Assert.Throws<ArgumentException>(() => Numerics.Gemm.MultiplyRows(false, true, 3, 2, 5, 1f, floats, 5, rows, new float[10], 5, [], 0f, c, 2,
            default, default, new float[14]));   // too short
        Assert.Throws<ArgumentException>(() => Numerics.Gemm.MultiplyRows(false, true, 3, 2, 5, 1f, floats, 5, [], new float[10], 5, [], 0f, c, 2,
            default, default, new float[15]));   // no table
    }

    [Fact]
    public void GathersRowsInProductOnlyWhereTheVector256KernelReadsAInPlace()
    {
        bool v256 = GemmKernelInfo.AutoKind == GemmKernel.V256;
        Assert.Equal(v256, Numerics.Gemm.GathersRowsInProduct(256, 512, 784));   // MNIST's first layer
        Assert.False(Numerics.Gemm.GathersRowsInProduct(4, 8, 2));                 // direct loops
        Assert.Equal(v256 && !GemmFewRows.IsSupported, Numerics.Gemm.GathersRowsInProduct(2, 512, 784));   // a few rows: FewRows
        Assert.False(Numerics.Gemm.GathersRowsInProduct(512, 512, 784));         // op(A) past the direct-A bound: A is packed
        Assert.False(Numerics.Gemm.GathersRowsInProduct(0, 512, 784));
    }

    [Fact]
    public void PacksRowsOfFollowsThePathMultiplyTakes()
    {
        bool inPlace = GemmInPlace.IsPreferredKernel(GemmKernelInfo.AutoKind);
        bool v512 = GemmKernelInfo.AutoKind == GemmKernel.V512 && inPlace;
        Assert.False(Numerics.Gemm.PacksRowsOf(true, false, true, 4, 8, 2));        // direct loops (≤ 4096 multiply-adds)
        Assert.Equal(!GemmFewRows.IsSupported, Numerics.Gemm.PacksRowsOf(true, false, true, 2, 512, 784));   // a few rows: FewRows
        Assert.True(Numerics.Gemm.PacksRowsOf(false, true, false, 512, 784, 256));  // MNIST ∂W₁: B packed on every kernel
        // MNIST forward X·W₁ᵀ: A packed by the Vector512 kernel, read in place by the Vector256 one (direct A).
        Assert.Equal(GemmKernelInfo.AutoKind != GemmKernel.V256, Numerics.Gemm.PacksRowsOf(true, false, true, 256, 512, 784));
        // Narrow products take the in-place path on AVX-512 and AVX2 (op(A) of 512×784 is past the direct-A bound), a
        // product of 8 rows only on AVX-512 (the AVX2 tiles' one-tile bound is 6 rows).
        Assert.Equal(!inPlace, Numerics.Gemm.PacksRowsOf(true, false, true, 512, 16, 784));
        Assert.Equal(!v512, Numerics.Gemm.PacksRowsOf(false, true, false, 8, 784, 256));
        Assert.Equal(!inPlace, Numerics.Gemm.PacksRowsOf(false, true, false, 6, 784, 256));
    }

    [Fact]
    public void BadTablesAreRefused()
    {
        var a = new float[10 * 4];
        var b = new float[4 * 3];
        var c = new float[2 * 3];
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => Numerics.Gemm.MultiplyRows(false, false, 2, 3, 4, 1f, a, 4, [0, 10], b, 3, [], 0f, c, 3));
        Assert.Contains("row 10 of a", outside.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Numerics.Gemm.MultiplyRows(false, false, 2, 3, 4, 1f, a, 4, [-1, 0], b, 3, [], 0f, c, 3));
        var count = Assert.Throws<ArgumentException>(() => Numerics.Gemm.MultiplyRows(false, false, 2, 3, 4, 1f, a, 4, [0], b, 3, [], 0f, c, 3));
        Assert.Contains("1 entries", count.Message);
        Assert.Throws<ArgumentException>(() => Numerics.Gemm.MultiplyRows(true, false, 2, 3, 4, 1f, a, 2, [0, 1], b, 3, [], 0f, c, 3));
        Assert.Throws<ArgumentException>(() => Numerics.Gemm.MultiplyRows(false, true, 2, 3, 4, 1f, a, 4, [], b, 4, [0, 1, 2, 3], 0f, c, 3));
    }
}
