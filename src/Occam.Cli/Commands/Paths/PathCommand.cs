using System.ComponentModel;
using System.Globalization;
using Occam.Cli.Output;
using Occam.Data;
using Occam.Numerics.Activations;
using Occam.Optimizers;
using Occam.Reports;
using Occam.Selection;
using Occam.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands.Paths;

/// <summary>Options of <c>occam path</c>: the training options of <c>train</c> (less the penalties, which the path sets) and the path's own.</summary>
public sealed class PathSettings : NetworkTrainingSettings
{
    [CommandOption("--out <MODEL>")]
    [Description("Write the --take point's network (occam-mlp/1, atomic); default none.")]
    public string? Out { get; init; }

    [CommandOption("--penalty <NAME>")]
    [Description("The penalty whose λ the path walks: l1 (default), group-lasso, l2 or elastic-net (with --l1-ratio).")]
    [DefaultValue("l1")]
    public string Penalty { get; init; } = "l1";

    [CommandOption("--n-lambdas <N>")]
    [Description("Number of λ values, log-spaced from λ_max down to λ_max·(--lambda-min-ratio). Default 30.")]
    [DefaultValue(30)]
    public int NLambdas { get; init; } = 30;

    [CommandOption("--lambda-min-ratio <R>")]
    [Description("Smallest λ of the grid as a fraction of λ_max, in (0, 1). Default 1e-4.")]
    [DefaultValue(1e-4)]
    public double LambdaMinRatio { get; init; } = 1e-4;

    [CommandOption("--folds <K>")]
    [Description("Choose λ by K-fold cross-validation (K >= 2; shuffled with --seed, stratified for class targets) instead of the --val-split rows.")]
    [DefaultValue(0)]
    public int Folds { get; init; }

    [CommandOption("--path-out <FILE>")]
    [Description("Write the whole path (every λ's metrics and network, occam-path/1) to FILE, for --from ... --take later.")]
    public string? PathOut { get; init; }

    [CommandOption("--from <FILE>")]
    [Description("Read a path written by --path-out instead of fitting one (no --data); with --take and --out.")]
    public string? From { get; init; }

    [CommandOption("--take <LAMBDA>")]
    [Description("Which point --out writes: 1se (default: the largest λ within one SE of the best), min, or a λ value (the nearest λ of the path on a log scale).")]
    [DefaultValue("1se")]
    public string Take { get; init; } = "1se";

    [CommandOption("--plots <DIR>")]
    [Description("Write the validation curve and the path plot (PNG and SVG) into DIR.")]
    public string? Plots { get; init; }

    public override ValidationResult Validate()
    {
        if (From is not null)
        {
            if (Data is not null || Labels is not null)
                return ValidationResult.Error("--from reads a fitted path, so --data does not apply; leave out --data (or --from to fit a new path).");
            if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--from needs --out: give the model file to write the --take point to.");
            if (PathOut is not null || Plots is not null) return ValidationResult.Error("--path-out and --plots go with fitting a path (--data), not with --from.");
            return ValidationResult.Success();
        }
        var training = ValidateTraining();
        if (!training.Successful) return training;
        if (Penalty == "elastic-net" && !(L1Ratio > 0)) return ValidationResult.Error("--l1-ratio must be > 0 for --penalty elastic-net (ρ = 0 is the l2 path: use --penalty l2).");
        if (NetworkPathPenalties.TryParse(Penalty) is null) return ValidationResult.Error($"--penalty must be l1, group-lasso, l2 or elastic-net (got '{Penalty}').");
        if (NLambdas < 1) return ValidationResult.Error($"--n-lambdas must be >= 1 (got {NLambdas}).");
        if (NLambdas > NetworkPathOptions.MaxCount)
            return ValidationResult.Error($"--n-lambdas must be at most {NetworkPathOptions.MaxCount} (got {NLambdas}): every λ is a training run and the path keeps each λ's network.");
        if (!(LambdaMinRatio > 0 && LambdaMinRatio < 1)) return ValidationResult.Error($"--lambda-min-ratio must be in (0, 1) (got {LambdaMinRatio.ToString(CultureInfo.InvariantCulture)}), e.g. 1e-3.");
        if (Folds is 1 or < 0) return ValidationResult.Error($"--folds must be >= 2 (got {Folds}); leave it out to choose λ on the --val-split rows.");
        if (Folds == 0 && ValSplit == 0) return ValidationResult.Error("occam path chooses λ on held-out rows: give --val-split (e.g. 0.2) or --folds K.");
        return ValidationResult.Success();
    }
}

