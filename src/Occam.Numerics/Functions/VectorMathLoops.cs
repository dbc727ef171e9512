using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Functions;

/// <summary>
/// <c>TensorPrimitives.Exp</c>, <c>Log</c> (double) and <c>Sigmoid</c> (float) with the same bits, in loops that are never
/// run at tier 0. The library's AVX-512 loops cannot be precompiled (ReadyToRun code that uses Vector512 is rejected at
/// run time), so the published CLI, which keeps tier-0 code for 65 535 calls, ran them at tier 0, where every Vector512
/// operator is a call and the generic vector math runs its element-by-element software fallback (`occam linear cv` on
/// breast_cancer spent 2.1 s instead of 0.7 s in them; docs/algorithms/startup.md, "Tier 0 in the CLI").
/// <para>
/// Each loop below is <c>AggressiveOptimization</c> and calls, per 512-bit vector, the very function the library's
/// operator calls (<c>Vector512.Exp</c>, <c>Vector512.Log</c>; the sigmoid is the library's <c>1 / (1 + e^(−x))</c> on
/// vectors), so every element gets the library's value:
/// </para>
/// <list type="bullet">
/// <item><c>Vector512.Log</c> (double) and <c>Vector512.Exp</c> (float) work lane by lane (special inputs are handled by
/// masks), so the grouping of elements into vectors does not matter. The last, partial vector is the vector of the last
/// 8 (16) elements, computed before any store, so <c>destination</c> may be <c>x</c> itself.</item>
/// <item><c>Vector512.Exp</c> (double) computes a whole vector by <c>Math.Exp</c> when one of its lanes is outside
/// ±709 or NaN, so there the grouping matters (and the library's depends on the destination's alignment): a span with
/// such a value is handed to <c>TensorPrimitives.Exp</c> as a whole (a check before any store).</item>
/// <item>Spans shorter than one 512-bit vector go to the library, which computes them in narrower vectors or, for the last
/// one to three elements, by the scalar <c>Math.Exp</c>/<c>Math.Log</c>: the same call, the same bits.</item>
/// </list>
/// Without AVX-512 (where the library's Vector256 code is precompiled) every call goes to the library. Tested against
/// <c>TensorPrimitives</c> for every length 0..257, in place and not, with special values: the sigmoid bit for bit, the
/// double exp and log within 1 ulp — CoreLib's <c>VectorMath.ExpDouble</c>, which both call and which is inlined into
/// neither, is jitted at tier 0 and re-jitted at tier 1, and two calls of <c>TensorPrimitives.Exp</c> into one buffer
/// were seen 1 ulp apart across that switch (CI, 2026-12-03).
/// </summary>
internal static class VectorMathLoops
{
    /// <summary><c>TensorPrimitives.Exp(x, destination)</c>: the same function per vector (see the class for its bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // never tier 0 (see the class)
    public static void Exp(ReadOnlySpan<double> x, Span<double> destination)
    {
        int n = x.Length;
        if (!Vector512.IsHardwareAccelerated || n < Vector512<double>.Count || !WithinExpRange(x))
        {
            TensorPrimitives.Exp(x, destination);
            return;
        }
        Preconditions.CheckLength(destination.Length, n);
        ref double xs = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref double ds = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        int lastStart = n - Vector512<double>.Count;
        var last = Vector512.Exp(Vector512.LoadUnsafe(ref xs, (nuint)lastStart));
        for (int i = 0; i < lastStart; i += Vector512<double>.Count)
            Vector512.Exp(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        last.StoreUnsafe(ref ds, (nuint)lastStart);
    }

    /// <summary><c>TensorPrimitives.Log(x, destination)</c>: the same function per vector (see the class for its bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // never tier 0 (see the class)
    public static void Log(ReadOnlySpan<double> x, Span<double> destination)
    {
        int n = x.Length;
        if (!Vector512.IsHardwareAccelerated || n < Vector512<double>.Count)
        {
            TensorPrimitives.Log(x, destination);
            return;
        }
        Preconditions.CheckLength(destination.Length, n);
        ref double xs = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref double ds = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        int lastStart = n - Vector512<double>.Count;
        var last = Vector512.Log(Vector512.LoadUnsafe(ref xs, (nuint)lastStart));
        for (int i = 0; i < lastStart; i += Vector512<double>.Count)
            Vector512.Log(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        last.StoreUnsafe(ref ds, (nuint)lastStart);
    }

    /// <summary><c>TensorPrimitives.Sigmoid(x, destination)</c>, bit for bit: <c>1 / (1 + e^(−x))</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // never tier 0 (see the class)
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> destination)
    {
        int n = x.Length;
        if (!Vector512.IsHardwareAccelerated || n < Vector512<float>.Count)
        {
            TensorPrimitives.Sigmoid(x, destination);
            return;
        }
        Preconditions.CheckLength(destination.Length, n);
        ref float xs = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref float ds = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        int lastStart = n - Vector512<float>.Count;
        var last = SigmoidOf(Vector512.LoadUnsafe(ref xs, (nuint)lastStart));
        for (int i = 0; i < lastStart; i += Vector512<float>.Count)
            SigmoidOf(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        last.StoreUnsafe(ref ds, (nuint)lastStart);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> SigmoidOf(Vector512<float> x) =>
        Vector512.Create(1f) / (Vector512.Create(1f) + Vector512.Exp(-x));

    /// <summary>
    /// Every value within ±709 and not NaN (|x| ≤ 709 as the library tests it: the bits of |x| at most those of 709), so
    /// that no 512-bit vector of <paramref name="x"/> takes <c>Vector512.Exp</c>'s whole-vector <c>Math.Exp</c> fallback.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool WithinExpRange(ReadOnlySpan<double> x)
    {
        const ulong Limit = 0x40862000_00000000;   // 709.0
        ref double xs = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        int n = x.Length, lastStart = n - Vector512<double>.Count;
        var limit = Vector512.Create(Limit);
        var over = Vector512.GreaterThan(Vector512.Abs(Vector512.LoadUnsafe(ref xs, (nuint)lastStart)).AsUInt64(), limit);
        for (int i = 0; i < lastStart; i += Vector512<double>.Count)
            over |= Vector512.GreaterThan(Vector512.Abs(Vector512.LoadUnsafe(ref xs, (nuint)i)).AsUInt64(), limit);
        return over == Vector512<ulong>.Zero;
    }
}
