using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Numerics.Functions;

/// <summary>
/// <c>TensorPrimitives.Sigmoid</c> (float) with the same bits, in a loop that is never run at tier 0. The library's
/// AVX-512 loops cannot be precompiled (ReadyToRun code that uses Vector512 is rejected at run time), so the published
/// CLI, which keeps tier-0 code for 65 535 calls, ran them at tier 0, where every Vector512 operator is a call and the
/// generic vector math runs its element-by-element software fallback (docs/algorithms/startup.md, "Tier 0 in the CLI").
/// <para>
/// The loop is <c>AggressiveOptimization</c> and calls, per 512-bit vector, the function the library's operator calls:
/// <c>1 / (1 + e^(−x))</c> with <c>Vector512.Exp</c> (float), which works lane by lane (special inputs are handled by
/// masks), so the grouping of elements into vectors does not matter. The last, partial vector is the vector of the last
/// 16 elements, computed before any store, so <c>destination</c> may be <c>x</c> itself. Spans shorter than one 512-bit
/// vector, and every span without AVX-512 (where the library's Vector256 code is precompiled), go to the library.
/// Tested against <c>TensorPrimitives.Sigmoid</c> bit for bit at every length 1..257, in place and not, with special
/// values. The sigmoid keeps the library's bits on purpose: it is a network activation, and models trained before must
/// give the same outputs (losses.md, "The exponential"). The double exponential and logarithm of the logistic solver
/// are kernels of our own, <see cref="DoubleExp"/> and <see cref="DoubleLog"/> (the library's <c>VectorMath.ExpDouble</c>
/// is not inlined and rounds differently at tier 0 and tier 1).
/// </para>
/// </summary>
internal static class VectorMathLoops
{
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
}
