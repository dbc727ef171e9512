using Occam.Cli.Output;
using Occam.Data;
using Occam.Linear;
using Occam.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands.Linear;

/// <summary><c>occam linear cv</c>: K-fold cross-validation over the path, α_min, α_1se and the refitted model.</summary>
internal sealed class LinearCvCommand : Command<LinearCvSettings>
{
    public override int Execute(CommandContext context, LinearCvSettings settings, CancellationToken cancellationToken)
    {
        if (!settings.Shuffle && GivenOptions.Has(context, "--seed"))
            throw OccamException.Usage("--seed seeds --shuffle, and the folds are contiguous without it; add --shuffle or leave --seed out.");
        OutputFiles.Check([settings.Out, settings.ModelOut], [settings.Data]);
        var data = LinearCli.Load(settings);
        LinearCli.CheckPathSize(settings, data);
        if (settings.Folds > data.Rows)
            throw new OccamException(data.Rows < 2
                ? $"{settings.Data} has {data.Rows} row; cross-validation needs at least 2 rows (one per fold), add rows."
                : $"--folds {settings.Folds} is more than the {Counted.Of(data.Rows, "row")} of {settings.Data}; use at most {data.Rows} folds.");
        if (settings.Stratify && data.Task == TaskKind.Regression)
            throw OccamException.Usage($"--stratify needs class labels (a binary or multiclass target), but '{settings.Target}' is a regression target; drop --stratify.");
        var co = new CvOptions
        {
            Folds = settings.Folds,
            Shuffle = settings.Shuffle,
            Seed = settings.Seed,
            Stratify = settings.Stratify,
            Path = new PathOptions { Count = settings.NAlphas, Eps = settings.Eps },
        };
        var (cv, model) = LinearCli.Estimator(settings, data.Task).CrossValidate(data, co);
        string measure = cv.Measure == "mse" ? "Mse" : "LogLoss";
        string json = LinearOutput.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("format", "occam-linear-cv/1");
            w.WriteString("task", TaskKinds.Name(model.Task));
            w.WriteNumber("folds", settings.Folds);
            w.WriteBoolean("shuffle", settings.Shuffle);
            w.WriteBoolean("stratify", settings.Stratify);
            w.WriteNumber("seed", settings.Seed);
            w.WriteString("measure", cv.Measure);
            w.WriteNumber("alphaMin", cv.AlphaMin);
            w.WriteNumber("alpha1se", cv.Alpha1se);
            LinearOutput.Numbers(w, "alphas", cv.Alphas);
            LinearOutput.Numbers(w, "mean" + measure, cv.MeanError);
            LinearOutput.Numbers(w, "se" + measure, cv.StandardError);
            LinearOutput.Strings(w, "warnings", cv.Warnings);
            w.WriteNumber("seconds", cv.Seconds);
            w.WritePropertyName("model");
            LinearOutput.Model(w, model);
            w.WriteEndObject();
        });
        var outputs = new List<(string, string)>();
        if (settings.Out is { } file) outputs.Add((file, json));
        if (settings.ModelOut is { } modelFile) outputs.Add((modelFile, model.ToJson()));
        AtomicFile.WriteAllText(outputs);
        LinearOutput.Warn(cv.Warnings);
        if (settings.Json)
        {
            Console.Out.Write(json);
        }
        else
        {
            var console = LinearOutput.Console();
            var table = new PlainTable().AddColumn("#").AddColumn("alpha").AddColumn("mean " + cv.Measure).AddColumn("se").AddColumn("");
            int m = cv.Alphas.Length, step = Math.Max(1, m / 20);
            for (int k = 0; k < m; k++)
            {
                bool mark = k == cv.IndexMin || k == cv.Index1se;
                if (k % step != 0 && k != m - 1 && !mark) continue;
                string note = (k == cv.IndexMin ? "alpha_min " : "") + (k == cv.Index1se ? "alpha_1se" : "");
                table.AddRow(k.ToString(), LinearOutput.F(cv.Alphas[k]), LinearOutput.F(cv.MeanError[k]), LinearOutput.F(cv.StandardError[k]), note.Trim());
            }
            table.Write(console);
            Output.Tables.Line($"alpha_min = {LinearOutput.F(cv.AlphaMin)}, alpha_1se = {LinearOutput.F(cv.Alpha1se)}; refit at alpha_min: " +
                $"{model.Sparsity.NonZero} of {model.Sparsity.Coefficients} non-zero, {(cv.RefitConverged ? "converged" : "NOT CONVERGED")}; {settings.Folds} folds in {cv.Seconds:F4} s");
        }
        return cv.RefitConverged ? 0 : 2;
    }
}
