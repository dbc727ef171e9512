using Occam.Data;
using Occam.Losses;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;

namespace Occam.Tests.Nn;

/// <summary>
/// The whole MLP backward pass against central finite differences of <see cref="TaskLoss.Value"/>: every weight,
/// bias and input of a 3 → 5 → 4 → K network, for every activation and every task, with and without dropout (the
/// mask is fixed by re-seeding the generator identically for each forward pass).
/// </summary>
/// <remarks>
/// Error budget (float32 forward pass, h = 1e-2). Each loss evaluation carries the rounding of the float scores,
/// ≈ 1e-6 absolute for these O(1) losses; the central difference divides the difference of two such errors by 2h,
/// ≈ 1e-4 at worst: that is the absolute term. Measured: on identity/MSE nets, where the loss is exactly quadratic
/// in each weight so the central difference has no truncation error at all, D(h) and D(2h) still differ by 7e-5.
/// The truncation error h²/6·|∂³L| adds ≈ 3e-4 relative on the largest components (measured 1.6e-4 at |g| = 0.55).
/// Hence |analytic − fd| ≤ 1e-3·|fd| + 2e-4 per coordinate, and ‖analytic − fd‖ ≤ 1e-3·‖fd‖ over all of them; a
/// wrong transpose, a missing factor or a wrong derivative gives errors of order |g| (up to ~1) and fails.
/// ReLU nets are checked away from kinks: the seed is chosen so that every ReLU pre-activation is ≥ 0.05 from 0,
/// and every perturbed forward pass must keep the same active set (asserted).
/// </remarks>
public class BackpropGradientTests
{
    private const int Inputs = 3, Rows = 6;
    private const double Step = 1e-2;
    private const ulong MaskSeed = 4242UL;

    public static TheoryData<ActivationKind, TaskKind, int, double> Cases()
    {
        var data = new TheoryData<ActivationKind, TaskKind, int, double>();
        foreach (var activation in new[] { ActivationKind.Identity, ActivationKind.Relu, ActivationKind.Tanh, ActivationKind.Sigmoid })
            foreach (var (task, outputs) in new[] { (TaskKind.Regression, 1), (TaskKind.Regression, 2), (TaskKind.Binary, 1), (TaskKind.Multiclass, 3) })
                foreach (double dropout in new[] { 0.0, 0.3 })
                    data.Add(activation, task, outputs, dropout);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientsMatchFiniteDifferences(ActivationKind activation, TaskKind task, int outputs, double dropout)
    {
        ulong seed = 1500UL + (ulong)activation * 100 + (ulong)task * 10 + (ulong)outputs + (dropout > 0 ? 7UL : 0UL);
        var (model, x, targets) = Build(seed, activation, task, outputs, dropout);
        if (activation == ActivationKind.Relu)
        {
            // Away from kinks: take the first seed whose ReLU pre-activations are all ≥ 0.05 away from 0
            // (a step of h = 1e-2 in one weight moves a pre-activation by ~|x|·h ≈ 0.01–0.03).
            int attempt = 0;
            while (ReluMargin(model, x) < 0.05)
            {
                Assert.True(++attempt < 500, "no seed keeps the ReLU pre-activations away from 0");
                (model, x, targets) = Build(seed + 1000UL * (ulong)attempt, activation, task, outputs, dropout);
            }
        }

        // Analytic gradients. (Workspaces with a buffer per layer: ActivePattern reads the dense outputs after the pass,
        // which a shared layout overwrites with the block's output; WorkspaceSharingTests checks the two layouts agree.)
        var ws = new Workspace(model, Rows, shareBlockBuffers: false);
        var scores = Backprop.Forward(model, ws, x, Rows, ForwardMode.Training, new Rng(MaskSeed));
        TaskLoss.Compute(task, scores, targets, Rows, outputs, Backprop.OutputGradient(model, ws, Rows));
        Backprop.Backward(model, ws, x, Rows, inputGradient: true);
        if (dropout > 0) Assert.Contains(ws.Masks.First(m => m.Length > 0), m => m == 0f); // the mask really drops something

        var active = activation == ActivationKind.Relu ? ActivePattern(model, ws) : null;
        var probe = new Workspace(model, Rows, shareBlockBuffers: false);
        double Loss()
        {
            var s = Backprop.Forward(model, probe, x, Rows, ForwardMode.Training, new Rng(MaskSeed));
            if (active is not null)
                Assert.True(active.SequenceEqual(ActivePattern(model, probe)), "a finite-difference step crossed a ReLU kink; pick another seed");
            return TaskLoss.Value(task, s, targets, Rows, outputs);
        }

        var analytic = new List<double>();
        var numeric = new List<double>();
        void Check(string what, float[] parameters, ReadOnlySpan<float> gradient)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                double fd = TestVectors.CentralDifference(parameters, i, Step, Loss);
                double g = gradient[i];
                Assert.True(Math.Abs(g - fd) <= 1e-3 * Math.Abs(fd) + 2e-4, $"{what}[{i}]: backprop {g:R}, finite difference {fd:R}");
                analytic.Add(g);
                numeric.Add(fd);
            }
        }

