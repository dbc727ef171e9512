using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Occam.Numerics;

namespace Occam.Bench;

/// <summary>`machine`: one JSON line with what the runtime sees: vector widths, the GEMM micro-kernel Auto picks, cores.</summary>
internal static class MachineInfo
{
    public static int Run()
    {
        var kernel = GemmKernelInfo.For(GemmKernel.Auto);
        Console.WriteLine(
            $"{{\"bench\":\"machine\",\"runtime\":\"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}\",\"processors\":{Environment.ProcessorCount}," +
            $"\"avx2\":{Json(Avx2.IsSupported)},\"fma\":{Json(Fma.IsSupported)},\"avx512f\":{Json(Avx512F.IsSupported)}," +
            $"\"vector512\":{Json(Vector512.IsHardwareAccelerated)},\"gemmKernel\":\"{kernel.Kind} {kernel.MR}x{kernel.NR}\"}}");
        return 0;
    }

    private static string Json(bool b) => b ? "true" : "false";
}
