using Occam.Nn;
using Occam.Numerics.Random;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Reports;

namespace Occam.Experiments;

/// <summary>
/// What one penalty does to one weight per optimizer step, measured on Occam's own optimizers (float32, the engine)
/// and compared with the closed forms (float64). Every run is a single weight <c>w</c> that starts at <c>w₀</c> and is
/// updated <c>T</c> times; "pure" runs have no data gradient (only the penalty acts), "quadratic" runs add the data loss
/// <c>½a(w − c)²</c>. With learning rate η and strength λ the closed forms are
/// <code>
/// SGD, coupled L2 (gradient λw)      w_t = w₀·(1 − ηλ)ᵗ
/// SGD, decoupled decay               w_t = w₀·(1 − ηλ)ᵗ                     (w ← (1 − ηλ)w, then the gradient step)
/// SGD, L1 subgradient (sign, 0 at 0) w_t = w₀ − t·ηλ·sign(w₀)  while t &lt; t* = |w₀|/(ηλ); then |w_t| ≤ ηλ
/// SGD, L1 prox (soft-threshold ηλ)   w_t = sign(w₀)·max(|w₀| − t·ηλ, 0)     (exactly 0 from t* on)
/// SGD + L2, quadratic data loss      w_t = w* + (w₀ − w*)·(1 − η(a + λ))ᵗ,  w* = ac/(a + λ)
/// SGD + L1 prox, quadratic           w_t → soft(c, λ/a)                     (exactly 0 when a|c| ≤ λ)
/// </code>
/// Momentum (μ = 0.9), Adam and AdamW are run on the same pure problems to see which of the "multiply by (1 − ηλ)" /
/// "subtract ηλ" pictures survive: Adam's step is normalized by √v̂, so a coupled penalty's gradient moves w by about η
/// per step whatever λ is, and AdamW's decoupled decay is the multiplication again.
/// </summary>
public sealed class UpdateRules : Experiment
{
    /// <inheritdoc/>
    public override string Name => "update-rules";

    /// <inheritdoc/>
    public override string Title => "Update rules: L2 multiplies by (1 − ηλ), L1 subtracts a constant";

    /// <inheritdoc/>
    public override string Note => "004";

    /// <inheritdoc/>
    public override IReadOnlyList<Claim> Claims { get; } =
    [
        new("l2-multiplies", "004", "对于 L2……我们可以认为 L2 是在参数更新时，每次对权重乘以一个小比例因子。",
            "For L2 … we can think of L2 as multiplying the weight by a small proportional factor at each parameter update (w ← (1 − ηλ)·w next to the data gradient)."),
        new("l1-subtracts", "004", "我们可以认为 L1 是在参数更新（梯度下降）过程中，每次对权重减去一个固定的小数值",
            "We can think of L1 as subtracting a fixed small number from the weight at each parameter update (gradient descent)."),
        new("l1-reaches-zero", "004", "对于 L1，一些特征/权重将被设置为零",
            "For L1, some features/weights will be set to zero (here: does the single weight end exactly at 0 once the constant steps reach it?)."),
    ];

    /// <inheritdoc/>
    public override (int Quick, int Full) DefaultSeeds => (20, 200);

    /// <summary>Steps per trajectory (both profiles).</summary>
    public const int StepsPerRun = 1000;

    /// <summary>"Constant" decrement: every step within this relative distance of the mean step (before the crossing).</summary>
    public const double ConstantStepTolerance = 1e-3;

