namespace Occam.Data;

/// <summary>
/// Reading a file the user named (data, labels, model): one place for the one-line errors when the path is empty
/// (<see cref="OccamErrorKind.Usage"/>), a folder, missing or unreadable (<see cref="OccamErrorKind.InputMissing"/>).
/// </summary>
internal static class InputFile
{
    /// <summary>Checks that <paramref name="path"/> names an existing file (not a folder).</summary>
    /// <param name="path">The path as the user gave it.</param>
    /// <param name="what">What the file should be, with its article: "a CSV file", "a model file", …</param>
    /// <exception cref="OccamException">The path is empty, a folder or missing.</exception>
    public static void Check(string path, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
            throw OccamException.Usage($"no file given; pass the path of {what}.");
        if (Directory.Exists(path))
            throw OccamException.InputMissing($"{path}: is a folder, not a file; pass the path of {what}.");
        if (!File.Exists(path))
            throw OccamException.InputMissing($"{path}: file not found; check the path.");
    }

    /// <summary>The file's bytes, after <see cref="Check"/>.</summary>
    public static byte[] ReadAllBytes(string path, string what)
    {
        Check(path, what);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, e);
        }
    }

    /// <summary>
    /// The file opened for reading without a buffer of its own (the caller reads it in large pieces or through a stream
    /// that buffers), after <see cref="Check"/>; reading it can throw <see cref="IOException"/>, which
    /// <see cref="ReadError"/> turns into the same one-line error as <see cref="ReadAllBytes"/>.
    /// </summary>
    public static FileStream OpenRead(string path, string what)
    {
        Check(path, what);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, e);
        }
    }

    /// <summary>The one-line error for a failure while reading a file opened by <see cref="OpenRead"/> (null: not a read error).</summary>
    public static OccamException? ReadError(string path, Exception e) =>
        e is IOException or UnauthorizedAccessException ? Unreadable(path, e) : null;

    /// <summary>The file's text (UTF-8 unless a byte-order mark says otherwise), after <see cref="Check"/>.</summary>
    public static string ReadAllText(string path, string what)
    {
        Check(path, what);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, e);
        }
    }

    private static OccamException Unreadable(string path, Exception e) => e is UnauthorizedAccessException
        ? OccamException.InputMissing($"{path}: permission denied; make the file readable for this user.", e)
        : OccamException.InputMissing($"{path}: cannot read the file ({e.Message.Replace($" : '{path}'", "", StringComparison.Ordinal).TrimEnd('.')}); check that it is a readable file.", e);
}
