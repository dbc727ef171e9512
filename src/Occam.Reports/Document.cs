using System.Globalization;

namespace Occam.Reports;

/// <summary>
/// One experiment's part of the report: the claims it tests (quoted from the notes), its protocol, result tables,
/// figures (as data, rendered by <see cref="FigureRenderer"/>), findings and the verdict on every claim. Pure data: the
/// experiment fills it, <see cref="HtmlReport"/> renders it, and it round-trips through JSON (result.json).
/// </summary>
public sealed record ReportSection
{
    /// <summary>The experiment's command name (lower-case, dashes), e.g. <c>xor-width</c>; also the anchor in the HTML.</summary>
    public required string Name { get; init; }

    /// <summary>A human title, e.g. "XOR: how many hidden units?".</summary>
    public required string Title { get; init; }

    /// <summary>The claims tested, as stated in the notes.</summary>
    public IReadOnlyList<Claim> Claims { get; init; } = [];

    /// <summary>The protocol as an ordered key/value list (data, net, init, loss, optimizer, lr, steps, penalty, seeds, success criterion, precision).</summary>
    public IReadOnlyList<ProtocolEntry> Protocol { get; init; } = [];

    /// <summary>Result tables.</summary>
    public IReadOnlyList<Table> Tables { get; init; } = [];

    /// <summary>Figures, as data series.</summary>
    public IReadOnlyList<Figure> Figures { get; init; } = [];

    /// <summary>Findings in words (each a paragraph), written from the numbers by the experiment.</summary>
    public IReadOnlyList<string> Findings { get; init; } = [];

    /// <summary>One verdict per claim, computed from the statistics.</summary>
    public IReadOnlyList<Verdict> Verdicts { get; init; } = [];
}

/// <summary>A claim as stated in a note: <paramref name="Id"/> (unique within the experiment, used by <see cref="Verdict.ClaimId"/>),
/// the note number (e.g. "000"), the original text (Chinese) and its English translation.</summary>
public sealed record Claim(string Id, string Note, string Original, string English);

/// <summary>One line of a protocol: what (<paramref name="Key"/>) and how (<paramref name="Value"/>).</summary>
public sealed record ProtocolEntry(string Key, string Value);

/// <summary>A result table: a caption, column headers and rows of <see cref="Cell"/>s (each row as long as <see cref="Columns"/>).</summary>
public sealed record Table(string Caption, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<Cell>> Rows);

/// <summary>How a <see cref="Cell"/> shows its number.</summary>
public enum CellFormat
{
    /// <summary>Plain text (<see cref="Cell.Text"/>).</summary>
    Text,

    /// <summary>A number with <see cref="Cell.Digits"/> significant digits.</summary>
    Number,

    /// <summary>An integer count.</summary>
    Whole,

    /// <summary>A rate in [0, 1] shown as a percentage with its interval: <c>12.4 % [9.8, 15.5]</c>.</summary>
    Rate,

    /// <summary>A mean with its standard error: <c>0.123 ± 0.004</c>.</summary>
    MeanSe,
}

/// <summary>
/// A table cell: text, a number, a rate with its (Wilson 95 %) interval or a mean with its standard error.
/// Build it with <see cref="Of(string)"/>, <see cref="Number"/>, <see cref="Count"/>, <see cref="Rate"/> or <see cref="Mean"/>.
/// </summary>
public sealed record Cell
{
    /// <summary>How the cell is shown.</summary>
    public CellFormat Format { get; init; }

    /// <summary>The text of a <see cref="CellFormat.Text"/> cell.</summary>
    public string? Text { get; init; }

    /// <summary>The estimate (rate, mean or number).</summary>
    public double Value { get; init; }

    /// <summary>Lower end of the rate's interval.</summary>
    public double Low { get; init; }

    /// <summary>Upper end of the rate's interval.</summary>
    public double High { get; init; }

    /// <summary>Standard error of a mean.</summary>
    public double StandardError { get; init; }

    /// <summary>Significant digits for numbers and means. Default 3.</summary>
    public int Digits { get; init; } = 3;

    /// <summary>A text cell.</summary>
    public static Cell Of(string text) => new() { Format = CellFormat.Text, Text = text };

