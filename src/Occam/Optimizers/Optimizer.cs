namespace Occam.Optimizers;

/// <summary>
/// Base of the optimizers. An optimizer owns its state (momentum buffers, moment estimates, step count) for a
/// fixed list of parameter tensors registered by <see cref="Initialize"/>; the update itself is a pure static
/// function in each subclass (<see cref="Sgd.Update"/>, <c>AdamW.Update</c>), PyTorch-style.
/// <para>
/// Each <see cref="Step"/> applies, in this order: decoupled weight decay <c>w ← (1 − lr·wd)·w</c>, the
/// optimizer's gradient update, then the L1 prox <c>w ← soft(w, η·λ₁)</c> with η the (per-coordinate)
/// step size. Coupled penalties (L2, L1 subgradient) are already in the gradient passed in.
/// </para>
/// </summary>
public abstract class Optimizer
{
    private protected Optimizer(double learningRate)
    {
        Numerics.Preconditions.CheckPositive(learningRate);
        LearningRate = learningRate;
    }

    /// <summary>lr, the base step size.</summary>
    public double LearningRate { get; set; }

    /// <summary>Number of completed optimizer steps (t in the update rules).</summary>
    public long StepCount { get; private set; }

    /// <summary>Allocates state for parameter tensors of the given sizes. Call once before the first step.</summary>
    public abstract void Initialize(IReadOnlyList<int> parameterSizes);

    /// <summary>Starts a new step (t ← t + 1); call once per batch before the <see cref="Step"/> calls.</summary>
    public void BeginStep()
    {
        StepCount++;
        OnStepBegun();
    }

    /// <summary>Lets an optimizer precompute per-step constants (bias corrections) once for all tensors.</summary>
    private protected virtual void OnStepBegun() { }

    /// <summary>
    /// Updates parameter tensor <paramref name="index"/> in place from its gradient, with decoupled weight decay
    /// <paramref name="weightDecay"/> and L1 prox strength <paramref name="proxL1"/> (0 for none).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "Step is the optimizer vocabulary (torch.optim.Optimizer.step); the library targets C#.")]
    public abstract void Step(int index, Span<float> parameter, ReadOnlySpan<float> gradient, double weightDecay, double proxL1);

    /// <summary>
    /// One step size η for coordinates [start, start + length) of tensor <paramref name="index"/>, used as the
    /// prox step of group penalties: lr for SGD-type optimizers, <c>lr/(mean(√v̂ᵢ) + ε)</c> for Adam.
    /// </summary>
    public abstract float GroupStepSize(int index, int start, int length);

    /// <summary>Lower-case name (sgd, momentum, nesterov, adam, adamw).</summary>
    public abstract string Name { get; }
}

/// <summary>The optimizers the library and the CLI know by name.</summary>
public enum OptimizerKind
{
    /// <summary>Plain stochastic gradient descent.</summary>
    Sgd,
    /// <summary>SGD with heavy-ball momentum (PyTorch <c>SGD(momentum=μ)</c>).</summary>
    Momentum,
    /// <summary>SGD with Nesterov momentum (PyTorch <c>SGD(momentum=μ, nesterov=True)</c>).</summary>
    Nesterov,
    /// <summary>Adam (AdamW with no decoupled decay; coupled L2 enters through the gradient).</summary>
    Adam,
    /// <summary>AdamW: Adam with decoupled weight decay.</summary>
    AdamW,
}

/// <summary>Hyper-parameters shared by the optimizers, with PyTorch's defaults.</summary>
public sealed record OptimizerOptions
{
    public OptimizerKind Kind { get; init; } = OptimizerKind.Adam;
    public double LearningRate { get; init; } = 1e-3;
    public double Momentum { get; init; } = 0.9;
    public double Dampening { get; init; }
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Creates the optimizer these options describe (validating them).</summary>
    public Optimizer Create() => Kind switch
    {
        OptimizerKind.Sgd => new Sgd(LearningRate),
        OptimizerKind.Momentum => new Sgd(LearningRate, Momentum, Dampening, nesterov: false),
        OptimizerKind.Nesterov => new Sgd(LearningRate, Momentum, Dampening, nesterov: true),
        OptimizerKind.Adam => new AdamW(LearningRate, Beta1, Beta2, Epsilon, "adam"),
        OptimizerKind.AdamW => new AdamW(LearningRate, Beta1, Beta2, Epsilon, "adamw"),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown optimizer"),
    };

    /// <summary>Parses sgd|momentum|nesterov|adam|adamw.</summary>
    public static bool TryParseKind(string name, out OptimizerKind kind)
    {
        switch (name.ToLowerInvariant())
        {
            case "sgd": kind = OptimizerKind.Sgd; return true;
            case "momentum": kind = OptimizerKind.Momentum; return true;
            case "nesterov": kind = OptimizerKind.Nesterov; return true;
            case "adam": kind = OptimizerKind.Adam; return true;
            case "adamw": kind = OptimizerKind.AdamW; return true;
            default: kind = default; return false;
        }
    }
}
