using System.Globalization;
using Occam.Cli.Output;
using Occam.Data;
using Occam.Selection;
using Occam.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands.Sweep;

/// <summary>Registers <c>occam sweep</c> (with <c>sweep worker</c>) and <c>occam study show|export</c>.</summary>
internal static class SweepCommands
{
    /// <summary>The command classes <see cref="Register"/> adds.</summary>
    public static Type[] CommandTypes { get; } = [typeof(SweepCommand), typeof(SweepWorkerCommand), typeof(StudyShowCommand), typeof(StudyExportCommand)];

    public static void Register(IConfigurator config)
    {
        config.AddBranch("sweep", sweep =>
        {
            sweep.SetDescription("Hyper-parameter sweep of an MLP (grid, random, successive halving) with k-fold CV and the one-standard-error choice.");
            sweep.SetDefaultCommand<SweepCommand>();
            sweep.AddCommand<SweepWorkerCommand>("worker").WithDescription("Join a recorded study (--study) and run its unfinished trials.");
        });
        config.AddBranch("study", study =>
        {
            study.SetDescription("Inspect recorded sweeps.");
            study.AddCommand<StudyShowCommand>("show").WithDescription("Show a study's trials, sorted by objective, the chosen ones marked.");
            study.AddCommand<StudyExportCommand>("export").WithDescription("Write a study's trials as CSV.");
        });
    }
}

/// <summary>From the parsed options to the library: the store, the sweep, progress and the tables.</summary>
internal static class SweepCli
{
    /// <summary>The store <paramref name="study"/> names (a SQLite file or a PostgreSQL URL, Occam.Studies); memory when none.</summary>
    public static IStudyStore OpenStore(string? study) => study is null ? new InMemoryStudyStore() : Studies.StudyStores.Open(study);

    /// <summary>The recorded study <paramref name="study"/> names, for the commands that read one (a missing file is an error).</summary>
    public static IStudyStore OpenRecorded(string study) => Studies.StudyStores.OpenExisting(study);

    /// <summary>The sweep the options describe (the search space parsed, every value checked).</summary>
    public static Selection.Sweep Build(SweepSettings s)
    {
        var space = s.Search is not null ? SearchSpace.Parse(s.Search) : SearchSpace.Load(s.SearchFile!, YamlSpace.IsYaml(s.SearchFile!) ? yaml => YamlSpace.ToJson(yaml, s.SearchFile!) : null);
        if (!TrialEvaluator.TryParse(s.Metric, out var metric)) throw OccamException.Usage($"--metric must be loss, accuracy or r2 (got '{s.Metric}').");
        var sampler = s.Sampler switch { "random" => SamplerKind.Random, "halving" => SamplerKind.Halving, _ => SamplerKind.Grid };
        return new Selection.Sweep
        {
            Space = space,
            Sampler = new SamplerSettings { Kind = sampler, Trials = s.Trials, Eta = s.Eta, Seed = s.Seed },
            Evaluation = new Evaluation
            {
                Folds = s.ValSplit is null ? s.Folds ?? 5 : 0,
                ValidationSplit = s.ValSplit ?? 0,
                Shuffle = !s.Contiguous,
                Stratify = !s.NoStratify,
                Seed = s.Seed,
            },
            Metric = metric,
            Recipe = new TrainingRecipe
            {
                Hidden = OptionParsing.LayerSizes("--hidden", s.Hidden),
                Activation = s.Activation,
                Dropout = s.Dropout,
                Optimizer = s.Optimizer,
                Lr = s.LearningRate,
                Momentum = s.Momentum,
                Epochs = s.Epochs,
                BatchSize = s.BatchSize,
                L1 = One("--l1", s.L1),
                L1Mode = s.L1Mode,
                L2 = One("--l2", s.L2),
                ElasticNet = One("--elastic-net", s.ElasticNet),
                L1Ratio = s.L1Ratio,
                GroupLasso = One("--group-lasso", s.GroupLasso),
                WeightDecay = One("--weight-decay", s.WeightDecay),
                Standardize = !s.NoStandardize,
                StandardizeTarget = !s.NoStandardizeTarget,
                Shuffle = !s.NoShuffle,
                Seed = s.Seed,
            },
        };
    }

