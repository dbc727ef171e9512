using System.Globalization;
using System.Text.RegularExpressions;
using ScottPlot;

namespace Occam.Reports;

/// <summary>
/// Renders a <see cref="Figure"/> with ScottPlot 5 to SVG (text) and PNG (bytes), in the "DejaVu Sans" font.
/// A log-x figure plots log10(x) with integer-decade major ticks labelled 10^k and log-spaced minor ticks
/// (ScottPlot has no log axis). Rendering is a pure function of the figure and the size.
/// </summary>
public static partial class FigureRenderer
{
    /// <summary>Default width in pixels.</summary>
    public const int Width = 720;

    /// <summary>Default height in pixels.</summary>
    public const int Height = 420;

    private static readonly Lock FontLock = new();

    /// <summary>The figure as an SVG document (ids renumbered in order of appearance, so the text is deterministic).</summary>
    public static string Svg(Figure figure, int width = Width, int height = Height) => RenumberIds(Build(figure).GetSvgXml(width, height), "");

    /// <summary>The figure as PNG bytes.</summary>
    public static byte[] Png(Figure figure, int width = Width, int height = Height) => Build(figure).GetImageBytes(width, height, ImageFormat.Png);

    /// <summary>
    /// The SVG of <paramref name="figure"/> ready to inline in HTML: the XML declaration removed and every id
    /// (clip paths, gradients) prefixed with <paramref name="idPrefix"/> so several inline SVGs never share one.
    /// </summary>
    public static string InlineSvg(Figure figure, string idPrefix, int width = Width, int height = Height)
    {
        ArgumentException.ThrowIfNullOrEmpty(idPrefix);
        string svg = XmlDeclaration().Replace(Build(figure).GetSvgXml(width, height), "");
        return RenumberIds(svg, idPrefix).Trim();
    }

