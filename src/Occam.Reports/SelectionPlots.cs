using System.Globalization;
using Occam.Selection;
using Occam.Serialization;
using ScottPlot;

namespace Occam.Reports;

/// <summary>
/// One hyper-parameter of a sweep against its validation metric, as plain data (so a sweep runner can plot a study
/// without handing over its own types): one entry per finished trial.
/// </summary>
/// <param name="Parameter">The hyper-parameter's name, e.g. "l1" (the x-axis label).</param>
/// <param name="Values">Its value in each trial.</param>
/// <param name="LogScale">Plot the values on a log₁₀ axis (every value must then be &gt; 0).</param>
/// <param name="Metric">The metric's name, e.g. "validation loss" (the y-axis label).</param>
/// <param name="Scores">The metric of each trial (mean over folds).</param>
/// <param name="StandardErrors">Its standard error per trial, drawn as error bars; null for none.</param>
/// <param name="Best">Index of the best trial, marked; null for none.</param>
/// <param name="OneSe">Index of the one-standard-error choice, marked; null for none.</param>
public sealed record SweepScatterData(string Parameter, IReadOnlyList<double> Values, bool LogScale, string Metric, IReadOnlyList<double> Scores,
    IReadOnlyList<double>? StandardErrors = null, int? Best = null, int? OneSe = null);

/// <summary>
/// The plots of model selection (ScottPlot, written as PNG and SVG side by side, atomically):
/// <list type="bullet">
/// <item>the validation curve: the selection loss ± one standard error against λ on a log axis, with λ_min and λ_1se marked;</item>
/// <item>the path plot: exact zeros, dead units and inputs kept (percent, left axis) and the validation loss (right axis) against λ;</item>
/// <item>the sweep scatter: each trial's metric against one hyper-parameter, best and 1-SE trials marked.</item>
/// </list>
/// The log axis plots log₁₀ λ with integer-power ticks labelled 10ⁿ (ScottPlot has no log axis of its own).
/// </summary>
public static class SelectionPlots
{
    /// <summary>File stem of the validation curve (<c>validation-curve.png</c> / <c>.svg</c>).</summary>
    public const string ValidationCurveName = "validation-curve";

    /// <summary>File stem of the path plot (<c>path.png</c> / <c>.svg</c>).</summary>
    public const string PathPlotName = "path";

    /// <summary>Legend text of the λ_min marker.</summary>
    public const string LambdaMinLabel = "λ_min";

    /// <summary>Legend text of the λ_1se marker.</summary>
    public const string Lambda1seLabel = "λ_1se";

    private const int Width = 900, Height = 560;

    /// <summary>Writes the validation curve and the path plot of <paramref name="path"/> into <paramref name="directory"/> (created if missing).</summary>
    public static IReadOnlyList<string> WritePathPlots(NetworkPathResult path, string directory)
    {
        ArgumentNullException.ThrowIfNull(path);
        var files = new List<(string, Action<Stream>)>();
        files.AddRange(Files(directory, ValidationCurveName, ValidationCurve(path)));
        files.AddRange(Files(directory, PathPlotName, PathPlot(path)));
        Directory(directory);
        AtomicFile.WriteAll(files);
        return files.Select(f => f.Item1).ToArray();
    }

    /// <summary>Writes the sweep scatter of <paramref name="data"/> as <c>DIR/NAME.png</c> and <c>.svg</c>.</summary>
    public static IReadOnlyList<string> WriteSweepScatter(SweepScatterData data, string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var files = Files(directory, name, SweepScatter(data));
        Directory(directory);
        AtomicFile.WriteAll(files);
        return files.Select(f => f.Item1).ToArray();
    }

