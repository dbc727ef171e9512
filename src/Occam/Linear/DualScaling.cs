using System.Diagnostics;

namespace Occam.Linear;

/// <summary>
/// The duality gap of a penalized likelihood by dual scaling, shared by the logistic solvers: the dual point is the
/// residual scaled by κ. With an L2 part (l2 &gt; 0) κ = 1 is feasible; with an L1 part (l1 &gt; 0) κ = min(1, l1/maxRatio),
/// where maxRatio = maxⱼ ‖cⱼ‖_*/vⱼ is the largest penalty-weighted dual norm of the gradient, is feasible too; the smaller
/// gap primal − D(κ) of the feasible choices is returned (never negative).
/// </summary>
internal static class DualScaling
{
    /// <summary><c>max(0, min over feasible κ of primal − dualValue(κ))</c>.</summary>
    public static double Gap(double primal, double maxRatio, double l1, double l2, Func<double, double> dualValue)
    {
        double best = double.PositiveInfinity;
        if (l2 > 0) best = primal - dualValue(1);
        if (l1 > 0) best = Math.Min(best, primal - dualValue(maxRatio > l1 ? l1 / maxRatio : 1));
        Debug.Assert(!double.IsNaN(best));
        return Math.Max(best, 0);
    }
}
