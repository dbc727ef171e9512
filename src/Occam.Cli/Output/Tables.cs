using System.Globalization;
using Occam.Nn;
using Spectre.Console;

namespace Occam.Cli.Output;

/// <summary>Human-readable tables shared by the commands.</summary>
internal static class Tables
{
    public static string F(double? value, string format = "0.0000") =>
        value is double v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    public static string Pct(double value) => (100 * value).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>
    /// Prints a titled table and its notes. Title and notes are plain lines, never wrapped: Spectre would wrap a table's
    /// title and caption to the table's width (mid-phrase when output is redirected, where the width is 80 columns).
    /// </summary>
    public static void Show(string title, Table table, params IEnumerable<string> notes)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(notes);
        Line(title);
        AnsiConsole.Write(table);
        foreach (string note in notes) Line(note);
    }

    /// <summary>One line of plain text on standard output (no markup, no wrapping).</summary>
    public static void Line(string text)
    {
        Console.Out.WriteLine(text);
        Console.Out.Flush();
    }

    /// <summary>Prints the sparsity table and its one-line summary.</summary>
    public static void ShowSparsity(SparsityReport s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var table = new Table().AddColumns("layer", "shape", "zero weights", "zero rows", "dead units");
        foreach (var l in s.Layers)
            table.AddRow($"dense {l.Index}", $"{l.Outputs}×{l.Inputs}", $"{l.ZeroWeights}/{l.Weights} ({Pct(l.ZeroFraction)})",
                l.ZeroIncomingUnits.ToString(CultureInfo.InvariantCulture), l.Index < s.Layers.Count - 1 ? l.DeadUnits.ToString(CultureInfo.InvariantCulture) : "-");
        Show("Sparsity (exact zeros)", table,
            $"zeros {s.ZeroWeights}/{s.TotalWeights} ({Pct(s.ZeroFraction)}), dead units {s.DeadUnits}/{s.HiddenUnits}, inputs kept {s.InputsKept}/{s.Inputs}, parameters {s.Parameters} → {s.ParametersAfterPruning} after pruning");
    }
}
