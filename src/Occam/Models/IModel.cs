using Occam.Data;
using Occam.Training;

namespace Occam;

/// <summary>A fitted model of any kind: what every estimator's <c>Fit</c> returns and <see cref="Model.Load"/> reads.</summary>
public interface IModel
{
    /// <summary>What the model predicts.</summary>
    TaskKind Task { get; }
    /// <summary>Input column names, in the order the model reads them.</summary>
    IReadOnlyList<string> FeatureNames { get; }
    /// <summary>Class labels by class index (classification); null for regression.</summary>
    IReadOnlyList<string>? Classes { get; }
    /// <summary>Regression: the predicted value of each row. Classification: the predicted class index (into <see cref="Classes"/>).</summary>
    double[] Predict(Dataset data);
    /// <summary>Class probabilities, row-major rows × Classes.Count (binary: P(class 0), P(class 1)). Regression: OccamException.</summary>
    double[] PredictProba(Dataset data);
    /// <summary>Predictions as text: the class label, or the value in round-trip form.</summary>
    string[] PredictLabels(Dataset data);
    /// <summary>Accuracy (classification) or R² (regression).</summary>
    double Score(Dataset data);
    /// <summary>Loss, accuracy or R², confusion matrix.</summary>
    ModelEvaluation Evaluate(Dataset data);
    /// <summary>Writes the model file atomically (occam-mlp/1 or occam-linear/1).</summary>
    void Save(string path);
}
