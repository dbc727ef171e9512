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
    /// <summary>
    /// Evaluates <paramref name="model"/> on <paramref name="data"/>, whose class labels are matched to the model's by
    /// name: a test set that holds only some of a multiclass model's classes (say two of three) is evaluated as it is.
    /// </summary>
    public static ModelEvaluation Of(Mlp model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        data = Matched(model, data);
        int k = model.Outputs;
        if (model.Task == TaskKind.Regression)
        {
            // In the target's units and in double precision (the targets may be far from 0, e.g. around 1e9).
            if (k != 1)
                throw new OccamException($"the model predicts {k} regression outputs but the data has one target column; evaluate it on data with one target per output.");
            var predicted = model.PredictValues(data.X, data.Rows);
            double sse = 0;
            for (int r = 0; r < data.Rows; r++)
            {
                double d = predicted[r] - data.Y[r];
                sse += d * d;
            }
            double mse = data.Rows == 0 ? 0 : sse / data.Rows;
            return new ModelEvaluation(data.Rows, mse, null, Metrics.RSquared(sse, Metrics.TotalSumOfSquares(data.Y)), null, null);
        }
        var targets = LabelMap.Targets(model, data);
        var scores = model.PredictScores(data.X, data.Rows);
        double loss = TaskLoss.Value(model.Task, scores, targets, data.Rows, k);
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

    /// <summary>
    /// The data loss of each row (the terms whose mean is <see cref="Loss"/>): squared error in the target's units for
    /// regression, log-loss or cross-entropy for classification. Their spread gives the standard error of a held-out loss.
    /// </summary>
    internal static double[] RowLosses(Mlp model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        data = Matched(model, data);
        var losses = new double[data.Rows];
        if (model.Task == TaskKind.Regression)
        {
            var predicted = model.PredictValues(data.X, data.Rows);
            for (int r = 0; r < data.Rows; r++) losses[r] = (predicted[r] - data.Y[r]) * (predicted[r] - data.Y[r]);
            return losses;
        }
        int k = model.Outputs;
        var targets = LabelMap.Targets(model, data);
        var scores = model.PredictScores(data.X, data.Rows);
        for (int r = 0; r < data.Rows; r++)
            losses[r] = TaskLoss.Value(model.Task, scores.AsSpan(r * k, k), targets.AsSpan(r, 1), 1, k);
        return losses;
    }

    /// <summary>The data's columns in the model's order and its labels read with the model's task, checked against the model.</summary>
    private static Dataset Matched(Mlp model, Dataset data)
    {
        if (model.FeatureNames is { } names) data = data.SelectFeatures(names);
        if (model.Task != TaskKind.Regression && data.Task != TaskKind.Regression && data.Task != model.Task)
            data = new Dataset(data.X, data.Y, data.Rows, data.Features, data.FeatureNames, data.TargetName, model.Task, data.Classes);
        MlpFitter.CheckCompatible(model, data);
        return data;
    }
}
