using Occam.Selection;

namespace Occam.Tests.Selection;

public class InMemoryStudyStoreTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static StudyDefinition Definition(string data = "\"d1\"", string space = "{\"l1\":[1]}")
    {
        string json = $"{{\"format\":\"occam-study/1\",\"data\":{data},\"space\":{space},\"metric\":\"loss\"}}";
        return new StudyDefinition("s", StudyDefinitions.Fingerprint(json), json);
    }

    private static TrialPlan Plan(int n) => new(n, $"{{\"l1\":{n}}}", 10, null);

    [Fact]
    public void ClaimsInNumberOrderAndRecordsResultsOnce()
    {
        using var store = new InMemoryStudyStore(new ManualClock());
        store.Open(Definition());
        store.AddTrials([Plan(2), Plan(1)]);
        store.AddTrials([Plan(1) with { SettingsJson = "{\"changed\":true}" }, Plan(3)]);
        var a = store.Claim("w1", Lease)!;
        var b = store.Claim("w2", Lease)!;
        Assert.Equal((1, 2), (a.Number, b.Number));
        Assert.Equal("{\"l1\":1}", a.SettingsJson); // an existing trial is left as it is
        store.Complete(a, new TrialResult(0.5, 0.1, "{}", 1));
        store.Complete(a, new TrialResult(9, 9, "{}", 1)); // the first result stays
        store.Fail(b, "boom");
        var trials = store.ReadTrials(0, 10);
        Assert.Equal([TrialState.Complete, TrialState.Failed, TrialState.Pending], trials.Select(t => t.State));
        Assert.Equal(0.5, trials[0].Result!.Objective);
        Assert.Equal("boom", trials[1].Error);
        Assert.Equal([3], store.ReadTrials(2, 10).Select(t => t.Number));
        Assert.Equal([1], store.ReadTrials(0, 1).Select(t => t.Number));
        Assert.Equal(3, store.Claim("w1", Lease)!.Number);
        Assert.Null(store.Claim("w1", Lease));
    }

    [Fact]
    public void ALapsedLeaseIsStaleThenReclaimedAndTheOldClaimLosesIt()
    {
        var clock = new ManualClock();
        using var store = new InMemoryStudyStore(clock);
        store.Open(Definition());
        store.AddTrials([Plan(1)]);
        var first = store.Claim("dead", Lease)!;
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(store.Heartbeat(first, Lease)); // lease now ends at 50 s
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(store.Claim("w2", Lease));
        Assert.Equal(TrialState.Running, store.ReadTrials(0, 1)[0].State);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TrialState.Stale, store.ReadTrials(0, 1)[0].State);
        var second = store.Claim("w2", Lease)!;
        Assert.Equal((1, 2), (second.Number, second.Attempt));
        Assert.False(store.Heartbeat(first, Lease));
        store.Complete(second, new TrialResult(1, 0, "{}", 1));
        store.Complete(first, new TrialResult(2, 0, "{}", 1)); // late result of the stale attempt: harmless
        var t = store.ReadTrials(0, 1)[0];
        Assert.Equal((TrialState.Complete, 2, "w2", 1.0), (t.State, t.Attempts, t.Worker, t.Result!.Objective));
        Assert.Equal([TrialState.Stale, TrialState.Complete], store.History.Select(h => h.Outcome));
    }

    [Fact]
    public void AnotherDefinitionIsRefusedNamingWhatDiffers()
    {
        using var store = new InMemoryStudyStore();
        var info = store.Open(Definition());
        Assert.Equal(info, store.Open(Definition()));
        var e = Assert.Throws<OccamException>(() => store.Open(Definition(data: "\"d2\"", space: "{\"l1\":[2]}")));
        Assert.Equal(OccamErrorKind.Data, e.Kind);
        Assert.Contains("dataset, search space", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("metric", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadIsNullUntilOpened()
    {
        using var store = new InMemoryStudyStore();
        Assert.Null(store.Read());
        store.Open(Definition());
        Assert.Equal("s", store.Read()!.Name);
    }

    [Fact]
    public void ConcurrentClaimsNeverShareATrial()
    {
        using var store = new InMemoryStudyStore();
        store.Open(Definition());
        store.AddTrials(Enumerable.Range(1, 200).Select(Plan).ToArray());
        var claimed = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, 4, w =>
        {
            while (store.Claim($"w{w}", Lease) is { } c)
            {
                claimed.Add(c.Number);
                store.Complete(c, new TrialResult(c.Number, 0, "{}", 0));
            }
        });
        Assert.Equal(Enumerable.Range(1, 200), claimed.Order());
    }
}
