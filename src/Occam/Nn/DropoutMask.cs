using Occam.Numerics.Random;

namespace Occam.Nn;

/// <summary>
/// Inverted-dropout masks: <c>mask[i] = 0</c> with probability p, else <c>1/(1 − p)</c>. Each 64-bit draw of the
/// generator gives four 16-bit uniforms u, and a unit is dropped when <c>u &lt; round(p·2¹⁶)</c>, so the drop
/// rate is p rounded to a multiple of 2⁻¹⁶ (|error| ≤ 7.7e-6).
/// </summary>
public static class DropoutMask
{
    /// <summary>Fills <paramref name="mask"/> from <paramref name="rng"/>.</summary>
    public static void Fill(Span<float> mask, double p, Rng rng)
    {
        uint threshold = (uint)Math.Round(p * 65536.0);
        float keep = (float)(1.0 / (1.0 - p));
        int i = 0, n = mask.Length;
        for (; i + 4 <= n; i += 4)
        {
            ulong bits = rng.NextUInt64();
            mask[i] = (bits & 0xFFFF) < threshold ? 0f : keep;
            mask[i + 1] = ((bits >> 16) & 0xFFFF) < threshold ? 0f : keep;
            mask[i + 2] = ((bits >> 32) & 0xFFFF) < threshold ? 0f : keep;
            mask[i + 3] = (bits >> 48) < threshold ? 0f : keep;
        }
        if (i < n)
        {
            ulong bits = rng.NextUInt64();
            for (; i < n; i++, bits >>= 16) mask[i] = (bits & 0xFFFF) < threshold ? 0f : keep;
        }
    }
}
