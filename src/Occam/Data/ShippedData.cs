namespace Occam.Data;

/// <summary>
/// Finds the data sets shipped in the repository's <c>data/</c> folder (digits, iris, wine, ...) for the demo and the
/// experiments: a relative path such as <c>data/digits.csv</c> is looked up in the current directory, then in every folder
/// above the running program (so <c>dotnet run</c>, the tests and a build inside the clone all find it).
/// </summary>
public static class ShippedData
{
    /// <summary>The full path of <paramref name="relative"/>, or null when no folder has it.</summary>
    public static string? Find(string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        if (File.Exists(relative)) return relative;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>
    /// The shipped data set <paramref name="relative"/> loaded with <see cref="CsvLoader.Load"/>; an
    /// <see cref="OccamException"/> names the file and the fix when it is not found.
    /// </summary>
    public static Dataset Load(string relative, string target, TaskKind? task = null) =>
        CsvLoader.Load(Find(relative) ?? throw new OccamException(
            $"cannot find {relative}; run from the Occam repository (or a folder below it), where {relative} is shipped."), target, task);
}
