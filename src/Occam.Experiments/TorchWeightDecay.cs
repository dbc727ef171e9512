using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Reports;
using Occam.Training;

namespace Occam.Experiments;

/// <summary>
/// PyTorch's <c>weight_decay</c>, replayed with Occam's optimizers (which reproduce <c>torch.optim</c> 1.13's update rules
/// bit for bit, tests/golden/torch_optimizers.json). torch's rules:
/// <code>
/// SGD, momentum, Nesterov, Adam:  g ← ∇L + wd·θ   (coupled: the gradient of (wd/2)·Σθ², so the loss λΣθ² needs wd = 2λ)
/// AdamW:                          θ ← (1 − lr·wd)·θ before the Adam step (decoupled: not a term of the loss)
/// both apply to every tensor of the param group: opt(model.parameters(), weight_decay=wd) decays the biases too.
/// </code>
/// Occam writes them as <c>Penalty.L2(wd)</c> (coupled, weights only; <c>.IncludingBias()</c> for torch's default) and
/// <c>Penalty.WeightDecay(wd)</c> (decoupled). The experiment trains one network (4-8-1 tanh, 64 rows of
/// y = sin x₀ + ½x₁x₂ + 0.1ε, MSE, full batch, torch's default init U(±1/√fan_in) for weights and biases) from the same
/// start under four variants per optimizer and measures how far their parameters get apart (float32, the engine):
/// <list type="bullet">
/// <item><b>all</b>: torch's <c>opt(model.parameters(), weight_decay=wd)</c> — biases decayed;</item>
/// <item><b>weights</b>: the same with the biases in a group with weight_decay 0;</item>
/// <item><b>loss</b>: weight_decay 0 and λ·Σ_weights w² added to the loss with λ = wd/2 (L2 written by hand, no ½);</item>
/// <item><b>decoupled</b>: the weights decayed by (1 − lr·wd) each step (AdamW's rule, under this optimizer).</item>
/// </list>
/// tests/golden/experiments/torch_weight_decay.py runs the first three in torch 1.13 on its own data and initial weights;
/// TorchWeightDecayTests checks that Occam's trajectories from those weights are torch's (≤ 2e-5 over 100 steps).
/// Each seed is one problem (data and initial weights).
/// </summary>
public sealed class TorchWeightDecay : Experiment
{
    /// <inheritdoc/>
    public override string Name => "torch-weight-decay";

    /// <inheritdoc/>
    public override string Title => "PyTorch's weight_decay: is it L2?";

    /// <inheritdoc/>
    public override string Note => "002";

    /// <inheritdoc/>
    public override IReadOnlyList<Claim> Claims { get; } =
    [
        new("weight-decay-is-l2", "002", "许多优化器(如Adam、SGD)都包含一个内置的 weight_decay 参数 (parameter),它直接实现了L2正则化。",
            "Many optimizers (e.g. Adam, SGD) have a built-in weight_decay parameter that directly implements L2 regularization."),
        new("just-use-weight-decay", "002", "# --- 应用L2正则化(权重衰减)--- # 只需在优化器中使用 weight_decay 参数 optimizer_l2 = optim.Adam(linear_layer.parameters(), lr=0.001, weight_decay=1e-4)",
            "To apply L2 regularization (on the weights), just use the optimizer's weight_decay parameter: optim.Adam(linear_layer.parameters(), lr=0.001, weight_decay=1e-4). Tested: does that leave the biases alone, as an L2 penalty on the weights does?"),
    ];

    /// <inheritdoc/>
    public override (int Quick, int Full) DefaultSeeds => (2, 10);

