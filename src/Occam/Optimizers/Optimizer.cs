using Occam.Nn;

namespace Occam.Optimizers;

/// <summary>
/// Base of the optimizers. An optimizer owns its state (momentum buffers, moment estimates, step count) for the
/// <see cref="Parameter"/>s registered by <see cref="Initialize"/>, keyed by the parameter objects (as
/// <c>torch.optim.Optimizer.state[p]</c>); the update itself is a pure static function in each subclass
/// (<see cref="Sgd.Update"/>, <c>AdamW.Update</c>), PyTorch-style.
/// <para>
/// Each <see cref="Step"/> applies, in this order: decoupled weight decay <c>w ← (1 − lr·wd)·w</c>, the
/// optimizer's gradient update, then (when asked, folded into the same pass) the L1 prox
/// <c>w ← soft(w, ηᵢ·λ₁)</c> with ηᵢ the per-coordinate step size of <see cref="StepSizes"/>. Coupled penalties
/// (L2, L1 subgradient) are already in the gradient. The folded prox gives bit for bit what a step without it
/// followed by <c>ElasticNetPenalty.Prox(parameter, optimizer, …)</c> gives: both call
/// <see cref="Numerics.Prox.SoftThreshold"/> with the thresholds <see cref="StepSizes"/> computes.
/// </para>
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<Parameter, int> _slots = [];
    private Parameter[] _order = [];
    private int _lastSlot = -1;

    private protected Optimizer(double learningRate)
    {
        Numerics.Preconditions.CheckPositive(learningRate);
        LearningRate = learningRate;
    }

    /// <summary>lr, the base step size.</summary>
    public double LearningRate { get; set; }

    /// <summary>Number of completed optimizer steps (t in the update rules).</summary>
    public long StepCount { get; private set; }

    /// <summary>Registers <paramref name="parameters"/> and allocates their state (zeros). Call once before the first step.</summary>
    public void Initialize(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _slots.Clear();
        var sizes = new List<int>();
        var order = new List<Parameter>();
        foreach (var p in parameters)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(parameters));
            if (!_slots.TryAdd(p, sizes.Count)) throw new ArgumentException($"parameter {p.Name} is listed twice.", nameof(parameters));
            sizes.Add(p.Length);
            order.Add(p);   // slot i is the i-th parameter (no LINQ sort: ~25 generic methods to compile in a fresh process)
        }
        _order = [.. order];
        _lastSlot = -1;
        AllocateState(sizes);
    }

    /// <summary>The registered parameters, in registration order.</summary>
    public IReadOnlyList<Parameter> Parameters => _order;

    /// <summary>Allocates state for tensors of the given sizes, in registration order (slot i is the i-th parameter).</summary>
    private protected abstract void AllocateState(IReadOnlyList<int> sizes);

    /// <summary>
    /// The state slot of <paramref name="parameter"/>. Training visits the parameters in registration order, so the
    /// same or the next slot is checked first (one reference comparison) before the dictionary.
    /// </summary>
    private protected int SlotOf(Parameter parameter)
    {
        var order = _order;
        int last = _lastSlot;
        if ((uint)last < (uint)order.Length && ReferenceEquals(order[last], parameter)) return last;
        int next = last + 1 < order.Length ? last + 1 : 0;
        if (next < order.Length && ReferenceEquals(order[next], parameter)) return _lastSlot = next;
        if (_slots.TryGetValue(parameter, out int slot)) return _lastSlot = slot;
        throw new ArgumentException($"parameter {parameter.Name} was not registered with Initialize.", nameof(parameter));
    }

    /// <summary>Starts a new step (t ← t + 1); call once per batch before the <see cref="Step"/> calls.</summary>
    public void BeginStep()
    {
        StepCount++;
        OnStepBegun();
    }

    /// <summary>Lets an optimizer precompute per-step constants (bias corrections) once for all tensors.</summary>
    private protected virtual void OnStepBegun() { }

    /// <summary>
    /// Updates <paramref name="parameter"/> in place from its <see cref="Parameter.Gradient"/>, with decoupled weight
    /// decay <paramref name="weightDecay"/> and, folded into the same pass, the L1 prox of strength
    /// <paramref name="proxL1"/> (0 for none) with the per-coordinate thresholds of <see cref="StepSizes"/>.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "Step is the optimizer vocabulary (torch.optim.Optimizer.step); the library targets C#.")]
    public void Step(Parameter parameter, double weightDecay = 0, double proxL1 = 0)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        StepSlot(SlotOf(parameter), 0, parameter.Value, parameter.Gradient, weightDecay, proxL1, 0f);
    }

    /// <summary>
    /// <see cref="Step(Parameter, double, double)"/> with the coupled L2 gradient <c>g ← fma(w, λ₂, g)</c> (exactly what
    /// <see cref="Regularization.ElasticNetPenalty.AddGradient"/> adds, from the weights before the update) folded into
    /// the update's pass instead of a pass of its own: the same numbers, one pass over the weights and gradient fewer.
    /// The parameter's <see cref="Parameter.Gradient"/> is left without the L2 term.
    /// </summary>
    internal void StepWithCoupledL2(Parameter parameter, double weightDecay, double proxL1, double coupledL2)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        StepSlot(SlotOf(parameter), 0, parameter.Value, parameter.Gradient, weightDecay, proxL1, (float)coupledL2);
    }

    /// <summary>Whether <see cref="StepWithCoupledL2"/> folds a coupled L2 into the update (else it must be 0).</summary>
    internal virtual bool FoldsCoupledL2 => true;

    /// <summary>
    /// The update of coordinates [<paramref name="start"/>, start + value.Length) of the tensor in state slot
    /// <paramref name="slot"/> (<paramref name="value"/> and <paramref name="gradient"/> are those coordinates), with
    /// gradient <c>fma(value, l2, gradient)</c> (<paramref name="l2"/> = 0: the gradient as given). Every rule is
    /// coordinate-wise, so updating a tensor in ranges gives the same numbers as updating it whole.
    /// </summary>
    private protected abstract void StepSlot(int slot, int start, Span<float> value, ReadOnlySpan<float> gradient, double weightDecay, double proxL1, float l2);

    /// <summary>The state slot of <paramref name="parameter"/> (for <see cref="StepRange"/>; look it up on one thread).</summary>
    internal int Slot(Parameter parameter) => SlotOf(parameter);

    /// <summary>
    /// <see cref="StepWithCoupledL2"/> (<paramref name="coupledL2"/> = 0: <see cref="Step(Parameter, double, double)"/>) on
    /// coordinates [<paramref name="start"/>, start + <paramref name="length"/>) of <paramref name="parameter"/> only, whose
    /// slot is <paramref name="slot"/>. Calls on disjoint ranges of the same step may run on different threads at once
    /// (they read the step's constants and write only their own coordinates and state): the training step splits its
    /// update this way.
    /// </summary>
    internal void StepRange(Parameter parameter, int slot, int start, int length, double weightDecay, double proxL1, float coupledL2)
    {
        System.Diagnostics.Debug.Assert(ReferenceEquals(_order[slot], parameter));
        System.Diagnostics.Debug.Assert(start >= 0 && length >= 0 && start + length <= parameter.Length);
        StepSlot(slot, start, parameter.Value.AsSpan(start, length), parameter.Gradient.AsSpan(start, length), weightDecay, proxL1, coupledL2);
    }

    /// <summary>
    /// The per-coordinate step sizes ηᵢ of the last <see cref="Step"/> of <paramref name="parameter"/>, times
    /// <paramref name="scale"/>: <c>lr·scale</c> for SGD-type optimizers, <c>lr·scale/(√v̂ᵢ + ε)</c> for Adam
    /// (<c>lr·scale</c> rounded once to float32, as the folded prox does). With scale = λ₁ these are the L1 prox
    /// thresholds. <paramref name="destination"/> needs <see cref="Parameter.Length"/> values.
    /// </summary>
    public void StepSizes(Parameter parameter, Span<float> destination, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        Numerics.Preconditions.CheckLength(destination.Length, parameter.Length);
        CheckStarted();
        ScaledStepSizes(SlotOf(parameter), destination[..parameter.Length], (float)(LearningRate * scale));
    }

    /// <summary>Fills <paramref name="destination"/> with ηᵢ·scale, where <paramref name="lrScale"/> = (float)(lr·scale).</summary>
    private protected abstract void ScaledStepSizes(int slot, Span<float> destination, float lrScale);

    /// <summary>
    /// One step size η for coordinates [start, start + length) of <paramref name="parameter"/>, used as the
    /// prox step of group penalties: lr for SGD-type optimizers, <c>lr/(mean(√v̂ᵢ) + ε)</c> for Adam.
    /// </summary>
    public float GroupStepSize(Parameter parameter, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (start < 0 || length < 0 || start + length > parameter.Length)
            throw new ArgumentOutOfRangeException(nameof(length), $"coordinates [{start}, {start + length}) are outside {parameter.Name}'s {parameter.Length} values.");
        CheckStarted();
        return SlotGroupStepSize(SlotOf(parameter), start, length);
    }

    /// <summary>
    /// <see cref="GroupStepSize"/> of every group of <paramref name="groupSize"/> consecutive coordinates (group g is
    /// [g·size, (g + 1)·size), e.g. the rows of a weight matrix) into <paramref name="destination"/>, one per group.
    /// </summary>
    public void GroupStepSizes(Parameter parameter, int groupSize, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        Numerics.Preconditions.CheckPositive(groupSize);
        int groups = parameter.Length / groupSize;
        if (groups * groupSize != parameter.Length)
            throw new ArgumentException($"{parameter.Name} has {parameter.Length} values, not a whole number of groups of {groupSize}.", nameof(groupSize));
        Numerics.Preconditions.CheckLength(destination.Length, groups);
        CheckStarted();
        int slot = SlotOf(parameter);
        for (int g = 0; g < groups; g++) destination[g] = SlotGroupStepSize(slot, g * groupSize, groupSize);
    }

    private protected abstract float SlotGroupStepSize(int slot, int start, int length);

    /// <summary>Step sizes are those of the current step: there must have been a <see cref="BeginStep"/>.</summary>
    private void CheckStarted()
    {
        if (StepCount == 0) throw new InvalidOperationException("step sizes exist once a step has begun: call BeginStep (and Step) first.");
    }

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
