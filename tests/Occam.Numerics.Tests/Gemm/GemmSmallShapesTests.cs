using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests.Gemm;

using Gemm = Occam.Numerics.Gemm;
using Problem = GemmTests.Problem;

/// <summary>
/// The tiny path (<see cref="GemmTiny"/>) and the in-place path's large shallow products (C's stores aligned to
/// 64-byte lines, <see cref="GemmInPlace.AlignShallow"/>; split over the threads below the parallel bound,
/// <see cref="GemmInPlace.AutoThreads"/>): bit for bit the direct path's results, C outside the product untouched.
/// The store rules (<see cref="GemmInPlace.AlignShallow"/>, <see cref="GemmInPlace.LineWindows"/>) are forced on where
/// these tests exercise them (on AMD they are off by default): not in parallel with each other. Other tests running
/// meanwhile see the same bits either way.
/// </summary>
[Collection(nameof(GemmStoreRulesCollection))]
public class GemmSmallShapesTests
{
    /// <summary>Both store rules on until disposed, then as they were.</summary>
    private sealed class StoreRulesOn : IDisposable
    {
        private readonly bool _align = GemmInPlace.AlignShallow, _windows = GemmInPlace.LineWindows;

        public StoreRulesOn()
        {
            GemmInPlace.AlignShallow = true;
            GemmInPlace.LineWindows = true;
        }

        public void Dispose()
        {
            GemmInPlace.AlignShallow = _align;
            GemmInPlace.LineWindows = _windows;
        }
    }

    /// <summary><see cref="GemmInPlace.WideShallowTiles"/> as given until disposed, then as it was.</summary>
    private sealed class WideTiles : IDisposable
    {
        private readonly bool _saved = GemmInPlace.WideShallowTiles;

        public WideTiles(bool on) => GemmInPlace.WideShallowTiles = on;

        public void Dispose() => GemmInPlace.WideShallowTiles = _saved;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WideShallowTilesAreBitIdenticalToTheDirectPathAndToTheTwoVectorTiles(bool ta)
    {
        // Shallow products with at least 64 columns on the 64-column tiles (up to 6 rows × 4 vectors): every tile height
        // (m 1..13 and more tiles), full and partial last strips (n 64..257), depths 1..16, alpha/beta cases with NaN in C
        // when beta = 0, padded leading dimensions, 1-3 threads (row bands, and column bands for few rows); the double
        // reference within 1e-5 of the terms' magnitude, the scalar direct path and the two-vector tiles bit for bit,
        // nothing outside C written (Problem.Check).
        var rng = new Rng(ta ? 77UL : 78UL);
        int[] ms = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 25, 37, 130];
        int[] ns = [64, 65, 79, 100, 128, 130, 191, 192, 257];
        int[] ks = [1, 2, 3, 10, 16];
        (float, float)[] alphaBeta = [(1f, 0f), (1f, 1f), (-0.5f, 2f), (0.75f, 0f)];
        var inPlace = new GemmOptions(GemmKernel.V512, 1, GemmPath.InPlace);
        GemmOptions[] threaded = [inPlace with { Threads = 2 }, inPlace with { Threads = 3 }];
        foreach (int m in ms)
            foreach (int n in ns)
                foreach (int k in ks)
                {
                    if (m > 13 && rng.NextInt(3) != 0) continue;   // a random third of the tall cases
                    (float alpha, float beta) = alphaBeta[rng.NextInt(alphaBeta.Length)];
                    var problem = Problem.Create(rng, ta, false, m, n, k, alpha, beta, nanC: beta == 0);
                    float[] expected = problem.Run(new GemmOptions(GemmKernel.Scalar, 1, GemmPath.Direct));
                    float[] narrow, wide;
                    using (new WideTiles(false)) narrow = problem.Run(inPlace);
                    using (new WideTiles(true))
                    {
                        Assert.True(GemmInPlace.UsesWideTiles(false, k, v256: false));
                        wide = problem.Run(inPlace);
                        problem.Check(wide, $"wide {problem}");
                        Assert.True(expected.AsSpan().SequenceEqual(wide), $"wide tiles differ from the direct path: {problem}");
                        Assert.True(narrow.AsSpan().SequenceEqual(wide), $"wide tiles differ from the two-vector tiles: {problem}");
                        if (m * n * k > 40_000 && rng.NextInt(2) != 0) continue;
                        foreach (var options in threaded)
                            Assert.True(expected.AsSpan().SequenceEqual(problem.Run(options)), $"wide tiles on {options.Threads} threads: {problem}");
                    }
                }
    }

