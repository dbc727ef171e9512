using System.Globalization;
using System.Text.Json;
using Occam.Numerics.Activations;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Training;

namespace Occam.Playground;

/// <summary>A request the playground refuses: HTTP 400 with <see cref="Exception.Message"/> as the body's "error".</summary>
public sealed class PlaygroundRequestException(string message) : Exception(message);

/// <summary>
/// Everything a playground session is made of: the data (<see cref="Dataset"/>, <see cref="Noise"/>,
/// <see cref="Points"/>, <see cref="TrainPercent"/>, <see cref="Seed"/>, an uploaded CSV), the input features, the
/// network, the optimizer and the regularization, plus the animation speed. Each field has the name the page's URL
/// and the HTTP API use (camelCase). The regularization, the dropout probability, the learning rate and the speed can
/// change while a session trains (<see cref="LiveFields"/>); any other change starts a new session.
/// </summary>
public sealed record PlaygroundSettings
{
    /// <summary>circle, xor, gaussian, spiral, spiral3 (three classes), plane, bumps (regression) or csv (uploaded).</summary>
    public string Dataset { get; init; } = "spiral";

    /// <summary>Noise level in [0, 1] (what it scales per dataset: docs/playground.md).</summary>
    public double Noise { get; init; } = 0.2;

    /// <summary>Points to generate (ignored for csv).</summary>
    public int Points { get; init; } = 400;

    /// <summary>Percent of the points used for training, 10–90; the rest is the test set (the fit's validation split).</summary>
    public int TrainPercent { get; init; } = 70;

    /// <summary>Seed of the data, the split, the initialization, the shuffling and dropout.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Input features, a subset of x, y, x2, y2, xy, sinx, siny (in this order).</summary>
    public IReadOnlyList<string> Features { get; init; } = ["x", "y"];

    /// <summary>Hidden layer sizes; empty for a linear model.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [8, 8];

    /// <summary>relu, tanh or sigmoid.</summary>
    public string Activation { get; init; } = "tanh";

    /// <summary>Learning rate (> 0).</summary>
    public double LearningRate { get; init; } = 0.03;

    /// <summary>Rows per step (0 = full batch).</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>sgd, momentum, nesterov, adam or adamw.</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>none, l1, l2, elasticnet or grouplasso.</summary>
    public string Penalty { get; init; } = "none";

    /// <summary>λ of the penalty (α for the elastic net).</summary>
    public double Lambda { get; init; } = 1e-3;

    /// <summary>ρ of the elastic net, in [0, 1].</summary>
    public double L1Ratio { get; init; } = 0.5;

    /// <summary>prox (exact zeros) or subgradient.</summary>
    public string L1Mode { get; init; } = "prox";

    /// <summary>Inverted-dropout probability after each hidden activation, in [0, 0.9].</summary>
    public double Dropout { get; init; }

    /// <summary>Epochs trained per frame while playing.</summary>
    public int EpochsPerFrame { get; init; } = 2;

    /// <summary>Frames per second of the event stream.</summary>
    public int FramesPerSecond { get; init; } = 10;

    /// <summary>The fields a running session can change without a reset.</summary>
    public static IReadOnlyList<string> LiveFields { get; } = ["penalty", "lambda", "l1Ratio", "l1Mode", "dropout", "learningRate", "epochsPerFrame", "framesPerSecond"];

    /// <summary>Every field name, as in the URL and the JSON body.</summary>
    public static IReadOnlyList<string> FieldNames { get; } =
        ["dataset", "noise", "points", "trainPercent", "seed", "features", "hidden", "activation", "learningRate", "batchSize",
         "optimizer", "penalty", "lambda", "l1Ratio", "l1Mode", "dropout", "epochsPerFrame", "framesPerSecond"];

    /// <summary>Dataset names in the order the page lists them.</summary>
    public static IReadOnlyList<string> Datasets { get; } = ["circle", "xor", "gaussian", "spiral", "spiral3", "plane", "bumps", "csv"];

    /// <summary>Input feature names in their fixed order.</summary>
    public static IReadOnlyList<string> FeatureChoices { get; } = ["x", "y", "x2", "y2", "xy", "sinx", "siny"];

    private static readonly string[] Activations = ["relu", "tanh", "sigmoid"];
    private static readonly string[] Optimizers = ["sgd", "momentum", "nesterov", "adam", "adamw"];
    private static readonly string[] Penalties = ["none", "l1", "l2", "elasticnet", "grouplasso"];
    private static readonly string[] L1Modes = ["prox", "subgradient"];

