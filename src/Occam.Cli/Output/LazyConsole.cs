using Spectre.Console;
using Spectre.Console.Rendering;

namespace Occam.Cli.Output;

/// <summary>
/// The command's Spectre console over a writer (standard output), created at its first use rather than before the
/// command line is parsed: creating one detects the terminal's capabilities and width (environment, terminfo), a few
/// milliseconds that most command lines need only when they print a table, and that <see cref="CliWarmup"/> spends
/// on its background thread. Thread-safe; every member forwards to the one console created.
/// </summary>
internal sealed class LazyConsole(TextWriter writer) : IAnsiConsole
{
    private readonly Lazy<IAnsiConsole> console = new(
        () => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) }),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The writer the console writes to (standard output in the CLI).</summary>
    public TextWriter Writer => writer;

    /// <summary>The console (created by this call if no call created it before).</summary>
    public IAnsiConsole Console => console.Value;

    public Profile Profile => Console.Profile;

    public IAnsiConsoleCursor Cursor => Console.Cursor;

    public IAnsiConsoleInput Input => Console.Input;

    public IExclusivityMode ExclusivityMode => Console.ExclusivityMode;

    public RenderPipeline Pipeline => Console.Pipeline;

    public void Clear(bool home) => Console.Clear(home);

    public void Write(IRenderable renderable) => Console.Write(renderable);

    public void WriteAnsi(Action<AnsiWriter> action) => Console.WriteAnsi(action);
}
