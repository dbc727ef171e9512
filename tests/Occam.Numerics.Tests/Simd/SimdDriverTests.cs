using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Occam.Numerics.Random;

namespace Occam.Numerics.Tests.Simd;

/// <summary>
/// The shared SIMD driver (<c>Simd.Map</c>, <c>Simd.Sum</c>, <c>Simd.Count</c>) at every width it has — 512-bit, 256-bit and
/// scalar, forced through the width argument whatever this machine accelerates (Vector512 runs in software where it is not)
/// — over every length 0..257 and misaligned starts, against plain loops over the operators' scalar definitions.
/// The test operators are not symmetric in their arguments, so a swapped or shifted input shows.
/// </summary>
public class SimdDriverTests
{
    private static readonly VectorWidth[] Widths = [VectorWidth.V512, VectorWidth.V256, VectorWidth.Scalar];

    [Fact]
    public void UnaryMapEqualsTheScalarLoopAtEveryWidthAndLength()
    {
        var rng = new Rng(7001UL);
        foreach (int n in TestVectors.Lengths)
        {
            int offset = n % 3;
            var x = TestVectors.Mixed(rng, n + offset).AsSpan(offset);
            var expected = new float[n];
            for (int i = 0; i < n; i++) expected[i] = default(Cubic).Invoke(x[i]);
            foreach (var width in Widths)
            {
                var actual = Sentinels(n);
                Numerics.Simd.Map(width, x, actual, default(Cubic));
                TestVectors.AssertBitwise(expected, actual, $"unary {width} n={n}");
                var inPlace = x.ToArray();
                Numerics.Simd.Map(width, inPlace, inPlace, default(Cubic));
                TestVectors.AssertBitwise(expected, inPlace, $"unary in place {width} n={n}");
            }
        }
    }

    [Fact]
    public void BinaryMapEqualsTheScalarLoopAtEveryWidthAndLength()
    {
        var rng = new Rng(7002UL);
        foreach (int n in TestVectors.Lengths)
        {
            int offset = n % 3;
            var x = TestVectors.Mixed(rng, n + offset).AsSpan(offset);
            var y = TestVectors.Mixed(rng, n);
            var op = new ScaledDifference(1.5f);
            var expected = new float[n];
            for (int i = 0; i < n; i++) expected[i] = op.Invoke(x[i], y[i]);
            foreach (var width in Widths)
            {
                var actual = Sentinels(n);
                Numerics.Simd.Map(width, x, y, actual, op);
                TestVectors.AssertBitwise(expected, actual, $"binary {width} n={n}");
                var inPlace = (float[])y.Clone();
                Numerics.Simd.Map(width, x, inPlace, inPlace, op);
                TestVectors.AssertBitwise(expected, inPlace, $"binary in place {width} n={n}");
            }
        }
    }

    [Fact]
    public void TernaryMapEqualsTheScalarLoopAtEveryWidthAndLengthInBothPrecisions()
    {
        var rng = new Rng(7003UL);
        foreach (int n in TestVectors.Lengths)
        {
            int offset = n % 3;
            var x = TestVectors.Mixed(rng, n + offset).AsSpan(offset);
            var y = TestVectors.Mixed(rng, n);
            var z = TestVectors.Mixed(rng, n);
            var expected = new float[n];
            for (int i = 0; i < n; i++) expected[i] = default(FusedSelect<float>).Invoke(x[i], y[i], z[i]);
            var xd = Doubles(rng, n + offset).AsSpan(offset);
            var yd = Doubles(rng, n);
            var zd = Doubles(rng, n);
            var expectedD = new double[n];
            for (int i = 0; i < n; i++) expectedD[i] = default(FusedSelect<double>).Invoke(xd[i], yd[i], zd[i]);
            foreach (var width in Widths)
            {
                var actual = Sentinels(n);
                Numerics.Simd.Map(width, x, y, z, actual, default(FusedSelect<float>));
                TestVectors.AssertBitwise(expected, actual, $"ternary float {width} n={n}");
                var actualD = new double[n];
                actualD.AsSpan().Fill(double.NaN);
                Numerics.Simd.Map(width, xd, yd, zd, actualD, default(FusedSelect<double>));
                TestVectors.AssertBitwise(expectedD, actualD, $"ternary double {width} n={n}");
                var inPlace = (double[])zd.Clone();
                Numerics.Simd.Map(width, xd, yd, inPlace, inPlace, default(FusedSelect<double>));
                TestVectors.AssertBitwise(expectedD, inPlace, $"ternary double in place {width} n={n}");
            }
        }
    }

