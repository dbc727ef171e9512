using System.Text;
using Spectre.Console;

namespace Occam.Cli.Output;

/// <summary>
/// A table of plain text cells, written either by the few lines of code below or by Spectre.Console, with the same
/// characters: the linear commands print their tables through it. Spectre's table layout and rendering is ≈ 60–80 ms of
/// first-call work in a short process (tier-0 generic code over its own value types, the character-width tables), which
/// <c>occam linear fit</c> on a 442 × 10 table spent on the warm-up thread, as long as the command's own fit
/// (docs/algorithms/startup.md, "Start-up of linear fit (session 17)"). The direct form covers the layout that case
/// needs and nothing else: at least one row, every cell printable ASCII (one terminal column per character, no markup), the
/// console's Unicode box characters (Spectre's default square border; on a terminal with ANSI codes too, since Spectre
/// writes no escape code for unstyled cells), and a table that fits the console's width at its natural column widths
/// (Spectre then neither shrinks nor wraps a column). Every other table
/// goes to Spectre (<see cref="Spectre"/>), so it prints as before. <c>PlainTableTests</c> compares both forms.
/// </summary>
/// <remarks>
/// Spectre's layout of such a table (<c>Table</c> with the square border, padding 1 left and right, no expansion): each
/// column as wide as its widest cell, header included; a top border <c>┌─…─┬─…─┐</c>, the header row, a separator
/// <c>├─…─┼─…─┤</c>, the rows and a bottom border <c>└─…─┴─…─┘</c>, each border run two characters longer than its column;
/// each row <c>│ cell │ cell │</c> with the cell padded by spaces on the right (left-aligned) or the left (right-aligned),
/// the header aligned as its column; every line ends with the platform's line break.
/// </remarks>
internal sealed class PlainTable
{
    // Lists of reference types and a bool array only: a list of value tuples, or LINQ over one, is a generic instantiation
    // the runtime compiles at tier 0 at its first call (milliseconds in a short process), where List<string> runs precompiled code.
    private readonly List<string> headers = [];
    private bool[] right = new bool[8];
    private readonly List<string[]> rows = [];

    /// <summary>Adds a column (left-aligned unless <paramref name="rightAligned"/>).</summary>
    public PlainTable AddColumn(string header, bool rightAligned = false)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (headers.Count == right.Length)
        {
            var grown = new bool[2 * right.Length];
            Array.Copy(right, grown, right.Length);
            right = grown;
        }
        right[headers.Count] = rightAligned;
        headers.Add(header);
        return this;
    }

    /// <summary>Adds a row of plain text cells (one per column).</summary>
    public PlainTable AddRow(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != headers.Count) throw new ArgumentException($"a row of {cells.Length} cells for {headers.Count} columns.", nameof(cells));
        rows.Add(cells);
        return this;
    }

    /// <summary>The same table as Spectre's <see cref="Table"/>: each cell escaped (<see cref="Markup.Escape"/>), as the commands built it.</summary>
    public Table Spectre()
    {
        var table = new Table();
        for (int c = 0; c < headers.Count; c++)
        {
            var column = new TableColumn(Markup.Escape(headers[c]));
            table.AddColumn(right[c] ? column.RightAligned() : column);
        }
        foreach (var row in rows) table.AddRow(row.Select(Markup.Escape).ToArray());
        return table;
    }

    /// <summary>Writes the table to <paramref name="console"/>: directly when <see cref="Text"/> can, else through Spectre.</summary>
    public void Write(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (console is LazyConsole lazy && Text(lazy.Profile) is { } text)
        {
            lazy.Writer.Write(text);
            lazy.Writer.Flush();
            return;
        }
        console.Write(Spectre());
    }

    /// <summary>
    /// Whether a console with <paramref name="profile"/> can take tables directly (Unicode borders); the cells and the width
    /// decide the rest. An ANSI console included: Spectre writes no escape code for a table of unstyled cells with the
    /// default border style (<c>PlainTableTests</c> renders every random table on both kinds of console).
    /// </summary>
    public static bool Direct(Profile profile) => profile.Capabilities.Unicode;

    /// <summary>
    /// The table's text as Spectre writes it for a console with <paramref name="profile"/>, or null when the direct form
    /// does not cover the case (see the class remarks): then only Spectre's rendering is right.
    /// </summary>
    public string? Text(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (headers.Count == 0 || rows.Count == 0 || !Direct(profile)) return null;
        var width = new int[headers.Count];
        for (int c = 0; c < headers.Count; c++)
        {
            if (!Plain(headers[c])) return null;
            width[c] = headers[c].Length;
        }
        foreach (var row in rows)
            for (int c = 0; c < row.Length; c++)
            {
                if (!Plain(row[c])) return null;
                width[c] = Math.Max(width[c], row[c].Length);
            }
        int total = headers.Count + 1;
        foreach (int w in width) total += w + 2;
        if (total > profile.Width) return null;

        var text = new StringBuilder(total * (rows.Count + 4) * 3);
        Border(text, width, '┌', '┬', '┐');
        Row(text, width, [.. headers]);
        Border(text, width, '├', '┼', '┤');
        foreach (var row in rows) Row(text, width, row);
        Border(text, width, '└', '┴', '┘');
        return text.ToString();
    }

    private void Row(StringBuilder text, int[] width, string[] cells)
    {
        text.Append('│');
        for (int c = 0; c < cells.Length; c++)
        {
            text.Append(' ');
            if (right[c]) text.Append(' ', width[c] - cells[c].Length).Append(cells[c]);
            else text.Append(cells[c]).Append(' ', width[c] - cells[c].Length);
            text.Append(" │");
        }
        text.Append(Environment.NewLine);
    }

    private static void Border(StringBuilder text, int[] width, char left, char middle, char right)
    {
        text.Append(left);
        for (int c = 0; c < width.Length; c++)
        {
            if (c > 0) text.Append(middle);
            text.Append('─', width[c] + 2);
        }
        text.Append(right).Append(Environment.NewLine);
    }

    /// <summary>Printable ASCII only (one column per character; no tab, control or wide character).</summary>
    private static bool Plain(string s)
    {
        foreach (char ch in s)
            if (ch is < ' ' or > '~') return false;
        return true;
    }
}
