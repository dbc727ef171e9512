using System.Globalization;
using System.Text;
using Occam.Data;
using Occam.Serialization;

namespace Occam.Selection;

/// <summary>One trial as a row of <c>study show</c> and <c>study export</c>: its record, typed settings and metrics, and whether it was chosen.</summary>
/// <param name="Trial">The stored record.</param>
/// <param name="Settings">Its searched values.</param>
/// <param name="Metrics">Its metrics (null unless complete).</param>
/// <param name="Chosen">"best", "1se", "best,1se" or "".</param>
public sealed record StudyRow(TrialRecord Trial, TrialSettings Settings, TrialMetrics? Metrics, string Chosen);

/// <summary>
/// A study read back for reports: the sweep it was defined with, every trial, and the choice (<see cref="SweepChoice"/>).
/// <see cref="Sorted"/> orders complete trials by objective (then number) and the others after them by number;
/// <see cref="ToCsv"/> writes one row per trial (the form of <c>occam study export</c>, docs/formats.md).
/// </summary>
public sealed class StudyReport
{
    private StudyReport(StudyInfo info, Sweep sweep, IReadOnlyList<TrialRecord> trials)
    {
        Info = info;
        Sweep = sweep;
        Trials = trials;
        Choice = SweepChoice.Of(sweep, trials);
    }

    public StudyInfo Info { get; }
    public Sweep Sweep { get; }
    public IReadOnlyList<TrialRecord> Trials { get; }
    public SweepChoice? Choice { get; }

    /// <summary>Reads the study of <paramref name="store"/>; a store without a study is an <see cref="OccamException"/> naming <paramref name="source"/>.</summary>
    public static StudyReport Read(IStudyStore store, string source)
    {
        ArgumentNullException.ThrowIfNull(store);
        var info = store.Read() ?? throw new OccamException($"{source} holds no study yet; start one with 'occam sweep ... --study {source}'.");
        return new StudyReport(info, Sweep.FromDefinition(info.DefinitionJson), SweepRunner.ReadAll(store));
    }

    /// <summary>Every trial as a row, complete ones by objective (then number), then the rest by number.</summary>
    public IReadOnlyList<StudyRow> Sorted() =>
        Trials.OrderBy(t => t.State == TrialState.Complete && t.Result is { } r && !double.IsNaN(r.Objective) ? 0 : 1)
            .ThenBy(t => t.Result?.Objective ?? 0).ThenBy(t => t.Number).Select(Row).ToArray();

    /// <summary>The trial as a row.</summary>
    public StudyRow Row(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var chosen = new List<string>(2);
        if (Choice?.Best.Number == trial.Number) chosen.Add("best");
        if (Choice?.OneSe.Number == trial.Number) chosen.Add("1se");
        return new StudyRow(trial, TrialSettings.FromJson(trial.SettingsJson),
            trial.Result is { } r ? TrialMetrics.FromJson(r.MetricsJson) : null, string.Join(',', chosen));
    }

    /// <summary>
    /// CSV, one row per trial in number order: number, state, chosen, budget (epochs), promoted_from, attempts, worker,
    /// one column per searched hyper-parameter, objective, objective_se, the metrics (val_loss, val_loss_se,
    /// train_loss, val_accuracy, val_accuracy_se, train_accuracy, val_r2, val_r2_se, train_r2, zero_fraction, zero_weights,
    /// dead_units, inputs_kept, parameters, parameters_after_pruning; means over folds), seconds, error. Empty = not applicable.
    /// </summary>
    public string ToCsv()
    {
        var dims = Sweep.Space.Dimensions.Select(d => d.Parameter).ToArray();
        var sb = new StringBuilder();
        var metricNames = MetricColumns;
        sb.AppendLine(CsvField.Join(LeadColumns
            .Concat(dims.Select(p => p.Name())).Concat(["objective", "objective_se"]).Concat(metricNames).Concat(["seconds", "error"])));
        foreach (var t in Trials)
        {
            var row = Row(t);
            var m = row.Metrics;
            double?[] metrics = m is null ? new double?[metricNames.Length] :
                [m.ValLoss, m.ValLossSe, m.TrainLoss, m.ValAccuracy, m.ValAccuracySe, m.TrainAccuracy, m.ValR2, m.ValR2Se, m.TrainR2,
                 m.ZeroFraction, m.ZeroWeights, m.DeadUnits, m.InputsKept, m.Parameters, m.ParametersAfterPruning];
            sb.AppendLine(CsvField.Join(new[]
                {
                    t.Number.ToString(CultureInfo.InvariantCulture), t.State.ToString().ToLowerInvariant(), row.Chosen,
                    t.Budget.ToString(CultureInfo.InvariantCulture), t.PromotedFrom?.ToString(CultureInfo.InvariantCulture) ?? "",
                    t.Attempts.ToString(CultureInfo.InvariantCulture), t.Worker ?? "",
                }
                .Concat(dims.Select(p => row.Settings[p]?.ToString() ?? ""))
                .Concat([Number(t.Result?.Objective), Number(t.Result?.ObjectiveSe)])
                .Concat(metrics.Select(Number))
                .Concat([Number(t.Result?.Seconds), t.Error ?? ""])));
        }
        return sb.ToString();
    }

    private static readonly string[] LeadColumns = ["number", "state", "chosen", "budget", "promoted_from", "attempts", "worker"];

    private static readonly string[] MetricColumns = ["val_loss", "val_loss_se", "train_loss", "val_accuracy", "val_accuracy_se", "train_accuracy",
        "val_r2", "val_r2_se", "train_r2", "zero_fraction", "zero_weights", "dead_units", "inputs_kept", "parameters", "parameters_after_pruning"];

    private static string Number(double? v) => v is double d ? d.ToString("R", CultureInfo.InvariantCulture) : "";
}
