using System.Runtime.CompilerServices;
using System.Numerics;
using Occam.Numerics;
using Occam.Numerics.Prox;

namespace Occam.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional (Nesterov) momentum, decoupled weight decay and an L1 prox step;
/// the same rule as <c>torch.optim.SGD</c> (1.13) when weight decay and prox are off:
/// <code>
/// input: lr γ, momentum μ, dampening τ, nesterov, decoupled decay λ_wd, prox L1 λ₁
/// for t = 1, 2, …:
///     θ ← (1 − γ·λ_wd)·θ                      (decoupled weight decay, if λ_wd ≠ 0)
///     g ← ∇θ                                   (coupled L2 / L1-subgradient already added)
///     if μ ≠ 0:
///         b ← g                    if t = 1
///         b ← μ·b + (1 − τ)·g      otherwise
///         g ← g + μ·b              if nesterov, else g ← b
///     θ ← θ − γ·g
///     θ ← soft(θ, γ·λ₁)                        (L1 prox, if λ₁ ≠ 0)
/// </code>
/// Rounding follows PyTorch's CPU kernels (<c>x.add_(y, alpha=a)</c> is one fused multiply-add), so with
/// prox and decay off the trajectory equals torch's bit for bit (tests/golden/torch_optimizers.json).
/// The momentum buffer b is flushed to ±0 when <c>0 &lt; |b| &lt; 2⁻¹²⁶</c> (<see cref="Subnormals"/>; with g = 0 it
/// would decay to a subnormal and stay there, ≈ 12× slower per element on Intel): b changes by less than 2⁻¹²⁶ and
/// the step γ·g by less than 2γ·max(1, μ)·2⁻¹²⁶, so θ is unchanged whenever |θ| ≥ γ·max(1, μ)·2⁻⁹⁹ (docs/algorithms/sgd.md).
/// Defaults: momentum 0 (plain SGD), dampening 0. Reference: PyTorch SGD documentation; Sutskever et al. 2013
/// (Nesterov form as in PyTorch); proximal gradient: Parikh &amp; Boyd 2014.
/// </summary>
public sealed class Sgd : Optimizer
{
    private float[][] _buffers = [];

    public Sgd(double learningRate, double momentum = 0, double dampening = 0, bool nesterov = false) : base(learningRate)
    {
        Numerics.Preconditions.CheckNonNegative(momentum);
        Numerics.Preconditions.CheckInRange(dampening, 0, 1);
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires momentum > 0 and dampening = 0.", nameof(nesterov));
        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
    }

    public double Momentum { get; }
    public double Dampening { get; }
    public bool Nesterov { get; }

    public override string Name => Nesterov ? "nesterov" : Momentum > 0 ? "momentum" : "sgd";

    private protected override void AllocateState(IReadOnlyList<int> sizes) =>
        _buffers = Momentum > 0 ? sizes.Select(n => new float[n]).ToArray() : sizes.Select(_ => Array.Empty<float>()).ToArray();

    private protected override void StepSlot(int slot, int start, Span<float> value, ReadOnlySpan<float> gradient, double weightDecay, double proxL1, float l2)
    {
        // SGD does not fold the coupled L2 into its loop: the trainer adds it to the gradient itself (see Trainer.Step).
        System.Diagnostics.Debug.Assert(l2 == 0f);
        var buffer = _buffers[slot];
        Update(value, gradient, buffer.Length == 0 ? buffer : buffer.AsSpan(start, value.Length), StepCount == 1, LearningRate, Momentum, Dampening, Nesterov, weightDecay, proxL1);
    }

    /// <summary>SGD takes the coupled L2 through the gradient (one pass of its own), not folded into the update.</summary>
    internal override bool FoldsCoupledL2 => false;

    /// <summary>Every coordinate's step is lr.</summary>
    private protected override void ScaledStepSizes(int slot, Span<float> destination, float lrScale) => destination.Fill(lrScale);

    private protected override float SlotGroupStepSize(int slot, int start, int length) => (float)LearningRate;

    /// <summary>The update rule above, in place over spans (vectorized; equal to <see cref="UpdateScalar"/> bit for bit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]   // never tier 0: the precompiled code of a Vector<float> loop is rejected at run time
    public static void Update(Span<float> param, ReadOnlySpan<float> grad, Span<float> buffer, bool firstStep,
        double lr, double momentum, double dampening, bool nesterov, double weightDecay, double proxL1)
    {
        System.Diagnostics.Debug.Assert(grad.Length >= param.Length);
        System.Diagnostics.Debug.Assert(momentum == 0 || buffer.Length >= param.Length);
        int n = param.Length, i = 0;
        // Hyper-parameters are doubles, combined in double and rounded once to float, as PyTorch does.
        float decay = (float)(1.0 - lr * weightDecay);
        float threshold = (float)(lr * proxL1);
        float keep = (float)(1.0 - dampening);
        float negLr = (float)-lr;
        float mu = (float)momentum;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var vDecay = new Vector<float>(decay);
            var vMomentum = new Vector<float>(mu);
            var vKeep = new Vector<float>(keep);
            var vNegLr = new Vector<float>(negLr);
            var vThreshold = new Vector<float>(threshold);
            var vFlush = new Vector<int>(Subnormals.MinNormalBits);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var p = new Vector<float>(param[i..]);
                var g = new Vector<float>(grad[i..]);
                if (weightDecay != 0) p *= vDecay;
                if (mu != 0f)
                {
                    var b = Subnormals.Flush(firstStep ? g : Vector.FusedMultiplyAdd(vKeep, g, new Vector<float>(buffer[i..]) * vMomentum), vFlush);
                    b.CopyTo(buffer[i..]);
                    g = nesterov ? Vector.FusedMultiplyAdd(vMomentum, b, g) : b;
                }
                p = Vector.FusedMultiplyAdd(vNegLr, g, p);
                if (threshold != 0f) p = SoftThreshold.Apply(p, vThreshold);
                p.CopyTo(param[i..]);
            }
        }
        UpdateScalar(param[i..], grad[i..], mu != 0f ? buffer[i..] : default, firstStep, lr, momentum, dampening, nesterov, weightDecay, proxL1);
    }

    /// <summary>Scalar reference of <see cref="Update"/>.</summary>
    public static void UpdateScalar(Span<float> param, ReadOnlySpan<float> grad, Span<float> buffer, bool firstStep,
        double lr, double momentum, double dampening, bool nesterov, double weightDecay, double proxL1)
    {
        float decay = (float)(1.0 - lr * weightDecay);
        float threshold = (float)(lr * proxL1);
        float keep = (float)(1.0 - dampening);
        float negLr = (float)-lr;
        float mu = (float)momentum;
        for (int i = 0; i < param.Length; i++)
        {
            float p = param[i], g = grad[i];
            if (weightDecay != 0) p *= decay;
            if (mu != 0f)
            {
                float b = Subnormals.Flush(firstStep ? g : MathF.FusedMultiplyAdd(keep, g, buffer[i] * mu), Subnormals.MinNormalBits);
                buffer[i] = b;
                g = nesterov ? MathF.FusedMultiplyAdd(mu, b, g) : b;
            }
            p = MathF.FusedMultiplyAdd(negLr, g, p);
            if (threshold != 0f) p = SoftThreshold.Scalar(p, threshold);
            param[i] = p;
        }
    }
}
