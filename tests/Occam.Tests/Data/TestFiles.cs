using System.Text;

namespace Occam.Tests.Data;

/// <summary>Temporary files for loader tests and the path of the shipped data/ folder.</summary>
internal sealed class TestFiles : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "occam-data-tests-" + Guid.NewGuid().ToString("N"));

    public TestFiles() => Directory.CreateDirectory(_dir);

    /// <summary>Writes <paramref name="content"/> as UTF-8 without BOM and returns the path.</summary>
    public string Write(string name, string content) => WriteBytes(name, new UTF8Encoding(false).GetBytes(content));

    public string WriteBytes(string name, byte[] content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public string PathOf(string name) => Path.Combine(_dir, name);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>The repository's data/ folder, found by walking up from the test binary to Occam.slnx.</summary>
    public static string DataDir
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Occam.slnx")))
                    return Path.Combine(dir.FullName, "data");
            }
            throw new InvalidOperationException("Occam.slnx not found above " + AppContext.BaseDirectory);
        }
    }
}
