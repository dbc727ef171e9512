using System.Globalization;
using System.Text;
using System.Text.Json;
using Occam.Data;
using Occam.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands.Linear;

/// <summary>Registers the <c>occam linear</c> branch (fit, path, cv).</summary>
internal static class LinearCommands
{
    /// <summary>The command classes <see cref="Register"/> adds.</summary>
    public static Type[] CommandTypes { get; } = [typeof(LinearFitCommand), typeof(LinearPathCommand), typeof(LinearCvCommand)];

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

/// <summary>From the parsed options to the library: the data and the estimator they describe.</summary>
internal static class LinearCli
{
    /// <summary>Loads --data with --target (task from --task, else inferred); --grouped needs a multiclass target.</summary>
    public static Dataset Load(LinearSettings s)
    {
        TaskKind? task = TaskKinds.TryParse(s.Task, out var t) ? t : null;
        var data = CsvLoader.Load(s.Data!, s.Target!, task);
        if (s.Grouped && data.Task != TaskKind.Multiclass)
            throw new OccamException($"--grouped is for multiclass targets, but '{s.Target}' was read as {TaskKinds.Name(data.Task)}; drop --grouped.");
        return data;
    }

    /// <summary>The most numbers (coefficients and intercepts over every α) one path may hold: 2²⁴.</summary>
    public const long MaxPathNumbers = 1L << 24;

    /// <summary>
    /// A path holds --n-alphas × (coefficients + intercept) numbers (per class for multinomial models), and
    /// <c>linear path</c> writes them all as one JSON document; at 64–80 bytes of memory per number (measured: 10⁷ α × 11
    /// numbers peaked at 8.4 GB and then failed to write), a grid beyond <see cref="MaxPathNumbers"/> is refused before
    /// anything is fitted, not after minutes of work with an out-of-memory error.
    /// </summary>
    public static void CheckPathSize(LinearPathSettings s, Dataset data)
    {
        long perAlpha = ((long)data.Features * Math.Max(1, s.Degree) + 1) * (data.Task == TaskKind.Multiclass ? data.ClassCount : 1);
        if ((double)s.NAlphas * perAlpha > MaxPathNumbers)
            throw OccamException.Usage($"--n-alphas {s.NAlphas} with {Counted.Of(perAlpha, "coefficient")} per α would hold {((double)s.NAlphas * perAlpha).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} numbers, more than the {MaxPathNumbers.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} a path may hold (about 1 GiB of memory); use at most {Math.Max(1, MaxPathNumbers / perAlpha)} α values (100 is the usual grid).");
    }

    /// <summary>The estimator for the data's task: logistic regression for class labels (multinomial for 3+), else lasso, ridge or elastic net.</summary>
    public static LinearEstimator Estimator(LinearSettings s, TaskKind task, double alpha = 1.0)
    {
        LinearEstimator e = task != TaskKind.Regression
            ? new LogisticRegression
            {
                Penalty = s.Penalty switch { "ridge" => LinearPenalty.Ridge, "lasso" => LinearPenalty.Lasso, _ => LinearPenalty.ElasticNet },
                L1Ratio = s.ResolvedL1Ratio,
                Grouped = s.Grouped,
            }
            : s.Penalty switch
            {
                "ridge" => new Ridge(),
                "lasso" => new Lasso(),
                _ => new ElasticNet { L1Ratio = s.ResolvedL1Ratio },
            };
        return e with
        {
            Alpha = alpha,
            Standardize = !s.NoStandardize,
            Tolerance = s.Tol,
            MaxIterations = s.MaxIter,
            Degree = s.Degree,
            PolynomialColumns = s.PolyColumns?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }
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

    /// <summary>A number array, as property <paramref name="name"/> or (null) as the next array element.</summary>
    public static void Numbers(Utf8JsonWriter w, string? name, IEnumerable<double> values)
    {
        if (name is null) w.WriteStartArray(); else w.WriteStartArray(name);
        foreach (double v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    public static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>Writes the <c>occam-linear/1</c> document of <paramref name="model"/> (the library's) as the value of the current property.</summary>
    public static void Model(Utf8JsonWriter w, LinearModel model)
    {
        using var doc = JsonDocument.Parse(model.ToJson());
        doc.RootElement.WriteTo(w);
    }

    public static void Save(string path, string json) => AtomicFile.WriteAllText(path, json);

    /// <summary>The command's console (<see cref="AnsiConsole.Console"/>, over standard output: <see cref="OccamApp.Run"/> sets it).</summary>
    public static IAnsiConsole Console() => AnsiConsole.Console;

    public static void Warn(IEnumerable<string> warnings)
    {
        foreach (string w in warnings) System.Console.Error.WriteLine($"warning: {w}");
    }

    public static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
