using Spectre.Console.Cli;

namespace Occam.Cli.Tests;

/// <summary>
/// <see cref="OccamCommands"/> is the one list of commands: a command line that names one registers only that one, so
/// the list must hold every command class, and the help must still list them all.
/// </summary>
public class OccamCommandsTests
{
    [Fact]
    public void TheListHoldsEveryCommandClassOnce()
    {
        var listed = OccamCommands.All.SelectMany(c => c.CommandTypes).ToList();
        var defined = typeof(OccamApp).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(ICommand).IsAssignableFrom(t)).ToHashSet();
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(defined.OrderBy(t => t.FullName), listed.OrderBy(t => t.FullName));
        var names = OccamCommands.All.SelectMany(c => c.Names).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [InlineData("train", "train")]
    [InlineData("linear", "linear")]
    [InlineData("study", "sweep")]
    public void ACommandLineThatNamesACommandRegistersThatOne(string first, string entry)
    {
        var one = Assert.Single(OccamCommands.For([first, "--out", "x.json"]));
        Assert.Contains(entry, one.Names);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("trian")]
    [InlineData("")]
    public void HelpOrAnUnknownWordRegistersEveryCommand(string first)
    {
        Assert.Same(OccamCommands.All, OccamCommands.For(first.Length == 0 ? [] : [first]));
    }

    [Fact]
    public void TheHelpStillListsEveryCommand()
    {
        var r = Cli.Run("--help");
        Assert.Equal(0, r.ExitCode);
        foreach (string name in OccamCommands.All.SelectMany(c => c.Names)) Assert.Contains(name, r.Out);
    }

    [Fact]
    public void ValueOptionsComeFromTheNamedCommandsSettings()
    {
        var train = new CommandLine(OccamCommands.For(["train"]));
        Assert.Equal(typeof(double), train.ValueType("--lr"));
        Assert.Null(train.ValueType("--timings"));       // a flag
        Assert.Null(train.ValueType("--alpha"));         // linear's, not train's
        Assert.Equal(typeof(double), new CommandLine(OccamCommands.All).ValueType("--alpha"));
    }
}