    [Fact]
    public void SumFollowsItsDocumentedOrderAndIsTheSameOnBothVectorWidths()
    {
        var rng = new Rng(7004UL);
        foreach (int n in TestVectors.Lengths)
        {
            var x = Doubles(rng, n);
            var y = Doubles(rng, n);
            var z = Doubles(rng, n);
            double initial = rng.NextNormal();
            var op = default(FusedSelect<double>);
            // The documented order: 4 lanes of a 256-bit vector, lane k over i ≡ k (mod 4) from +0, then initial +
            // Vector256.Sum(lanes), then the tail in order.
            int lanes = Vector256<double>.Count, m = n - n % lanes;
            var acc = Vector256<double>.Zero;
            for (int i = 0; i < m; i += lanes)
                acc += Vector256.Create(op.Invoke(x[i], y[i], z[i]), op.Invoke(x[i + 1], y[i + 1], z[i + 1]), op.Invoke(x[i + 2], y[i + 2], z[i + 2]), op.Invoke(x[i + 3], y[i + 3], z[i + 3]));
            double expected = initial + Vector256.Sum(acc);
            for (int i = m; i < n; i++) expected += op.Invoke(x[i], y[i], z[i]);
            double sequential = initial;
            for (int i = 0; i < n; i++) sequential += op.Invoke(x[i], y[i], z[i]);

            AssertSameBits(expected, Numerics.Simd.Sum(VectorWidth.V512, x, y, z, op, initial), $"sum V512 n={n}");
            AssertSameBits(expected, Numerics.Simd.Sum(VectorWidth.V256, x, y, z, op, initial), $"sum V256 n={n}");
            AssertSameBits(sequential, Numerics.Simd.Sum(VectorWidth.Scalar, x, y, z, op, initial), $"sum scalar n={n}");
        }
    }

    [Fact]
    public void CountEqualsTheScalarCountAtEveryWidthAndLength()
    {
        var rng = new Rng(7005UL);
        foreach (int n in TestVectors.Lengths)
        {
            int offset = n % 3;
            var x = TestVectors.Mixed(rng, n + offset).AsSpan(offset);
            if (n > 0) x[n - 1] = float.NaN;   // NaN fails every comparison
            int expected = 0;
            for (int i = 0; i < n; i++) if (default(AtLeastHalf).Invoke(x[i])) expected++;
            foreach (var width in Widths)
                Assert.Equal(expected, Numerics.Simd.Count(width, x, default(AtLeastHalf)));
        }
    }

    [Fact]
    public void WalkVisitsEveryIndexOnceInOrderWithTheWidthsStepsAndTheScalarResults()
    {
        var rng = new Rng(7005UL);
        foreach (int n in TestVectors.Lengths)
        {
            var x = Doubles(rng, n);
            var expectedA = new double[n];
            var expectedB = new double[n];
            int expectedPositive = 0;
            for (int i = 0; i < n; i++)
            {
                expectedA[i] = x[i] * x[i] - 1;
                expectedB[i] = x[i] + 2;
                if (x[i] > 0) expectedPositive++;
            }
            foreach (var width in Widths)
            {
                var a = new double[n];
                var b = new double[n];
                a.AsSpan().Fill(double.NaN);
                b.AsSpan().Fill(double.NaN);
                var steps = new List<(int Start, int Lanes)>();
                var op = new TwoOutputsAndACount(x, a, b, steps);
                Numerics.Simd.Walk<double, TwoOutputsAndACount>(width, n, ref op);
                TestVectors.AssertBitwise(expectedA, a, $"walk a {width} n={n}");
                TestVectors.AssertBitwise(expectedB, b, $"walk b {width} n={n}");
                Assert.Equal(expectedPositive, op.Positive);
                // The steps tile [0, n) in increasing order: 8-lane steps first (V512 only), then 4-lane, then single elements.
                int next = 0, n512 = width == VectorWidth.V512 ? n / 8 * 8 : 0, n256 = width >= VectorWidth.V256 ? n512 + (n - n512) / 4 * 4 : 0;
                foreach (var (start, lanes) in steps)
                {
                    Assert.Equal(next, start);
                    Assert.Equal(start < n512 ? 8 : start < n256 ? 4 : 1, lanes);
                    next += lanes;
                }
                Assert.Equal(n, next);
            }
        }
    }

