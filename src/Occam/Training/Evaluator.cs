using Occam.Data;
using Occam.Losses;
using Occam.Nn;

namespace Occam.Training;

/// <summary>Loss and accuracy / R² of a model on prepared data, in inference mode, in chunks (no allocation per call).</summary>
internal sealed class Evaluator
{
    private readonly Mlp _model;
    private readonly Workspace _workspace;

    public Evaluator(Mlp model, int chunkRows)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _workspace = new Workspace(model, Math.Max(1, chunkRows));
    }

    /// <summary>Mean data loss and metric (accuracy or R²) of the model on <paramref name="data"/>.</summary>
    public (double Loss, double Metric) Evaluate(TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int chunk = _workspace.MaxRows, outputs = _model.Outputs, w = data.TargetWidth;
        double lossSum = 0, correct = 0;
        for (int first = 0; first < data.Rows; first += chunk)
        {
            int rows = Math.Min(chunk, data.Rows - first);
            var x = data.X.AsSpan(first * data.Inputs, rows * data.Inputs);
            var y = data.Y.AsSpan(first * w, rows * w);
            var scores = Backprop.Forward(_model, _workspace, x, rows, ForwardMode.Inference, null);
            lossSum += TaskLoss.Value(_model.Task, scores, y, rows, outputs) * rows;
            if (_model.Task != TaskKind.Regression) correct += Metrics.CountCorrect(_model.Task, scores, y, rows, outputs);
        }
        double loss = data.Rows == 0 ? 0 : lossSum / data.Rows;
        double metric = _model.Task == TaskKind.Regression
            ? Metrics.RSquared(loss * data.Rows * w, Metrics.TotalSumOfSquares(data.Y))
            : data.Rows == 0 ? 0 : correct / data.Rows;
        return (loss, metric);
    }
}
