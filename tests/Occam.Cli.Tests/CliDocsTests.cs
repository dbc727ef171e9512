using System.Text.RegularExpressions;
using Occam.Tests;

namespace Occam.Cli.Tests;

/// <summary>
/// The help and docs/cli.md describe the commands as they are (issue 11: cli.md had drifted). For every command the
/// help lists: every option has a description; docs/cli.md has a section <c>## occam CMD</c> (or <c>###</c>) whose
/// option table names exactly the options the command accepts (besides the options of every command); an option is
/// "required" in the docs exactly when its help text starts with "Required".
/// </summary>
[Collection("console")]
public partial class CliDocsTests
{
    /// <summary>An option line of Spectre's help: 4 spaces, then "-h, " or 4 more spaces, then the long name.</summary>
    [GeneratedRegex(@"^    (?:-\w, |    )(--[a-z0-9-]+)(?: <[A-Z_]+>)?(.*)$")]
    private static partial Regex OptionLine();

    /// <summary>A command line in the COMMANDS section of Spectre's help.</summary>
    [GeneratedRegex(@"^    ([a-z][a-z0-9-]*)(?: <[A-Z_]+>)?\s{2,}\S")]
    private static partial Regex CommandLine();

    /// <summary>A documented option: a table row whose first cell starts with the option in backticks.</summary>
    [GeneratedRegex(@"^\| `(--[a-z0-9-]+)[^|]*\|([^|]*)\|")]
    private static partial Regex DocRow();

    private sealed record HelpOption(string Name, string Description);

    /// <summary>The command paths (e.g. "train", "linear fit") the help lists, branches expanded.</summary>
    private static List<string> Commands(string prefix = "")
    {
        var help = Cli.Run([.. prefix.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
        Assert.Equal(0, help.ExitCode);
        var result = new List<string>();
        bool inCommands = false;
        foreach (string line in Lines(help.Out))
        {
            if (line.StartsWith("COMMANDS:", StringComparison.Ordinal)) { inCommands = true; continue; }
            if (line.Length > 0 && !line.StartsWith(' ')) inCommands = false;
            if (!inCommands || CommandLine().Match(line) is not { Success: true } m) continue;
            string path = (prefix + " " + m.Groups[1].Value).Trim();
            var sub = Cli.Run([.. path.Split(' '), "--help"]);
            if (Lines(sub.Out).Any(l => l.StartsWith("COMMANDS:", StringComparison.Ordinal)))
            {
                // A branch with a default command (occam sweep) has options of its own besides its subcommands.
                if (Options(path).Count > 1) result.Add(path);
                result.AddRange(Commands(path));
            }
            else result.Add(path);
        }
        return result;
    }

    /// <summary>The options of a command's help with their (unwrapped) descriptions.</summary>
    private static List<HelpOption> Options(string command)
    {
        var help = Cli.Run([.. command.Split(' '), "--help"]);
        Assert.Equal(0, help.ExitCode);
        var options = new List<HelpOption>();
        bool inOptions = false;
        int descriptionColumn = -1;
        foreach (string line in Lines(help.Out))
        {
            if (line.StartsWith("OPTIONS:", StringComparison.Ordinal)) { inOptions = true; continue; }
            if (line.Length > 0 && !line.StartsWith(' ')) inOptions = false;
            if (!inOptions) continue;
            if (OptionLine().Match(line) is { Success: true } m)
            {
                if (descriptionColumn < 0 && m.Groups[1].Value == "--help") descriptionColumn = line.IndexOf("Prints help", StringComparison.Ordinal);
                string description = descriptionColumn > 0 && line.Length > descriptionColumn ? line[descriptionColumn..].Trim() : "";
                options.Add(new HelpOption(m.Groups[1].Value, description));
            }
            else if (options.Count > 0 && descriptionColumn > 0 && line.Length > descriptionColumn && line[..descriptionColumn].Trim().Length == 0)
            {
                var last = options[^1];
                options[^1] = last with { Description = (last.Description + " " + line[descriptionColumn..].Trim()).Trim() };
            }
        }
        Assert.Contains(options, o => o.Name == "--help");
        return options;
    }

    private static string[] Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r', ' ')).ToArray();

    private static string CliMd => File.ReadAllText(Path.Combine(Repo.Root, "docs", "cli.md"));

    /// <summary>The documented options (name → default cell) of the section headed <paramref name="heading"/>.</summary>
    private static Dictionary<string, string>? DocOptions(string heading)
    {
        string[] lines = Lines(CliMd);
        int start = Array.FindIndex(lines, l => Regex.IsMatch(l, "^#{2,3} " + Regex.Escape(heading) + "$"));
        if (start < 0) return null;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        bool code = false;
        for (int i = start + 1; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal)) code = !code;
            if (code) continue;
            if (lines[i].StartsWith('#')) break; // the next heading
            if (DocRow().Match(lines[i]) is { Success: true } m) options[m.Groups[1].Value] = m.Groups[2].Value.Trim();
        }
        return options;
    }

    [Fact]
    public void EveryCommandIsDocumentedWithExactlyItsOptions()
    {
        var common = DocOptions("Options of every command") ?? throw new Xunit.Sdk.XunitException("docs/cli.md has no section '## Options of every command'");
        var commands = Commands();
        Assert.Contains("train", commands);
        Assert.Contains("linear fit", commands);
        var problems = new List<string>();
        foreach (string command in commands)
        {
            var documented = DocOptions("occam " + command);
            if (documented is null)
            {
                problems.Add($"docs/cli.md has no section '## occam {command}'");
                continue;
            }
            var accepted = Options(command).Select(o => o.Name).Where(n => n != "--help").ToHashSet(StringComparer.Ordinal);
            foreach (string option in accepted.Where(o => !documented.ContainsKey(o) && !common.ContainsKey(o)))
                problems.Add($"occam {command} accepts {option}, but its section in docs/cli.md does not list it");
            foreach (string option in documented.Keys.Where(o => !accepted.Contains(o)))
                problems.Add($"docs/cli.md lists {option} for occam {command}, which the command does not accept");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void EveryOptionHasADescriptionAndRequiredOnesAreMarked()
    {
        var problems = new List<string>();
        foreach (string command in Commands())
        {
            var documented = DocOptions("occam " + command) ?? [];
            foreach (var option in Options(command))
            {
                if (option.Description.Length == 0)
                    problems.Add($"occam {command} {option.Name} has no description in the help");
                bool helpRequired = option.Description.StartsWith("Required", StringComparison.Ordinal);
                bool docRequired = documented.TryGetValue(option.Name, out string? cell) && cell.StartsWith("required", StringComparison.Ordinal);
                if (helpRequired != docRequired)
                    problems.Add($"occam {command} {option.Name}: the help says {(helpRequired ? "" : "not ")}required, docs/cli.md says {(docRequired ? "" : "not ")}required");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void TheParserOfThisTestSeesWrappedDescriptions()
    {
        // Guards the test itself: a long description that Spectre wraps over several lines is read back whole.
        var train = Options("train");
        var hidden = Assert.Single(train, o => o.Name == "--hidden");
        Assert.Contains("128,64", hidden.Description, StringComparison.Ordinal);
        Assert.True(train.Count > 20);
    }
}