    /// <inheritdoc/>
    protected override ReportSection Execute(ExperimentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var results = Enumerable.Range(0, context.Seeds).Select(i => Run(context.Seed(i))).ToArray();
        OptimizerComparison[] Of(string name) => [.. results.Select(r => r.Comparisons.Single(c => c.Optimizer == name))];
        var isL2 = new ClaimTest("weight-decay-is-l2");
        var weightsOnly = new ClaimTest("just-use-weight-decay");
        var rows = new List<IReadOnlyList<Cell>>();
        foreach (var (name, _) in Optimizers)
        {
            var c = Of(name);
            double weightsVsLoss = c.Max(x => x.WeightsVsLoss), biases = c.Min(x => x.AllVsWeightsOnBiases);
            isL2.Check($"{name}: weight_decay = wd vs loss + (wd/2)·Σw²", Estimate.Exact(weightsVsLoss), $"largest difference {Numbers.Significant(weightsVsLoss, 3)}",
                Expectation.AtMost(SameTolerance, $"≤ {SameTolerance:0e0} (the same trajectory up to float32 rounding)"));
            weightsOnly.Check($"{name}: biases with opt(model.parameters(), weight_decay) vs weights-only decay", Estimate.Exact(biases),
                $"smallest largest bias difference {Numbers.Significant(biases, 3)}", Expectation.AtMost(SameTolerance, $"≤ {SameTolerance:0e0} (biases untouched)"));
            rows.Add([Cell.Of(name), Cell.Of(name == "adamw" ? "decoupled: θ ← (1 − lr·wd)θ" : "coupled: g ← g + wd·θ"), Cell.Number(weightsVsLoss),
                Cell.Number(c.Max(x => x.CoupledVsDecoupled)), Cell.Number(biases), Stats.Mean([.. c.Select(x => x.BiasShrink)]).ToCell(),
                Stats.Mean([.. c.Select(x => x.WeightShrink)]).ToCell()]);
        }
        // The independent reference: torch 1.13's own runs (tests/golden/experiments/torch_weight_decay.py, output committed).
        var reference = TorchReference.Load();
        var referenceRows = new List<IReadOnlyList<Cell>>();
        foreach (var r in reference ?? [])
        {
            isL2.Check($"torch 1.13 {r.Optimizer} (reference run): weight_decay = wd vs loss + (wd/2)·Σw²", Estimate.Exact(r.WeightsVsLoss),
                $"largest difference {Numbers.Significant(r.WeightsVsLoss, 3)}", Expectation.AtMost(SameTolerance, $"≤ {SameTolerance:0e0}"));
            weightsOnly.Check($"torch 1.13 {r.Optimizer} (reference run): biases, all vs weights", Estimate.Exact(r.AllVsWeightsBias),
                $"largest bias difference {Numbers.Significant(r.AllVsWeightsBias, 3)}", Expectation.AtMost(SameTolerance, $"≤ {SameTolerance:0e0} (biases untouched)"));
            referenceRows.Add([Cell.Of(r.Optimizer), Cell.Number(r.WeightsVsLoss), Cell.Number(r.AllVsWeightsBias), Cell.Number(r.BiasShrink)]);
        }
        var norms = results[0].Norms;
        var steps = Enumerable.Range(1, Steps).Select(t => (double)t).ToArray();
        var adamw = Of("adamw").Max(x => x.WeightsVsLoss);
        return new ReportSection
        {
            Name = Name,
            Title = Title,
            Claims = Claims,
            Protocol =
            [
                new("problem", "4-8-1 tanh regression network, 64 rows, x ~ N(0, 1), y = sin x₀ + ½x₁x₂ + 0.1·N(0, 1); torch.nn.Linear's default initialization U(±1/√fan_in) for weights and biases; a new problem per seed"),
                new("training", $"MSE (mean over rows), full batch, {Steps} steps from the same start; wd = {WeightDecay}"),
                new("optimizers", "SGD lr 0.1; SGD momentum 0.9 lr 0.05; Nesterov 0.9 lr 0.05; Adam lr 0.01; AdamW lr 0.01 (β = 0.9, 0.999, ε = 1e-8) — Occam's optimizers, which reproduce torch.optim 1.13 bit for bit (tests/golden/torch_optimizers.json)"),
                new("torch's weight_decay in Occam", "SGD/momentum/Nesterov/Adam: g ← g + wd·θ = Penalty.L2(wd) (loss + (wd/2)·Σθ²); AdamW: θ ← (1 − lr·wd)·θ = Penalty.WeightDecay(wd); on every parameter of the group (.IncludingBias()) when the group is model.parameters()"),
                new("variants", "all = opt(model.parameters(), weight_decay = wd); weights = biases in a group with weight_decay 0; loss = weight_decay 0 and λ·Σ_weights w² in the loss with λ = wd/2; decoupled = the weights decayed by (1 − lr·wd) each step"),
                new("statistics", "largest |θ_a − θ_b| over all parameters and steps (exact measurements; the largest over the seeds for 'the same', the smallest for 'different'); final mean |bias| and mean |weight| ratios, mean ± SE over seeds"),
                new("reference", "tests/golden/experiments/torch_weight_decay.py runs all, weights and loss in torch 1.13 on its own data (output committed); Occam's replay of every torch run agrees to ≤ 2e-5 (TorchWeightDecayTests); torch's own differences are conditions of the verdicts too"),
                new("precision", "float32 (the engine)"),
                new("seeds", $"{context.Seeds} (seed base {context.SeedBase})"),
            ],
            Tables =
            [
                new Table("weight_decay = wd under each optimizer", ["optimizer", "torch's rule", "|weights − loss λΣw², λ = wd/2|", "|L2 in loss − decoupled|",
                    "|all − weights| on biases", "final mean |bias|: all / weights", "final mean |weight|: weights / no penalty"], rows),
                .. (reference is null ? Array.Empty<Table>() : [new Table("Reference: torch 1.13's own runs (tests/golden/experiments/torch_weight_decay.json)",
                    ["optimizer", "|weights − loss λΣw², λ = wd/2|", "|all − weights| on biases", "final mean |bias|: all / weights"], referenceRows)]),
            ],
            Figures =
            [
                new Figure
                {
                    Name = "weight-norm",
                    Title = "‖W‖ over the steps: L2 in the loss vs decoupled decay (seed 1)",
                    XLabel = "step",
                    YLabel = "‖W‖₂ (all weight matrices)",
                    Series = [.. norms.Where(n => n.Optimizer is "sgd" or "adam").SelectMany(n => new[]
                    {
                        Series.Line($"{n.Optimizer}, L2 in the loss (= torch {n.Optimizer} weight_decay)", steps, n.LossL2),
                        Series.Line($"{n.Optimizer}, decoupled (= AdamW's rule)", steps, n.Decoupled),
                    })],
                    Caption = "For SGD the two coincide (up to rounding); for Adam, decoupled decay (AdamW) shrinks the weights far less than L2 in the loss at the same wd, because Adam rescales the L2 gradient but not the decay.",
                },
            ],
            Findings =
            [
                "torch's SGD (with or without momentum, Nesterov) and Adam add wd·θ to the gradient: that is the gradient of (wd/2)·Σθ², so weight_decay = wd is L2 with λ = wd/2 in λΣθ² — or, the other way round, a loss term λΣw² written by hand needs weight_decay = 2λ. Occam's Penalty.L2(λ) uses the same (λ/2)·Σw² convention, so Penalty.L2(wd) = torch's weight_decay = wd.",
                $"AdamW's weight_decay is not L2: it multiplies θ by (1 − lr·wd) outside Adam's normalization; its trajectory differs from Adam with λΣw² in the loss by up to {Numbers.Significant(adamw, 3)} (decoupled weight decay, Loshchilov & Hutter 2019). Only for plain SGD are the two the same (largest difference {Numbers.Significant(Of("sgd").Max(x => x.CoupledVsDecoupled), 2)}).",
                reference is null
                    ? $"The torch reference ({TorchReference.Path}) was not found from this folder, so the verdicts rest on Occam's replay of torch's rules only."
                    : $"torch 1.13's own runs agree: weights-only weight_decay and λΣw² in the loss differ by at most {Numbers.Significant(reference.Where(r => r.Optimizer != "adamw").Max(r => r.WeightsVsLoss), 2)} for SGD, momentum, Nesterov and Adam (float32 rounding) and by {Numbers.Significant(reference.Single(r => r.Optimizer == "adamw").WeightsVsLoss, 3)} for AdamW.",
                "opt(model.parameters(), weight_decay=wd) — the note's own example — decays the biases too, under every optimizer (the biases end smaller: see the table). To penalize only the weights, as an L2 penalty on the weights does, put the biases in a param group with weight_decay 0 (Occam leaves biases unpenalized unless .IncludingBias() is asked for).",
            ],
            Verdicts = [isL2.Verdict(), weightsOnly.Verdict()],
        };
    }

