using Occam.Cli.Commands;
using Occam.Cli.Commands.Linear;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli;

/// <summary>Builds and runs the <c>occam</c> command line. Tests call <see cref="Run"/> in-process.</summary>
public static class OccamApp
{
    public static int Run(string[] args)
    {
        // Bind Spectre's console to the current standard output (tests redirect it between runs).
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("occam");
            config.UseStrictParsing();
            config.ConfigureConsole(AnsiConsole.Console);
            config.PropagateExceptions();
            config.AddCommand<TrainCommand>("train").WithDescription("Train a regularized MLP on a CSV (or IDX) file and write the model.");
            config.AddCommand<EvalCommand>("eval").WithDescription("Evaluate a model: loss, accuracy or R², confusion matrix.");
            config.AddCommand<PredictCommand>("predict").WithDescription("Write predictions of a model for a CSV file.");
            config.AddCommand<InspectCommand>("inspect").WithDescription("Show a model's architecture and sparsity (exact zeros, dead units, inputs kept).");
            config.AddCommand<PruneCommand>("prune").WithDescription("Remove dead units and cut-off inputs from a model (same predictions, fewer parameters).");
            config.AddCommand<SynthCommand>("synth").WithDescription("Write a seeded synthetic dataset (xor, circles, spiral, blobs, polynomial) as CSV.");
            config.AddCommand<DemoCommand>("demo").WithDescription("Train one network on the shipped digits six ways (no penalty, L2, L1 prox, L1 subgradient, group lasso, dropout); compare.");
            LinearCommands.Register(config);
        });
        try
        {
            return app.Run(args);
        }
        catch (Exception ex)
        {
            return CliErrors.Report(ex, args);
        }
    }
}

/// <summary>Turns exceptions into one-line errors on standard error, never a stack trace.</summary>
public static partial class CliErrors
{
    [System.Text.RegularExpressions.GeneratedRegex("^Failed to convert '(.*)' to (.*)\\.$")]
    private static partial System.Text.RegularExpressions.Regex ConversionRegex();

    private static readonly System.Text.RegularExpressions.Regex ConversionFailure = ConversionRegex();

    public static int Report(Exception ex, IReadOnlyList<string>? args = null)
    {
        Exception inner = ex;
        while (inner is AggregateException { InnerException: { } first }) inner = first;
        string? message = inner switch
        {
            OccamException o => o.Message,
            ArgumentException a => a.Message,
            CommandParseException or CommandRuntimeException => inner.Message,
            IOException io => io.Message,
            UnauthorizedAccessException ua => ua.Message,
            _ => null,
        };
        if (message is null)
        {
            Console.Error.WriteLine($"error: internal error ({inner.GetType().Name}): {inner.Message}. Please report this with the command you ran.");
            return 70;
        }
        if (args is not null && ConversionFailure.Match(message) is { Success: true } m)
        {
            string value = m.Groups[1].Value;
            int at = args.ToList().LastIndexOf(value);
            string option = at > 0 && args[at - 1].StartsWith("--", StringComparison.Ordinal) ? args[at - 1] : "an option";
            string kind = m.Groups[2].Value.Contains("Int", StringComparison.Ordinal) ? "a whole number" : "a number";
            message = $"{option} '{value}' is not valid: it must be {kind}.";
        }
        Console.Error.WriteLine($"error: {message}");
        return inner is CommandParseException or CommandRuntimeException ? 64 : 1;
    }
}
