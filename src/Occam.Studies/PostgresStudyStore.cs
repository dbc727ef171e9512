using System.Data;
using System.Data.Common;
using Npgsql;

namespace Occam.Studies;

/// <summary>
/// A study in a PostgreSQL schema (Npgsql), shared by any number of workers on any number of machines. Claims take the
/// first runnable trial with <c>SELECT … FOR UPDATE SKIP LOCKED</c> (workers never wait on each other's claims and never
/// take the same row), transactions are READ COMMITTED, finishing a trial locks its row (<c>FOR UPDATE</c>). Transient
/// errors — serialization failure 40001, deadlock 40P01, a dropped or refused connection, and the other errors Npgsql
/// marks transient — are retried with exponential backoff (<see cref="RetryPolicy"/>); every operation is idempotent
/// under a retry except <see cref="SqlStudyStore.Claim"/>, whose lost reply leaves a claim that lapses and is reclaimed
/// (recorded stale). Schema changes take a transaction-scoped advisory lock so concurrent workers migrate once.
/// </summary>
internal sealed class PostgresStudyStore : SqlStudyStore
{
    private readonly NpgsqlDataSource _source;
    private readonly PostgresUrl _url;
    private readonly RetryPolicy _retry;
    private int _retries;

    public PostgresStudyStore(PostgresUrl url, TimeProvider? clock, RetryPolicy? retry = null) : base(url.Display, clock)
    {
        _url = url;
        _retry = retry ?? RetryPolicy.Default;
        _source = NpgsqlDataSource.Create(url.ConnectionString);
    }

    /// <summary>How many times an operation was retried after a transient error (for tests and diagnostics).</summary>
    public int Retries => Volatile.Read(ref _retries);

    protected override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    protected override string ForUpdate => " FOR UPDATE";

    protected override T Write<T>(Func<DbConnection, DbTransaction, T> work) => WithRetries(() =>
    {
        using var connection = _source.OpenConnection();
        using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    });

    protected override T Read<T>(Func<DbConnection, T> work) => WithRetries(() =>
    {
        using var connection = _source.OpenConnection();
        return work(connection);
    });

    protected override IReadOnlyList<string> Tables(DbConnection connection, DbTransaction? transaction)
    {
        var tables = new List<string>();
        using var command = Command(connection, transaction,
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = @schema ORDER BY tablename", ("schema", _url.Schema));
        using var reader = command.ExecuteReader();
        while (reader.Read()) tables.Add(reader.GetString(0));
        return tables;
    }

    protected override void BeforeMigrations(DbConnection connection, DbTransaction transaction)
    {
        // One migrator at a time per schema: the lock is released when the transaction ends.
        Execute(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", ("key", AdvisoryKey(_url.Schema)));
        // Only when missing: CREATE SCHEMA needs the CREATE right on the database even with IF NOT EXISTS.
        if (Scalar<int?>(connection, transaction, "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = @schema", ("schema", _url.Schema)) is null)
            Execute(connection, transaction, "CREATE SCHEMA IF NOT EXISTS " + _url.Schema); // validated identifier (PostgresUrl)
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _source.Dispose();
        base.Dispose(disposing);
    }

    private T WithRetries<T>(Func<T> operation)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return operation();
            }
            catch (NpgsqlException e) when (IsTransient(e) && attempt < _retry.Retries)
            {
                Interlocked.Increment(ref _retries);
                Thread.Sleep(_retry.Delay(attempt));
            }
            catch (NpgsqlException e)
            {
                throw Translate(e);
            }
        }
    }

    internal static bool IsTransient(NpgsqlException e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected } || e.IsTransient;

    private OccamException Translate(NpgsqlException e)
    {
        if (e is PostgresException pg)
            return pg.SqlState switch
            {
                PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => OccamException.InputMissing(
                    $"PostgreSQL refused the login to {Location} ({pg.MessageText}); check the user and the password (in the URL, PGPASSWORD or ~/.pgpass)", e),
                PostgresErrorCodes.InvalidCatalogName => OccamException.InputMissing(
                    $"{Location}: {pg.MessageText}; create the database first (createdb) or name another one in the URL", e),
                _ => new OccamException(OccamErrorKind.Data, $"{Location}: PostgreSQL error {pg.SqlState}: {pg.MessageText}", e),
            };
        var inner = e;
        Exception cause = e;
        while (cause.InnerException is not null) cause = cause.InnerException;
        return OccamException.InputMissing(
            $"cannot reach the PostgreSQL study {Location} ({cause.Message}); check that the server runs and the URL's host and port", inner);
    }

    /// <summary>A stable 64-bit key per schema name (FNV-1a), so workers agree on the advisory lock.</summary>
    private static long AdvisoryKey(string schema)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char ch in "occam-study:" + schema)
        {
            hash ^= ch;
            hash *= 1099511628211UL;
        }
        return unchecked((long)hash);
    }
}

/// <summary>How often and how long to wait when a PostgreSQL operation fails transiently: delay k (0-based) is
/// <c>min(First · 2^k, Max)</c>; default 6 retries from 50 ms (about 3 s in all).</summary>
internal sealed record RetryPolicy(int Retries, TimeSpan First, TimeSpan Max)
{
    public static RetryPolicy Default { get; } = new(6, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2));

    public TimeSpan Delay(int attempt) => TimeSpan.FromTicks(Math.Min(Max.Ticks, First.Ticks << Math.Min(attempt, 30)));
}
