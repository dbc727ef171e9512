using System.Globalization;
using Occam.Cli.Commands;
using Occam.Cli.Commands.Linear;
using Spectre.Console.Cli;

namespace Occam.Cli;

/// <summary>
/// The direct path of the <c>occam linear fit|path|cv</c> and <c>occam train</c> commands: a command line written
/// plainly — the command's words, then only <c>--name VALUE</c> options and <c>--flag</c>s of that command, each once, every value in the
/// plain form its type reads the same way in both paths — is bound to its settings here and the command run at once,
/// without Spectre.Console.Cli. Every other line (help, a short or unknown option, <c>--name=VALUE</c>, a repeated or
/// positional word, a value such as <c>0x10</c> or <c>-1</c>, settings that fail their validation) goes to
/// Spectre.Console.Cli as before, so its errors and help are unchanged.
/// </summary>
/// <remarks>
/// Why: before it parses, Spectre.Console.Cli builds its model of the branch's commands by reflection over their
/// settings classes (attributes, <c>TypeDescriptor</c> converters, its dependency-injection registrar, an async
/// executor), ≈ 60 ms of the main thread's CPU on a 2-vCPU VM for <c>occam linear fit</c> — a third of the command
/// (docs/algorithms/startup.md, "Start-up of `linear fit` (session 16)"). The binding is Spectre's for these lines: a
/// value is set only when given (an option left out keeps the property's initializer, which equals its
/// <c>[DefaultValue]</c>), numbers are read as its converters read them with the invariant culture
/// (<c>double.Parse(text, NumberStyles.Float)</c>, <c>int.Parse(text, NumberStyles.Integer)</c>), and the settings'
/// own <c>Validate</c> runs before the command (DirectLineTests compares both bindings over many lines).
/// </remarks>
internal static class DirectLine
{
    /// <summary>How an option's text is read (the property's type).</summary>
    internal enum ValueKind
    {
        /// <summary>A <c>bool</c> flag: present means true; no value follows it.</summary>
        Flag,

        /// <summary>A string, as written.</summary>
        Text,

        /// <summary>A <c>double</c> or <c>double?</c>.</summary>
        Number,

        /// <summary>An <c>int</c>, digits only.</summary>
        Whole,

        /// <summary>A <c>ulong</c>, digits only.</summary>
        Count,
    }

    /// <summary>One option of a settings class: its long name with "--", how its value is read, and where it goes.</summary>
    internal sealed record Option<TSettings>(string Name, ValueKind Kind, Action<TSettings, object> Set);

    /// <summary>The options of <see cref="LinearFitSettings"/>.</summary>
    internal static IReadOnlyList<Option<LinearFitSettings>> LinearFit { get; } =
        [.. Linear<LinearFitSettings>(), new("--alpha", ValueKind.Number, (s, v) => s.Alpha = (double)v)];

    /// <summary>The options of <see cref="LinearPathSettings"/>.</summary>
    internal static IReadOnlyList<Option<LinearPathSettings>> LinearPath { get; } = Path<LinearPathSettings>();

    /// <summary>The options of <see cref="LinearCvSettings"/>.</summary>
    internal static IReadOnlyList<Option<LinearCvSettings>> LinearCv { get; } =
    [
        .. Path<LinearCvSettings>(),
        new("--folds", ValueKind.Whole, (s, v) => s.Folds = (int)v),
        new("--shuffle", ValueKind.Flag, (s, v) => s.Shuffle = (bool)v),
        new("--seed", ValueKind.Count, (s, v) => s.Seed = (ulong)v),
        new("--stratify", ValueKind.Flag, (s, v) => s.Stratify = (bool)v),
        new("--model-out", ValueKind.Text, (s, v) => s.ModelOut = (string)v),
    ];

