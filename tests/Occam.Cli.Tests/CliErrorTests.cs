namespace Occam.Cli.Tests;

/// <summary>
/// Runs through <see cref="Cli.Run"/> (never <c>OccamApp.Run</c> directly): a direct call writes to the process-wide
/// console while another test has it redirected, and its error line lands in that test's captured output.
/// </summary>
[Collection("console")]
public class CliErrorTests
{
    [Fact]
    public void UnknownCommandIsAUsageError()
    {
        var r = Cli.Run("no-such-command");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.StartsWith("error: unknown command 'no-such-command'; 'occam --help' lists the commands.", r.Err, StringComparison.Ordinal);
    }
}
