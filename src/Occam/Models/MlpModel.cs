using System.Numerics.Tensors;
using Occam.Data;
using Occam.Nn;
using Occam.Numerics.Activations;
using Occam.Serialization;
using Occam.Training;

namespace Occam;

/// <summary>
/// A fitted multilayer perceptron: what <see cref="MlpClassifier"/> and <see cref="MlpRegressor"/> return, or an
/// <c>occam-mlp/1</c> file loaded with <see cref="Load"/>. Every prediction runs in inference mode (no dropout) on
/// raw inputs (the model standardizes them itself) and matches the data's columns to the model's by name.
/// </summary>
public sealed class MlpModel : IModel
{
    private IReadOnlyList<string>? _defaultNames;

    /// <summary>Wraps a network; <paramref name="training"/> is its history when it was just trained (null when loaded).</summary>
    public MlpModel(Mlp network, TrainingResult? training = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        Network = network;
        Training = training;
    }

    /// <summary>The network itself (layers, weights, standardizers): the lower-level API.</summary>
    public Mlp Network { get; }

    /// <summary>How training went (per-epoch history, best epoch, early stopping); null for a loaded model.</summary>
    public TrainingResult? Training { get; }

    /// <summary>One record per epoch of training; empty for a loaded model.</summary>
    public IReadOnlyList<EpochRecord> History => Training?.History ?? [];

    /// <inheritdoc/>
    public TaskKind Task => Network.Task;

    /// <inheritdoc/>
    public IReadOnlyList<string> FeatureNames => Network.FeatureNames ?? (_defaultNames ??= Dataset.DefaultFeatureNames(Network.Inputs));

    /// <inheritdoc/>
    public IReadOnlyList<string>? Classes => Task == TaskKind.Regression ? null : Network.Classes;

    /// <summary>Exact zeros, dead hidden units and inputs still used.</summary>
    public SparsityReport Sparsity => SparsityReport.Of(Network);

    /// <summary>Reads an <c>occam-mlp/1</c> file (<see cref="Model.Load"/> reads any model file).</summary>
    public static MlpModel Load(string path) => new(MlpJson.Load(path));

    /// <inheritdoc/>
    public void Save(string path) => MlpJson.Save(Network, path);

    /// <inheritdoc/>
    /// <remarks>A multi-output regression model gives rows × outputs values, row-major.</remarks>
    public double[] Predict(Dataset data) => Predict(Inputs(data), data.Rows);

    /// <summary><see cref="Predict(Dataset)"/> on a rows × features array whose columns are the model's, in order.</summary>
    public double[] Predict(double[,] x) => Predict(Inputs(x), x.GetLength(0));

    /// <inheritdoc/>
    public double[] PredictProba(Dataset data) => PredictProba(Inputs(data), data.Rows);

    /// <summary><see cref="PredictProba(Dataset)"/> on a rows × features array whose columns are the model's, in order.</summary>
    public double[] PredictProba(double[,] x) => PredictProba(Inputs(x), x.GetLength(0));

    /// <inheritdoc/>
    /// <remarks>Regression values are written by <c>PredictionText.Format</c>: float32's shortest form when the value is a float32, else double's.</remarks>
    public string[] PredictLabels(Dataset data) => Labels(Predict(data));

    /// <summary><see cref="PredictLabels(Dataset)"/> on a rows × features array whose columns are the model's, in order.</summary>
    public string[] PredictLabels(double[,] x) => Labels(Predict(x));

    /// <inheritdoc/>
    public double Score(Dataset data)
    {
        var e = Evaluate(data);
        return e.Accuracy ?? e.RSquared ?? double.NaN;
    }

    /// <inheritdoc/>
    public ModelEvaluation Evaluate(Dataset data) => ModelEvaluation.Of(Network, data);

    private double[] Predict(double[] x, int rows)
    {
        if (Task == TaskKind.Regression) return Network.PredictValues(x, rows);
        var scores = Network.PredictScores(x, rows);
        int k = Network.Outputs;
        var classes = new double[rows];
        for (int r = 0; r < rows; r++) classes[r] = Metrics.PredictClass(Task, scores.AsSpan(r * k, k));
        return classes;
    }

    /// <summary>Binary: <c>σ(z)</c> for class 1 and <c>1 − σ(z)</c> for class 0; multiclass: softmax of the logits (float32, widened).</summary>
    private double[] PredictProba(double[] x, int rows)
    {
        if (Task == TaskKind.Regression)
            throw OccamException.Usage("PredictProba is for classification models; this one is a regression model: use Predict.");
        var scores = Network.PredictScores(x, rows);
        int k = Network.Outputs, classes = Network.Classes!.Count;
        var proba = new double[rows * classes];
        if (Task == TaskKind.Binary)
        {
            for (int r = 0; r < rows; r++)
            {
                float p = Sigmoid.Scalar(scores[r]);
                proba[2 * r] = 1f - p;
                proba[2 * r + 1] = p;
            }
            return proba;
        }
        var row = new float[k];
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.SoftMax(scores.AsSpan(r * k, k), row);
            for (int j = 0; j < k; j++) proba[r * k + j] = row[j];
        }
        return proba;
    }

    private string[] Labels(double[] predicted)
    {
        var labels = new string[predicted.Length];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = Task == TaskKind.Regression ? PredictionText.Format(predicted[i]) : Network.Classes![(int)predicted[i]];
        return labels;
    }

    /// <summary>The data's feature matrix in the model's column order (by name when the model has names).</summary>
    private double[] Inputs(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Network.FeatureNames is { } names) data = data.SelectFeatures(names);
        if (data.Features != Network.Inputs)
            throw new OccamException($"the data has {Counted.Of(data.Features, "feature column")} but the model takes {Network.Inputs}; give the columns the model was trained on.");
        return data.X;
    }

    private double[] Inputs(double[,] x)
    {
        var flat = Dataset.Flatten(x);
        if (x.GetLength(1) != Network.Inputs)
            throw OccamException.Usage($"x has {Counted.Of(x.GetLength(1), "column")} but the model takes {Network.Inputs} ({string.Join(", ", FeatureNames.Take(8))}{(Network.Inputs > 8 ? ", ..." : "")}); give one column per input, in that order.");
        return flat;
    }
}
