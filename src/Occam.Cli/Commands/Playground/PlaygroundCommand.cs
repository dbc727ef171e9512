using System.ComponentModel;
using Occam.Playground;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands.Playground;

public sealed class PlaygroundSettings : JsonSettings
{
    [CommandOption("--port <PORT>")]
    [Description("TCP port (0 = any free port). Default 5000.")]
    [DefaultValue(5000)]
    public int Port { get; init; } = 5000;

    [CommandOption("--host <ADDRESS>")]
    [Description("Address to listen on. Default 127.0.0.1 (this machine only); 0.0.0.0 exposes the playground to the network.")]
    [DefaultValue("127.0.0.1")]
    public string Host { get; init; } = "127.0.0.1";

    public override ValidationResult Validate() =>
        Port is < 0 or > 65535 ? ValidationResult.Error($"--port must be in 0..65535 (got {Port}).") : ValidationResult.Success();
}

/// <summary><c>occam playground</c>: serves the playground page (see <see cref="PlaygroundServer"/>) until Ctrl+C.</summary>
public sealed class PlaygroundCommand : Command<PlaygroundSettings>
{
    public override int Execute(CommandContext context, PlaygroundSettings settings, CancellationToken cancellationToken)
    {
        var server = PlaygroundServer.StartAsync(new PlaygroundOptions { Host = settings.Host, Port = settings.Port }, cancellationToken).GetAwaiter().GetResult();
        try
        {
            if (settings.Json)
                Output.JsonOut.Print(w => w.WriteString("url", server.Address.ToString()));
            else
            {
                Output.Tables.Line($"occam playground: open {server.Address} in a browser (Ctrl+C stops the server)");
                if (settings.Host is not ("127.0.0.1" or "localhost" or "::1"))
                    Console.Error.WriteLine($"warning: listening on {settings.Host}: other machines can reach this playground and train on this machine's CPU.");
            }
            Console.Out.Flush();
            server.WaitForShutdownAsync(cancellationToken).GetAwaiter().GetResult();
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return 0;
    }
}
