using System.Numerics.Tensors;

namespace Occam.Numerics.Prox;

/// <summary>
/// Block soft-thresholding, the proximal operator of <c>t·‖w_g‖₂</c> for one group g (group lasso):
/// <c>w_g ← max(0, 1 − t/‖w_g‖₂)·w_g</c>. A group whose norm is ≤ t becomes exactly zero (all
/// coordinates <c>+0f</c>), which is how group lasso removes whole units. Reference: Yuan &amp; Lin,
/// "Model selection and estimation in regression with grouped variables", JRSS-B 2006; Parikh &amp;
/// Boyd (2014) §6.5.4.
/// </summary>
public static class BlockSoftThreshold
{
    /// <summary>Shrinks the group in place; returns true when the whole group became zero.</summary>
    public static bool Apply(Span<float> group, float threshold)
    {
        System.Diagnostics.Debug.Assert(threshold >= 0f);
        float norm = TensorPrimitives.Norm((ReadOnlySpan<float>)group);
        if (float.IsPositiveInfinity(norm)) return ApplyScalar(group, threshold); // ‖w‖² overflowed float (|wᵢ| ≳ 1.8e19)
        if (norm <= threshold)
        {
            group.Clear();
            return true;
        }
        TensorPrimitives.Multiply(group, 1f - threshold / norm, group);
        return false;
    }

    /// <summary>Scalar reference: the norm accumulated in double, then the same shrinkage.</summary>
    public static bool ApplyScalar(Span<float> group, float threshold)
    {
        double sumSq = 0;
        foreach (float v in group) sumSq += (double)v * v;
        float norm = (float)Math.Sqrt(sumSq);
        if (norm <= threshold)
        {
            group.Clear();
            return true;
        }
        float scale = 1f - threshold / norm;
        for (int i = 0; i < group.Length; i++) group[i] *= scale;
        return false;
    }
}
