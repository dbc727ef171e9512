using System.Numerics.Tensors;

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
        // Blocks of rows: shifted logits z − m into the gradient buffer, one vectorized exp over the block, then per row
        // the sum (in j order), the loss term and the scaling. Same operations as one row at a time; only e^x is the
        // vectorized TensorPrimitives.Exp instead of MathF.Exp (≤ 1 ulp apart).
        const int block = 64;
        Span<float> maxima = stackalloc float[block];
        for (int r0 = 0; r0 < rows; r0 += block)
        {
            int count = Math.Min(block, rows - r0);
            for (int r = 0; r < count; r++)
            {
                var z = logits.Slice((r0 + r) * classes, classes);
                float m = z[0];
                for (int j = 1; j < classes; j++) if (z[j] > m) m = z[j];
                maxima[r] = m;
                TensorPrimitives.Subtract(z, m, gradient.Slice((r0 + r) * classes, classes));
            }
            var e = gradient.Slice(r0 * classes, count * classes);
            TensorPrimitives.Exp(e, e);
            for (int r = 0; r < count; r++)
            {
                var z = logits.Slice((r0 + r) * classes, classes);
                var g = gradient.Slice((r0 + r) * classes, classes);
                int c = (int)labels[r0 + r];
                System.Diagnostics.Debug.Assert((uint)c < (uint)classes, "label out of range");
                float s = 0f;
                for (int j = 0; j < classes; j++) s += g[j];
                sum += Math.Log(s) + maxima[r] - z[c];
                TensorPrimitives.Multiply(g, inv / s, g);
                g[c] -= inv;
            }
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
