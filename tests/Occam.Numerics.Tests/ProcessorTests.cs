using System.Runtime.InteropServices;

namespace Occam.Numerics.Tests;

public class ProcessorTests
{
    /// <summary>
    /// The vendor the kernels' defaults read (<see cref="Processor.IsAmd"/>, from CPUID) is the one the Linux kernel reports
    /// in /proc/cpuinfo. The test machines are x86 Linux; elsewhere the test fails loudly rather than passing unchecked.
    /// </summary>
    [Fact]
    public void IsAmdAgreesWithTheKernelsVendorId()
    {
        Assert.True(RuntimeInformation.ProcessArchitecture is Architecture.X64 && File.Exists("/proc/cpuinfo"),
            "this test reads /proc/cpuinfo on x86-64 Linux, the platform the project's machines run");
        string? vendor = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("vendor_id", StringComparison.Ordinal));
        Assert.NotNull(vendor);
        Assert.Equal(vendor.EndsWith("AuthenticAMD", StringComparison.Ordinal), Processor.IsAmd);
    }
}
