namespace Occam.Numerics.Losses;

/// <summary>
/// Mean squared error over every element (rows × outputs), PyTorch's <c>MSELoss(reduction='mean')</c>:
/// <c>L = (1/N)·Σᵢ (pᵢ − tᵢ)²</c> with N = prediction.Length, and <c>∂L/∂pᵢ = 2(pᵢ − tᵢ)/N</c>.
/// </summary>
public static class MeanSquaredError
{
    /// <summary>Returns the mean loss and writes <c>gradient[i] = 2(p[i] − t[i])/N</c>.</summary>
    public static float Compute(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        Preconditions.CheckLength(target.Length, prediction.Length);
        Preconditions.CheckLength(gradient.Length, prediction.Length);
        int n = prediction.Length;
        if (n == 0) return 0f;
        double sum = 0;
        float scale = 2f / n;
        for (int i = 0; i < n; i++)
        {
            float d = prediction[i] - target[i];
            sum += (double)d * d;
            gradient[i] = scale * d;
        }
        return (float)(sum / n);
    }

    /// <summary>Returns the mean loss only.</summary>
    public static double Value(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target)
    {
        Preconditions.CheckLength(target.Length, prediction.Length);
        if (prediction.Length == 0) return 0;
        double sum = 0;
        for (int i = 0; i < prediction.Length; i++)
        {
            double d = (double)prediction[i] - target[i];
            sum += d * d;
        }
        return sum / prediction.Length;
    }
}