/// <summary><c>occam path</c>: the warm-started λ path of a network, λ_min and λ_1se, the chosen model, plots.</summary>
public sealed class PathCommand : Command<PathSettings>
{
    public override int Execute(CommandContext context, PathSettings settings, CancellationToken cancellationToken)
    {
        if (settings.From is { } from)
        {
            if (context.Arguments.FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal) && a.Split('=')[0] is not ("--from" or "--take" or "--out" or "--json")) is { } extra)
                throw OccamException.Usage($"{extra.Split('=')[0]} does not apply with --from, which writes a point of a fitted path; give only --from, --take, --out (and --json).");
            OutputFiles.Check([settings.Out], [from]);
            var saved = NetworkPathResult.Load(from);
            int index = Pick(saved, settings.Take);
            saved.ModelAt(index).Save(settings.Out!);
            Report(settings, saved, index, fitted: false);
            return ExitCodes.Success;
        }
        if (GivenOptions.Has(context, "--l1-ratio") && settings.Penalty != "elastic-net")
            throw OccamException.Usage($"--l1-ratio is the elastic-net mix, but the path's penalty is {settings.Penalty}; add --penalty elastic-net or leave --l1-ratio out.");
        OutputFiles.Check([settings.Out, settings.PathOut], [settings.Data, settings.Labels]);
        if (settings.Plots is { } plotDir && File.Exists(plotDir))
            throw OccamException.Output($"--plots {plotDir} is a file; give a folder for the plots (it is created if missing).");
        if (settings.Take is not ("min" or "1se")) ParseLambda(settings.Take);
        var data = settings.Load();
        // The path starts from λ_max's all-zero first layer, where relu units with a bias <= 0 get no gradient: tanh unless asked.
        var estimator = Estimator(settings, data.Task, GivenOptions.Has(context, "--activation") ? settings.Activation : "tanh");
        var options = new NetworkPathOptions
        {
            Penalty = NetworkPathPenalties.TryParse(settings.Penalty)!.Value,
            L1Ratio = settings.L1Ratio,
            Count = settings.NLambdas,
            LambdaMinRatio = settings.LambdaMinRatio,
            Folds = settings.Folds,
            FoldSeed = settings.Seed,
            FoldOrder = settings.NoShuffle ? FoldOrder.Contiguous : FoldOrder.Shuffled,
        };
        var path = Fit(settings, estimator, data, options, cancellationToken);
        int chosen = Pick(path, settings.Take);
        var files = new List<(string Path, Action<Stream> Write)>();
        if (settings.Out is { } output) files.Add((output, s => MlpJson.Write(path.ModelAt(chosen).Network, s)));
        if (settings.PathOut is { } pathOut) files.Add((pathOut, s => path.Write(s)));
        AtomicFile.WriteAll(files);
        if (settings.Plots is { } dir) SelectionPlots.WritePathPlots(path, dir);
        foreach (string warning in path.Warnings) Console.Error.WriteLine($"warning: {warning}");
        Report(settings, path, chosen, fitted: true);
        return ExitCodes.Success;
    }

    private static NetworkPathResult Fit(PathSettings settings, MlpEstimator estimator, Dataset data, NetworkPathOptions options, CancellationToken cancellationToken)
    {
        if (settings.Json || Console.IsOutputRedirected) return NetworkPath.Fit(estimator, data, options, null, cancellationToken);
        NetworkPathResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(settings.Folds >= 2 ? $"path ({settings.Folds} folds, then all rows)" : "path", maxValue: settings.NLambdas);
                result = NetworkPath.Fit(estimator, data, options, new SyncProgress(p =>
                {
                    task.Increment(1);
                    task.Description = $"λ {p.Lambda:G3}: val loss {Tables.F(p.SelectionLoss)}";
                }), cancellationToken);
                task.Value = settings.NLambdas;
            });
        return result!;
    }

    /// <summary>The estimator the training options describe (the path sets the penalty).</summary>
    internal static MlpEstimator Estimator(NetworkTrainingSettings s, TaskKind task, string activationName)
    {
        if (!OptimizerOptions.TryParseKind(s.Optimizer, out var kind))
            throw OccamException.Usage($"--optimizer '{s.Optimizer}' is not known; use sgd, momentum, nesterov, adam or adamw.");
        if (!Activation.TryParse(activationName, out var activation))
            throw OccamException.Usage($"--activation '{activationName}' is not known; use relu, tanh or sigmoid.");
        double lr = s.LearningRate ?? (kind is OptimizerKind.Adam or OptimizerKind.AdamW ? 1e-3 : 0.01);
        MlpEstimator estimator = task == TaskKind.Regression ? new MlpRegressor { StandardizeTarget = !s.NoStandardizeTarget } : new MlpClassifier();
        return estimator with
        {
            Hidden = OptionParsing.LayerSizes("--hidden", s.Hidden),
            Activation = activation,
            Dropout = s.Dropout,
            Optimizer = new OptimizerOptions { Kind = kind, LearningRate = lr, Momentum = s.Momentum },
            Epochs = s.Epochs,
            BatchSize = s.BatchSize,
            ValidationSplit = s.ValSplit,
            EarlyStopping = s.EarlyStopping,
            Shuffle = !s.NoShuffle,
            Standardize = !s.NoStandardize,
            Seed = s.Seed,
        };
    }

    /// <summary>The point --take names: min, 1se, or the nearest λ.</summary>
    private static int Pick(NetworkPathResult path, string take) => take switch
    {
        "min" => path.IndexMin,
        "1se" => path.Index1se,
        _ => path.NearestIndex(ParseLambda(take)),
    };

    private static double ParseLambda(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v)
            ? v
            : throw OccamException.Usage($"--take '{text}' is not valid: give min, 1se or a λ > 0 such as 0.01.");

    private static void Report(PathSettings s, NetworkPathResult path, int chosen, bool fitted)
    {
        string score = path.Task == TaskKind.Regression ? "R²" : "accuracy";
        if (s.Json)
        {
            JsonOut.Print(w =>
            {
                path.WriteFields(w, includeModels: false);
                w.WriteNumber("taken", chosen);
                w.WriteNumber("lambdaTaken", path.Points[chosen].Lambda);
                if (s.Out is { } o) w.WriteString("model", Path.GetFullPath(o));
                if (s.PathOut is { } p) w.WriteString("path", Path.GetFullPath(p));
            });
            return;
        }
        if (fitted)
        {
            var table = new Spectre.Console.Table().AddColumns("λ", "train", path.Folds >= 2 ? $"{path.Folds}-fold" : "val", "± SE", path.Task == TaskKind.Regression ? "val R²" : "val acc", "zeros", "dead", "inputs", "");
            foreach (var (p, k) in path.Points.Select((p, k) => (p, k)))
            {
                string mark = string.Join(" ", new[] { k == path.Index1se ? "1se" : null, k == path.IndexMin ? "min" : null, k == chosen && s.Out is not null ? "out" : null }.Where(x => x is not null));
                table.AddRow(p.Lambda.ToString("0.00e0", CultureInfo.InvariantCulture), Tables.F(p.TrainLoss, "0.000"),
                    Tables.F(p.SelectionLoss, "0.000"), Tables.F(p.SelectionSe, "0.000"),
                    p.ValidationScore is double v ? (path.Task == TaskKind.Regression ? Tables.F(v, "0.000") : Tables.Pct(v)) : "-",
                    Tables.Pct(p.ZeroFraction), $"{p.DeadUnits}/{p.HiddenUnits}", $"{p.InputsKept}/{p.Inputs}", mark);
            }
            Tables.Show($"λ path ({NetworkPathPenalties.Name(path.Penalty)} on the first layer), λ_max = {path.LambdaMax:G4}", table);
            Tables.Line($"λ_min = {path.LambdaMin:G4} (#{path.IndexMin}), λ_1se = {path.Lambda1se:G4} (#{path.Index1se}), chosen by {(path.Folds >= 2 ? $"{path.Folds}-fold cross-validation" : "the validation rows")}; {path.Points.Sum(p => p.Seconds):F1} s of training");
        }
        var c = path.Points[chosen];
        if (s.Out is not null)
            Tables.Line($"model at λ = {c.Lambda:G4} (#{chosen}) written to {s.Out}: {Tables.Pct(c.ZeroFraction)} zeros, {c.DeadUnits}/{c.HiddenUnits} dead units, {c.InputsKept}/{c.Inputs} inputs kept");
        if (s.PathOut is not null) Tables.Line($"path written to {s.PathOut}");
        if (s.Plots is not null) Tables.Line($"plots written to {s.Plots}");
    }

    private sealed class SyncProgress(Action<NetworkPathPoint> report) : IProgress<NetworkPathPoint>
    {
        public void Report(NetworkPathPoint value) => report(value);
    }
}