    /// <summary>
    /// These settings with the fields present in <paramref name="json"/> (an object) replaced; <paramref name="only"/>
    /// restricts which fields may appear (null = all except "csv", which the caller reads). Every value is checked
    /// against <paramref name="limits"/>; a bad one is a <see cref="PlaygroundRequestException"/> naming the field.
    /// </summary>
    public PlaygroundSettings With(JsonElement json, PlaygroundLimits limits, IReadOnlyList<string>? only = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (json.ValueKind != JsonValueKind.Object)
            throw new PlaygroundRequestException($"the body must be a JSON object of settings (got {json.ValueKind.ToString().ToLowerInvariant()}).");
        var s = this;
        foreach (var p in json.EnumerateObject())
        {
            if (p.Name == "csv" && only is null) continue;
            if (!FieldNames.Contains(p.Name))
                throw new PlaygroundRequestException($"unknown setting '{p.Name}'; known settings: {string.Join(", ", FieldNames)}.");
            if (only is not null && !only.Contains(p.Name))
                throw new PlaygroundRequestException($"'{p.Name}' cannot change while a session runs (only {string.Join(", ", only)} can); start a new session.");
            var v = p.Value;
            s = p.Name switch
            {
                "dataset" => s with { Dataset = OneOf(v, p.Name, Datasets) },
                "noise" => s with { Noise = Number(v, p.Name, 0, 1) },
                "points" => s with { Points = Integer(v, p.Name, 10, limits.MaxPoints) },
                "trainPercent" => s with { TrainPercent = Integer(v, p.Name, 10, 90) },
                "seed" => s with { Seed = (ulong)Integer(v, p.Name, 0, 1L << 53) },
                "features" => s with { Features = FeatureList(v) },
                "hidden" => s with { Hidden = HiddenList(v, limits) },
                "activation" => s with { Activation = OneOf(v, p.Name, Activations) },
                "learningRate" => s with { LearningRate = Number(v, p.Name, 1e-6, 10, exclusiveMin: false) },
                "batchSize" => s with { BatchSize = Integer(v, p.Name, 0, limits.MaxPoints) },
                "optimizer" => s with { Optimizer = OneOf(v, p.Name, Optimizers) },
                "penalty" => s with { Penalty = OneOf(v, p.Name, Penalties) },
                "lambda" => s with { Lambda = Number(v, p.Name, 0, 10) },
                "l1Ratio" => s with { L1Ratio = Number(v, p.Name, 0, 1) },
                "l1Mode" => s with { L1Mode = OneOf(v, p.Name, L1Modes) },
                "dropout" => s with { Dropout = Number(v, p.Name, 0, 0.9) },
                "epochsPerFrame" => s with { EpochsPerFrame = Integer(v, p.Name, 1, limits.MaxEpochsPerFrame) },
                _ => s with { FramesPerSecond = Integer(v, p.Name, 1, limits.MaxFramesPerSecond) },
            };
        }
        return s;
    }

    /// <summary>The penalty these settings describe (λ, ρ and the L1 mode of <see cref="Penalty"/>).</summary>
    public Penalty ToPenalty()
    {
        var mode = L1Mode == "subgradient" ? Regularization.L1Mode.Subgradient : Regularization.L1Mode.Prox;
        return Penalty switch
        {
            "l1" => Regularization.Penalty.L1(Lambda, mode),
            "l2" => Regularization.Penalty.L2(Lambda),
            "elasticnet" => Regularization.Penalty.ElasticNet(Lambda, L1Ratio, mode),
            "grouplasso" => Regularization.Penalty.GroupLasso(Lambda),
            _ => Regularization.Penalty.None,
        };
    }

    /// <summary>The engine's settings for these playground settings: the same as <see cref="TrainCommand"/>'s.</summary>
    public FitSettings ToFitSettings()
    {
        if (!OptimizerOptions.TryParseKind(Optimizer, out var kind))
            throw new PlaygroundRequestException($"optimizer '{Optimizer}' is not known; use {string.Join(", ", Optimizers)}.");
        if (!Numerics.Activations.Activation.TryParse(Activation, out var activation) || activation == ActivationKind.Identity)
            throw new PlaygroundRequestException($"activation '{Activation}' is not known; use {string.Join(", ", Activations)}.");
        return new FitSettings
        {
            Hidden = Hidden.ToArray(),
            Activation = activation,
            Dropout = Dropout,
            Regularization = ToPenalty().ForNetwork(Hidden.Count + 1).Layers,
            ValidationSplit = (100 - TrainPercent) / 100.0,
            Seed = Seed,
            Training = new TrainingOptions
            {
                Optimizer = new OptimizerOptions { Kind = kind, LearningRate = LearningRate, Momentum = 0.9 },
                BatchSize = BatchSize,
                Epochs = 1,
            },
        };
    }

