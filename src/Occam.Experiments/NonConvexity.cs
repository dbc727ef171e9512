using Occam.Numerics.Activations;
using Occam.Regularization;
using Occam.Reports;

namespace Occam.Experiments;

/// <summary>
/// Note 000: the loss of a network with hidden layers is non-convex, and its minima are many different combinations of
/// weights and biases. Protocol: pairs of 2-4-1 XOR nets (tanh and sigmoid hidden units) trained from seeds 2i and 2i+1 with
/// the shared XOR protocol (<see cref="XorNets.Protocol"/>). For each pair of solutions A and B (both solve XOR), in float64:
/// the loss along the segment θ(t) = (1 − t)·θ_A + t·θ_B, t ∈ [0, 1]; its convexity gap
/// max_t [L(θ(t)) − ((1 − t)·L(θ_A) + t·L(θ_B))], which is ≤ 0 on every segment of a convex function; and the distance between
/// the two solutions after removing the symmetries that make equal networks look different (permuting hidden units, and
/// the sign flip of a unit: (w, b, v) → (−w, −b, −v) for tanh, the same with c += v for sigmoid), relative to their size.
/// </summary>
public sealed class NonConvexity : Experiment
{
    private const int Width = 4, Points = 41;
    private const double GapThreshold = 1e-3, DistinctThreshold = 0.1;
    private static readonly ActivationKind[] Activations = [ActivationKind.Tanh, ActivationKind.Sigmoid];

    /// <inheritdoc/>
    public override string Name => "non-convexity";

    /// <inheritdoc/>
    public override string Title => "Non-convexity: many solutions, barriers between them";

    /// <inheritdoc/>
    public override string Note => "000";

    /// <inheritdoc/>
    public override IReadOnlyList<Claim> Claims { get; } =
    [
        new("non-convex", "000", "这是因为具有多个隐藏层的神经网络的损失函数本质上是非凸的。",
            "This is because the loss function of a neural network with hidden layers is inherently non-convex."),
        new("many-solutions", "000", "每个局部最小值代表了不同的权重和偏置组合，提供了多种潜在的解决方案。",
            "Each local minimum is a different combination of weights and biases, offering many potential solutions."),
    ];

    /// <inheritdoc/>
    public override (int Quick, int Full) DefaultSeeds => (12, 200);

    private sealed record Pair(bool Solved, double Gap, double Distance, double[] Line);

    /// <inheritdoc/>
    protected override ReportSection Execute(ExperimentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int n = context.Seeds;
        var pairs = Activations.ToDictionary(a => a, a =>
        {
            var result = new Pair[n];
            Parallel.For(0, n, new ParallelOptions { CancellationToken = context.CancellationToken }, i => result[i] = Measure(a, context.Seed(2 * i), context.Seed(2 * i + 1)));
            context.Progress?.Report($"non-convexity: {XorNets.Name(a)}: {result.Count(p => p.Solved)}/{n} pairs solved");
            return result;
        });
        var ts = Enumerable.Range(0, Points).Select(k => (double)k / (Points - 1)).ToArray();

        var rows = new List<IReadOnlyList<Cell>>();
        var nonConvex = new ClaimTest("non-convex");
        var many = new ClaimTest("many-solutions");
        var findings = new List<string>();
        foreach (var a in Activations)
        {
            var solved = pairs[a].Where(p => p.Solved).ToArray();
            string name = XorNets.Name(a);
            if (solved.Length == 0)
            {
                rows.Add([Cell.Of(name), Cell.Count(0), Cell.Of("—"), Cell.Of("—"), Cell.Of("—"), Cell.Of("—")]);
                nonConvex.Check(name, new Estimate(double.NaN, double.NaN, double.NaN), "no solved pair", Expectation.AtLeast(GapThreshold));
                many.Check(name, new Estimate(double.NaN, double.NaN, double.NaN), "no solved pair", Expectation.AtLeast(0.5));
                continue;
            }
            var barrier = Stats.Wilson(solved.Select(p => p.Gap > GapThreshold));
            var distinct = Stats.Wilson(solved.Select(p => p.Distance > DistinctThreshold));
            double largestGap = solved.Max(p => p.Gap);
            rows.Add([Cell.Of(name), Cell.Count(solved.Length), barrier.ToCell(), Stats.Mean(solved.Select(p => p.Gap).ToArray()).ToCell(),
                Cell.Number(largestGap), distinct.ToCell()]);
            nonConvex.Check(name, Estimate.Exact(largestGap), $"largest convexity gap {Numbers.Significant(largestGap, 3)}",
                Expectation.AtLeast(GapThreshold, $"> {Numbers.Significant(GapThreshold, 1)} on some segment (one violation disproves convexity)"));
            many.Check(name, distinct, Expectation.AtLeast(0.5, $"≥ 50 % of pairs of solutions differ by > {Numbers.Significant(100 * DistinctThreshold, 2)} % after aligning symmetries"));
            findings.Add($"{name}: {solved.Length} pairs of solutions; the loss rises above the chord between them (gap > {Numbers.Significant(GapThreshold, 1)}) on {barrier.ToCell().Display()} of the segments, " +
                $"by up to {Numbers.Significant(largestGap, 3)}; {distinct.ToCell().Display()} of the pairs are different solutions even after permuting and sign-flipping hidden units.");
        }

        var lineSeries = Activations.SelectMany(a => pairs[a].Where(p => p.Solved).Take(4).Select((p, k) => Series.Line($"{XorNets.Name(a)} pair {k + 1}", ts, p.Line))).ToArray();
        var scatter = Activations.Select(a =>
        {
            var solved = pairs[a].Where(p => p.Solved).ToArray();
            return Series.Points(XorNets.Name(a), solved.Select(p => p.Distance).ToArray(), solved.Select(p => p.Gap).ToArray());
        }).Where(s => s.X.Count > 0).ToArray();

        return new ReportSection
        {
            Name = Name,
            Title = Title,
            Claims = Claims,
            Protocol =
            [
                new("data and training", $"XOR, 2-{Width}-1 nets with tanh or sigmoid hidden units; {XorNets.Protocol}"),
                new("pairs", $"{n} per activation: nets from seeds 2i + base and 2i + 1 + base; a pair counts when both nets solve XOR"),
                new("loss along the segment", $"L(θ(t)), θ(t) = (1 − t)·θ_A + t·θ_B at {Points} points t ∈ [0, 1], all parameters (weights and biases), float64"),
                new("convexity gap", "max over t of L(θ(t)) − ((1 − t)·L(θ_A) + t·L(θ_B)); a convex loss has gap ≤ 0 on every segment"),
                new("distinct solutions", $"‖θ_A − π(θ_B)‖ / ((‖θ_A‖ + ‖θ_B‖)/2) minimized over the {Factorial(Width)} permutations and 2^{Width} sign flips π of the hidden units (the flips that leave the function unchanged), > {DistinctThreshold}"),
            ],
            Tables =
            [
                new Table("Convexity gap and distinct solutions per activation", ["activation", "pairs solved", $"segments with gap > {Numbers.Significant(GapThreshold, 1)}", "gap (mean ± SE)", "largest gap", "distinct after alignment"], rows),
            ],
            Figures =
            [
                new Figure { Name = "loss-along-segment", Title = "Loss on the segment between two solutions", XLabel = "t (0 = net A, 1 = net B)", YLabel = "mean logistic loss", Series = lineSeries,
                    Caption = "Both ends solve XOR; a convex loss would stay below the straight chord between them." },
                new Figure { Name = "gap-vs-distance", Title = "Convexity gap vs distance between the solutions", XLabel = "relative distance after aligning symmetries", YLabel = "convexity gap", Series = scatter,
                    Caption = "One point per pair of solutions." },
            ],
            Findings = findings,
            Verdicts = [nonConvex.Verdict(), many.Verdict()],
        };
    }

