using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics;

/// <summary>
/// Flushing subnormal floats to zero: <c>x ← ±0</c> (the sign of x kept) when <c>0 &lt; |x| &lt; 2⁻¹²⁶</c>; every other
/// value (normal, ±0, ±∞, NaN) is returned unchanged, bit for bit. The test is on the bits, not a float comparison:
/// <c>(bits(x) &amp; 0x7FFFFFFF) &lt; below</c> with <c>below = </c><see cref="MinNormalBits"/> (0x00800000, the bits of
/// 2⁻¹²⁶) to flush and <c>below = 0</c> to flush nothing (no magnitude is below 0), so a kernel can switch the flush on
/// or off per call without a branch in its loop. A NaN's exponent field is all ones: it is never flushed.
/// <para>
/// Why: on Intel cores a multiply or FMA with a subnormal operand or result takes a microcode assist (≈ 4 ns per
/// element measured on the session-12 Xeon, ≈ 12× a normal multiply); AMD Zen handles them at full speed. State that
/// decays geometrically with no input (Adam's m and v, SGD's momentum buffer, for a weight whose gradient is exactly 0)
/// reaches the subnormal range and stays there: 0.9 × one subnormal ulp rounds back to that ulp. The callers prove, each
/// for its own formula, that the flush cannot change a result of normal magnitude (docs/algorithms/adam.md, sgd.md,
/// "Subnormal state (session 12)").
/// </para>
/// </summary>
internal static class Subnormals
{
    /// <summary>The bits of 2⁻¹²⁶, the least positive normal float: magnitudes whose bits are below it are subnormal (or 0).</summary>
    public const int MinNormalBits = 0x00800000;

    /// <summary>Scalar reference: x with its magnitude cleared when <c>(bits(x) &amp; 0x7FFFFFFF) &lt; below</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Flush(float x, int below)
    {
        int bits = BitConverter.SingleToInt32Bits(x);
        int magnitude = bits & int.MaxValue;
        return magnitude < below ? BitConverter.Int32BitsToSingle(bits ^ magnitude) : x;
    }

    /// <summary><see cref="Flush(float, int)"/> lane by lane (bit for bit the same).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Flush(Vector<float> x, Vector<int> below)
    {
        var bits = x.As<float, int>();
        var magnitude = bits & new Vector<int>(int.MaxValue);
        return (bits ^ (magnitude & Vector.LessThan(magnitude, below))).As<int, float>();
    }

    /// <summary><see cref="Flush(float, int)"/> lane by lane (bit for bit the same).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Flush(Vector512<float> x, Vector512<int> below)
    {
        var bits = x.AsInt32();
        var magnitude = bits & Vector512.Create(int.MaxValue);
        return (bits ^ (magnitude & Vector512.LessThan(magnitude, below))).AsSingle();
    }
}
