using Occam.Data;
using Occam.Nn;

namespace Occam.Training;

/// <summary>
/// Training rows as the engine consumes them: float32 inputs already prepared for the model (standardized when
/// the model has a standardizer), <c>[Rows][Inputs]</c>, and targets <c>[Rows][TargetWidth]</c> — regression
/// values, 0/1 for binary, or the class index for multiclass (width 1 for classification).
/// </summary>
internal sealed class TrainingData
{
    public TrainingData(float[] x, float[] y, int rows, int inputs, int targetWidth)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != rows * inputs) throw new ArgumentException($"x has {x.Length} values for {rows}×{inputs}.", nameof(x));
        if (y.Length != rows * targetWidth) throw new ArgumentException($"y has {y.Length} values for {rows}×{targetWidth}.", nameof(y));
        X = x;
        Y = y;
        Rows = rows;
        Inputs = inputs;
        TargetWidth = targetWidth;
    }

    public float[] X { get; }
    public float[] Y { get; }
    public int Rows { get; }
    public int Inputs { get; }
    public int TargetWidth { get; }

    /// <summary>Prepares <paramref name="data"/> for <paramref name="model"/> (standardizes inputs, and regression targets when the model has a target standardizer; converts to float32).</summary>
    public static TrainingData From(Mlp model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Features != model.Inputs)
            throw new OccamException($"the data has {data.Features} feature columns but the model expects {model.Inputs}; use data with the model's columns.");
        var x = new float[data.Rows * data.Features];
        model.PrepareInputs(data.X, x);
        var y = LabelMap.Targets(model, data);
        return new TrainingData(x, y, data.Rows, data.Features, 1);
    }
}
