using System.Globalization;
using System.Runtime.Intrinsics.X86;

namespace Occam.Numerics;

/// <summary>
/// The per-core L2 size that the packed GEMM's thread split is chosen from (<see cref="Gemm"/>,
/// docs/algorithms/gemm.md "Threads"). Read once: from Linux's <c>/sys/devices/system/cpu/cpu0/cache/index*/</c>
/// (the level-2 data or unified cache), else from CPUID's deterministic cache parameters (leaf 4, or AMD's
/// 0x8000001D: size = ways · partitions · line size · sets), else <see cref="DefaultL2Bytes"/>. Only the
/// reported size is used, never the vendor's name.
/// </summary>
internal static class GemmCaches
{
    /// <summary>What is assumed when nothing reports an L2: 1 MiB, the AMD Zen 5 host the blocking was first tuned on.</summary>
    public const long DefaultL2Bytes = 1L << 20;

    /// <summary>Bytes of level-2 cache per core on this machine (see the class remarks for the sources).</summary>
    public static long L2Bytes { get; } = FromSysfs("/sys/devices/system/cpu/cpu0/cache") ?? FromCpuid() ?? DefaultL2Bytes;

    /// <summary>
    /// The level-2 data or unified cache listed under <paramref name="directory"/> (Linux's <c>index*/level</c>,
    /// <c>type</c>, <c>size</c> files), or null when there is none or it cannot be read.
    /// </summary>
    internal static long? FromSysfs(string directory)
    {
        try
        {
            if (!Directory.Exists(directory)) return null;
            foreach (string index in Directory.EnumerateDirectories(directory, "index*"))
            {
                string level = ReadTrimmed(Path.Combine(index, "level"));
                string type = ReadTrimmed(Path.Combine(index, "type"));
                if (level != "2" || type is not ("Data" or "Unified")) continue;
                return ParseSize(ReadTrimmed(Path.Combine(index, "size")));
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    private static string ReadTrimmed(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "";

    /// <summary>A sysfs cache size (<c>2048K</c>, <c>1M</c>, <c>512</c> bytes) in bytes; null if it is not one.</summary>
    internal static long? ParseSize(string text)
    {
        if (text.Length == 0) return null;
        long unit = char.ToUpperInvariant(text[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1 };
        string digits = unit == 1 ? text : text[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value > 0
            ? value * unit : null;
    }

    /// <summary>The level-2 data or unified cache from CPUID leaf 4, else 0x8000001D; null if neither lists one.</summary>
    internal static long? FromCpuid()
    {
        if (!X86Base.IsSupported) return null;
        int maxBasic = X86Base.CpuId(0, 0).Eax;
        int maxExtended = X86Base.CpuId(unchecked((int)0x80000000), 0).Eax;
        if (maxBasic >= 4 && FromCacheLeaf(4) is { } intel) return intel;
        if ((uint)maxExtended >= 0x8000001D && FromCacheLeaf(unchecked((int)0x8000001D)) is { } amd) return amd;
        return null;
    }

    /// <summary>Walks the sub-leaves of a deterministic cache parameters leaf (the same layout in leaf 4 and 0x8000001D).</summary>
    private static long? FromCacheLeaf(int leaf)
    {
        for (int sub = 0; sub < 16; sub++)
        {
            (int eax, int ebx, int ecx, _) = X86Base.CpuId(leaf, sub);
            int type = eax & 0x1F; // 0 none (end of list), 1 data, 2 instruction, 3 unified
            if (type == 0) return null;
            int level = (eax >> 5) & 0x7;
            if (level != 2 || type == 2) continue;
            long ways = ((ebx >> 22) & 0x3FF) + 1, partitions = ((ebx >> 12) & 0x3FF) + 1, line = (ebx & 0xFFF) + 1;
            long sets = (long)(uint)ecx + 1;
            return ways * partitions * line * sets;
        }
        return null;
    }
}
