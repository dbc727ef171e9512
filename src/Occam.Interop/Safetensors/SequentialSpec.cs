using System.Globalization;
using Occam.Nn;
using Occam.Numerics.Activations;

namespace Occam.Interop.Safetensors;

/// <summary>One module of a <c>torch.nn.Sequential</c> as an import spec names it.</summary>
public abstract record SpecModule
{
    /// <summary><c>nn.Linear(in, Outputs)</c>; the input width comes from the tensors.</summary>
    public sealed record Linear(int Outputs) : SpecModule;

    /// <summary><c>nn.ReLU</c>, <c>nn.Tanh</c>, <c>nn.Sigmoid</c> or <c>nn.Identity</c>.</summary>
    public sealed record Activation(ActivationKind Kind) : SpecModule;

    /// <summary><c>nn.Dropout(P)</c>: no tensors, the identity at inference.</summary>
    public sealed record Dropout(double P) : SpecModule;
}

/// <summary>
/// The architecture of a <c>torch.nn.Sequential</c> of Linear layers, activations and dropout as one string, e.g.
/// <c>64-relu-64-relu-10</c>: modules separated by <c>-</c>, in order, each one index of the Sequential —
/// a positive integer n is <c>nn.Linear(·, n)</c> (its input width is the previous Linear's n, or the tensors' for the
/// first); <c>relu</c>, <c>tanh</c>, <c>sigmoid</c>, <c>identity</c> are those modules; <c>dropout</c> or
/// <c>dropout:P</c> is <c>nn.Dropout(P)</c> (P defaults to 0.5, as in torch). The last module must be a Linear.
/// Tensors are then named <c>"{index}.weight"</c> and <c>"{index}.bias"</c> for each Linear, as in the state_dict.
/// </summary>
public static class SequentialSpec
{
    /// <summary>Parses a spec; an <see cref="OccamException"/> names the bad part.</summary>
    public static IReadOnlyList<SpecModule> Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrWhiteSpace(spec)) throw Bad(spec, "it is empty");
        var parts = spec.Split('-', StringSplitOptions.TrimEntries);
        var modules = new List<SpecModule>();
        foreach (string part in parts)
        {
            string p = part.ToLowerInvariant();
            if (int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            {
                if (n <= 0) throw Bad(spec, $"'{part}' is not a positive layer width");
                modules.Add(new SpecModule.Linear(n));
            }
            else if (p == "dropout") modules.Add(new SpecModule.Dropout(0.5));
            else if (p.StartsWith("dropout:", StringComparison.Ordinal))
            {
                if (!double.TryParse(p["dropout:".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) || !(rate >= 0 && rate < 1))
                    throw Bad(spec, $"'{part}': the dropout probability must be a number in [0, 1)");
                modules.Add(new SpecModule.Dropout(rate));
            }
            else if (Numerics.Activations.Activation.TryParse(p, out var kind)) modules.Add(new SpecModule.Activation(kind));
            else throw Bad(spec, $"'{part}' is not a layer width, relu, tanh, sigmoid, identity, dropout or dropout:P");
        }
        if (modules[^1] is not SpecModule.Linear) throw Bad(spec, "it must end with a layer width (the output Linear)");
        return modules;
    }

    /// <summary>The spec of a model's layers (the inverse of <see cref="Parse"/>).</summary>
    public static string Format(Mlp model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return string.Join("-", model.Layers.Select(l => l switch
        {
            Dense d => d.Outputs.ToString(CultureInfo.InvariantCulture),
            ActivationLayer a => Numerics.Activations.Activation.Name(a.Kind),
            Nn.Dropout dr => "dropout:" + dr.P.ToString("R", CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"unknown layer {l.GetType().Name}"),
        }));
    }

    private static OccamException Bad(string spec, string what) =>
        new($"--arch '{spec}': {what}; write the Sequential's modules in order, e.g. 64-relu-64-relu-10.");
}
