using Occam.Numerics.Random;

namespace Occam.Nn;

/// <summary>
/// Inverted-dropout masks: <c>mask[i] = 0</c> with probability p, else <c>1/(1 − p)</c>. One 64-bit draw of the
/// generator per mask (per dropout layer and step) seeds a counter-based stream (<see cref="KeepMask"/>: SplitMix64
/// outputs, four 16-bit uniforms u each), and unit i is dropped when <c>u &lt; min(round(p·2¹⁶), 65535)</c>, so the drop
/// rate is p rounded to a multiple of 2⁻¹⁶ (|error| ≤ 7.7e-6). Element i of the flattened <c>[rows][width]</c> mask
/// depends only on that seed and i, so the mask is the same whichever thread or pass fills which part (the fused
/// ReLU·dropout pass of <see cref="Backprop"/> draws the same seed and fills the same mask). The vectorized
/// <see cref="Fill"/> and the scalar <see cref="FillScalar"/> consume the generator identically and give the same mask.
/// </summary>
internal static class DropoutMask
{
    /// <summary>Fills <paramref name="mask"/> from one draw of <paramref name="rng"/> (32 units per iteration with AVX-512).</summary>
    public static void Fill(Span<float> mask, double p, Rng rng) =>
        KeepMask.Fill(mask, rng.NextUInt64(), 0, Threshold(p), Keep(p));

    /// <summary>Scalar reference of <see cref="Fill"/>.</summary>
    public static void FillScalar(Span<float> mask, double p, Rng rng) =>
        KeepMask.FillScalar(mask, rng.NextUInt64(), 0, Threshold(p), Keep(p));

    /// <summary><c>min(round(p·2¹⁶), 65535)</c>: a unit is dropped when its 16-bit uniform is below it.</summary>
    public static ushort Threshold(double p)
    {
        System.Diagnostics.Debug.Assert(p >= 0 && p < 1);
        return (ushort)Math.Min(Math.Round(p * 65536.0), 65535);
    }

    /// <summary>The scale of kept units, <c>(float)(1/(1 − p))</c>.</summary>
    public static float Keep(double p) => (float)(1.0 / (1.0 - p));
}
