using Occam.Selection;

namespace Occam.Studies.Tests;

/// <summary>
/// The upgrade path of the versioned schema, on both SQL stores: a later migration is applied once, in order, keeping
/// the data; a failing migration leaves the store as it was (one transaction); an older Occam refuses the newer store.
/// Version 2 here is a test migration (the real schema has one version so far).
/// </summary>
public abstract class MigrationTests
{
    private static readonly StudyDefinition Definition = new("t", "f", """{"data":"d"}""");

    private static readonly string[] Version2 = [.. StudySchema.Migrations, "ALTER TABLE trials ADD COLUMN note text; CREATE TABLE extra (x integer)"];

    private static readonly string[] BrokenVersion2 = [.. StudySchema.Migrations, "ALTER TABLE trials ADD COLUMN note text; INSERT INTO no_such_table VALUES (1)"];

    /// <summary>A store on this test's study that knows <paramref name="migrations"/>.</summary>
    private protected abstract SqlStudyStore Store(IReadOnlyList<string> migrations);

    [Fact]
    public void A_later_migration_is_applied_once_keeping_the_trials_and_older_code_refuses_the_result()
    {
        using (var v1 = Store(StudySchema.Migrations))
        {
            Assert.Equal(1, v1.Open(Definition).SchemaVersion);
            v1.AddTrials([new TrialPlan(0, "{}", 1, null), new TrialPlan(1, "{}", 1, null)]);
            v1.Complete(v1.Claim("w", TimeSpan.FromMinutes(1))!, new TrialResult(0.5, 0.1, "{}", 2));
        }
        var before = Snapshot(StudySchema.Migrations);
        using (var v2 = Store(Version2))
        {
            Assert.Equal(2, v2.Open(Definition).SchemaVersion);
            Assert.Equal(2, v2.Read()!.SchemaVersion);
            Assert.Equal(before, StoreContractTests.All(v2));
        }
        using (var again = Store(Version2)) Assert.Equal(2, again.Open(Definition).SchemaVersion); // applied once: no error re-adding the column
        using var old = Store(StudySchema.Migrations);
        var e = Assert.Throws<OccamException>(() => old.Open(Definition));
        Assert.EndsWith("has study schema version 2, newer than this Occam understands (1); update Occam to use it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_migration_changes_nothing()
    {
        using (var v1 = Store(StudySchema.Migrations))
        {
            v1.Open(Definition);
            v1.AddTrials([new TrialPlan(0, "{}", 1, null)]);
        }
        using (var broken = Store(BrokenVersion2))
        {
            var e = Assert.Throws<OccamException>(() => broken.Open(Definition));
            Assert.Contains("no_such_table", e.Message, StringComparison.Ordinal);
        }
        using (var v1 = Store(StudySchema.Migrations)) Assert.Equal(1, v1.Open(Definition).SchemaVersion);
        using var v2 = Store(Version2); // would fail on a duplicate column had the broken one's ALTER stayed
        Assert.Equal(2, v2.Open(Definition).SchemaVersion);
        Assert.Single(StoreContractTests.All(v2));
    }

    private List<TrialRecord> Snapshot(IReadOnlyList<string> migrations)
    {
        using var store = Store(migrations);
        store.Read();
        return StoreContractTests.All(store);
    }
}

public sealed class SqliteMigrationTests : MigrationTests, IDisposable
{
    private readonly TempFolder _folder = new();

    private protected override SqlStudyStore Store(IReadOnlyList<string> migrations) =>
        new SqliteStudyStore(_folder.File("study.db"), null) { Migrations = migrations };

    public void Dispose() => _folder.Dispose();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresMigrationTests(PostgresServer server) : MigrationTests
{
    private readonly string _url = server.Url();

    private protected override SqlStudyStore Store(IReadOnlyList<string> migrations) =>
        new PostgresStudyStore(PostgresUrl.Parse(_url), null) { Migrations = migrations };
}