    /// <inheritdoc/>
    protected override ReportSection Execute(ExperimentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = Run(context.Seeds, StepsPerRun, context.SeedBase);
        RuleOutcome O(string id) => result.Outcomes.Single(o => o.Rule.Id == id);
        string Dev(RuleOutcome o) => $"largest deviation {Numbers.Significant(o.MaxDeviation, 3)}";

        var multiplies = new ClaimTest("l2-multiplies");
        foreach (var id in new[] { "sgd-l2", "sgd-decay", "momentum-l2", "adam-l2", "adamw-decay", "sgd-l2-quadratic" })
            multiplies.Check(O(id).Rule.Description, Estimate.Exact(O(id).MaxDeviation), Dev(O(id)),
                Expectation.AtMost(RelativeTolerance, "≤ 1e-4 (relative to |w₀|; float32 rounding)"));
        var subtracts = new ClaimTest("l1-subtracts");
        foreach (var id in new[] { "sgd-l1-subgradient", "sgd-l1-prox", "adam-l1-subgradient" })
            subtracts.Check(O(id).Rule.Description, Estimate.Exact(O(id).StepVariation), $"largest step variation {Numbers.Significant(O(id).StepVariation, 3)}",
                Expectation.AtMost(ConstantStepTolerance, "≤ 1e-3 (every step within 0.1 % of the mean step)"));
        var zero = new ClaimTest("l1-reaches-zero");
        foreach (var id in new[] { "sgd-l1-subgradient", "sgd-l1-prox", "adam-l1-subgradient" })
            zero.Check(O(id).Rule.Description, Stats.Wilson(O(id).ExactZeroDraws, O(id).Draws), Expectation.AtLeast(0.5, "≥ 50 % of the problems end exactly at 0"));

        var rows = result.Outcomes.Select(o => (IReadOnlyList<Cell>)
        [
            Cell.Of(o.Rule.Description), Cell.Of(o.Rule.ClosedForm), Stats.Wilson(o.Holds, o.Draws).ToCell(), Cell.Number(o.MaxDeviation),
            Stats.Wilson(o.ExactZeroDraws, o.Draws).ToCell(),
            o.MeanStepOverEtaLambda is double m ? Cell.Number(m) : Cell.Of("–"), o.MeanStepOverEtaLambda is null ? Cell.Of("–") : Cell.Number(o.StepVariation),
        ]).ToArray();
        var adam = O("adam-l1-subgradient");
        return new ReportSection
        {
            Name = Name,
            Title = Title,
            Claims = Claims,
            Protocol =
            [
                new("problem", "one weight w, started at w₀; pure: only the penalty acts (data gradient 0); quadratic: data loss ½a(w − c)²"),
                new("draws", "per seed: w₀ = ±U(0.5, 2), η = 10^U(−1.5, −1), λ = 10^U(−0.7, 0), a = U(0.5, 2), c = ±U(0, 1)"),
                new("optimizers", "Occam's Sgd (plain, or momentum 0.9) and AdamW/Adam (β = 0.9, 0.999, ε = 1e-8), which reproduce torch.optim bit for bit; L2 in the loss = gradient λw; decoupled decay = w ← (1 − ηλ)w; L1 subgradient = gradient λ·sign(w) (0 at 0); L1 prox = soft-threshold by ηλ"),
                new("steps", $"{StepsPerRun} per run"),
                new("closed forms", "see the table; compared at every step, deviation relative to |w₀|; for the L1 rules only up to the crossing t* = |w₀|/(ηλ), after which the subgradient must stay within ηλ of 0 and the prox exactly at 0"),
                new("statistics", "largest deviation over all steps and problems (an exact measurement); constant step: largest |Δ_t − mean Δ| / mean Δ while w keeps its sign; exact zero: problems whose trajectory hits w = 0 exactly (Wilson 95 %)"),
                new("precision", "float32 trajectories (the engine's optimizers), float64 closed forms"),
                new("seeds", $"{context.Seeds} problems (seed {context.SeedBase})"),
            ],
            Tables = [new Table("Each rule against its closed form", ["optimizer and penalty", "closed form", "problems matching", "largest deviation", "problems hitting 0 exactly", "mean step / ηλ", "step variation"], rows)],
            Figures = [TrajectoryFigure(result, "multiply", "L2 and weight decay: w over the steps (problem 1)", ["sgd-l2", "momentum-l2", "adam-l2", "adamw-decay"]),
                TrajectoryFigure(result, "subtract", "L1: w over the steps (problem 1)", ["sgd-l1-subgradient", "sgd-l1-prox", "adam-l1-subgradient"])],
            Findings =
            [
                $"Plain SGD with L2 in the loss and every decoupled decay (SGD's and AdamW's) follow w₀(1 − ηλ)ᵗ to float32 rounding (largest deviation {Numbers.Significant(Math.Max(O("sgd-l2").MaxDeviation, O("adamw-decay").MaxDeviation), 2)}). With momentum the factor compounds through the velocity (deviation {Numbers.Significant(O("momentum-l2").MaxDeviation, 2)}), and Adam divides the L2 gradient λw by its own size, so w falls by about η per step, linearly, not geometrically (deviation {Numbers.Significant(O("adam-l2").MaxDeviation, 2)}).",
                $"L1 with SGD subtracts exactly ηλ per step (mean step / ηλ = {Numbers.Significant(O("sgd-l1-subgradient").MeanStepOverEtaLambda ?? double.NaN, 4)}). Adam also subtracts a constant, but it is η, not ηλ: the normalized gradient λ·sign(w)/√(λ²) is ±1 (mean step / ηλ = {Numbers.Significant(adam.MeanStepOverEtaLambda ?? double.NaN, 3)}, the mean of 1/λ), so λ no longer sets the speed; and with a data gradient Adam normalizes the sum, so no fixed part of its step belongs to L1 (for SGD the L1 part is ηλ whatever the data gradient).",
                $"Once the constant steps reach 0, the prox stops there exactly ({O("sgd-l1-prox").ExactZeroDraws} of {O("sgd-l1-prox").Draws} problems), while the subgradient jumps across 0 and oscillates within ηλ of it ({O("sgd-l1-subgradient").ExactZeroDraws} of {O("sgd-l1-subgradient").Draws} problems ever hit 0 exactly).",
            ],
            Verdicts = [multiplies.Verdict(), subtracts.Verdict(), zero.Verdict()],
        };
    }

