using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Text.RegularExpressions;
using Occam.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli;

/// <summary>Builds and runs the <c>occam</c> command line. Tests call <see cref="Run"/> in-process.</summary>
public static class OccamApp
{
    /// <summary>Runs one command line and returns its exit code (see <see cref="ExitCodes"/>); never throws.</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool verbose = args.Contains(CommandLine.Verbose);
        args = args.Where(a => a != CommandLine.Verbose).ToArray();
        try
        {
            if (args is [CommandLine.Version] or ["-v"])
            {
                Console.Out.WriteLine($"occam {Version}");
                return ExitCodes.Success;
            }
            // Bind Spectre's console to the current standard output (tests redirect it between runs); it is created at
            // its first use, or ahead by the warm-up thread while Spectre parses.
            var console = new LazyConsole(Console.Out);
            AnsiConsole.Console = console;
            CliWarmup.Start(args, console);
            var commands = OccamCommands.For(args);
            new CommandLine(commands).CheckValues(args);
            // A plainly written `occam linear` or `occam train` line runs without Spectre.Console.Cli's model and binding (DirectLine).
            if (DirectLine.TryRun(args, RunCancellable, out int direct)) return direct;
            var app = new CommandApp();
            app.Configure(config =>
            {
                config.SetApplicationName("occam");
                config.SetApplicationVersion(Version);
                config.UseStrictParsing();
                config.ConfigureConsole(AnsiConsole.Console);
                config.PropagateExceptions();
                foreach (var command in commands) command.Register(config);
            });
            int code = RunCancellable(token => app.Run(args, token));
            if (code is ExitCodes.Success or ExitCodes.NotConverged) return code;
            // Spectre returns 1 after printing the help of a branch given without its command (e.g. "occam linear").
            Console.Error.WriteLine($"error: '{string.Join(' ', args)}' is not a complete command; pick one of the commands listed above.");
            return ExitCodes.Usage;
        }
        catch (Exception ex)
        {
            return CliErrors.Report(ex, args, verbose);
        }
    }

    /// <summary>
    /// Runs the command with a token that the first Ctrl+C (SIGINT) cancels: training stops at the next step, nothing
    /// is written and the exit code is 130. A second Ctrl+C ends the process at once.
    /// </summary>
    private static int RunCancellable(Func<CancellationToken, int> run)
    {
        using var cancel = new CancellationTokenSource();
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            if (cancel.IsCancellationRequested) return;
            e.Cancel = true;
            cancel.Cancel();
        }
        Console.CancelKeyPress += OnCancel;
        try
        {
            return run(cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }

    /// <summary>The informational version of the program (<c>occam --version</c>).</summary>
    public static string Version { get; } =
        typeof(OccamApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(OccamApp).Assembly.GetName().Version?.ToString() ?? "unknown";
}

/// <summary>The exit codes of every <c>occam</c> command (sysexits.h numbers; docs/cli.md lists them).</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Outputs were written but a fit did not converge (linear commands; a warning says which).</summary>
    public const int NotConverged = 2;

    /// <summary>The command line is wrong: unknown command or option, missing or empty value, a value out of range, options that contradict each other, sizes beyond memory or index limits.</summary>
    public const int Usage = 64;

    /// <summary>The input's content is wrong: CSV, IDX or model file, labels, a diverging fit.</summary>
    public const int Data = 65;

    /// <summary>An input file is missing, is a folder, or cannot be read.</summary>
    public const int InputMissing = 66;

    /// <summary>A bug in occam: please report it.</summary>
    public const int Internal = 70;

    /// <summary>The machine ran out of memory.</summary>
    public const int OutOfMemory = 71;

    /// <summary>An output file cannot be written (missing folder, read-only file, device, FIFO, full disk).</summary>
    public const int Output = 74;

    /// <summary>The run was cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>The exit code of a user error of this kind.</summary>
    public static int Of(OccamErrorKind kind) => kind switch
    {
        OccamErrorKind.Usage => Usage,
        OccamErrorKind.InputMissing => InputMissing,
        OccamErrorKind.Output => Output,
        _ => Data,
    };
}

/// <summary>
/// Checks of the raw command line that Spectre.Console.Cli does not make, over the options of the given commands
/// (<see cref="OccamCommands.For"/>: the command the line names, or all).
/// </summary>
internal sealed class CommandLine(IEnumerable<TopLevelCommand> commands)
{
    public const string Verbose = "--verbose";
    public const string Version = "--version";

