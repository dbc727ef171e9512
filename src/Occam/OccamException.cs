namespace Occam;

/// <summary>What kind of user mistake an <see cref="OccamException"/> reports (the CLI maps each to one exit code).</summary>
public enum OccamErrorKind
{
    /// <summary>The input's content is wrong: a malformed CSV, IDX or model file, labels that do not match, a diverging fit. The default.</summary>
    Data,

    /// <summary>An argument or option is wrong: out of range, empty, contradicting another, or asking for more than fits in memory.</summary>
    Usage,

    /// <summary>An input file is missing, is a folder, or cannot be read.</summary>
    InputMissing,

    /// <summary>An output file cannot be written: missing folder, read-only file, a device or FIFO, a full disk.</summary>
    Output,
}

/// <summary>
/// An error caused by the user's input (a file, an option, a model) rather than by a bug.
/// The message is one line that names the problem and the fix; the CLI prints it without a
/// stack trace and exits with the code of its <see cref="Kind"/>.
/// </summary>
public class OccamException : Exception
{
    /// <summary>A <see cref="OccamErrorKind.Data"/> error.</summary>
    public OccamException(string message) : base(message) { }

    /// <summary>A <see cref="OccamErrorKind.Data"/> error caused by <paramref name="inner"/>.</summary>
    public OccamException(string message, Exception inner) : base(message, inner) { }

    /// <summary>An error of the given kind.</summary>
    public OccamException(OccamErrorKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    /// <summary>Which kind of mistake this is.</summary>
    public OccamErrorKind Kind { get; }

    /// <summary>An argument or option is wrong (<see cref="OccamErrorKind.Usage"/>).</summary>
    public static OccamException Usage(string message) => new(OccamErrorKind.Usage, message);

    /// <summary>An input file is missing or unreadable (<see cref="OccamErrorKind.InputMissing"/>).</summary>
    public static OccamException InputMissing(string message, Exception? inner = null) => new(OccamErrorKind.InputMissing, message, inner);

    /// <summary>An output file cannot be written (<see cref="OccamErrorKind.Output"/>).</summary>
    public static OccamException Output(string message, Exception? inner = null) => new(OccamErrorKind.Output, message, inner);
}
