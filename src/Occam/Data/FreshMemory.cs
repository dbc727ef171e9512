using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Occam.Data;

/// <summary>
/// The kernel's first-touch cost of fresh memory, paid where it does not hold anything up. A large array the runtime
/// takes from the operating system is mapped lazily: the first write to each 4 KiB page traps into the kernel, which
/// finds a zeroed page and maps it (≈ 0.4–0.7 ms per MB on the 2-vCPU host of the benchmarks, so ≈ 15 ms for the 31 MB
/// float32 matrix of MNIST-10k). On Linux two <c>madvise(2)</c> requests move or shrink that cost:
/// <list type="bullet">
/// <item><see cref="AdviseHugePages{T}"/>: <c>MADV_HUGEPAGE</c> on the array's 2 MiB-aligned interior, so that a fault
/// there maps a 2 MiB transparent huge page in one trap (when the kernel has one: THP is <c>madvise</c> on many
/// distributions; 31 MB touched in ≈ 3 ms instead of 12–15 ms, with occasional 9–45 ms when the kernel compacts memory
/// to make one — so only a thread that nothing waits for should touch such memory first).</item>
/// <item><see cref="Populate{T}"/>: <c>MADV_POPULATE_WRITE</c> (Linux 5.14) maps the pages of a range writable as
/// writing to each would, without writing: the content does not change, so another thread may be filling the same
/// array at the same time.</item>
/// </list>
/// Both are hints: elsewhere (another OS, an older kernel, a libc without <c>madvise</c>) they do nothing and say so, and
/// the memory is faulted in on first use as before. Neither changes a value of the array.
/// </summary>
internal static partial class FreshMemory
{
    private const int PageBytes = 4096;
    private const int HugePageBytes = 2 << 20;
    private const int MadvHugePage = 14;        // <sys/mman.h>, Linux
    private const int MadvPopulateWrite = 23;   // Linux 5.14

    /// <summary>Not Linux, or no <c>madvise</c> to call: every request does nothing.</summary>
    private static volatile bool s_unavailable = !OperatingSystem.IsLinux();

    /// <summary>
    /// Asks for transparent huge pages over the 2 MiB-aligned part of <paramref name="array"/> (nothing when it spans
    /// no whole huge page). Call it before the array's pages are first touched. True when the kernel took the advice.
    /// </summary>
    public static bool AdviseHugePages<T>(T[] array) where T : unmanaged =>
        Advise(array, 0, long.MaxValue, HugePageBytes, MadvHugePage);

    /// <summary>
    /// Maps the whole 4 KiB pages of bytes <paramref name="fromByte"/>..<paramref name="toByte"/>−1 of
    /// <paramref name="array"/> (all of it by default) writable, without writing to them (pages at either end that the
    /// range shares with other data are left alone). True when the kernel did it; false means the pages are faulted in
    /// by their first write as usual.
    /// </summary>
    public static bool Populate<T>(T[] array, long fromByte = 0, long toByte = long.MaxValue) where T : unmanaged =>
        Advise(array, fromByte, toByte, PageBytes, MadvPopulateWrite);

    /// <summary><c>madvise(advice)</c> over the <paramref name="align"/>-aligned interior of the array's bytes <paramref name="fromByte"/>..<paramref name="toByte"/>−1.</summary>
    private static unsafe bool Advise<T>(T[] array, long fromByte, long toByte, long align, int advice) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array);
        if (s_unavailable) return false;
        long bytes = (long)array.Length * Unsafe.SizeOf<T>();
        toByte = Math.Min(toByte, bytes);
        if (fromByte < 0 || fromByte > toByte)
            throw new ArgumentOutOfRangeException(nameof(fromByte), fromByte, $"the range must lie within the array's {bytes} bytes and not be reversed.");
        // Pinned for the call: the kernel is given addresses (large arrays do not move anyway).
        fixed (T* p = array)
        {
            long start = ((long)p + fromByte + align - 1) & ~(align - 1);
            long end = ((long)p + toByte) & ~(align - 1);
            if (end <= start) return false;
            try
            {
                // Refused (EINVAL: an older kernel or THP compiled out): nothing was changed, the pages fault in as usual.
                return MAdvise((nint)start, (nuint)(end - start), advice) == 0;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                s_unavailable = true;
                return false;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int MAdvise(nint address, nuint length, int advice);
}
