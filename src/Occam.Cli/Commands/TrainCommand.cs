using System.Diagnostics;
using System.ComponentModel;
using Occam.Cli.Output;
using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Serialization;
using Occam.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands;

/// <summary>The data and network options that <c>occam train</c>, <c>occam path</c> and <c>occam sweep</c> share (architecture,
/// optimizer, schedule, dropout, seed); in a sweep they fix whatever is not searched.</summary>
public class NetworkSettings : DataSettings
{
    [CommandOption("--hidden <SIZES>")]
    [Description("Hidden layer sizes, e.g. 128,64 (\"none\" for a linear model). Default 64.")]
    [DefaultValue("64")]
    public string Hidden { get; set; } = "64";

    [CommandOption("--activation <NAME>")]
    [Description("relu (default; occam path: tanh), tanh or sigmoid.")]
    [DefaultValue("relu")]
    public string Activation { get; set; } = "relu";

    [CommandOption("--optimizer <NAME>")]
    [Description("sgd, momentum, nesterov, adam (default) or adamw.")]
    [DefaultValue("adam")]
    public string Optimizer { get; set; } = "adam";

    [CommandOption("--lr <RATE>")]
    [Description("Learning rate (default 1e-3 for adam/adamw, 0.01 for sgd-type).")]
    public double? LearningRate { get; set; }

    [CommandOption("--momentum <MU>")]
    [Description("Momentum for momentum/nesterov (default 0.9).")]
    [DefaultValue(0.9)]
    public double Momentum { get; set; } = 0.9;

    [CommandOption("--batch-size <N>")]
    [Description("Rows per step; 0 = full batch. Default 32.")]
    [DefaultValue(32)]
    public int BatchSize { get; set; } = 32;

    [CommandOption("--epochs <N>")]
    [Description("Passes over the training rows (> 0). Default 100.")]
    [DefaultValue(100)]
    public int Epochs { get; set; } = 100;

    [CommandOption("--l1-ratio <RHO>")]
    [Description("ρ in [[0, 1]] for --elastic-net (train) and --penalty elastic-net (path; then in (0, 1]]). Default 0.5.")]
    [DefaultValue(0.5)]
    public double L1Ratio { get; set; } = 0.5;

    [CommandOption("--dropout <P>")]
    [Description("Inverted dropout after each hidden activation, p in [[0, 1).")]
    [DefaultValue(0.0)]
    public double Dropout { get; set; }

    [CommandOption("--seed <SEED>")]
    [Description("Seed of every random choice (split or folds, init, shuffling, dropout, random search), 0 to 18446744073709551615. Default 0.")]
    [DefaultValue(0UL)]
    public ulong Seed { get; set; }

    [CommandOption("--no-shuffle")]
    [Description("Keep the row order (no reshuffling each epoch; validation = last rows).")]
    public bool NoShuffle { get; set; }

    [CommandOption("--no-standardize")]
    [Description("Do not standardize inputs (by default a standardizer is fitted on the training rows and saved).")]
    public bool NoStandardize { get; set; }

    [CommandOption("--no-standardize-target")]
    [Description("Regression: train on the target as it is (by default on (y − mean)/sd of the training rows, saved in the model and undone at prediction).")]
    public bool NoStandardizeTarget { get; set; }

    /// <summary>Whether the target column may come from a model instead of --target (<c>occam train --init</c>).</summary>
    private protected virtual bool TargetFromModel => false;

    /// <summary>The checks of the data and network options, shared by <c>occam train</c>, <c>occam path</c> and <c>occam sweep</c>.</summary>
    private protected ValidationResult ValidateNetwork()
    {
        var baseResult = base.Validate();
        if (!baseResult.Successful) return baseResult;
        if (Labels is null && !TargetFromModel && string.IsNullOrWhiteSpace(Target))
            return ValidationResult.Error("--target is required for CSV data: give the name of the column to predict.");
        if (LearningRate is double lr && !(lr > 0 && double.IsFinite(lr))) return ValidationResult.Error($"--lr must be a number > 0 (got {lr}).");
        if (!(Momentum >= 0 && Momentum < 1)) return ValidationResult.Error($"--momentum must be in [0, 1) (got {Momentum}).");
        if (Optimizer == "nesterov" && Momentum == 0) return ValidationResult.Error("--optimizer nesterov needs --momentum > 0 (got 0); use --optimizer sgd for plain SGD.");
        if (BatchSize < 0) return ValidationResult.Error($"--batch-size must be >= 0 (0 = full batch; got {BatchSize}).");
        if (Epochs <= 0) return ValidationResult.Error($"--epochs must be > 0 (got {Epochs}).");
        if (!(Dropout >= 0 && Dropout < 1)) return ValidationResult.Error($"--dropout must be in [0, 1) (got {Dropout}).");
        if (!(L1Ratio >= 0 && L1Ratio <= 1)) return ValidationResult.Error($"--l1-ratio must be in [0, 1] (got {L1Ratio}).");
        if (!OptimizerOptions.TryParseKind(Optimizer, out _)) return ValidationResult.Error($"--optimizer must be sgd, momentum, nesterov, adam or adamw (got '{Optimizer}').");
        if (!Numerics.Activations.Activation.TryParse(Activation, out var act) || act == ActivationKind.Identity)
            return ValidationResult.Error($"--activation must be relu, tanh or sigmoid (got '{Activation}').");
        return ValidationResult.Success();
    }
}

