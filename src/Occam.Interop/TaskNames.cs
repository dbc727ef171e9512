using Occam.Data;

namespace Occam.Interop;

/// <summary>Task names as written in model files.</summary>
internal static class TaskNames
{
    public static string Name(TaskKind task) => task switch
    {
        TaskKind.Regression => "regression",
        TaskKind.Binary => "binary",
        TaskKind.Multiclass => "multiclass",
        _ => throw new ArgumentOutOfRangeException(nameof(task)),
    };

    public static TaskKind? Parse(string name) => name switch
    {
        "regression" => TaskKind.Regression,
        "binary" => TaskKind.Binary,
        "multiclass" => TaskKind.Multiclass,
        _ => null,
    };
}