    /// <summary>
    /// The options of <see cref="TrainSettings"/> (<c>occam train</c>: before it parses, Spectre.Console.Cli's model of the
    /// command and its binding cost ≈ 20–30 ms of a quiet start; docs/algorithms/startup.md, "Zen 5 (session 19)").
    /// </summary>
    internal static IReadOnlyList<Option<TrainSettings>> Train { get; } =
    [
        new("--json", ValueKind.Flag, (s, v) => s.Json = (bool)v),
        new("--data", ValueKind.Text, (s, v) => s.Data = (string)v),
        new("--labels", ValueKind.Text, (s, v) => s.Labels = (string)v),
        new("--target", ValueKind.Text, (s, v) => s.Target = (string)v),
        new("--task", ValueKind.Text, (s, v) => s.Task = (string)v),
        new("--hidden", ValueKind.Text, (s, v) => s.Hidden = (string)v),
        new("--activation", ValueKind.Text, (s, v) => s.Activation = (string)v),
        new("--optimizer", ValueKind.Text, (s, v) => s.Optimizer = (string)v),
        new("--lr", ValueKind.Number, (s, v) => s.LearningRate = (double)v),
        new("--momentum", ValueKind.Number, (s, v) => s.Momentum = (double)v),
        new("--batch-size", ValueKind.Whole, (s, v) => s.BatchSize = (int)v),
        new("--epochs", ValueKind.Whole, (s, v) => s.Epochs = (int)v),
        new("--l1-ratio", ValueKind.Number, (s, v) => s.L1Ratio = (double)v),
        new("--dropout", ValueKind.Number, (s, v) => s.Dropout = (double)v),
        new("--seed", ValueKind.Count, (s, v) => s.Seed = (ulong)v),
        new("--no-shuffle", ValueKind.Flag, (s, v) => s.NoShuffle = (bool)v),
        new("--no-standardize", ValueKind.Flag, (s, v) => s.NoStandardize = (bool)v),
        new("--no-standardize-target", ValueKind.Flag, (s, v) => s.NoStandardizeTarget = (bool)v),
        new("--val-split", ValueKind.Number, (s, v) => s.ValSplit = (double)v),
        new("--early-stopping", ValueKind.Whole, (s, v) => s.EarlyStopping = (int)v),
        new("--l1", ValueKind.Text, (s, v) => s.L1 = (string)v),
        new("--l1-mode", ValueKind.Text, (s, v) => s.L1Mode = (string)v),
        new("--l2", ValueKind.Text, (s, v) => s.L2 = (string)v),
        new("--elastic-net", ValueKind.Text, (s, v) => s.ElasticNet = (string)v),
        new("--group-lasso", ValueKind.Text, (s, v) => s.GroupLasso = (string)v),
        new("--weight-decay", ValueKind.Text, (s, v) => s.WeightDecay = (string)v),
        new("--init", ValueKind.Text, (s, v) => s.Init = (string)v),
        new("--out", ValueKind.Text, (s, v) => s.Out = (string)v),
        new("--timings", ValueKind.Flag, (s, v) => s.Timings = (bool)v),
    ];

    /// <summary>The options <see cref="LinearSettings"/> declares (fit, path and cv).</summary>
    private static Option<T>[] Linear<T>()
        where T : LinearSettings =>
    [
        new("--data", ValueKind.Text, (s, v) => s.Data = (string)v),
        new("--target", ValueKind.Text, (s, v) => s.Target = (string)v),
        new("--task", ValueKind.Text, (s, v) => s.Task = (string)v),
        new("--grouped", ValueKind.Flag, (s, v) => s.Grouped = (bool)v),
        new("--penalty", ValueKind.Text, (s, v) => s.PenaltyOption = (string)v),
        new("--l1-ratio", ValueKind.Number, (s, v) => s.L1Ratio = (double)v),
        new("--no-standardize", ValueKind.Flag, (s, v) => s.NoStandardize = (bool)v),
        new("--degree", ValueKind.Whole, (s, v) => s.Degree = (int)v),
        new("--poly-columns", ValueKind.Text, (s, v) => s.PolyColumns = (string)v),
        new("--tol", ValueKind.Number, (s, v) => s.Tol = (double)v),
        new("--max-iter", ValueKind.Whole, (s, v) => s.MaxIter = (int)v),
        new("--out", ValueKind.Text, (s, v) => s.Out = (string)v),
        new("--json", ValueKind.Flag, (s, v) => s.Json = (bool)v),
    ];

    /// <summary>The options of <see cref="LinearPathSettings"/> (path and cv).</summary>
    private static Option<T>[] Path<T>()
        where T : LinearPathSettings =>
    [
        .. Linear<T>(),
        new("--n-alphas", ValueKind.Whole, (s, v) => s.NAlphas = (int)v),
        new("--eps", ValueKind.Number, (s, v) => s.Eps = (double)v),
    ];

