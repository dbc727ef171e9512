using Occam.Cli.Output;

namespace Occam.Cli;

/// <summary>
/// Work a command line will need after Spectre.Console.Cli has parsed it, done ahead on a background thread while the
/// main thread parses: the console's creation (<see cref="LazyConsole"/>) for every command, and for the
/// <c>occam linear</c> commands the code of a linear fit (<see cref="LinearWarmup"/>). Not the table's rendering: rendering
/// one ahead made <c>linear fit</c> slower (the command's own table then waited on the warm-up's, measured in
/// docs/algorithms/startup.md). Nothing it does changes what the command prints or computes (a tiny fit of its own); an
/// exception on the thread is dropped (the command runs the same code and reports any error).
/// On a one-core machine it does nothing: there the work would only queue before the command's own
/// (docs/algorithms/startup.md, "Ahead of the command").
/// </summary>
internal static class CliWarmup
{
    /// <summary>Starts the warm-up of <paramref name="args"/>'s command on a background thread and returns at once.</summary>
    public static void Start(IReadOnlyList<string> args, LazyConsole console)
    {
        if (Environment.ProcessorCount < 2) return;
        var linear = args is ["linear", "fit" or "path" or "cv", ..] ? LinearEstimatorOf(args) : null;
        bool json = args.Contains("--json") || args.Contains("--out") || args.Contains("--model-out");   // the model's JSON is written
        new Thread(() =>
        {
            try
            {
                _ = console.Console;
                if (linear is not null) _ = LinearWarmup.Run(linear, json);
            }
            catch (Exception)
            {
            }
        }) { IsBackground = true, Name = "occam command warm-up" }.Start();
    }

    /// <summary>
    /// The estimator the linear command line most likely fits, from its raw words: the <c>--penalty</c> (elastic net
    /// with <c>--l1-ratio</c> alone, else lasso) of a regression; null when <c>--task</c> names a classification
    /// (the tiny table is a regression) or the penalty is not one of the three.
    /// </summary>
    internal static LinearEstimator? LinearEstimatorOf(IReadOnlyList<string> args)
    {
        string? task = Value(args, "--task");
        if (task is "binary" or "multiclass") return null;
        return (Value(args, "--penalty") ?? (Value(args, "--l1-ratio") is null ? "lasso" : "elasticnet")) switch
        {
            "lasso" => new Lasso(),
            "ridge" => new Ridge(),
            "elasticnet" => new ElasticNet { L1Ratio = 0.5 },
            _ => null,
        };
    }

    /// <summary>The value of option <paramref name="name"/> in <paramref name="args"/> (<c>--name VALUE</c> or <c>--name=VALUE</c>), or null.</summary>
    private static string? Value(IReadOnlyList<string> args, string name)
    {
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == name) return i + 1 < args.Count ? args[i + 1] : null;
            if (args[i].StartsWith(name + "=", StringComparison.Ordinal)) return args[i][(name.Length + 1)..];
        }
        return null;
    }
}
