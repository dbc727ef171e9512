using Occam.Selection;

namespace Occam.Studies.Tests;

/// <summary>The store contract on a PostgreSQL study (a fresh schema per test on the collection's server).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresContractTests(PostgresServer server) : StoreContractTests
{
    private readonly string _url = server.Url();

    protected override IStudyStore OpenStore() => StudyStores.Open(_url, Clock);
}
