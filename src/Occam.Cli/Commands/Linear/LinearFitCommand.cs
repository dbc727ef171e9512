using Occam.Cli.Output;
using Occam.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Occam.Cli.Commands.Linear;

/// <summary><c>occam linear fit</c>: one α; ridge regression uses the direct (Cholesky) solver.</summary>
internal sealed class LinearFitCommand : Command<LinearFitSettings>
{
    public override int Execute(CommandContext context, LinearFitSettings settings, CancellationToken cancellationToken)
    {
        Occam.Serialization.OutputFiles.Check([settings.Out], [settings.Data]);
        var data = LinearCli.Load(settings);
        double alpha = settings.Alpha!.Value;
        var model = LinearCli.Estimator(settings, data.Task, alpha).Fit(data);
        if (settings.Out is { } path) model.Save(path);
        LinearOutput.Warn(model.Warnings);
        if (settings.Json)
        {
            Console.Out.Write(model.ToJson());
        }
        else
        {
            var console = LinearOutput.Console();
            var table = new PlainTable().AddColumn("feature");
            if (model.ClassCoef is { } rows)
            {
                // Multiclass: one column per class; features with a non-zero coefficient in some class.
                foreach (string c in model.Classes!) table.AddColumn(c, rightAligned: true);
                table.AddRow(["(intercept)", .. model.ClassIntercepts!.Select(LinearOutput.F)]);
                for (int j = 0; j < model.Features.Count; j++)
                    if (rows.Any(r => r[j] != 0)) table.AddRow([model.Features[j], .. rows.Select(r => LinearOutput.F(r[j]))]);
            }
            else
            {
                table.AddColumn("coef", rightAligned: true);
                table.AddRow("(intercept)", LinearOutput.F(model.Intercept));
                for (int j = 0; j < model.Coef.Count; j++)
                    if (model.Coef[j] != 0) table.AddRow(model.Features[j], LinearOutput.F(model.Coef[j]));
            }
            table.Write(console);
            Output.Tables.Line($"{TaskKinds.Name(model.Task)} {settings.Penalty} alpha={LinearOutput.F(alpha)} l1Ratio={LinearOutput.F(model.L1Ratio)}: " +
                $"{model.Sparsity.NonZero} of {Counted.Of(model.Sparsity.Coefficients, "coefficient")} non-zero, deviance explained {LinearOutput.F(model.DevianceExplained)}, " +
                $"{Counted.Of(model.Iterations, "sweep")}, gap {LinearOutput.F(model.DualGap)} (tol {LinearOutput.F(model.GapTolerance)}), " +
                $"{(model.Converged ? "converged" : "NOT CONVERGED")}, {model.Seconds ?? 0:F4} s" + (settings.Out is null ? "" : $", model written to {settings.Out}"));
        }
        return model.Converged ? 0 : 2;
    }
}
