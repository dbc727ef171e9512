using Occam.Data;
using Occam.Numerics.Random;

namespace Occam.Tests.Data;

public class SyntheticTests
{
    public static TheoryData<string> Names => new() { "xor", "circles", "spiral", "spiral2", "blobs", "blobs2", "poly" };

    private static Dataset Make(string name, ulong seed) => name switch
    {
        "xor" => Synthetic.Xor(300, 0.1, new Rng(seed)),
        "circles" => Synthetic.Circles(301, 0.05, 0.5, new Rng(seed)),
        "spiral" => Synthetic.Spiral(301, 3, 0.2, new Rng(seed)),
        "spiral2" => Synthetic.Spiral(100, 2, 0.2, new Rng(seed)),
        "blobs" => Synthetic.Blobs(301, 4, 3, 1.0, new Rng(seed)),
        "blobs2" => Synthetic.Blobs(100, 2, 5, 1.0, new Rng(seed)),
        "poly" => Synthetic.Polynomial(50, 3, 0.1, new Rng(seed)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void SameSeedSameData_OtherSeedOtherData(string name)
    {
        var a = Make(name, 42);
        var b = Make(name, 42);
        var c = Make(name, 43);
        Assert.Equal(a.X, b.X);
        Assert.Equal(a.Y, b.Y);
        Assert.NotEqual(a.X, c.X);
    }

    [Theory]
    [InlineData("xor", 300, 2, TaskKind.Binary, 2)]
    [InlineData("circles", 301, 2, TaskKind.Binary, 2)]
    [InlineData("spiral", 301, 2, TaskKind.Multiclass, 3)]
    [InlineData("spiral2", 100, 2, TaskKind.Binary, 2)]
    [InlineData("blobs", 301, 3, TaskKind.Multiclass, 4)]
    [InlineData("blobs2", 100, 5, TaskKind.Binary, 2)]
    [InlineData("poly", 50, 1, TaskKind.Regression, 1)]
    public void ShapeAndClasses(string name, int rows, int features, TaskKind task, int classes)
    {
        var d = Make(name, 1);
        Assert.Equal(rows, d.Rows);
        Assert.Equal(features, d.Features);
        Assert.Equal(task, d.Task);
        Assert.Equal(classes, d.ClassCount);
        Assert.All(d.X, v => Assert.True(double.IsFinite(v)));
        if (task != TaskKind.Regression)
        {
            Assert.Equal(Enumerable.Range(0, classes).Select(k => k.ToString()), d.Classes!);
            // Every class present, sizes balanced to within one (XOR is balanced only in expectation).
            var counts = d.Y.GroupBy(v => v).OrderBy(g => g.Key).Select(g => g.Count()).ToArray();
            Assert.Equal(Enumerable.Range(0, classes).Select(k => (double)k), d.Y.Distinct().Order());
            if (name != "xor")
                Assert.True(counts.Max() - counts.Min() <= 1, string.Join(",", counts));
        }
    }

    [Fact]
    public void CleanXorLabelsAreTheSignOfTheProduct()
    {
        var d = Synthetic.Xor(500, 0, new Rng(5));
        for (int i = 0; i < d.Rows; i++)
        {
            double a = d.X[2 * i], b = d.X[2 * i + 1];
            Assert.InRange(a, -1, 1);
            Assert.InRange(b, -1, 1);
            Assert.Equal(a * b > 0 ? 1.0 : 0.0, d.Y[i]);
        }
        // With noise the points stay in the square but some labels flip.
        var noisy = Synthetic.Xor(500, 0.3, new Rng(5));
        Assert.All(noisy.X, v => Assert.InRange(v, -1, 1));
        int flipped = Enumerable.Range(0, 500).Count(i => (noisy.X[2 * i] * noisy.X[2 * i + 1] > 0 ? 1.0 : 0.0) != noisy.Y[i]);
        Assert.InRange(flipped, 10, 200);
    }

    [Fact]
    public void CleanCirclesLieOnTheirRadius()
    {
        var d = Synthetic.Circles(200, 0, 0.3, new Rng(9));
        for (int i = 0; i < d.Rows; i++)
        {
            double r = Math.Sqrt(d.X[2 * i] * d.X[2 * i] + d.X[2 * i + 1] * d.X[2 * i + 1]);
            Assert.Equal(d.Y[i] == 1 ? 0.3 : 1.0, r, 12);
        }
    }

    [Fact]
    public void CleanSpiralArmsFollowTheirAngle()
    {
        // Without noise, a point of class k at radius r > 0 has angle 2πk/K + 4r (mod 2π), measured as atan2(x, y).
        int k = 4;
        var d = Synthetic.Spiral(200, k, 0, new Rng(2));
        for (int i = 0; i < d.Rows; i++)
        {
            double x = d.X[2 * i], y = d.X[2 * i + 1];
            double r = Math.Sqrt(x * x + y * y);
            Assert.InRange(r, 0, 1 + 1e-12);
            if (r < 1e-9)
                continue;
            double expected = 2 * Math.PI * d.Y[i] / k + 4 * r;
            double diff = Math.IEEERemainder(Math.Atan2(x, y) - expected, 2 * Math.PI);
            Assert.Equal(0, diff, 9);
        }
    }

    [Fact]
    public void BlobsClusterAroundTheirCentres()
    {
        // With std 0 every point of a class sits on its centre, and centres lie in [-10, 10]^p.
        var d = Synthetic.Blobs(40, 4, 3, 0, new Rng(8));
        for (int c = 0; c < 4; c++)
        {
            var rows = Enumerable.Range(0, d.Rows).Where(i => d.Y[i] == c).ToArray();
            Assert.Equal(10, rows.Length);
            foreach (int i in rows)
                Assert.Equal(d.Row(rows[0]).ToArray(), d.Row(i).ToArray());
            Assert.All(d.Row(rows[0]).ToArray(), v => Assert.InRange(v, -10, 10));
        }
    }

    [Fact]
    public void NoiselessPolynomialIsAPolynomialOfTheGivenDegree()
    {
        // Interpolate through the first degree+1 points (Lagrange); every other point must lie on it.
        int degree = 4;
        var d = Synthetic.Polynomial(40, degree, 0, new Rng(11));
        Assert.Equal(["x"], d.FeatureNames);
        Assert.All(d.X, v => Assert.InRange(v, -1, 1));
        double Interpolate(double t)
        {
            double sum = 0;
            for (int i = 0; i <= degree; i++)
            {
                double w = d.Y[i];
                for (int j = 0; j <= degree; j++)
                {
                    if (j != i)
                        w *= (t - d.X[j]) / (d.X[i] - d.X[j]);
                }
                sum += w;
            }
            return sum;
        }
        for (int i = degree + 1; i < d.Rows; i++)
            Assert.Equal(d.Y[i], Interpolate(d.X[i]), 6);

        // Degree 4 is not degree 3: interpolating through 4 points misses the others.
        var cubicFit = Synthetic.Polynomial(40, 3, 0, new Rng(11));
        Assert.NotEqual(cubicFit.Y, d.Y);
    }

    [Fact]
    public void PolynomialNoiseHasTheRequestedSpread()
    {
        var noisy = Synthetic.Polynomial(4000, 0, 0.5, new Rng(4));
        // Degree 0: y = c0 + noise, so the sample std of y is the noise level.
        double mean = noisy.Y.Average();
        double std = Math.Sqrt(noisy.Y.Sum(v => (v - mean) * (v - mean)) / noisy.Rows);
        Assert.Equal(0.5, std, 1);
    }

    [Fact]
    public void Validation()
    {
        var rng = new Rng(1);
        Assert.Throws<OccamException>(() => Synthetic.Xor(1, 0, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => Synthetic.Xor(10, -1, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => Synthetic.Circles(10, 0, 1, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => Synthetic.Circles(10, 0, 0, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => Synthetic.Spiral(10, 1, 0, rng));
        Assert.Throws<OccamException>(() => Synthetic.Spiral(5, 3, 0, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => Synthetic.Blobs(10, 1, 2, 1, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => Synthetic.Blobs(10, 2, 0, 1, rng));
        Assert.Throws<OccamException>(() => Synthetic.Polynomial(0, 2, 0, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => Synthetic.Polynomial(10, -1, 0, rng));
        Assert.Throws<ArgumentNullException>(() => Synthetic.Xor(10, 0, null!));
    }

    [Fact]
    public void CleanPlaneAndBumpsFollowTheirFormulas()
    {
        var plane = Synthetic.Plane(200, 0, new Rng(5));
        Assert.Equal(TaskKind.Regression, plane.Task);
        for (int i = 0; i < plane.Rows; i++)
        {
            Assert.InRange(plane.X[2 * i], -1, 1);
            Assert.Equal((plane.X[2 * i] + plane.X[2 * i + 1]) / 2, plane.Y[i], 12);
        }
        var bumps = Synthetic.GaussianBumps(400, 0, new Rng(5));
        for (int i = 0; i < bumps.Rows; i++)
        {
            double a = bumps.X[2 * i], b = bumps.X[2 * i + 1];
            double expected = 0;
            foreach (var (ca, cb, sign) in new[] { (0.5, 0.5, 1.0), (-0.5, -0.5, 1.0), (0.5, -0.5, -1.0), (-0.5, 0.5, -1.0) })
                expected += sign * Math.Exp(-((a - ca) * (a - ca) + (b - cb) * (b - cb)) / 0.18);
            Assert.Equal(expected, bumps.Y[i], 12);
        }
        // The bump at (0.5, 0.5) is a maximum near 1: some point close to it is high, one near (0.5, -0.5) low.
        Assert.True(bumps.Y.Max() > 0.8 && bumps.Y.Min() < -0.8);
        var noisy = Synthetic.Plane(4000, 0.5, new Rng(6));
        double sd = Math.Sqrt(Enumerable.Range(0, noisy.Rows).Select(i => noisy.Y[i] - (noisy.X[2 * i] + noisy.X[2 * i + 1]) / 2).Sum(r => r * r) / noisy.Rows);
        Assert.Equal(0.5, sd, 1);
    }
}
