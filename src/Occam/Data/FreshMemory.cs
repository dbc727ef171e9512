using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Occam.Data;

/// <summary>
/// The kernel's first-touch cost of fresh memory, paid where it does not hold anything up. A large array the runtime
/// takes from the operating system is mapped lazily: the first write to each 4 KiB page traps into the kernel, which
/// finds a zeroed page and maps it (≈ 0.4–0.7 ms per MB on the 2-vCPU host of the benchmarks, so ≈ 12–15 ms for the
/// 31 MB float32 matrix of MNIST-10k).
/// <list type="bullet">
/// <item><see cref="Touch{T}"/> maps pages on the calling thread without changing any value, so it can run while
/// another thread fills the same array.</item>
/// <item><see cref="AdviseHugePages{T}"/> (Linux): <c>madvise(MADV_HUGEPAGE)</c> on the array's 2 MiB-aligned interior,
/// so that a fault there maps a 2 MiB transparent huge page in one trap when the kernel has one (THP is <c>madvise</c>
/// on many distributions): 31 MB touched in ≈ 3 ms instead of 12–15 ms, with occasional 9–45 ms when the kernel
/// compacts memory to make one — so only a thread that nothing waits for should touch such memory first. A hint:
/// elsewhere (another OS, a kernel without THP, no <c>madvise</c>) it does nothing.</item>
/// </list>
/// </summary>
internal static partial class FreshMemory
{
    private const int PageBytes = 4096;
    private const int HugePageBytes = 2 << 20;
    private const int MadvHugePage = 14, MadvNoHugePage = 15;   // <sys/mman.h>, Linux

    /// <summary>Not Linux, or no <c>madvise</c> to call: <see cref="AdviseHugePages{T}"/> does nothing.</summary>
    private static volatile bool s_noAdvice = !OperatingSystem.IsLinux();

    /// <summary>
    /// Asks for transparent huge pages (<paramref name="huge"/>; else for none: <c>MADV_NOHUGEPAGE</c>) over the 2 MiB
    /// pages that lie wholly within bytes <paramref name="fromByte"/>.. of <paramref name="array"/> (nothing when there
    /// is none). It applies to pages not touched yet. True when the kernel took the advice.
    /// </summary>
    public static unsafe bool AdviseHugePages<T>(T[] array, long fromByte = 0, bool huge = true) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array);
        if (s_noAdvice || fromByte < 0) return false;
        // Pinned for the call: the kernel is given addresses (large arrays do not move anyway).
        fixed (T* p = array)
        {
            long start = ((long)p + fromByte + HugePageBytes - 1) & ~(long)(HugePageBytes - 1);
            long end = ((long)p + (long)array.Length * sizeof(T)) & ~(long)(HugePageBytes - 1);
            if (end <= start) return false;
            try
            {
                // Refused (EINVAL: THP compiled out): nothing was changed, the pages fault in as usual.
                return MAdvise((nint)start, (nuint)(end - start), huge ? MadvHugePage : MadvNoHugePage) == 0;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                s_noAdvice = true;
                return false;
            }
        }
    }

    /// <summary>
    /// Maps the 4 KiB pages that start within bytes <paramref name="fromByte"/>..<paramref name="toByte"/>−1 of
    /// <paramref name="array"/> by an atomic compare-and-exchange of 0 with 0 on the first aligned 32-bit word of each: a
    /// write access, so the kernel maps the page writable (a huge page where advised), that stores 0 only where 0 already
    /// is, atomically — so no value changes, whatever another thread writes to the array meanwhile.
    /// </summary>
    public static unsafe void Touch<T>(T[] array, long fromByte, long toByte) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array);
        long bytes = (long)array.Length * sizeof(T);
        if (fromByte < 0 || toByte > bytes || fromByte > toByte)
            throw new ArgumentOutOfRangeException(nameof(fromByte), $"bytes {fromByte}..{toByte} are not within the array's {bytes}.");
        fixed (T* p = array)
        {
            long end = (long)p + toByte;
            // The first aligned word of the range, then the first word of each following page.
            for (long a = ((long)p + fromByte + 3) & ~3L; a + sizeof(int) <= end; a = (a & ~(long)(PageBytes - 1)) + PageBytes)
                Interlocked.CompareExchange(ref *(int*)a, 0, 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int MAdvise(nint address, nuint length, int advice);
}
