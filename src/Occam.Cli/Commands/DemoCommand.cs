using System.ComponentModel;
using System.Globalization;
using System.Text;
using Occam.Cli.Output;
using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Selection;
using Occam.Serialization;
using Occam.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands;

public sealed class DemoSettings : JsonSettings
{
    [CommandOption("--data <FILE>")]
    [Description("The digits CSV (default: data/digits.csv of this repository).")]
    public string? Data { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("Folder for the models and the summary (default demo-out).")]
    [DefaultValue("demo-out")]
    public string Out { get; init; } = "demo-out";

    [CommandOption("--epochs <N>")]
    [Description("Epochs per run (default 60).")]
    [DefaultValue(60)]
    public int Epochs { get; init; } = 60;

    [CommandOption("--seed <SEED>")]
    [Description("Seed of the 80/20 split and of training (default 1).")]
    [DefaultValue(1UL)]
    public ulong Seed { get; init; } = 1;

    public override ValidationResult Validate() =>
        Epochs > 0 ? ValidationResult.Success() : ValidationResult.Error($"--epochs must be > 0 (got {Epochs}).");
}

/// <summary>
/// <c>occam demo</c>: the same 64-64-10 ReLU network trained on the shipped digits (80/20 seeded split) six ways —
/// no penalty, L2, L1 (prox), L1 (subgradient, PyTorch-style: no exact zeros), group lasso, dropout — then one table: train and test accuracy, exact-zero weights,
/// dead units, input pixels kept, time; models and a summary (JSON and Markdown) are written to the output folder.
/// </summary>
public sealed class DemoCommand : Command<DemoSettings>
{
    /// <summary>One row of the demo.</summary>
    internal sealed record Variant(string Name, string Description, double Dropout, LayerRegularization Regularization);

    internal static readonly Variant[] Variants =
    [
        new("none", "none", 0, LayerRegularization.None),
        new("l2", "L2 1e-3", 0, new LayerRegularization(ElasticNetPenalty.Ridge(1e-3))),
        new("l1", "L1 1e-3 prox", 0, new LayerRegularization(ElasticNetPenalty.Lasso(1e-3))),
        new("l1-subgradient", "L1 1e-3 subgrad", 0, new LayerRegularization(ElasticNetPenalty.Lasso(1e-3, L1Mode.Subgradient))),
        new("group-lasso", "group lasso 2e-3", 0, new LayerRegularization(ElasticNetPenalty.None, new GroupLasso(2e-3))),
        new("dropout", "dropout 0.2", 0.2, LayerRegularization.None),
    ];

    internal sealed record Row(string Name, string Description, double TrainAccuracy, double TestAccuracy, SparsityReport Sparsity, double Seconds, string ModelPath);

