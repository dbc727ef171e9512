using System.Globalization;
using System.Net;
using System.Text;

namespace Occam.Reports;

/// <summary>
/// Renders report sections as one self-contained HTML file: inline CSS, every figure as inline SVG, no script, no
/// external request (no fonts, images or styles from elsewhere), readable offline. A table of contents lists each
/// section with its verdicts; each section shows the claims (original and English), the protocol, the tables, the
/// figures, the findings and the verdicts with their reasons.
/// </summary>
public static class HtmlReport
{
    private const string Css = """
        body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
        h1{font-size:1.7rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2.5rem}h3{font-size:1.05rem;margin-bottom:.3rem}
        table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
        th{background:#f4f4f4}caption{caption-side:top;text-align:left;font-weight:bold;padding:.3rem 0}
        dl.protocol{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem}dl.protocol dt{font-weight:bold}dl.protocol dd{margin:0}
        blockquote{margin:.4rem 0;padding:.3rem .8rem;border-left:4px solid #bbb;background:#fafafa}
        .zh{font-size:1.05rem}.note{color:#666;font-size:.85rem}
        figure{margin:1rem 0}figure svg{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:.9rem;color:#444}
        .verdict{display:inline-block;padding:.05rem .5rem;border-radius:.6rem;font-weight:bold;font-size:.85rem;color:#fff}
        .supported{background:#2e7d32}.conditional{background:#b26a00}.not-supported{background:#c62828}
        ul.toc{list-style:none;padding-left:0}ul.toc li{margin:.2rem 0}
        """;

    /// <summary>The HTML page for <paramref name="sections"/> under <paramref name="title"/>, with <paramref name="preamble"/> paragraphs (e.g. how it was produced) under the title.</summary>
    public static string Render(string title, IReadOnlyList<ReportSection> sections, IReadOnlyList<string>? preamble = null)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in sections)
            if (!names.Add(s.Name)) throw new ArgumentException($"two report sections are named '{s.Name}'; names must be unique.", nameof(sections));
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(title)).Append("</title>\n<style>")
            .Append(Css).Append("</style>\n</head>\n<body>\n<h1>").Append(E(title)).Append("</h1>\n");
        foreach (var p in preamble ?? []) h.Append("<p>").Append(E(p)).Append("</p>\n");
        h.Append("<ul class=\"toc\">\n");
        foreach (var s in sections)
        {
            h.Append("<li><a href=\"#").Append(E(s.Name)).Append("\">").Append(E(s.Title)).Append("</a> ");
            foreach (var v in s.Verdicts) h.Append(Badge(v.Outcome)).Append(' ');
            h.Append("</li>\n");
        }
        h.Append("</ul>\n");
        foreach (var s in sections) Section(h, s);
        h.Append("</body>\n</html>\n");
        return h.ToString();
    }

    private static void Section(StringBuilder h, ReportSection s)
    {
        h.Append("<section id=\"").Append(E(s.Name)).Append("\">\n<h2>").Append(E(s.Title)).Append("</h2>\n");
        h.Append("<p class=\"note\">occam experiment ").Append(E(s.Name)).Append("</p>\n");
        if (s.Claims.Count > 0)
        {
            h.Append("<h3>Claims</h3>\n");
            foreach (var c in s.Claims)
            {
                h.Append("<blockquote><div class=\"zh\" lang=\"zh\">").Append(E(c.Original)).Append("</div><div>“").Append(E(c.English))
                    .Append("”</div><div class=\"note\">note ").Append(E(c.Note)).Append(" · claim ").Append(E(c.Id)).Append("</div></blockquote>\n");
            }
        }
        if (s.Protocol.Count > 0)
        {
            h.Append("<h3>Protocol</h3>\n<dl class=\"protocol\">\n");
            foreach (var p in s.Protocol) h.Append("<dt>").Append(E(p.Key)).Append("</dt><dd>").Append(E(p.Value)).Append("</dd>\n");
            h.Append("</dl>\n");
        }
        foreach (var t in s.Tables)
        {
            h.Append("<table>\n<caption>").Append(E(t.Caption)).Append("</caption>\n<tr>");
            foreach (var c in t.Columns) h.Append("<th>").Append(E(c)).Append("</th>");
            h.Append("</tr>\n");
            foreach (var row in t.Rows)
            {
                h.Append("<tr>");
                foreach (var cell in row) h.Append("<td>").Append(E(cell.Display())).Append("</td>");
                h.Append("</tr>\n");
            }
            h.Append("</table>\n");
        }
        foreach (var f in s.Figures)
        {
            h.Append("<figure id=\"").Append(E(s.Name)).Append("--").Append(E(f.Name)).Append("\">\n")
                .Append(FigureRenderer.InlineSvg(f, $"{s.Name}--{f.Name}--")).Append('\n');
            h.Append("<figcaption>").Append(E(f.Title));
            if (f.Caption.Length > 0) h.Append(" — ").Append(E(f.Caption));
            h.Append("</figcaption>\n</figure>\n");
        }
        if (s.Findings.Count > 0)
        {
            h.Append("<h3>Findings</h3>\n");
            foreach (var p in s.Findings) h.Append("<p>").Append(E(p)).Append("</p>\n");
        }
        if (s.Verdicts.Count > 0)
        {
            h.Append("<h3>Verdicts</h3>\n<ul>\n");
            foreach (var v in s.Verdicts)
            {
                var claim = s.Claims.FirstOrDefault(c => c.Id == v.ClaimId);
                h.Append("<li>").Append(Badge(v.Outcome)).Append(" <b>").Append(E(claim?.English ?? v.ClaimId)).Append("</b><br>")
                    .Append(E(v.Reason)).Append("</li>\n");
            }
            h.Append("</ul>\n");
        }
        h.Append("</section>\n");
    }

    /// <summary>The verdict's label as the report prints it.</summary>
    public static string Label(VerdictOutcome outcome) => outcome switch
    {
        VerdictOutcome.Supported => "supported",
        VerdictOutcome.Conditional => "conditional",
        VerdictOutcome.NotSupported => "not supported",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    private static string Badge(VerdictOutcome o) =>
        string.Create(CultureInfo.InvariantCulture, $"<span class=\"verdict {Label(o).Replace(' ', '-')}\">{Label(o)}</span>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
