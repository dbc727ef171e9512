using Occam.Selection;

namespace Occam.Studies.TestWorker;

/// <summary>The study the worker runs; the tests check the store against these.</summary>
public static class TestStudy
{
    public static StudyDefinition Definition { get; } =
        new("kill-test", StudyDefinitions.Fingerprint("""{"data":"test"}"""), """{"data":"test"}""");

    public static TrialPlan[] Plans(int count) =>
        Enumerable.Range(0, count).Select(n => new TrialPlan(n, $$"""{"x":{{n}}}""", 1, null)).ToArray();

    public static TrialResult Result(int number) =>
        new(number / 2.0, 0.25, $$"""{"n":{{number}}}""", 0.01);
}