    /// <summary>A number shown with <paramref name="digits"/> significant digits.</summary>
    public static Cell Number(double value, int digits = 3) => new() { Format = CellFormat.Number, Value = value, Digits = digits };

    /// <summary>An integer count.</summary>
    public static Cell Count(long value) => new() { Format = CellFormat.Whole, Value = value };

    /// <summary>A rate in [0, 1] with its interval [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static Cell Rate(double value, double low, double high) => new() { Format = CellFormat.Rate, Value = value, Low = low, High = high };

    /// <summary>A mean ± its standard error.</summary>
    public static Cell Mean(double mean, double standardError, int digits = 3) =>
        new() { Format = CellFormat.MeanSe, Value = mean, StandardError = standardError, Digits = digits };

    /// <summary>The cell as the report shows it (invariant culture).</summary>
    public string Display() => Format switch
    {
        CellFormat.Text => Text ?? "",
        CellFormat.Number => Numbers.Significant(Value, Digits),
        CellFormat.Whole => Value.ToString("0", CultureInfo.InvariantCulture),
        CellFormat.Rate => $"{Numbers.Percent(Value)} % [{Numbers.Percent(Low)}, {Numbers.Percent(High)}]",
        CellFormat.MeanSe => $"{Numbers.Significant(Value, Digits)} ± {Numbers.Significant(StandardError, 2)}",
        _ => throw new InvalidOperationException($"unknown cell format {Format}."),
    };
}

/// <summary>A figure as data: series on one pair of axes, axis labels, a log-x flag, vertical markers and optional category ticks.</summary>
public sealed record Figure
{
    /// <summary>File stem of the PNG/SVG (letters, digits, dashes), unique within the experiment, e.g. <c>success-rate</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Title above the plot.</summary>
    public required string Title { get; init; }

    /// <summary>Label of the x axis.</summary>
    public string XLabel { get; init; } = "";

    /// <summary>Label of the y axis.</summary>
    public string YLabel { get; init; } = "";

    /// <summary>Plot x on a log10 scale (every x must then be &gt; 0).</summary>
    public bool LogX { get; init; }

    /// <summary>The series, drawn in order.</summary>
    public IReadOnlyList<Series> Series { get; init; } = [];

    /// <summary>Vertical lines (e.g. the λ chosen by CV), in data units (not log10).</summary>
    public IReadOnlyList<Marker> Markers { get; init; } = [];

    /// <summary>Category labels at x positions (for bar charts), replacing numeric x ticks when given.</summary>
    public IReadOnlyList<Tick> XTicks { get; init; } = [];

    /// <summary>A sentence under the figure saying what it shows.</summary>
    public string Caption { get; init; } = "";
}

/// <summary>What a <see cref="Series"/> draws.</summary>
public enum SeriesKind
{
    /// <summary>Points joined by lines.</summary>
    Line,

    /// <summary>Points only.</summary>
    Scatter,

    /// <summary>Points with ± <see cref="Series.YError"/> bars, joined by lines.</summary>
    ErrorBar,

    /// <summary>Bars at <see cref="Series.X"/> of height <see cref="Series.Y"/> (optional error bars); several bar series are grouped side by side.</summary>
    Bar,

    /// <summary>A grid of <see cref="Series.Values"/> (row 0 at the top, y ticks labelled with row numbers top down; column c at x = c) with a colour bar.</summary>
    Heatmap,
}

/// <summary>One data series of a <see cref="Figure"/>. Build it with <see cref="Line"/>, <see cref="Points"/>, <see cref="Errors"/>, <see cref="Bars"/> or <see cref="Grid"/>.</summary>
public sealed record Series
{
    /// <summary>What to draw.</summary>
    public SeriesKind Kind { get; init; }

    /// <summary>Legend label ("" = not in the legend).</summary>
    public string Label { get; init; } = "";

    /// <summary>x values (data units).</summary>
    public IReadOnlyList<double> X { get; init; } = [];

    /// <summary>y values, as many as <see cref="X"/>.</summary>
    public IReadOnlyList<double> Y { get; init; } = [];

