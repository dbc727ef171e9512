using Occam.Data;

namespace Occam.Training;

/// <summary>
/// Accuracy (classification: logit &gt; 0 for binary, arg-max for multiclass) and R² (regression:
/// <c>1 − SSE/SST</c> with SST around the targets' own mean).
/// </summary>
public static class Metrics
{
    /// <summary>Number of rows whose predicted class equals the target.</summary>
    public static int CountCorrect(TaskKind task, ReadOnlySpan<float> scores, ReadOnlySpan<float> targets, int rows, int outputs)
    {
        int correct = 0;
        for (int r = 0; r < rows; r++)
            if (PredictClass(task, scores.Slice(r * outputs, outputs)) == (int)targets[r]) correct++;
        return correct;
    }

    /// <summary>Predicted class of one row of scores: logit &gt; 0 → 1 for binary, arg-max (first on ties) for multiclass.</summary>
    public static int PredictClass(TaskKind task, ReadOnlySpan<float> scores)
    {
        if (task == TaskKind.Binary) return scores[0] > 0f ? 1 : 0;
        int best = 0;
        for (int j = 1; j < scores.Length; j++) if (scores[j] > scores[best]) best = j;
        return best;
    }

    /// <summary>Sum of squared deviations of the targets from their mean (SST).</summary>
    public static double TotalSumOfSquares(ReadOnlySpan<float> targets) => Sst(targets);

    /// <summary>Sum of squared deviations of double-precision targets from their mean (SST).</summary>
    public static double TotalSumOfSquares(ReadOnlySpan<double> targets) => Sst(targets);

    private static double Sst<T>(ReadOnlySpan<T> targets) where T : System.Numerics.INumberBase<T>
    {
        if (targets.Length == 0) return 0;
        double mean = 0;
        foreach (T t in targets) mean += double.CreateTruncating(t);
        mean /= targets.Length;
        double sst = 0;
        foreach (T t in targets)
        {
            double d = double.CreateTruncating(t) - mean;
            sst += d * d;
        }
        return sst;
    }

    /// <summary>R² = 1 − SSE/SST (0 when SST = 0 and the fit is not perfect).</summary>
    public static double RSquared(double sse, double sst) => sst > 0 ? 1 - sse / sst : sse == 0 ? 1 : 0;

    /// <summary>Name of the metric for reports.</summary>
    public static string Name(TaskKind task) => task == TaskKind.Regression ? "r2" : "accuracy";

    /// <summary>Name of the task's data loss for reports (mean squared error, logistic loss, softmax cross-entropy).</summary>
    public static string LossName(TaskKind task) => task switch
    {
        TaskKind.Regression => "mse",
        TaskKind.Binary => "log-loss",
        _ => "cross-entropy",
    };
}
