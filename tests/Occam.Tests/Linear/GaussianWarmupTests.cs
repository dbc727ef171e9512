using System.Numerics.Tensors;
using Occam.Linear;
using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Standardization;

namespace Occam.Tests.Linear;

/// <summary>
/// <see cref="GaussianWarmup.Run"/> runs the Gram fit's kernels on its own tiny problem (the code the CLI's warm-up
/// thread compiles ahead): its result equals the same computation through the scalar references, and running it leaves a
/// lasso fit's bits unchanged.
/// </summary>
public class GaussianWarmupTests
{
    [Fact]
    public void ItComputesWhatTheScalarReferencesCompute()
    {
        const int rows = 24, p = 16;
        var a = new double[rows * p];
        for (int i = 0; i < a.Length; i++) a[i] = ((i * 7) % 11) - 5.0 + 0.25 * (i % 3);
        var v = new double[rows];
        for (int i = 0; i < rows; i++) v[i] = 0.5 * i - 3.0;
        Axpy.Scalar(-0.5, a.AsSpan(0, rows), v);
        double expected = Dot.Scalar(a.AsSpan(0, rows), v) + TensorPrimitives.Dot<double>(v, v);
        // G[1,1] and (X̃ᵀỹ)[1] of the centred, scaled rows, summed directly.
        double g11 = 0, xty1 = 0;
        for (int i = 0; i < rows; i++)
        {
            double x1 = (a[i * p + 1] - 0.5) / 2;
            g11 += x1 * x1;
            xty1 += x1 * v[i];
        }
        expected += g11 + xty1;
        var sum = new double[p];
        var min = new double[p];
        var max = new double[p];
        var ss = new double[p];
        var inv = new double[p];
        for (int j = 0; j < p; j++) inv[j] = 1.0 / (1 + j);
        for (int i = 0; i < rows; i++)
        {
            SquaredDeviations.AddScalar(a.AsSpan(i * p, p), inv, ss);
            ColumnSums.AddScalar(a.AsSpan(i * p, p), sum, min, max);
        }
        expected += sum[0] + ss[0];
        double actual = GaussianWarmup.Run();
        Assert.Equal(expected, actual, 1e-9);
        Assert.Equal(actual, GaussianWarmup.Run());
    }

    [Fact]
    public void AFitAfterItHasTheSameBits()
    {
        var (x, y, n, p) = LinearTestData.DiabetesPrepared();
        var before = ElasticNetRegression.Fit(x, n, p, y, 0.5);
        GaussianWarmup.Run();
        var after = ElasticNetRegression.Fit(x, n, p, y, 0.5);
        Assert.Equal(before.Model.Coef.Select(BitConverter.DoubleToInt64Bits), after.Model.Coef.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(BitConverter.DoubleToInt64Bits(before.Model.Intercept), BitConverter.DoubleToInt64Bits(after.Model.Intercept));
    }
}
