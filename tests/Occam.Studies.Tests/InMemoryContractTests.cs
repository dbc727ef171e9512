using Occam.Selection;

namespace Occam.Studies.Tests;

/// <summary>The store contract on sweep's <see cref="InMemoryStudyStore"/>: every "new store" of a test shares one
/// in-memory study (as every SQLite store of a test shares one file).</summary>
public sealed class InMemoryContractTests : StoreContractTests, IDisposable
{
    private readonly InMemoryStudyStore _study;

    public InMemoryContractTests() => _study = new InMemoryStudyStore(Clock);

    protected override IStudyStore OpenStore() => new Shared(_study);

    public void Dispose() => _study.Dispose();

    /// <summary>A handle on the shared study whose Dispose leaves the study alone.</summary>
    private sealed class Shared(IStudyStore inner) : IStudyStore
    {
        public StudyInfo Open(StudyDefinition definition) => inner.Open(definition);
        public StudyInfo? Read() => inner.Read();
        public void AddTrials(IReadOnlyList<TrialPlan> trials) => inner.AddTrials(trials);
        public TrialClaim? Claim(string worker, TimeSpan lease) => inner.Claim(worker, lease);
        public bool Heartbeat(TrialClaim claim, TimeSpan lease) => inner.Heartbeat(claim, lease);
        public void Complete(TrialClaim claim, TrialResult result) => inner.Complete(claim, result);
        public void Fail(TrialClaim claim, string error) => inner.Fail(claim, error);
        public IReadOnlyList<TrialRecord> ReadTrials(int afterNumber, int limit) => inner.ReadTrials(afterNumber, limit);
        public void Dispose() { }
    }
}
