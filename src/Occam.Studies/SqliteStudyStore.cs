using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Occam.Studies;

/// <summary>
/// A study in one SQLite file (Microsoft.Data.Sqlite): write-ahead log (WAL), every write in a <c>BEGIN IMMEDIATE</c>
/// transaction, <c>synchronous = FULL</c> (a committed trial survives a crash of the process or the machine), a busy
/// timeout while another process writes. Several processes may share the file on one machine (not over a network
/// file system, where SQLite's locks are unreliable; use PostgreSQL there). The file's <c>application_id</c> marks it
/// as an Occam study.
/// </summary>
internal sealed class SqliteStudyStore : SqlStudyStore
{
    /// <summary><c>PRAGMA application_id</c> of an Occam study file: the ASCII bytes "Occm".</summary>
    internal const int ApplicationId = 0x4F63636D;

    private static ReadOnlySpan<byte> Header => "SQLite format 3\0"u8;

    private readonly string _path;
    private readonly string _connectionString;
    private readonly int _busyMs;
    private volatile bool _prepared;

    /// <param name="path">The study file (created by <see cref="SqlStudyStore.Open"/> if missing).</param>
    /// <param name="clock">The clock for leases.</param>
    /// <param name="busyTimeout">How long a write waits for another process's write to finish (default 30 s).</param>
    public SqliteStudyStore(string path, TimeProvider? clock, TimeSpan? busyTimeout = null) : base(path, clock)
    {
        _path = Path.GetFullPath(path);
        var timeout = busyTimeout ?? TimeSpan.FromSeconds(30);
        _busyMs = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        if (Directory.Exists(_path))
            throw OccamException.InputMissing($"--study {path} is a folder; pass a study file (e.g. {Path.Combine(path, "study.db")})");
        string? folder = Path.GetDirectoryName(_path);
        if (folder is not null && !Directory.Exists(folder))
            throw OccamException.Output($"--study {path}: the folder {folder} does not exist; create it or pass another path");
        CheckHeader(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
        }.ToString();
    }

    protected override string SkipLocked => "";

    protected override string ForUpdate => "";

    protected override bool Absent => !File.Exists(_path) || new FileInfo(_path).Length == 0;

    protected override T Write<T>(Func<DbConnection, DbTransaction, T> work)
    {
        try
        {
            using var connection = Connect();
            using var transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred: false); // BEGIN IMMEDIATE
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }
        catch (SqliteException e)
        {
            throw Translate(e);
        }
    }

    protected override T Read<T>(Func<DbConnection, T> work)
    {
        try
        {
            using var connection = Connect();
            return work(connection);
        }
        catch (SqliteException e)
        {
            throw Translate(e);
        }
    }

    protected override IReadOnlyList<string> Tables(DbConnection connection, DbTransaction? transaction)
    {
        long id = Scalar<long>(connection, transaction, "PRAGMA application_id");
        if (id != 0 && id != ApplicationId)
            throw new OccamException(OccamErrorKind.Data,
                $"{Location} is an SQLite database of another program (application_id 0x{id:X8}), not an Occam study; pass another --study file");
        var tables = new List<string>();
        using var command = Command(connection, transaction,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name");
        using var reader = command.ExecuteReader();
        while (reader.Read()) tables.Add(reader.GetString(0));
        return tables;
    }

    protected override void BeforeMigrations(DbConnection connection, DbTransaction transaction)
    {
        if (Tables(connection, transaction).Count == 0)
            Execute(connection, transaction, "PRAGMA application_id = " + ApplicationId.ToString(CultureInfo.InvariantCulture));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection); // releases the file (pooled connections keep it open)
        }
        base.Dispose(disposing);
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, null, "PRAGMA busy_timeout = " + _busyMs.ToString(CultureInfo.InvariantCulture)
                + "; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
            if (!_prepared)
            {
                string? mode = Scalar<string>(connection, null, "PRAGMA journal_mode = WAL");
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                    throw OccamException.Output($"{Location}: SQLite could not switch the file to write-ahead logging (journal mode '{mode}'); "
                        + "put the study on a local disk");
                _prepared = true;
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A non-empty file that does not start with SQLite's header is refused before SQLite touches it.</summary>
    private void CheckHeader(string given)
    {
        if (!File.Exists(_path)) return;
        Span<byte> head = stackalloc byte[16];
        int read;
        try
        {
            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OccamException.InputMissing($"--study {given}: cannot read the file ({e.Message})", e);
        }
        if (read == 0) return;
        if (read < head.Length || !head.SequenceEqual(Header))
            throw new OccamException(OccamErrorKind.Data,
                $"--study {given} is not an Occam study file (not an SQLite database); pass another path, or a new file name to start a study");
    }

    private OccamException Translate(SqliteException e) => e.SqliteErrorCode switch
    {
        5 or 6 => OccamException.InputMissing(
            $"{Location} is locked by another process for more than {_busyMs / 1000.0:0.#} s ({e.Message}); wait for that sweep to finish or use another --study file", e),
        11 or 26 => new OccamException(OccamErrorKind.Data,
            $"{Location} is damaged or not an SQLite database ({e.Message}); restore it from a backup or start a new --study file", e),
        14 => OccamException.InputMissing($"{Location}: cannot open the study file ({e.Message}); check the path and its permissions", e),
        8 or 10 or 13 => OccamException.Output($"{Location}: cannot write the study file ({e.Message}); check free disk space and permissions", e),
        _ => new OccamException(OccamErrorKind.Data, $"{Location}: SQLite error {e.SqliteErrorCode} ({e.Message})", e),
    };
}
