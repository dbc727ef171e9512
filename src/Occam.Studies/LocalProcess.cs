using System.Globalization;

namespace Occam.Studies;

/// <summary>
/// Which process holds a claim, so that a worker on the same machine can tell that the claiming process is gone
/// (killed with <c>kill -9</c>, crashed) and take its trial at once instead of waiting for the lease to lapse. Linux
/// only: a claim records the pid namespace (kernel boot id + <c>/proc/self/ns/pid</c>: pids are comparable exactly
/// within one), the pid and the process's start time in clock ticks since boot (field 22 of <c>/proc/PID/stat</c>,
/// so a reused pid is not mistaken for the claimant). Elsewhere, or when <c>/proc</c> is unreadable,
/// <see cref="Namespace"/> is null and only leases decide.
/// </summary>
internal static class LocalProcess
{
    /// <summary>The pid namespace this process lives in, or null when it cannot be known.</summary>
    public static string? Namespace { get; } = ReadNamespace();

    public static int Id { get; } = Environment.ProcessId;

    /// <summary>This process's start time in clock ticks since boot, or null.</summary>
    public static long? StartTicks { get; } = Namespace is null ? null : ReadStart(Environment.ProcessId);

    /// <summary>True only when the process <paramref name="pid"/> that started at <paramref name="startTicks"/> in
    /// this pid namespace certainly no longer runs (gone, a zombie, or the pid now belongs to a later process).</summary>
    public static bool IsGone(int pid, long startTicks)
    {
        if (Namespace is null) return false;
        string? stat = ReadStat(pid);
        if (stat is null) return File.Exists("/proc/self/stat"); // no such process (and /proc still works)
        var fields = Fields(stat);
        if (fields is null) return false;
        if (fields[0] is "Z" or "X") return true; // killed, not yet reaped by its parent
        return long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long start) && start != startTicks;
    }

    private static string? ReadNamespace()
    {
        try
        {
            if (!OperatingSystem.IsLinux()) return null;
            string boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            string? ns = new FileInfo("/proc/self/ns/pid").LinkTarget;
            return boot.Length > 0 && ns is { Length: > 0 } ? boot + "/" + ns : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long? ReadStart(int pid)
    {
        var fields = ReadStat(pid) is { } stat ? Fields(stat) : null;
        return fields is not null && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long start) ? start : null;
    }

    private static string? ReadStat(int pid)
    {
        try
        {
            return File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The fields after the command name (which may hold spaces and parentheses): [0] = state, [19] = starttime.</summary>
    private static string[]? Fields(string stat)
    {
        int close = stat.LastIndexOf(')');
        if (close < 0) return null;
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 ? fields : null;
    }
}
