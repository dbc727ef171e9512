namespace Occam.Interop;

/// <summary>Reads a model file of either Occam format for export (through <see cref="Model.Load"/>).</summary>
internal static class ModelFiles
{
    /// <summary>An <see cref="Nn.Mlp"/> (occam-mlp/1) or a <see cref="LinearModel"/> (occam-linear/1).</summary>
    public static object Read(string path) => Model.Load(path) switch
    {
        MlpModel mlp => mlp.Network,
        LinearModel linear => linear,
        var other => throw new OccamException($"{path}: a {other.GetType().Name} cannot be exported; Occam exports occam-mlp/1 and occam-linear/1 models."),
    };
}
