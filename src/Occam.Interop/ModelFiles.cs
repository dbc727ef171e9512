using Occam.Linear;
using Occam.Serialization;

namespace Occam.Interop;

/// <summary>Reads a model file of either Occam format for export, chosen by its <c>"format"</c> field.</summary>
internal static class ModelFiles
{
    /// <summary>An <see cref="Nn.Mlp"/> (occam-mlp/1, read by <see cref="Model.Load"/>) or a <see cref="LinearModelFile"/> (occam-linear/1).</summary>
    public static object Read(string path)
    {
        if (ModelFile.FormatOf(ModelFile.ReadText(path)) == "occam-linear/1") return LinearModelFile.Read(path);
        return Model.Load(path) switch
        {
            MlpModel mlp => mlp.Network,
            var other => throw new OccamException($"{path}: a {other.GetType().Name} cannot be exported; Occam exports occam-mlp/1 and occam-linear/1 models."),
        };
    }
}
