namespace Occam.Numerics.Losses;

/// <summary>
/// Binary logistic loss on logits, PyTorch's <c>BCEWithLogitsLoss(reduction='mean')</c>, written in
/// the stable form <c>ℓ(z, y) = max(z, 0) − z·y + log(1 + e^{−|z|})</c>; <c>L = (1/N)·Σ ℓ(zᵢ, yᵢ)</c>,
/// <c>∂L/∂zᵢ = (σ(zᵢ) − yᵢ)/N</c>. Targets are 0 or 1 (soft targets in [0, 1] also work).
/// </summary>
public static class LogisticLoss
{
    /// <summary>Returns the mean loss and writes <c>gradient[i] = (σ(z[i]) − y[i])/N</c>.</summary>
    public static float Compute(ReadOnlySpan<float> logits, ReadOnlySpan<float> target, Span<float> gradient)
    {
        Preconditions.CheckLength(target.Length, logits.Length);
        Preconditions.CheckLength(gradient.Length, logits.Length);
        int n = logits.Length;
        if (n == 0) return 0f;
        double sum = 0;
        float inv = 1f / n;
        for (int i = 0; i < n; i++)
        {
            float z = logits[i], y = target[i];
            sum += Pointwise(z, y);
            gradient[i] = (Activations.Sigmoid.Scalar(z) - y) * inv;
        }
        return (float)(sum / n);
    }

    /// <summary>Returns the mean loss only.</summary>
    public static double Value(ReadOnlySpan<float> logits, ReadOnlySpan<float> target)
    {
        Preconditions.CheckLength(target.Length, logits.Length);
        if (logits.Length == 0) return 0;
        double sum = 0;
        for (int i = 0; i < logits.Length; i++) sum += Pointwise(logits[i], target[i]);
        return sum / logits.Length;
    }

    /// <summary><c>max(z, 0) − z·y + log(1 + e^{−|z|})</c> in double precision.</summary>
    public static double Pointwise(float z, float y)
    {
        double zd = z;
        return Math.Max(zd, 0) - zd * y + Math.Log(1 + Math.Exp(-Math.Abs(zd)));
    }
}