    /// <summary>Half-widths of the error bars (± around y; the upper side when <see cref="YErrorLow"/> is given), or null.</summary>
    public IReadOnlyList<double>? YError { get; init; }

    /// <summary>Lengths of the lower error bars (y − low) for asymmetric intervals such as Wilson's, or null (= <see cref="YError"/>).</summary>
    public IReadOnlyList<double>? YErrorLow { get; init; }

    /// <summary>Heatmap cells, rows × columns (row 0 at the top).</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Values { get; init; }

    /// <summary>Points joined by lines.</summary>
    public static Series Line(string label, IReadOnlyList<double> x, IReadOnlyList<double> y) => new() { Kind = SeriesKind.Line, Label = label, X = x, Y = y };

    /// <summary>Points only.</summary>
    public static Series Points(string label, IReadOnlyList<double> x, IReadOnlyList<double> y) => new() { Kind = SeriesKind.Scatter, Label = label, X = x, Y = y };

    /// <summary>Points with ± error bars, joined by lines.</summary>
    public static Series Errors(string label, IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double> yError) =>
        new() { Kind = SeriesKind.ErrorBar, Label = label, X = x, Y = y, YError = yError };

    /// <summary>Points with their (possibly asymmetric) intervals [<paramref name="low"/>, <paramref name="high"/>], joined by lines: e.g. rates with Wilson intervals.</summary>
    public static Series Intervals(string label, IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double> low, IReadOnlyList<double> high)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(low);
        ArgumentNullException.ThrowIfNull(high);
        return new()
        {
            Kind = SeriesKind.ErrorBar, Label = label, X = x, Y = y,
            YError = y.Select((v, i) => high[i] - v).ToArray(),
            YErrorLow = y.Select((v, i) => v - low[i]).ToArray(),
        };
    }

    /// <summary>Bars (optionally with ± error bars).</summary>
    public static Series Bars(string label, IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double>? yError = null) =>
        new() { Kind = SeriesKind.Bar, Label = label, X = x, Y = y, YError = yError };

    /// <summary>A heatmap of <paramref name="values"/> (rows × columns, row 0 at the top).</summary>
    public static Series Grid(string label, IReadOnlyList<IReadOnlyList<double>> values) => new() { Kind = SeriesKind.Heatmap, Label = label, Values = values };
}

/// <summary>A vertical line at <paramref name="X"/> (data units) with a legend label.</summary>
public sealed record Marker(double X, string Label);

/// <summary>A category label at x position <paramref name="X"/>.</summary>
public sealed record Tick(double X, string Label);

/// <summary>The three verdicts a claim can get (the rule that computes them is in Occam.Experiments' <c>VerdictRule</c>, docs/experiments.md).</summary>
public enum VerdictOutcome
{
    /// <summary>The statistics support the claim as stated.</summary>
    Supported,

    /// <summary>The claim holds under some of the tested conditions only, or the data cannot decide.</summary>
    Conditional,

    /// <summary>The statistics contradict the claim as stated.</summary>
    NotSupported,
}

/// <summary>The verdict on claim <paramref name="ClaimId"/>, with the reason: the numbers and the rule's decision for every condition.</summary>
public sealed record Verdict(string ClaimId, VerdictOutcome Outcome, string Reason);

/// <summary>Number formatting shared by tables and figure captions (invariant culture).</summary>
public static class Numbers
{
    /// <summary><paramref name="value"/> with <paramref name="digits"/> significant digits (fixed notation between 1e-4 and 1e6, else exponent).</summary>
    public static string Significant(double value, int digits)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "∞" : "−∞";
        if (value == 0) return "0";
        double a = Math.Abs(value);
        if (a >= 1e6 || a < 1e-4) return value.ToString("0." + new string('#', Math.Max(digits - 1, 0)) + "e+0", CultureInfo.InvariantCulture);
        int magnitude = (int)Math.Floor(Math.Log10(a));
        int decimals = Math.Clamp(digits - 1 - magnitude, 0, 15);
        return Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    /// <summary>A rate in [0, 1] as a percentage with one decimal (no % sign).</summary>
    public static string Percent(double rate) => (100 * rate).ToString("0.0", CultureInfo.InvariantCulture);
}