    public override int Execute(CommandContext context, DemoSettings settings, CancellationToken cancellationToken)
    {
        OutputFiles.CreateFolder(settings.Out);
        OutputFiles.Check([.. Variants.Select(v => Path.Combine(settings.Out, v.Name + ".json")), Path.Combine(settings.Out, "summary.json"), Path.Combine(settings.Out, "summary.md")]);
        string dataPath = settings.Data ?? ShippedData.Find("data/digits.csv")
            ?? throw new OccamException("cannot find data/digits.csv; run the demo from the repository root or pass --data.");
        var data = CsvLoader.Load(dataPath, "digit", TaskKind.Multiclass);
        var (trainIdx, testIdx) = Holdout.Split(data.Rows, 0.2, shuffle: true, new Rng(settings.Seed));
        var train = data.Subset(trainIdx);
        var test = data.Subset(testIdx);

        var rows = new List<Row>();
        foreach (var v in Variants)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!settings.Json) Output.Tables.Line($"training {v.Name} ({v.Description}) ...");
            var fit = new FitSettings
            {
                Hidden = [64],
                Dropout = v.Dropout,
                Regularization = [v.Regularization],
                Seed = settings.Seed,
                Training = new TrainingOptions
                {
                    Optimizer = new OptimizerOptions { Kind = OptimizerKind.Adam, LearningRate = 3e-3 },
                    BatchSize = 32,
                    Epochs = settings.Epochs,
                },
            };
            var outcome = MlpFitter.Fit(train, fit, null, cancellationToken);
            string path = Path.Combine(settings.Out, v.Name + ".json");
            MlpJson.Save(outcome.Model, path);
            rows.Add(new Row(v.Name, v.Description, ModelEvaluation.Of(outcome.Model, train).Accuracy!.Value,
                ModelEvaluation.Of(outcome.Model, test).Accuracy!.Value, SparsityReport.Of(outcome.Model), outcome.Result.TrainSeconds, path));
        }

        string summaryJson = JsonOut.Build(w =>
        {
            w.WriteString("data", dataPath);
            w.WriteNumber("trainRows", train.Rows);
            w.WriteNumber("testRows", test.Rows);
            w.WriteString("network", "64-64-10 relu, adam lr 3e-3, batch 32");
            w.WriteNumber("epochs", settings.Epochs);
            w.WriteNumber("seed", settings.Seed);
            w.WriteStartArray("runs");
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("name", r.Name);
                w.WriteString("description", r.Description);
                w.WriteNumber("trainAccuracy", r.TrainAccuracy);
                w.WriteNumber("testAccuracy", r.TestAccuracy);
                w.WriteNumber("zeroWeights", r.Sparsity.ZeroWeights);
                w.WriteNumber("weights", r.Sparsity.TotalWeights);
                w.WriteNumber("zeroFraction", r.Sparsity.ZeroFraction);
                w.WriteNumber("deadUnits", r.Sparsity.DeadUnits);
                w.WriteNumber("hiddenUnits", r.Sparsity.HiddenUnits);
                w.WriteNumber("inputsKept", r.Sparsity.InputsKept);
                w.WriteNumber("parametersAfterPruning", r.Sparsity.ParametersAfterPruning);
                w.WriteNumber("trainSeconds", r.Seconds);
                w.WriteString("model", r.ModelPath);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
        AtomicFile.WriteAllText(Path.Combine(settings.Out, "summary.json"), summaryJson + "\n");
        AtomicFile.WriteAllText(Path.Combine(settings.Out, "summary.md"), Markdown(rows, train.Rows, test.Rows, settings));

        if (settings.Json)
        {
            Console.Out.WriteLine(summaryJson);
            return 0;
        }
        var table = new Table()
            .AddColumns("run", "train", "test", "zeros", "dead", "pixels", "params", "time");
        foreach (var r in rows)
            table.AddRow(r.Description, Tables.Pct(r.TrainAccuracy), Tables.Pct(r.TestAccuracy), Tables.Pct(r.Sparsity.ZeroFraction),
                $"{r.Sparsity.DeadUnits}/{r.Sparsity.HiddenUnits}", $"{r.Sparsity.InputsKept}/{r.Sparsity.Inputs}",
                r.Sparsity.ParametersAfterPruning.ToString(CultureInfo.InvariantCulture), $"{r.Seconds:0.0}s");
        Tables.Show($"Digits: 64-64-10 ReLU, {Counted.Of(settings.Epochs, "epoch")}, {train.Rows} train / {test.Rows} test rows", table,
            "train/test: accuracy; zeros: exact-zero weights; dead: dead hidden units; pixels: inputs kept; params: after removing dead units",
            $"models and summary (summary.json, summary.md) written to {settings.Out}");
        return 0;
    }

    private static string Markdown(List<Row> rows, int trainRows, int testRows, DemoSettings s)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# Occam demo: one network, six ways to regularize it");
        sb.AppendLine();
        sb.AppendLine(inv, $"Digits (8×8 pixels, 10 classes), {trainRows} training and {testRows} test rows, 64-64-10 ReLU MLP, Adam lr 3e-3, batch 32, {Counted.Of(s.Epochs, "epoch")}, seed {s.Seed}.");
        sb.AppendLine();
        sb.AppendLine("| run | train acc | test acc | zero weights | dead units | pixels kept | params after pruning | time (s) |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            sb.AppendLine(inv, $"| {r.Description} | {Tables.Pct(r.TrainAccuracy)} | {Tables.Pct(r.TestAccuracy)} | {Tables.Pct(r.Sparsity.ZeroFraction)} | {r.Sparsity.DeadUnits}/{r.Sparsity.HiddenUnits} | {r.Sparsity.InputsKept}/{r.Sparsity.Inputs} | {r.Sparsity.ParametersAfterPruning} | {r.Seconds:0.00} |");
        return sb.ToString();
    }
}
