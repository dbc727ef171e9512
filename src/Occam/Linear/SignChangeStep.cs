namespace Occam.Linear;

/// <summary>
/// The step length of a support Newton step (<see cref="LinearOptions.SupportNewton"/>): from the weights
/// <c>w[list[a]]</c> along the Newton direction <c>d[a]</c>, the largest <c>t ≤ 1</c> such that no weight crosses zero,
/// <c>t = min(1, min over {a : (w + d)·w ≤ 0} of w / (w − (w + d)))</c>, and the index <c>block</c> of the weight that
/// reaches zero first (−1 when the full step keeps every sign). The solvers set that weight to exactly 0 and move the
/// others by <c>t·d</c>. One home for the Gaussian and the logistic solver.
/// </summary>
internal static class SignChangeStep
{
    /// <summary>Returns t and the index (into <paramref name="list"/>) of the first weight to reach zero, or −1.</summary>
    public static double Length(ReadOnlySpan<int> list, ReadOnlySpan<double> w, ReadOnlySpan<double> d, out int block)
    {
        double t = 1;
        block = -1;
        for (int a = 0; a < list.Length; a++)
        {
            double wa = w[list[a]], nw = wa + d[a];
            if (nw * wa <= 0)
            {
                double ta = wa / (wa - nw);
                if (ta < t) { t = ta; block = a; }
            }
        }
        return t;
    }
}
