using Occam.Data;
using Occam.Losses;
using Occam.Nn;

namespace Occam.Training;

/// <summary>How a model does on a labelled dataset (inference mode).</summary>
/// <param name="Rows">Rows evaluated.</param>
/// <param name="Loss">Mean data loss (MSE, log-loss or cross-entropy).</param>
/// <param name="Accuracy">Fraction of correct classes (classification), else null.</param>
/// <param name="RSquared">R² (regression), else null.</param>
/// <param name="Confusion">Counts [true class][predicted class] (classification), else null.</param>
/// <param name="Classes">Class labels in index order (classification), else null.</param>
public sealed record ModelEvaluation(int Rows, double Loss, double? Accuracy, double? RSquared, int[][]? Confusion, IReadOnlyList<string>? Classes)
{
    /// <summary>Evaluates <paramref name="model"/> on <paramref name="data"/>, whose class labels are matched to the model's by name.</summary>
    public static ModelEvaluation Of(Mlp model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (model.FeatureNames is { } names) data = data.SelectFeatures(names);
        MlpFitter.CheckCompatible(model, data);
        var targets = LabelMap.ToModelIndices(model, data);
        var scores = model.PredictScores(data.X, data.Rows);
        int k = model.Outputs;
        double loss = TaskLoss.Value(model.Task, scores, targets, data.Rows, k);
        if (model.Task == TaskKind.Regression)
        {
            double r2 = Metrics.RSquared(loss * data.Rows * k, Metrics.TotalSumOfSquares(targets));
            return new ModelEvaluation(data.Rows, loss, null, r2, null, null);
        }
        int classes = model.Task == TaskKind.Binary ? 2 : k;
        var confusion = new int[classes][];
        for (int i = 0; i < classes; i++) confusion[i] = new int[classes];
        int correct = 0;
        for (int r = 0; r < data.Rows; r++)
        {
            int predicted = Metrics.PredictClass(model.Task, scores.AsSpan(r * k, k));
            int truth = (int)targets[r];
            confusion[truth][predicted]++;
            if (predicted == truth) correct++;
        }
        return new ModelEvaluation(data.Rows, loss, (double)correct / Math.Max(1, data.Rows), null, confusion, model.Classes);
    }
}

/// <summary>Maps a dataset's class indices onto a model's classes (by text, then by numeric value, as <c>CsvLoader.LoadForModel</c>).</summary>
public static class LabelMap
{
    /// <summary>Targets as the model indexes them (float32, one per row).</summary>
    public static float[] ToModelIndices(Mlp model, Dataset data)
    {
        var y = new float[data.Rows];
        if (model.Task == TaskKind.Regression || data.Classes is null || model.Classes is null)
        {
            for (int i = 0; i < y.Length; i++) y[i] = (float)data.Y[i];
            return y;
        }
        var matcher = new ClassMatcher(model.Classes);
        var map = new int[data.Classes.Length];
        for (int c = 0; c < data.Classes.Length; c++)
        {
            map[c] = matcher.IndexOf(data.Classes[c]);
            if (map[c] < 0)
                throw new OccamException($"the data has class '{data.Classes[c]}' which the model does not know (its classes: {string.Join(", ", model.Classes)}).");
        }
        for (int i = 0; i < y.Length; i++) y[i] = map[(int)data.Y[i]];
        return y;
    }
}
