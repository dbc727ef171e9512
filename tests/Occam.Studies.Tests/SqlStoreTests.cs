using Occam.Selection;

namespace Occam.Studies.Tests;

/// <summary>Argument and call-order checks of the SQL stores (beyond the shared contract).</summary>
public sealed class SqlStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Using_a_store_before_open_or_read_is_a_programming_error()
    {
        using var store = StudyStores.Open(_folder.File("s.db"));
        Assert.Throws<InvalidOperationException>(() => store.AddTrials([new TrialPlan(0, "{}", 1, null)]));
        Assert.Throws<InvalidOperationException>(() => store.Claim("w", TimeSpan.FromSeconds(1)));
        Assert.Throws<InvalidOperationException>(() => store.ReadTrials(-1, 10));
        Assert.False(File.Exists(_folder.File("s.db")));
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        using var store = StudyStores.Open(_folder.File("s.db"));
        store.Open(new StudyDefinition("t", "f", "{}"));
        store.AddTrials([new TrialPlan(0, "{}", 1, null)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => store.ReadTrials(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Claim("w", TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => store.Claim(" ", TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.AddTrials([new TrialPlan(-1, "{}", 1, null)]));
        Assert.Throws<InvalidOperationException>(() => store.Complete(new TrialClaim(0, 1, "nobody", "{}", 1), new TrialResult(0, 0, "{}", 0)));
        Assert.Equal(TrialState.Pending, store.ReadTrials(-1, 1).Single().State);
    }
}