    /// <summary>
    /// An option given on the command line that the sweep would ignore is an error (docs/cli.md, "Option values"):
    /// --trials outside random/halving, --eta outside halving, and a training option whose parameter is searched.
    /// </summary>
    public static void CheckGivenOptionsApply(CommandContext context, SweepSettings s, Selection.Sweep sweep)
    {
        if (s.Sampler == "grid" && GivenOptions.Has(context, "--trials"))
            throw OccamException.Usage("--trials is for --sampler random and halving; the grid runs every point of --search: leave --trials out or choose a sampler.");
        if (s.Sampler != "halving" && GivenOptions.Has(context, "--eta"))
            throw OccamException.Usage($"--eta is for --sampler halving (the sampler is {s.Sampler}); leave --eta out or add --sampler halving.");
        foreach (var dimension in sweep.Space.Dimensions)
        {
            string option = "--" + dimension.Parameter.Name();
            if (GivenOptions.Has(context, option))
                throw OccamException.Usage($"{option} is searched (--search {dimension.Parameter.Name()}=…), so its fixed value would be ignored; leave {option} out or take {dimension.Parameter.Name()} out of the search space.");
        }
    }

    private static double One(string option, string? text)
    {
        var values = OptionParsing.NonNegativeList(option, text);
        return values.Length switch
        {
            0 => 0,
            1 => values[0],
            _ => throw OccamException.Usage($"{option} '{text}': a sweep takes one strength for every layer; give one value (per-layer lists are for occam train)."),
        };
    }

    public static SweepRunOptions RunOptions(int? jobs, double lease) => new()
    {
        Jobs = jobs ?? Environment.ProcessorCount,
        Lease = TimeSpan.FromSeconds(lease),
    };

