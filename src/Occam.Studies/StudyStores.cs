using Occam.Selection;

namespace Occam.Studies;

/// <summary>Opens the study store a <c>--study</c> value names.</summary>
public static class StudyStores
{
    /// <summary>
    /// A file path → an SQLite study file (created when the study is first opened); a <c>postgresql://</c> or
    /// <c>postgres://</c> URL → a PostgreSQL study (see docs/cli.md, "Study stores", for the URL's form and
    /// parameters). Nothing is created until <see cref="IStudyStore.Open"/>.
    /// </summary>
    /// <param name="fileOrUrl">The study file or URL.</param>
    /// <param name="clock">The clock for leases (default: the system clock).</param>
    /// <exception cref="OccamException">The value is empty, an unknown URL scheme, a malformed URL, a folder, or a file that is not an Occam study.</exception>
    public static IStudyStore Open(string fileOrUrl, TimeProvider? clock = null)
    {
        if (string.IsNullOrWhiteSpace(fileOrUrl))
            throw OccamException.Usage("--study is empty; pass a study file path or a postgresql://USER@HOST/DATABASE URL");
        if (PostgresUrl.IsUrl(fileOrUrl)) return new PostgresStudyStore(PostgresUrl.Parse(fileOrUrl), clock);
        int scheme = fileOrUrl.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
            throw OccamException.Usage($"--study {fileOrUrl}: unknown URL scheme '{fileOrUrl[..scheme]}://'; pass a file path or a postgresql:// URL");
        return new SqliteStudyStore(fileOrUrl, clock);
    }

    /// <summary>
    /// As <see cref="Open"/>, for commands that read a study someone made (<c>occam study show|export</c>,
    /// <c>occam sweep worker</c>): a study file that does not exist is an <see cref="OccamErrorKind.InputMissing"/>
    /// error naming it (usually a mistyped path), not an empty study.
    /// </summary>
    /// <param name="fileOrUrl">The study file or URL.</param>
    /// <param name="clock">The clock for leases (default: the system clock).</param>
    /// <exception cref="OccamException">As <see cref="Open"/>, or the study file does not exist.</exception>
    public static IStudyStore OpenExisting(string fileOrUrl, TimeProvider? clock = null)
    {
        if (!string.IsNullOrWhiteSpace(fileOrUrl) && !fileOrUrl.Contains("://", StringComparison.Ordinal)
            && !File.Exists(fileOrUrl) && !Directory.Exists(fileOrUrl))
            throw OccamException.InputMissing($"{fileOrUrl}: file not found; check the path (a study file is made by 'occam sweep ... --study {fileOrUrl}').");
        return Open(fileOrUrl, clock);
    }
}
