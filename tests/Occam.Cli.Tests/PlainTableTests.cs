using Occam.Cli.Output;
using Spectre.Console;

namespace Occam.Cli.Tests;

/// <summary>
/// <see cref="PlainTable"/> writes exactly what Spectre.Console writes for the same table, or leaves the table to Spectre:
/// random tables of printable ASCII (spaces, markup brackets and empty cells included), every alignment, at console
/// widths around the table's own width, against Spectre's rendering of <see cref="PlainTable.Spectre"/>.
/// </summary>
public class PlainTableTests
{
    private const string Printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

    private static IAnsiConsole SpectreConsole(StringWriter writer, int width, bool unicode, bool ansi)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = ansi ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = ansi ? ColorSystemSupport.TrueColor : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        console.Profile.Capabilities.Unicode = unicode;
        return console;
    }

    private static string Rendered(PlainTable table, int width, bool unicode = true, bool ansi = false)
    {
        var writer = new StringWriter();
        SpectreConsole(writer, width, unicode, ansi).Write(table.Spectre());
        return writer.ToString();
    }

    private static string Cell(Random random, int longest)
    {
        int length = random.Next(longest + 1);
        return string.Concat(Enumerable.Range(0, length).Select(_ => Printable[random.Next(Printable.Length)]));
    }

    /// <summary>The table's width at its natural column widths: Σ (widest cell + 2) + one border per column and one more.</summary>
    private static int NaturalWidth(string[] headers, List<string[]> rows) =>
        headers.Length + 1 + Enumerable.Range(0, headers.Length).Sum(c => 2 + Math.Max(headers[c].Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length)));

    [Fact]
    public void RandomTablesAreSpectresCharacterForCharacterOrLeftToSpectre()
    {
        var random = new Random(17);
        int direct = 0;
        for (int t = 0; t < 300; t++)
        {
            int columns = random.Next(1, 7), count = random.Next(0, 13), longest = random.Next(0, 16);
            var headers = Enumerable.Range(0, columns).Select(_ => Cell(random, longest)).ToArray();
            var table = new PlainTable();
            foreach (string h in headers) table.AddColumn(h, rightAligned: random.Next(2) == 1);
            var rows = new List<string[]>();
            for (int r = 0; r < count; r++)
            {
                var row = Enumerable.Range(0, columns).Select(_ => Cell(random, longest)).ToArray();
                rows.Add(row);
                table.AddRow(row);
            }
            int natural = NaturalWidth(headers, rows);
            foreach (int width in new[] { natural - 1, natural, natural + 1, natural + 37 })
            foreach (bool ansi in new[] { false, true })
            {
                if (width < 1) continue;
                var writer = new StringWriter();
                var console = SpectreConsole(writer, width, unicode: true, ansi);
                string? text = table.Text(console.Profile);
                if (width >= natural && count > 0)
                {
                    Assert.NotNull(text);
                    direct++;
                }
                else
                {
                    Assert.Null(text);
                }
                if (text is not null) Assert.Equal(Rendered(table, width, ansi: ansi), text);
            }
        }
        Assert.True(direct >= 1100, $"{direct} direct renderings");
    }

    [Fact]
    public void TheLinearFitTableIsSpectres()
    {
        var table = new PlainTable().AddColumn("feature").AddColumn("coef", rightAligned: true);
        table.AddRow("(intercept)", "-247.889").AddRow("sex", "-20.6162").AddRow("bmi", "5.66161").AddRow("s1", "-0.224916");
        var console = SpectreConsole(new StringWriter(), 80, unicode: true, ansi: false);
        string? text = table.Text(console.Profile);
        Assert.NotNull(text);
        Assert.Equal(Rendered(table, 80), text);
        Assert.StartsWith("┌─────────────┬───────────┐" + Environment.NewLine + "│ feature     │      coef │" + Environment.NewLine, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("β", "1")]          // not ASCII: Spectre measures its width
    [InlineData("a\tb", "1")]       // a control character
    [InlineData("[red]x[/]", "1")]  // brackets are text here (escaped for Spectre): still direct
    public void OnlyPrintableAsciiIsWrittenDirectly(string feature, string coef)
    {
        var table = new PlainTable().AddColumn("feature").AddColumn("coef", rightAligned: true).AddRow(feature, coef);
        var console = SpectreConsole(new StringWriter(), 80, unicode: true, ansi: false);
        string? text = table.Text(console.Profile);
        if (feature.All(c => c is >= ' ' and <= '~'))
            Assert.Equal(Rendered(table, 80), text);
        else
            Assert.Null(text);
    }

    [Fact]
    public void AsciiBordersAreLeftToSpectreAnsiConsolesAreNot()
    {
        var table = new PlainTable().AddColumn("feature").AddRow("bmi");
        Assert.Null(table.Text(SpectreConsole(new StringWriter(), 80, unicode: false, ansi: false).Profile));
        Assert.Null(table.Text(SpectreConsole(new StringWriter(), 80, unicode: false, ansi: true).Profile));
        Assert.Equal(Rendered(table, 80, ansi: true), table.Text(SpectreConsole(new StringWriter(), 80, unicode: true, ansi: true).Profile));
        Assert.Null(new PlainTable().Text(SpectreConsole(new StringWriter(), 80, unicode: true, ansi: false).Profile));
        Assert.Null(new PlainTable().AddColumn("feature").Text(SpectreConsole(new StringWriter(), 80, unicode: true, ansi: false).Profile));   // no rows: Spectre draws no header separator
    }

    [Fact]
    public void WriteGoesToTheLazyConsolesWriterOrThroughSpectre()
    {
        var table = new PlainTable().AddColumn("feature").AddColumn("coef", rightAligned: true).AddRow("bmi", "5.66161");
        var writer = new StringWriter();
        var lazy = new LazyConsole(writer);
        table.Write(lazy);
        var expected = new StringWriter();
        var same = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(expected) });
        same.Write(table.Spectre());
        Assert.Equal(expected.ToString(), writer.ToString());

        var other = new StringWriter();
        table.Write(SpectreConsole(other, 80, unicode: true, ansi: false));
        Assert.Equal(Rendered(table, 80), other.ToString());
    }
}
