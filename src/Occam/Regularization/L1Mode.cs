namespace Occam.Regularization;

/// <summary>How the L1 part of a penalty enters an update.</summary>
public enum L1Mode
{
    /// <summary>
    /// Proximal (default): after the optimizer's gradient step, soft-threshold with threshold
    /// <c>step·λ₁</c> (per-coordinate step for adaptive optimizers). Produces exact zeros.
    /// </summary>
    Prox,
    /// <summary>
    /// Subgradient: add <c>λ₁·sign(w)</c> (0 at w = 0) to the gradient, as PyTorch users do by hand. Weights
    /// oscillate around zero and almost never reach it exactly.
    /// </summary>
    Subgradient,
}
