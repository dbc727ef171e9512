using Occam.Numerics.Conversion;
using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests.Inference;

/// <summary>
/// The inference kernels: the row GEMV (<see cref="GemvRows"/>), the panel product (<see cref="GemmPanels"/>), input
/// conversion (<see cref="StandardizeToSingle"/>) and the non-finite search (<see cref="NonFinite"/>). Vector versions
/// agree with the scalar ones bit for bit; the panel product agrees bit for bit with <see cref="Occam.Numerics.Gemm.Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
/// with the bias preloaded (the training forward pass); the GEMV is within float32 rounding of a double reference.
/// </summary>
public class InferenceKernelTests
{
    private static float[] Normals(Rng rng, int n, double scale = 1)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(rng.NextNormal() * scale);
        return v;
    }

    private static void AssertBitwise(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: element {i}: {expected[i]:R} vs {actual[i]:R}");
    }

    [Fact]
    public void GemvVectorVersionsEqualScalarBitwiseForEveryLengthUpTo257()
    {
        var rng = new Rng(101);
        for (int k = 0; k <= 257; k++)
        {
            int rows = 1 + k % 13, ldw = k + k % 3;
            var w = Normals(rng, rows * ldw + 1);
            var x = Normals(rng, k);
            var b = Normals(rng, rows);
            var scalar = new float[rows];
            var v512 = new float[rows];
            var v256 = new float[rows];
            GemvRows.MultiplyScalar(w, ldw, k, x, b, scalar, 0, rows);
            GemvRows.MultiplyV512(w, ldw, k, x, b, v512, 0, rows);
            GemvRows.MultiplyV256(w, ldw, k, x, b, v256, 0, rows);
            AssertBitwise(scalar, v512, $"V512 k={k}");
            AssertBitwise(scalar, v256, $"V256 k={k}");
            for (int j = 0; j < rows; j++)
            {
                double exact = b[j], magnitude = Math.Abs(b[j]);
                for (int p = 0; p < k; p++)
                {
                    exact += (double)w[j * ldw + p] * x[p];
                    magnitude += Math.Abs((double)w[j * ldw + p] * x[p]);
                }
                Assert.True(Math.Abs(scalar[j] - exact) <= 1e-6 * magnitude + 1e-30, $"k={k} j={j}: {scalar[j]} vs {exact}");
            }
        }
    }

    [Fact]
    public void GemvGivesTheSameBitsAtEveryAlignmentOfTheWeights()
    {
        // Rows of a multiple of 16 floats share their offset in the 64-byte line: every offset takes the realigned
        // path of the Vector512 version (aligned loads + permutes) except 0.
        var rng = new Rng(44);
        foreach (int k in new[] { 16, 48, 784, 100 + 12 })
        {
            int ldw = (k + 15) / 16 * 16, rows = 19;
            var w = Normals(rng, rows * ldw + 32);
            var x = Normals(rng, k);
            var b = Normals(rng, rows);
            for (int offset = 0; offset < 16; offset++)
            {
                var ws = w.AsSpan(offset, rows * ldw);
                var scalar = new float[rows];
                var v512 = new float[rows];
                var v256 = new float[rows];
                GemvRows.MultiplyScalar(ws, ldw, k, x, b, scalar, 0, rows);
                GemvRows.MultiplyV512(ws, ldw, k, x, b, v512, 0, rows);
                GemvRows.MultiplyV256(ws, ldw, k, x, b, v256, 0, rows);
                AssertBitwise(scalar, v512, $"V512 k={k} offset={offset}");
                AssertBitwise(scalar, v256, $"V256 k={k} offset={offset}");
                var part = new float[rows];
                GemvRows.MultiplyV512(ws, ldw, k, x, b, part, 3, rows);   // a range starting mid-way
                AssertBitwise(scalar.AsSpan(3).ToArray(), part.AsSpan(3).ToArray(), $"range k={k} offset={offset}");
            }
        }
    }

    [Fact]
    public void GemvWritesOnlyItsRangeOfOutputs()
    {
        var rng = new Rng(5);
        const int rows = 37, k = 50;
        var w = Normals(rng, rows * k);
        var x = Normals(rng, k);
        var b = Normals(rng, rows);
        var all = new float[rows];
        GemvRows.Multiply(w, k, k, x, b, all, 0, rows);
        var parts = Enumerable.Repeat(float.NaN, rows).ToArray();
        GemvRows.Multiply(w, k, k, x, b, parts, 0, 13);
        Assert.All(parts.Skip(13), v => Assert.True(float.IsNaN(v)));
        GemvRows.Multiply(w, k, k, x, b, parts, 13, rows);
        AssertBitwise(all, parts, "split");
    }

    public static TheoryData<int, int, int> PanelShapes => new()
    {
        { 1, 1, 1 }, { 5, 3, 7 }, { 33, 10, 256 }, { 70, 8, 257 }, { 32, 17, 40 }, { 4, 31, 600 }, { 65, 6, 13 },
    };

    [Theory]
    [MemberData(nameof(PanelShapes))]
    public unsafe void PanelProductEqualsTheGemmWithPreloadedBiasBitwiseForEveryKernel(int rows, int outputs, int k)
    {
        var rng = new Rng((ulong)(rows * 1000 + outputs * 10 + k));
        int ldw = k + 2;
        var w = Normals(rng, outputs * ldw);
        var x = Normals(rng, rows * k);
        var bias = Normals(rng, outputs);
        var expected = new float[rows * outputs];
        for (int r = 0; r < rows; r++) bias.CopyTo(expected, r * outputs);
        Occam.Numerics.Gemm.Multiply(false, true, rows, outputs, k, 1f, x, k, w, ldw, 1f, expected, outputs);
        foreach (var kernel in new[] { GemmKernel.Scalar, GemmKernel.V256, GemmKernel.V512 })
        {
            (_, int nr) = GemmPanels.Shape(kernel);
            int panels = (rows + nr - 1) / nr, padded = GemmPanels.PaddedUnits(kernel, outputs);
            var input = new float[panels * k * nr];
            var output = new float[panels * padded * nr];
            var actual = new float[rows * outputs];
            fixed (float* px = x, pi = input, po = output, pw = w, pb = bias, pa = actual)
            {
                GemmPanels.PackRows(pi, px, k, rows, k, nr);
                // Two calls over different panels: any split gives the same values.
                int half = panels / 2;
                GemmPanels.Multiply(kernel, outputs, k, pw, ldw, pb, pi, (nint)k * nr, po, (nint)padded * nr, 0, half);
                GemmPanels.Multiply(kernel, outputs, k, pw, ldw, pb, pi, (nint)k * nr, po, (nint)padded * nr, half, panels);
                GemmPanels.UnpackRows(pa, outputs, po, (nint)padded * nr, rows, outputs, nr);
            }
            AssertBitwise(expected, actual, $"{kernel} {rows}x{outputs}x{k}");
        }
    }

    [Theory]
    [MemberData(nameof(PanelShapes))]
    public unsafe void CheckedPackingPacksTheSameBitsAndFindsEveryValueThatIsNotFinite(int rows, int outputs, int k)
    {
        _ = outputs;
        var rng = new Rng((ulong)(rows * 37 + k));
        var x = Normals(rng, rows * k);
        // Finite extremes must pass: the largest float, its negative, −0 and a subnormal.
        x[0] = float.MaxValue;
        x[^1] = -float.MaxValue;
        if (x.Length > 2) { x[1] = -0f; x[2] = float.Epsilon; }
        foreach (int nr in new[] { 16, 32, 5 })
        {
            int panels = (rows + nr - 1) / nr;
            var plain = new float[panels * k * nr];
            var checkedPanels = new float[panels * k * nr];
            fixed (float* px = x, pp = plain, pc = checkedPanels)
            {
                GemmPanels.PackRows(pp, px, k, rows, k, nr);
                Assert.True(GemmPanels.PackRowsChecked(pc, px, k, rows, k, nr), $"nr {nr}: finite values reported");
                AssertBitwise(plain, checkedPanels, $"nr {nr} {rows}x{k}");
                // One bad value anywhere (every position of small inputs, a sample of large ones): reported, and the
                // panels still hold what the unchecked packing writes.
                int step = Math.Max(1, x.Length / 97);
                foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                    for (int i = 0; i < x.Length; i += step)
                    {
                        float kept = x[i];
                        x[i] = bad;
                        GemmPanels.PackRows(pp, px, k, rows, k, nr);
                        Assert.False(GemmPanels.PackRowsChecked(pc, px, k, rows, k, nr), $"nr {nr}: {bad} at {i} of {rows}x{k} not reported");
                        AssertBitwise(plain, checkedPanels, $"nr {nr} {rows}x{k}, {bad} at {i}");
                        x[i] = kept;
                    }
            }
        }
    }

    [Theory]
    [MemberData(nameof(PanelShapes))]
    public unsafe void PanelProductWithReluEqualsTheProductThenReluBitwiseForEveryKernel(int rows, int outputs, int k)
    {
        var rng = new Rng((ulong)(rows * 7919 + outputs * 31 + k));
        var w = Normals(rng, outputs * k);
        var x = Normals(rng, rows * k);
        var bias = Normals(rng, outputs);
        foreach (var kernel in new[] { GemmKernel.Scalar, GemmKernel.V256, GemmKernel.V512 })
        {
            (_, int nr) = GemmPanels.Shape(kernel);
            int panels = (rows + nr - 1) / nr, padded = GemmPanels.PaddedUnits(kernel, outputs);
            var input = new float[panels * k * nr];
            var plain = new float[panels * padded * nr];
            var fused = new float[panels * padded * nr];
            fixed (float* px = x, pi = input, pp = plain, pf = fused, pw = w, pb = bias)
            {
                GemmPanels.PackRows(pi, px, k, rows, k, nr);
                GemmPanels.Multiply(kernel, outputs, k, pw, k, pb, pi, (nint)k * nr, pp, (nint)padded * nr, 0, panels);
                GemmPanels.Multiply(kernel, outputs, k, pw, k, pb, pi, (nint)k * nr, pf, (nint)padded * nr, 0, panels, relu: true);
            }
            if (rows * outputs >= 16) Assert.Contains(plain, v => v < 0);   // the ReLU has something to do
            Occam.Numerics.Activations.Relu.ForwardScalar(plain, plain);
            AssertBitwise(plain, fused, $"{kernel} {rows}x{outputs}x{k}");
        }
    }

    [Theory]
    [MemberData(nameof(PanelShapes))]
    public unsafe void PanelProductOnPackedWeightsEqualsTheProductOnWeightsInPlaceBitwiseForEveryKernel(int rows, int outputs, int k)
    {
        // Shapes with units past the last whole tile (the packed copy repeats the last row), k not a multiple of 8 (the
        // tail of the 8 × 8 transposes) and several k blocks (257, 600).
        var rng = new Rng((ulong)(rows * 131 + outputs * 17 + k));
        int ldw = k + 3;
        var w = Normals(rng, outputs * ldw);
        var x = Normals(rng, rows * k);
        var bias = Normals(rng, outputs);
        foreach (var kernel in new[] { GemmKernel.Scalar, GemmKernel.V256, GemmKernel.V512 })
            foreach (bool relu in new[] { false, true })
            {
                (int mr, int nr) = GemmPanels.Shape(kernel);
                int panels = (rows + nr - 1) / nr, padded = GemmPanels.PaddedUnits(kernel, outputs);
                var input = new float[panels * k * nr];
                var inPlace = new float[panels * padded * nr];
                var fromPacked = new float[panels * padded * nr];
                var packed = new float[GemmPanels.PackedLength(kernel, outputs, k)];
                Assert.Equal(padded * k, packed.Length);
                fixed (float* px = x, pi = input, pp = inPlace, pf = fromPacked, pw = w, pb = bias, pk = packed)
                {
                    GemmPanels.PackRows(pi, px, k, rows, k, nr);
                    GemmPanels.PackWeights(kernel, outputs, k, pw, ldw, pk);
                    GemmPanels.Multiply(kernel, outputs, k, pw, ldw, pb, pi, (nint)k * nr, pp, (nint)padded * nr, 0, panels, relu);
                    int half = panels / 2;
                    GemmPanels.Multiply(kernel, outputs, k, pw, ldw, pb, pi, (nint)k * nr, pf, (nint)padded * nr, 0, half, relu, pk);
                    GemmPanels.Multiply(kernel, outputs, k, pw, ldw, pb, pi, (nint)k * nr, pf, (nint)padded * nr, half, panels, relu, pk);
                }
                AssertBitwise(inPlace, fromPacked, $"{kernel} relu={relu} {rows}x{outputs}x{k}");
                // The layout itself: block (pc, i) at pc·padded + i·kc, element (p, r) at p·MR + r, the last row repeated.
                int kStep = GemmKernelInfo.DepthStep(k);
                for (int pc = 0; pc < k; pc += kStep)
                {
                    int kc = Math.Min(kStep, k - pc);
                    for (int i = 0; i < padded; i += mr)
                        for (int p = 0; p < kc; p++)
                            for (int r = 0; r < mr; r++)
                                Assert.True(packed[pc * padded + i * kc + p * mr + r] == w[Math.Min(i + r, outputs - 1) * ldw + pc + p],
                                    $"{kernel} {outputs}x{k}: block {pc}/{i}, k step {p}, unit {r}");
                }
            }
    }

    [Fact]
    public unsafe void PackRowsAndUnpackRowsAreInverse()
    {
        var rng = new Rng(9);
        foreach (int nr in new[] { 16, 32, 12 })
            foreach (int rows in new[] { 1, 15, 16, 33 })
            {
                const int k = 11;
                var x = Normals(rng, rows * k);
                int panels = (rows + nr - 1) / nr;
                var p = Enumerable.Repeat(float.NaN, panels * k * nr).ToArray();
                var back = new float[rows * k];
                fixed (float* px = x, pp = p, pb = back)
                {
                    GemmPanels.PackRows(pp, px, k, rows, k, nr);
                    GemmPanels.UnpackRows(pb, k, pp, (nint)k * nr, rows, k, nr);
                }
                AssertBitwise(x, back, $"nr={nr} rows={rows}");
                for (int r = rows; r < panels * nr; r++)
                    for (int u = 0; u < k; u++) Assert.Equal(0f, p[(r / nr) * k * nr + u * nr + r % nr]);
            }
    }

    [Fact]
    public void StandardizeToSingleVectorVersionsEqualScalarBitwiseForEveryLengthUpTo257()
    {
        var rng = new Rng(33);
        for (int n = 0; n <= 257; n++)
        {
            foreach (int columns in new[] { 1, 3, 17, Math.Max(1, n) })
            {
                int rows = n / columns, len = rows * columns;
                var x = new double[len];
                for (int i = 0; i < len; i++) x[i] = rng.NextNormal() * 1e3 + (i % 7 == 0 ? 1e39 * (i % 2 == 0 ? 1 : -1) : 0);
                if (len > 2) x[1] = double.NaN;
                var mean = Enumerable.Range(0, columns).Select(_ => rng.NextNormal()).ToArray();
                var scale = Enumerable.Range(0, columns).Select(_ => 0.1 + rng.NextDouble()).ToArray();
                foreach (bool standardize in new[] { false, true })
                {
                    double[] m = standardize ? mean : [], s = standardize ? scale : [];
                    var a = new float[len];
                    var b = new float[len];
                    var c = new float[len];
                    StandardizeToSingle.ApplyScalar(x, columns, m, s, a);
                    StandardizeToSingle.ApplyV512(x, columns, m, s, b);
                    StandardizeToSingle.ApplyV256(x, columns, m, s, c);
                    AssertBitwise(a, b, $"V512 n={len} columns={columns}");
                    AssertBitwise(a, c, $"V256 n={len} columns={columns}");
                    var xf = x.Select(v => (float)v).ToArray();
                    var fa = new float[len];
                    var fb = new float[len];
                    var fromDouble = new float[len];
                    StandardizeToSingle.ApplyScalar(xf, columns, m, s, fa);
                    StandardizeToSingle.Apply(xf, columns, m, s, fb);
                    StandardizeToSingle.ApplyScalar(xf.Select(v => (double)v).ToArray(), columns, m, s, fromDouble);
                    AssertBitwise(fa, fb, $"float n={len} columns={columns}");
                    AssertBitwise(fromDouble, fa, $"float = double n={len} columns={columns}");
                    if (standardize && len > 0)
                        Assert.Equal((float)((x[len - 1] - mean[columns - 1]) / scale[columns - 1]), a[len - 1]);
                }
            }
        }
    }

    [Fact]
    public void NonFiniteFindsTheFirstNanOrInfinityAtEveryPosition()
    {
        for (int n = 0; n <= 257; n++)
        {
            var v = Enumerable.Range(0, n).Select(i => (float)i - 100f).ToArray();
            Assert.Equal(-1, NonFinite.IndexOf(v));
            Assert.Equal(-1, NonFinite.IndexOfV256(v));
            for (int at = Math.Max(0, n - 20); at < n; at++)
            {
                foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                {
                    var w = (float[])v.Clone();
                    w[at] = bad;
                    if (at + 1 < n) w[n - 1] = float.NaN;
                    Assert.Equal(at, NonFinite.IndexOfScalar(w, 0));
                    Assert.Equal(at, NonFinite.IndexOfV512(w));
                    Assert.Equal(at, NonFinite.IndexOfV256(w));
                }
            }
        }
        Assert.Equal(-1, NonFinite.IndexOf([float.MaxValue, -float.MaxValue, float.Epsilon, -0f]));
    }
}