    /// <summary>
    /// The command <paramref name="args"/> names, run directly when the line is plain (see the class); returns false,
    /// having run nothing, when the line is for Spectre.Console.Cli.
    /// </summary>
    public static bool TryRun(IReadOnlyList<string> args, Func<Func<CancellationToken, int>, int> run, out int exitCode)
    {
        exitCode = 0;
        if (args is ["train", ..])
        {
            if (!TryBind(args, 1, Train, out var train)) return false;
            exitCode = run(token => new TrainCommand().Execute(Context(args, "train"), train, token));
            return true;
        }
        if (args is not ["linear", var name, ..]) return false;
        switch (name)
        {
            case "fit" when TryBind(args, 2, LinearFit, out var fit):
                exitCode = run(token => new LinearFitCommand().Execute(Context(args, name), fit, token));
                return true;
            case "path" when TryBind(args, 2, LinearPath, out var path):
                exitCode = run(token => new LinearPathCommand().Execute(Context(args, name), path, token));
                return true;
            case "cv" when TryBind(args, 2, LinearCv, out var cv):
                exitCode = run(token => new LinearCvCommand().Execute(Context(args, name), cv, token));
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Binds <paramref name="args"/> from <paramref name="start"/> on to new settings when every word is one of
    /// <paramref name="options"/> (at most once) or the plain value that follows a non-flag option, and the settings
    /// validate; else false.
    /// </summary>
    internal static bool TryBind<TSettings>(IReadOnlyList<string> args, int start, IReadOnlyList<Option<TSettings>> options, out TSettings settings)
        where TSettings : CommandSettings, new()
    {
        settings = new TSettings();
        var seen = new bool[options.Count];
        for (int i = start; i < args.Count; i++)
        {
            int k = IndexOf(options, args[i]);
            if (k < 0 || seen[k]) return false;
            seen[k] = true;
            var option = options[k];
            bool hasNext = i + 1 < args.Count;
            if (option.Kind == ValueKind.Flag)
            {
                // Spectre would read a following word as the flag's value ("--json true") or as a positional word.
                if (hasNext && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) return false;
                option.Set(settings, true);
                continue;
            }
            if (!hasNext || Read(option.Kind, args[++i]) is not { } value) return false;
            option.Set(settings, value);
        }
        return settings.Validate().Successful;
    }

    private static int IndexOf<TSettings>(IReadOnlyList<Option<TSettings>> options, string word)
    {
        for (int k = 0; k < options.Count; k++)
            if (string.Equals(options[k].Name, word, StringComparison.Ordinal)) return k;
        return -1;
    }

    /// <summary>
    /// The value of <paramref name="text"/> for an option of <paramref name="kind"/>, or null when the text is not in
    /// the plain form: empty, starting with '-' (Spectre reads "-1" its own way), with spaces at either end (its number
    /// converters trim), not digits only for whole numbers (its integer converters read "0x1F" and "#1F" as hexadecimal),
    /// or not a number at all.
    /// </summary>
    internal static object? Read(ValueKind kind, string text)
    {
        if (text.Length == 0 || text[0] == '-' || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])) return null;
        switch (kind)
        {
            case ValueKind.Text:
                return text;
            case ValueKind.Number:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : null;
            case ValueKind.Whole:
                return IsDigits(text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : null;
            case ValueKind.Count:
                return IsDigits(text) && ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong u) ? u : null;
            default:
                return null;
        }
    }

    private static bool IsDigits(string text)
    {
        foreach (char c in text)
            if (c is < '0' or > '9') return false;
        return true;
    }

    private static CommandContext Context(IReadOnlyList<string> args, string name) => new(args, NoRemaining.Instance, name, null);

    /// <summary>A plain line leaves no remaining arguments.</summary>
    private sealed class NoRemaining : IRemainingArguments
    {
        public static NoRemaining Instance { get; } = new();

        public ILookup<string, string?> Parsed { get; } = Array.Empty<string>().ToLookup(k => k, k => (string?)k);

        public IReadOnlyList<string> Raw { get; } = [];
    }
}