/// <summary>The options of <see cref="NetworkSettings"/> plus the validation split and early stopping of one training run
/// (<c>occam train</c>, <c>occam path</c>).</summary>
public class NetworkTrainingSettings : NetworkSettings
{
    [CommandOption("--val-split <FRACTION>")]
    [Description("Fraction of rows held out for validation, in [[0, 1).")]
    [DefaultValue(0.0)]
    public double ValSplit { get; set; }

    [CommandOption("--early-stopping <PATIENCE>")]
    [Description("Stop after PATIENCE epochs without a better validation loss; restores the best weights.")]
    [DefaultValue(0)]
    public int EarlyStopping { get; set; }

    /// <summary>The checks of the network options and of the split and early stopping.</summary>
    private protected ValidationResult ValidateTraining()
    {
        var result = ValidateNetwork();
        if (!result.Successful) return result;
        if (!(ValSplit >= 0 && ValSplit < 1)) return ValidationResult.Error($"--val-split must be in [0, 1) (got {ValSplit}).");
        if (EarlyStopping < 0) return ValidationResult.Error($"--early-stopping must be >= 0 (got {EarlyStopping}).");
        if (EarlyStopping > 0 && ValSplit == 0) return ValidationResult.Error("--early-stopping watches the validation loss: add --val-split (e.g. 0.2).");
        return ValidationResult.Success();
    }
}

/// <summary>Options of <c>occam train</c>: the shared training options, the penalties, --init and --out.</summary>
public sealed class TrainSettings : NetworkTrainingSettings
{
    [CommandOption("--l1 <LAMBDA>")]
    [Description("L1 strength λ₁ (adds λ₁·Σ|w|); one value or one per dense layer (comma-separated).")]
    public string? L1 { get; set; }

    [CommandOption("--l1-mode <MODE>")]
    [Description("prox (default: soft-thresholding, exact zeros) or subgradient (PyTorch-style).")]
    [DefaultValue("prox")]
    public string L1Mode { get; set; } = "prox";

    [CommandOption("--l2 <LAMBDA>")]
    [Description("L2 strength λ₂ (adds (λ₂/2)·Σw², coupled, = PyTorch weight_decay in SGD/Adam); one or per layer.")]
    public string? L2 { get; set; }

    [CommandOption("--elastic-net <ALPHA>")]
    [Description("Elastic net α·(ρ‖w‖₁ + (1−ρ)/2‖w‖²) (scikit-learn convention); with --l1-ratio.")]
    public string? ElasticNet { get; set; }

    [CommandOption("--group-lasso <LAMBDA>")]
    [Description("Group lasso over hidden units (λ·Σ√|g|·‖w_g‖₂ on incoming weights, prox): kills whole units.")]
    public string? GroupLasso { get; set; }

    [CommandOption("--weight-decay <LAMBDA>")]
    [Description("Decoupled weight decay (AdamW-style w ← w − lr·λ·w), for any optimizer; weights only.")]
    public string? WeightDecay { get; set; }

    [CommandOption("--init <MODEL>")]
    [Description("Start from this occam-mlp/1 model (architecture, weights, standardizer).")]
    public string? Init { get; set; }

    [CommandOption("--out <MODEL>")]
    [Description("Required. Where to write the trained model (occam-mlp/1 JSON).")]
    public string? Out { get; set; }

    [CommandOption("--timings")]
    [Description("Also report where the time went: reading the data, preparing it (split, standardizer, float32 rows), building the model, batching (shuffle + gather), the steps, the epoch records and saving (with --json: a \"timings\" object).")]
    public bool Timings { get; set; }

