using System.Text;

namespace Occam.Serialization;

/// <summary>
/// Writes files atomically: the content goes to a temporary file in the destination's folder, is flushed to
/// disk, then renamed over the destination. A crash or an error leaves either the old file or the new one,
/// never a partial file; on error the temporary file is removed. The destination is checked first with the
/// rules of <see cref="OutputFiles"/>: a folder, device, FIFO or socket is refused (never replaced), a read-only
/// file is refused, and a symbolic link is followed (the file it points to is replaced, the link is kept).
/// A replaced file keeps its permissions. Errors are <see cref="OccamException"/>s
/// (<see cref="OccamErrorKind.Output"/>) that name the destination, never the temporary file.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary>Writes <paramref name="content"/> as UTF-8 (no BOM) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        Write(path, stream => stream.Write(Utf8.GetBytes(content)));
    }

    /// <summary>
    /// Writes several text files, all or none: every destination is checked and every content written to its
    /// temporary file before the first one is renamed into place.
    /// </summary>
    public static void WriteAllText(IReadOnlyList<(string Path, string Content)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        WriteAll(files.Select(f => (f.Path, (Action<Stream>)(stream => stream.Write(Utf8.GetBytes(f.Content))))).ToArray());
    }

    /// <summary>
    /// Writes several files, all or none: every destination is checked (<see cref="OutputFiles.Check(string?[])"/>)
    /// and every temporary file written before the first one is renamed into place.
    /// </summary>
    public static void WriteAll(IReadOnlyList<(string Path, Action<Stream> Write)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        OutputFiles.Check(files.Select(f => (string?)f.Path).ToArray());
        var staged = new List<Staged>(files.Count);
        try
        {
            foreach (var (path, write) in files)
                staged.Add(Stage(path, write));
            foreach (var s in staged) s.Commit();
        }
        finally
        {
            foreach (var s in staged) TryDelete(s.Temp);
        }
    }

    /// <summary>Calls <paramref name="write"/> with a stream to a temporary file, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var staged = Stage(path, write);
        try
        {
            staged.Commit();
        }
        finally
        {
            TryDelete(staged.Temp);
        }
    }

    /// <summary>Writes the temporary file for <paramref name="path"/>; the caller commits it or deletes it.</summary>
    private static Staged Stage(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string target = OutputFiles.Resolve(path);
        string temp = TempPath(target);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows() && File.Exists(target))
                File.SetUnixFileMode(temp, File.GetUnixFileMode(target));
            return new Staged(path, target, temp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw WriteError(path, target, temp, e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private sealed record Staged(string Path, string Target, string Temp)
    {
        public void Commit()
        {
            try
            {
                File.Move(Temp, Target, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw WriteError(Path, Target, Temp, e);
            }
        }
    }

    /// <summary>
    /// A hidden, unique temporary file name next to <paramref name="target"/>: the process id and 64 random bits (the file
    /// is created with <see cref="FileMode.CreateNew"/>, so a clash fails rather than overwrites). Not a <see cref="Guid"/>:
    /// its text formatting is compiled at run time in a fresh process (~0.3 ms of a CLI's save).
    /// </summary>
    internal static string TempPath(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Random.Shared.NextInt64():x16}.tmp");

    /// <summary>The error for a failed write: names <paramref name="path"/>, never the temporary file.</summary>
    internal static OccamException WriteError(string path, string target, string temp, Exception e)
    {
        string folder = Path.GetDirectoryName(target) ?? ".";
        if (e is UnauthorizedAccessException)
            return OccamException.Output($"cannot write '{path}': permission denied in folder '{folder}'; check its permissions or choose another folder.", e);
        string reason = e.Message.Replace(temp, path, StringComparison.Ordinal).Replace(target, path, StringComparison.Ordinal).Trim().TrimEnd('.');
        if (reason.Contains(".tmp", StringComparison.Ordinal)) reason = "input/output error";
        return OccamException.Output($"cannot write '{path}': {reason}; check the disk and the folder '{folder}', or choose another path.", e);
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // best effort: the temporary file is hidden and uniquely named
        }
        catch (UnauthorizedAccessException)
        {
            // best effort
        }
    }
}
