namespace Occam;

/// <summary>
/// An error caused by the user's input (a file, an option, a model) rather than by a bug.
/// The message is one line that names the problem and the fix; the CLI prints it without a
/// stack trace and exits non-zero.
/// </summary>
public class OccamException : Exception
{
    public OccamException(string message) : base(message) { }
    public OccamException(string message, Exception inner) : base(message, inner) { }
}
