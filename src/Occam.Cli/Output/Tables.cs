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

    public static Table Sparsity(SparsityReport s)
    {
        var table = new Table().Title("Sparsity (exact zeros)").AddColumns("layer", "shape", "zero weights", "zero rows", "dead units");
        foreach (var l in s.Layers)
            table.AddRow($"dense {l.Index}", $"{l.Outputs}×{l.Inputs}", $"{l.ZeroWeights}/{l.Weights} ({Pct(l.ZeroFraction)})",
                l.ZeroIncomingUnits.ToString(CultureInfo.InvariantCulture), l.Index < s.Layers.Count - 1 ? l.DeadUnits.ToString(CultureInfo.InvariantCulture) : "-");
        table.Caption($"zeros {s.ZeroWeights}/{s.TotalWeights} ({Pct(s.ZeroFraction)}), dead units {s.DeadUnits}/{s.HiddenUnits}, inputs kept {s.InputsKept}/{s.Inputs}, parameters {s.Parameters} → {s.ParametersAfterPruning} after pruning");
        return table;
    }
}
