using Occam.Data;
using Occam.Nn;

namespace Occam.Training;

/// <summary>
/// A dataset's targets as the network is trained on them: class indices mapped onto the model's classes (by text,
/// then by numeric value, as <c>CsvLoader.LoadForModel</c>), or regression values standardized with the model's
/// <see cref="Mlp.TargetStandardizer"/> when it has one.
/// </summary>
internal static class LabelMap
{
    /// <summary>Targets as the network sees them (float32, one per row).</summary>
    public static float[] Targets(Mlp model, Dataset data)
    {
        var y = new float[data.Rows];
        if (model.Task == TaskKind.Regression)
        {
            if (model.TargetStandardizer is { } t)
            {
                double mean = t.Mean[0], scale = t.Scale[0];
                for (int i = 0; i < y.Length; i++) y[i] = (float)((data.Y[i] - mean) / scale);
            }
            else
            {
                for (int i = 0; i < y.Length; i++) y[i] = (float)data.Y[i];
            }
            return y;
        }
        // No classes to map, or the same list (a fresh model takes the data's): class k is index k.
        if (data.Classes is null || model.Classes is null || model.Classes.SequenceEqual(data.Classes, StringComparer.Ordinal))
        {
            for (int i = 0; i < y.Length; i++) y[i] = (float)data.Y[i];
            return y;
        }
        var map = ClassMap(model.Classes, data.Classes);
        for (int i = 0; i < y.Length; i++) y[i] = map[(int)data.Y[i]];
        return y;
    }

    /// <summary>
    /// For each of the data's classes, the model's index of the same class (matched by text, then by numeric value);
    /// a class the model does not know is an <see cref="OccamException"/>.
    /// </summary>
    public static int[] ClassMap(IReadOnlyList<string> modelClasses, IReadOnlyList<string> dataClasses)
    {
        var matcher = new ClassMatcher(modelClasses);
        var map = new int[dataClasses.Count];
        for (int c = 0; c < dataClasses.Count; c++)
        {
            map[c] = matcher.IndexOf(dataClasses[c]);
            if (map[c] < 0)
                throw new OccamException($"the data has class '{dataClasses[c]}' which the model does not know (its classes: {string.Join(", ", modelClasses)}).");
        }
        return map;
    }
}
