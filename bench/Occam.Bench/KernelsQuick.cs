using System.Diagnostics;
using System.Globalization;
using Occam.Numerics.Activations;
using Occam.Numerics.LinearAlgebra;
using Occam.Numerics.Prox;
using Occam.Numerics.Random;
using Occam.Numerics.Reductions;

namespace Occam.Bench;

/// <summary>
/// `kernels`: the element-wise kernels that run on the shared SIMD driver (<c>Simd.Map/Sum/Count</c>), each timed alone
/// through its public entry point at a few lengths, best of short windows; one JSON line each:
/// <c>{"kernel":"relu-backward","n":4096,"ns":...}</c>. Only the entry points are called, so the same file builds against
/// an older tree for an old/new A/B (run the two builds' processes alternately and keep each case's minimum).
/// Options: <c>--seconds S</c> per case (default 0.3), <c>--only SUBSTRING</c>.
/// </summary>
internal static class KernelsQuick
{
    public static int Run(string[] args)
    {
        double seconds = 0.3;
        string? only = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds") seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--only") only = args[++i];
            else
            {
                Console.Error.WriteLine($"kernels: unknown option {args[i]}");
                return 2;
            }
        }
        var rng = new Rng(11UL);
        foreach (int n in new[] { 200, 4096, 131072 })
        {
            float[] a = Floats(rng, n), b = Floats(rng, n), c = new float[n], t = new float[n];
            for (int i = 0; i < n; i++) t[i] = MathF.Abs(b[i]) * 0.5f;
            Case("relu-backward", n, () => Relu.Backward(a, b, c));
            Case("relu-dropout-backward", n, () => ReluDropout.Backward(a, b, c, 1.25f));
            Case("sigmoid-backward", n, () => Sigmoid.Backward(a, b, c));
            Case("tanh-forward", n, () => Tanh.Forward(a, c));
            Case("tanh-backward", n, () => Tanh.Backward(a, b, c));
            Case("soft-threshold", n, () => { a.CopyTo(c, 0); SoftThreshold.Apply(c, 0.3f); });
            Case("soft-threshold-per", n, () => { a.CopyTo(c, 0); SoftThreshold.Apply(c, t); });
            Case("count-zeros", n, () => CountZeros.Count(c));
            Case("keep-mask-fill", n, () => KeepMask.Fill(c, 42UL, 1, 13107, 1.25f));
            Case("relu-dropout-forward", n, () => ReluDropout.Forward(a, [], 1, c, 42UL, 0, 13107, 1.25f));
            int width = n == 200 ? 50 : 100;   // rows of a width that is not a multiple of 32: a generator per row
            float[] bias = Floats(rng, width);
            int whole = n / width * width;
            Case("relu-dropout-forward-bias", n, () => ReluDropout.Forward(a.AsSpan(0, whole), bias, width, c.AsSpan(0, whole), 42UL, 0, 13107, 1.25f));
        }
        foreach (int n in new[] { 200, 10000 })
        {
            double[] w = new double[n], x = new double[n], y = new double[n], p = new double[n], s = new double[n];
            for (int i = 0; i < n; i++)
            {
                w[i] = rng.NextDouble();
                x[i] = rng.NextNormal();
                y[i] = rng.NextInt(2);
                s[i] = (i % 13) switch { 0 => 0, 1 => 1, _ => rng.NextDouble() };
            }
            Case("weighted-axpy", n, () => WeightedAxpy.Compute(1e-3, w, x, p));
            Case("logistic-terms", n, () => LogisticTerms.Compute(x, y, p));
            Case("binary-entropy", n, () => BinaryEntropy.Compute(s));
        }
        return 0;

        void Case(string name, int n, Action run)
        {
            if (only is not null && !name.Contains(only, StringComparison.Ordinal)) return;
            double ns = Best(run, seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"kernel\":\"{name}\",\"n\":{n},\"ns\":{ns:F1}}}"));
        }
    }

    private static float[] Floats(Rng rng, int n)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)rng.NextNormal();
        return v;
    }

    /// <summary>Best time per call in ns: warm-up (JIT tiers), then ~50 µs windows, the least disturbed one kept.</summary>
    private static double Best(Action run, double seconds) =>
        Timing.BestOfWindows(run, Timing.WarmUp(run, 200, seconds / 3), 50e-6, seconds, 1) * 1e9;
}