    /// <summary>The measured trajectories of <paramref name="ids"/> on problem 1 with the first rule's closed form, up to 3·t* (at least 50 steps).</summary>
    private static Figure TrajectoryFigure(UpdateRulesResult result, string name, string title, string[] ids)
    {
        var first = result.Examples.Single(e => e.Rule == ids[0]);
        var p = first.Problem;
        int length = Math.Min(result.Steps, Math.Max(50, (int)Math.Ceiling(3 * Math.Abs(p.W0) / (p.LearningRate * p.Lambda))));
        var t = Enumerable.Range(0, length + 1).Select(i => (double)i).ToArray();
        var series = new List<Series>();
        foreach (var id in ids)
        {
            var e = result.Examples.Single(x => x.Rule == id);
            series.Add(Series.Line(id, t, [.. e.Measured.Take(length + 1)]));
        }
        var closed = first.ClosedForm.Take(length + 1).Select((v, i) => (T: (double)i, V: v)).Where(x => !double.IsNaN(x.V)).Where((_, i) => i % 5 == 0).ToArray();
        series.Add(Series.Points($"closed form of {ids[0]}", [.. closed.Select(x => x.T)], [.. closed.Select(x => x.V)]));
        return new Figure
        {
            Name = name,
            Title = title,
            XLabel = "step t",
            YLabel = "w_t",
            Series = series,
            Caption = $"w₀ = {Numbers.Significant(p.W0, 3)}, η = {Numbers.Significant(p.LearningRate, 3)}, λ = {Numbers.Significant(p.Lambda, 3)}; points: the closed form (every 5th step).",
        };
    }

    /// <summary>Relative tolerance of a float32 trajectory against its float64 closed form: T steps of ≤ ½ ulp each, with margin.</summary>
    public const double RelativeTolerance = 1e-4;

    /// <summary>The rules checked, in report order.</summary>
    public static IReadOnlyList<RuleSpec> Rules { get; } =
    [
        new("sgd-l2", "SGD, L2 in the loss (λ/2·w², gradient λw)", "w_t = w₀(1 − ηλ)ᵗ", RuleShape.Multiply),
        new("sgd-decay", "SGD, decoupled weight decay λ", "w_t = w₀(1 − ηλ)ᵗ", RuleShape.Multiply),
        new("momentum-l2", "SGD momentum 0.9, L2 in the loss", "w_t = w₀(1 − ηλ)ᵗ", RuleShape.Multiply),
        new("adam-l2", "Adam, L2 in the loss", "w_t = w₀(1 − ηλ)ᵗ", RuleShape.Multiply),
        new("adamw-decay", "AdamW, decoupled weight decay λ", "w_t = w₀(1 − ηλ)ᵗ", RuleShape.Multiply),
        new("sgd-l1-subgradient", "SGD, L1 subgradient λ·sign(w)", "w_t = w₀ − tηλ·sign(w₀), then |w_t| ≤ ηλ", RuleShape.Subtract),
        new("sgd-l1-prox", "SGD, L1 prox (soft-threshold ηλ)", "w_t = sign(w₀)·max(|w₀| − tηλ, 0)", RuleShape.SubtractStop),
        new("adam-l1-subgradient", "Adam, L1 subgradient λ·sign(w)", "w_t = w₀ − tηλ·sign(w₀), then |w_t| ≤ ηλ", RuleShape.Subtract),
        new("sgd-l2-quadratic", "SGD, L2, data loss ½a(w − c)²", "w_t = w* + (w₀ − w*)(1 − η(a + λ))ᵗ", RuleShape.Quadratic),
        new("sgd-l1-prox-quadratic", "SGD, L1 prox, data loss ½a(w − c)²", "w_T = soft(c, λ/a)", RuleShape.QuadraticProx),
    ];

