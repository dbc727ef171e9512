using Occam.Cli.Output;
using Spectre.Console;

namespace Occam.Cli;

/// <summary>
/// Work a command line will need after Spectre.Console.Cli has parsed it, done ahead on a background thread while the
/// main thread parses: the console's creation (<see cref="LazyConsole"/>) for every command, and for the
/// <c>occam linear</c> commands the code of a linear fit (<see cref="LinearWarmup"/>) and of a table's rendering.
/// Nothing it does changes what the command prints or computes (a tiny fit of its own, a table rendered into a
/// string); an exception on the thread is dropped (the command runs the same code and reports any error).
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
        bool json = args.Contains("--json");
        new Thread(() =>
        {
            try
            {
                _ = console.Console;
                if (linear is not null)
                {
                    _ = LinearWarmup.Run(linear, json || args.Contains("--out") || args.Contains("--model-out"));
                    if (!json) RenderTable(console.Console);
                }
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

    /// <summary>A two-column table like the linear commands' (right-aligned numbers, escaped names), rendered into a string with <paramref name="like"/>'s capabilities.</summary>
    private static void RenderTable(IAnsiConsole like)
    {
        var into = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(new StringWriter()),
            Ansi = like.Profile.Capabilities.Ansi ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = (ColorSystemSupport)like.Profile.Capabilities.ColorSystem,
        });
        var table = new Table().AddColumn("feature").AddColumn(new TableColumn("coef").RightAligned());
        table.AddRow("(intercept)", "-1.5");
        table.AddRow(Markup.Escape("x[0]"), "0.25");
        into.Write(table);
    }
}