    /// <summary>
    /// The <c>occam train</c> command that trains the same network on the session's data file (the
    /// <c>/api/sessions/{id}/data.csv</c> download saved as <paramref name="dataFile"/>) for <paramref name="epochs"/>
    /// epochs, giving the same weights as the session after as many epochs without live changes.
    /// </summary>
    public IReadOnlyList<string> TrainCommand(string dataFile, string target, int epochs, string modelFile)
    {
        var inv = CultureInfo.InvariantCulture;
        var args = new List<string>
        {
            "train", "--data", dataFile, "--target", target,
            "--hidden", Hidden.Count == 0 ? "none" : string.Join(',', Hidden),
            "--activation", Activation, "--optimizer", Optimizer, "--lr", LearningRate.ToString("R", inv),
            "--batch-size", BatchSize.ToString(inv), "--epochs", epochs.ToString(inv),
            "--val-split", ((100 - TrainPercent) / 100.0).ToString("R", inv), "--seed", Seed.ToString(inv),
        };
        if (Dropout > 0) args.AddRange(["--dropout", Dropout.ToString("R", inv)]);
        string lambda = Lambda.ToString("R", inv);
        switch (Penalty)
        {
            case "l1": args.AddRange(["--l1", lambda, "--l1-mode", L1Mode]); break;
            case "l2": args.AddRange(["--l2", lambda]); break;
            case "elasticnet": args.AddRange(["--elastic-net", lambda, "--l1-ratio", L1Ratio.ToString("R", inv), "--l1-mode", L1Mode]); break;
            case "grouplasso": args.AddRange(["--group-lasso", lambda]); break;
        }
        args.AddRange(["--out", modelFile]);
        return args;
    }

    private static string OneOf(JsonElement v, string name, IReadOnlyList<string> choices)
    {
        if (v.ValueKind != JsonValueKind.String || !choices.Contains(v.GetString()!))
            throw new PlaygroundRequestException($"{name} must be one of {string.Join(", ", choices)} (got {Shown(v)}).");
        return v.GetString()!;
    }

    private static double Number(JsonElement v, string name, double min, double max, bool exclusiveMin = false)
    {
        double x = v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
            _ => double.NaN,
        };
        if (!double.IsFinite(x) || x < min || x > max || (exclusiveMin && x == min))
            throw new PlaygroundRequestException($"{name} must be a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}] (got {Shown(v)}).");
        return x;
    }

    private static int Integer(JsonElement v, string name, long min, long max)
    {
        long x = v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out long l) => l,
            JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out long l) => l,
            _ => long.MinValue,
        };
        if (x < min || x > max)
            throw new PlaygroundRequestException($"{name} must be a whole number in [{min}, {max}] (got {Shown(v)}).");
        return (int)Math.Min(x, int.MaxValue) == x ? (int)x : throw new PlaygroundRequestException($"{name} is too large (got {Shown(v)}).");
    }

    private static string[] Items(JsonElement v, string name)
    {
        if (v.ValueKind == JsonValueKind.String)
            return v.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() <= 64)
            return v.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToArray();
        throw new PlaygroundRequestException($"{name} must be a comma-separated list or an array (got {Shown(v)}).");
    }

    private static string[] FeatureList(JsonElement v)
    {
        var items = Items(v, "features");
        foreach (var f in items)
            if (!FeatureChoices.Contains(f))
                throw new PlaygroundRequestException($"features: '{Short(f)}' is not a feature; choose from {string.Join(", ", FeatureChoices)}.");
        if (items.Length == 0) throw new PlaygroundRequestException("features: choose at least one input feature (e.g. x,y).");
        return FeatureChoices.Where(items.Contains).ToArray();
    }

    private static int[] HiddenList(JsonElement v, PlaygroundLimits limits)
    {
        var items = Items(v, "hidden");
        if (items is ["none"]) return [];
        if (items.Length > limits.MaxHiddenLayers)
            throw new PlaygroundRequestException($"hidden: at most {limits.MaxHiddenLayers} hidden layers (got {items.Length}).");
        return items.Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && n <= limits.MaxUnits
            ? n
            : throw new PlaygroundRequestException($"hidden: each layer needs 1 to {limits.MaxUnits} units (got '{Short(t)}').")).ToArray();
    }

    private static string Shown(JsonElement v) => Short(v.GetRawText());

    private static string Short(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
