using System.Globalization;

namespace Occam;

/// <summary>How predictions and probabilities are written as text (the CLI's predictions CSV, <see cref="IModel.PredictLabels"/>).</summary>
public static class PredictionText
{
    /// <summary>
    /// Round-trip text of a value: one that is exactly a float32 (what a network computes) in float32's shortest
    /// round-trip form ("0.1", not "0.10000000149011612"), any other double in double's ("R", invariant culture).
    /// </summary>
    public static string Format(double value)
    {
        float single = (float)value;
        return (double)single == value || double.IsNaN(value)
            ? single.ToString("R", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
    }
}
