using System.Text.RegularExpressions;
using System.Xml.Linq;
using Occam.Reports;

namespace Occam.Reports.Tests;

public class RenderingTests
{
    public static TheoryData<string> FigureNames => new() { "lines", "bars", "heat", "points" };

    private static Figure ByName(string name) => ReportFixtures.Section("s").Figures.Single(f => f.Name == name);

    [Theory]
    [MemberData(nameof(FigureNames))]
    public void Every_series_kind_renders_to_svg_with_drawn_elements_and_to_png(string name)
    {
        var figure = ByName(name);
        var svg = XDocument.Parse(FigureRenderer.Svg(figure));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        int drawn = svg.Descendants().Count(e => e.Name.LocalName is "path" or "rect" or "line" or "polyline" or "circle" or "image" or "text");
        Assert.True(drawn > 10, $"{name}: only {drawn} drawn elements");
        byte[] png = FigureRenderer.Png(figure);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public void Titles_and_labels_are_in_the_svg_as_text()
    {
        string svg = FigureRenderer.Svg(ReportFixtures.LineFigure());
        Assert.Contains("Error vs", svg);
        Assert.Contains("validation", svg);
        Assert.Contains("1-SE choice", svg);
    }

    [Fact]
    public void Rendering_is_deterministic()
    {
        Assert.Equal(FigureRenderer.Svg(ReportFixtures.LineFigure()), FigureRenderer.Svg(ReportFixtures.LineFigure()));
    }

    [Fact]
    public void Inline_svgs_get_prefixed_ids_so_two_figures_never_share_one()
    {
        string a = FigureRenderer.InlineSvg(ReportFixtures.LineFigure(), "a--");
        string b = FigureRenderer.InlineSvg(ReportFixtures.LineFigure(), "b--");
        Assert.DoesNotContain("<?xml", a);
        var idsA = Regex.Matches(a, "\\bid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        var idsB = Regex.Matches(b, "\\bid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.All(idsA, id => Assert.StartsWith("a--", id));
        Assert.DoesNotContain(idsA, idsB.Contains);
        foreach (Match m in Regex.Matches(a, "url\\(#([^)]+)\\)")) Assert.Contains(m.Groups[1].Value, idsA);
    }

    [Fact]
    public void Bad_figures_are_refused_with_the_figure_named()
    {
        var mismatched = new Figure { Name = "bad", Title = "t", Series = [Series.Line("s", [1, 2], [1])] };
        Assert.Contains("figure 'bad'", Assert.Throws<ArgumentException>(() => FigureRenderer.Svg(mismatched)).Message);
        var logZero = new Figure { Name = "log", Title = "t", LogX = true, Series = [Series.Line("s", [0, 1], [1, 2])] };
        Assert.Contains("log-x", Assert.Throws<ArgumentException>(() => FigureRenderer.Svg(logZero)).Message);
        var badName = new Figure { Name = "../x", Title = "t", Series = [Series.Line("s", [1], [1])] };
        Assert.Contains("file name", Assert.Throws<ArgumentException>(() => FigureRenderer.Svg(badName)).Message);
    }

    [Fact]
    public void Html_is_self_contained_and_has_every_part()
    {
        string html = HtmlReport.Render("Occam report", [ReportFixtures.Section("one"), ReportFixtures.Section("two")], ["made by a test"]);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Equal(8, Regex.Count(html, "<svg\\b"));
        Assert.Contains("大约十次尝试中只有一次成功", html);
        Assert.Contains("only about 1 try in 10 succeeds", html);
        Assert.Contains("Section one &lt;&amp;&gt;", html);
        Assert.Contains("10.0 % [5.0, 20.0]", html);
        Assert.Contains("class=\"verdict conditional\"", html);
        // No external requests: no scripts, stylesheets, images or fonts from a URL (xmlns values are names, not requests).
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotMatch("url\\((['\"])?(https?:)?//", html);
        // Every id in the page is unique (several inline SVGs).
        var ids = Regex.Matches(html, "\\bid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Html_refuses_two_sections_with_one_name()
    {
        var e = Assert.Throws<ArgumentException>(() => HtmlReport.Render("r", [ReportFixtures.Section("x"), ReportFixtures.Section("x")]));
        Assert.Contains("'x'", e.Message);
    }
}
