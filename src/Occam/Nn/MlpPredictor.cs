namespace Occam.Nn;

/// <summary>
/// A frozen copy of an <see cref="Mlp"/> for prediction, made by <see cref="Mlp.CreatePredictor"/>: what an ONNX Runtime
/// <c>InferenceSession</c> is to its model. It holds a private copy of the network (weights, biases, standardizer),
/// so writes to the source network's weights after <see cref="Mlp.CreatePredictor"/> (training, pruning, a user writing
/// <see cref="Dense.Weight"/>) do not change its predictions: make a new predictor to see them. Because no one else can
/// write its weights, it packs them once, at creation, in the order the batch kernel reads them (one sequential stream
/// per register tile instead of 8 rows read in place; see docs/algorithms/inference.md): batches run faster, with the
/// same bits as <see cref="Mlp.PredictScores(ReadOnlySpan{float}, int, Span{float})"/> on the source network at the time
/// of creation. Memory: the weights three times (the copy, the packed copy, and a copy as stored that starts on a
/// 64-byte line for the one-to-three-row path: its Vector512 loads of a weight row then do not split two lines when
/// the layer's inputs are a multiple of 16).
/// Safe to call from several threads at once, like <see cref="Mlp"/>.
/// </summary>
public sealed class MlpPredictor
{
    private readonly Mlp _network;

    /// <summary>Takes <paramref name="copy"/>, a copy of a network that no one else holds, and packs its weights.</summary>
    internal MlpPredictor(Mlp copy)
    {
        _network = copy;
        _network.PackForPrediction();
    }

    /// <summary>The private copy (for tests: its packed weights).</summary>
    internal Mlp Network => _network;

    /// <summary>Inputs per row.</summary>
    public int Inputs => _network.Inputs;

    /// <summary>Scores per row.</summary>
    public int Outputs => _network.Outputs;

    /// <summary><see cref="Mlp.PredictScores(ReadOnlySpan{double}, int)"/> of the network as it was when this predictor was made.</summary>
    public float[] PredictScores(ReadOnlySpan<double> x, int rows) => _network.PredictScores(x, rows);

    /// <summary><see cref="Mlp.PredictScores(ReadOnlySpan{double}, int, Span{float})"/> of the network as it was when this predictor was made.</summary>
    /// <exception cref="ArgumentException">The lengths of <paramref name="x"/> or <paramref name="scores"/> do not match <paramref name="rows"/>.</exception>
    /// <exception cref="OccamException">An input or an output is not finite in float32 (the message names the row).</exception>
    public void PredictScores(ReadOnlySpan<double> x, int rows, Span<float> scores) => _network.PredictScores(x, rows, scores);

    /// <summary><see cref="Mlp.PredictScores(ReadOnlySpan{float}, int, Span{float})"/> of the network as it was when this predictor was made.</summary>
    /// <exception cref="ArgumentException">The lengths of <paramref name="x"/> or <paramref name="scores"/> do not match <paramref name="rows"/>.</exception>
    /// <exception cref="OccamException">An input or an output is not finite in float32 (the message names the row).</exception>
    public void PredictScores(ReadOnlySpan<float> x, int rows, Span<float> scores) => _network.PredictScores(x, rows, scores);
}
