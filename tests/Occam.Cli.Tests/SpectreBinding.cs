using System.Reflection;
using Spectre.Console.Cli;

namespace Occam.Cli.Tests;

/// <summary>
/// What Spectre.Console.Cli binds and validates for a command line, configured as <see cref="OccamApp"/> configures it
/// (strict parsing, exceptions propagated) with the commands <c>register</c> adds: the reference the direct-line binders
/// (<see cref="DirectLine"/>) are checked against.
/// </summary>
internal static class SpectreBinding
{
    /// <summary>The settings bound for <paramref name="args"/>, or null when Spectre rejects the line.</summary>
    public static CommandSettings? Bind(string[] args, Action<IConfigurator> register)
    {
        var capture = new Capture();
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.UseStrictParsing();
            config.PropagateExceptions();
            config.SetInterceptor(capture);
            register(config);
        });
        try
        {
            app.Run(args);
        }
        catch (Captured)
        {
            return capture.Settings;
        }
        catch (CommandAppException)
        {
            return null;
        }
        return null;
    }

    /// <summary>Both lines bound, to the same settings type, with every public property equal.</summary>
    public static void AssertBindsAlike(CommandSettings? spectre, CommandSettings? direct)
    {
        Assert.NotNull(direct);
        Assert.NotNull(spectre);
        Assert.Equal(spectre.GetType(), direct.GetType());
        foreach (var property in direct.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            Assert.True(Equals(property.GetValue(spectre), property.GetValue(direct)), $"{property.Name}: Spectre {property.GetValue(spectre)}, direct {property.GetValue(direct)}");
    }

    /// <summary>
    /// A direct-line option table (<see cref="DirectLine"/>) names every long option of <paramref name="settings"/> once,
    /// with the value kind of its property's type (no short names: the direct path reads long ones only).
    /// </summary>
    public static void AssertTableMatches(Type settings, IEnumerable<(string Name, DirectLine.ValueKind Kind)> table)
    {
        var declared = new List<(string, DirectLine.ValueKind)>();
        foreach (var property in settings.GetProperties())
        {
            if (property.GetCustomAttribute<CommandOptionAttribute>() is not { } option) continue;
            Assert.Empty(option.ShortNames);
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var kind = type == typeof(bool) ? DirectLine.ValueKind.Flag
                : type == typeof(string) ? DirectLine.ValueKind.Text
                : type == typeof(double) ? DirectLine.ValueKind.Number
                : type == typeof(int) ? DirectLine.ValueKind.Whole
                : type == typeof(ulong) ? DirectLine.ValueKind.Count
                : throw new InvalidOperationException($"{property.Name}: no direct kind for {type}");
            foreach (string name in option.LongNames) declared.Add(("--" + name, kind));
        }
        var entries = table.ToList();
        Assert.Equal(entries.Count, entries.Select(o => o.Name).Distinct().Count());
        Assert.Equal(declared.OrderBy(o => o.Item1, StringComparer.Ordinal), entries.OrderBy(o => o.Name, StringComparer.Ordinal));
    }

    private sealed class Captured : Exception;

    /// <summary>Stops the run once the settings are bound and validated, before the command executes.</summary>
    private sealed class Capture : ICommandInterceptor
    {
        public CommandSettings? Settings { get; private set; }

        public void Intercept(CommandContext context, CommandSettings settings)
        {
            Settings = settings;
            throw new Captured();
        }

        public void InterceptResult(CommandContext context, CommandSettings settings, ref int result)
        {
        }
    }
}
