using System.Text.Json;
using System.Text.Json.Serialization;
using Occam.Numerics.Activations;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Training;

namespace Occam.Selection;

/// <summary>
/// The training settings of a sweep as plain values: what a trial does not search is fixed here, and a trial's
/// <see cref="TrialSettings"/> override these values by name (<see cref="With"/>). Defaults are those of
/// <c>occam train</c>. Penalties are one strength for every layer (sweeps take no per-layer lists); each non-zero one
/// is added: l1 + l2 + elastic-net (with l1-ratio) + group-lasso + weight-decay. Stored as the study definition's
/// <c>fixed</c> object.
/// </summary>
public sealed record TrainingRecipe
{
    public IReadOnlyList<int> Hidden { get; init; } = [64];
    public string Activation { get; init; } = "relu";
    public double Dropout { get; init; }
    public string Optimizer { get; init; } = "adam";
    /// <summary>Learning rate; null = 1e-3 for adam/adamw, 0.01 for the SGD family.</summary>
    public double? Lr { get; init; }
    public double Momentum { get; init; } = 0.9;
    public int Epochs { get; init; } = 100;
    public int BatchSize { get; init; } = 32;
    public double L1 { get; init; }
    /// <summary>prox (exact zeros) or subgradient.</summary>
    public string L1Mode { get; init; } = "prox";
    public double L2 { get; init; }
    public double ElasticNet { get; init; }
    public double L1Ratio { get; init; } = 0.5;
    public double GroupLasso { get; init; }
    public double WeightDecay { get; init; }
    public bool Standardize { get; init; } = true;
    public bool StandardizeTarget { get; init; } = true;
    public bool Shuffle { get; init; } = true;
    /// <summary>Seed of every trial's training (initialization, shuffling, dropout); the same for every trial and fold.</summary>
    public ulong Seed { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>This recipe with the trial's values in place of the fixed ones.</summary>
    public TrainingRecipe With(TrialSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var r = this;
        foreach (var (p, v) in settings.Values)
        {
            r = p switch
            {
                HyperParameter.Lr => r with { Lr = v.Number },
                HyperParameter.L1 => r with { L1 = v.Number },
                HyperParameter.L2 => r with { L2 = v.Number },
                HyperParameter.ElasticNet => r with { ElasticNet = v.Number },
                HyperParameter.L1Ratio => r with { L1Ratio = v.Number },
                HyperParameter.GroupLasso => r with { GroupLasso = v.Number },
                HyperParameter.WeightDecay => r with { WeightDecay = v.Number },
                HyperParameter.Dropout => r with { Dropout = v.Number },
                HyperParameter.Hidden => r with { Hidden = v.Layers!.ToArray() },
                HyperParameter.Epochs => r with { Epochs = (int)v.Number },
                HyperParameter.BatchSize => r with { BatchSize = (int)v.Number },
                HyperParameter.Optimizer => r with { Optimizer = v.Word! },
                HyperParameter.Activation => r with { Activation = v.Word! },
                _ => throw new ArgumentOutOfRangeException(nameof(settings), p, "unknown hyper-parameter"),
            };
        }
        return r;
    }

    /// <summary>Checks every value; a bad one is an <see cref="OccamException"/> (Kind Usage) naming the CLI option.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Hidden);
        void Check(HyperParameter p, ParamValue v)
        {
            if (p.Check(v) is { } error) throw OccamException.Usage($"--{error}.");
        }
        Check(HyperParameter.Hidden, ParamValue.OfLayers(Hidden));
        Check(HyperParameter.Activation, ParamValue.OfWord(Activation));
        Check(HyperParameter.Optimizer, ParamValue.OfWord(Optimizer));
        Check(HyperParameter.Dropout, ParamValue.Of(Dropout));
        if (Lr is double lr) Check(HyperParameter.Lr, ParamValue.Of(lr));
        Check(HyperParameter.Epochs, ParamValue.Of(Epochs));
        Check(HyperParameter.BatchSize, ParamValue.Of(BatchSize));
        Check(HyperParameter.L1, ParamValue.Of(L1));
        Check(HyperParameter.L2, ParamValue.Of(L2));
        Check(HyperParameter.ElasticNet, ParamValue.Of(ElasticNet));
        Check(HyperParameter.L1Ratio, ParamValue.Of(L1Ratio));
        Check(HyperParameter.GroupLasso, ParamValue.Of(GroupLasso));
        Check(HyperParameter.WeightDecay, ParamValue.Of(WeightDecay));
        if (L1Mode is not ("prox" or "subgradient")) throw OccamException.Usage($"--l1-mode must be prox or subgradient (got '{L1Mode}').");
        if (!(Momentum >= 0 && Momentum < 1)) throw OccamException.Usage($"--momentum must be in [0, 1) (got {Momentum}).");
    }

    /// <summary>The penalty: the sum of the non-zero strengths, each on every layer (group lasso: hidden units).</summary>
    public Penalty Penalty()
    {
        var mode = L1Mode == "subgradient" ? Regularization.L1Mode.Subgradient : Regularization.L1Mode.Prox;
        var p = Regularization.Penalty.None;
        if (L1 > 0) p += Regularization.Penalty.L1(L1, mode);
        if (L2 > 0) p += Regularization.Penalty.L2(L2);
        if (ElasticNet > 0) p += Regularization.Penalty.ElasticNet(ElasticNet, L1Ratio, mode);
        if (GroupLasso > 0) p += Regularization.Penalty.GroupLasso(GroupLasso);
        if (WeightDecay > 0) p += Regularization.Penalty.WeightDecay(WeightDecay);
        return p;
    }

    /// <summary>The <see cref="FitSettings"/> of one fit on given rows (no validation split: the sweep holds rows out itself).</summary>
    public FitSettings ToFitSettings()
    {
        Validate();
        if (!OptimizerOptions.TryParseKind(Optimizer, out var kind) || !Numerics.Activations.Activation.TryParse(Activation, out var activation))
            throw new InvalidOperationException("Validate accepted an unknown optimizer or activation.");
        double lr = Lr ?? (kind is OptimizerKind.Adam or OptimizerKind.AdamW ? 1e-3 : 0.01);
        return new FitSettings
        {
            Hidden = Hidden.ToArray(),
            Activation = activation,
            Dropout = Dropout,
            Regularization = Penalty().ForNetwork(Hidden.Count + 1).Layers,
            ValidationSplit = 0,
            Standardize = Standardize,
            StandardizeTarget = StandardizeTarget,
            Seed = Seed,
            Training = new TrainingOptions
            {
                Optimizer = new OptimizerOptions { Kind = kind, LearningRate = lr, Momentum = Momentum },
                BatchSize = BatchSize,
                Epochs = Epochs,
                Shuffle = Shuffle,
            },
        };
    }

    /// <summary>The JSON object stored in the study definition (every field written, so equal recipes have equal text).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads <see cref="ToJson"/>'s output; a malformed one is an <see cref="OccamException"/> (Kind Data).</summary>
    public static TrainingRecipe FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainingRecipe>(json, Json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new OccamException($"the study's fixed training settings are not valid ({e.Message}); the study was written by another version or damaged.");
        }
    }
}
