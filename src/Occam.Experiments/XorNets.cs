using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Optimizers;
using Occam.Regularization;

namespace Occam.Experiments;

/// <summary>
/// The XOR problem shared by the note-000/004 experiments: the four points (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0, and a
/// float64 view of a trained 2-h-1 binary net (logit = v·act(W·x + b) + c) for measurements that are about mathematics
/// rather than the float32 engine (loss along lines, unit contributions, ablations).
/// </summary>
internal static class XorNets
{
    /// <summary>The four XOR inputs, row-major.</summary>
    public static readonly double[,] Inputs = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };

    /// <summary>The XOR labels.</summary>
    public static readonly int[] Labels = [0, 1, 1, 0];

    /// <summary>The four points as a binary dataset (class "1" is the positive class).</summary>
    public static Dataset Data() => Dataset.ForClassification(Inputs, Labels);

    /// <summary>Learning rate of the shared protocol's full-batch gradient descent.</summary>
    public const double LearningRate = 0.5;

    /// <summary>Gradient steps of the shared protocol (= epochs, full batch).</summary>
    public const int Steps = 2000;

    /// <summary>The protocol in words, for the experiments' protocol tables.</summary>
    public const string Protocol = "full-batch gradient descent (SGD, lr 0.5, no momentum), 2000 steps, mean logistic loss, raw 0/1 inputs, " +
        "Occam's initialization (He-uniform before relu, Glorot-uniform otherwise, biases 0) from the seed, float32 engine";

    /// <summary>
    /// Trains a 2-<paramref name="width"/>-1 binary net on the four points with the shared protocol (<see cref="Protocol"/>);
    /// returns the model, or null when training diverged (a non-finite loss).
    /// </summary>
    public static MlpModel? Train(int width, ActivationKind activation, Penalty penalty, ulong seed)
    {
        var estimator = new MlpClassifier
        {
            Hidden = [width],
            Activation = activation,
            Penalty = penalty,
            Optimizer = Optim.Sgd(lr: LearningRate),
            Epochs = Steps,
            BatchSize = 0,
            Shuffle = false,
            Standardize = false,
            Seed = seed,
        };
        try
        {
            return estimator.Fit(Data());
        }
        catch (OccamException)
        {
            return null;
        }
    }

    /// <summary>A 2-h-1 net's parameters in float64: W (h×2, row-major), b (h), v (h), c.</summary>
    public sealed record Net(ActivationKind Activation, double[] W, double[] B, double[] V, double C)
    {
        public int Width => B.Length;

        /// <summary>Reads the two dense layers of a trained (unstandardized) 2-h-1 binary <see cref="Mlp"/>.</summary>
        public static Net Of(Mlp mlp, ActivationKind activation)
        {
            ArgumentNullException.ThrowIfNull(mlp);
            if (mlp.Standardizer is not null) throw new ArgumentException("the XOR nets are trained on the raw 0/1 inputs (Standardize = false).", nameof(mlp));
            var (hidden, output) = (mlp.DenseLayers[0], mlp.DenseLayers[1]);
            return new Net(activation, hidden.Weight.Select(w => (double)w).ToArray(), hidden.Bias.Select(w => (double)w).ToArray(),
                output.Weight.Select(w => (double)w).ToArray(), output.Bias[0]);
        }

        /// <summary>Hidden activation of unit j at point p.</summary>
        public double Hidden(int j, int p) =>
            Activate(Activation, W[2 * j] * Inputs[p, 0] + W[2 * j + 1] * Inputs[p, 1] + B[j]);

        /// <summary>The logit at point p, using only the units with <paramref name="keep"/>[j] (all when null).</summary>
        public double Logit(int p, bool[]? keep = null)
        {
            double z = C;
            for (int j = 0; j < Width; j++)
                if (keep is null || keep[j]) z += V[j] * Hidden(j, p);
            return z;
        }

        /// <summary>All four points on the right side: logit &gt; 0 exactly for label 1 (p &gt; 0.5).</summary>
        public bool SolvesXor(bool[]? keep = null)
        {
            for (int p = 0; p < 4; p++)
                if (Logit(p, keep) > 0 != (Labels[p] == 1)) return false;
            return true;
        }

        /// <summary>Mean logistic loss over the four points: (1/4)·Σ log(1 + e^(−s·z)), s = ±1.</summary>
        public double Loss()
        {
            double sum = 0;
            for (int p = 0; p < 4; p++)
            {
                double m = (Labels[p] == 1 ? 1 : -1) * Logit(p);
                sum += m > 0 ? double.LogP1(Math.Exp(-m)) : -m + double.LogP1(Math.Exp(m));
            }
            return sum / 4;
        }

        /// <summary>
        /// What unit j contributes to the logit: |v_j| times the range of its activation over the four points
        /// (a unit whose activation is constant only shifts the bias). Invariant under ReLU rescaling, unlike |v_j|.
        /// </summary>
        public double Contribution(int j)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int p = 0; p < 4; p++) { double h = Hidden(j, p); lo = Math.Min(lo, h); hi = Math.Max(hi, h); }
            return Math.Abs(V[j]) * (hi - lo);
        }

        /// <summary>
        /// Units that can go: remove units in order of increasing <see cref="Contribution"/> (folding nothing into the
        /// bias) as long as the rest still solve XOR; returns how many were removed.
        /// </summary>
        public int RedundantUnits()
        {
            var order = Enumerable.Range(0, Width).OrderBy(Contribution).ThenBy(j => j).ToArray();
            var keep = Enumerable.Repeat(true, Width).ToArray();
            int removed = 0;
            foreach (int j in order)
            {
                keep[j] = false;
                if (!SolvesXor(keep)) { keep[j] = true; break; }
                removed++;
            }
            return removed;
        }

        /// <summary>Parameters as one vector (W, b, v, c).</summary>
        public double[] Flatten() => [.. W, .. B, .. V, C];

        /// <summary>The net with parameters <paramref name="theta"/> laid out as <see cref="Flatten"/>.</summary>
        public Net With(double[] theta)
        {
            int h = Width;
            return this with { W = theta[..(2 * h)], B = theta[(2 * h)..(3 * h)], V = theta[(3 * h)..(4 * h)], C = theta[4 * h] };
        }
    }

    /// <summary>The activation in float64.</summary>
    public static double Activate(ActivationKind kind, double z) => kind switch
    {
        ActivationKind.Relu => Math.Max(z, 0),
        ActivationKind.Tanh => Math.Tanh(z),
        ActivationKind.Sigmoid => 1 / (1 + Math.Exp(-z)),
        ActivationKind.Identity => z,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Lower-case activation name as the report prints it.</summary>
    public static string Name(ActivationKind kind) => kind.ToString().ToLowerInvariant();
}