    /// <summary>weight_decay of every run.</summary>
    public const double WeightDecay = 0.05;

    /// <summary>Steps of every run (full batch, so steps = epochs).</summary>
    public const int Steps = 100;

    /// <summary>Two runs "coincide" when no parameter differs by more than this at any step (float32 rounding over 100 steps is ~1e-6).</summary>
    public const double SameTolerance = 1e-5;

    /// <summary>The optimizers, as torch names them, with the learning rates of the protocol.</summary>
    public static IReadOnlyList<(string Name, OptimizerOptions Options)> Optimizers { get; } =
    [
        ("sgd", Optim.Sgd(lr: 0.1)),
        ("momentum", Optim.Sgd(lr: 0.05, momentum: 0.9)),
        ("nesterov", Optim.Sgd(lr: 0.05, momentum: 0.9, nesterov: true)),
        ("adam", Optim.Adam(lr: 0.01)),
        ("adamw", Optim.AdamW(lr: 0.01)),
    ];

    /// <summary>The variants, in report order.</summary>
    public static IReadOnlyList<string> Variants { get; } = ["all", "weights", "loss", "decoupled"];

    /// <summary>
    /// The Occam penalty that does what torch does in <paramref name="variant"/> under <paramref name="optimizer"/>:
    /// torch's weight_decay is coupled L2 except in AdamW, where it is the decoupled decay.
    /// </summary>
    public static Penalty PenaltyFor(string optimizer, string variant, double wd)
    {
        bool adamW = optimizer == "adamw";
        return variant switch
        {
            "all" => (adamW ? Penalty.WeightDecay(wd) : Penalty.L2(wd)).IncludingBias(),
            "weights" => adamW ? Penalty.WeightDecay(wd) : Penalty.L2(wd),
            "loss" => Penalty.L2(2 * (wd / 2)),     // λ·Σw² with λ = wd/2: gradient 2λ·w
            "decoupled" => Penalty.WeightDecay(wd),
            _ => throw new ArgumentException($"unknown variant '{variant}'.", nameof(variant)),
        };
    }

