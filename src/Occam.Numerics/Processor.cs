using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics;

/// <summary>
/// What the kernels ask of the processor beyond its instruction sets: its vendor, for the choices that were measured
/// to go opposite ways on Intel and AMD cores and that the processor does not report (a store's cost when it straddles
/// two cache lines, how fast the divider is against fused multiply-adds). Each such choice is a settable knob whose
/// default reads this, with both ways kept and tested, and the measurements named where the knob is documented.
/// </summary>
internal static class Processor
{
    /// <summary>Whether CPUID leaf 0 names AMD (<c>AuthenticAMD</c>: EBX, EDX, ECX = "Auth", "enti", "cAMD"); false off x86.</summary>
    public static bool IsAmd { get; } = ReadIsAmd();

    private static bool ReadIsAmd()
    {
        if (!X86Base.IsSupported) return false;
        (_, int ebx, int ecx, int edx) = X86Base.CpuId(0, 0);
        return ebx == 0x68747541 && edx == 0x69746E65 && ecx == 0x444D4163;
    }
}
