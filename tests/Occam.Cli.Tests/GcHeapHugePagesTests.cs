using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Occam.Cli.Tests;

/// <summary>
/// <see cref="GcHeapHugePages"/> finds the GC's address range in <c>/proc/self/maps</c> and advises huge pages over it:
/// the range is the run of adjacent private anonymous mappings around an address, and after the advice the mapping
/// that holds a fresh large array carries the kernel's <c>hg</c> flag.
/// </summary>
public sealed class GcHeapHugePagesTests
{
    private const string Maps = """
        55e0a0000000-55e0a0200000 rw-p 00000000 00:00 0                          [heap]
        7f0000000000-7f0000400000 ---p 00000000 00:00 0 
        7f0000400000-7f0000600000 rw-p 00000000 00:00 0 
        7f0000600000-7f0010000000 ---p 00000000 00:00 0 
        7f0010000000-7f0010100000 rw-p 00000000 00:00 0 
        7f0010200000-7f0010300000 rw-p 00000000 00:00 0 
        7f0010300000-7f0010400000 r--s 00000000 08:01 1234                       /usr/lib/some.dll
        7f0010400000-7f0010500000 rw-p 00000000 00:00 0 
        7f0010500000-7f0010600000 rw-p 00001000 08:01 1235                       /usr/lib/libx.so
        7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]
        """;

    [Theory]
    [InlineData(0x7f0000000000UL, 0x7f0000000000UL, 0x7f0010100000UL)]
    [InlineData(0x7f0000500000UL, 0x7f0000000000UL, 0x7f0010100000UL)]
    [InlineData(0x7f00100fffffUL, 0x7f0000000000UL, 0x7f0010100000UL)]
    [InlineData(0x7f0010250000UL, 0x7f0010200000UL, 0x7f0010300000UL)]
    [InlineData(0x7f0010400000UL, 0x7f0010400000UL, 0x7f0010500000UL)]
    public void TheRangeIsTheRunOfAdjacentAnonymousMappingsAroundTheAddress(ulong address, ulong start, ulong end)
    {
        Assert.Equal((start, end), GcHeapHugePages.Range(Maps, address));
    }

    [Theory]
    [InlineData(0x7f0010100000UL)] // in the gap between two mappings
    [InlineData(0x7f0010300000UL)] // a file mapping
    [InlineData(0x7f0010500000UL)] // a library's data
    [InlineData(0x55e0a0000000UL)] // the C heap
    [InlineData(0x7ffc00000000UL)] // the stack
    [InlineData(0x1000UL)]
    public void NoRangeForAnAddressOutsideAnonymousMappings(ulong address)
    {
        Assert.Null(GcHeapHugePages.Range(Maps, address));
    }

    [Fact]
    public void TheMappingOfAFreshLargeArrayIsAdvised()
    {
        if (!OperatingSystem.IsLinux()) return;
        long advised = GcHeapHugePages.Advise();
        Assert.True(advised >= 1L << 30, $"advised {advised} bytes; the GC reserves far more than 1 GiB");
        var array = GC.AllocateUninitializedArray<float>(4 << 20, pinned: true);
        array[0] = 1;
        ulong address = Address(array);
        Assert.Contains("hg", Flags(address));
        GC.KeepAlive(array);
    }

    private static unsafe ulong Address(float[] array) => (ulong)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));

    /// <summary>The VmFlags of the mapping of /proc/self/smaps that holds <paramref name="address"/>.</summary>
    private static string[] Flags(ulong address)
    {
        bool inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal), space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), System.Globalization.NumberStyles.AllowHexSpecifier, null, out ulong start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), System.Globalization.NumberStyles.AllowHexSpecifier, null, out ulong end))
                inside = start <= address && address < end;
            else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal))
                return line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        throw new InvalidOperationException($"no mapping holds 0x{address:x}");
    }
}
