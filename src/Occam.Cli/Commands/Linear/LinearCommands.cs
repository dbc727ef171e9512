using System.Globalization;
using System.Text;
using System.Text.Json;
using Occam.Data;
using Occam.Linear;
using Occam.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands.Linear;

/// <summary>Registers the <c>occam linear</c> branch (fit, path, cv).</summary>
internal static class LinearCommands
{
    public static void Register(IConfigurator config)
    {
        config.AddBranch("linear", linear =>
        {
            linear.SetDescription("Ridge, lasso, elastic net and penalized logistic regression by coordinate descent.");
            linear.AddCommand<LinearFitCommand>("fit").WithDescription("Fit at one alpha and write an occam-linear/1 model.");
            linear.AddCommand<LinearPathCommand>("path").WithDescription("Fit a warm-started regularization path (alpha_max down to eps*alpha_max).");
            linear.AddCommand<LinearCvCommand>("cv").WithDescription("K-fold cross-validation over the path: alpha_min, alpha_1se and the refitted model.");
        });
    }
}

/// <summary>The data as the solver sees it: loaded, checked and (optionally) polynomially expanded.</summary>
internal sealed record PreparedData(Dataset Data, string[] Inputs, int Degree, string[] PolynomialColumns)
{
    public TaskKind Task => Data.Task;

    public static PreparedData Load(LinearSettings s)
    {
        TaskKind? task = TaskKinds.TryParse(s.Task, out var t) ? t : null;
        var data = CsvLoader.Load(s.Data!, s.Target!, task);
        if (data.Task == TaskKind.Multiclass)
            throw new OccamException($"target '{s.Target}' has {data.ClassCount} classes; occam linear fits regression and binary targets only (multinomial is not implemented). Pick a two-class target or use --task regression.");
        var inputs = data.FeatureNames;
        string[] poly = [];
        if (s.Degree > 1)
        {
            poly = s.PolyColumns is null
                ? inputs
                : s.PolyColumns.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var idx = new int[poly.Length];
            for (int k = 0; k < poly.Length; k++)
            {
                idx[k] = Array.IndexOf(inputs, poly[k]);
                if (idx[k] < 0)
                    throw new OccamException($"--poly-columns names '{poly[k]}', which is not a feature of {s.Data}; features: {string.Join(", ", inputs)}.");
            }
            data = PolynomialFeatures.Expand(data, s.Degree, idx);
        }
        else if (s.PolyColumns is not null)
        {
            throw new OccamException("--poly-columns needs --degree 2 or more.");
        }
        return new PreparedData(data, inputs, s.Degree, poly);
    }

    public static LinearOptions Options(LinearSettings s) => new()
    {
        L1Ratio = s.ResolvedL1Ratio,
        Standardize = !s.NoStandardize,
        Tolerance = s.Tol,
        MaxIterations = s.MaxIter,
    };
}

/// <summary>JSON documents and console output shared by the linear commands.</summary>
internal static class LinearOutput
{
    public static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, JsonText.WriterOptions(indented: true)))
            write(w);
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static void Numbers(Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (double v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    public static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>The <c>occam-linear/1</c> model object (see docs/formats.md).</summary>
    public static void Model(Utf8JsonWriter w, PreparedData d, LinearSettings s, LinearFit fit, double? seconds)
    {
        w.WriteStartObject();
        w.WriteString("format", "occam-linear/1");
        w.WriteString("task", TaskKinds.Name(d.Task));
        Strings(w, "features", d.Data.FeatureNames);
        Numbers(w, "coef", fit.Model.Coef);
        w.WriteNumber("intercept", fit.Model.Intercept);
        w.WriteNumber("alpha", fit.Model.Alpha);
        w.WriteNumber("l1Ratio", fit.Model.L1Ratio);
        w.WriteString("penalty", s.Penalty);
        w.WriteBoolean("standardize", !s.NoStandardize);
        w.WriteNumber("degree", d.Degree);
        Strings(w, "inputs", d.Inputs);
        Strings(w, "polynomialColumns", d.PolynomialColumns);
        if (d.Data.Classes is { } classes) Strings(w, "classes", classes);
        w.WriteString("target", d.Data.TargetName);
        w.WriteNumber("iterations", fit.Iterations);
        w.WriteNumber("dualGap", fit.DualGap);
        w.WriteNumber("gapTolerance", fit.GapTolerance);
        w.WriteBoolean("converged", fit.Converged);
        w.WriteNumber("devianceExplained", fit.DevianceExplained);
        Strings(w, "warnings", fit.Warnings);
        if (seconds is double sec) w.WriteNumber("seconds", sec);
        w.WriteEndObject();
    }

    public static void Save(string path, string json) => AtomicFile.WriteAllText(path, json);

    public static IAnsiConsole Console() =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) });

    public static void Warn(IEnumerable<string> warnings)
    {
        foreach (string w in warnings) System.Console.Error.WriteLine($"warning: {w}");
    }

    public static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
