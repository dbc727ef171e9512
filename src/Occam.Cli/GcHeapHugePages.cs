using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Occam.Cli;

/// <summary>
/// Asks Linux for transparent huge pages (<c>madvise(MADV_HUGEPAGE)</c>) over the garbage collector's address range,
/// so that the large arrays of a command (the data, the network, its gradients and optimizer state) are backed by
/// 2 MiB pages when first touched instead of 4 KiB ones.
/// </summary>
/// <remarks>
/// Why: on this project's VMs the first touch of a fresh 4 KiB page costs ≈ 10 µs (a hypervisor exit per page), a 2 MiB
/// page ≈ 0.1–0.2 ms, i.e. 0.25–0.45 µs per 4 KiB of it, and the kernel frees one at exit ≈ 30× faster
/// (docs/algorithms/startup.md, "Zen 5 (session 19)"). With the system's setting <c>madvise</c> (the common default)
/// only ranges that ask get huge pages; with <c>always</c> this changes nothing, with <c>never</c> the call is ignored.
/// What the process computes does not depend on where its memory lies, so no result changes.
/// <para>
/// The range: the runtime's GC reserves one large anonymous range at start-up and commits parts of it with
/// <c>mprotect</c> (which keeps the advice); the run of adjacent private anonymous mappings in <c>/proc/self/maps</c>
/// around the address of a fresh object is that range. Nothing is done off Linux, or when the maps cannot be read.
/// </para>
/// </remarks>
internal static partial class GcHeapHugePages
{
    private const int MadviseHugePage = 14; // MADV_HUGEPAGE, <linux/mman.h>

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);

    /// <summary>
    /// Advises huge pages over the GC's range; returns the bytes advised (0 when nothing was: not Linux, maps unreadable,
    /// or the call refused).
    /// </summary>
    public static long Advise()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        try
        {
            string maps = File.ReadAllText("/proc/self/maps");
            if (Range(maps, ObjectAddress()) is not var (start, end)) return 0;
            return Madvise((nint)start, (nuint)(end - start), MadviseHugePage) == 0 ? (long)(end - start) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
        catch (DllNotFoundException)
        {
            return 0;   // no libc to call (another C library): the advice is only a speed-up
        }
        catch (EntryPointNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>The address of a freshly allocated object: it lies in the GC's range.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe ulong ObjectAddress()
    {
        var probe = new byte[16];
        return (ulong)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(probe));
    }

    /// <summary>
    /// The run of adjacent private anonymous mappings (no file, not <c>[heap]</c> or <c>[stack]</c>) in the text of
    /// <c>/proc/self/maps</c> that contains <paramref name="address"/>, or null when no such mapping contains it.
    /// </summary>
    /// <remarks>One pass over the lines, no generic collections (start-up code: nothing here needs the JIT).</remarks>
    internal static (ulong Start, ulong End)? Range(string maps, ulong address)
    {
        bool inRun = false, found = false;
        ulong runStart = 0, runEnd = 0;
        foreach (string line in maps.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!TryParse(line, out ulong start, out ulong end, out bool anonymous)) continue;
            if (anonymous && inRun && start == runEnd)
            {
                runEnd = end;
            }
            else
            {
                if (found) break;
                inRun = anonymous;
                (runStart, runEnd) = (start, end);
            }
            if (start <= address && address < end)
            {
                if (!anonymous) return null;
                found = true;
            }
        }
        return found ? (runStart, runEnd) : null;
    }

    /// <summary>One line of the maps, "start-end perms offset dev inode [path]": its range and whether it is private anonymous memory.</summary>
    private static bool TryParse(string line, out ulong start, out ulong end, out bool anonymous)
    {
        start = end = 0;
        anonymous = false;
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5) return false;
        int dash = fields[0].IndexOf('-', StringComparison.Ordinal);
        if (dash < 0
            || !ulong.TryParse(fields[0].AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out start)
            || !ulong.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out end))
            return false;
        anonymous = fields[1].Length == 4 && fields[1][3] == 'p' && fields[4] == "0" && (fields.Length < 6 || fields[5].Trim().Length == 0);
        return true;
    }
}
