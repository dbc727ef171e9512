using System.Diagnostics;
using Occam.Serialization;

namespace Occam.Tests.Serialization;

/// <summary>
/// Output files are written atomically and never destroy what is not a regular, writable file: devices, FIFOs,
/// folders and read-only files are refused; symbolic links are followed (the target is replaced, the link kept);
/// failures leave no temporary file and never name it.
/// </summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("occam-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private string[] TempFiles() => Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories);

    private static OccamException Refused(Action write)
    {
        var e = Assert.Throws<OccamException>(write);
        Assert.Equal(OccamErrorKind.Output, e.Kind);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.DoesNotContain("\n", e.Message);
        return e;
    }

    private static bool Test(string flag, string path)
    {
        using var p = Process.Start(new ProcessStartInfo("test", [flag, path]))!;
        p.WaitForExit();
        return p.ExitCode == 0;
    }

    [Fact]
    public void WritesNewAndReplacesExistingFiles()
    {
        AtomicFile.WriteAllText(P("a.txt"), "one");
        Assert.Equal("one", File.ReadAllText(P("a.txt")));
        AtomicFile.WriteAllText(P("a.txt"), "two");
        Assert.Equal("two", File.ReadAllText(P("a.txt")));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public void ReplacedFileKeepsItsPermissions()
    {
        if (OperatingSystem.IsWindows()) return;
        File.WriteAllText(P("a.txt"), "old");
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(P("a.txt"), mode);
        AtomicFile.WriteAllText(P("a.txt"), "new");
        Assert.Equal(mode, File.GetUnixFileMode(P("a.txt")));
    }

    [Fact]
    public void MissingFolderIsRefused()
    {
        var e = Refused(() => AtomicFile.WriteAllText(P("missing/a.txt"), "x"));
        Assert.Contains("does not exist", e.Message);
        Assert.False(Directory.Exists(P("missing")));
    }

    [Fact]
    public void FolderIsRefused()
    {
        Directory.CreateDirectory(P("sub"));
        var e = Refused(() => AtomicFile.WriteAllText(P("sub"), "x"));
        Assert.Contains("is a folder", e.Message);
        Assert.True(Directory.Exists(P("sub")));
    }

    [Fact]
    public void FifoIsRefusedAndKept()
    {
        if (OperatingSystem.IsWindows()) return;
        using (var p = Process.Start("mkfifo", P("pipe"))) p.WaitForExit();
        Assert.True(Test("-p", P("pipe")));
        var e = Refused(() => AtomicFile.WriteAllText(P("pipe"), "x"));
        Assert.Contains("FIFO", e.Message);
        Assert.True(Test("-p", P("pipe")), "the FIFO must still be a FIFO");
        Assert.Empty(TempFiles());
    }

    [Fact]
    public void DeviceIsRefusedAndKept()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/dev/null")) return;
        var e = Refused(() => OutputFiles.Check("/dev/null"));
        Assert.Contains("character device", e.Message);
        Assert.True(Test("-c", "/dev/null"), "/dev/null must still be a character device");
    }

    [Fact]
    public void ReadOnlyFileIsRefusedAndUnchanged()
    {
        if (OperatingSystem.IsWindows()) return;
        File.WriteAllText(P("ro.txt"), "keep");
        File.SetUnixFileMode(P("ro.txt"), UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var e = Refused(() => AtomicFile.WriteAllText(P("ro.txt"), "x"));
        Assert.Contains("read-only", e.Message);
        Assert.Equal("keep", File.ReadAllText(P("ro.txt")));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public void SymlinkIsFollowedTargetReplacedLinkKept()
    {
        File.WriteAllText(P("target.txt"), "old");
        File.CreateSymbolicLink(P("link.txt"), "target.txt");
        AtomicFile.WriteAllText(P("link.txt"), "new");
        Assert.Equal("new", File.ReadAllText(P("target.txt")));
        Assert.Equal("target.txt", new FileInfo(P("link.txt")).LinkTarget);
        Assert.Empty(TempFiles());
    }

    [Fact]
    public void DanglingSymlinkCreatesItsTarget()
    {
        File.CreateSymbolicLink(P("link.txt"), P("new.txt"));
        AtomicFile.WriteAllText(P("link.txt"), "x");
        Assert.Equal("x", File.ReadAllText(P("new.txt")));
        Assert.NotNull(new FileInfo(P("link.txt")).LinkTarget);
    }

    [Fact]
    public void SymlinkLoopIsRefused()
    {
        File.CreateSymbolicLink(P("l1"), P("l2"));
        File.CreateSymbolicLink(P("l2"), P("l1"));
        var e = Refused(() => AtomicFile.WriteAllText(P("l1"), "x"));
        Assert.Contains("symbolic link", e.Message);
    }

    [Fact]
    public void FailedWriteLeavesOldFileAndNoTemporary()
    {
        File.WriteAllText(P("a.txt"), "old");
        var e = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(P("a.txt"), s =>
        {
            s.WriteByte(1);
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("boom", e.Message);
        Assert.Equal("old", File.ReadAllText(P("a.txt")));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public void IoErrorWhileWritingNamesTheDestinationNotTheTemporary()
    {
        File.WriteAllText(P("a.txt"), "old");
        var e = Refused(() => AtomicFile.Write(P("a.txt"), s =>
            throw new IOException($"No space left on device : '{((FileStream)s).Name}'")));
        Assert.Contains("No space left on device", e.Message);
        Assert.Contains(P("a.txt"), e.Message);
        Assert.Equal("old", File.ReadAllText(P("a.txt")));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public void SeveralFilesAreWrittenAllOrNone()
    {
        var e = Refused(() => AtomicFile.WriteAllText([(P("a.json"), "a"), (P("missing/b.json"), "b")]));
        Assert.Contains("missing", e.Message);
        Assert.False(File.Exists(P("a.json")), "no output may be written when another cannot be");
        AtomicFile.WriteAllText([(P("a.json"), "a"), (P("b.json"), "b")]);
        Assert.Equal("a", File.ReadAllText(P("a.json")));
        Assert.Equal("b", File.ReadAllText(P("b.json")));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public void CheckRefusesTheSameFileTwiceAndLeavesNothingBehind()
    {
        File.WriteAllText(P("target.txt"), "t");
        File.CreateSymbolicLink(P("link.txt"), P("target.txt"));
        var e = Refused(() => OutputFiles.Check(P("a.json"), null, P("a.json")));
        Assert.Contains("same file", e.Message);
        Refused(() => OutputFiles.Check(P("target.txt"), P("link.txt")));
        OutputFiles.Check(P("a.json"), P("b.json"));
        Assert.False(File.Exists(P("a.json")));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public void EmptyPathIsAUsageError()
    {
        var e = Assert.Throws<OccamException>(() => OutputFiles.Check(" "));
        Assert.Equal(OccamErrorKind.Usage, e.Kind);
    }

    [Fact]
    public void CreateFolderRefusesAFile()
    {
        File.WriteAllText(P("f"), "x");
        Refused(() => OutputFiles.CreateFolder(P("f")));
        OutputFiles.CreateFolder(P("d/e"));
        Assert.True(Directory.Exists(P("d/e")));
    }
}
