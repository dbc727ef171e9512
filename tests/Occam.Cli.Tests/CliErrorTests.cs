using Occam.Cli;

namespace Occam.Cli.Tests;

public class CliErrorTests
{
    [Fact]
    public void UnknownCommandIsAUsageError()
    {
        Assert.NotEqual(0, OccamApp.Run(["no-such-command"]));
    }
}
