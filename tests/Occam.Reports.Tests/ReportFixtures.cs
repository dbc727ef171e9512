using Occam.Reports;

namespace Occam.Reports.Tests;

/// <summary>Small figures and sections of every series kind, shared by the rendering tests.</summary>
internal static class ReportFixtures
{
    public static Figure LineFigure(string name = "lines") => new()
    {
        Name = name,
        Title = "Error vs λ",
        XLabel = "λ",
        YLabel = "error",
        LogX = true,
        Series =
        [
            Series.Line("train", [1e-4, 1e-3, 1e-2, 1e-1], [0.1, 0.12, 0.2, 0.5]),
            Series.Errors("validation", [1e-4, 1e-3, 1e-2, 1e-1], [0.4, 0.3, 0.25, 0.5], [0.02, 0.02, 0.03, 0.04]),
        ],
        Markers = [new Marker(1e-2, "1-SE choice")],
        Caption = "a caption",
    };

    public static Figure BarFigure() => new()
    {
        Name = "bars",
        Title = "Success rate",
        YLabel = "rate",
        Series = [Series.Bars("rate", [0, 1, 2], [0.1, 0.9, 1.0], [0.03, 0.03, 0.01])],
        XTicks = [new Tick(0, "2 hidden"), new Tick(1, "4 hidden"), new Tick(2, "8 hidden")],
    };

    public static Figure HeatmapFigure() => new()
    {
        Name = "heat",
        Title = "Pixels kept",
        Series = [Series.Grid("", [[0, 1, 0.5], [1, 0, 0.25]])],
    };

    public static Figure ScatterFigure() => new()
    {
        Name = "points",
        Title = "Points",
        Series = [Series.Points("a", [1, 2, 3], [3, 1, 2])],
    };

    public static ReportSection Section(string name) => new()
    {
        Name = name,
        Title = $"Section {name} <&>",
        Claims = [new Claim("c1", "000", "大约十次尝试中只有一次成功", "only about 1 try in 10 succeeds")],
        Protocol = [new ProtocolEntry("data", "the four XOR points"), new ProtocolEntry("seeds", "20")],
        Tables = [new Table("Rates", ["width", "success"], [[Cell.Count(2), Cell.Rate(0.1, 0.05, 0.2)]])],
        Figures = [LineFigure(), BarFigure(), HeatmapFigure(), ScatterFigure()],
        Findings = ["A finding."],
        Verdicts = [new Verdict("c1", VerdictOutcome.Conditional, "width 2: 10.0 % [5.0, 20.0] vs ≤ 15 % → conditional.")],
    };
}
