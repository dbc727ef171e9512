using Spectre.Console.Cli;

namespace Occam.Cli.Commands.Linear;

/// <summary>Registers the <c>occam linear</c> branch (fit, path, cv).</summary>
internal static class LinearCommands
{
    public static void Register(IConfigurator config)
    {
        // Filled in by the linear-models work (issue 3).
    }
}
