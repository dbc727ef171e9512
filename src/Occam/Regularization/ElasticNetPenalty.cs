using System.Numerics.Tensors;
using Occam.Nn;
using Occam.Numerics.Prox;
using Occam.Numerics.Reductions;
using Occam.Optimizers;

namespace Occam.Regularization;

/// <summary>
/// Elastic-net penalty on a parameter tensor w:
/// <c>R(w) = λ₁·‖w‖₁ + (λ₂/2)·‖w‖₂²</c>, with λ₁ = <see cref="L1"/> and λ₂ = <see cref="L2"/>.
/// In scikit-learn's <c>alpha</c>/<c>l1_ratio</c> convention (<see cref="FromAlpha"/>) that is
/// <c>α·(ρ·‖w‖₁ + (1 − ρ)/2·‖w‖₂²)</c>, i.e. λ₁ = αρ and λ₂ = α(1 − ρ). Lasso is ρ = 1 and ridge ρ = 0:
/// one implementation, three names.
/// <para>
/// The L2 part is always coupled (added to the gradient as <c>λ₂·w</c>), which equals PyTorch's
/// <c>weight_decay = λ₂</c> in <c>SGD</c> and <c>Adam</c>. The L1 part follows <see cref="Mode"/>:
/// <see cref="L1Mode.Prox"/> soft-thresholds after the step (exact zeros), <see cref="L1Mode.Subgradient"/>
/// adds <c>λ₁·sign(w)</c> to the gradient.
/// </para>
/// References: Zou &amp; Hastie, "Regularization and variable selection via the elastic net", JRSS-B 2005;
/// Tibshirani, "Regression shrinkage and selection via the lasso", JRSS-B 1996.
/// </summary>
public sealed record ElasticNetPenalty
{
    /// <summary>No penalty.</summary>
    public static readonly ElasticNetPenalty None = new(0, 0);

    public ElasticNetPenalty(double l1, double l2, L1Mode mode = L1Mode.Prox)
    {
        Numerics.Preconditions.CheckNonNegative(l1);
        Numerics.Preconditions.CheckNonNegative(l2);
        L1 = l1;
        L2 = l2;
        Mode = mode;
    }

    /// <summary>λ₁: strength of <c>‖w‖₁</c>.</summary>
    public double L1 { get; }

    /// <summary>λ₂: strength of <c>½‖w‖₂²</c> (gradient λ₂·w).</summary>
    public double L2 { get; }

    public L1Mode Mode { get; }

    /// <summary>True when the penalty is zero.</summary>
    public bool IsZero => L1 == 0 && L2 == 0;

    /// <summary>Lasso: <c>λ·‖w‖₁</c>.</summary>
    public static ElasticNetPenalty Lasso(double lambda, L1Mode mode = L1Mode.Prox) => new(lambda, 0, mode);

    /// <summary>Ridge: <c>(λ/2)·‖w‖₂²</c>.</summary>
    public static ElasticNetPenalty Ridge(double lambda) => new(0, lambda);

    /// <summary>scikit-learn convention: <c>α·(ρ·‖w‖₁ + (1 − ρ)/2·‖w‖₂²)</c>.</summary>
    public static ElasticNetPenalty FromAlpha(double alpha, double l1Ratio, L1Mode mode = L1Mode.Prox)
    {
        Numerics.Preconditions.CheckNonNegative(alpha);
        Numerics.Preconditions.CheckInRange(l1Ratio, 0, 1);
        return new ElasticNetPenalty(alpha * l1Ratio, alpha * (1 - l1Ratio), mode);
    }

    /// <summary>
    /// <c>R(w) = λ₁·Σ|wᵢ| + (λ₂/2)·Σwᵢ²</c>, each sum a float32 sum in TensorPrimitives' order
    /// (<see cref="SumOfMagnitudes.Sum"/>, <see cref="SumOfSquares.Sum"/>: the same bits, compiled optimized at their first call).
    /// </summary>
    public double Value(ReadOnlySpan<float> w)
    {
        double v = 0;
        if (L1 != 0) v += L1 * SumOfMagnitudes.Sum(w);
        if (L2 != 0) v += 0.5 * L2 * SumOfSquares.Sum(w);
        return v;
    }

    /// <summary>
    /// Adds the gradient of the smooth part to <paramref name="gradient"/>: <c>g[i] += λ₂·w[i]</c>, plus
    /// <c>λ₁·sign(w[i])</c> (0 at 0) in <see cref="L1Mode.Subgradient"/> mode. In prox mode the L1 part is left to
    /// <see cref="Prox(Parameter, Optimizer, Span{float})"/> (or the prox folded into <see cref="Optimizer.Step"/>).
    /// </summary>
    public void AddGradient(ReadOnlySpan<float> w, Span<float> gradient)
    {
        Numerics.Preconditions.CheckLength(gradient.Length, w.Length);
        if (L2 != 0) TensorPrimitives.FusedMultiplyAdd(w, (float)L2, gradient, gradient); // fma(λ₂, w, g), as torch's grad.add(p, alpha=λ₂)
        if (L1 != 0 && Mode == L1Mode.Subgradient)
        {
            float l1 = (float)L1;
            for (int i = 0; i < w.Length; i++)
            {
                float wi = w[i];
                if (wi > 0f) gradient[i] += l1;
                else if (wi < 0f) gradient[i] -= l1;
            }
        }
    }

    /// <summary>The L1 strength the prox step must apply (0 in subgradient mode).</summary>
    public double ProxL1 => Mode == L1Mode.Prox ? L1 : 0;

    /// <summary>
    /// Proximal step for the L1 part after a gradient step of size <paramref name="step"/>:
    /// <c>w ← soft(w, step·λ₁)</c> (threshold rounded once to float32). Only this produces exact zeros. No-op in
    /// subgradient mode. With step = lr it equals SGD's folded prox bit for bit.
    /// </summary>
    public void Prox(Span<float> w, double step)
    {
        if (ProxL1 == 0) return;
        SoftThreshold.Apply(w, (float)(step * L1));
    }

    /// <summary>
    /// Proximal step for the L1 part after <paramref name="optimizer"/>'s step of <paramref name="parameter"/>, with its
    /// per-coordinate step sizes: <c>wᵢ ← soft(wᵢ, ηᵢ·λ₁)</c> (<see cref="Optimizer.StepSizes"/>), through
    /// <see cref="SoftThreshold"/>. No-op in subgradient mode. <c>optimizer.Step(p, wd)</c> followed by this equals
    /// the folded <c>optimizer.Step(p, wd, ProxL1)</c> bit for bit. <paramref name="scratch"/> holds the thresholds
    /// (at least <see cref="Parameter.Length"/> values).
    /// </summary>
    public void Prox(Parameter parameter, Optimizer optimizer, Span<float> scratch)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (ProxL1 == 0) return;
        var thresholds = scratch[..parameter.Length];
        optimizer.StepSizes(parameter, thresholds, L1);
        SoftThreshold.Apply(parameter.Value, thresholds);
    }

    public override string ToString() => IsZero ? "none" : $"l1={L1:g4} ({Mode.ToString().ToLowerInvariant()}), l2={L2:g4}";
}