    /// <summary>The validation curve: selection loss ± SE against log₁₀ λ, λ_min and λ_1se as vertical lines.</summary>
    public static Plot ValidationCurve(NetworkPathResult path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var plot = NewPlot();
        var x = path.Points.Select(p => Math.Log10(p.Lambda)).ToArray();
        var y = path.Points.Select(p => p.SelectionLoss).ToArray();
        var se = path.Points.Select(p => p.SelectionSe).ToArray();
        string what = path.Folds >= 2 ? $"{path.Folds}-fold held-out loss" : "validation loss";
        var bars = plot.Add.ErrorBar(x, y, se);
        bars.Color = Colors.Gray;
        var curve = plot.Add.Scatter(x, y);
        curve.LegendText = $"{what} ± SE";
        curve.MarkerSize = 6;
        var train = plot.Add.Scatter(x, path.Points.Select(p => p.TrainLoss).ToArray());
        train.LegendText = "training loss";
        train.MarkerSize = 3;
        train.LineWidth = 1;
        Mark(plot, path);
        plot.Title($"Validation curve ({NetworkPathPenalties.Name(path.Penalty)} path)");
        plot.XLabel("λ (log scale)");
        plot.YLabel(what);
        LogAxis(plot.Axes.Bottom);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>The path plot: zeros, dead units and inputs kept (percent, left axis) and validation loss (right axis) against log₁₀ λ.</summary>
    public static Plot PathPlot(NetworkPathResult path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var plot = NewPlot();
        var x = path.Points.Select(p => Math.Log10(p.Lambda)).ToArray();
        Series(plot, x, path.Points.Select(p => 100 * p.ZeroFraction), "zero weights (%)");
        Series(plot, x, path.Points.Select(p => p.HiddenUnits == 0 ? 0 : 100.0 * p.DeadUnits / p.HiddenUnits), "dead units (%)");
        Series(plot, x, path.Points.Select(p => 100.0 * p.InputsKept / p.Inputs), "inputs kept (%)");
        var loss = plot.Add.Scatter(x, path.Points.Select(p => p.SelectionLoss).ToArray());
        loss.LegendText = path.Folds >= 2 ? "held-out loss (right axis)" : "validation loss (right axis)";
        loss.Axes.YAxis = plot.Axes.Right;
        loss.Color = Colors.Black;
        loss.LineWidth = 2;
        loss.MarkerSize = 4;
        Mark(plot, path);
        plot.Title($"Network λ path ({NetworkPathPenalties.Name(path.Penalty)} on the first layer)");
        plot.XLabel("λ (log scale)");
        plot.YLabel("percent");
        plot.Axes.Right.Label.Text = path.Folds >= 2 ? "held-out loss" : "validation loss";
        plot.Axes.SetLimitsY(-5, 105, plot.Axes.Left);
        LogAxis(plot.Axes.Bottom);
        plot.ShowLegend(Alignment.MiddleLeft);
        return plot;
    }

    /// <summary>The sweep scatter: one point per trial, the best and 1-SE trials marked.</summary>
    public static Plot SweepScatter(SweepScatterData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = data.Values.Count;
        if (data.Scores.Count != n || (data.StandardErrors is { } e && e.Count != n))
            throw new ArgumentException($"{n} values but {data.Scores.Count} scores{(data.StandardErrors is null ? "" : $" and {data.StandardErrors.Count} standard errors")}.", nameof(data));
        if (data.LogScale && data.Values.Any(v => !(v > 0)))
            throw new ArgumentException($"a log-scale axis needs every {data.Parameter} > 0.", nameof(data));
        var plot = NewPlot();
        var x = data.Values.Select(v => data.LogScale ? Math.Log10(v) : v).ToArray();
        var y = data.Scores.ToArray();
        if (data.StandardErrors is { } se)
        {
            var bars = plot.Add.ErrorBar(x, y, se.ToArray());
            bars.Color = Colors.Gray;
        }
        var trials = plot.Add.ScatterPoints(x, y);
        trials.LegendText = "trials";
        trials.MarkerSize = 7;
        if (data.Best is int b) Highlight(plot, x[b], y[b], "best", Colors.Red, MarkerShape.FilledSquare);
        if (data.OneSe is int o) Highlight(plot, x[o], y[o], "1-SE choice", Colors.Green, MarkerShape.FilledDiamond);
        plot.Title($"Sweep: {data.Metric} against {data.Parameter}");
        plot.XLabel(data.Parameter + (data.LogScale ? " (log scale)" : ""));
        plot.YLabel(data.Metric);
        if (data.LogScale) LogAxis(plot.Axes.Bottom);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static Plot NewPlot()
    {
        Fonts.Default = "DejaVu Sans";
        return new Plot();
    }

    private static void Series(Plot plot, double[] x, IEnumerable<double> y, string label)
    {
        var s = plot.Add.Scatter(x, y.ToArray());
        s.LegendText = label;
        s.MarkerSize = 4;
    }

    private static void Highlight(Plot plot, double x, double y, string label, Color color, MarkerShape shape)
    {
        var m = plot.Add.Marker(x, y, shape, 14, color);
        m.LegendText = label;
    }

    /// <summary>Vertical lines at λ_min and λ_1se (solid: Skia's SVG writer does not support dash effects).</summary>
    private static void Mark(Plot plot, NetworkPathResult path)
    {
        var min = plot.Add.VerticalLine(Math.Log10(path.LambdaMin), 2, Colors.Red);
        min.LegendText = $"{LambdaMinLabel} = {Text(path.LambdaMin)}";
        var oneSe = plot.Add.VerticalLine(Math.Log10(path.Lambda1se), 3, Colors.Green);
        oneSe.LegendText = $"{Lambda1seLabel} = {Text(path.Lambda1se)}";
    }

    /// <summary>The PACKAGES.md recipe: ticks at integer powers of ten, log-spaced minor ticks, labels 10ⁿ as numbers.</summary>
    private static void LogAxis(IAxis axis)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => Math.Pow(10, v).ToString("G3", CultureInfo.InvariantCulture),
        };
    }

    private static string Text(double v) => v.ToString("G3", CultureInfo.InvariantCulture);

    private static (string, Action<Stream>)[] Files(string directory, string name, Plot plot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        byte[] svg = System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(Width, Height));
        return
        [
            (System.IO.Path.Combine(directory, name + ".png"), s => s.Write(png)),
            (System.IO.Path.Combine(directory, name + ".svg"), s => s.Write(svg)),
        ];
    }

    private static void Directory(string directory)
    {
        if (File.Exists(directory))
            throw OccamException.Output($"--plots {directory} is a file; give a folder for the plots (it is created if missing).");
        try
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OccamException.Output($"--plots {directory}: cannot create the folder ({e.Message}); give a folder you can write to.", e);
        }
    }
}
