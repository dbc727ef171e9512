using System.Net;
using System.Net.Sockets;

namespace Occam.Cli.Tests;

/// <summary>occam playground refuses what it cannot listen on in one line (the running server is tested in Occam.Playground.Tests).</summary>
[Collection("console")]
public class PlaygroundCliTests
{
    [Fact]
    public void APortInUseIsAUsageErrorThatSaysToPickAnother()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        int port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var r = Cli.Run("playground", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(64, r.ExitCode);
        Assert.StartsWith($"error: cannot listen on 127.0.0.1:{port}", r.Err, StringComparison.Ordinal);
        Assert.Contains("Pick another --port", r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--host", "example.org", "is not an IP address")]
    [InlineData("--port", "70000", "--port must be in 0..65535")]
    [InlineData("--port", "-1", "")]
    public void BadHostOrPortIsAUsageError(string option, string value, string expected)
    {
        var r = Cli.Run("playground", option + "=" + value);
        Assert.Equal(64, r.ExitCode);
        Assert.Contains(expected, r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.Trim().Split('\n'));
    }
}
