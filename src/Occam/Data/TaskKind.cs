namespace Occam.Data;

/// <summary>What a model predicts.</summary>
public enum TaskKind
{
    /// <summary>Real-valued target(s); loss is mean squared error.</summary>
    Regression,
    /// <summary>Two classes coded 0/1; loss is the logistic loss on one logit.</summary>
    Binary,
    /// <summary>K ≥ 3 classes coded 0..K−1; loss is softmax cross-entropy on K logits.</summary>
    Multiclass,
}

/// <summary>
/// The one spelling of task names, as model files (<c>"task"</c>) and the command line (<c>--task</c>) write them:
/// <c>regression</c>, <c>binary</c>, <c>multiclass</c>.
/// </summary>
public static class TaskKinds
{
    /// <summary>Every task name, in enum order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["regression", "binary", "multiclass"];

    /// <summary>The name of <paramref name="task"/> (<c>regression</c>, <c>binary</c> or <c>multiclass</c>).</summary>
    public static string Name(TaskKind task) => task switch
    {
        TaskKind.Regression => "regression",
        TaskKind.Binary => "binary",
        TaskKind.Multiclass => "multiclass",
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "not a task kind"),
    };

    /// <summary>Parses a task name (exact, lower case); false for anything else.</summary>
    public static bool TryParse(string? text, out TaskKind task)
    {
        switch (text)
        {
            case "regression": task = TaskKind.Regression; return true;
            case "binary": task = TaskKind.Binary; return true;
            case "multiclass": task = TaskKind.Multiclass; return true;
            default: task = default; return false;
        }
    }

    /// <summary>Parses a task name; anything else is an <see cref="OccamException"/> listing the names.</summary>
    public static TaskKind Parse(string? text) =>
        TryParse(text, out var task) ? task : throw new OccamException($"unknown task '{text}'; use {Listing(Names)}.");

    /// <summary>"a, b or c": the names joined for a message.</summary>
    public static string Listing(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.Count <= 1 ? string.Join("", names) : string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1];
    }
}
