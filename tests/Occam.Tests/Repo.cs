namespace Occam.Tests;

/// <summary>Paths inside the repository, found by walking up from the test binary to Occam.slnx.</summary>
internal static class Repo
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Occam.slnx"))) return dir.FullName;
            throw new InvalidOperationException("Occam.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Golden(string name) => Path.Combine(Root, "tests", "golden", name);

    public static string Data(string name) => Path.Combine(Root, "data", name);
}