    /// <summary>Runs the sweep with live progress (a bar on a terminal, one line per trial when redirected, nothing with --json).</summary>
    public static SweepOutcome Run(IStudyStore store, Selection.Sweep sweep, Dataset data, SweepRunOptions options, bool json, CancellationToken cancel)
    {
        if (json) return SweepRunner.Run(store, sweep, data, options, null, cancel);
        var gate = new Lock();
        TrialRecord? best = null;
        string Describe(TrialEvent e)
        {
            var t = e.Trial;
            if (t.State == TrialState.Complete && (best is null || t.Result!.Objective < best.Result!.Objective)) best = t;
            string result = t.Result is { } r ? $"{ObjectiveName(sweep.Metric)} {Tables.F(r.Objective)} ± {Tables.F(r.ObjectiveSe)} ({r.Seconds:0.0} s)" : $"failed: {t.Error}";
            string settings = TrialSettings.FromJson(t.SettingsJson).ToString();
            return $"trial {t.Number} [{e.Finished}/{e.Planned}] {settings} epochs={t.Budget}: {result}" +
                (best is null ? "" : $"; best #{best.Number} {Tables.F(best.Result!.Objective)}");
        }
        if (Console.IsOutputRedirected)
        {
            return SweepRunner.Run(store, sweep, data, options, new Reporter(e =>
            {
                lock (gate) Tables.Line(Describe(e));
            }), cancel);
        }
        SweepOutcome? outcome = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("trials", maxValue: 1);
                outcome = SweepRunner.Run(store, sweep, data, options, new Reporter(e =>
                {
                    lock (gate)
                    {
                        string line = Describe(e);
                        task.MaxValue = e.Planned;
                        task.Value = e.Finished;
                        task.Description = Markup.Escape(best is null ? $"{e.Finished}/{e.Planned} trials" : $"{e.Finished}/{e.Planned} trials, best #{best.Number} {Tables.F(best.Result!.Objective)}");
                        ctx.Refresh();
                        _ = line;
                    }
                }), cancel);
                task.Value = task.MaxValue;
            });
        return outcome!;
    }

    /// <summary>The trials table (sorted, chosen marked), at most <paramref name="top"/> rows plus the chosen ones.</summary>
    public static void ShowTable(StudyReport report, int? top)
    {
        var rows = report.Sorted();
        var dims = report.Sweep.Space.Dimensions.Select(d => d.Parameter).ToArray();
        bool classes = rows.Any(r => r.Metrics?.ValAccuracy is not null);
        var header = new List<string> { "#" };
        header.AddRange(dims.Select(p => p.Name()));
        header.AddRange(["epochs", "objective", "se", classes ? "val acc" : "val R2", "zeros", "dead", "inputs", "params", "pruned", "s", "chosen"]);
        var lines = new List<string[]> { header.ToArray() };
        int shown = 0;
        foreach (var r in rows)
        {
            bool keep = top is not int n || shown < n || r.Chosen.Length > 0;
            if (!keep) continue;
            shown++;
            var m = r.Metrics;
            var t = r.Trial;
            var cells = new List<string> { t.Number.ToString(CultureInfo.InvariantCulture) };
            cells.AddRange(dims.Select(p => r.Settings[p]?.ToString() ?? ""));
            cells.Add(t.Budget.ToString(CultureInfo.InvariantCulture));
            cells.Add(t.Result is { } res ? Tables.F(res.Objective) : t.State.ToString().ToLowerInvariant());
            cells.Add(Tables.F(t.Result?.ObjectiveSe));
            cells.Add(Tables.F(classes ? m?.ValAccuracy : m?.ValR2));
            cells.Add(m is null ? "-" : Tables.Pct(m.ZeroFraction));
            cells.Add(Tables.F(m?.DeadUnits, "0.#"));
            cells.Add(Tables.F(m?.InputsKept, "0.#"));
            cells.Add(Tables.F(m?.Parameters, "0"));
            cells.Add(Tables.F(m?.ParametersAfterPruning, "0"));
            cells.Add(Tables.F(t.Result?.Seconds, "0.0"));
            cells.Add(r.Chosen);
            lines.Add(cells.ToArray());
        }
        var ev = report.Sweep.Evaluation;
        string evaluation = ev.Folds == 0 ? $"holdout {ev.ValidationSplit}" : $"{ev.Folds}-fold";
        int complete = report.Trials.Count(t => t.State == TrialState.Complete), failed = report.Trials.Count(t => t.State == TrialState.Failed);
        var notes = new List<string>
        {
            $"{Counted.Of(report.Trials.Count, "trial")} ({complete} complete, {failed} failed); {report.Sweep.Sampler.Name} sampler, {evaluation}, objective = {ObjectiveName(report.Sweep.Metric)} (mean ± SE)",
        };
        if (report.Choice is { } c)
            notes.Add($"best #{c.Best.Number} ({TrialSettings.FromJson(c.Best.SettingsJson)}); 1se #{c.OneSe.Number} ({TrialSettings.FromJson(c.OneSe.SettingsJson)}): the most regularized trial with objective <= {Tables.F(c.Threshold)}");
        foreach (var f in report.Trials.Where(t => t.State == TrialState.Failed).Take(3)) notes.Add($"trial {f.Number} failed: {f.Error}");
        Tables.Line($"Study '{report.Info.Name}'");
        var widths = Enumerable.Range(0, header.Count).Select(c => lines.Max(l => l[c].Length)).ToArray();
        foreach (var l in lines) Tables.Line(string.Join("  ", l.Select((cell, c) => c == 0 || c > dims.Length ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd());
        foreach (string note in notes) Tables.Line(note);
    }

    /// <summary>
    /// One scatter per numeric searched hyper-parameter (Occam.Reports.SelectionPlots): each complete trial's objective
    /// ± SE against the parameter (log axis for log ranges and for lists of positive values spanning 100× or more; hidden:
    /// total units), best and 1-SE trials marked; files DIR/sweep-NAME.png and .svg.
    /// </summary>
    public static IReadOnlyList<string> WritePlots(StudyReport report, string directory)
    {
        var done = report.Trials.Where(t => t.State == TrialState.Complete && t.Result is not null).ToArray();
        var files = new List<string>();
        foreach (var d in report.Sweep.Space.Dimensions.Where(d => d.Parameter.KindOf() != ValueKind.Word))
        {
            var values = done.Select(t => TrialSettings.FromJson(t.SettingsJson)[d.Parameter]!.Number).ToArray();
            bool log = d is RangeDimension r ? r.IsLog : values.Length > 0 && values.Min() > 0 && values.Max() >= 100 * values.Min();
            int? Index(TrialRecord? t) => t is null ? null : Array.FindIndex(done, x => x.Number == t.Number) is var i and >= 0 ? i : null;
            var data = new Reports.SweepScatterData(d.Parameter.Name(), values, log, ObjectiveName(report.Sweep.Metric),
                done.Select(t => t.Result!.Objective).ToArray(), done.Select(t => t.Result!.ObjectiveSe).ToArray(),
                Index(report.Choice?.Best), Index(report.Choice?.OneSe));
            files.AddRange(Reports.SelectionPlots.WriteSweepScatter(data, directory, "sweep-" + d.Parameter.Name()));
        }
        return files;
    }

    public static string ObjectiveName(SweepMetric metric) => metric switch
    {
        SweepMetric.Accuracy => "1 − accuracy",
        SweepMetric.R2 => "1 − R²",
        _ => "validation loss",
    };

    /// <summary>The study as one JSON object (for --json).</summary>
    public static void PrintJson(StudyReport report, string? model, TrialRecord? refit)
    {
        JsonOut.Print(w =>
        {
            w.WriteString("study", report.Info.Name);
            w.WriteString("fingerprint", report.Info.Fingerprint);
            w.WriteString("metric", TrialEvaluator.Name(report.Sweep.Metric));
            w.WriteString("sampler", report.Sweep.Sampler.Name);
            if (report.Choice is { } c)
            {
                w.WriteNumber("best", c.Best.Number);
                w.WriteNumber("oneSe", c.OneSe.Number);
                w.WriteNumber("threshold", c.Threshold);
            }
            if (model is not null && refit is not null)
            {
                w.WriteString("model", Path.GetFullPath(model));
                w.WriteNumber("refitTrial", refit.Number);
            }
            w.WriteStartArray("trials");
            foreach (var r in report.Sorted())
            {
                var t = r.Trial;
                w.WriteStartObject();
                w.WriteNumber("number", t.Number);
                w.WriteString("state", t.State.ToString().ToLowerInvariant());
                w.WriteString("chosen", r.Chosen);
                w.WriteNumber("budget", t.Budget);
                if (t.PromotedFrom is int from) w.WriteNumber("promotedFrom", from);
                w.WritePropertyName("settings");
                w.WriteRawValue(t.SettingsJson);
                if (t.Result is { } res)
                {
                    JsonOut.Number(w, "objective", res.Objective);
                    JsonOut.Number(w, "objectiveSe", res.ObjectiveSe);
                    w.WriteNumber("seconds", res.Seconds);
                    w.WritePropertyName("metrics");
                    w.WriteRawValue(res.MetricsJson);
                }
                if (t.Error is not null) w.WriteString("error", t.Error);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    /// <summary>Reports on the calling (worker) thread.</summary>
    private sealed class Reporter(Action<TrialEvent> report) : IProgress<TrialEvent>
    {
        public void Report(TrialEvent value) => report(value);
    }
}

/// <summary><c>occam sweep</c>: runs (or resumes) a sweep, shows the trials, refits and writes the chosen model.</summary>
public sealed class SweepCommand : Command<SweepSettings>
{
    public override int Execute(CommandContext context, SweepSettings settings, CancellationToken cancellationToken)
    {
        OutputFiles.Check([settings.Out], [settings.Data, settings.Labels, settings.SearchFile]);
        if (settings.Plots is { } plotDir && File.Exists(plotDir))
            throw OccamException.Output($"--plots {plotDir} is a file; give a folder (it is created if missing).");
        var sweep = SweepCli.Build(settings);
        SweepCli.CheckGivenOptionsApply(context, settings, sweep);
        var data = settings.Load();
        sweep.Define(data); // every check before any trial runs
        using var store = SweepCli.OpenStore(settings.Study);
        var outcome = SweepCli.Run(store, sweep, data, SweepCli.RunOptions(settings.Jobs, settings.Lease), settings.Json, cancellationToken);
        var report = StudyReport.Read(store, settings.Study ?? "the study");
        TrialRecord? refit = null;
        if (settings.Out is not null)
        {
            var choice = outcome.Choice ?? throw new OccamException("no trial completed, so there is no model to write; see the failed trials above.");
            refit = settings.Choose == "best" ? choice.Best : choice.OneSe;
            var model = SweepRunner.Refit(sweep, data, refit, cancellationToken);
            MlpJson.Save(model.Network, settings.Out);
        }
        var plots = settings.Plots is { } dir ? SweepCli.WritePlots(report, dir) : [];
        if (settings.Json)
        {
            SweepCli.PrintJson(report, settings.Out, refit);
            return 0;
        }
        SweepCli.ShowTable(report, 20);
        if (plots.Count > 0) Tables.Line($"plots written to {settings.Plots}: {string.Join(", ", plots.Select(Path.GetFileName))}");
        Tables.Line($"{Counted.Of(outcome.RanHere, "trial")} run here" + (settings.Study is null ? " (not recorded: add --study FILE to keep and resume them)" : $", recorded in {settings.Study}"));
        if (refit is not null) Tables.Line($"refitted trial {refit.Number} ({settings.Choose}) on all {Counted.Of(data.Rows, "row")}; model written to {settings.Out}");
        return 0;
    }
}

/// <summary><c>occam sweep worker</c>: joins a recorded study and runs its unfinished trials.</summary>
public sealed class SweepWorkerCommand : Command<SweepWorkerSettings>
{
    public override int Execute(CommandContext context, SweepWorkerSettings settings, CancellationToken cancellationToken)
    {
        using var store = SweepCli.OpenRecorded(settings.Study!);
        var info = store.Read() ?? throw new OccamException($"{settings.Study} holds no study yet; start one with 'occam sweep ... --study {settings.Study}'.");
        var sweep = Selection.Sweep.FromDefinition(info.DefinitionJson);
        var data = LoadStudyData(settings, info.DefinitionJson);
        Selection.Sweep.CheckData(info.DefinitionJson, data, $"--data {settings.Data}");
        var outcome = SweepCli.Run(store, sweep, data, SweepCli.RunOptions(settings.Jobs, settings.Lease) with { StudyName = info.Name }, settings.Json, cancellationToken);
        var report = StudyReport.Read(store, settings.Study!);
        if (settings.Json)
        {
            SweepCli.PrintJson(report, null, null);
            return 0;
        }
        SweepCli.ShowTable(report, 20);
        Tables.Line($"{Counted.Of(outcome.RanHere, "trial")} run by this worker");
        return 0;
    }

    private static Dataset LoadStudyData(SweepWorkerSettings s, string definitionJson)
    {
        if (s.Labels is not null) return IdxLoader.Load(s.Data!, s.Labels);
        var d = System.Text.Json.Nodes.JsonNode.Parse(definitionJson)?["data"];
        string target = (string?)d?["target"] ?? throw new OccamException("the study does not record its target column; it was written by another program.");
        TaskKind? task = TaskKinds.TryParse((string?)d?["task"] ?? "", out var t) ? t : null;
        return CsvLoader.Load(s.Data!, target, task);
    }
}

/// <summary><c>occam study show</c>.</summary>
public sealed class StudyShowCommand : Command<StudyShowSettings>
{
    public override int Execute(CommandContext context, StudyShowSettings settings, CancellationToken cancellationToken)
    {
        using var store = SweepCli.OpenRecorded(settings.Study);
        var report = StudyReport.Read(store, settings.Study);
        if (settings.Json) SweepCli.PrintJson(report, null, null);
        else SweepCli.ShowTable(report, settings.Top);
        return 0;
    }
}

/// <summary><c>occam study export</c>.</summary>
public sealed class StudyExportCommand : Command<StudyExportSettings>
{
    public override int Execute(CommandContext context, StudyExportSettings settings, CancellationToken cancellationToken)
    {
        OutputFiles.Check([settings.Out], [settings.Study]);
        using var store = SweepCli.OpenRecorded(settings.Study);
        var report = StudyReport.Read(store, settings.Study);
        AtomicFile.WriteAllText(settings.Out!, report.ToCsv());
        Tables.Line($"{Counted.Of(report.Trials.Count, "trial")} written to {settings.Out}");
        return 0;
    }
}