    /// <summary>With --init, --target defaults to the model's target column (checked when the model is read).</summary>
    private protected override bool TargetFromModel => Init is not null;

    public override ValidationResult Validate()
    {
        var training = ValidateTraining();
        if (!training.Successful) return training;
        if (L1Mode is not ("prox" or "subgradient")) return ValidationResult.Error($"--l1-mode must be prox or subgradient (got '{L1Mode}').");
        if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out is required: give the path of the model file to write.");
        return ValidationResult.Success();
    }
}

/// <summary><c>occam train</c>: trains a regularized MLP and writes the model.</summary>
public sealed class TrainCommand : Command<TrainSettings>
{
    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        // Compiles the data-preparation code (for IDX images: the byte path) and the step's kernels on another thread
        // while the data is read; no result changes (docs/algorithms/startup.md, "Compiling ahead").
        TrainingWarmup.Start(idxImages: settings.Labels is not null);
        OutputFiles.Check([settings.Out], [settings.Data, settings.Labels]);
        var fit = BuildFitSettings(settings, out var data);
        long loaded = Stopwatch.GetTimestamp();
        if (fit.Init is { } init) CheckInit(context, settings, fit, init);
        FitOutcome outcome;
        if (!settings.Json && !Console.IsOutputRedirected)
        {
            FitOutcome? result = null;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("training", maxValue: settings.Epochs);
                    result = MlpFitter.Fit(data, fit, new SyncProgress(e =>
                    {
                        task.Value = e.Epoch;
                        task.Description = $"epoch {e.Epoch} loss {Tables.F(e.TrainLoss)}";
                    }), cancellationToken);
                    task.Value = settings.Epochs;
                });
            outcome = result!;
        }
        else
        {
            outcome = MlpFitter.Fit(data, fit, null, cancellationToken);
        }
        long trained = Stopwatch.GetTimestamp();
        MlpJson.Save(outcome.Model, settings.Out!);
        long saved = Stopwatch.GetTimestamp();
        var timings = new CommandTimings(Stopwatch.GetElapsedTime(start, loaded).TotalSeconds, outcome.Timings,
            Stopwatch.GetElapsedTime(loaded, trained).TotalSeconds, Stopwatch.GetElapsedTime(trained, saved).TotalSeconds,
            Stopwatch.GetElapsedTime(start, saved).TotalSeconds);
        Report(settings, outcome, settings.Timings ? timings : null);
        return 0;
    }

    /// <summary>Loads the data and turns the options into <see cref="FitSettings"/>; every input error is an <see cref="OccamException"/>.</summary>
    internal static FitSettings BuildFitSettings(TrainSettings s, out Dataset data)
    {
        Mlp? init = s.Init is null ? null : Occam.Model.Load(s.Init) switch
        {
            MlpModel mlp => mlp.Network,
            _ => throw new OccamException($"--init {s.Init} is a linear model (occam-linear/1); --init continues training a network ({MlpJson.Format}). Fit linear models with 'occam linear fit'."),
        };
        if (init is not null && s.TaskKind is { } asked && asked != init.Task)
            throw OccamException.Usage($"--task {s.Task} contradicts the --init model, which is a {TaskKinds.Name(init.Task)} model; leave --task out or drop --init.");
        if (!OptimizerOptions.TryParseKind(s.Optimizer, out var kind))
            throw OccamException.Usage($"--optimizer '{s.Optimizer}' is not known; use sgd, momentum, nesterov, adam or adamw.");
        if (!Numerics.Activations.Activation.TryParse(s.Activation, out var activation))
            throw OccamException.Usage($"--activation '{s.Activation}' is not known; use relu, tanh or sigmoid.");
        var hidden = OptionParsing.LayerSizes("--hidden", s.Hidden);
        int denseLayers = init?.DenseLayers.Count ?? hidden.Length + 1;
        if (denseLayers == 1 && OptionParsing.NonNegativeList("--group-lasso", s.GroupLasso).Any(v => v > 0))
            throw OccamException.Usage($"--group-lasso removes hidden units, but the network has no hidden layer ({(init is null ? "--hidden none" : "the --init model")}); give hidden layers (e.g. --hidden 64) or use --l1.");
        var regularization = BuildPenalty(s).ForNetwork(denseLayers).Layers;
        if (init is not null && s.Labels is null && string.IsNullOrWhiteSpace(s.Target) && init.TargetName is null)
            throw OccamException.Usage($"--target is required: the --init model {s.Init} does not record its target column; give the name of the column to predict.");
        data = s.Load(init?.Task, init?.TargetName);
        double lr = s.LearningRate ?? (kind is OptimizerKind.Adam or OptimizerKind.AdamW ? 1e-3 : 0.01);
        return new FitSettings
        {
            Hidden = hidden,
            Activation = activation,
            Dropout = s.Dropout,
            Init = init,
            Regularization = regularization,
            ValidationSplit = s.ValSplit,
            Standardize = !s.NoStandardize,
            StandardizeTarget = !s.NoStandardizeTarget,
            Seed = s.Seed,
            Training = new TrainingOptions
            {
                Optimizer = new OptimizerOptions { Kind = kind, LearningRate = lr, Momentum = s.Momentum },
                BatchSize = s.BatchSize,
                Epochs = s.Epochs,
                Shuffle = !s.NoShuffle,
                EarlyStoppingPatience = s.EarlyStopping,
            },
        };
    }

    /// <summary>
    /// With --init the architecture and standardizers come from the model: an explicit --hidden, --activation,
    /// --dropout, --no-standardize or --no-standardize-target must agree with it (it is then redundant), never be silently ignored.
    /// </summary>
    private static void CheckInit(CommandContext context, TrainSettings s, FitSettings fit, Mlp init)
    {
        var hidden = init.DenseLayers.Take(init.DenseLayers.Count - 1).Select(d => d.Outputs).ToArray();
        var activation = init.Layers.OfType<ActivationLayer>().Select(a => a.Kind).FirstOrDefault();
        double dropout = init.Layers.OfType<Dropout>().Select(d => d.P).FirstOrDefault();
        string why = $"but the --init model {s.Init} has ";
        if (GivenOptions.Has(context, "--hidden") && !fit.Hidden.SequenceEqual(hidden))
            throw OccamException.Usage($"--hidden {s.Hidden} {why}hidden layers {(hidden.Length == 0 ? "none" : string.Join(',', hidden))}; leave --hidden out (the model's architecture is used) or drop --init.");
        if (GivenOptions.Has(context, "--activation") && hidden.Length > 0 && fit.Activation != activation)
            throw OccamException.Usage($"--activation {s.Activation} {why}{activation.ToString().ToLowerInvariant()} units; leave --activation out or drop --init.");
        if (GivenOptions.Has(context, "--dropout") && s.Dropout != dropout)
            throw OccamException.Usage($"--dropout {s.Dropout} {why}dropout {dropout}; leave --dropout out or drop --init.");
        if (s.NoStandardize && init.Standardizer is not null)
            throw OccamException.Usage($"--no-standardize {why}a standardizer, which is kept; leave --no-standardize out or drop --init.");
        if (s.NoStandardizeTarget && init.TargetStandardizer is not null)
            throw OccamException.Usage($"--no-standardize-target {why}a target standardizer, which is kept; leave --no-standardize-target out or drop --init.");
    }

    /// <summary>The penalty options as one <see cref="Penalty"/> (each list: one value for every layer, or one per layer).</summary>
    internal static Penalty BuildPenalty(TrainSettings s)
    {
        var mode = s.L1Mode == "subgradient" ? Regularization.L1Mode.Subgradient : Regularization.L1Mode.Prox;
        return Penalty.PerLayer(OptionParsing.NonNegativeList("--l1", s.L1).Select(v => Penalty.L1(v, mode)), "--l1")
            + Penalty.PerLayer(OptionParsing.NonNegativeList("--l2", s.L2).Select(Penalty.L2), "--l2")
            + Penalty.PerLayer(OptionParsing.NonNegativeList("--elastic-net", s.ElasticNet).Select(a => Penalty.ElasticNet(a, s.L1Ratio, mode)), "--elastic-net")
            + Penalty.PerLayer(OptionParsing.NonNegativeList("--group-lasso", s.GroupLasso).Select(Penalty.GroupLasso), "--group-lasso")
            + Penalty.PerLayer(OptionParsing.NonNegativeList("--weight-decay", s.WeightDecay).Select(Penalty.WeightDecay), "--weight-decay");
    }

    /// <summary>
    /// The phases of one <c>occam train</c> (seconds): <paramref name="Read"/> = options checked, data (and --init model)
    /// loaded; <paramref name="Fit"/> = <see cref="MlpFitter.Fit"/> (its own phases in <paramref name="Parts"/>);
    /// <paramref name="Save"/> = the model written; <paramref name="Command"/> = all of it, from the start of the command.
    /// </summary>
    private sealed record CommandTimings(double Read, FitTimings Parts, double Fit, double Save, double Command)
    {
        /// <summary>The input pipeline: reading, preparing the data, and batching inside the loop.</summary>
        public double InputPipeline => Read + Parts.DataSeconds + Parts.Loop.BatchSeconds;

        public IEnumerable<(string Name, string Label, double Seconds)> Rows()
        {
            var loop = Parts.Loop;
            yield return ("readSeconds", "read (load data)", Read);
            yield return ("prepareSeconds", "prepare data (split, standardize, float32, labels)", Parts.DataSeconds);
            yield return ("batchSeconds", "batch (shuffle + gather, in the loop)", loop.BatchSeconds);
            yield return ("inputPipelineSeconds", "input pipeline (read + prepare + batch)", InputPipeline);
            yield return ("buildSeconds", "build model (init, trainer buffers)", Parts.ModelSeconds);
            yield return ("stepSeconds", "steps (Trainer.Step)", loop.StepSeconds);
            yield return ("epochEndSeconds", "epoch records (metrics, sparsity, validation)", loop.EpochEndSeconds);
            yield return ("fitSeconds", "fit (prepare + build + loop)", Fit);
            yield return ("saveSeconds", "save model", Save);
            yield return ("commandSeconds", "command (read + fit + save)", Command);
        }
    }

    private static void Report(TrainSettings s, FitOutcome o, CommandTimings? timings)
    {
        var r = o.Result;
        var last = r.Best;
        var sparsity = SparsityReport.Of(o.Model);
        string metric = Metrics.Name(o.Model.Task);
        if (s.Json)
        {
            JsonOut.Print(w =>
            {
                w.WriteString("model", Path.GetFullPath(s.Out!));
                w.WriteString("task", TaskKinds.Name(o.Model.Task));
                w.WriteNumber("trainRows", o.TrainRows);
                w.WriteNumber("valRows", o.ValidationRows);
                w.WriteNumber("epochs", r.Epochs);
                w.WriteNumber("steps", r.Steps);
                w.WriteNumber("trainSeconds", r.TrainSeconds);
                w.WriteNumber("bestEpoch", r.BestEpoch);
                w.WriteBoolean("stoppedEarly", r.StoppedEarly);
                w.WriteString("metric", metric);
                JsonOut.Number(w, "trainLoss", last.TrainLoss);
                JsonOut.Number(w, "trainMetric", last.TrainMetric);
                if (o.ValidationRows > 0)
                {
                    JsonOut.Number(w, "valLoss", last.ValidationLoss);
                    JsonOut.Number(w, "valMetric", last.ValidationMetric);
                }
                JsonOut.Number(w, "penalty", last.Penalty);
                JsonOut.Sparsity(w, sparsity);
                JsonOut.History(w, r.History);
                if (timings is not null)
                {
                    w.WriteStartObject("timings");
                    foreach (var (name, _, seconds) in timings.Rows()) w.WriteNumber(name, Math.Round(seconds, 6));
                    w.WriteEndObject();
                }
            });
            return;
        }
        var table = new Table().AddColumns("", "value");
        table.AddRow("rows (train / validation)", $"{o.TrainRows} / {o.ValidationRows}");
        table.AddRow("epochs / steps", $"{r.Epochs} / {r.Steps}" + (r.StoppedEarly ? $" (stopped early, best epoch {r.BestEpoch})" : ""));
        table.AddRow("train loss / " + metric, $"{Tables.F(last.TrainLoss)} / {Tables.F(last.TrainMetric)}");
        if (o.ValidationRows > 0) table.AddRow("validation loss / " + metric, $"{Tables.F(last.ValidationLoss)} / {Tables.F(last.ValidationMetric)}");
        table.AddRow("penalty", Tables.F(last.Penalty));
        table.AddRow("training time", $"{r.TrainSeconds:0.00} s");
        Tables.Show("Training", table);
        Tables.ShowSparsity(sparsity);
        if (timings is not null)
        {
            var t = new Table().AddColumns("phase", "seconds");
            foreach (var (_, label, seconds) in timings.Rows()) t.AddRow(label, $"{seconds:0.000}");
            Tables.Show("Timings", t);
        }
        Tables.Line($"model written to {s.Out}");
    }

    /// <summary>Reports synchronously on the training thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<EpochRecord> report) : IProgress<EpochRecord>
    {
        public void Report(EpochRecord value) => report(value);
    }
}
