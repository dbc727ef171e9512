using Occam.Numerics.Random;

namespace Occam.Numerics.Tests.Gemm;

using Gemm = Occam.Numerics.Gemm;

/// <summary>
/// SGEMM against a naive double-precision reference: every transpose combination, every kernel,
/// both paths, 1-3 threads, tails of every tile width, padded leading dimensions, alpha/beta cases.
/// Tolerance: |c − ref| ≤ 1e-5·(|alpha|·Σ|a||b| + |beta·c0|) + 1e-30, well above float32 rounding of
/// a k ≤ 800 dot product with fused multiply-adds, far below any indexing error.
/// </summary>
public class GemmTests
{
    internal static readonly GemmKernel[] Kernels = [GemmKernel.Scalar, GemmKernel.V128, GemmKernel.V256, GemmKernel.V512];
    private static readonly int[] Ns = [0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 23, 31, 32, 33, 47, 48, 63, 64, 65];
    private static readonly int[] Ks = [0, 1, 2, 5, 17, 40];

    /// <summary>A test problem: stored A, B and C with padded leading dimensions (padding is NaN).</summary>
    internal sealed class Problem
    {
        public required bool TA, TB;
        public required int M, N, K, Lda, Ldb, Ldc;
        public required float[] A, B, C0;
        public required float Alpha, Beta;

        public static Problem Create(Rng rng, bool ta, bool tb, int m, int n, int k, float alpha, float beta,
            int pad = -1, bool nanC = false)
        {
            int P() => pad >= 0 ? pad : rng.NextInt(4);
            int lda = (ta ? m : k) + P(), ldb = (tb ? k : n) + P(), ldc = n + P();
            return new Problem
            {
                TA = ta, TB = tb, M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc, Alpha = alpha, Beta = beta,
                A = Fill(rng, ta ? k : m, ta ? m : k, lda, float.NaN),
                B = Fill(rng, tb ? n : k, tb ? k : n, ldb, float.NaN),
                C0 = nanC ? Fill(rng, m, n, ldc, -7f, inside: float.NaN) : Fill(rng, m, n, ldc, -7f),
            };
        }

        /// <summary>rows×cols values in [-1, 1) at leading dimension ld; the padding holds <paramref name="padding"/>.</summary>
        private static float[] Fill(Rng rng, int rows, int cols, int ld, float padding, float? inside = null)
        {
            var x = new float[Math.Max(0, rows * ld)];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < ld; j++)
                    x[i * ld + j] = j < cols ? inside ?? rng.NextSingle() * 2 - 1 : padding;
            return x;
        }

        public float[] Run(GemmOptions options)
        {
            var c = (float[])C0.Clone();
            Numerics.Gemm.Multiply(options, TA, TB, M, N, K, Alpha, A, Lda, B, Ldb, Beta, c, Ldc);
            return c;
        }

        private double[]? _expected, _scale;

        /// <summary>The double-precision reference and its error scale, computed once per problem.</summary>
        private void Reference()
        {
            if (_expected is not null) return;
            _expected = new double[M * N];
            _scale = new double[M * N];
            var rowA = new double[K];
            for (int i = 0; i < M; i++)
            {
                for (int p = 0; p < K; p++) rowA[p] = TA ? A[p * Lda + i] : A[i * Lda + p];
                for (int j = 0; j < N; j++)
                {
                    double sum = 0, bound = 0;
                    for (int p = 0; p < K && Alpha != 0; p++)
                    {
                        double term = rowA[p] * (TB ? B[j * Ldb + p] : B[p * Ldb + j]);
                        sum += term;
                        bound += Math.Abs(term);
                    }
                    double expected = Alpha * sum, scale = Math.Abs(Alpha) * bound;
                    if (Beta != 0)
                    {
                        expected += (double)Beta * C0[i * Ldc + j];
                        scale += Math.Abs((double)Beta * C0[i * Ldc + j]);
                    }
                    _expected[i * N + j] = expected;
                    _scale[i * N + j] = scale;
                }
            }
        }