    private static Pair Measure(ActivationKind activation, ulong seedA, ulong seedB)
    {
        var a = XorNets.Train(Width, activation, Penalty.None, seedA);
        var b = XorNets.Train(Width, activation, Penalty.None, seedB);
        if (a is null || b is null) return new Pair(false, double.NaN, double.NaN, []);
        var netA = XorNets.Net.Of(a.Network, activation);
        var netB = XorNets.Net.Of(b.Network, activation);
        if (!netA.SolvesXor() || !netB.SolvesXor()) return new Pair(false, double.NaN, double.NaN, []);
        double[] ta = netA.Flatten(), tb = netB.Flatten();
        double la = netA.Loss(), lb = netB.Loss();
        var line = new double[Points];
        double gap = double.NegativeInfinity;
        for (int k = 0; k < Points; k++)
        {
            double t = (double)k / (Points - 1);
            var theta = ta.Select((x, i) => (1 - t) * x + t * tb[i]).ToArray();
            line[k] = netA.With(theta).Loss();
            gap = Math.Max(gap, line[k] - ((1 - t) * la + t * lb));
        }
        return new Pair(true, gap, AlignedDistance(netA, netB), line);
    }

    /// <summary>min over unit permutations and function-preserving sign flips of ‖θ_A − π(θ_B)‖, divided by the mean norm.</summary>
    private static double AlignedDistance(XorNets.Net a, XorNets.Net b)
    {
        double normA = Norm(a.Flatten()), normB = Norm(b.Flatten());
        double best = double.PositiveInfinity;
        foreach (var perm in Permutations(Enumerable.Range(0, a.Width).ToArray()))
            for (int flips = 0; flips < 1 << a.Width; flips++)
            {
                var w = new double[2 * a.Width];
                var bias = new double[a.Width];
                var v = new double[a.Width];
                double c = b.C;
                for (int j = 0; j < a.Width; j++)
                {
                    int src = perm[j];
                    double s = (flips >> j & 1) == 1 ? -1 : 1;
                    w[2 * j] = s * b.W[2 * src];
                    w[2 * j + 1] = s * b.W[2 * src + 1];
                    bias[j] = s * b.B[src];
                    v[j] = s * b.V[src];
                    // sigmoid(−z) = 1 − sigmoid(z): flipping a sigmoid unit moves v into the output bias.
                    if (s < 0 && b.Activation == ActivationKind.Sigmoid) c += b.V[src];
                }
                double[] aligned = [.. w, .. bias, .. v, c];
                double[] ta = a.Flatten();
                double d = 0;
                for (int i = 0; i < ta.Length; i++) d += (ta[i] - aligned[i]) * (ta[i] - aligned[i]);
                best = Math.Min(best, Math.Sqrt(d));
            }
        return best / ((normA + normB) / 2);
    }

    private static double Norm(double[] x) => Math.Sqrt(x.Sum(v => v * v));

    private static int Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1) { yield return items; yield break; }
        for (int i = 0; i < items.Length; i++)
            foreach (var rest in Permutations(items.Where((_, k) => k != i).ToArray()))
                yield return [items[i], .. rest];
    }
}
