using Occam.Data;
using Occam.Losses;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Numerics.Random;

namespace Occam.Tests.Nn;

/// <summary>
/// A training workspace shares a hidden block's dropout buffers with its dense layer's (<see cref="Workspace.SharesWithBlockStart"/>):
/// the passes must give the same bits as with a buffer per layer — scores, every parameter gradient and the input
/// gradient, in training mode (fused ReLU·dropout with the bias in the fused pass or in the product, an unfused
/// activation with dropout, dropout 0) and in inference mode, over two steps on the same workspaces.
/// </summary>
public class WorkspaceSharingTests
{
    public static TheoryData<ActivationKind, double, int> Cases() => new()
    {
        { ActivationKind.Relu, 0.2, 64 },   // fused, bias added in the fused pass (width a multiple of 32)
        { ActivationKind.Relu, 0.2, 20 },   // fused, bias in the product
        { ActivationKind.Relu, 0.0, 64 },   // dropout 0: copied
        { ActivationKind.Tanh, 0.3, 40 },   // unfused: activation, then dropout's mask
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SharedBuffersGiveTheSameBits(ActivationKind activation, double dropout, int width)
    {
        const int inputs = 24, rows = 37, outputs = 3;
        var rng = new Rng(2600UL + (ulong)width);
        var spec = new MlpSpec(inputs, [width, width / 2 + 3], outputs, TaskKind.Multiclass, activation, dropout);
        var model = Mlp.Create(spec, rng);
        if (dropout == 0) model = model.WithDropoutLayers();   // Dropout(0) after each hidden activation
        foreach (var d in model.DenseLayers)
            for (int j = 0; j < d.Bias.Length; j++) d.Bias[j] = (float)(0.3 * rng.NextNormal());
        var x = TestVectors.Normal(rng, rows * inputs);
        var targets = Enumerable.Range(0, rows).Select(i => (float)(i % outputs)).ToArray();

        var shared = new Workspace(model, rows);
        var separate = new Workspace(model, rows, shareBlockBuffers: false);
        int sharedBlocks = Enumerable.Range(0, model.Layers.Count).Count(i => Workspace.SharesWithBlockStart(model.Layers, i));
        Assert.Equal(2, sharedBlocks);   // both hidden blocks (each followed by a dense layer)
        Assert.Same(shared.Outputs[2], shared.Outputs[0]);
        Assert.Same(shared.OutputGradients[5], shared.OutputGradients[3]);
        Assert.NotSame(separate.Outputs[2], separate.Outputs[0]);

        for (int step = 0; step < 2; step++)
        {
            var (scoresA, gradsA, inputA) = Pass(model, shared, x, targets, rows, outputs, 77UL + (ulong)step);
            var (scoresB, gradsB, inputB) = Pass(model, separate, x, targets, rows, outputs, 77UL + (ulong)step);
            TestVectors.AssertBitwise(scoresB, scoresA, $"scores, step {step}");
            for (int i = 0; i < gradsA.Length; i++) TestVectors.AssertBitwise(gradsB[i], gradsA[i], $"gradient {i}, step {step}");
            TestVectors.AssertBitwise(inputB, inputA, $"input gradient, step {step}");
            var inferenceA = Backprop.Forward(model, shared, x, rows, ForwardMode.Inference, null).ToArray();
            var inferenceB = Backprop.Forward(model, separate, x, rows, ForwardMode.Inference, null).ToArray();
            TestVectors.AssertBitwise(inferenceB, inferenceA, $"inference scores, step {step}");
        }
    }

    private static (float[] Scores, float[][] Gradients, float[] InputGradient) Pass(Mlp model, Workspace ws, float[] x, float[] targets, int rows, int outputs, ulong seed)
    {
        var scores = Backprop.Forward(model, ws, x, rows, ForwardMode.Training, new Rng(seed)).ToArray();
        TaskLoss.Compute(TaskKind.Multiclass, scores, targets, rows, outputs, Backprop.OutputGradient(model, ws, rows));
        Backprop.Backward(model, ws, x, rows, inputGradient: true);
        return (scores, model.Parameters().Select(p => (float[])p.Gradient.Clone()).ToArray(), Backprop.InputGradient(model, ws, rows).ToArray());
    }
}
