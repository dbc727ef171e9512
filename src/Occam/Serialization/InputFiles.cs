namespace Occam.Serialization;

/// <summary>
/// Reads input files (data, labels, models) with one set of checks and messages: a missing path, a folder or
/// an unreadable file is an <see cref="OccamException"/> of kind <see cref="OccamErrorKind.InputMissing"/>
/// naming the path and the fix. Pipes (e.g. <c>/dev/stdin</c>) are read to their end.
/// </summary>
public static class InputFiles
{
    /// <summary>The whole content of <paramref name="path"/>; <paramref name="what"/> names it in messages, e.g. "CSV file".</summary>
    /// <exception cref="OccamException">The path is empty, missing, a folder or unreadable.</exception>
    public static byte[] ReadAllBytes(string path, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(what);
        if (string.IsNullOrWhiteSpace(path))
            throw OccamException.Usage($"no {what} given; pass the path of a {what}.");
        if (Directory.Exists(path))
            throw OccamException.InputMissing($"{path}: is a folder, not a file; pass the path of a {what}.");
        if (!File.Exists(path))
            throw OccamException.InputMissing($"{path}: file not found; check the path.");
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw OccamException.InputMissing($"{path}: permission denied; make the file readable (chmod u+r) or use a copy.", e);
        }
        catch (IOException e)
        {
            string reason = e.Message.Replace($" : '{path}'", "", StringComparison.Ordinal).Replace($"'{path}'", "the file", StringComparison.Ordinal).Trim().TrimEnd('.');
            throw OccamException.InputMissing($"{path}: cannot read the file ({reason}); check that it is a readable file.", e);
        }
    }
}
