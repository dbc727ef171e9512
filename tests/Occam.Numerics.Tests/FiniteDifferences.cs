namespace Occam.Numerics.Tests;

/// <summary>Central finite differences of a double-valued function of a float vector.</summary>
internal static class FiniteDifferences
{
    /// <summary>
    /// ∂f/∂x[i] ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / (x₊ − x₋), where x₊ and x₋ are the float values actually
    /// evaluated (x[i] ± h rounded to float), so rounding of the step does not bias the quotient.
    /// </summary>
    public static double Central(float[] x, int i, double h, Func<float[], double> f)
    {
        float saved = x[i];
        float plus = (float)(saved + h), minus = (float)(saved - h);
        x[i] = plus;
        double fPlus = f(x);
        x[i] = minus;
        double fMinus = f(x);
        x[i] = saved;
        return (fPlus - fMinus) / ((double)plus - minus);
    }
}
