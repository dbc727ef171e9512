using Occam.Data;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Selection;

namespace Occam.Tests.Selection;

public class SweepTests
{
    private static readonly Lazy<Dataset> Iris = new(() => CsvLoader.Load(Repo.Data("iris.csv"), "species"));

    private static Sweep IrisSweep(string space = "l1=log(1e-4,1e-1,4);dropout=0,0.3", SamplerSettings? sampler = null) => new()
    {
        Space = SearchSpace.Parse(space),
        Sampler = sampler ?? new SamplerSettings(),
        Evaluation = new Evaluation { Folds = 3, Seed = 4 },
        Recipe = new TrainingRecipe { Hidden = [8], Epochs = 8, BatchSize = 16, Lr = 0.01, Seed = 2 },
    };

    private static string[] Results(IEnumerable<TrialRecord> trials) =>
        trials.Select(t => $"{t.Number} {t.State} {t.SettingsJson} {t.Budget} {t.PromotedFrom} {t.Result?.Objective:R} {t.Result?.ObjectiveSe:R} {t.Result?.MetricsJson}").ToArray();

    [Fact]
    public void OneJobAndTwoJobsGiveIdenticalStudies()
    {
        var sweep = IrisSweep();
        using var one = new InMemoryStudyStore();
        using var two = new InMemoryStudyStore();
        using var meeting = new ClaimsMeet(two, workers: 2);
        var a = SweepRunner.Run(one, sweep, Iris.Value, new SweepRunOptions { Jobs = 1 });
        var b = SweepRunner.Run(meeting, sweep, Iris.Value, new SweepRunOptions { Jobs = 2 });
        Assert.Equal(8, a.Trials.Count);
        Assert.All(a.Trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.Equal(Results(a.Trials), Results(b.Trials));
        Assert.True(meeting.Met, "the two jobs' workers never both asked for a trial within 60 s");
        Assert.Equal(2, two.History.Select(h => h.Worker).Distinct().Count());
        Assert.Equal(a.Choice!.OneSe.Number, b.Choice!.OneSe.Number);
    }

    [Fact]
    public void AResumedSweepRunsOnlyTheUnfinishedTrials()
    {
        var sweep = IrisSweep(space: "l1=log(1e-4,1e-1,4)");
        var clock = new ManualClock();
        using var store = new InMemoryStudyStore(clock);
        // A first process finished trial 1, died while running trial 2 (its lease will lapse), never reached 3 and 4.
        store.Open(sweep.Define(Iris.Value));
        store.AddTrials(Sampler.Create(sweep.Sampler, sweep.Space, sweep.Recipe).Plans([]));
        var first = store.Claim("dead", TimeSpan.FromSeconds(30))!;
        var r1 = TrialEvaluator.Evaluate(Iris.Value, sweep.Evaluation.Splits(Iris.Value), sweep.Recipe.With(TrialSettings.FromJson(first.SettingsJson)), SweepMetric.Loss);
        store.Complete(first, r1);
        store.Claim("dead", TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(31));
        var resumed = SweepRunner.Run(store, sweep, Iris.Value, new SweepRunOptions { Jobs = 1, Worker = "again" });
        Assert.Equal(3, resumed.RanHere);
        Assert.Equal([TrialState.Complete], resumed.Trials.Select(t => t.State).Distinct());
        Assert.Equal("dead", resumed.Trials[0].Worker);
        Assert.Equal(r1, resumed.Trials[0].Result);
        Assert.Equal((2, "again"), (resumed.Trials[1].Attempts, resumed.Trials[1].Worker));
        Assert.Equal(["dead:Complete", "dead:Stale", "again:Complete", "again:Complete", "again:Complete"],
            store.History.Select(h => $"{h.Worker}:{h.Outcome}"));
        // A second run finds nothing to do.
        Assert.Equal(0, SweepRunner.Run(store, sweep, Iris.Value, new SweepRunOptions { Jobs = 2 }).RanHere);
    }

    [Fact]
    public void AStudyOfAnotherDatasetOrSpaceIsRefused()
    {
        using var store = new InMemoryStudyStore();
        store.Open(IrisSweep().Define(Iris.Value));
        var shifted = Iris.Value.Subset(Enumerable.Range(1, 149).ToArray());
        var e = Assert.Throws<OccamException>(() => SweepRunner.Run(store, IrisSweep(), shifted));
        Assert.Contains("different dataset", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<OccamException>(() => SweepRunner.Run(store, IrisSweep(space: "l1=log(1e-4,1e-1,5);dropout=0,0.3"), Iris.Value));
        Assert.Contains("different search space; refusing to mix trials", e.Message, StringComparison.Ordinal);
        Assert.Empty(store.ReadTrials(0, 10));
    }

    [Fact]
    public void TheDefinitionRoundTripsAndChecksTheData()
    {
        var sweep = IrisSweep(sampler: new SamplerSettings { Kind = SamplerKind.Halving, Trials = 9, Eta = 3, Seed = 7 });
        sweep = sweep with { Metric = SweepMetric.Accuracy, Recipe = sweep.Recipe with { Epochs = 9 } };
        var definition = sweep.Define(Iris.Value);
        var back = Sweep.FromDefinition(definition.DefinitionJson);
        Assert.Equal(definition.DefinitionJson, back.Define(Iris.Value).DefinitionJson);
        Sweep.CheckData(definition.DefinitionJson, Iris.Value, "--data iris.csv");
        var e = Assert.Throws<OccamException>(() => Sweep.CheckData(definition.DefinitionJson, Iris.Value.Subset([0, 1, 2]), "--data x.csv"));
        Assert.StartsWith("--data x.csv is not the dataset of this study (the study was made on 150 rows × 4 features, target 'species'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FoldsMoreThanRowsAndWrongMetricsAreUsageErrors()
    {
        var tiny = Iris.Value.Subset([0, 50, 100, 1]);
        var e = Assert.Throws<OccamException>(() => (IrisSweep() with { Evaluation = new Evaluation { Folds = 5, Stratify = false } }).Define(tiny));
        Assert.Equal("--folds 5 is more than the 4 rows of the data; use at most 4 folds.", e.Message);
        e = Assert.Throws<OccamException>(() => (IrisSweep() with { Metric = SweepMetric.R2 }).Define(Iris.Value));
        Assert.StartsWith("--metric r2 is for regression targets", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<OccamException>(() => IrisSweep(space: "l1=log(1e-4,1e-1)").Define(Iris.Value));
        Assert.Contains("has no count; the grid sampler needs one", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrialObjectiveIsTheMeanOverFoldsWithSdOverRootK()
    {
        var sweep = IrisSweep();
        var folds = sweep.Evaluation.Splits(Iris.Value);
        var result = TrialEvaluator.Evaluate(Iris.Value, folds, sweep.Recipe, SweepMetric.Loss);
        var m = TrialMetrics.FromJson(result.MetricsJson);
        Assert.Equal(3, m.FoldObjectives.Length);
        var (mean, se) = OneStandardError.MeanAndSe(m.FoldObjectives);
        Assert.Equal((mean, se), (result.Objective, result.ObjectiveSe));
        Assert.Equal(m.ValLoss, m.Objective, 1e-6); // per-row losses average to the evaluation's loss (float scores)
        // Each fold's objective is the held-out loss of a model trained on the other folds (independent check on fold 0).
        var model = new MlpClassifier { Hidden = [8], Epochs = 8, BatchSize = 16, Optimizer = Optim.Adam(lr: 0.01), Seed = 2 }
            .Fit(Iris.Value.Subset(folds[0].Train));
        Assert.Equal(model.Evaluate(Iris.Value.Subset(folds[0].Test)).Loss, m.FoldObjectives[0], 1e-6);
        Assert.InRange(m.ValAccuracy!.Value, 0.5, 1);
        Assert.Equal(m.ValAccuracySe!.Value, OneStandardError.MeanAndSe([.. Enumerable.Range(0, 3).Select(f =>
            new MlpClassifier { Hidden = [8], Epochs = 8, BatchSize = 16, Optimizer = Optim.Adam(lr: 0.01), Seed = 2 }
                .Fit(Iris.Value.Subset(folds[f].Train)).Evaluate(Iris.Value.Subset(folds[f].Test)).Accuracy!.Value)]).Se, 12);
    }

    [Fact]
    public void HoldoutSeIsOverHeldOutRowsAndAccuracyErrorIsOneMinusAccuracy()
    {
        var sweep = IrisSweep() with { Evaluation = new Evaluation { Folds = 0, ValidationSplit = 0.3, Seed = 1 } };
        var folds = sweep.Evaluation.Splits(Iris.Value);
        Assert.Single(folds);
        Assert.Equal(45, folds[0].Test.Length); // stratified: 15 of each class
        var r = TrialEvaluator.Evaluate(Iris.Value, folds, sweep.Recipe, SweepMetric.Accuracy);
        var m = TrialMetrics.FromJson(r.MetricsJson);
        Assert.Equal(1 - m.ValAccuracy!.Value, r.Objective, 12);
        double p = r.Objective;
        // rows' 0/1 errors: sample sd = √(n p(1−p)/(n−1)), se = sd/√n
        Assert.Equal(Math.Sqrt(45 * p * (1 - p) / 44) / Math.Sqrt(45), r.ObjectiveSe, 12);
        Assert.Null(m.ValLossSe);
    }

    [Fact]
    public void TheOneSeChoiceIsTheLargestL1WithinOneSe()
    {
        var sweep = IrisSweep(space: "l1=log(1e-4,1e-1,4)");
        var trials = new[] { (1e-4, 0.30), (1e-3, 0.28), (1e-2, 0.33), (1e-1, 0.60) }
            .Select((t, i) => new TrialRecord(i + 1, TrialState.Complete, $"{{\"l1\":{t.Item1}}}", 8, null, 1, "w", new TrialResult(t.Item2, 0.06, Sparsity(60, 0).ToJson(), 0), null))
            .ToArray();
        var c = SweepChoice.Of(sweep, trials)!;
        Assert.Equal(2, c.Best.Number);
        Assert.Equal(3, c.OneSe.Number); // l1 = 1e-2 (0.33 ≤ 0.34): the largest λ within one SE, not the smallest (1e-4, 0.30)
        Assert.Equal(0.34, c.Threshold, 12);
    }

    private static TrialMetrics Sparsity(double afterPruning, double zeros) => new()
    {
        Metric = "loss", Folds = 3, Epochs = 8, Objective = 0, ObjectiveSe = 0, FoldObjectives = [], ValLoss = 0, TrainLoss = 0,
        ZeroFraction = zeros, ZeroWeights = 0, DeadUnits = 0, InputsKept = 4, Parameters = 67, ParametersAfterPruning = afterPruning,
    };

    [Fact]
    public void MoreRegularizedPutsSparsityPenaltiesThenMeasuredSparsityThenTheOtherParameters()
    {
        var space = SearchSpace.Parse("dropout=0,0.5;l1=0.001,0.01;hidden=16,64;lr=0.1,0.01");
        TrialSettings S(string json) => TrialSettings.FromJson(json);
        var same = Sparsity(60, 0.1);
        // (1) l1 first even though dropout comes first in the space: larger l1 is more regularized.
        Assert.True(SweepChoice.MoreRegularizedFirst(space, S("{\"dropout\":0,\"l1\":0.01}"), same, S("{\"dropout\":0.5,\"l1\":0.001}"), same) < 0);
        // (2) same l1: the sparser trial (fewer parameters after pruning, then more zeros) wins over larger dropout.
        Assert.True(SweepChoice.MoreRegularizedFirst(space, S("{\"dropout\":0,\"l1\":0.01}"), Sparsity(50, 0.1), S("{\"dropout\":0.5,\"l1\":0.01}"), Sparsity(60, 0.1)) < 0);
        Assert.True(SweepChoice.MoreRegularizedFirst(space, S("{\"dropout\":0,\"l1\":0.01}"), Sparsity(60, 0.3), S("{\"dropout\":0.5,\"l1\":0.01}"), Sparsity(60, 0.1)) < 0);
        // (3) same sparsity: larger dropout, then fewer hidden units, in the space's order; lr is not used.
        Assert.True(SweepChoice.MoreRegularizedFirst(space, S("{\"dropout\":0.5,\"l1\":0.01,\"hidden\":64}"), same, S("{\"dropout\":0,\"l1\":0.01,\"hidden\":16}"), same) < 0);
        Assert.True(SweepChoice.MoreRegularizedFirst(space, S("{\"dropout\":0,\"l1\":0.01,\"hidden\":16}"), same, S("{\"dropout\":0,\"l1\":0.01,\"hidden\":64}"), same) < 0);
        Assert.Equal(0, SweepChoice.MoreRegularizedFirst(space, S("{\"dropout\":0,\"l1\":0.01,\"hidden\":16,\"lr\":0.1}"), same, S("{\"dropout\":0,\"l1\":0.01,\"hidden\":16,\"lr\":0.01}"), same));
    }

    [Fact]
    public void HalvingPromotesTheBestOfEachFinishedRungByObjectiveThenNumber()
    {
        var recipe = new TrainingRecipe { Epochs = 27 };
        var sampler = Sampler.Create(new SamplerSettings { Kind = SamplerKind.Halving, Trials = 9, Eta = 3, Seed = 1 }, SearchSpace.Parse("l1=log(1e-5,1e-1)"), recipe);
        var first = sampler.Plans([]);
        Assert.Equal(9, first.Count);
        Assert.All(first, p => Assert.Equal(3, p.Budget)); // rungs: 9×3, 3×9, 1×27 epochs
        // Rung 0 with one trial missing: nothing new is planned.
        double[] objective = [5, 1, 4, 1, 3, 9, 2, 8, 7];
        TrialRecord Done(TrialPlan p, double o, TrialState s = TrialState.Complete) =>
            new(p.Number, s, p.SettingsJson, p.Budget, p.PromotedFrom, 1, "w", s == TrialState.Complete ? new TrialResult(o, 0, "{}", 0) : null, null);
        var records = first.Take(8).Select((p, i) => Done(p, objective[i])).ToList();
        Assert.Equal(9, sampler.Plans(records).Count);
        records.Add(Done(first[8], 0, TrialState.Failed));
        var second = sampler.Plans(records).Skip(9).ToArray();
        Assert.Equal([10, 11, 12], second.Select(p => p.Number));
        Assert.Equal([2, 4, 7], second.Select(p => p.PromotedFrom!.Value)); // 1 (trial 2), 1 (trial 4: tie, higher number), 2 (trial 7)
        Assert.All(second, p => Assert.Equal(9, p.Budget));
        Assert.Equal(first[1].SettingsJson, second[0].SettingsJson);
        records.AddRange(second.Select((p, i) => Done(p, new[] { 0.5, 0.2, 0.9 }[i])));
        var third = sampler.Plans(records).Skip(12).ToArray();
        Assert.Equal((13, 11, 27), (third.Single().Number, third.Single().PromotedFrom!.Value, third.Single().Budget));
        // The order the records arrive in does not matter.
        records.Reverse();
        Assert.Equal(sampler.Plans(records).Select(p => p.ToString()), first.Concat(second).Concat(third).Select(p => p.ToString()));
    }

    [Fact]
    public void HalvingRefusesEpochsInTheSpaceAndTooFewEpochs()
    {
        var e = Assert.Throws<OccamException>(() => Sampler.Create(new SamplerSettings { Kind = SamplerKind.Halving, Trials = 9 }, SearchSpace.Parse("epochs=5,10"), new TrainingRecipe()));
        Assert.Contains("epochs are the budget of successive halving", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<OccamException>(() => Sampler.Create(new SamplerSettings { Kind = SamplerKind.Halving, Trials = 27 }, SearchSpace.Parse("l1=0,1"), new TrainingRecipe { Epochs = 10 }));
        Assert.Contains("--epochs 10 is too few for 4 rungs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefitUsesTheChosenSettingsOnAllRows()
    {
        var sweep = IrisSweep(space: "l1=0.001,0.01");
        var trial = new TrialRecord(2, TrialState.Complete, "{\"l1\":0.01}", 8, null, 1, "w", new TrialResult(0.3, 0.1, "{}", 1), null);
        var model = SweepRunner.Refit(sweep, Iris.Value, trial);
        var expected = new MlpClassifier { Hidden = [8], Epochs = 8, BatchSize = 16, Optimizer = Optim.Adam(lr: 0.01), Penalty = Penalty.L1(0.01), Seed = 2 }.Fit(Iris.Value);
        Assert.Equal(expected.PredictProba(Iris.Value), model.PredictProba(Iris.Value));
    }

    /// <summary>
    /// A store whose first claim by each worker waits until <c>workers</c> distinct workers have asked for one (at most
    /// 60 s), so that a run with that many jobs really spreads its trials: without it, on a loaded host, the first
    /// worker could claim every trial of a small sweep before the second thread had started.
    /// </summary>
    private sealed class ClaimsMeet(IStudyStore inner, int workers) : IStudyStore
    {
        private readonly HashSet<string> _seen = [];
        private readonly object _gate = new();

        public bool Met { get; private set; }

        public TrialClaim? Claim(string worker, TimeSpan lease)
        {
            lock (_gate)
            {
                if (_seen.Add(worker) && _seen.Count >= workers) { Met = true; Monitor.PulseAll(_gate); }
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (!Met && DateTime.UtcNow < deadline) Monitor.Wait(_gate, TimeSpan.FromMilliseconds(100));
            }
            return inner.Claim(worker, lease);
        }

        public StudyInfo Open(StudyDefinition definition) => inner.Open(definition);
        public StudyInfo? Read() => inner.Read();
        public void AddTrials(IReadOnlyList<TrialPlan> trials) => inner.AddTrials(trials);
        public bool Heartbeat(TrialClaim claim, TimeSpan lease) => inner.Heartbeat(claim, lease);
        public void Complete(TrialClaim claim, TrialResult result) => inner.Complete(claim, result);
        public void Fail(TrialClaim claim, string error) => inner.Fail(claim, error);
        public IReadOnlyList<TrialRecord> ReadTrials(int afterNumber, int limit) => inner.ReadTrials(afterNumber, limit);
        public void Dispose() { }
    }
}
