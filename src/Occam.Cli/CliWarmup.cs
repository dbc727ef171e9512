using Occam.Cli.Output;
using Occam.Linear;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Occam.Cli;

/// <summary>
/// Work a command line will need later, done ahead on a background thread while the main thread parses the line and
/// runs the command: the console's creation (<see cref="LazyConsole"/>) for every command, and for the <c>occam linear</c>
/// commands the code of a linear fit (<see cref="LinearWarmup"/>) and, when the line prints tables that Spectre will
/// render (<see cref="PlainTable"/> writes them itself on a console with Unicode borders), a table's rendering, in the
/// order the main thread does not need them: a plain linear line reaches its CSV reading and fit at once
/// (<see cref="DirectLine"/>) and prints its table last, so the warm-up compiles the fit's kernels last needed first,
/// then creates the console (and renders a table only if Spectre will draw the tables), then runs a tiny fit. Nothing it does changes what the command prints or computes (a tiny fit of its own, a
/// table rendered into segments that are dropped); an exception on the thread is dropped (the command runs the same
/// code and reports any error).
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
        bool tables = !args.Contains("--json");
        new Thread(() =>
        {
            try
            {
                if (linear is null)
                {
                    _ = console.Console;
                }
                else
                {
                    // The fit's kernels, last needed first; then the console (its profile decides whether PlainTable writes
                    // the tables or Spectre renders them, a table rendered ahead then); then the tiny fit for the rest.
                    if (linear is Lasso or ElasticNet) _ = LinearWarmup.RunGaussianKernels();
                    if (tables)
                    {
                        if (!PlainTable.Direct(console.Console.Profile)) RenderTable(console.Console);
                        _ = LinearWarmup.Run(linear, json);
                    }
                    else
                    {
                        _ = LinearWarmup.Run(linear, json);
                        _ = console.Console;
                    }
                }
            }
            catch (Exception)
            {
            }
        }) { IsBackground = true, Name = "occam command warm-up" }.Start();
    }

    /// <summary>
    /// Renders a small table like the linear commands' (a text column and a right-aligned number column) into segments
    /// for <paramref name="console"/>'s capabilities and width, writing nothing: Spectre's table layout and rendering
    /// code (generic instantiations the runtime compiles at first use, the character-width tables) is then ready when the
    /// command prints its own.
    /// </summary>
    internal static IReadOnlyList<Segment> RenderTable(IAnsiConsole console)
    {
        var table = new Table().AddColumn("feature").AddColumn(new TableColumn("coef").RightAligned());
        table.AddRow("(intercept)", "-247.889");
        table.AddRow("bmi", "5.66161");
        return [.. ((IRenderable)table).Render(RenderOptions.Create(console, console.Profile.Capabilities), console.Profile.Width)];
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
