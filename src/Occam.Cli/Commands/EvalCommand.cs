using System.ComponentModel;
using Occam.Data;
using Occam.Cli.Output;
using Occam.Serialization;
using Occam.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands;

public sealed class EvalSettings : DataSettings
{
    [CommandArgument(0, "<MODEL>")]
    [Description("A model file (occam-mlp/1 or occam-linear/1).")]
    public string Model { get; init; } = "";
}

/// <summary><c>occam eval MODEL --data F</c>: loss, accuracy or R², and the confusion matrix.</summary>
public sealed class EvalCommand : Command<EvalSettings>
{
    public override int Execute(CommandContext context, EvalSettings settings, CancellationToken cancellationToken)
    {
        var model = Occam.Model.Load(settings.Model);
        if (settings.TaskKind is { } asked && asked != model.Task)
            throw OccamException.Usage($"--task {settings.Task} contradicts the model, which is a {TaskKinds.Name(model.Task)} model; eval always uses the model's task: leave --task out.");
        var data = settings.LoadFor(model);
        var e = model.Evaluate(data);
        if (settings.Json)
        {
            JsonOut.Print(w =>
            {
                w.WriteString("model", settings.Model);
                w.WriteString("task", TaskKinds.Name(model.Task));
                w.WriteNumber("rows", e.Rows);
                JsonOut.Number(w, "loss", e.Loss);
                if (e.Accuracy is { } acc) w.WriteNumber("accuracy", acc);
                if (e.RSquared is { } r2) JsonOut.Number(w, "r2", r2);
                if (e.Confusion is { } cm)
                {
                    w.WriteStartArray("classes");
                    foreach (var c in e.Classes!) w.WriteStringValue(c);
                    w.WriteEndArray();
                    w.WriteStartArray("confusion");
                    foreach (var row in cm)
                    {
                        w.WriteStartArray();
                        foreach (int v in row) w.WriteNumberValue(v);
                        w.WriteEndArray();
                    }
                    w.WriteEndArray();
                }
            });
            return 0;
        }
        var table = new Table().AddColumns("", "value");
        table.AddRow("rows", e.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow(Metrics.LossName(model.Task), Tables.F(e.Loss));
        if (e.Accuracy is { } a) table.AddRow("accuracy", Tables.F(a));
        if (e.RSquared is { } r) table.AddRow("R²", Tables.F(r));
        Tables.Show($"Evaluation of {settings.Model}", table);
        if (e.Confusion is { } confusion)
        {
            var cmTable = new Table();
            cmTable.AddColumn("");
            foreach (var c in e.Classes!) cmTable.AddColumn(Markup.Escape(c));
            for (int i = 0; i < confusion.Length; i++)
                cmTable.AddRow([Markup.Escape(e.Classes[i]), .. confusion[i].Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            Tables.Show("Confusion matrix (rows: true class, columns: predicted)", cmTable);
        }
        return 0;
    }
}