    [Fact]
    public void WideTilesAreTakenOnlyByShallowProductsWithBInRowsOnTheSixteenFloatTiles()
    {
        using var on = new WideTiles(true);
        Assert.True(GemmInPlace.UsesWideTiles(false, 10, v256: false));                            // NN 256×10×256 (dX3)
        Assert.True(GemmInPlace.UsesWideTiles(false, GemmInPlace.MaxShallowDepth, v256: false));
        Assert.False(GemmInPlace.UsesWideTiles(false, GemmInPlace.MaxShallowDepth + 1, v256: false));   // deeper
        Assert.False(GemmInPlace.UsesWideTiles(true, 10, v256: false));                             // B transposed: packed strips
        Assert.False(GemmInPlace.UsesWideTiles(false, 10, v256: true));                             // the 8-float tiles
        Assert.Equal((2, 6, 0), GemmInPlace.TileRows(12, 4, v256: false));                          // heights of at most 6
        Assert.Equal((3, 4, 1), GemmInPlace.TileRows(13, 4, v256: false));
        using var off = new WideTiles(false);
        Assert.False(GemmInPlace.UsesWideTiles(false, 10, v256: false));
    }

    [Fact]
    public void StoreRulesAreOnExceptOnAmdProcessors()
    {
        // The vendor as Linux reports it (/proc/cpuinfo), against GemmInPlace's own CPUID reading.
        if (!OperatingSystem.IsLinux() || !System.Runtime.Intrinsics.X86.X86Base.IsSupported) return;
        string? vendor = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("vendor_id", StringComparison.Ordinal));
        Assert.NotNull(vendor);
        bool amd = vendor.EndsWith("AuthenticAMD", StringComparison.Ordinal);
        Assert.Equal(!amd, GemmInPlace.StraddlingStoresCostly);
        Assert.Equal(GemmInPlace.StraddlingStoresCostly, GemmInPlace.AlignShallow);   // the defaults (nothing in this collection runs meanwhile)
        Assert.Equal(GemmInPlace.StraddlingStoresCostly, GemmInPlace.LineWindows);
        Assert.Equal(!GemmInPlace.StraddlingStoresCostly, GemmInPlace.WideShallowTiles);
    }

    public static TheoryData<float, float> AlphaBeta() => new()
    {
        { 1f, 0f }, { 1f, 1f }, { -0.5f, 2f }, { 2f, -1f }, { 0.75f, 0f },
    };

    [Theory]
    [MemberData(nameof(AlphaBeta))]
    public void TinyPathIsBitIdenticalToTheDirectPathOnEveryShape(float alpha, float beta)
    {
        // Every row-tile height (m 1..13: tiles of 1..12 rows, then two tiles) and more tiles, every column count of the
        // one masked vector (n 1..16), depths 1 to one whole k block, all four transposes, padded leading
        // dimensions (NaN padding in A and B, -7 around C), NaN in C when beta = 0.
        var rng = new Rng(314UL + (ulong)(alpha * 8 + beta * 64 + 1000));
        int[] ms = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 23, 24, 25, 37];
        int[] ks = [1, 2, 3, 4, 9, 16, 255, 256];
        for (int t = 0; t < 4; t++)
            foreach (int m in ms)
                for (int n = 1; n <= GemmTiny.MaxColumns; n++)
                    foreach (int k in ks)
                    {
                        if (k > 16 && rng.NextInt(4) != 0) continue;   // a random quarter of the deep cases
                        var problem = Problem.Create(rng, (t & 1) != 0, (t & 2) != 0, m, n, k, alpha, beta, nanC: beta == 0);
                        float[] expected = problem.Run(new GemmOptions(GemmKernel.Scalar, 1, GemmPath.Direct));
                        problem.Check(expected, $"direct {problem}");
                        float[] tiny = problem.Run(new GemmOptions(Path: GemmPath.Tiny));
                        Assert.True(expected.AsSpan().SequenceEqual(tiny), $"tiny path differs from direct: {problem}");
                        float[] auto = problem.Run(default);
                        Assert.True(expected.AsSpan().SequenceEqual(auto), $"automatic path differs from direct: {problem}");
                    }
    }

    [Fact]
    public void AutomaticPathTakesTheTinyPathForTheSmallNetworksProducts()
    {
        // The 2-8-1 step at batch 4: fwd1 NT 4×2×8, dW1 TN 8×4×2, fwd2 NT 4×8×1, dW2 TN 1×4×8, dX2 NN 4×1×8 (m×k×n),
        // the small set's 4×2×8 and TT.
        (bool TA, bool TB, int M, int K, int N)[] shapes = [(false, true, 4, 2, 8), (true, false, 8, 4, 2), (false, true, 4, 8, 1),
            (true, false, 1, 4, 8), (false, false, 4, 1, 8), (false, false, 4, 2, 8), (true, false, 4, 2, 8), (false, false, 8, 4, 2), (true, true, 8, 4, 2)];
        var rng = new Rng(2UL);
        foreach (var (ta, tb, m, k, n) in shapes)
        {
            Assert.Equal(GemmTiny.IsSupported ? GemmPath.Tiny : GemmPath.Direct, Gemm.AutoPath(ta, tb, m, n, k));
            var p = Problem.Create(rng, ta, tb, m, n, k, 1f, 0f, nanC: true);
            float[] expected = p.Run(new GemmOptions(GemmKernel.Scalar, 1, GemmPath.Direct));
            var c = (float[])p.C0.Clone();
            Gemm.Multiply(p.TA, p.TB, p.M, p.N, p.K, 1f, p.A, p.Lda, p.B, p.Ldb, 0f, c, p.Ldc);   // the public entry
            Assert.True(expected.AsSpan().SequenceEqual(c), $"public Multiply differs from direct: {p}");
        }
        // Above the direct path's size, n > 16, k > 256: other paths.
        Assert.NotEqual(GemmPath.Tiny, Gemm.AutoPath(false, false, 300, 16, 1));
        Assert.NotEqual(GemmPath.Tiny, Gemm.AutoPath(false, false, 2, 17, 4));
        Assert.NotEqual(GemmPath.Tiny, Gemm.AutoPath(false, false, 1, 1, 257));
    }

    [Fact]
    public void TinyShapesStillCheckTheirArgumentsAndHonourAlphaZero()
    {
        float[] a = new float[8 * 4], b = new float[4 * 2], c = new float[16];
        // C one element short, A one short, lda too small: the same exceptions as every other shape.
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 8, 2, 4, 1f, a, 4, b, 2, 0f, c.AsSpan(0, 15), 2));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 8, 2, 4, 1f, a.AsSpan(0, 31), 4, b, 2, 0f, c, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 8, 2, 4, 1f, a, 3, b, 2, 0f, c, 2));
        // alpha = 0: A and B are not read (NaN there), C = beta·C.
        Array.Fill(a, float.NaN);
        Array.Fill(b, float.NaN);
        Array.Fill(c, 3f);
        Gemm.Multiply(false, false, 8, 2, 4, 0f, a, 4, b, 2, 0.5f, c, 2);
        Assert.All(c, x => Assert.True(x == 1.5f));
    }

    public static TheoryData<bool, int, int, int> LargeShallowShapes() => new()
    {
        { false, 256, 10, 256 },   // 784-512-256-10's dX3 (m×k×n)
        { true, 256, 10, 256 },
        { false, 300, 7, 230 },    // rows and columns off every tile and line boundary
        { false, 64, 16, 1024 },
        { false, 256, 1, 256 },
        { false, 8192, 3, 40 },    // tall: the columns before C's first line boundary alone are a large shallow product too
    };

    [Theory]
    [MemberData(nameof(LargeShallowShapes))]
    public void LargeShallowProductsAreBitIdenticalAtEveryAlignmentOfC(bool ta, int m, int k, int n)
    {
        // C placed at each of the 16 float offsets inside a 64-byte line, with ldc a multiple of 16 (every row at that
        // offset: the aligned split applies) and not (it does not); automatic threads, 1-3 threads, alpha/beta cases
        // with NaN in C when beta = 0; the direct path's bits, and nothing outside C written.
        Assert.True(GemmInPlace.SplitsLargeShallow(false, m, n, k, v256: false));
        using var rules = new StoreRulesOn();
        var rng = new Rng((ulong)(m * 7 + k * 131 + n) + (ta ? 5UL : 0));
        int lda = ta ? m : k;
        float[] a = Fill(rng, (ta ? k : m) * lda), b = Fill(rng, k * n);
        foreach (int ldc in new[] { (n + 15) / 16 * 16, n + 3 })
            for (int offset = 0; offset < 16; offset++)
            {
                if (ldc % 16 != 0 && offset % 5 != 0) continue;   // unaligned rows: a few offsets
                (float alpha, float beta) = (offset % 4) switch { 0 => (1f, 0f), 1 => (1f, 1f), 2 => (-0.5f, 2f), _ => (0.75f, 0f) };
                float[] c0 = Fill(rng, m * ldc);
                if (beta == 0)
                    for (int i = 0; i < c0.Length; i += 3) c0[i] = float.NaN;
                float[] expected = (float[])c0.Clone();
                Gemm.Multiply(new GemmOptions(GemmKernel.Scalar, 1, GemmPath.Direct), ta, false, m, n, k, alpha, a, lda, b, n, beta, expected, ldc);
                foreach (var options in new GemmOptions[] { default, new(Threads: 1), new(Threads: 2), new(Threads: 3), new(Threads: 2, Path: GemmPath.InPlace) })
                {
                    float[] got = RunAt(offset, options, ta, m, n, k, alpha, a, lda, b, beta, c0, ldc);
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < ldc; j++)
                        {
                            int at = i * ldc + j;
                            bool same = j < n ? BitConverter.SingleToInt32Bits(got[at]) == BitConverter.SingleToInt32Bits(expected[at])
                                : BitConverter.SingleToInt32Bits(got[at]) == BitConverter.SingleToInt32Bits(c0[at]);
                            Assert.True(same, $"{(ta ? "TN" : "NN")} {m}x{k}x{n} ldc {ldc} offset {offset} alpha {alpha} beta {beta} {options}: C({i},{j}) = {got[at]}, expected {(j < n ? expected[at] : c0[at])}");
                        }
                }
            }
    }

    public static TheoryData<int, int, int> LineWindowShapes() => new()
    {
        { 128, 4, 128 },    // m×k×n: 8-row tiles, 9 windows per row off a boundary
        { 128, 1, 128 },
        { 17, 1, 1000 },    // three tiles of 5-6 rows, many windows
        { 23, 3, 713 },     // columns off every line and strip boundary
        { 200, 4, 82 },     // rows off every tile height
        { 500, 3, 33 },     // just over two vectors' columns: the last window alone or a whole strip
        { 131, 4, 126 },
        { 64, 2, 272 },
        { 9, 4, 2033 },     // the widest op(B) the strip buffer holds at k = 4 (128 windows at offset 15)
    };

    [Theory]
    [MemberData(nameof(LineWindowShapes))]
    public void LineWindowProductsAreBitIdenticalAtEveryAlignmentOfC(int m, int k, int n)
    {
        // Shallow NN products with C at each of the 16 float offsets inside a 64-byte line: with ldc a multiple of 16
        // (and with ldc = n each row's last window shares a line with the next row's first) the line
        // windows apply at offsets 1..15, with other ldc they do not; alpha/beta cases with NaN in C when beta = 0,
        // 1-3 threads, op(A) as stored and transposed; the direct path's bits, nothing outside C written.
        Assert.True(GemmInPlace.WritesLineWindows(false, m, n, k, v256: false));
        using var rules = new StoreRulesOn();
        var rng = new Rng((ulong)(m * 7 + k * 131 + n));
        foreach (bool ta in new[] { false, true })
        {
            int lda = ta ? m : k;
            float[] a = Fill(rng, (ta ? k : m) * lda), b = Fill(rng, k * n);
            foreach (int ldc in new[] { (n + 15) / 16 * 16, (n + 15) / 16 * 16 + 32, n + 1 })
                for (int offset = 0; offset < 16; offset++)
                {
                    if (ldc % 16 != 0 && offset % 7 != 0) continue;   // unaligned rows: a few offsets
                    if (ta && offset % 3 != 0) continue;
                    (float alpha, float beta) = ((offset + (ta ? 1 : 0)) % 5) switch
                    {
                        0 => (1f, 0f), 1 => (1f, 1f), 2 => (-0.5f, 2f), 3 => (2f, -1f), _ => (0.75f, 0f),
                    };
                    float[] c0 = Fill(rng, m * ldc);
                    if (beta == 0)
                        for (int i = 0; i < c0.Length; i += 3) c0[i] = float.NaN;
                    float[] expected = (float[])c0.Clone();
                    Gemm.Multiply(new GemmOptions(GemmKernel.Scalar, 1, GemmPath.Direct), ta, false, m, n, k, alpha, a, lda, b, n, beta, expected, ldc);
                    foreach (var options in new GemmOptions[] { default, new(Threads: 2, Path: GemmPath.InPlace), new(Threads: 3, Path: GemmPath.InPlace) })
                    {
                        float[] got = RunAt(offset, options, ta, m, n, k, alpha, a, lda, b, beta, c0, ldc);
                        for (int i = 0; i < m; i++)
                            for (int j = 0; j < ldc; j++)
                            {
                                int at = i * ldc + j;
                                bool same = j < n ? BitConverter.SingleToInt32Bits(got[at]) == BitConverter.SingleToInt32Bits(expected[at])
                                    : BitConverter.SingleToInt32Bits(got[at]) == BitConverter.SingleToInt32Bits(c0[at]);
                                Assert.True(same, $"{(ta ? "TN" : "NN")} {m}x{k}x{n} ldc {ldc} offset {offset} alpha {alpha} beta {beta} {options}: C({i},{j}) = {got[at]}, expected {(j < n ? expected[at] : c0[at])}");
                            }
                    }
                }
        }
    }

    [Fact]
    public void LineWindowsApplyOnlyToProductsOfDepthAtMostFourWith64To256KiBOfCWhoseShiftedBFitsTheStrip()
    {
        Assert.True(GemmInPlace.WritesLineWindows(false, 128, 128, 4, v256: false));
        Assert.False(GemmInPlace.WritesLineWindows(false, 128, 128, 10, v256: false));    // 64-128-10's dX2: deeper than 4
        Assert.False(GemmInPlace.WritesLineWindows(false, 256, 256, 4, v256: false));     // C 256 KiB: the large shallow rule
        Assert.True(GemmInPlace.WritesLineWindows(false, 9, 2033, 4, v256: false));       // 4 × 2048 floats: the strip buffer
        Assert.False(GemmInPlace.WritesLineWindows(false, 9, 2034, 4, v256: false));      // 4 × 2064: more than it holds
        Assert.False(GemmInPlace.WritesLineWindows(false, 64, 255, 4, v256: false));      // C under 2^14 elements (fits L1)
        Assert.False(GemmInPlace.WritesLineWindows(false, 2048, 16, 4, v256: false));     // one vector per row
        Assert.False(GemmInPlace.WritesLineWindows(true, 128, 128, 4, v256: false));      // B transposed
        Assert.False(GemmInPlace.WritesLineWindows(false, 128, 128, 4, v256: true));      // the 8-float tiles
    }

    [Fact]
    public void OnlyLargeShallowProductsOnTheSixteenFloatTilesAreSplitBelowTheParallelBound()
    {
        // Gemm.MaxThreads is not read here (a test elsewhere sets it): the split ones are those SplitsLargeShallow names.
        Assert.True(GemmInPlace.SplitsLargeShallow(false, 256, 256, 10, v256: false));
        Assert.True(GemmInPlace.SplitsLargeShallow(false, 64, 1024, 16, v256: false));
        Assert.False(GemmInPlace.SplitsLargeShallow(false, 128, 128, 10, v256: false));
        Assert.Equal(1, GemmInPlace.AutoThreads(false, 128, 128, 10, v256: false));    // 64-128-10's dX2: C 64 KiB
        Assert.Equal(1, GemmInPlace.AutoThreads(false, 256, 256, 10, v256: true));     // the 8-float tiles: unchanged
        Assert.Equal(1, GemmInPlace.AutoThreads(true, 256, 256, 10, v256: false));     // B transposed (NT 256×10×256)
        Assert.False(GemmInPlace.SplitsLargeShallow(false, 256, 256, 17, v256: false));   // deeper than the shallow bound
        Assert.Equal(1, GemmInPlace.AutoThreads(false, 10, 256, 256, v256: false));    // 784-512-256-10's dW3 (C 10×256)
    }

    /// <summary>The product with C copied to <paramref name="offset"/> floats past a 64-byte boundary; returns C (m·ldc) with what lies around it checked.</summary>
    private static unsafe float[] RunAt(int offset, GemmOptions options, bool ta, int m, int n, int k, float alpha, float[] a, int lda, float[] b,
        float beta, float[] c0, int ldc)
    {
        float[] buffer = GC.AllocateArray<float>(c0.Length + 48, pinned: true);
        buffer.AsSpan().Fill(-7f);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        int start = (int)((64 - (address & 63)) & 63) / 4 + offset + 16;
        c0.CopyTo(buffer, start);
        Gemm.Multiply(options, ta, false, m, n, k, alpha, a, lda, b, n, beta, buffer.AsSpan(start, c0.Length), ldc);
        Assert.Equal(offset, (int)(((address + start * 4) & 63) / 4));
        for (int i = 0; i < buffer.Length; i++)
            if (i < start || i >= start + c0.Length)
                Assert.True(buffer[i] == -7f, $"element {i - start} outside C was written");
        return buffer.AsSpan(start, c0.Length).ToArray();
    }

    private static float[] Fill(Rng rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextSingle() * 2 - 1;
        return x;
    }
}

[CollectionDefinition(nameof(GemmStoreRulesCollection), DisableParallelization = true)]
public sealed class GemmStoreRulesCollection;