        public void Check(float[] c, string label)
        {
            Reference();
            for (int i = 0; i < M; i++)
            {
                for (int j = 0; j < Ldc; j++)
                {
                    int at = i * Ldc + j;
                    if (j >= N)
                    {
                        Assert.True(c[at] == -7f, $"{label}: C padding ({i},{j}) was overwritten");
                        continue;
                    }
                    double expected = _expected![i * N + j], allowed = 1e-5 * _scale![i * N + j] + 1e-30;
                    double error = Math.Abs(c[at] - expected);
                    Assert.True(error <= allowed,
                        $"{label}: C({i},{j}) = {c[at]}, expected {expected} (error {error:E2}, allowed {allowed:E2})");
                }
            }
        }

        public override string ToString() =>
            $"{(TA ? "T" : "N")}{(TB ? "T" : "N")} m={M} n={N} k={K} lda={Lda} ldb={Ldb} ldc={Ldc} alpha={Alpha} beta={Beta}";
    }

    public static TheoryData<string> KernelData() => new(Kernels.Select(k => k.ToString()));

    [Theory]
    [MemberData(nameof(KernelData))]
    public void PackedPathMatchesReferenceOnEveryTail(string kernelName)
    {
        var kernel = Enum.Parse<GemmKernel>(kernelName);
        var rng = new Rng(1000UL + (ulong)kernel);
        var options = new GemmOptions(kernel, Threads: 1, Path: GemmPath.Packed);
        for (int m = 0; m <= 17; m++)
            foreach (int n in Ns)
                foreach (int k in Ks)
                {
                    bool ta = rng.NextInt(2) == 1, tb = rng.NextInt(2) == 1;
                    var problem = Problem.Create(rng, ta, tb, m, n, k, 1f, 0f, nanC: true);
                    problem.Check(problem.Run(options), $"{kernel} {problem}");
                }
    }

    [Fact]
    public void PackedBPathMatchesReferenceOnEveryTail()
    {
        // op(A) read in place by the strided Vector256 kernel: every row tail (m mod 6), column tail
        // and k tail, all four transposes, with lda/ldb/ldc padding.
        var rng = new Rng(4242UL);
        var options = new GemmOptions(GemmKernel.V256, Threads: 1, Path: GemmPath.PackedB);
        for (int m = 0; m <= 17; m++)
            foreach (int n in Ns)
                foreach (int k in Ks)
                    for (int t = 0; t < 4; t++)
                    {
                        var problem = Problem.Create(rng, (t & 1) != 0, (t & 2) != 0, m, n, k, 1f, 0f, nanC: true);
                        problem.Check(problem.Run(options), $"packed B {problem}");
                    }
    }

    [Fact]
    public void DirectPathMatchesReferenceOnEveryTail()
    {
        var rng = new Rng(77UL);
        var options = new GemmOptions(Path: GemmPath.Direct);
        for (int m = 0; m <= 17; m++)
            foreach (int n in Ns)
                foreach (int k in Ks)
                    for (int t = 0; t < 4; t++)
                    {
                        var problem = Problem.Create(rng, (t & 1) != 0, (t & 2) != 0, m, n, k, 1f, 0f, nanC: true);
                        problem.Check(problem.Run(options), $"direct {problem}");
                    }
    }

    public static TheoryData<bool, bool> Transposes() => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(Transposes))]
    public void EveryPathKernelAndThreadCountGivesBitIdenticalResults(bool ta, bool tb)
    {
        var rng = new Rng(5UL);
        (int M, int N, int K)[] shapes = [(1, 1, 1), (7, 9, 3), (13, 33, 40), (17, 65, 257), (6, 16, 256), (50, 70, 300), (97, 5, 600)];
        foreach (var (m, n, k) in shapes)
        {
            var problem = Problem.Create(rng, ta, tb, m, n, k, 0.75f, 0.5f);
            float[] expected = problem.Run(new GemmOptions(GemmKernel.Scalar, 1, GemmPath.Direct));
            problem.Check(expected, $"direct {problem}");
            foreach (var kernel in Kernels)
                for (int threads = 1; threads <= 3; threads++)
                {
                    float[] c = problem.Run(new GemmOptions(kernel, threads, GemmPath.Packed));
                    Assert.True(expected.AsSpan().SequenceEqual(c), $"{kernel} × {threads} threads differs from direct: {problem}");
                }
            for (int threads = 1; threads <= 3; threads++)
            {
                float[] c = problem.Run(new GemmOptions(GemmKernel.V256, threads, GemmPath.PackedB));
                Assert.True(expected.AsSpan().SequenceEqual(c), $"packed B × {threads} threads differs from direct: {problem}");
                c = problem.Run(new GemmOptions(GemmKernel.V256, threads, GemmPath.PackedB, GemmSplit.ColumnsInItems));
                Assert.True(expected.AsSpan().SequenceEqual(c), $"packed B, columns in items × {threads} threads differs from direct: {problem}");
                foreach (var split in new[] { GemmSplit.Shared, GemmSplit.ColumnsInItems })
                    foreach (var kernel in Kernels)
                    {
                        c = problem.Run(new GemmOptions(kernel, threads, GemmPath.Packed, split));
                        Assert.True(expected.AsSpan().SequenceEqual(c), $"{kernel} {split} × {threads} threads differs from direct: {problem}");
                    }
            }
        }
    }

    [Theory]
    [MemberData(nameof(AlphaBeta))]
    public void FewRowsPathIsBitIdenticalToTheOthersOnEveryTail(float alpha, float beta)
    {
        if (!GemmFewRows.IsSupported) return;   // the path is never taken without AVX2 + FMA
        var rng = new Rng(9UL);
        for (int m = 1; m <= GemmFewRows.MaxRows; m++)
            foreach (int n in new[] { 1, 5, 8, 9, 16, 23, 33 })
                foreach (int k in new[] { 1, 7, 8, 9, 63, 256, 257, 600, 784 })
                {
                    var problem = Problem.Create(rng, false, true, m, n, k, alpha, beta);
                    float[] expected = problem.Run(new GemmOptions(GemmKernel.Scalar, 1, GemmPath.Direct));
                    problem.Check(expected, $"direct {problem}");
                    float[] few = problem.Run(new GemmOptions(Path: GemmPath.FewRows));
                    Assert.True(expected.AsSpan().SequenceEqual(few), $"few-rows path differs from direct: {problem}");
                    float[] packed = problem.Run(new GemmOptions(GemmKernel.Auto, 1, GemmPath.Packed));
                    Assert.True(expected.AsSpan().SequenceEqual(packed), $"packed differs from direct: {problem}");
                }
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void InPlacePathMatchesReferenceAndIsBitIdenticalOnEveryTail(bool ta, bool tb)
    {
        // Every row-tile height (m 1..33: tiles of 1..12 rows), every column tail of the 16- and 32-wide strips,
        // depths across k blocks, padded leading dimensions, NaN in C with beta = 0.
        var rng = new Rng(2024UL + (ta ? 1UL : 0) + (tb ? 2UL : 0));
        int[] ns = [1, 2, 7, 8, 9, 10, 15, 16, 17, 31, 32, 33, 47, 64, 65];
        int[] ks = [1, 2, 10, 16, 17, 33, 256, 257];
        for (int m = 1; m <= 33; m++)
            foreach (int n in ns)
                foreach (int k in ks)
                {
                    if (rng.NextInt(3) != 0 && m > 2 && k > 17) continue;   // a random third of the deep cases
                    var problem = Problem.Create(rng, ta, tb, m, n, k, 1f, 0f, nanC: true);
                    float[] expected = problem.Run(new GemmOptions(GemmKernel.Scalar, 1, GemmPath.Direct));
                    problem.Check(expected, $"direct {problem}");
                    for (int threads = 1; threads <= 3; threads += m % 2 + 1)   // 1 and 3 threads, or 1, 2 and 3
                    {
                        float[] inPlace = problem.Run(new GemmOptions(Threads: threads, Path: GemmPath.InPlace));
                        Assert.True(expected.AsSpan().SequenceEqual(inPlace), $"in-place path × {threads} threads differs from direct: {problem}");
                        // The 8-float (AVX2) tiles, whatever this machine's widest kernel.
                        float[] narrow = problem.Run(new GemmOptions(GemmKernel.V256, threads, GemmPath.InPlace));
                        Assert.True(expected.AsSpan().SequenceEqual(narrow), $"in-place path, Vector256 tiles × {threads} threads differs from direct: {problem}");
                    }
                }
    }

    [Theory]
    [MemberData(nameof(AlphaBeta))]
    public void InPlacePathFollowsAlphaBetaOnTheStepShapes(float alpha, float beta)
    {
        // The narrow products of a training step (forward N = 10, weight gradient M = 10, input gradient K = 10), the
        // weight gradient of a small first layer (Aᵀ·B, k·n ≤ GemmInPlace.MaxTransposedABElements) and their neighbours, every transpose, through Auto (which takes the in-place path on AVX-512 and AVX2), the forced
        // in-place path on 1-3 threads (16- and 8-float tiles), and the packed path on 1 and 2 threads: all bit-identical to the direct reference.
        var rng = new Rng(77UL);
        (int M, int N, int K)[] shapes = [(128, 10, 128), (256, 10, 256), (10, 128, 128), (10, 256, 256), (128, 128, 10),
            (256, 256, 10), (12, 33, 300), (13, 16, 600), (50, 17, 16),
            (128, 64, 128), (64, 128, 128), (100, 70, 300)];   // Aᵀ·B with a small B (64-128-10's first weight gradient)
        foreach (var (m, n, k) in shapes)
            for (int t = 0; t < 4; t++)
            {
                var problem = Problem.Create(rng, (t & 1) != 0, (t & 2) != 0, m, n, k, alpha, beta, nanC: beta == 0);
                if (alpha == 0)
                {
                    Array.Fill(problem.A, float.NaN);
                    Array.Fill(problem.B, float.NaN);
                }
                float[] expected = problem.Run(new GemmOptions(GemmKernel.Scalar, 1, GemmPath.Direct));
                problem.Check(expected, $"direct {problem}");
                foreach (var options in new GemmOptions[] { new(), new(Threads: 1), new(Threads: 2), new(Path: GemmPath.InPlace),
                    new(Threads: 2, Path: GemmPath.InPlace), new(Threads: 3, Path: GemmPath.InPlace),
                    new(GemmKernel.V256), new(GemmKernel.V256, 1, GemmPath.InPlace), new(GemmKernel.V256, 2, GemmPath.InPlace),
                    new(GemmKernel.V256, 3, GemmPath.InPlace),
                    new(Threads: 2, Path: GemmPath.Packed), new(GemmKernel.V512, 1, GemmPath.Packed) })
                {
                    float[] c = problem.Run(options);
                    Assert.True(expected.AsSpan().SequenceEqual(c), $"{options} differs from direct: {problem}");
                }
            }
    }

    public static TheoryData<float, float> AlphaBeta() => new()
    {
        { 1f, 0f }, { 1f, 1f }, { -0.5f, 2f }, { 2f, -1f }, { 0f, 0.5f }, { 0f, 0f }, { 0f, 1f },
    };

    [Theory]
    [MemberData(nameof(AlphaBeta))]
    public void AlphaAndBetaFollowBlas(float alpha, float beta)
    {
        var rng = new Rng(9UL);
        foreach (var path in new[] { GemmPath.Direct, GemmPath.Packed, GemmPath.PackedB })
            for (int t = 0; t < 4; t++)
            {
                // beta = 0 must ignore NaN in C; alpha = 0 must not read A or B (NaN there).
                var problem = Problem.Create(rng, (t & 1) != 0, (t & 2) != 0, 19, 37, 300, alpha, beta, nanC: beta == 0);
                if (alpha == 0)
                {
                    Array.Fill(problem.A, float.NaN);
                    Array.Fill(problem.B, float.NaN);
                }
                problem.Check(problem.Run(new GemmOptions(Path: path, Threads: 2)), $"{path} {problem}");
            }
    }

    public static TheoryData<int, int, int> LargeShapes() => new()
    {
        { 300, 517, 129 },   // m > MC, n crosses many NR panels
        { 300, 129, 517 },   // k crosses two KC blocks
        { 131, 77, 600 },    // three KC blocks, tails everywhere
        { 5, 4100, 3 },      // n > NC: two column blocks
        { 64, 512, 784 },    // a benchmark shape, fewer rows
    };

    [Theory]
    [MemberData(nameof(LargeShapes))]
    public void LargeProductsCrossCacheBlocks(int m, int n, int k)
    {
        var rng = new Rng((ulong)(m * 31 + n * 7 + k));
        for (int t = 0; t < 4; t++)
        {
            var problem = Problem.Create(rng, (t & 1) != 0, (t & 2) != 0, m, n, k, 1f, t == 0 ? 0f : 1f, nanC: t == 0);
            problem.Check(problem.Run(new GemmOptions(Threads: 1)), $"1 thread {problem}");
            problem.Check(problem.Run(new GemmOptions(Threads: 2)), $"2 threads {problem}");
            problem.Check(problem.Run(new GemmOptions(GemmKernel.V256, 2, GemmPath.PackedB)), $"packed B, 2 threads {problem}");
            float[] one = problem.Run(new GemmOptions(Threads: 1));
            foreach (var split in new[] { GemmSplit.Shared, GemmSplit.ColumnsInItems })
                for (int threads = 2; threads <= 3; threads++)
                    Assert.True(one.AsSpan().SequenceEqual(problem.Run(new GemmOptions(Threads: threads, Split: split))), $"{split} × {threads} threads {problem}");
        }
    }

    [Theory]
    [MemberData(nameof(KernelData))]
    public void EveryKernelHandlesALargeProduct(string kernelName)
    {
        var kernel = Enum.Parse<GemmKernel>(kernelName);
        var rng = new Rng(31UL);
        var problem = Problem.Create(rng, false, true, 150, 200, 270, 1.5f, 0.25f);
        problem.Check(problem.Run(new GemmOptions(kernel, 2, GemmPath.Packed)), $"{kernel} {problem}");
    }

    [Fact]
    public void BackpropShapesAgreeWithEachOther()
    {
        // Y = X·Wᵀ, dW = dYᵀ·X, dX = dY·W through the public API, W stored [out][in].
        const int batch = 33, ins = 21, outs = 10;
        var rng = new Rng(3UL);
        float[] x = Enumerable.Range(0, batch * ins).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        float[] w = Enumerable.Range(0, outs * ins).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        float[] dy = Enumerable.Range(0, batch * outs).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        float[] y = new float[batch * outs], dw = new float[outs * ins], dx = new float[batch * ins];
        Gemm.Multiply(false, true, batch, outs, ins, 1f, x, ins, w, ins, 0f, y, outs);
        Gemm.Multiply(true, false, outs, ins, batch, 1f, dy, outs, x, ins, 0f, dw, ins);
        Gemm.Multiply(false, false, batch, ins, outs, 1f, dy, outs, w, ins, 0f, dx, ins);
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < outs; o++)
            {
                double s = 0;
                for (int i = 0; i < ins; i++) s += (double)x[b * ins + i] * w[o * ins + i];
                Assert.Equal(s, y[b * outs + o], 1e-5);
            }
        for (int o = 0; o < outs; o++)
            for (int i = 0; i < ins; i++)
            {
                double s = 0;
                for (int b = 0; b < batch; b++) s += (double)dy[b * outs + o] * x[b * ins + i];
                Assert.Equal(s, dw[o * ins + i], 1e-5);
            }
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < ins; i++)
            {
                double s = 0;
                for (int o = 0; o < outs; o++) s += (double)dy[b * outs + o] * w[o * ins + i];
                Assert.Equal(s, dx[b * ins + i], 1e-5);
            }
    }

    [Fact]
    public void SteadyStateCallsAllocateNothing()
    {
        var rng = new Rng(11UL);
        var small = Problem.Create(rng, false, true, 4, 8, 2, 1f, 0f, pad: 0);
        var packed = Problem.Create(rng, false, true, 100, 120, 130, 1f, 0f, pad: 0);
        var large = Problem.Create(rng, true, false, 200, 300, 400, 1f, 1f, pad: 0);
        var narrow = Problem.Create(rng, false, true, 130, 10, 140, 1f, 0f, pad: 0);     // in-place path (N = 10)
        var fewRows = Problem.Create(rng, true, false, 10, 140, 130, 1f, 0f, pad: 1);    // in-place path (M = 10)
        float[] cs = new float[small.C0.Length], cp = new float[packed.C0.Length], cl = new float[large.C0.Length];
        float[] cn = new float[narrow.C0.Length], cf = new float[fewRows.C0.Length];
        void Call(Problem p, float[] c, GemmOptions o) =>
            Numerics.Gemm.Multiply(o, p.TA, p.TB, p.M, p.N, p.K, p.Alpha, p.A, p.Lda, p.B, p.Ldb, p.Beta, c, p.Ldc);
        void All()
        {
            Gemm.Multiply(false, true, small.M, small.N, small.K, 1f, small.A, small.Lda, small.B, small.Ldb, 0f, cs, small.Ldc);
            Call(packed, cp, new GemmOptions(Threads: 1));
            Call(large, cl, new GemmOptions(Threads: 1));
            Call(large, cl, new GemmOptions(Threads: 2));
            Call(narrow, cn, new GemmOptions(Path: GemmPath.InPlace));
            Call(fewRows, cf, new GemmOptions(Path: GemmPath.InPlace));
            Call(narrow, cn, new GemmOptions(Threads: 2, Path: GemmPath.InPlace));
            Call(fewRows, cf, new GemmOptions(Threads: 2, Path: GemmPath.InPlace));
            Call(narrow, cn, new GemmOptions(GemmKernel.V256, 1, GemmPath.InPlace));   // the 8-float (AVX2) tiles
            Call(fewRows, cf, new GemmOptions(GemmKernel.V256, 2, GemmPath.InPlace));
        }
        All();
        All();
        // A round of 5 × All() must allocate nothing. Up to 4 rounds: the runtime itself may allocate once on this
        // thread when tiered compilation promotes a method (timing depends on the tests running in parallel), but a
        // per-call allocation shows in every round.
        var rounds = new List<long>();
        for (int round = 0; round < 4; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5; i++) All();
            rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            if (rounds[^1] == 0) break;
        }
        Assert.True(rounds[^1] == 0, $"bytes allocated per round: {string.Join(", ", rounds)}");
    }

    [Fact]
    public void InvalidArgumentsAreRejectedWithClearMessages()
    {
        float[] a = new float[12], b = new float[12], c = new float[12];
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, -1, 3, 4, 1f, a, 4, b, 3, 0f, c, 3));
        Assert.Contains("m must be >= 0", e1.Message);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 3, 3, 4, 1f, a, 3, b, 3, 0f, c, 3));
        Assert.Contains("lda must be at least 4", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => Gemm.Multiply(true, false, 3, 3, 5, 1f, a, 3, b, 3, 0f, c, 3));
        Assert.Contains("a has length 12", e3.Message);
        Assert.Contains("5×3", e3.Message);
        var e4 = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, true, 3, 4, 4, 1f, a, 4, b, 4, 0f, c, 4));
        Assert.Contains("b has length 12", e4.Message);
        var e5 = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 3, 3, 4, 1f, a, 4, b, 3, 0f, c, 2));
        Assert.Contains("ldc must be at least 3", e5.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MaxThreads = 0);
        // Empty products need no storage at all.
        Gemm.Multiply(false, false, 0, 0, 0, 1f, [], 0, [], 0, 0f, [], 0);
    }

    [Fact]
    public void ConcurrentCallersGetCorrectResults()
    {
        // Two callers share one pool: one gets the helpers, the other runs alone; both must be right.
        var rng = new Rng(21UL);
        var problems = new[]
        {
            Problem.Create(rng, false, true, 130, 90, 300, 1f, 0f),
            Problem.Create(rng, true, false, 70, 260, 100, 1f, 1f),
        };
        float[][] expected = problems.Select(p => p.Run(new GemmOptions(Threads: 1))).ToArray();
        foreach (var (p, e) in problems.Zip(expected)) p.Check(e, p.ToString());
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            for (int r = 0; r < 40; r++)
            {
                float[] c = problems[t].Run(new GemmOptions(Threads: 2));
                if (!c.AsSpan().SequenceEqual(expected[t])) failures.Add($"caller {t}, round {r}");
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData(520, 96, 64)]      // 8 row items, each thread's own first (GemmDriver.OwnedRowItems)
    [InlineData(264, 3000, 1024)]  // two column blocks: every row item claimed once in each
    [InlineData(8960, 32, 40)]     // 70 row items, more than the claim flags hold: the shared counter
    public void ThreadedRowItemsGiveTheBitsOfOneThread(int m, int n, int k)
    {
        var problem = Problem.Create(new Rng((ulong)(m + n + k)), false, false, m, n, k, 1f, 0.5f);
        float[] one = problem.Run(new GemmOptions(Threads: 1));
        for (int r = 0; r < 4; r++)
            Assert.True(one.AsSpan().SequenceEqual(problem.Run(new GemmOptions(Threads: 2, Split: GemmSplit.Shared))), $"{m}×{n}×{k}, round {r}");
        problem.Check(one, problem.ToString());
    }

    [Theory]
    [InlineData(1024, 512, 784)]  // B̃ 1.6 MB: columns where half of L2 holds a thread's share (2 MiB), rows with 1 MiB
    [InlineData(1024, 512, 512)]  // B̃ 1 MiB, not above half of a 2 MiB L2: rows
    public void ColumnSplitIsChosenFromTheL2SizeWhenRowsOutnumberColumns(int m, int n, int k)
    {
        var kernel = GemmKernelInfo.For(GemmKernel.V512);
        int colPanels = (n + kernel.NR - 1) / kernel.NR;
        // B̃: depth (k rounded up to whole k blocks) × 16 panels × 32 columns × 4 bytes; a share adds an Ã block (128 × depth step).
        bool big = k == 784;
        Assert.Equal(big, Numerics.Gemm.SplitsColumnsInItems(kernel, m, n, k, colPanels, 2, 2L << 20));
        Assert.False(Numerics.Gemm.SplitsColumnsInItems(kernel, m, n, k, colPanels, 2, 1L << 20));
        Assert.False(Numerics.Gemm.SplitsColumnsInItems(kernel, m, n, k, colPanels, 1, 2L << 20));
        // A share that does not fit half of the L2 either: rows (784 × 8 panels × 128 B = 800 KB > 384 KB + …).
        Assert.False(Numerics.Gemm.SplitsColumnsInItems(kernel, m, n, k, colPanels, 2, 768L << 10));
        // More threads than column panels: rows.
        Assert.False(Numerics.Gemm.SplitsColumnsInItems(kernel, m, n, k, 1, 2, 2L << 20));
    }

    [Theory]
    [InlineData(256, 512, 784, true)]    // the first layer's forward: columns whatever the L2
    [InlineData(512, 512, 512, true)]    // m = n
    [InlineData(8, 512, 784, true)]      // one row panel
    [InlineData(513, 512, 512, false)]   // one row more than columns: the L2 rule (B̃ 1 MiB fits no half of 1 MiB)
    [InlineData(1024, 128, 512, false)]  // rows outnumber columns: Ã would be packed twice for little work
    [InlineData(64, 96, 4096, false)]    // 3 column panels: fewer than two per thread
    public void ColumnSplitIsChosenWhenColumnsOutnumberRows(int m, int n, int k, bool columns)
    {
        var kernel = GemmKernelInfo.For(GemmKernel.V512);
        int colPanels = (n + kernel.NR - 1) / kernel.NR;
        Assert.Equal(columns, Numerics.Gemm.SplitsColumnsInItems(kernel, m, n, k, colPanels, 2, 1L << 20));
        Assert.False(Numerics.Gemm.SplitsColumnsInItems(kernel, m, n, k, colPanels, 1, 1L << 20));
    }

    [Fact]
    public void L2SizeIsReadFromSysfsOrCpuid()
    {
        Assert.Equal(2L << 20, GemmCaches.ParseSize("2048K"));
        Assert.Equal(1L << 20, GemmCaches.ParseSize("1M"));
        Assert.Equal(512L, GemmCaches.ParseSize("512"));
        Assert.Null(GemmCaches.ParseSize(""));
        Assert.Null(GemmCaches.ParseSize("K"));
        Assert.Null(GemmCaches.ParseSize("-4K"));
        string dir = Path.Combine(Path.GetTempPath(), $"occam-cache-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            void Index(int i, string level, string type, string size)
            {
                string d = Path.Combine(dir, $"index{i}");
                Directory.CreateDirectory(d);
                File.WriteAllText(Path.Combine(d, "level"), level + "\n");
                File.WriteAllText(Path.Combine(d, "type"), type + "\n");
                File.WriteAllText(Path.Combine(d, "size"), size + "\n");
            }
            Index(0, "1", "Data", "48K");
            Index(1, "1", "Instruction", "32K");
            Assert.Null(GemmCaches.FromSysfs(dir));
            Index(2, "2", "Unified", "2048K");
            Index(3, "3", "Unified", "107520K");
            Assert.Equal(2L << 20, GemmCaches.FromSysfs(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        Assert.Null(GemmCaches.FromSysfs(dir));
        Assert.True(GemmCaches.L2Bytes >= 64 << 10, $"L2 {GemmCaches.L2Bytes} bytes");
        // Where the kernel lists the caches and CPUID describes them, both give the same L2 (Linux fills sysfs from CPUID).
        if (GemmCaches.FromSysfs("/sys/devices/system/cpu/cpu0/cache") is { } sysfs && GemmCaches.FromCpuid() is { } cpuid)
            Assert.Equal(sysfs, cpuid);
    }

    [Fact]
    public void MaxThreadsOneGivesTheSameBits()
    {
        // Results do not depend on the thread count, so changing the global bound cannot disturb
        // tests running in parallel.
        var problem = Problem.Create(new Rng(8UL), false, false, 200, 150, 300, 1f, 0f);
        float[] threaded = problem.Run(default);
        int saved = Numerics.Gemm.MaxThreads;
        Assert.Equal(Environment.ProcessorCount, saved); // the default; only this test changes it
        try
        {
            Numerics.Gemm.MaxThreads = 1;
            Assert.Equal(1, Numerics.Gemm.MaxThreads);
            Assert.True(threaded.AsSpan().SequenceEqual(problem.Run(default)));
        }
        finally
        {
            Numerics.Gemm.MaxThreads = saved;
        }
        problem.Check(threaded, problem.ToString());
    }
}
