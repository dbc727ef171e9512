using Occam.Data;
using Occam.Linear;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands.Linear;

/// <summary><c>occam linear fit</c>: one α; ridge regression uses the direct (Cholesky) solver.</summary>
internal sealed class LinearFitCommand : Command<LinearFitSettings>
{
    public override int Execute(CommandContext context, LinearFitSettings settings, CancellationToken cancellationToken)
    {
        var d = PreparedData.Load(settings);
        var o = PreparedData.Options(settings);
        var data = d.Data;
        double alpha = settings.Alpha!.Value;
        LinearFit fit = d.Task == TaskKind.Binary
            ? BinaryLogisticRegression.Fit(data.X, data.Rows, data.Features, data.Y, alpha, o, data.FeatureNames)
            : settings.Penalty == "ridge"
                ? RidgeRegression.Fit(data.X, data.Rows, data.Features, data.Y, alpha, o, data.FeatureNames)
                : ElasticNetRegression.Fit(data.X, data.Rows, data.Features, data.Y, alpha, o, data.FeatureNames);
        string json = LinearOutput.Json(w => LinearOutput.Model(w, d, settings, fit, fit.Seconds));
        if (settings.Out is { } path) LinearOutput.Save(path, json);
        LinearOutput.Warn(fit.Warnings);
        if (settings.Json)
        {
            Console.Out.Write(json);
        }
        else
        {
            var console = LinearOutput.Console();
            var table = new Table().AddColumn("feature").AddColumn(new TableColumn("coef").RightAligned());
            table.AddRow("(intercept)", LinearOutput.F(fit.Model.Intercept));
            for (int j = 0; j < data.Features; j++)
                if (fit.Model.Coef[j] != 0) table.AddRow(Markup.Escape(data.FeatureNames[j]), LinearOutput.F(fit.Model.Coef[j]));
            console.Write(table);
            console.WriteLine($"{TaskKinds.Name(d.Task)} {settings.Penalty} alpha={LinearOutput.F(alpha)} l1Ratio={LinearOutput.F(o.L1Ratio)}: " +
                $"{fit.Model.NonZero} of {data.Features} coefficients non-zero, deviance explained {LinearOutput.F(fit.DevianceExplained)}, " +
                $"{fit.Iterations} sweeps, gap {LinearOutput.F(fit.DualGap)} (tol {LinearOutput.F(fit.GapTolerance)}), " +
                $"{(fit.Converged ? "converged" : "NOT CONVERGED")}, {fit.Seconds:F4} s" + (settings.Out is null ? "" : $", model written to {settings.Out}"));
        }
        return fit.Converged ? 0 : 2;
    }
}
