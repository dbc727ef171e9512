using System.Runtime.InteropServices;

namespace Occam.Serialization;

/// <summary>
/// Checks output paths before any work is done, so that a command that writes several files writes all of
/// them or none, and no mistake in a path costs a finished training run. The rules (also applied by every
/// <see cref="AtomicFile"/> write):
/// <list type="bullet">
/// <item>the folder must exist (it is not created);</item>
/// <item>the path must not be a folder, a device (such as <c>/dev/null</c>), a FIFO or a socket: outputs are
/// written to a temporary file and renamed over the destination, which would replace such a file;</item>
/// <item>a symbolic link is followed: the file it points to (at the end of the chain) is replaced atomically
/// and the link itself is kept;</item>
/// <item>an existing file without write permission is refused, never replaced (even when running as root);</item>
/// <item>the same file may not be given twice.</item>
/// </list>
/// Every failure is an <see cref="OccamException"/> of kind <see cref="OccamErrorKind.Output"/> naming the path.
/// </summary>
public static partial class OutputFiles
{
    /// <summary>
    /// Checks each non-null path with the rules above and that its folder accepts new files (a probe file is
    /// created and removed). Call it with every output path a command has, before reading any input.
    /// </summary>
    /// <exception cref="OccamException">A path cannot be written, or two paths name the same file.</exception>
    public static void Check(params string?[] paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var seen = new Dictionary<string, string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (string? path in paths)
        {
            if (path is null) continue;
            string target = Resolve(path);
            if (!seen.TryAdd(target, path))
                throw OccamException.Output($"'{path}' and '{seen[target]}' are the same file; give each output its own path.");
            Probe(path, target);
        }
    }

    /// <summary>
    /// As <see cref="Check(string?[])"/>, and no output may be one of the <paramref name="inputs"/> (data files a
    /// command reads): writing there would destroy the input. Links are followed on both sides.
    /// </summary>
    /// <exception cref="OccamException">An output cannot be written or is an input.</exception>
    public static void Check(IReadOnlyList<string?> outputs, IReadOnlyList<string?> inputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        Check([.. outputs]);
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (string? output in outputs)
        {
            if (output is null) continue;
            string target = Resolve(output);
            foreach (string? input in inputs)
                if (input is not null && string.Equals(target, ResolveInput(input), comparison))
                    throw OccamException.Output($"'{output}' is also an input of this command ('{input}'); writing there would destroy it: choose another output path.");
        }
    }

    private static string? ResolveInput(string path)
    {
        try
        {
            if (string.IsNullOrWhiteSpace(path) || !File.Exists(path)) return null;
            var info = new FileInfo(Path.GetFullPath(path));
            return info.LinkTarget is null ? info.FullName : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Creates the output folder <paramref name="path"/> (and its parents) unless it exists.</summary>
    /// <exception cref="OccamException">The path is a file, or the folder cannot be created.</exception>
    public static void CreateFolder(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw OccamException.Usage("an output folder is empty; give a folder name such as out.");
        if (File.Exists(path))
            throw OccamException.Output($"'{path}' is a file, not a folder; give the name of a folder for the outputs.");
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw OccamException.Output($"cannot create the folder '{path}': permission denied; choose another place.", e);
        }
        catch (IOException e)
        {
            throw OccamException.Output($"cannot create the folder '{path}' ({e.Message.TrimEnd('.')}); choose another place.", e);
        }
    }

    /// <summary>
    /// The full path of the regular file that writing <paramref name="path"/> replaces or creates (symbolic
    /// links followed), after checking the rules in the class summary.
    /// </summary>
    /// <exception cref="OccamException">The path cannot be written.</exception>
    public static string Resolve(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw OccamException.Usage("an output path is empty; give a file name such as model.json.");
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw OccamException.Output($"'{path}' is not a valid file path; choose another name.", e);
        }
        if (Path.EndsInDirectorySeparator(path) || Directory.Exists(full))
            throw OccamException.Output($"'{path}' is a folder; give the path of a file, e.g. {Path.Combine(path, "out.json")}.");
        full = FollowLinks(path, full);
        string? dir = Path.GetDirectoryName(full);
        if (string.IsNullOrEmpty(dir) || !Directory.Exists(dir))
            throw OccamException.Output($"cannot write '{path}': folder '{dir}' does not exist; create it or choose another path.");
        if (Directory.Exists(full))
            throw OccamException.Output($"'{path}' is a link to the folder '{full}'; give the path of a file.");
        if (!File.Exists(full)) return full;
        if (Kind(full) is { } special)
            throw OccamException.Output($"'{path}' is {special}, not a regular file: outputs are written to a new file that replaces the old one, which would destroy it; give the path of a regular file.");
        if (!IsWritable(full))
            throw OccamException.Output($"'{path}' is read-only; make it writable (chmod u+w) or choose another path.");
        return full;
    }

    private static string FollowLinks(string path, string full)
    {
        try
        {
            var info = new FileInfo(full);
            if (info.LinkTarget is null) return full;
            return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException e)
        {
            throw OccamException.Output($"'{path}' is a symbolic link that cannot be followed (a loop of links?); give the path of a regular file.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw OccamException.Output($"'{path}' is a symbolic link that cannot be followed (permission denied); give the path of a regular file.", e);
        }
    }

    /// <summary>Whether an existing regular file may be replaced: it has a write permission bit and opens for writing.</summary>
    private static bool IsWritable(string full)
    {
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode anyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
            if ((File.GetUnixFileMode(full) & anyWrite) == 0) return false;
        }
        else if (File.GetAttributes(full).HasFlag(FileAttributes.ReadOnly))
        {
            return false;
        }
        try
        {
            // Opening without truncation changes nothing; it is the operating system's own permission check.
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        catch (IOException)
        {
            return true; // locked or busy: the write itself reports it
        }
    }

    /// <summary>Creates and removes an empty file next to <paramref name="target"/>: the folder accepts new files.</summary>
    private static void Probe(string path, string target)
    {
        string temp = AtomicFile.TempPath(target);
        try
        {
            using (new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw AtomicFile.WriteError(path, target, temp, e);
        }
        finally
        {
            AtomicFile.TryDelete(temp);
        }
    }

    /// <summary>"a character device", "a FIFO (named pipe)", … for a path that exists and is not a regular file; null for a regular file (or when the type cannot be read).</summary>
    internal static string? Kind(string full)
    {
        if (OperatingSystem.IsWindows()) return null;
        int mode;
        try
        {
            mode = StatMode(full);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        if (mode < 0) return null;
        return (mode & 0xF000) switch
        {
            0x8000 => null,
            0x2000 => "a character device",
            0x6000 => "a block device",
            0x1000 => "a FIFO (named pipe)",
            0xC000 => "a socket",
            0x4000 => "a folder",
            _ => "a special file",
        };
    }

    /// <summary>
    /// The <c>st_mode</c> of a path (links followed), or -1. .NET exposes no file type beyond "folder or not", so
    /// this calls the runtime's own portable stat shim (libSystem.Native, shipped with every .NET on Unix), whose
    /// status record starts with two 32-bit fields: flags, then the mode with the portable S_IF* type bits.
    /// </summary>
    private static unsafe int StatMode(string path)
    {
        byte* status = stackalloc byte[512];
        return SystemNativeStat(path, status) == 0 ? *(int*)(status + 4) : -1;
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int SystemNativeStat(string path, byte* status);
}
