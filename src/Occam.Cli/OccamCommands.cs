using Occam.Cli.Commands;
using Occam.Cli.Commands.Experiments;
using Occam.Cli.Commands.Linear;
using Occam.Cli.Commands.Sweep;
using Spectre.Console.Cli;

namespace Occam.Cli;

/// <summary>
/// One top-level entry of the <c>occam</c> command line: a command, or branches of subcommands (<c>linear</c>;
/// <c>sweep</c> and <c>study</c>, registered together). <paramref name="Names"/>: the first words that select it;
/// <paramref name="Register"/>: adds it to Spectre.Console.Cli's configuration; <paramref name="CommandTypes"/>: its
/// command classes, whose settings name the options that take a value (<see cref="CommandLine"/>).
/// </summary>
internal sealed record TopLevelCommand(string[] Names, Action<IConfigurator> Register, Type[] CommandTypes);

/// <summary>
/// The one list of <c>occam</c>'s commands, in the order <c>occam --help</c> shows them. A command line whose first
/// word names one of them registers that one only (<see cref="For"/>): before it parses, Spectre.Console.Cli builds
/// its model of every registered command by reflection over the settings classes, and <c>occam train</c> need not pay
/// for the other forty (docs/algorithms/startup.md). Help, an unknown first word or no command registers them all, so
/// listings and "did you mean" suggestions are unchanged.
/// </summary>
internal static class OccamCommands
{
    /// <summary>Every top-level command and branch, in help order.</summary>
    public static IReadOnlyList<TopLevelCommand> All { get; } =
    [
        Leaf<TrainCommand>("train", "Train a regularized MLP on a CSV (or IDX) file and write the model."),
        Leaf<EvalCommand>("eval", "Evaluate a model: loss, accuracy or R², confusion matrix."),
        Leaf<PredictCommand>("predict", "Write predictions of a model for a CSV file."),
        Leaf<InspectCommand>("inspect", "Show a model's architecture and sparsity (exact zeros, dead units, inputs kept)."),
        Leaf<PruneCommand>("prune", "Remove dead units and cut-off inputs from a model (same predictions, fewer parameters)."),
        Leaf<ExportCommand>("export", "Export a model as ONNX (MLPs, linear models) or as PyTorch safetensors + JSON sidecar (MLPs)."),
        Leaf<ImportCommand>("import", "Import a torch.nn.Sequential state_dict from safetensors as an occam-mlp/1 model."),
        Leaf<SynthCommand>("synth", "Write a seeded synthetic dataset (xor, circles, spiral, blobs, polynomial) as CSV."),
        Leaf<DemoCommand>("demo", "Train one network on the shipped digits six ways (no penalty, L2, L1 prox, L1 subgradient, group lasso, dropout); compare."),
        Leaf<Commands.Playground.PlaygroundCommand>("playground", "Serve the playground page: train a network in the browser and watch the penalties act, live."),
        Leaf<Commands.Paths.PathCommand>("path", "Walk a network's λ path (l1, group-lasso, l2, elastic-net) from λ_max down, warm-started; pick λ_min / λ_1se; write the chosen model, the path, plots."),
        new(["linear"], LinearCommands.Register, LinearCommands.CommandTypes),
        new(["sweep", "study"], SweepCommands.Register, SweepCommands.CommandTypes),
        Leaf<ExperimentCommand>("experiment", "Run one experiment testing a claim of the notes (or 'list' them); writes result.json and PNG/SVG figures."),
        Leaf<ReportCommand>("report", "Run every experiment (or reuse saved results) and write one self-contained HTML report."),
    ];

    /// <summary>The entries <paramref name="args"/> needs: the one its first word names, else all of them.</summary>
    public static IReadOnlyList<TopLevelCommand> For(IReadOnlyList<string>? args) =>
        args is [var first, ..] && All.FirstOrDefault(c => c.Names.Contains(first, StringComparer.Ordinal)) is { } named ? [named] : All;

    private static TopLevelCommand Leaf<TCommand>(string name, string description)
        where TCommand : class, ICommand =>
        new([name], config => config.AddCommand<TCommand>(name).WithDescription(description), [typeof(TCommand)]);
}