    /// <summary>The problem of the protocol, drawn from <paramref name="seed"/>.</summary>
    public static RegressionProblem Problem(ulong seed)
    {
        var rng = new Rng(seed);
        const int rows = 64, inputs = 4;
        var x = new float[rows * inputs];
        var y = new float[rows];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextNormal();
        for (int r = 0; r < rows; r++)
        {
            int o = r * inputs;
            y[r] = (float)(Math.Sin(x[o]) + 0.5 * x[o + 1] * x[o + 2] + 0.1 * rng.NextNormal());
        }
        var model = Mlp.Create(new MlpSpec(inputs, [8], 1, TaskKind.Regression, ActivationKind.Tanh), rng);
        foreach (var p in model.Parameters())
        {
            double bound = 1 / Math.Sqrt(p.Layer!.Inputs);   // torch.nn.Linear's default: U(±1/√fan_in), weights and biases
            for (int i = 0; i < p.Length; i++) p.Value[i] = (float)((2 * rng.NextDouble() - 1) * bound);
        }
        return new RegressionProblem(model, x, y, rows);
    }

    /// <summary>
    /// Trains a copy of <paramref name="problem"/>'s network for <paramref name="steps"/> full-batch steps with
    /// <paramref name="options"/> and <paramref name="penalty"/>; returns all parameters (state_dict order, flattened)
    /// after each step t = 1..steps (index t − 1).
    /// </summary>
    public static float[][] Trajectory(RegressionProblem problem, OptimizerOptions options, Penalty penalty, int steps)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(penalty);
        var model = problem.Init.Clone();
        var training = new TrainingOptions { Optimizer = options, BatchSize = 0, Epochs = steps, Shuffle = false };
        var trainer = new Trainer(model, training, penalty.ForNetwork(model.DenseLayers.Count), problem.Rows);
        var rng = new Rng(0);   // no dropout: the generator is never drawn from
        var trajectory = new float[steps][];
        for (int t = 0; t < steps; t++)
        {
            trainer.Step(problem.X, problem.Y, problem.Rows, rng, out _);
            trajectory[t] = [.. model.Parameters().SelectMany(p => p.Value)];
        }
        return trajectory;
    }

    /// <summary>Runs every optimizer × variant on the problem of <paramref name="seed"/> and compares the variants.</summary>
    public static TorchWeightDecayResult Run(ulong seed)
    {
        var problem = Problem(seed);
        var biasIndex = BiasMask(problem.Init);
        var rows = new List<OptimizerComparison>();
        var weightNorms = new List<NormTrajectory>();
        foreach (var (name, options) in Optimizers)
        {
            var runs = Variants.ToDictionary(v => v, v => Trajectory(problem, options, PenaltyFor(name, v, WeightDecay), Steps));
            var none = Trajectory(problem, options, Penalty.None, Steps);
            rows.Add(new OptimizerComparison(name,
                WeightsVsLoss: MaxDifference(runs["weights"], runs["loss"], _ => true),
                CoupledVsDecoupled: MaxDifference(runs["loss"], runs["decoupled"], _ => true),
                AllVsWeightsOnBiases: MaxDifference(runs["all"], runs["weights"], i => biasIndex[i]),
                BiasShrink: MeanAbs(runs["all"][^1], biasIndex) / MeanAbs(runs["weights"][^1], biasIndex),
                WeightShrink: MeanAbs(runs["weights"][^1], biasIndex, weights: true) / MeanAbs(none[^1], biasIndex, weights: true)));
            weightNorms.Add(new NormTrajectory(name, [.. runs["weights"].Select(t => Norm(t, biasIndex))], [.. runs["loss"].Select(t => Norm(t, biasIndex))],
                [.. runs["decoupled"].Select(t => Norm(t, biasIndex))]));
        }
        return new TorchWeightDecayResult(rows, weightNorms);
    }

    /// <summary>True at the flattened positions (state_dict order) that belong to biases.</summary>
    public static bool[] BiasMask(Mlp model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.Parameters().SelectMany(p => Enumerable.Repeat(p.Kind == ParameterKind.Bias, p.Length))];
    }

    /// <summary>max over steps and selected positions of |a − b|.</summary>
    public static double MaxDifference(float[][] a, float[][] b, Func<int, bool> select)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(select);
        double max = 0;
        for (int t = 0; t < a.Length; t++)
            for (int i = 0; i < a[t].Length; i++)
                if (select(i)) max = Math.Max(max, Math.Abs((double)a[t][i] - b[t][i]));
        return max;
    }

    private static double MeanAbs(float[] theta, bool[] bias, bool weights = false)
    {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < theta.Length; i++)
            if (bias[i] != weights)
            {
                sum += Math.Abs(theta[i]);
                n++;
            }
        return sum / n;
    }

    private static double Norm(float[] theta, bool[] bias)
    {
        double sum = 0;
        for (int i = 0; i < theta.Length; i++)
            if (!bias[i]) sum += (double)theta[i] * theta[i];
        return Math.Sqrt(sum);
    }
}