    /// <summary>
    /// Runs every rule on <paramref name="draws"/> random problems (w₀, η, λ, a, c drawn from <paramref name="seed"/>) of
    /// <paramref name="steps"/> steps each, and keeps the trajectories of draw 0 for the figures.
    /// </summary>
    public static UpdateRulesResult Run(int draws, int steps, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        var problems = new Problem[draws];
        var rng = new Rng(seed);
        for (int d = 0; d < draws; d++) problems[d] = Problem.Draw(rng);
        var outcomes = new List<RuleOutcome>();
        var examples = new List<Trajectory>();
        foreach (var rule in Rules)
        {
            int holds = 0, exactZero = 0;
            double maxDeviation = 0, stepSum = 0, stepVariation = 0;
            int stepCount = 0;
            for (int d = 0; d < draws; d++)
            {
                var p = problems[d];
                var w = Simulate(rule.Id, p, steps);
                var check = Check(rule, p, w);
                if (check.Deviation <= RelativeTolerance) holds++;
                maxDeviation = Math.Max(maxDeviation, check.Deviation);
                if (Array.IndexOf(w, 0f) >= 0) exactZero++;
                if (check.MeanStep is double s)
                {
                    stepSum += s / (p.LearningRate * p.Lambda);
                    stepCount++;
                    stepVariation = Math.Max(stepVariation, check.StepVariation);
                }
                if (d == 0) examples.Add(new Trajectory(rule.Id, p, [.. w.Select(v => (double)v)], ClosedForm(rule, p, steps)));
            }
            outcomes.Add(new RuleOutcome(rule, draws, holds, maxDeviation, exactZero, stepCount == 0 ? null : stepSum / stepCount, stepVariation));
        }
        return new UpdateRulesResult(steps, outcomes, examples);
    }

    /// <summary>The weight after each of <paramref name="steps"/> steps (index 0 = w₀), computed by Occam's optimizer.</summary>
    public static float[] Simulate(string rule, Problem p, int steps)
    {
        ArgumentNullException.ThrowIfNull(p);
        var (optimizer, penalty, decay) = rule switch
        {
            "sgd-l2" or "sgd-l2-quadratic" => (new Sgd(p.LearningRate), ElasticNetPenalty.Ridge(p.Lambda), 0.0),
            "sgd-decay" => (new Sgd(p.LearningRate), ElasticNetPenalty.None, p.Lambda),
            "momentum-l2" => (new Sgd(p.LearningRate, momentum: 0.9), ElasticNetPenalty.Ridge(p.Lambda), 0.0),
            "adam-l2" => ((Optimizer)new AdamW(p.LearningRate, name: "adam"), ElasticNetPenalty.Ridge(p.Lambda), 0.0),
            "adamw-decay" => (new AdamW(p.LearningRate), ElasticNetPenalty.None, p.Lambda),
            "sgd-l1-subgradient" => (new Sgd(p.LearningRate), ElasticNetPenalty.Lasso(p.Lambda, L1Mode.Subgradient), 0.0),
            "sgd-l1-prox" or "sgd-l1-prox-quadratic" => (new Sgd(p.LearningRate), ElasticNetPenalty.Lasso(p.Lambda), 0.0),
            "adam-l1-subgradient" => (new AdamW(p.LearningRate, name: "adam"), ElasticNetPenalty.Lasso(p.Lambda, L1Mode.Subgradient), 0.0),
            _ => throw new ArgumentException($"unknown rule '{rule}'.", nameof(rule)),
        };
        bool quadratic = rule.EndsWith("-quadratic", StringComparison.Ordinal);
        var weight = new Parameter("0.weight", ParameterKind.Weight, [(float)p.W0]);
        optimizer.Initialize([weight]);
        var trajectory = new float[steps + 1];
        trajectory[0] = weight.Value[0];
        for (int t = 1; t <= steps; t++)
        {
            optimizer.BeginStep();
            weight.Gradient[0] = quadratic ? (float)(p.A * (weight.Value[0] - p.C)) : 0f;
            penalty.AddGradient(weight.Value, weight.Gradient);
            optimizer.Step(weight, decay, penalty.ProxL1);
            trajectory[t] = weight.Value[0];
        }
        return trajectory;
    }