    /// <summary>
    /// Renames every id to <c>prefix + "id" + n</c> (n counting in order of first appearance) and rewrites the
    /// <c>url(#…)</c> and <c>href="#…"</c> references to match. ScottPlot numbers clip paths with a process-wide counter.
    /// </summary>
    private static string RenumberIds(string svg, string prefix)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in IdAttribute().Matches(svg))
            map.TryAdd(m.Groups[2].Value, prefix + "id" + map.Count.ToString(CultureInfo.InvariantCulture));
        string Renamed(string id) => map.TryGetValue(id, out var n) ? n : id;
        svg = IdAttribute().Replace(svg, m => $"{m.Groups[1].Value}=\"{Renamed(m.Groups[2].Value)}\"");
        svg = UrlReference().Replace(svg, m => $"url(#{Renamed(m.Groups[1].Value)})");
        return HrefReference().Replace(svg, m => $"{m.Groups[1].Value}=\"#{Renamed(m.Groups[2].Value)}\"");
    }

    /// <summary>Builds the ScottPlot plot (several bar series are drawn side by side at each x) of <paramref name="figure"/> (validated: a bad figure throws <see cref="ArgumentException"/> naming it).</summary>
    internal static Plot Build(Figure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        Validate(figure);
        lock (FontLock) Fonts.Default = "DejaVu Sans";
        var plot = new Plot();
        plot.Title(figure.Title);
        plot.XLabel(figure.XLabel);
        plot.YLabel(figure.YLabel);
        Func<double, double> fx = figure.LogX ? Math.Log10 : x => x;
        bool legend = false;
        var palette = new ScottPlot.Palettes.Category10();
        int index = 0;
        // Several bar series side by side: each gets 1/m of the (smallest) gap between categories.
        var barSeries = figure.Series.Where(s => s.Kind == SeriesKind.Bar).ToList();
        var barX = barSeries.SelectMany(s => s.X).Select(fx).Distinct().Order().ToArray();
        double gap = barX.Length > 1 ? barX.Zip(barX.Skip(1), (a, b) => b - a).Min() : 1;
        double barWidth = 0.8 * gap / Math.Max(barSeries.Count, 1);
        int barIndex = 0;
        foreach (var s in figure.Series)
        {
            var color = palette.GetColor(index++);
            double[] xs = s.X.Select(fx).ToArray(), ys = s.Y.ToArray();
            switch (s.Kind)
            {
                case SeriesKind.Line:
                {
                    var p = plot.Add.ScatterLine(xs, ys, color);
                    p.LineWidth = 2;
                    p.LegendText = s.Label;
                    break;
                }
                case SeriesKind.Scatter:
                {
                    var p = plot.Add.ScatterPoints(xs, ys, color);
                    p.MarkerSize = 5;
                    p.LegendText = s.Label;
                    break;
                }
                case SeriesKind.ErrorBar:
                {
                    var p = plot.Add.Scatter(xs, ys, color);
                    p.LegendText = s.Label;
                    var e = plot.Add.ErrorBar(xs, ys, s.YError!.ToArray());
                    if (s.YErrorLow is not null) e.YErrorNegative = s.YErrorLow.ToArray();
                    e.Color = color;
                    break;
                }
                case SeriesKind.Bar:
                {
                    double shift = (barIndex++ - (barSeries.Count - 1) / 2.0) * barWidth;
                    var bars = xs.Select((x, i) => new Bar
                    {
                        Position = x + shift,
                        Size = barWidth * 0.95,
                        Value = ys[i],
                        Error = s.YError is null ? 0 : s.YError[i],
                        FillColor = color,
                    }).ToArray();
                    var p = plot.Add.Bars(bars);
                    p.LegendText = s.Label;
                    break;
                }
                case SeriesKind.Heatmap:
                {
                    var values = s.Values!;
                    var grid = new double[values.Count, values[0].Count];
                    for (int r = 0; r < values.Count; r++)
                        for (int c = 0; c < values[r].Count; c++) grid[r, c] = values[r][c];
                    var h = plot.Add.Heatmap(grid);
                    h.Colormap = new ScottPlot.Colormaps.Viridis();
                    plot.Add.ColorBar(h);
                    // Row r is drawn at y = rows − 1 − r (row 0 on top): label the y ticks with row numbers, top down.
                    int rows = values.Count, step = Math.Max(1, (int)Math.Ceiling(rows / 10.0));
                    var rowTicks = Enumerable.Range(0, rows).Where(r => r % step == 0).ToArray();
                    plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                        rowTicks.Select(r => (double)(rows - 1 - r)).ToArray(), rowTicks.Select(r => r.ToString(CultureInfo.InvariantCulture)).ToArray());
                    break;
                }
            }
            legend |= s.Label.Length > 0 && s.Kind != SeriesKind.Heatmap;
        }
        foreach (var m in figure.Markers)
        {
            var line = plot.Add.VerticalLine(fx(m.X));
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Black;
            line.LegendText = m.Label;
            legend |= m.Label.Length > 0;
        }
        if (figure.XTicks.Count > 0)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                figure.XTicks.Select(t => fx(t.X)).ToArray(), figure.XTicks.Select(t => t.Label).ToArray());
        }
        else if (figure.LogX)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = x => Math.Pow(10, x).ToString("g4", CultureInfo.InvariantCulture),
            };
        }
        if (legend) plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static void Validate(Figure figure)
    {
        string name = $"figure '{figure.Name}'";
        if (!FileStem().IsMatch(figure.Name ?? ""))
            throw new ArgumentException($"{name}: Name must be letters, digits and dashes (it is a file name).", nameof(figure));
        foreach (var s in figure.Series)
        {
            if (s.Kind == SeriesKind.Heatmap)
            {
                if (s.Values is null || s.Values.Count == 0 || s.Values[0].Count == 0 || s.Values.Any(r => r.Count != s.Values[0].Count))
                    throw new ArgumentException($"{name}: heatmap '{s.Label}' needs a non-empty rectangular Values grid.", nameof(figure));
                continue;
            }
            if (s.X.Count != s.Y.Count || s.X.Count == 0)
                throw new ArgumentException($"{name}: series '{s.Label}' has {s.X.Count} x and {s.Y.Count} y values; it needs the same number, at least one.", nameof(figure));
            if (s.Kind == SeriesKind.ErrorBar && (s.YError is null || s.YError.Count != s.X.Count))
                throw new ArgumentException($"{name}: error-bar series '{s.Label}' needs one YError per point.", nameof(figure));
            if (s.YErrorLow is not null && (s.YError is null || s.YErrorLow.Count != s.X.Count))
                throw new ArgumentException($"{name}: series '{s.Label}' has lower error bars without matching upper ones.", nameof(figure));
            if (s.YError is not null && s.YError.Count != s.X.Count)
                throw new ArgumentException($"{name}: series '{s.Label}' has {s.YError.Count} YError values for {s.X.Count} points.", nameof(figure));
            if (figure.LogX && s.X.Any(x => !(x > 0)))
                throw new ArgumentException($"{name}: series '{s.Label}' has x ≤ 0 on a log-x figure.", nameof(figure));
        }
        if (figure.LogX && figure.Markers.Any(m => !(m.X > 0)))
            throw new ArgumentException($"{name}: a marker has x ≤ 0 on a log-x figure.", nameof(figure));
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]*$")]
    private static partial Regex FileStem();

    [GeneratedRegex(@"<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"\b(id)=""([^""]+)""")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();

    [GeneratedRegex(@"\b((?:xlink:)?href)=""#([^""]+)""")]
    private static partial Regex HrefReference();
}