    /// <summary>Long names (with "--") of the options that take a value, over the commands' settings, and their value types.</summary>
    private readonly Dictionary<string, Type> valueOptions = FindValueOptions(commands.SelectMany(c => c.CommandTypes).Select(SettingsType).Distinct());

    /// <summary>The settings class of a command class (the <c>TSettings</c> of its <see cref="ICommand{TSettings}"/>).</summary>
    internal static Type SettingsType(Type command) =>
        command.GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>)).GetGenericArguments()[0];

    private static Dictionary<string, Type> FindValueOptions(IEnumerable<Type> settingsTypes)
    {
        var valued = new Dictionary<string, Type>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in settingsTypes)
            foreach (var property in type.GetProperties())
                if (property.GetCustomAttribute<CommandOptionAttribute>() is { } option)
                    foreach (string name in option.LongNames)
                    {
                        if (option.ValueName is null || option.ValueIsOptional) flags.Add("--" + name);
                        else valued.TryAdd("--" + name, Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType);
                    }
        foreach (string flag in flags) valued.Remove(flag);
        return valued;
    }

    /// <summary>The value type of option <paramref name="name"/> (e.g. "--lr"), when it is known.</summary>
    public Type? ValueType(string name) => valueOptions.GetValueOrDefault(name);

    /// <summary>
    /// Rejects an option that takes a value but has none: the last word of the line (which Spectre would fill
    /// with the text "__default_command"), one followed by another option, or an empty value (<c>--hidden ""</c>,
    /// <c>--out=</c>); and a value option given twice (Spectre would keep the last silently). A value that starts
    /// with "--" must be written <c>--option=--value</c>.
    /// </summary>
    public void CheckValues(IReadOnlyList<string> args)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal)) continue;
            int eq = a.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? a : a[..eq];
            if (!valueOptions.TryGetValue(name, out var type)) continue;
            string value;
            if (eq >= 0)
            {
                value = a[(eq + 1)..];
            }
            else
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw OccamException.Usage($"{name} needs a value; write it after the option, e.g. {name} VALUE (see occam --help).");
                value = args[++i];
            }
            if (string.IsNullOrWhiteSpace(value)) throw EmptyValue(name);
            // Spectre keeps the last of repeated options; a second value would be dropped without a word.
            if (!type.IsArray && !given.TryAdd(name, value))
                throw OccamException.Usage($"{name} is given twice ('{given[name]}' and '{value}'); give it once.");
        }
    }

    private static OccamException EmptyValue(string name) =>
        OccamException.Usage($"{name} has an empty value; give a value or leave the option out to get its default.");
}

/// <summary>
/// The error boundary: turns any exception into one line on standard error and an exit code
/// (<see cref="ExitCodes"/>). User mistakes (<see cref="OccamException"/>, Spectre's parse and validation
/// errors) print their message; anything else is an internal error (exit 70) whose stack trace is printed only
/// with <c>--verbose</c>.
/// </summary>
public static partial class CliErrors
{
    [GeneratedRegex("^Could not match '(.*)' with an argument\\.$")]
    private static partial Regex UnmatchedArgument();

    [GeneratedRegex("^(?:Unknown|Unexpected) (option|command) '(.*)'\\.$")]
    private static partial Regex UnknownName();

    /// <summary>The command words at the start of <paramref name="args"/> ("train", "linear fit"), or "" when the first is none.</summary>
    private static string CommandWords(IReadOnlyList<string>? args)
    {
        if (args is not [var first, ..] || OccamCommands.For(args) is not [var command] || !command.Names.Contains(first, StringComparer.Ordinal)) return "";
        string[] subcommands = first switch { "linear" => ["fit", "path", "cv"], "sweep" => ["worker"], "study" => ["show", "export"], _ => [] };
        return args.Count > 1 && subcommands.Contains(args[1], StringComparer.Ordinal) ? $"{first} {args[1]}" : first;
    }

    [GeneratedRegex("^Failed to convert '(.*)' to (.*)\\.$")]
    private static partial Regex ConversionFailure();

    [GeneratedRegex(" \\(Parameter '[^']*'\\)")]
    private static partial Regex ParameterSuffix();