    /// <summary>The closed form of <paramref name="rule"/> at t = 0..steps (float64), as plotted next to the measured trajectory.</summary>
    public static double[] ClosedForm(RuleSpec rule, Problem p, int steps)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(p);
        double eta = p.LearningRate, lambda = p.Lambda, w0 = p.W0, sign = Math.Sign(w0);
        var w = new double[steps + 1];
        for (int t = 0; t <= steps; t++)
        {
            w[t] = rule.Shape switch
            {
                RuleShape.Multiply => w0 * Math.Pow(1 - eta * lambda, t),
                RuleShape.Subtract => Math.Abs(w0) - t * eta * lambda > 0 ? w0 - t * eta * lambda * sign : double.NaN,
                RuleShape.SubtractStop => sign * Math.Max(Math.Abs(w0) - t * eta * lambda, 0),
                RuleShape.Quadratic => Stationary(p) + (w0 - Stationary(p)) * Math.Pow(1 - eta * (p.A + lambda), t),
                RuleShape.QuadraticProx => SoftThreshold(p.C, lambda / p.A),
                _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.Shape, "unknown shape"),
            };
        }
        return w;
    }

    private static double Stationary(Problem p) => p.A * p.C / (p.A + p.Lambda);

    private static double SoftThreshold(double x, double t) => Math.Sign(x) * Math.Max(Math.Abs(x) - t, 0);

    /// <summary>
    /// How far a measured trajectory is from its closed form, relative to |w₀| (the largest |deviation| over the steps
    /// the closed form covers); for subtract-shaped rules also the mean decrement |w_t − w_{t+1}| before the crossing.
    /// After the crossing the subgradient rule must stay within ηλ of 0, the prox rule exactly at 0 (one step of
    /// rounding slack at the crossing itself).
    /// </summary>
    private static (double Deviation, double? MeanStep, double StepVariation) Check(RuleSpec rule, Problem p, float[] w)
    {
        int steps = w.Length - 1;
        var closed = ClosedForm(rule, p, steps);
        double scale = Math.Abs(p.W0), band = p.LearningRate * p.Lambda, deviation = 0;
        double? meanStep = null;
        double variation = 0;
        switch (rule.Shape)
        {
            case RuleShape.Multiply:
            case RuleShape.Quadratic:
                for (int t = 0; t <= steps; t++) deviation = Math.Max(deviation, Math.Abs(w[t] - closed[t]) / scale);
                break;
            case RuleShape.QuadraticProx:
                deviation = Math.Abs(w[steps] - closed[steps]) / Math.Max(Math.Abs(p.C), scale);
                if (closed[steps] == 0 && w[steps] != 0f) deviation = Math.Max(deviation, 1);
                break;
            default:
                int crossing = (int)Math.Floor(Math.Abs(p.W0) / band);   // last t with |w₀| − tηλ ≥ 0
                for (int t = 0; t <= steps; t++)
                {
                    if (t < crossing)
                    {
                        deviation = Math.Max(deviation, Math.Abs(w[t] - (p.W0 - t * band * Math.Sign(p.W0))) / scale);
                    }
                    else if (t > crossing + 1)
                    {
                        double off = rule.Shape == RuleShape.SubtractStop ? Math.Abs(w[t]) : Math.Max(0, Math.Abs(w[t]) - band * (1 + RelativeTolerance));
                        deviation = Math.Max(deviation, off / scale);
                    }
                }
                // The measured steps Δ_t = |w_{t−1} − w_t| while w keeps the sign of w₀ (up to the step that crosses or reaches 0).
                int last = 1;
                while (last <= steps && Math.Sign(w[last]) == Math.Sign(p.W0)) last++;
                if (last > 1)
                {
                    double sum = 0;
                    for (int t = 1; t < last; t++) sum += Math.Abs(w[t - 1] - w[t]);
                    double mean = sum / (last - 1);
                    meanStep = mean;
                    for (int t = 1; t < last; t++) variation = Math.Max(variation, Math.Abs(Math.Abs(w[t - 1] - w[t]) - mean) / mean);
                }
                break;
        }
        return (deviation, meanStep, variation);
    }
}

