using Occam.Serialization;

namespace Occam;

/// <summary>Reads any model file Occam writes, by its <c>"format"</c> field.</summary>
public static class Model
{
    /// <summary>
    /// Loads a model file: <c>occam-mlp/1</c> gives an <see cref="MlpModel"/>, <c>occam-linear/1</c> a
    /// <see cref="LinearModel"/>. Problems (a missing file, invalid
    /// JSON, an unknown format, an invalid model) are <see cref="OccamException"/>s naming the file.
    /// </summary>
    public static IModel Load(string path)
    {
        string text = ModelFile.ReadText(path);
        string? format = ModelFile.FormatOf(text);
        return format switch
        {
            // No readable format tag: the MLP reader reports what is wrong (invalid JSON, missing "format") with its position.
            MlpJson.Format or null => new MlpModel(MlpJson.Parse(text, path)),
            LinearJson.Format => LinearJson.Parse(text, path),
            _ => throw new OccamException($"{path}: $.format is '{format}'; this version of Occam reads {MlpJson.Format} and {LinearJson.Format} model files."),
        };
    }
}