    /// <summary>Writes the error for <paramref name="ex"/> to standard error and returns the exit code.</summary>
    public static int Report(Exception ex, IReadOnlyList<string>? args = null, bool verbose = false)
    {
        ArgumentNullException.ThrowIfNull(ex);
        Exception inner = ex;
        while (inner is AggregateException or TargetInvocationException or TypeInitializationException && inner.InnerException is { } first)
            inner = first;
        (string message, int code) = inner switch
        {
            OccamException o => (o.Message, ExitCodes.Of(o.Kind)),
            CommandParseException or CommandRuntimeException => (SpectreMessage(inner.Message, args), ExitCodes.Usage),
            OperationCanceledException => ("cancelled; no output was written.", ExitCodes.Cancelled),
            OutOfMemoryException => ("out of memory: the data or the network does not fit in this machine's memory; use fewer rows, fewer or smaller layers, or a smaller batch.", ExitCodes.OutOfMemory),
            _ => (Internal(inner), ExitCodes.Internal),
        };
        Console.Error.WriteLine($"error: {OneLine(message)}");
        if (verbose) Console.Error.WriteLine(ex.ToString());
        return code;
    }

    private static string Internal(Exception e)
    {
        string text = ParameterSuffix().Replace(OneLine(e.Message), "").Trim();
        return $"internal error ({e.GetType().Name}: {text}); this is a bug in occam, please report it with the command you ran (run it again with --verbose for the stack trace).";
    }

    private static string OneLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // .NET appends "Actual value was …" on a second line of ArgumentOutOfRangeException messages.
        return string.Join(' ', lines.Where(l => !l.StartsWith("Actual value was", StringComparison.Ordinal)));
    }

    /// <summary>Spectre's parse errors in occam's words: the option, the value and what it must be.</summary>
    private static string SpectreMessage(string message, IReadOnlyList<string>? args)
    {
        if (UnknownName().Match(message) is { Success: true } u)
        {
            string command = CommandWords(args), name = u.Groups[2].Value;
            string help = $"'occam {(command.Length == 0 ? "" : command + " ")}--help' lists ";
            if (u.Groups[1].Value == "option")
            {
                string given = args?.FirstOrDefault(a => a == "--" + name || a.StartsWith("--" + name + "=", StringComparison.Ordinal)) is null ? "-" + name : "--" + name;
                return $"unknown option '{given}'{(command.Length == 0 ? "" : $" for 'occam {command}'")}; {help}the options{(command.Length == 0 ? " and commands" : "")}.";
            }
            return $"unknown command '{name}'{(command.Length == 0 ? "" : $" after 'occam {command}'")}; {help}{(command.Length == 0 ? "the commands" : "what it takes")}.";
        }
        if (UnmatchedArgument().Match(message) is { Success: true } a)
        {
            string command = CommandWords(args);
            return $"unexpected argument '{a.Groups[1].Value}'{(command.Length == 0 ? "" : $" for 'occam {command}'")}; 'occam {(command.Length == 0 ? "" : command + " ")}--help' lists what it takes (a value that starts with -- is written --option=--value).";
        }
        if (ConversionFailure().Match(message) is not { Success: true } m) return message;
        string value = m.Groups[1].Value, type = m.Groups[2].Value;
        string option = "an option";
        if (args is not null)
        {
            int at = args.ToList().LastIndexOf(value);
            if (at > 0 && args[at - 1].StartsWith("--", StringComparison.Ordinal)) option = args[at - 1];
            else if (args.LastOrDefault(a => a.EndsWith("=" + value, StringComparison.Ordinal)) is { } joined) option = joined[..joined.IndexOf('=', StringComparison.Ordinal)];
        }
        if (new CommandLine(OccamCommands.For(args)).ValueType(option) is { } known) type = known.Name;
        return $"{option} '{value}' is not valid: it must be {Expected(value, type)}.";
    }

    private static string Expected(string value, string type)
    {
        (BigInteger min, BigInteger max)? range = type switch
        {
            "Int32" => (int.MinValue, int.MaxValue),
            "Int64" => (long.MinValue, long.MaxValue),
            "UInt32" => (0, uint.MaxValue),
            "UInt64" => (0, ulong.MaxValue),
            _ => null,
        };
        if (range is not { } r) return type is "Double" or "Single" ? "a number with a decimal point, e.g. 0.5 or 1e-3" : "a valid value";
        if (!BigInteger.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            return r.min.IsZero ? "a whole number >= 0, e.g. 42" : "a whole number, e.g. 42";
        return n < r.min ? $"a whole number >= {r.min}" : $"a whole number <= {r.max}";
    }
}