/// <summary>What a rule's closed form looks like.</summary>
public enum RuleShape
{
    /// <summary>Geometric: w is multiplied by (1 − ηλ) each step.</summary>
    Multiply,

    /// <summary>Linear: ηλ is subtracted from |w| each step, then w oscillates within ηλ of 0.</summary>
    Subtract,

    /// <summary>Linear down to 0, then exactly 0 (the prox).</summary>
    SubtractStop,

    /// <summary>Geometric approach to the ridge solution of a quadratic data loss.</summary>
    Quadratic,

    /// <summary>The prox iteration's limit on a quadratic data loss, soft(c, λ/a).</summary>
    QuadraticProx,
}

/// <summary>A rule: its id, a description (optimizer and penalty) and its closed form in words.</summary>
public sealed record RuleSpec(string Id, string Description, string ClosedForm, RuleShape Shape);

/// <summary>One random problem: start w₀, learning rate η, strength λ and (for the quadratic rules) the data loss ½a(w − c)².</summary>
public sealed record Problem(double W0, double LearningRate, double Lambda, double A, double C)
{
    /// <summary>w₀ = ±U(0.5, 2), η = 10^U(−1.5, −1), λ = 10^U(−0.7, 0), a = U(0.5, 2), c = ±U(0, 1).</summary>
    public static Problem Draw(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double w0 = (rng.NextDouble() < 0.5 ? -1 : 1) * (0.5 + 1.5 * rng.NextDouble());
        double eta = Math.Pow(10, -1.5 + 0.5 * rng.NextDouble());
        double lambda = Math.Pow(10, -0.7 + 0.7 * rng.NextDouble());
        double a = 0.5 + 1.5 * rng.NextDouble();
        double c = (rng.NextDouble() < 0.5 ? -1 : 1) * rng.NextDouble();
        return new Problem(w0, eta, lambda, a, c);
    }
}

/// <summary>The outcome of one rule over all draws.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Draws">Problems run.</param>
/// <param name="Holds">Problems whose trajectory matched the closed form within <see cref="UpdateRules.RelativeTolerance"/>.</param>
/// <param name="MaxDeviation">Largest deviation from the closed form (relative to |w₀|) over the draws.</param>
/// <param name="ExactZeroDraws">Problems in which w was exactly 0 at some step.</param>
/// <param name="MeanStepOverEtaLambda">For subtract-shaped rules: the mean decrement per step before the crossing, divided by ηλ (1 = "subtracts ηλ").</param>
/// <param name="StepVariation">For subtract-shaped rules: the largest |Δ_t − mean Δ| / mean Δ before the crossing, over the draws (0 = a perfectly constant step).</param>
public sealed record RuleOutcome(RuleSpec Rule, int Draws, int Holds, double MaxDeviation, int ExactZeroDraws, double? MeanStepOverEtaLambda, double StepVariation);

/// <summary>The measured trajectory of one rule on draw 0, with its closed form (NaN where the closed form does not apply).</summary>
public sealed record Trajectory(string Rule, Problem Problem, IReadOnlyList<double> Measured, IReadOnlyList<double> ClosedForm);

/// <summary>Everything <see cref="UpdateRules.Run"/> measured.</summary>
public sealed record UpdateRulesResult(int Steps, IReadOnlyList<RuleOutcome> Outcomes, IReadOnlyList<Trajectory> Examples);
