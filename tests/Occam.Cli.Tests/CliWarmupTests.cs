using Occam.Cli.Output;
using Spectre.Console;

namespace Occam.Cli.Tests;

/// <summary>
/// <see cref="CliWarmup"/> guesses the linear estimator from the raw words as Spectre will bind them (a wrong guess
/// only compiles other code), and <see cref="LazyConsole"/> creates one console at its first use, over the writer it
/// was given.
/// </summary>
public class CliWarmupTests
{
    [Theory]
    [InlineData("lasso")]
    [InlineData("ridge", "--penalty", "ridge")]
    [InlineData("elasticnet", "--penalty=elasticnet")]
    [InlineData("elasticnet", "--l1-ratio", "0.3")]
    [InlineData("lasso", "--task", "regression")]
    [InlineData(null, "--task", "binary")]
    [InlineData(null, "--task=multiclass")]
    [InlineData(null, "--penalty", "l0")]
    public void TheLinearEstimatorFollowsThePenaltyAndTheTask(string? expected, params string[] options)
    {
        var estimator = CliWarmup.LinearEstimatorOf(["linear", "fit", "--data", "d.csv", "--target", "y", .. options]);
        Assert.Equal(expected, estimator switch
        {
            null => null,
            Lasso => "lasso",
            Ridge => "ridge",
            ElasticNet => "elasticnet",
            _ => estimator.GetType().Name,
        });
    }

    [Fact]
    public void TheLazyConsoleIsCreatedOnceAndWritesToItsWriter()
    {
        var writer = new StringWriter();
        var console = new LazyConsole(writer);
        Assert.Same(console.Console, console.Console);
        console.Write(new Text("coefficients"));
        Assert.Contains("coefficients", writer.ToString(), StringComparison.Ordinal);
        Assert.Same(console.Console.Profile, console.Profile);
    }

    [Fact]
    public void TheTableRenderedAheadWritesNothing()
    {
        var writer = new StringWriter();
        var console = new LazyConsole(writer);
        var segments = CliWarmup.RenderTable(console.Console);
        Assert.Equal("", writer.ToString());
        string text = string.Concat(segments.Select(s => s.Text));
        Assert.Contains("feature", text, StringComparison.Ordinal);
        Assert.Contains("-247.889", text, StringComparison.Ordinal);
    }
}