    [Fact]
    public void TheWidestWidthIsWhatTheMachineAccelerates()
    {
        var expected = Vector512.IsHardwareAccelerated ? VectorWidth.V512 : Vector256.IsHardwareAccelerated ? VectorWidth.V256 : VectorWidth.Scalar;
        Assert.Equal(expected, Numerics.Simd.Widest);
    }

    private static float[] Sentinels(int n)
    {
        var d = new float[n];
        d.AsSpan().Fill(float.NaN);   // an element the driver skips stays NaN (no test value maps to this NaN's bits)
        return d;
    }

    private static double[] Doubles(Rng rng, int n)
    {
        var d = new double[n];
        for (int i = 0; i < n; i++) d[i] = (i % 11) switch { 0 => 0.0, 1 => -0.0, _ => rng.NextNormal() * 3 };
        return d;
    }

    private static void AssertSameBits(double expected, double actual, string what)
    {
        if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual))
            Assert.Fail($"{what}: expected {expected:R}, got {actual:R}");
    }

    /// <summary><c>x·x·x − x</c>.</summary>
    private readonly struct Cubic : IUnaryOperator<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x * x * x - x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x) => x * x * x - x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x) => x * x * x - x;
    }

    /// <summary><c>(x − y)·c</c> with a parameter c.</summary>
    private readonly struct ScaledDifference(float c) : IBinaryOperator<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x, float y) => (x - y) * c;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => (x - y) * Vector256.Create(c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => (x - y) * Vector512.Create(c);
    }

    /// <summary><c>x &gt; y ? x·z − y : z</c>.</summary>
    private readonly struct FusedSelect<T> : ITernaryOperator<T> where T : unmanaged, System.Numerics.INumber<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Invoke(T x, T y, T z) => x > y ? x * z - y : z;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> z) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, y), x * z - y, z);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> z) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, y), x * z - y, z);
    }

    /// <summary>An index walk with two outputs and a count: <c>a = x·x − 1</c>, <c>b = x + 2</c>, positives counted; records its steps.</summary>
    private ref struct TwoOutputsAndACount(double[] x, double[] a, double[] b, List<(int, int)> steps) : IIndexSteps<double>
    {
        public int Positive;

        public void Step(int i)
        {
            steps.Add((i, 1));
            a[i] = x[i] * x[i] - 1;
            b[i] = x[i] + 2;
            if (x[i] > 0) Positive++;
        }

        public void Step256(int i)
        {
            steps.Add((i, 4));
            var v = Vector256.Create(x.AsSpan(i, 4));
            (v * v - Vector256<double>.One).CopyTo(a.AsSpan(i));
            (v + Vector256.Create(2.0)).CopyTo(b.AsSpan(i));
            Positive += System.Numerics.BitOperations.PopCount(Vector256.GreaterThan(v, Vector256<double>.Zero).ExtractMostSignificantBits());
        }

        public void Step512(int i)
        {
            steps.Add((i, 8));
            var v = Vector512.Create(x.AsSpan(i, 8));
            (v * v - Vector512<double>.One).CopyTo(a.AsSpan(i));
            (v + Vector512.Create(2.0)).CopyTo(b.AsSpan(i));
            Positive += System.Numerics.BitOperations.PopCount(Vector512.GreaterThan(v, Vector512<double>.Zero).ExtractMostSignificantBits());
        }
    }

    /// <summary><c>x ≥ 0.5</c>.</summary>
    private readonly struct AtLeastHalf : IPredicate<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Invoke(float x) => x >= 0.5f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x) => Vector256.GreaterThanOrEqual(x, Vector256.Create(0.5f));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x) => Vector512.GreaterThanOrEqual(x, Vector512.Create(0.5f));
    }
}
