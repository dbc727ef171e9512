using Occam.Selection;

namespace Occam.Studies.Tests;

/// <summary>The store contract on an SQLite study file.</summary>
public sealed class SqliteContractTests : StoreContractTests, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override IStudyStore OpenStore() => StudyStores.Open(_folder.File("study.db"), Clock);

    public void Dispose() => _folder.Dispose();
}
