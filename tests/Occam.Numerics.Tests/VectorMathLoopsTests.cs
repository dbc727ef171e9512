using System.Numerics.Tensors;
using Occam.Numerics.Random;
using Occam.Numerics.Functions;

namespace Occam.Numerics.Tests;

/// <summary>
/// <see cref="VectorMathLoops"/> gives <c>TensorPrimitives</c>' values: every length 0..257, into another array and in place,
/// on ordinary values and on the special ones (±0, ±∞, NaN, subnormals, the ends of exp's range, negative logs); bitwise
/// for the float sigmoid, within 1 ulp for the double exp and log (see <c>AssertWithinOneUlp</c>: the library's own bits
/// move by an ulp within one process).
/// </summary>
public class VectorMathLoopsTests
{
    private static double[] DoubleInputs(Rng rng, int n, Func<Rng, double> ordinary, double[] specials)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++)
            x[i] = rng.NextInt(6) == 0 ? specials[rng.NextInt(specials.Length)] : ordinary(rng);
        return x;
    }

    /// <summary>A copy of <paramref name="values"/> on the pinned heap: a collection cannot move it between two calls.</summary>
    private static double[] Pinned(double[] values)
    {
        var copy = GC.AllocateUninitializedArray<double>(values.Length, pinned: true);
        values.CopyTo(copy, 0);
        return copy;
    }

    private static void CheckDouble(string name, Action<double[], double[]> library, Action<double[], double[]> ours,
        Func<Rng, double> ordinary, double[] specials, ulong seed)
    {
        var rng = new Rng(seed);
        foreach (int n in TestVectors.Lengths)
        {
            foreach (bool withSpecials in new[] { false, true })
            {
                var x = Pinned(DoubleInputs(rng, n, ordinary, withSpecials ? specials : [0.5]));
                // Into the same pinned array for both: where Vector512.Exp computes a whole vector by Math.Exp (a lane
                // beyond ±709 or NaN), the library groups lanes into vectors by the destination's alignment, so its bits
                // can depend on the destination's address (seen: into two new arrays, 1 ulp apart; and into one array
                // that a collection moved between the two calls).
                var buffer = Pinned(new double[n]);
                ours(x, buffer);
                var ourResult = (double[])buffer.Clone();
                library(x, buffer);
                AssertWithinOneUlp(buffer, ourResult, $"{name}, n = {n}, specials {withSpecials}");
                var inPlace = Pinned(x);
                ours(inPlace, inPlace);
                var ourInPlace = (double[])inPlace.Clone();
                x.CopyTo(inPlace, 0);
                library(inPlace, inPlace);
                AssertWithinOneUlp(inPlace, ourInPlace, $"{name} in place, n = {n}, specials {withSpecials}");
                if (!withSpecials) AssertWithinOneUlp(ourResult, ourInPlace, $"{name} in place vs into another array, n = {n}");
            }
        }
    }

    /// <summary>
    /// Equal but for at most 1 ulp where finite (NaN where NaN, the same infinity). Not bitwise: the double exp is not
    /// stable within one process — two calls of <c>TensorPrimitives.Exp</c> into the same pinned buffer differed by 1 ulp
    /// (CI on a fresh clone, 2026-12-03 10:26 UTC: e^20.87, 0x41D13CFF6574A173 vs …72). Both the library and our loops
    /// call CoreLib's <c>VectorMath.ExpDouble</c>, which is not inlined into either: it is jitted at tier 0 and later
    /// re-jitted at tier 1 (JIT summary of this test), and its <c>MultiplyAddEstimate</c> steps may round differently in
    /// the two, so whichever call comes after the switch can differ by an ulp.
    /// </summary>
    private static void AssertWithinOneUlp(double[] library, double[] ours, string what)
    {
        Assert.Equal(library.Length, ours.Length);
        for (int i = 0; i < library.Length; i++)
        {
            double e = library[i], a = ours[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a)
                : double.IsInfinity(e) || double.IsInfinity(a) ? e == a
                : Math.Abs(BitConverter.DoubleToInt64Bits(e) - BitConverter.DoubleToInt64Bits(a)) <= 1 && (e == 0) == (a == 0) && Math.Sign(e) == Math.Sign(a);
            if (!ok)
                Assert.Fail($"{what}: index {i} of {library.Length}: library {e:R} (0x{BitConverter.DoubleToInt64Bits(e):X16}), ours {a:R} (0x{BitConverter.DoubleToInt64Bits(a):X16})");
        }
    }

    [Fact]
    public void ExpWithinOneUlpOfTheLibraryAtEveryLength()
    {
        double[] specials = [0.0, -0.0, 709.0, -709.0, 709.5, -745.2, -746.0, 710.0, double.PositiveInfinity,
            double.NegativeInfinity, double.NaN, double.Epsilon, -double.Epsilon, 1e-310, double.MaxValue, double.MinValue];
        CheckDouble("Exp", (x, y) => TensorPrimitives.Exp(x, y), (x, y) => VectorMathLoops.Exp(x, y),
            r => -40 + 80 * r.NextDouble(), specials, 1701UL);
        // The logistic terms' input: e^(−|η|), in range.
        CheckDouble("Exp(-|eta|)", (x, y) => TensorPrimitives.Exp(x, y), (x, y) => VectorMathLoops.Exp(x, y),
            r => -Math.Abs(r.NextNormal() * 30), [0.0, -0.0, -708.9, -709.0], 1702UL);
    }

    [Fact]
    public void LogWithinOneUlpOfTheLibraryAtEveryLength()
    {
        double[] specials = [0.0, -0.0, 1.0, -1.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN,
            double.Epsilon, 1e-310, 2.2250738585072014E-308, double.MaxValue, -1e-300];
        CheckDouble("Log", (x, y) => TensorPrimitives.Log(x, y), (x, y) => VectorMathLoops.Log(x, y),
            r => Math.Exp(-30 + 60 * r.NextDouble()), specials, 1703UL);
        // Binary entropy's inputs: s and 1 − s in [0, 1].
        CheckDouble("Log on [0, 1]", (x, y) => TensorPrimitives.Log(x, y), (x, y) => VectorMathLoops.Log(x, y),
            r => r.NextDouble(), [0.0, 1.0, 1e-17, 1 - 1e-16], 1704UL);
    }

    [Fact]
    public void SigmoidGivesTheLibrarysBitsAtEveryLength()
    {
        var rng = new Rng(1705UL);
        float[] specials = [0f, -0f, 88.7f, -88.7f, 104f, -104f, 1e30f, -1e30f, float.PositiveInfinity,
            float.NegativeInfinity, float.NaN, float.Epsilon, -float.Epsilon];
        foreach (int n in TestVectors.Lengths.Skip(1))   // TensorPrimitives.Sigmoid refuses an empty span
        {
            var x = TestVectors.Mixed(rng, n, threshold: 0.75f, scale: 6.0);
            for (int i = 0; i < n; i++)
                if (rng.NextInt(8) == 0) x[i] = specials[rng.NextInt(specials.Length)];
            var expected = new float[n];
            TensorPrimitives.Sigmoid(x, expected);
            var actual = new float[n];
            VectorMathLoops.Sigmoid(x, actual);
            TestVectors.AssertBitwise(expected, actual, $"Sigmoid, n = {n}");
            var inPlace = (float[])x.Clone();
            VectorMathLoops.Sigmoid(inPlace, inPlace);
            TestVectors.AssertBitwise(expected, inPlace, $"Sigmoid in place, n = {n}");
        }
    }
}