        for (int k = 0; k < model.DenseLayers.Count; k++)
        {
            Check($"dW{k}", model.DenseLayers[k].Weight, model.WeightOf(k).Gradient);
            Check($"db{k}", model.DenseLayers[k].Bias, model.BiasOf(k).Gradient);
        }
        Check("dX", x, Backprop.InputGradient(model, ws, Rows).ToArray());

        double diff = Math.Sqrt(analytic.Zip(numeric, (a, b) => (a - b) * (a - b)).Sum());
        double norm = Math.Sqrt(numeric.Sum(b => b * b));
        Assert.True(norm > 1e-2, $"gradient too small to test anything ({norm})");
        Assert.True(diff <= 1e-3 * norm, $"‖backprop − fd‖ = {diff:E3}, ‖fd‖ = {norm:E3}");
    }

    [Fact]
    public void BackwardOverwritesRatherThanAccumulates()
    {
        var rng = new Rng(1600UL);
        var model = Mlp.Create(new MlpSpec(Inputs, [4], 2, TaskKind.Multiclass, ActivationKind.Tanh), rng);
        var x = TestVectors.Normal(rng, Rows * Inputs);
        var targets = Targets(rng, TaskKind.Multiclass, 2);
        var ws = new Workspace(model, Rows);
        float[][] Run()
        {
            var s = Backprop.Forward(model, ws, x, Rows, ForwardMode.Inference, null);
            TaskLoss.Compute(TaskKind.Multiclass, s, targets, Rows, 2, Backprop.OutputGradient(model, ws, Rows));
            Backprop.Backward(model, ws, x, Rows);
            return model.Parameters().Select(p => (float[])p.Gradient.Clone()).ToArray();
        }
        var first = Run();
        var second = Run();
        for (int i = 0; i < first.Length; i++) TestVectors.AssertBitwise(first[i], second[i], $"gradient buffer {i}");
    }

    private static (Mlp Model, float[] X, float[] Targets) Build(ulong seed, ActivationKind activation, TaskKind task, int outputs, double dropout)
    {
        var rng = new Rng(seed);
        var model = Mlp.Create(new MlpSpec(Inputs, [5, 4], outputs, task, activation, dropout), rng);
        foreach (var d in model.DenseLayers)
            for (int j = 0; j < d.Bias.Length; j++) d.Bias[j] = (float)(0.3 * rng.NextNormal());
        var x = TestVectors.Normal(rng, Rows * Inputs);
        return (model, x, Targets(rng, task, outputs));
    }

    /// <summary>
    /// Smallest |pre-activation| feeding a ReLU over the batch, in the training-mode pass the gradients are taken at
    /// (the same masks: dropout after the first hidden layer changes the second one's pre-activations).
    /// </summary>
    private static double ReluMargin(Mlp model, float[] x)
    {
        var ws = new Workspace(model, Rows, shareBlockBuffers: false);
        Backprop.Forward(model, ws, x, Rows, ForwardMode.Training, new Rng(MaskSeed));
        double margin = double.PositiveInfinity;
        for (int i = 0; i + 1 < model.Layers.Count; i++)
            if (model.Layers[i] is Dense d && model.Layers[i + 1] is ActivationLayer { Kind: ActivationKind.Relu })
                for (int j = 0; j < Rows * d.Outputs; j++) margin = Math.Min(margin, Math.Abs(ws.Outputs[i][j]));
        return margin;
    }

    private static float[] Targets(Rng rng, TaskKind task, int outputs) => task switch
    {
        TaskKind.Regression => TestVectors.Normal(rng, Rows * outputs),
        TaskKind.Binary => Enumerable.Range(0, Rows).Select(i => (float)(i % 2)).ToArray(),
        _ => Enumerable.Range(0, Rows).Select(i => (float)(i % outputs)).ToArray(),
    };

    /// <summary>
    /// Which ReLU inputs (the dense outputs before a ReLU) are positive, layer by layer: the active set. (The ReLU's own
    /// output buffer is not written when a ReLU and dropout run fused in training mode.)
    /// </summary>
    private static bool[] ActivePattern(Mlp model, Workspace ws)
    {
        var pattern = new List<bool>();
        for (int i = 0; i + 1 < model.Layers.Count; i++)
            if (model.Layers[i] is Dense && model.Layers[i + 1] is ActivationLayer { Kind: ActivationKind.Relu })
                pattern.AddRange(ws.Outputs[i].Select(v => v > 0f));
        return pattern.ToArray();
    }
}
