using System.Globalization;
using System.Text;

namespace Occam.Data;

/// <summary>Writes a <see cref="Dataset"/> as the CSV <see cref="CsvLoader"/> reads back to the same numbers.</summary>
public static class CsvWriter
{
    /// <summary>
    /// Header of the feature names then the target name; one row per data row: features in round-trip form ("R"),
    /// then the class label text (classification) or the target value. UTF-8 without BOM, "\n" line ends.
    /// </summary>
    public static void Write(Dataset data, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(stream);
        var inv = CultureInfo.InvariantCulture;
        using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        w.WriteLine(CsvField.Join(data.FeatureNames.Append(data.TargetName)));
        for (int r = 0; r < data.Rows; r++)
        {
            foreach (double v in data.Row(r))
            {
                w.Write(v.ToString("R", inv));
                w.Write(',');
            }
            w.WriteLine(data.Classes is { } classes ? CsvField.Format(classes[(int)data.Y[r]]) : data.Y[r].ToString("R", inv));
        }
    }
}