/// <summary>A full-batch regression problem: the initial network and the prepared float32 rows.</summary>
public sealed record RegressionProblem(Mlp Init, float[] X, float[] Y, int Rows);

/// <summary>
/// The variants of one optimizer compared: the largest parameter difference (any step) between "weights" (torch's
/// weight_decay on the weight matrices) and "loss" (λΣw² in the loss, λ = wd/2), between L2 in the loss and decoupled
/// decay, and between "all" and "weights" on the biases; the final mean |bias| under "all" over "weights", and the final
/// mean |weight| under "weights" over no penalty.
/// </summary>
public sealed record OptimizerComparison(string Optimizer, double WeightsVsLoss, double CoupledVsDecoupled, double AllVsWeightsOnBiases,
    double BiasShrink, double WeightShrink);

/// <summary>‖W‖₂ (all weight matrices) after each step under torch's weight_decay (weights only), L2 in the loss and decoupled decay.</summary>
public sealed record NormTrajectory(string Optimizer, IReadOnlyList<double> WeightDecay, IReadOnlyList<double> LossL2, IReadOnlyList<double> Decoupled);

/// <summary>Everything <see cref="TorchWeightDecay.Run"/> measured.</summary>
public sealed record TorchWeightDecayResult(IReadOnlyList<OptimizerComparison> Comparisons, IReadOnlyList<NormTrajectory> Norms);

/// <summary>torch 1.13's summary of its own runs, read from the committed reference output (null when the file is not found).</summary>
internal sealed record TorchReference(string Optimizer, double WeightsVsLoss, double AllVsWeightsBias, double BiasShrink)
{
    /// <summary>The reference file, relative to the repository.</summary>
    public const string Path = "tests/golden/experiments/torch_weight_decay.json";

    /// <summary>The "summary" entries of <see cref="Path"/>, or null when the file is not found.</summary>
    public static IReadOnlyList<TorchReference>? Load()
    {
        string? file = ShippedData.Find(Path);
        if (file is null) return null;
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
        return [.. doc.RootElement.GetProperty("summary").EnumerateArray().Select(e => new TorchReference(e.GetProperty("optimizer").GetString()!,
            e.GetProperty("weightsVsLoss").GetDouble(), e.GetProperty("allVsWeightsBias").GetDouble(), e.GetProperty("biasShrink").GetDouble()))];
    }
}
