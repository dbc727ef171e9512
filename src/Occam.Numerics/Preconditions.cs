using System.Runtime.CompilerServices;

namespace Occam.Numerics;

/// <summary>
/// Argument checks at API boundaries. Each throws an <see cref="ArgumentException"/> whose message
/// names the parameter and says what to fix; inside hot loops use <c>Debug.Assert</c> instead.
/// </summary>
internal static class Preconditions
{
    public static void CheckNonNegative(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number >= 0 (got {value}).");
    }

    public static void CheckPositive(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0 (got {value}).");
    }

    public static void CheckInRange(double value, double min, double max, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value >= min && value <= max))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{min}, {max}] (got {value}).");
    }

    public static void CheckPositive(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be > 0 (got {value}).");
    }

    public static void CheckNonNegative(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= 0 (got {value}).");
    }

    public static void CheckLength(int actual, int expected, [CallerArgumentExpression(nameof(actual))] string? name = null)
    {
        if (actual < expected)
            throw new ArgumentException($"{name} has length {actual}; at least {expected} is needed.", name);
    }

    public static void Check(bool condition, string message, [CallerArgumentExpression(nameof(condition))] string? name = null)
    {
        if (!condition)
            throw new ArgumentException(message, name);
    }
}
