using Occam.Cli.Output;
using System.Text.Json;
using Occam.Data;
using Occam.Linear;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands.Linear;

/// <summary><c>occam linear path</c>: the warm-started regularization path.</summary>
internal sealed class LinearPathCommand : Command<LinearPathSettings>
{
    public override int Execute(CommandContext context, LinearPathSettings settings, CancellationToken cancellationToken)
    {
        Occam.Serialization.OutputFiles.Check([settings.Out], [settings.Data]);
        var data = LinearCli.Load(settings);
        LinearCli.CheckPathSize(settings, data);
        var po = new PathOptions { Count = settings.NAlphas, Eps = settings.Eps };
        if (data.Task == TaskKind.Multiclass) return Multinomial(settings, data, po);
        var path = LinearCli.Estimator(settings, data.Task).Path(data, po);
        var summary = new Summary(path.Alphas, path.NonZero, path.DualGaps, path.GapTolerances, path.Iterations, path.DevianceExplained, path.ConvergedAt, path.Warnings, path.Seconds);
        string json = LinearOutput.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("format", "occam-linear-path/1");
            w.WriteString("task", TaskKinds.Name(path.Task));
            LinearOutput.Strings(w, "features", path.FeatureNames!);
            w.WriteNumber("l1Ratio", path.L1Ratio);
            w.WriteString("penalty", settings.Penalty);
            w.WriteBoolean("standardize", !settings.NoStandardize);
            w.WriteNumber("degree", settings.Degree);
            LinearOutput.Numbers(w, "alphas", path.Alphas);
            w.WriteStartArray("coefs");
            foreach (var c in path.Coefs) { w.WriteStartArray(); foreach (double v in c) w.WriteNumberValue(v); w.WriteEndArray(); }
            w.WriteEndArray();
            LinearOutput.Numbers(w, "intercepts", path.Intercepts);
            Report(w, summary);
            w.WriteEndObject();
        });
        return Finish(settings, json, summary, "");
    }

    /// <summary>Multiclass targets: the multinomial path (occam-linear-path/1 with coefs [α][class][feature], intercepts [α][class]).</summary>
    private static int Multinomial(LinearPathSettings settings, Dataset data, PathOptions po)
    {
        if (settings.Degree > 1)
            throw new OccamException("--degree is not available for multiclass paths yet; fit the path without polynomial columns.");
        var o = new LinearOptions { L1Ratio = settings.ResolvedL1Ratio, Standardize = !settings.NoStandardize, Tolerance = settings.Tol, MaxIterations = settings.MaxIter, Grouped = settings.Grouped };
        MultinomialPath path;
        try
        {
            path = MultinomialRegression.Path(data.X, data.Rows, data.Features, data.Y, o, po, data.FeatureNames);
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            throw new OccamException(e.ParamName is { } p ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message);
        }
        var summary = new Summary(path.Alphas, path.NonZero, path.DualGaps, path.GapTolerances, path.Iterations, path.DevianceExplained, path.ConvergedAt, path.Warnings, path.Seconds);
        string json = LinearOutput.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("format", "occam-linear-path/1");
            w.WriteString("task", TaskKinds.Name(TaskKind.Multiclass));
            LinearOutput.Strings(w, "features", data.FeatureNames);
            LinearOutput.Strings(w, "classes", data.Classes!);
            w.WriteNumber("l1Ratio", path.L1Ratio);
            w.WriteString("penalty", settings.Penalty);
            w.WriteBoolean("grouped", path.Grouped);
            w.WriteBoolean("standardize", !settings.NoStandardize);
            w.WriteNumber("degree", 1);
            LinearOutput.Numbers(w, "alphas", path.Alphas);
            w.WriteStartArray("coefs");
            foreach (var c in path.Coefs)
            {
                w.WriteStartArray();
                foreach (var row in c) LinearOutput.Numbers(w, null, row);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteStartArray("intercepts");
            foreach (var b in path.Intercepts) LinearOutput.Numbers(w, null, b);
            w.WriteEndArray();
            Report(w, summary);
            w.WriteEndObject();
        });
        return Finish(settings, json, summary, path.Grouped ? " (multinomial, grouped)" : " (multinomial)");
    }

    /// <summary>Per-α report shared by both kinds of path.</summary>
    private sealed record Summary(double[] Alphas, int[] NonZero, double[] DualGaps, double[] GapTolerances, int[] Iterations, double[] DevianceExplained, bool[] ConvergedAt, IReadOnlyList<string> Warnings, double Seconds)
    {
        public bool Converged => ConvergedAt.All(c => c);
    }

    private static void Report(Utf8JsonWriter w, Summary s)
    {
        LinearOutput.Numbers(w, "nonzero", s.NonZero.Select(v => (double)v));
        LinearOutput.Numbers(w, "dualGaps", s.DualGaps);
        LinearOutput.Numbers(w, "gapTolerances", s.GapTolerances);
        LinearOutput.Numbers(w, "iterations", s.Iterations.Select(v => (double)v));
        LinearOutput.Numbers(w, "devianceExplained", s.DevianceExplained);
        w.WriteBoolean("converged", s.Converged);
        LinearOutput.Strings(w, "warnings", s.Warnings);
        w.WriteNumber("seconds", s.Seconds);
    }

    /// <summary>Writes --out, prints warnings and the JSON or the table; exit code 2 when some α did not converge.</summary>
    private static int Finish(LinearPathSettings settings, string json, Summary path, string kind)
    {
        if (settings.Out is { } file) LinearOutput.Save(file, json);
        LinearOutput.Warn(path.Warnings);
        if (settings.Json)
        {
            Console.Out.Write(json);
        }
        else
        {
            var console = LinearOutput.Console();
            int m = path.Alphas.Length, step = Math.Max(1, m / 20);
            string[] headers = ["#", "alpha", "non-zero", "dev. explained", "sweeps", "gap"];
            string[] Cells(int k) => [k.ToString(), LinearOutput.F(path.Alphas[k]), path.NonZero[k].ToString(),
                LinearOutput.F(path.DevianceExplained[k]), path.Iterations[k].ToString(), LinearOutput.F(path.DualGaps[k])];
            bool Shown(int k) => k % step == 0 || k == m - 1;
            bool shownConverged = true;
            for (int k = 0; k < m; k++) shownConverged &= !Shown(k) || path.ConvergedAt[k];
            if (shownConverged)
            {
                // No markup: a plain table (written directly where PlainTable can, else by Spectre, the same characters).
                var plain = new PlainTable();
                foreach (string h in headers) plain.AddColumn(h);
                for (int k = 0; k < m; k++)
                    if (Shown(k)) plain.AddRow(Cells(k));
                plain.Write(console);
            }
            else
            {
                // A row that did not converge says so in red: Spectre's markup.
                var table = new Table();
                foreach (string h in headers) table.AddColumn(h);
                for (int k = 0; k < m; k++)
                {
                    if (!Shown(k)) continue;
                    var cells = Cells(k);
                    if (!path.ConvergedAt[k]) cells[^1] += " [red]not converged[/]";
                    table.AddRow(cells);
                }
                console.Write(table);
            }
            Output.Tables.Line($"{m} alphas{kind}, {(path.Converged ? "all converged" : "SOME NOT CONVERGED")}, {path.Seconds:F4} s" + (settings.Out is null ? "" : $", written to {settings.Out}"));
        }
        return path.Converged ? 0 : 2;
    }
}
