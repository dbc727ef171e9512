namespace Occam.Numerics.Losses;

/// <summary>
/// Softmax cross-entropy on logits, PyTorch's <c>CrossEntropyLoss(reduction='mean')</c>. For row r with
/// logits z (K values) and class c: <c>ℓ = log Σⱼ e^{zⱼ − m} + m − z_c</c> with m = maxⱼ zⱼ (stable
/// log-sum-exp); <c>L = (1/R)·Σ ℓ</c>; <c>∂L/∂zⱼ = (softmax(z)ⱼ − [j = c])/R</c>.
/// </summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>
    /// Returns the mean loss over <paramref name="rows"/> rows of <paramref name="classes"/> logits each and writes
    /// the gradient. <paramref name="labels"/> holds the class index of each row as a float (0..K−1).
    /// </summary>
    public static float Compute(ReadOnlySpan<float> logits, int rows, int classes, ReadOnlySpan<float> labels, Span<float> gradient)
    {
        Preconditions.CheckLength(logits.Length, rows * classes);
        Preconditions.CheckLength(labels.Length, rows);
        Preconditions.CheckLength(gradient.Length, rows * classes);
        if (rows == 0) return 0f;
        double sum = 0;
        float inv = 1f / rows;
        for (int r = 0; r < rows; r++)
        {
            var z = logits.Slice(r * classes, classes);
            var g = gradient.Slice(r * classes, classes);
            int c = (int)labels[r];
            System.Diagnostics.Debug.Assert((uint)c < (uint)classes, "label out of range");
            float m = z[0];
            for (int j = 1; j < classes; j++) if (z[j] > m) m = z[j];
            float s = 0f;
            for (int j = 0; j < classes; j++)
            {
                float e = MathF.Exp(z[j] - m);
                g[j] = e;
                s += e;
            }
            sum += Math.Log(s) + m - z[c];
            float scale = inv / s;
            for (int j = 0; j < classes; j++) g[j] *= scale;
            g[c] -= inv;
        }
        return (float)(sum / rows);
    }

    /// <summary>Returns the mean loss only.</summary>
    public static double Value(ReadOnlySpan<float> logits, int rows, int classes, ReadOnlySpan<float> labels)
    {
        Preconditions.CheckLength(logits.Length, rows * classes);
        Preconditions.CheckLength(labels.Length, rows);
        if (rows == 0) return 0;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            var z = logits.Slice(r * classes, classes);
            double m = z[0];
            for (int j = 1; j < classes; j++) if (z[j] > m) m = z[j];
            double s = 0;
            for (int j = 0; j < classes; j++) s += Math.Exp(z[j] - m);
            sum += Math.Log(s) + m - z[(int)labels[r]];
        }
        return sum / rows;
    }
}
